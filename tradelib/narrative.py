"""Sentences from Facts. Each sentence carries footnote references to the sources of its numbers.

A :class:`Narrator` holds the data, the year and the currency of one briefing and a :class:`Citations`
registry that numbers sources in order of first use, so that the sources section at the end lists them
with the same numbers. A claim whose figures were not published returns None and is recorded in
``narrator.missing``; the briefing says which figure is missing and never invents one.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import pandas as pd

from . import fmt, metrics, reporter, sources
from .metrics import Fact
from .sources import Dataset

REPORTER = reporter.load(sources.FIGURES_REPORTER)  # whose published figures tradelib holds
PARTNER_NAMES = REPORTER.partner_names
PRODUCT_NAMES = REPORTER.product_names
EMERGING = REPORTER.featured("partners", "emerging")
# the publisher's own currency and the other its releases use; the reporter's names and its publisher's
OWN, OTHER = REPORTER.currencies[0], REPORTER.currencies[1]
WHO, POS = REPORTER.name, REPORTER.possessive
PUB_POS = REPORTER.publisher_possessive
# "above 45 trillion yuan for the first time" names multiples of this step, per currency
ROUND_THRESHOLD_STEP = REPORTER.round_total_step[OWN]
BALANCE_THRESHOLD_STEP = REPORTER.round_balance_step  # "a surplus above one trillion dollars for the first time"
TERMS = {c: fmt.terms(c) for c in REPORTER.currencies}
BELT_AND_ROAD = REPORTER.setting("partners", "belt_and_road")
STREAK_PARTNER = REPORTER.setting("partners", "largest_market_streak")
# The lead: how newsworthy each kind of fact is (the highest scores make the main points). A partner's or a
# flow's score grows with the size of its change, so a fall of a fifth outranks a rise of a tenth.
NEWS_RULES = {"record balance": 90, "first time above a round amount": 10, "record total": 70,
              "a new largest export market": 60, "a partner's trade moving": 50, "exports or imports moving": 40,
              "the total's change": 30}
MAIN_POINTS = 3
PARTNER_SHIFT_PCT = 10  # a partner's trade moving at least this many points apart from the total's is news
FLOW_SHIFT_PCT = 10  # exports or imports moving at least this much is news
WELL_AHEAD = 2  # a group growing more than twice as fast as the total is "well ahead of" it
PARTNER_GROUPS = REPORTER.featured("partners")
EXPORT_GROUPS = REPORTER.featured("products", "export_groups")
SHORT_PRODUCT_NAMES = REPORTER.short_product_names


@dataclass
class Citations:
    """Numbers sources in order of first citation."""

    sources: pd.DataFrame
    order: list[str] = field(default_factory=list)

    def number(self, source_id: str) -> int:
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def mark(self, *facts: Fact | None) -> str:
        """Footnote marks for the facts' primary sources (the first, highest-ranked source of each figure;
        corroborating sources stay in the data and are listed by the data card)."""
        ids: list[str] = []
        for f in facts:
            if f is None or not f.source_ids:
                continue
            primary = f.source_ids[0]
            if primary not in ids:
                ids.append(primary)
        if not ids:
            return ""
        nums = sorted({self.number(s) for s in ids})
        links = ",".join(f'<a href="#src-{a}">{a}</a>' if a == b else
                         f'<a href="#src-{a}">{a}</a>\u2013<a href="#src-{b}">{b}</a>' for a, b in ranges(nums))
        return f'<sup class="fn">[{links}]</sup>'

    def entries(self) -> list[tuple[int, dict]]:
        out = []
        for i, sid in enumerate(self.order, start=1):
            row = self.sources.loc[self.sources.source_id == sid].iloc[0].to_dict()
            out.append((i, row))
        return out

    def markdown(self) -> str:
        lines = []
        for n, s in self.entries():
            pub = f", published {html.escape(s['published'])}" if s.get("published") else ""
            lines.append(f'<p class="source" id="src-{n}"><span class="source-n">[{n}]</span> '
                         f'{html.escape(s["publisher"])}, '
                         f'\u201c{html.escape(s["title"])}\u201d{pub}, '
                         + (f'<a href="{html.escape(s["url"])}">{html.escape(s["url"])}</a> ' if s.get("url") else "")
                         + f'({"file dated" if s.get("kind") == "records" else "accessed"} {html.escape(s["accessed"])}).</p>')
        return "\n".join(lines)


@dataclass
class Narrator:
    data: Dataset
    year: int
    currency: str = OWN
    citations: Citations | None = None
    missing: list[str] = field(default_factory=list)
    converted_shown: bool = False
    computed_shown: bool = False

    def __post_init__(self):
        if self.currency not in REPORTER.currencies:
            raise ValueError(f"unknown currency {self.currency!r}; use {' or '.join(REPORTER.currencies)}")
        if self.citations is None:
            self.citations = Citations(self.data.sources)

    # ---------------------------------------------------------------- look-ups
    @property
    def fig(self) -> pd.DataFrame:
        return self.data.figures

    @property
    def other_currency(self) -> str:
        return OTHER if self.currency == OWN else OWN

    def rate(self, year: int | None = None) -> Fact | None:
        """The year's average exchange rate, in yuan per US dollar."""
        return self.indicator("cny_per_usd_avg", year)

    def amount(self, flow: str, *, year: int | None = None, partner="WLD", product="ALL",
               enterprise="ALL") -> Fact | None:
        """A money figure in the briefing's currency: as published, else converted at the average rate."""
        y = year or self.year
        kw = dict(partner=partner, product=product, enterprise=enterprise)
        f = metrics.get(self.fig, y, flow, "value", currency=self.currency, **kw)
        if f is not None:
            return f
        other = self.other_currency
        f = metrics.get(self.fig, y, flow, "value", currency=other, **kw)
        rate = self.rate(y)
        if f is None or rate is None:
            return f  # shown in the currency it was published in
        return metrics.convert_fact(f, rate, self.currency)

    def balance(self, year: int | None = None, currency: str | None = None) -> Fact | None:
        """The trade balance as published, else computed from the published exports and imports."""
        y = year or self.year
        cur = currency or self.currency
        b = metrics.get(self.fig, y, "balance", "value", currency=cur)
        if b is not None:
            return b
        e = metrics.get(self.fig, y, "exports", "value", currency=cur)
        i = metrics.get(self.fig, y, "imports", "value", currency=cur)
        if e is None or i is None:
            return None
        f = metrics.balance_fact(e, i)
        return Fact(f.value, f.unit, f.label, f.year, f.rows, f.source_ids, reported=False,
                    note="computed from the published exports and imports")

    def growth(self, flow: str, *, year: int | None = None, partner="WLD", product="ALL",
               enterprise="ALL") -> Fact | None:
        """Reported growth, in the briefing's currency basis where published, else the other basis."""
        y = year or self.year
        return metrics.get(self.fig, y, flow, "growth_yoy", partner=partner, product=product,
                           enterprise=enterprise, currency=self.currency)

    def level_and_growth(self, flow: str, **kw) -> tuple[Fact | None, Fact | None]:
        """A level and its growth rate, each in the edition's currency where published.

        Where neither the level nor the rate was published in the edition's currency, both come in the other
        currency as published (a figure given as such). Otherwise the level is in the edition's currency
        (converted where only the other was published) and the rate may be of the other basis: then
        :meth:`movement` states it in a sentence of its own, never joined to the level.
        """
        g = self.growth(flow, **kw)
        level = self.amount(flow, **kw)
        if g is None or g.basis in ("", self.currency) or level is None:
            return level, g
        own = metrics.get(self.fig, self.year, flow, "value", currency=self.currency, **kw)
        same = metrics.get(self.fig, self.year, flow, "value", currency=g.basis, **kw)
        if own is None and same is not None:
            return same, g
        return level, g

    def movement(self, subject: str, level: Fact | None, growth: Fact | None) -> tuple[str, str]:
        """("<subject> rose 13.2% to 5.25 trillion yuan", "") with footnote marks. A rate of another basis
        than the level comes back as a separate sentence ("In dollar terms, it fell 18.7%.") for the caller
        to place after its own sentence: a rate is never joined to a level of another currency."""
        if level is not None and growth is not None and growth.basis not in ("", level.unit):
            return (f"{subject} came to {self.money(level)}{self.cite(level)}",
                    f"{TERMS[growth.basis].strip().capitalize()}, it {self.change(growth)}{self.cite(growth)}.")
        s = subject
        if growth is not None:
            s += f" {self.change(growth)}{self.basis_words(growth, level)}"
        if level is not None:
            s += f" came to {self.money(level)}" if growth is None else f" to {self.money(level)}"
        return s + self.cite(growth, level), ""

    def money(self, f: Fact) -> str:
        """An amount; one converted at the year's average rate is marked with an asterisk."""
        converted = not f.reported and f.note.startswith("converted")
        computed = not f.reported and f.note.startswith("computed")
        self.converted_shown |= converted
        self.computed_shown |= computed
        return fmt.money(f.value, f.unit) + ("*" if converted else "\u2020" if computed else "")

    def basis_words(self, g: Fact, level: Fact | None = None) -> str:
        """" in yuan terms" when a rate's basis differs from the briefing's currency (or from the level's)."""
        if level is not None and g.basis == level.unit:
            return ""
        if g.basis and g.basis != self.currency:
            return TERMS[g.basis]
        return ""

    def dec(self, f: Fact) -> int:
        """Decimals of a reported rate as its source printed it (13%, not 13.0%); one for computed rates."""
        if not f.reported or not f.rows:
            return 1
        rows = self.data.all_vintages
        d = rows.loc[rows.line == f.rows[0], "decimals"]
        return int(d.iloc[0]) if not d.empty else 1

    def printed(self, f: Fact) -> tuple[str, int] | None:
        """The unit and decimals a reported figure was printed with ("million tonnes", 2), or None."""
        if not f.reported or not f.rows:
            return None
        rows = self.data.all_vintages
        r = rows.loc[rows.line == f.rows[0], ["unit", "decimals"]]
        return (str(r.unit.iloc[0]), int(r.decimals.iloc[0])) if not r.empty else None

    def change(self, g: Fact) -> str:
        """"rose 3.8%" with the published precision."""
        return fmt.change_verb(g.value, self.dec(g))

    def signed(self, g: Fact) -> str:
        return fmt.signed_percent(g.value, self.dec(g))

    def terms(self, basis: str) -> str:
        """" in yuan terms" where a rate's basis is not the edition's currency."""
        return TERMS[basis] if basis and basis != self.currency else ""

    def cite(self, *facts: Fact | None) -> str:
        return self.citations.mark(*facts)

    def note(self, text: str) -> None:
        """A note for the sources-and-notes section."""
        if text not in self.missing:
            self.missing.append(text)

    def note_missing(self, what: str) -> None:
        what = what if what.startswith(WHO) else what[0].lower() + what[1:]
        msg = f"Not found in the published figures held for {self.year}: {what}"
        if msg not in self.missing:
            self.missing.append(msg)

    # ---------------------------------------------------------------- sentences
    def is_published_record(self) -> bool:
        """True where the release itself calls the year's total a record (measure record_high)."""
        f = metrics.get(self.fig, self.year, "total", "record_high", currency=OWN)
        return f is not None and f.value == 1

    def headline(self) -> str | None:
        total = self.amount("total")
        g = self.growth("total")
        if total is None or g is None:
            self.note_missing("Total goods trade or its growth")
            return None
        hist = metrics.series(self.fig, "total", currency=OWN)
        flags = metrics.series(self.fig, "total", "record_high", currency=OWN)
        level = self.money(total)
        prev = self.year - 1
        verb = self.change(g)
        same_basis = g.basis in ("", total.unit)
        # a rate of another basis than the level is said in a sentence of its own
        change = (f"The total {verb} on {prev}{self.cite(g)}." if same_basis else
                  f"{TERMS[g.basis].strip().capitalize()}, the total {verb} on {prev}{self.cite(g)}.")
        first = int(hist.index.min())
        highest_held = self.year in hist.index and self.year > first and metrics.is_record(hist, self.year)
        if self.is_published_record():
            reported_record = metrics.get(self.fig, self.year, "total", "record_high", currency=OWN)
            crossed = metrics.threshold_first_crossed(hist, self.year, ROUND_THRESHOLD_STEP,
                                                      record_years=flags[flags == 1].index)
            also = f", above {fmt.money(crossed, OWN, decimals=0)} for the first time" if crossed else ""
            if self.currency == OWN:
                return (f"{POS} trade in goods reached a record {level} in {self.year}{also}"
                        f"{self.cite(total, reported_record)}. {change}")
            yuan = metrics.get(self.fig, self.year, "total", currency=OWN)
            return (f"{POS} trade in goods reached {level} in {self.year}{self.cite(total)}. {change} In {fmt.currency_name(OWN)}, "
                    f"{PUB_POS} own currency, the total of {self.money(yuan)}{self.cite(yuan)} was a record"
                    f"{also}{self.cite(reported_record)}.")
        if highest_held and g.value > 0:
            return (f"{POS} trade in goods reached {level} in {self.year}, the highest in the figures held "
                    f"since {first}{self.cite(total)}. {change}")
        if same_basis:
            parts = [f"{POS} trade in goods totalled {level} in {self.year}, "
                     f"{fmt.up_down(g.value, self.dec(g))} on {prev}{self.cite(total, g)}."]
        else:
            parts = [f"{POS} trade in goods totalled {level} in {self.year}{self.cite(total)}.", change]
        peak_year = metrics.previous_peak(hist, self.year) if self.year in hist.index else None
        if peak_year is not None:
            peak = metrics.get(self.fig, peak_year, "total", currency=OWN)
            record_word = "record " if peak_year in flags[flags == 1].index else ""
            if g.value > 0 and peak_year == prev:
                parts.append(f"The customs computed that change on a revised figure for {prev}; on the figures "
                             f"as first published, the total{' in ' + fmt.currency_name(OWN) if self.currency != OWN else ''} stayed below the "
                             f"{fmt.money(peak.value, OWN)} of {peak_year}{self.cite(peak)}.")
            else:
                parts.append(f"The total{' in ' + fmt.currency_name(OWN) if self.currency != OWN else ''} stayed below the {record_word}{fmt.money(peak.value, OWN)} of "
                             f"{peak_year}{self.cite(peak)}.")
        return " ".join(parts)

    # ---------------------------------------------------------------- the lead
    def main_points(self, n: int = MAIN_POINTS) -> list[str]:
        """The year's most newsworthy facts, chosen from the data by :data:`NEWS_RULES` (highest score first).

        Candidates: a record balance (and a round amount passed for the first time), a record total, the
        partners whose trade moved most (at least ``PARTNER_SHIFT_PCT`` either way), a new largest export
        market, and exports or imports moving at least ``FLOW_SHIFT_PCT``. The total's change is always a
        candidate, so that the lead never lacks it.
        """
        found = [c for c in (self._news_balance(), self._news_total(), *self._news_partners(), self._news_market(),
                             *self._news_flows()) if c is not None]
        found.sort(key=lambda c: -c[0])
        return [text for _, text in found[:n]]

    def _news_balance(self) -> tuple[float, str] | None:
        for cur in (self.currency, self.other_currency):
            rec = self.balance_record(cur)
            b = metrics.get(self.fig, self.year, "balance", "value", currency=cur)
            if rec is None or b is None:
                continue
            crossed = self.balance_threshold(cur)
            word = "surplus" if b.value >= 0 else "deficit"
            lead = "" if cur == self.currency else TERMS[cur].strip().capitalize() + ", "
            text = (f"{lead}{POS} trade {word} reached a record {self.money(_abs(b))}"
                    + (f", above {fmt.money(crossed, cur, decimals=0)} for the first time" if crossed else "")
                    + f"{self.cite(b, rec)}.")
            return NEWS_RULES["record balance"] + (NEWS_RULES["first time above a round amount"] if crossed else 0), text
        return None

    def _news_total(self) -> tuple[float, str] | None:
        total, g = self.amount("total"), self.growth("total")
        if total is None or g is None:
            return None
        change = (f", {fmt.up_down(g.value, self.dec(g))} on {self.year - 1}{self.terms(g.basis)}")
        if self.is_published_record():
            hist = metrics.series(self.fig, "total", currency=OWN)
            flags = metrics.series(self.fig, "total", "record_high", currency=OWN)
            crossed = metrics.threshold_first_crossed(hist, self.year, ROUND_THRESHOLD_STEP,
                                                      record_years=flags[flags == 1].index)
            rec = metrics.get(self.fig, self.year, "total", "record_high", currency=OWN)
            also = f", above {fmt.money(crossed, OWN, decimals=0)} for the first time" if crossed else ""
            score = NEWS_RULES["record total"] + (NEWS_RULES["first time above a round amount"] if crossed else 0)
            if self.currency == OWN:
                return score, (f"Trade in goods reached a record {self.money(total)}{also}{change}"
                               f"{self.cite(total, g, rec)}.")
            yuan = metrics.get(self.fig, self.year, "total", currency=OWN)
            return score, (f"Trade in goods came to {self.money(total)}{change}{self.cite(total, g)}; in {fmt.currency_name(OWN)}, "
                           f"{PUB_POS} own currency, the total of {self.money(yuan)} was a record{also}"
                           f"{self.cite(yuan, rec)}.")
        if g.basis not in ("", total.unit):
            return NEWS_RULES["the total's change"], (f"Trade in goods came to {self.money(total)}{self.cite(total)}; "
                                                      f"{TERMS[g.basis].strip()} it {self.change(g)}{self.cite(g)}.")
        return NEWS_RULES["the total's change"], (f"Trade in goods {self.change(g)} to {self.money(total)}"
                                                  f"{self.cite(g, total)}.")

    def _news_partners(self) -> list[tuple[float, str]]:
        out = []
        for p in PARTNER_GROUPS:
            g = self.growth("total", partner=p)
            if g is None:
                continue
            # news is a partner moving apart from the total: trade with one partner up 20% is no story in a
            # year when all trade rose 21%; the total's growth is taken in the partner's basis
            total = metrics.get(self.fig, self.year, "total", "growth_yoy", currency=g.basis or self.currency)
            ref = total.value if total is not None and total.basis == g.basis else 0.0
            if abs(g.value - ref) < PARTNER_SHIFT_PCT:
                continue
            name = PARTNER_NAMES[p]
            # beside the total's rate only where the partner went the same way, more slowly (a fall, or a rise
            # far above the total, is news on its own)
            against = (", well below the pace of all trade" if ref and (g.value > 0) == (ref > 0)
                       and abs(g.value) < abs(ref) else "")
            out.append((NEWS_RULES["a partner's trade moving"] + abs(g.value - ref),
                        f"Trade with {name} {self.change(g)}{self.terms(g.basis)}{against}{self.cite(g)}."))
        return out

    def _news_market(self) -> tuple[float, str] | None:
        for p in PARTNER_GROUPS:
            f = metrics.streak_fact(self.fig, self.year, "exports", p)
            before = metrics.get(self.fig, self.year - 1, "exports", "rank", partner=p, currency=None)
            # "became" needs the year before on record with another rank, not merely no figure for it
            if f is not None and int(f.value) == 1 and before is not None and int(before.value) != 1:
                return NEWS_RULES["a new largest export market"], (
                    f"{PARTNER_NAMES[p][0].upper()}{PARTNER_NAMES[p][1:]} became {POS} largest export market"
                    f"{self.cite(f)}.")
        return None

    def _news_flows(self) -> list[tuple[float, str]]:
        out = []
        for flow in ("exports", "imports"):
            level, g = self.level_and_growth(flow)
            if g is None or level is None or abs(g.value) < FLOW_SHIFT_PCT or g.basis not in ("", level.unit):
                continue
            out.append((NEWS_RULES["exports or imports moving"] + abs(g.value),
                        f"{flow.capitalize()} {self.change(g)} to {self.money(level)}{self.cite(g, level)}."))
        return out

    def other_currency_total(self) -> str | None:
        other = self.other_currency
        f = metrics.get(self.fig, self.year, "total", "value", currency=other)
        if f is None:
            return None
        return fmt.money(f.value, other) + self.cite(f)

    def exports_imports(self) -> str | None:
        """Exports and imports, each with its growth where published in the same basis as its level."""
        e, ge = self.level_and_growth("exports")
        i, gi = self.level_and_growth("imports")
        if e is None or i is None:
            self.note_missing("Exports or imports")
            return None
        se, te = self.movement("Exports", e, ge)
        si, ti = self.movement("imports", i, gi)
        s = f"{se}, and {si}."
        for t, word in ((te, "exports"), (ti, "imports")):
            if t:
                s += " " + t.replace(", it ", f", {word} ")
        if ge is not None and gi is not None and ge.basis == gi.basis and not te and not ti:
            contrast = compare_flows(ge.value, gi.value)
            s += f" {contrast}." if contrast else ""
        return s

    def balance_sentences(self) -> str | None:
        """The trade balance: its size, the year before, a published record and a round threshold first passed.

        A record published only in the other currency is given once, as such.
        """
        b = self.balance() or self.amount("balance")
        if b is None:
            self.note_missing("The trade balance")
            return None
        word = "surplus" if b.value >= 0 else "deficit"
        prev = self.balance(self.year - 1) or self.amount("balance", year=self.year - 1)
        rec = self.balance_record(b.unit)
        s = f"The trade {word} {'reached a record' if rec else 'came to'} {self.money(_abs(b))}"
        crossed = self.balance_threshold(b.unit) if rec else None
        if crossed:
            s += f", above {fmt.money(crossed, b.unit, decimals=0)} for the first time"
        if prev is not None and (prev.value >= 0) == (b.value >= 0):
            s += f", {'up' if abs(b.value) > abs(prev.value) else 'down'} from {self.money(_abs(prev))} in {self.year - 1}"
        s += self.cite(b, rec, prev) + "."
        other = self.other_currency
        other_rec = self.balance_record(other)
        ob = metrics.get(self.fig, self.year, "balance", "value", currency=other)
        if not rec and other_rec is not None and ob is not None:
            crossed = self.balance_threshold(other)
            s += (f" In {fmt.currency_name(other).replace('US dollars', 'dollar')} terms it was a record "
                  f"{fmt.money(abs(ob.value), other)}"
                  + (f", above {fmt.money(crossed, other, decimals=0)} for the first time" if crossed else "")
                  + f"{self.cite(ob, other_rec)}.")
        return s

    def balance_record(self, currency: str) -> Fact | None:
        f = metrics.get(self.fig, self.year, "balance", "record_high", currency=currency)
        return f if f is not None and f.value == 1 and f.basis in ("", currency) else None

    def balance_threshold(self, currency: str) -> float | None:
        """The round amount the balance passed for the first time (one trillion dollars in 2025): claimed
        only where an earlier year held is a published record, so that no year before it was higher."""
        hist = metrics.series(self.fig, "balance", currency=currency)
        if self.year not in hist.index:
            return None
        flags = metrics.series(self.fig, "balance", "record_high", currency=currency)
        return metrics.threshold_first_crossed(hist, self.year, BALANCE_THRESHOLD_STEP[currency],
                                               record_years=flags[flags == 1].index)

    def product_exports(self, product: str, *, with_share: bool = True, compare: bool = True) -> str | None:
        name = PRODUCT_NAMES.get(product, product.lower().replace("_", " "))
        v, g = self.level_and_growth("exports", product=product)
        if g is None and v is None:
            self.note_missing(f"Exports of {name}")
            return None
        s, tail = self.movement(f"Exports of {name}", v, g)
        if v is not None:
            total = metrics.get(self.fig, self.year, "exports", "value", currency=v.unit) if with_share else None
            if total is not None:
                s += f", {fmt.percent(metrics.share_fact(v, total).value)} of all exports"
        if g is not None and compare:
            tg = self.comparable_total_growth(g)
            if tg is not None and g.value > tg.value:
                ahead = "well ahead of" if g.value > WELL_AHEAD * max(tg.value, 0.1) else "faster than"
                s += f", {ahead} total exports ({self.signed(tg)}{self.terms(tg.basis)})"
        return s + "." + (" " + tail if tail else "")

    def product_paragraph(self, products) -> str | None:
        """Product groups' exports, then one comparison with total exports for those that grew faster."""
        sentences, faster = [], []
        for p in products:
            t = self.product_exports(p, compare=False)
            if t is None:
                continue
            sentences.append(t)
            _, g = self.level_and_growth("exports", product=p)
            tg = self.comparable_total_growth(g) if g is not None else None
            if tg is not None and g.value > tg.value:
                faster.append((p, g, tg))
        if not sentences:
            return None
        bases = {tg.basis for _, _, tg in faster}
        if len(faster) == 1:
            p = faster[0][0]
            i = [q for q in products if self.product_exports(q, compare=False) is not None].index(p)
            sentences[i] = self.product_exports(p, compare=True)
        elif faster and len(bases) == 1:
            tg = faster[0][2]
            names = [SHORT_PRODUCT_NAMES.get(p, p).lower().replace("new trio", "the new trio")
                     .replace("mechanical & electrical", "mechanical and electrical products")
                     .replace("high-tech", "high-tech products") for p, _, _ in faster]
            who = ("All of them" if len(faster) == len(sentences) and len(faster) > 1 else
                   (names[0][0].upper() + names[0][1:] if len(names) == 1 else
                    (fmt.and_list(names)[0].upper() + fmt.and_list(names)[1:])))
            verb = "grew" if len(faster) > 1 or who.startswith("All") else "grew"
            sentences.append(f"{who} {verb} faster than total exports ({self.signed(tg)}{self.terms(tg.basis)})"
                             f"{self.cite(tg)}.")
        return " ".join(sentences)

    def belt_and_road(self) -> str | None:
        """Exports to Belt and Road partner countries; a published contribution with the growth it is part of,
        both in the basis it was computed on."""
        g = self.growth("exports", partner=BELT_AND_ROAD)
        c = metrics.get(self.fig, self.year, "exports", "contribution_pp", partner=BELT_AND_ROAD, currency=self.currency)
        if g is None:
            self.note_missing("Growth of exports to Belt and Road partner countries")
            return None
        s = f"Exports to Belt and Road partner countries {self.change(g)}{self.terms(g.basis)}{self.cite(g)}"
        if c is not None:
            tg = self.comparable_total_growth(c)
            if tg is not None and tg.basis == c.basis:
                same = c.basis == g.basis
                s += (f", contributing {fmt.pp(c.value, self.dec(c))} of the {fmt.percent(tg.value, self.dec(tg))} "
                      f"growth of total exports" + ("" if same else self.terms(c.basis)) + self.cite(c, tg))
        return s + "."

    def export_market_streak(self, partner: str = STREAK_PARTNER) -> str | None:
        f = metrics.streak_fact(self.fig, self.year, "exports", partner)
        name = PARTNER_NAMES.get(partner, partner)
        if f is None:
            self.note_missing(f"The rank of {name} among {POS} export markets")
            return None
        n = int(f.value)
        if n == 0:
            return f"{name} was not {POS} largest export market in {self.year}{self.cite(f)}."
        if n == 1:
            return f"{name} became {POS} largest export market in {self.year}{self.cite(f)}."
        return f"{name} was {POS} largest export market for the {fmt.ordinal(n)} consecutive year{self.cite(f)}."

    def comparable_total_growth(self, g: Fact, flow: str = "exports") -> Fact | None:
        """The reporter's growth for ``flow`` in the same currency basis as ``g`` (like is compared with like)."""
        return metrics.get(self.fig, self.year, flow, "growth_yoy", currency=g.basis or self.currency)

    def emerging_markets(self) -> str | None:
        """Exports to Latin America, the Middle East, Central Asia and Africa against total exports.

        The release's own statement that a market grew faster than the total (measure growth_above_total)
        is used as stated, with the total's growth in the statement's basis; published growth rates are
        compared with the total in their own basis (like with like), each basis named once.
        """
        faster, slower, rates, bases = [], [], [], set()
        for p in EMERGING:
            stated = metrics.get(self.fig, self.year, "exports", "growth_above_total", partner=p)
            g = self.growth("exports", partner=p)
            ref = self.comparable_total_growth(g) if g is not None else None
            if stated is not None:
                (faster if stated.value == 1 else slower).append((p, stated))
                bases.add(stated.basis or self.currency)
            elif g is not None and ref is not None:
                (faster if metrics.faster_than(g.value, ref.value) else slower).append((p, g))
                bases.add(g.basis)
            if g is not None and ref is not None and ref.basis == g.basis:
                rates.append((p, g, ref))
        if not (faster or slower):
            self.note_missing("Growth of exports to emerging markets")
            return None
        basis = bases.pop() if len(bases) == 1 else None
        tg = metrics.get(self.fig, self.year, "exports", "growth_yoy", currency=basis) if basis else None
        tg = tg if tg is not None and tg.basis == basis else None
        total = f" ({self.signed(tg)}{self.terms(tg.basis)}{self.cite(tg)})" if tg is not None else ""

        def names(items):
            return fmt.and_list([PARTNER_NAMES[p] + self.cite(f) for p, f in items])

        parts = []
        if faster:
            every = " all" if len(faster) > 2 else ""
            parts.append(f"Exports to {names(faster)}{every} grew faster than total exports{total}")
        if slower:
            parts.append(f"exports to {names(slower)} grew no faster" if faster else
                         f"Exports to {names(slower)} grew no faster than total exports{total}")
        s = ", while ".join(parts) + "."
        for p, g, ref in rates:
            s += (f" Exports to {PARTNER_NAMES[p]} {self.change(g)}{self.terms(g.basis)}{self.cite(g)}, "
                  f"against {fmt.percent(ref.value, self.dec(ref))} for all exports{self.cite(ref)}.")
        return s

    def world_share(self, flow: str = "imports") -> str | None:
        f = metrics.get(self.fig, self.year, flow, "share_world", currency=None)
        if f is None:
            self.note_missing(f"{POS} share of world {flow}")
            return None
        return (f"{POS} {flow} accounted for {qualifier(f)}{fmt.percent(f.value, f_dec(f))} of world {flow}"
                f"{self.cite(f)}.")

    def world_rank(self) -> str | None:
        r = metrics.get(self.fig, self.year, "total", "rank_world", currency=None)
        if r is None:
            self.note_missing(f"{POS} rank among the world's traders in goods")
            return None
        streak = metrics.get(self.fig, self.year, "total", "consecutive_years_rank1", partner="WLD", currency=None)
        if int(r.value) == 1:
            tail = f", for the {fmt.ordinal(int(streak.value))} year running" if streak is not None else ""
            return f"{WHO} remained the world's largest trader in goods{tail}{self.cite(r, streak)}."
        return f"{WHO} ranked {fmt.ordinal(int(r.value))} among the world's traders in goods{self.cite(r)}."

    def indicator(self, name: str, year: int | None = None) -> Fact | None:
        y = year or self.year
        ind = self.data.indicators
        r = ind[(ind.indicator == name) & (ind.year == y)]
        if r.empty:
            return None
        row = r.iloc[0]
        return Fact(value=float(row.amount), unit=row.unit, label=name, year=y, rows=(int(row.line),),
                    source_ids=tuple(row.source_id.split(";")), note=row.note or "")

    def domestic_market(self) -> str | None:
        pop = self.indicator("population")
        mid = self.indicator("middle_income_population")
        market = self.indicator("consumer_market_size")
        retail = self.indicator("retail_sales_consumer_goods")
        if pop is None and mid is None and market is None and retail is None:
            self.note_missing("Domestic-market context")
            return None
        bits = []
        if pop is not None:
            bits.append(f"a population of {fmt.number(pop.value / 1e9, 2)} billion{self.cite(pop)}")
        if mid is not None:
            bits.append(f"{qualifier(mid)}{fmt.number(mid.value / 1e6, 0)} million middle-income consumers{self.cite(mid)}")
        s = f"{WHO} has " + " and ".join(bits) + "." if bits else ""
        if market is not None:
            s += (f" Its consumer market is worth {qualifier(market)}{fmt.money(market.value, OWN, decimals=0)} a year"
                  f"{self.cite(market)}.")
        if retail is not None:
            s += f" Retail sales of consumer goods came to {fmt.money(retail.value, OWN)}{self.cite(retail)}."
        return s.strip()


    def partner_trade(self, partner: str) -> str | None:
        """Trade with one partner: value, growth and share of the total, then exports and imports. A share or
        contribution names its basis where it differs from the sentence's currency."""
        name = PARTNER_NAMES.get(partner, partner)
        v, g = self.level_and_growth("total", partner=partner)
        sh = metrics.get(self.fig, self.year, "total", "share", partner=partner, currency=self.currency)
        c = metrics.get(self.fig, self.year, "total", "contribution_pp", partner=partner, currency=self.currency)
        if v is None and g is None:
            self.note_missing(f"Trade with {name}")
            return None
        s, tail = self.movement(f"Trade with {name}", v, g)
        here = v.unit if v is not None else (g.basis or self.currency)

        def terms(basis):
            return TERMS[basis] if basis and basis != here else ""

        if sh is not None:
            s += f", {fmt.percent(sh.value, self.dec(sh))} of {POS} total{terms(sh.basis)}{self.cite(sh)}"
        if c is not None:
            s += f", adding {fmt.pp(c.value, self.dec(c))} to the growth of {POS} trade{terms(c.basis)}{self.cite(c)}"
        s += "."
        flows = []
        for flow, word in (("exports", "exports to"), ("imports", "imports from")):
            gf = self.growth(flow, partner=partner)
            if gf is not None:
                flows.append((f"{word} {name} {self.change(gf)}", self.cite(gf), gf.basis))
        if tail and g is not None:
            # the total's rate of the other basis leads the flows of that basis: "In dollar terms, trade with
            # the United States fell 18.7%, exports to ... fell 20% and imports from ... fell 14.6%."
            same = [f for f in flows if f[2] == g.basis]
            rest = [f for f in flows if f[2] != g.basis]
            items = [f"trade with {name} {self.change(g)}{self.cite(g)}"] + [t + c for t, c, _ in same]
            s += f" {TERMS[g.basis].strip().capitalize()}, {fmt.and_list(items)}."
            flows = rest
        if flows:
            bases = {b for _, _, b in flows}
            if len(bases) == 1 and self.terms(next(iter(bases))):
                text = fmt.and_list([t + c for t, c, _ in flows])
                s += f" {self.terms(next(iter(bases))).strip().capitalize()}, {text}."
            else:
                text = fmt.and_list([t + self.terms(b) + c for t, c, b in flows])
                s += f" {text[0].upper()}{text[1:]}."
        rank = metrics.get(self.fig, self.year, "exports", "rank", partner=partner, currency=None)
        if rank is not None and int(rank.value) == 1 and partner != STREAK_PARTNER:
            s += f" As a single country it remained {POS} largest export market{self.cite(rank)}."
        return s

    def enterprises(self) -> str | None:
        bits, apart = [], []
        for e, name in ENTERPRISE_NAMES.items():
            v, g = self.amount("total", enterprise=e), self.growth("total", enterprise=e)
            sh = metrics.get(self.fig, self.year, "total", "share", enterprise=e, currency=self.currency)
            if v is None:
                continue
            b = f"{name} traded {self.money(v)}"
            if g is not None and g.basis in ("", v.unit):  # a rate only beside a level of its own basis
                b += f" ({self.signed(g)})"
            elif g is not None:
                apart.append((name, g))
            if sh is not None:
                b += f", {fmt.percent(sh.value, self.dec(sh))} of the total"
            bits.append(b + self.cite(v, g, sh))
        if not bits:
            self.note_missing("Trade by type of enterprise")
            return None
        s = "; ".join(bits) if len(bits) > 1 else bits[0]
        s = s[0].upper() + s[1:] + "."
        for basis in sorted({g.basis for _, g in apart}):
            items = fmt.and_list([f"trade by {name} {self.change(g)}{self.cite(g)}" for name, g in apart if g.basis == basis])
            s += f" {TERMS[basis].strip().capitalize()}, {items}."
        return s


    def commodities(self) -> str | None:
        bits, rates = [], []
        for p in COMMODITIES:
            vol = metrics.get(self.fig, self.year, "imports", "volume", product=p, currency=None)
            gv = metrics.get(self.fig, self.year, "imports", "growth_yoy_volume", product=p, currency=None)
            if vol is None and gv is None:
                continue
            if vol is None:
                rates.append(f"imports of {PRODUCT_NAMES[p]} {self.change(gv)} in volume{self.cite(gv)}")
                continue
            b = f"{_volume(vol, self.printed(vol))} of {PRODUCT_NAMES[p]}"
            if gv is not None:
                b += f" ({self.signed(gv)} in volume)"
            bits.append(b + self.cite(vol, gv))
        if not bits and not rates:
            self.note_missing("Imports of key commodities")
            return None
        out = f"{WHO} imported " + fmt.and_list(bits) + "." if bits else ""
        if rates:
            r = fmt.and_list(rates)
            out += (" " if out else "") + r[0].upper() + r[1:] + "."
        return out


def ranges(nums: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]; runs of two stay separate numbers."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(nums)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    split = []
    for a, b in out:
        split += [(a, a), (b, b)] if b == a + 1 else [(a, b)]
    return split


def qualifier(f: Fact) -> str:
    """"about " or "more than " where the source gave the figure as approximate or as a lower bound."""
    note = (f.note or "").lower()
    if "lower bound" in note:
        return "more than "
    if "approximate" in note:
        return "about "
    return ""


def f_dec(f: Fact) -> int:
    """Decimals to show for a reported rate: as published (whole numbers stay whole)."""
    return 0 if float(f.value).is_integer() else 1


def compare_flows(exports: float, imports: float) -> str:
    """How exports and imports moved against each other, in words that fit the signs."""
    e, i = fmt.rounded(exports), fmt.rounded(imports)
    if e == i:
        return ""
    hi, lo = ("Exports", "imports") if e > i else ("Imports", "exports")
    g_hi, g_lo = max(e, i), min(e, i)
    if g_lo >= 0:
        return f"{hi} grew faster than {lo}"
    if g_hi > 0:
        return f"{hi} grew while {lo} fell"
    if g_hi == 0:
        return f"{hi} held level while {lo} fell"
    return f"{hi} fell less than {lo}"


def _abs(f: Fact) -> Fact:
    return Fact(abs(f.value), f.unit, f.label, f.year, f.rows, f.source_ids, reported=f.reported, basis=f.basis,
                note=f.note)


COMMODITIES = REPORTER.featured("products", "commodities")
ENTERPRISE_NAMES = REPORTER.enterprise_names


VOLUME_SCALE = {"": 1, "10000": 1e4, "million": 1e6, "billion": 1e9}


def _volume(f: Fact, printed: tuple[str, int] | None = None) -> str:
    """A volume in million or billion tonnes (units), with the decimals its source printed when known
    (111.83 million tonnes stays 111.83, not 111.8; 1.26 billion tonnes stays 1.26)."""
    word = "tonnes" if f.unit == "tonnes" else "units"
    big = f.unit == "tonnes" and f.value >= 1e9
    scale, name = (1e9, "billion") if big else (1e6, "million")
    dec = 2 if (big or word == "units") else 1
    if printed is not None:
        unit, d = printed
        prefix = unit.rsplit(" ", 1)[0] if " " in unit else ""
        if prefix in VOLUME_SCALE:
            dec = max(0, d + round(math.log10(scale / VOLUME_SCALE[prefix])))
    return f"{fmt.number(f.value / scale, dec)} {name} {word}"

