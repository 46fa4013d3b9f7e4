"""The annual briefing's sentences: plain text from Facts, each clause with the facts it cites.

Three pieces make the annual briefing on published figures: :class:`tradelib.annual_figures.AnnualFigures` looks
the figures up (Facts, no text); :class:`Narrator` here words them; :mod:`tradelib.markup` turns the words into
HTML (escaping, citation marks numbered in order of first use, sections, tables, charts).

Every public sentence method of :class:`Narrator` returns a :class:`~tradelib.text.Text` (or a list or pair of
them, or None): plain text, nothing escaped, with anchors that say where each citation mark goes. While a
sentence is being built, :meth:`Narrator.cite` stands in the text as a private-use character that the method
turns into an anchor before it returns; that character never leaves the Narrator. A claim whose figures were not
published returns None and is recorded in ``narrator.missing``; the briefing says which figure is missing and
never invents one.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from . import fmt, metrics, reporter, sources
from .annual_figures import AnnualFigures
from .metrics import Fact
from .sources import Dataset
from .text import Text

REPORTER = reporter.load(sources.FIGURES_REPORTER)  # whose published figures tradelib holds
PARTNER_NAMES = REPORTER.partner_names
PRODUCT_NAMES = REPORTER.product_names
EMERGING = REPORTER.featured("partners", "emerging")
# the publisher's own currency and the other its releases use; the reporter's names and its publisher's
OWN, OTHER = REPORTER.currencies[0], REPORTER.currencies[1]
WHO, POS = REPORTER.name, REPORTER.possessive
PUB_POS = REPORTER.publisher_possessive
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


# Where a citation goes while a sentence is built: one private-use character per cite() call, an index into the
# facts cited so far. The outermost sentence method turns them into Text anchors; none is ever returned.
_CITE = 0xE000
_CITES = 0xF900 - _CITE
_PLACEHOLDER = re.compile("[\ue000-\uf8ff]")


def sentence(method):
    """A public sentence method: built as a string with :meth:`Narrator.cite` placeholders, returned as
    :class:`~tradelib.text.Text` (a list or pair of strings as Texts; None and other objects as they are).
    A sentence method called by another returns its string with placeholders; the outermost one converts."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self._building:
            return method(self, *args, **kwargs)
        self._building, self._cited = True, []
        try:
            return self._texts(method(self, *args, **kwargs))
        finally:
            self._building, self._cited = False, []

    return wrapper


@dataclass
class Narrator:
    """The words of one annual briefing: ``data``'s figures for ``year`` in ``currency``."""

    data: Dataset
    year: int
    currency: str = OWN
    missing: list[str] = field(default_factory=list)
    converted_shown: bool = False
    computed_shown: bool = False
    figures: AnnualFigures = field(init=False, repr=False)
    _building: bool = field(default=False, init=False, repr=False)
    _cited: list[tuple[Fact, ...]] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self):
        self.figures = AnnualFigures(self.data, self.year, self.currency)

    # ---------------------------------------------------------------- plain text and its citations
    def cite(self, *facts: Fact | None) -> str:
        """Where the marks of ``facts`` go, in a sentence being built (a placeholder the sentence method turns
        into an anchor of its Text); "" when no fact is given."""
        kept = tuple(f for f in facts if f is not None)
        if not kept:
            return ""
        if not self._building:
            raise RuntimeError("Narrator.cite() is for sentence methods (decorated with @sentence)")
        if len(self._cited) >= _CITES:
            raise RuntimeError("too many citations in one sentence")
        self._cited.append(kept)
        return chr(_CITE + len(self._cited) - 1)

    def _text(self, s: str) -> Text:
        """A built string as Text: the placeholders taken out, each an anchor at the place it stood."""
        parts, anchors, facts, at = [], [], [], 0
        for m, piece in _pieces(s):
            if m is None:
                parts.append(piece)
                at += len(piece)
                continue
            cited = self._cited[ord(m) - _CITE]
            anchors.append((at, cited))
            facts += [f for f in cited if not any(f is g for g in facts)]
        return Text("".join(parts), facts, anchors)

    def _texts(self, out):
        if isinstance(out, str):
            return self._text(out)
        if isinstance(out, list):
            return [self._texts(o) for o in out]
        if isinstance(out, tuple):
            return tuple(self._texts(o) for o in out)
        return out

    # ---------------------------------------------------------------- words for figures
    @sentence
    def movement(self, subject: str, level: Fact | None, growth: Fact | None) -> tuple[Text, Text]:
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

    def change(self, g: Fact) -> str:
        """"rose 3.8%" with the published precision."""
        return fmt.change_verb(g.value, self.figures.dec(g))

    def signed(self, g: Fact) -> str:
        return fmt.signed_percent(g.value, self.figures.dec(g))

    def terms(self, basis: str) -> str:
        """" in yuan terms" where a rate's basis is not the edition's currency."""
        return TERMS[basis] if basis and basis != self.currency else ""

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
    @sentence
    def headline(self) -> Text | None:
        total = self.figures.amount("total")
        g = self.figures.growth("total")
        if total is None or g is None:
            self.note_missing("Total goods trade or its growth")
            return None
        hist = self.figures.series("total", currency=OWN)
        flags = self.figures.series("total", "record_high", currency=OWN)
        level = self.money(total)
        prev = self.year - 1
        verb = self.change(g)
        same_basis = g.basis in ("", total.unit)
        # a rate of another basis than the level is said in a sentence of its own
        change = (f"The total {verb} on {prev}{self.cite(g)}." if same_basis else
                  f"{TERMS[g.basis].strip().capitalize()}, the total {verb} on {prev}{self.cite(g)}.")
        first = int(hist.index.min())
        highest_held = self.year in hist.index and self.year > first and metrics.is_record(hist, self.year)
        if self.figures.is_published_record():
            reported_record = self.figures.get(self.year, "total", "record_high", currency=OWN)
            crossed = self.figures.total_threshold()
            also = f", above {fmt.money(crossed, OWN, decimals=0)} for the first time" if crossed else ""
            if self.currency == OWN:
                return (f"{POS} trade in goods reached a record {level} in {self.year}{also}"
                        f"{self.cite(total, reported_record)}. {change}")
            yuan = self.figures.get(self.year, "total", currency=OWN)
            return (f"{POS} trade in goods reached {level} in {self.year}{self.cite(total)}. {change} In {fmt.currency_name(OWN)}, "
                    f"{PUB_POS} own currency, the total of {self.money(yuan)}{self.cite(yuan)} was a record"
                    f"{also}{self.cite(reported_record)}.")
        if highest_held and g.value > 0:
            return (f"{POS} trade in goods reached {level} in {self.year}, the highest in the figures held "
                    f"since {first}{self.cite(total)}. {change}")
        if same_basis:
            parts = [f"{POS} trade in goods totalled {level} in {self.year}, "
                     f"{fmt.up_down(g.value, self.figures.dec(g))} on {prev}{self.cite(total, g)}."]
        else:
            parts = [f"{POS} trade in goods totalled {level} in {self.year}{self.cite(total)}.", change]
        peak_year = metrics.previous_peak(hist, self.year) if self.year in hist.index else None
        if peak_year is not None:
            peak = self.figures.get(peak_year, "total", currency=OWN)
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
    @sentence
    def main_points(self, n: int = MAIN_POINTS) -> list[Text]:
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
        for cur in (self.currency, self.figures.other_currency):
            rec = self.figures.balance_record(cur)
            b = self.figures.get(self.year, "balance", "value", currency=cur)
            if rec is None or b is None:
                continue
            crossed = self.figures.balance_threshold(cur)
            word = "surplus" if b.value >= 0 else "deficit"
            lead = "" if cur == self.currency else TERMS[cur].strip().capitalize() + ", "
            text = (f"{lead}{POS} trade {word} reached a record {self.money(_abs(b))}"
                    + (f", above {fmt.money(crossed, cur, decimals=0)} for the first time" if crossed else "")
                    + f"{self.cite(b, rec)}.")
            return NEWS_RULES["record balance"] + (NEWS_RULES["first time above a round amount"] if crossed else 0), text
        return None

    def _news_total(self) -> tuple[float, str] | None:
        total, g = self.figures.amount("total"), self.figures.growth("total")
        if total is None or g is None:
            return None
        change = (f", {fmt.up_down(g.value, self.figures.dec(g))} on {self.year - 1}{self.terms(g.basis)}")
        if self.figures.is_published_record():
            crossed = self.figures.total_threshold()
            rec = self.figures.get(self.year, "total", "record_high", currency=OWN)
            also = f", above {fmt.money(crossed, OWN, decimals=0)} for the first time" if crossed else ""
            score = NEWS_RULES["record total"] + (NEWS_RULES["first time above a round amount"] if crossed else 0)
            if self.currency == OWN:
                return score, (f"Trade in goods reached a record {self.money(total)}{also}{change}"
                               f"{self.cite(total, g, rec)}.")
            yuan = self.figures.get(self.year, "total", currency=OWN)
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
            g = self.figures.growth("total", partner=p)
            if g is None:
                continue
            # news is a partner moving apart from the total: trade with one partner up 20% is no story in a
            # year when all trade rose 21%; the total's growth is taken in the partner's basis
            total = self.figures.get(self.year, "total", "growth_yoy", currency=g.basis or self.currency)
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
            f = self.figures.streak("exports", p)
            before = self.figures.get(self.year - 1, "exports", "rank", partner=p, currency=None)
            # "became" needs the year before on record with another rank, not merely no figure for it
            if f is not None and int(f.value) == 1 and before is not None and int(before.value) != 1:
                return NEWS_RULES["a new largest export market"], (
                    f"{PARTNER_NAMES[p][0].upper()}{PARTNER_NAMES[p][1:]} became {POS} largest export market"
                    f"{self.cite(f)}.")
        return None

    def _news_flows(self) -> list[tuple[float, str]]:
        out = []
        for flow in ("exports", "imports"):
            level, g = self.figures.level_and_growth(flow)
            if g is None or level is None or abs(g.value) < FLOW_SHIFT_PCT or g.basis not in ("", level.unit):
                continue
            out.append((NEWS_RULES["exports or imports moving"] + abs(g.value),
                        f"{flow.capitalize()} {self.change(g)} to {self.money(level)}{self.cite(g, level)}."))
        return out

    @sentence
    def other_currency_total(self) -> Text | None:
        other = self.figures.other_currency
        f = self.figures.get(self.year, "total", "value", currency=other)
        if f is None:
            return None
        return fmt.money(f.value, other) + self.cite(f)

    @sentence
    def exports_imports(self) -> Text | None:
        """Exports and imports, each with its growth where published in the same basis as its level."""
        e, ge = self.figures.level_and_growth("exports")
        i, gi = self.figures.level_and_growth("imports")
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

    @sentence
    def balance_sentences(self) -> Text | None:
        """The trade balance: its size, the year before, a published record and a round threshold first passed.

        A record published only in the other currency is given once, as such.
        """
        b = self.figures.balance() or self.figures.amount("balance")
        if b is None:
            self.note_missing("The trade balance")
            return None
        word = "surplus" if b.value >= 0 else "deficit"
        prev = self.figures.balance(self.year - 1) or self.figures.amount("balance", year=self.year - 1)
        rec = self.figures.balance_record(b.unit)
        s = f"The trade {word} {'reached a record' if rec else 'came to'} {self.money(_abs(b))}"
        crossed = self.figures.balance_threshold(b.unit) if rec else None
        if crossed:
            s += f", above {fmt.money(crossed, b.unit, decimals=0)} for the first time"
        if prev is not None and (prev.value >= 0) == (b.value >= 0):
            s += f", {'up' if abs(b.value) > abs(prev.value) else 'down'} from {self.money(_abs(prev))} in {self.year - 1}"
        s += self.cite(b, rec, prev) + "."
        other = self.figures.other_currency
        other_rec = self.figures.balance_record(other)
        ob = self.figures.get(self.year, "balance", "value", currency=other)
        if not rec and other_rec is not None and ob is not None:
            crossed = self.figures.balance_threshold(other)
            s += (f" In {fmt.currency_name(other).replace('US dollars', 'dollar')} terms it was a record "
                  f"{fmt.money(abs(ob.value), other)}"
                  + (f", above {fmt.money(crossed, other, decimals=0)} for the first time" if crossed else "")
                  + f"{self.cite(ob, other_rec)}.")
        return s

    @sentence
    def product_exports(self, product: str, *, with_share: bool = True, compare: bool = True) -> Text | None:
        name = PRODUCT_NAMES.get(product, product.lower().replace("_", " "))
        v, g = self.figures.level_and_growth("exports", product=product)
        if g is None and v is None:
            self.note_missing(f"Exports of {name}")
            return None
        s, tail = self.movement(f"Exports of {name}", v, g)
        if v is not None:
            total = self.figures.get(self.year, "exports", "value", currency=v.unit) if with_share else None
            if total is not None:
                s += f", {fmt.percent(metrics.share_fact(v, total).value)} of all exports"
        if g is not None and compare:
            tg = self.figures.comparable_total_growth(g)
            if tg is not None and g.value > tg.value:
                ahead = "well ahead of" if g.value > WELL_AHEAD * max(tg.value, 0.1) else "faster than"
                s += f", {ahead} total exports ({self.signed(tg)}{self.terms(tg.basis)})"
        return s + "." + (" " + tail if tail else "")

    @sentence
    def product_paragraph(self, products) -> Text | None:
        """Product groups' exports, then one comparison with total exports for those that grew faster."""
        sentences, faster = [], []
        for p in products:
            t = self.product_exports(p, compare=False)
            if t is None:
                continue
            sentences.append(t)
            _, g = self.figures.level_and_growth("exports", product=p)
            tg = self.figures.comparable_total_growth(g) if g is not None else None
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

    @sentence
    def belt_and_road(self) -> Text | None:
        """Exports to Belt and Road partner countries; a published contribution with the growth it is part of,
        both in the basis it was computed on."""
        g = self.figures.growth("exports", partner=BELT_AND_ROAD)
        c = self.figures.get(self.year, "exports", "contribution_pp", partner=BELT_AND_ROAD, currency=self.currency)
        if g is None:
            self.note_missing("Growth of exports to Belt and Road partner countries")
            return None
        s = f"Exports to Belt and Road partner countries {self.change(g)}{self.terms(g.basis)}{self.cite(g)}"
        if c is not None:
            tg = self.figures.comparable_total_growth(c)
            if tg is not None and tg.basis == c.basis:
                same = c.basis == g.basis
                s += (f", contributing {fmt.pp(c.value, self.figures.dec(c))} of the {fmt.percent(tg.value, self.figures.dec(tg))} "
                      f"growth of total exports" + ("" if same else self.terms(c.basis)) + self.cite(c, tg))
        return s + "."

    @sentence
    def export_market_streak(self, partner: str = STREAK_PARTNER) -> Text | None:
        f = self.figures.streak("exports", partner)
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

    @sentence
    def emerging_markets(self) -> Text | None:
        """Exports to Latin America, the Middle East, Central Asia and Africa against total exports.

        The release's own statement that a market grew faster than the total (measure growth_above_total)
        is used as stated, with the total's growth in the statement's basis; published growth rates are
        compared with the total in their own basis (like with like), each basis named once.
        """
        faster, slower, rates, bases = [], [], [], set()
        for p in EMERGING:
            stated = self.figures.get(self.year, "exports", "growth_above_total", partner=p)
            g = self.figures.growth("exports", partner=p)
            ref = self.figures.comparable_total_growth(g) if g is not None else None
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
        tg = self.figures.get(self.year, "exports", "growth_yoy", currency=basis) if basis else None
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
                  f"against {fmt.percent(ref.value, self.figures.dec(ref))} for all exports{self.cite(ref)}.")
        return s

    @sentence
    def world_share(self, flow: str = "imports") -> Text | None:
        f = self.figures.get(self.year, flow, "share_world", currency=None)
        if f is None:
            self.note_missing(f"{POS} share of world {flow}")
            return None
        return (f"{POS} {flow} accounted for {qualifier(f)}{fmt.percent(f.value, f_dec(f))} of world {flow}"
                f"{self.cite(f)}.")

    @sentence
    def world_rank(self) -> Text | None:
        r = self.figures.get(self.year, "total", "rank_world", currency=None)
        if r is None:
            self.note_missing(f"{POS} rank among the world's traders in goods")
            return None
        streak = self.figures.get(self.year, "total", "consecutive_years_rank1", partner="WLD", currency=None)
        if int(r.value) == 1:
            tail = f", for the {fmt.ordinal(int(streak.value))} year running" if streak is not None else ""
            return f"{WHO} remained the world's largest trader in goods{tail}{self.cite(r, streak)}."
        return f"{WHO} ranked {fmt.ordinal(int(r.value))} among the world's traders in goods{self.cite(r)}."

    @sentence
    def domestic_market(self) -> Text | None:
        pop = self.figures.indicator("population")
        mid = self.figures.indicator("middle_income_population")
        market = self.figures.indicator("consumer_market_size")
        retail = self.figures.indicator("retail_sales_consumer_goods")
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


    @sentence
    def partner_trade(self, partner: str) -> Text | None:
        """Trade with one partner: value, growth and share of the total, then exports and imports. A share or
        contribution names its basis where it differs from the sentence's currency."""
        name = PARTNER_NAMES.get(partner, partner)
        v, g = self.figures.level_and_growth("total", partner=partner)
        sh = self.figures.get(self.year, "total", "share", partner=partner, currency=self.currency)
        c = self.figures.get(self.year, "total", "contribution_pp", partner=partner, currency=self.currency)
        if v is None and g is None:
            self.note_missing(f"Trade with {name}")
            return None
        s, tail = self.movement(f"Trade with {name}", v, g)
        here = v.unit if v is not None else (g.basis or self.currency)

        def terms(basis):
            return TERMS[basis] if basis and basis != here else ""

        if sh is not None:
            s += f", {fmt.percent(sh.value, self.figures.dec(sh))} of {POS} total{terms(sh.basis)}{self.cite(sh)}"
        if c is not None:
            s += f", adding {fmt.pp(c.value, self.figures.dec(c))} to the growth of {POS} trade{terms(c.basis)}{self.cite(c)}"
        s += "."
        flows = []
        for flow, word in (("exports", "exports to"), ("imports", "imports from")):
            gf = self.figures.growth(flow, partner=partner)
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
        rank = self.figures.get(self.year, "exports", "rank", partner=partner, currency=None)
        if rank is not None and int(rank.value) == 1 and partner != STREAK_PARTNER:
            s += f" As a single country it remained {POS} largest export market{self.cite(rank)}."
        return s

    @sentence
    def enterprises(self) -> Text | None:
        bits, apart = [], []
        for e, name in ENTERPRISE_NAMES.items():
            v, g = self.figures.amount("total", enterprise=e), self.figures.growth("total", enterprise=e)
            sh = self.figures.get(self.year, "total", "share", enterprise=e, currency=self.currency)
            if v is None:
                continue
            b = f"{name} traded {self.money(v)}"
            if g is not None and g.basis in ("", v.unit):  # a rate only beside a level of its own basis
                b += f" ({self.signed(g)})"
            elif g is not None:
                apart.append((name, g))
            if sh is not None:
                b += f", {fmt.percent(sh.value, self.figures.dec(sh))} of the total"
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


    @sentence
    def commodities(self) -> Text | None:
        bits, rates = [], []
        for p in COMMODITIES:
            vol = self.figures.get(self.year, "imports", "volume", product=p, currency=None)
            gv = self.figures.get(self.year, "imports", "growth_yoy_volume", product=p, currency=None)
            if vol is None and gv is None:
                continue
            if vol is None:
                rates.append(f"imports of {PRODUCT_NAMES[p]} {self.change(gv)} in volume{self.cite(gv)}")
                continue
            b = f"{_volume(vol, self.figures.printed(vol))} of {PRODUCT_NAMES[p]}"
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

    # ---------------------------------------------------------------- the outlook
    def outlook(self, low: float | None = None, high: float | None = None, horizon: int = 5,
                coverage: float = 0.8, backtest_years: int = 3) -> Outlook | None:
        """Scenario paths for exports, the statistical baseline with its interval and its backtest, in words,
        with what the fan chart draws; None where too few years of exports were published for an outlook."""
        from . import outlook

        lo, hi = self.figures.outlook_range(low, high)
        history = pd.Series({y: f.value for y in range(self.year - 20, self.year + 1)
                             if (f := self.figures.amount("exports", year=y)) is not None})
        hist_facts = [self.figures.amount("exports", year=y) for y in history.index]
        if len(history) < outlook.MIN_HISTORY:
            return None
        self._building, self._cited = True, []
        try:
            return self._outlook(outlook, lo, hi, history, hist_facts, horizon, coverage, backtest_years)
        finally:
            self._building, self._cited = False, []

    def _outlook(self, outlook, lo, hi, history, hist_facts, horizon, coverage, backtest_years) -> Outlook:
        base = outlook.baseline(history, horizon=horizon, coverage=coverage)
        end = self.year + horizon
        last = hist_facts[-1]
        paragraphs = []
        scen = None
        if lo is not None and hi is not None:
            outlook.check_range(lo.value, hi.value)
            scen = outlook.scenarios(last.value, lo.value, hi.value, self.year, horizon)
            who = f" ({lo.note})" if lo.note else ""
            source = self.cite(lo, hi)
            paragraphs.append(
                f"At {fmt.number(lo.value, f_dec(lo))}–{fmt.percent(hi.value, f_dec(hi))} a year{who}{source}, exports "
                f"would grow from {self.money(last)} in {self.year}{self.cite(last)} to between "
                f"{fmt.money(scen['low'].iloc[-1], last.unit)} and {fmt.money(scen['high'].iloc[-1], last.unit)} "
                f"by {end}. The range assumes a constant rate each year and no change in the exchange rate.")
        g = metrics.cagr(float(history.iloc[0]), float(history.iloc[-1]), int(history.index[-1] - history.index[0]))
        until = self.year - backtest_years
        bt = outlook.backtest(history, until, coverage) if until - int(history.index[0]) + 1 >= 6 else None
        # a baseline that missed most published values when tested on earlier years is a trend line, not a forecast
        failed = bt is not None and bt.covered < len(bt.table) / 2
        what = ("Carried forward, the trend of" if failed else "The statistical baseline carries forward the trend of")
        paragraphs.append(
            f"{what} {int(history.index[0])}–{self.year} "
            f"(on average {fmt.percent(g)} a year) {'would give' if failed else 'gives'} exports of "
            f"{fmt.money(base.forecast['mean'].iloc[-1], last.unit)} by {end}"
            + ("" if failed else
               f", with {_a(coverage)} {int(coverage * 100)}% prediction interval from "
               f"{fmt.money(base.forecast['lower'].iloc[-1], last.unit)} to "
               f"{fmt.money(base.forecast['upper'].iloc[-1], last.unit)}")
            + (f". The scenario range lies {_position(scen, base)}" if scen is not None and not failed else "") + "."
            + (f" Tested on {until + 1}–{self.year}, the same method left {len(bt.table) - bt.covered} of "
               f"{len(bt.table)} published values outside its {int(coverage * 100)}% interval, so it is shown as a "
               "trend, not a forecast." if failed else ""))
        caption = f"Exports, {int(history.index[0])}–{self.year}, and the outlook to {end}"
        converted = sorted({f.year for f in hist_facts if not f.reported and f.note.startswith("converted")})
        if converted:
            self.converted_shown = True
            caption += "; " + ", ".join(map(str, converted)) + " converted at the average rate*"
        alt = (f"{caption}. Published exports: " + ", ".join(f"{int(y)} {fmt.money(v, last.unit)}" for y, v in history.items())
               + (f". Scenario range, {fmt.number(lo.value, f_dec(lo))}–{fmt.percent(hi.value, f_dec(hi))} a year: "
                  f"{fmt.money(scen['low'].iloc[-1], last.unit)} to {fmt.money(scen['high'].iloc[-1], last.unit)} by {end}"
                  if scen is not None else "")
               + (f". Trend of the history carried forward: {fmt.money(base.forecast['mean'].iloc[-1], last.unit)} by {end}"
                  if failed else
                  f". Baseline: {fmt.money(base.forecast['mean'].iloc[-1], last.unit)} by {end}, {int(coverage * 100)}% "
                  f"interval {fmt.money(base.forecast['lower'].iloc[-1], last.unit)} to "
                  f"{fmt.money(base.forecast['upper'].iloc[-1], last.unit)}") + ".")
        tested = None
        if bt is not None and not failed:
            rows = "; ".join(f"{y}: forecast {fmt.money(r.forecast, last.unit)}, published {fmt.money(r.actual, last.unit)} "
                             f"({fmt.signed_percent(r.error_pct)})" for y, r in bt.table.iterrows())
            tested = Text(f"Tested on earlier years: the same method fitted on {int(history.index[0])}–{until} "
                          f"forecast {rows}; mean absolute error {fmt.percent(bt.mape)}, {bt.covered} of {len(bt.table)} "
                          f"published values inside the {int(coverage * 100)}% interval.")
        return Outlook(self._text(" ".join(paragraphs)), tested, history, scen, base.forecast, last.unit, coverage,
                       not failed, caption, alt, hist_facts + [lo, hi])

    # ---------------------------------------------------------------- about this briefing
    def about(self) -> list[Text]:
        """"About this briefing": what the figures are, their vintage, the currency, the sources policy, what
        the briefing does not cover (and the data set, where one was supplied)."""
        cur = fmt.currency_name(self.currency)
        other = fmt.currency_name(self.figures.other_currency)
        terms = fmt.terms(self.figures.other_currency).strip()
        rep = REPORTER
        fig = self.figures.fig
        own = fig.loc[fig.year == self.year, "vintage"]
        vintage = self.data.vintage or (str(own.max()) if not own.empty else self.data.release_date)
        paras = [
            f"This briefing describes {rep.possessive} trade in goods in {self.year} from the figures {rep.publisher} "
            f"published for the year, as released and reported up to {vintage}: "
            f"levels and growth rates as published ({rep.publisher_short} compute growth on their revised figures for "
            "the year before), with ranks, shares and statements the releases made.",
            f"All figures are in {cur} where they were published in {cur}. A figure published only in {other} is "
            f"given as such and marked “{terms}”; it is never set against a rate of the other currency.",
            f"Each figure cites the page of its official publisher ({rep.official_publishers}) or of a news "
            "organisation where it was seen. Copies of those pages on other sites are not cited; a figure found only "
            "on such sites is left out.",
            "Not covered: trade in services, monthly and provincial figures, and price and volume indices. The "
            f"outlook is a projection from published figures, not a forecast by {rep.publisher_short}.",
        ]
        used = sources.describe_files(self.data.files)
        if used != "all files as bundled with tradelib":
            paras.append(f"This edition was computed from a data set supplied for it: {used}.")
        return [Text(p) for p in paras]

    def about_marks(self) -> list[Text]:
        """What the marks beside amounts mean (* converted, † computed), for the marks the briefing used."""
        marks = []
        if self.converted_shown:
            marks.append(f"* Converted from the published figure at the year's average exchange rate "
                         f"({fmt.currency_name(OWN)} per US dollar, from the sources listed).")
        if self.computed_shown:
            marks.append("† Not published; computed as exports minus imports from the published figures.")
        return [Text(m) for m in marks]

    def revised_base(self) -> Text | None:
        """The year's growth rates that the customs computed on a revised prior-year figure, in words."""
        out = []
        for f in self.data.flags:
            if f.year != self.year:
                continue
            what = {"total": "Total trade", "exports": "Exports", "imports": "Imports", "balance": "The balance"}[f.flow]
            if f.product != "ALL":
                what += " of " + PRODUCT_NAMES.get(f.product, f.product)
            if f.partner != "WLD":
                what += " with " + PARTNER_NAMES.get(f.partner, f.partner)
            if f.enterprise != "ALL":
                what += " by " + ENTERPRISE_NAMES.get(f.enterprise, f.enterprise)
            out.append(f"{what}, in {fmt.currency_name(f.currency)}: reported {fmt.signed_percent(f.reported)}, "
                       f"against {fmt.signed_percent(f.computed, 2)} on the levels as first published for "
                       f"{f.year - 1} and {f.year}")
        if not out:
            return None
        return Text(f"Growth rates {REPORTER.publisher_short} computed on a revised figure for the year before: "
                    + "; ".join(out) + ".")


@dataclass
class Outlook:
    """The outlook in words (``text``, and ``tested``: the baseline's backtest where it passed) and what its fan
    chart draws: the published ``history``, the ``scenarios`` (or None) and the baseline ``forecast``."""

    text: Text
    tested: Text | None
    history: pd.Series
    scenarios: pd.DataFrame | None
    forecast: pd.DataFrame
    unit: str
    coverage: float
    interval: bool          # False where the baseline failed its backtest: drawn as a trend, without interval
    caption: str
    alt: str
    facts: list


def _a(coverage: float) -> str:
    return "an" if str(int(coverage * 100)).startswith(("8", "11", "18")) else "a"


def _position(scen, base) -> str:
    """Where the scenario range ends up against the baseline, in words."""
    lo, hi = float(scen["low"].iloc[-1]), float(scen["high"].iloc[-1])
    b_lo, b_mean, b_hi = (float(base.forecast[c].iloc[-1]) for c in ("lower", "mean", "upper"))
    if hi < b_lo:
        return "below the baseline's interval: the projection expects a clear break from the past trend"
    if lo > b_hi:
        return "above the baseline's interval: the projection expects faster growth than the past trend"
    if hi < b_mean:
        return "below the baseline's central path but within its interval: slower growth than the past trend"
    if lo > b_mean:
        return "above the baseline's central path but within its interval"
    return "around the baseline's central path"


def _pieces(s: str):
    """(None, text) and (placeholder, "") pieces of a built string, in order."""
    at = 0
    for m in _PLACEHOLDER.finditer(s):
        if m.start() > at:
            yield None, s[at:m.start()]
        yield m.group(), ""
        at = m.end()
    if at < len(s):
        yield None, s[at:]


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

