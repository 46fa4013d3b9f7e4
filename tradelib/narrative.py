"""Sentences from Facts. Each sentence carries footnote references to the sources of its numbers.

A :class:`Narrator` holds the data, the year and the currency of one briefing and a :class:`Citations`
registry that numbers sources in order of first use, so that the sources section at the end lists them
with the same numbers. A claim whose figures were not published returns None and is recorded in
``narrator.missing``; the briefing says which figure is missing and never invents one.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from . import fmt, metrics
from .metrics import Fact
from .sources import Dataset

PARTNER_NAMES = {
    "WLD": "the world", "ASEAN": "ASEAN", "EU": "the European Union", "USA": "the United States",
    "BRI": "Belt and Road partner countries", "LATAM": "Latin America", "AFRICA": "Africa",
    "CENTRAL_ASIA": "Central Asia", "MIDDLE_EAST": "the Middle East", "JPN": "Japan", "KOR": "South Korea",
    "RUS": "Russia", "HKG": "Hong Kong",
}
PRODUCT_NAMES = {
    "HIGH_TECH": "high-tech products", "MECH_ELEC": "mechanical and electrical products",
    "NEW_TRIO": "the \u201cnew trio\u201d (electric vehicles, lithium-ion batteries and photovoltaic products)",
    "EV": "electric vehicles", "LI_BATTERY": "lithium-ion batteries", "PV": "photovoltaic products",
    "WIND_TURBINES": "wind turbines", "LABOUR_INTENSIVE": "labour-intensive products",
    "AUTOMOBILES": "automobiles", "INTEGRATED_CIRCUITS": "integrated circuits", "CRUDE_OIL": "crude oil",
    "IRON_ORE": "iron ore", "SOYBEANS": "soybeans", "NATURAL_GAS": "natural gas", "COAL": "coal",
}
EMERGING = ("LATAM", "MIDDLE_EAST", "CENTRAL_ASIA", "AFRICA")
ROUND_THRESHOLD_STEP = 5e12  # yuan: "above 45 trillion yuan for the first time" names multiples of 5 trillion
WELL_AHEAD = 2  # a group growing more than twice as fast as the total is "well ahead of" it
PARTNER_GROUPS = ("BRI", "ASEAN", "EU", "USA", "LATAM", "AFRICA", "CENTRAL_ASIA", "MIDDLE_EAST", "RUS", "JPN", "KOR",
                  "HKG")
EXPORT_GROUPS = ("HIGH_TECH", "MECH_ELEC", "NEW_TRIO", "WIND_TURBINES", "LABOUR_INTENSIVE", "AUTOMOBILES",
                 "INTEGRATED_CIRCUITS")
SHORT_PRODUCT_NAMES = {"HIGH_TECH": "High-tech", "MECH_ELEC": "Mechanical & electrical", "NEW_TRIO": "New trio",
                       "WIND_TURBINES": "Wind turbines", "LABOUR_INTENSIVE": "Labour-intensive",
                       "AUTOMOBILES": "Automobiles", "INTEGRATED_CIRCUITS": "Integrated circuits",
                       "EQUIPMENT_MFG": "Equipment manufacturing"}


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
            lines.append(f'<p class="source" id="src-{n}">[{n}] {html.escape(s["publisher"])}, '
                         f'\u201c{html.escape(s["title"])}\u201d{pub}, '
                         f'<a href="{html.escape(s["url"])}">{html.escape(s["url"])}</a> '
                         f'(accessed {html.escape(s["accessed"])}).</p>')
        return "\n".join(lines)


@dataclass
class Narrator:
    data: Dataset
    year: int
    currency: str = "CNY"
    citations: Citations | None = None
    missing: list[str] = field(default_factory=list)
    converted_shown: bool = False
    computed_shown: bool = False

    def __post_init__(self):
        if self.currency not in ("CNY", "USD"):
            raise ValueError(f"unknown currency {self.currency!r}; use CNY or USD")
        if self.citations is None:
            self.citations = Citations(self.data.sources)

    # ---------------------------------------------------------------- look-ups
    @property
    def fig(self) -> pd.DataFrame:
        return self.data.figures

    @property
    def other_currency(self) -> str:
        return "USD" if self.currency == "CNY" else "CNY"

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
        """A level and its growth in one currency basis: the briefing's where its growth rate is published,
        else the basis the growth rate was published in (with the level in that currency where published)."""
        g = self.growth(flow, **kw)
        if g is None or g.basis in ("", self.currency):
            return self.amount(flow, **kw), g
        level = metrics.get(self.fig, self.year, flow, "value", currency=g.basis, **kw)
        return (level if level is not None else self.amount(flow, **kw)), g

    def movement(self, subject: str, level: Fact | None, growth: Fact | None) -> str:
        """"<subject> rose 13.2% to 5.25 trillion yuan", worded so that a rate and a level in different
        currencies are not joined by "to"; footnote marks for both."""
        s = subject
        if growth is not None:
            s += f" {fmt.change_verb(growth.value)}{self.basis_words(growth, level)}"
        if level is not None:
            if growth is None:
                s += f" came to {self.money(level)}"
            elif growth.basis in ("", level.unit):
                s += f" to {self.money(level)}"
            else:
                s += f", reaching {self.money(level)}"
        return s + self.cite(growth, level)

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
            return " in yuan terms" if g.basis == "CNY" else " in dollar terms"
        return ""

    def cite(self, *facts: Fact | None) -> str:
        return self.citations.mark(*facts)

    def note(self, text: str) -> None:
        """A note for the sources-and-notes section."""
        if text not in self.missing:
            self.missing.append(text)

    def note_missing(self, what: str) -> None:
        what = what if what.startswith("China") else what[0].lower() + what[1:]
        msg = f"Not found in the published figures held for {self.year}: {what}"
        if msg not in self.missing:
            self.missing.append(msg)

    # ---------------------------------------------------------------- sentences
    def is_published_record(self) -> bool:
        """True where the release itself calls the year's total a record (measure record_high)."""
        f = metrics.get(self.fig, self.year, "total", "record_high", currency="CNY")
        return f is not None and f.value == 1

    def headline(self) -> str | None:
        total = self.amount("total")
        g = self.growth("total")
        if total is None or g is None:
            self.note_missing("Total goods trade or its growth")
            return None
        hist = metrics.series(self.fig, "total", currency="CNY")
        flags = metrics.series(self.fig, "total", "record_high", currency="CNY")
        other = self.other_currency_total()
        level = self.money(total) + (f" ({other})" if other else "")
        prev = self.year - 1
        verb = fmt.change_verb(g.value)
        first = int(hist.index.min())
        highest_held = self.year in hist.index and self.year > first and metrics.is_record(hist, self.year)
        if self.is_published_record():
            reported_record = metrics.get(self.fig, self.year, "total", "record_high", currency="CNY")
            crossed = metrics.threshold_first_crossed(hist, self.year, ROUND_THRESHOLD_STEP,
                                                      record_years=flags[flags == 1].index)
            also = f", above {fmt.money(crossed, 'CNY', decimals=0)} for the first time" if crossed else ""
            change = f"The total {verb} on {prev}{self.basis_words(g)}{self.cite(total, g)}."
            if self.currency == "CNY":
                return (f"China's trade in goods reached a record {level} in {self.year}{also}"
                        f"{self.cite(reported_record)}. {change}")
            yuan = metrics.get(self.fig, self.year, "total", currency="CNY")
            return (f"China's trade in goods reached {self.money(total)} in {self.year}{self.cite(total)}. In yuan, "
                    f"the customs' own currency, the total of {self.money(yuan)}{self.cite(yuan)} was a record"
                    f"{also}{self.cite(reported_record)}. {change}")
        if highest_held and g.value > 0:
            return (f"China's trade in goods reached {level} in {self.year}, the highest in the figures held "
                    f"since {first}{self.cite(total)}. The total {verb} on {prev}{self.basis_words(g)}{self.cite(g)}.")
        parts = [f"China's trade in goods totalled {level} in {self.year}, {fmt.up_down(g.value)} on "
                 f"{prev}{self.basis_words(g)}{self.cite(total, g)}."]
        peak_year = metrics.previous_peak(hist, self.year) if self.year in hist.index else None
        if peak_year is not None:
            peak = metrics.get(self.fig, peak_year, "total", currency="CNY")
            record_word = "record " if peak_year in flags[flags == 1].index else ""
            if g.value > 0 and peak_year == prev:
                parts.append(f"The customs computed that change on a revised figure for {prev}; on the figures "
                             f"as first published, the total stayed below the {fmt.money(peak.value, 'CNY')} "
                             f"of {peak_year}{self.cite(peak)}.")
            else:
                parts.append(f"The total stayed below the {record_word}{fmt.money(peak.value, 'CNY')} of "
                             f"{peak_year}{self.cite(peak)}.")
        return " ".join(parts)

    def other_currency_total(self) -> str | None:
        other = self.other_currency
        f = metrics.get(self.fig, self.year, "total", "value", currency=other)
        if f is None:
            return None
        return fmt.money(f.value, other) + self.cite(f)

    def exports_imports(self) -> str | None:
        e, i = self.amount("exports"), self.amount("imports")
        ge, gi = self.growth("exports"), self.growth("imports")
        b = self.balance()
        if None in (e, i, ge, gi):
            self.note_missing("Exports or imports")
            return None
        s = (f"Exports {fmt.change_verb(ge.value)}{self.basis_words(ge)} to {self.money(e)}{self.cite(e, ge)}, "
             f"and imports {fmt.change_verb(gi.value)}{self.basis_words(gi)} to {self.money(i)}{self.cite(i, gi)}")
        if b is not None:
            word = "surplus" if b.value >= 0 else "deficit"
            size = Fact(abs(b.value), b.unit, b.label, b.year, reported=b.reported, note=b.note)
            s += f", leaving a trade {word} of {self.money(size)}{self.cite(b)}"
        contrast = compare_flows(ge.value, gi.value)
        return s + (f". {contrast}." if contrast else ".")

    def product_exports(self, product: str, *, with_share: bool = True) -> str | None:
        name = PRODUCT_NAMES.get(product, product.lower().replace("_", " "))
        v, g = self.level_and_growth("exports", product=product)
        if g is None and v is None:
            self.note_missing(f"Exports of {name}")
            return None
        s = self.movement(f"Exports of {name}", v, g)
        if v is not None:
            total = metrics.get(self.fig, self.year, "exports", "value", currency=v.unit) if with_share else None
            if total is not None:
                s += f", {fmt.percent(metrics.share_fact(v, total).value)} of all exports"
        if g is not None:
            tg = self.comparable_total_growth(g)
            if tg is not None and g.value > tg.value:
                ahead = "well ahead of" if g.value > WELL_AHEAD * max(tg.value, 0.1) else "faster than"
                s += f", {ahead} total exports ({fmt.signed_percent(tg.value)})"
        return s + "."

    def belt_and_road(self) -> str | None:
        g = self.growth("exports", partner="BRI")
        c = metrics.get(self.fig, self.year, "exports", "contribution_pp", partner="BRI", currency=self.currency)
        if g is None:
            self.note_missing("Growth of exports to Belt and Road partner countries")
            return None
        s = f"Exports to Belt and Road partner countries {fmt.change_verb(g.value)}{self.basis_words(g)}"
        if c is not None:
            s += f", contributing {fmt.pp(c.value)} to the growth of total exports"
            tg = self.growth("exports")
            if tg is not None and tg.value > 0:
                s += f" ({fmt.percent(tg.value)})"
        return s + self.cite(g, c) + "."

    def export_market_streak(self, partner: str = "ASEAN") -> str | None:
        f = metrics.streak_fact(self.fig, self.year, "exports", partner)
        name = PARTNER_NAMES.get(partner, partner)
        if f is None:
            self.note_missing(f"The rank of {name} among China's export markets")
            return None
        n = int(f.value)
        if n == 0:
            return f"{name} was not China's largest export market in {self.year}{self.cite(f)}."
        if n == 1:
            return f"{name} became China's largest export market in {self.year}{self.cite(f)}."
        return f"{name} was China's largest export market for the {fmt.ordinal(n)} consecutive year{self.cite(f)}."

    def comparable_total_growth(self, g: Fact, flow: str = "exports") -> Fact | None:
        """China's growth for ``flow`` in the same currency basis as ``g`` (like is compared with like)."""
        return metrics.get(self.fig, self.year, flow, "growth_yoy", currency=g.basis or self.currency)

    def emerging_markets(self) -> str | None:
        """Exports to Latin America, the Middle East, Central Asia and Africa against total exports.

        Uses the growth rates where published (compared in the same currency basis as the total) and the
        release's own statement that a market grew faster than the total (measure growth_above_total).
        """
        tg = self.growth("exports")
        faster, slower, rates = [], [], []
        for p in EMERGING:
            stated = metrics.get(self.fig, self.year, "exports", "growth_above_total", partner=p)
            g = self.growth("exports", partner=p)
            ref = self.comparable_total_growth(g) if g is not None else None
            if g is not None and ref is not None:
                rates.append((p, g, ref))
                (faster if metrics.faster_than(g.value, ref.value) else slower).append((p, g if stated is None else stated))
            elif stated is not None:
                (faster if stated.value == 1 else slower).append((p, stated))
        if tg is None or not (faster or slower):
            self.note_missing("Growth of exports to emerging markets")
            return None

        def names(items):
            return _join([PARTNER_NAMES[p] + self.cite(f) for p, f in items])

        parts = []
        if faster:
            every = " all" if len(faster) > 2 else ""
            parts.append(f"Exports to {names(faster)}{every} grew faster than total exports "
                         f"({fmt.signed_percent(tg.value)}{self.basis_words(tg)}{self.cite(tg)})")
        if slower:
            parts.append(f"exports to {names(slower)} grew no faster" if faster else
                         f"Exports to {names(slower)} grew no faster than total exports "
                         f"({fmt.signed_percent(tg.value)}{self.cite(tg)})")
        s = ", while ".join(parts) + "."
        for p, g, ref in rates:
            s += (f" Exports to {PARTNER_NAMES[p]} {fmt.change_verb(g.value)}{self.basis_words(g)}{self.cite(g)}, "
                  f"against {fmt.signed_percent(ref.value)} for all exports{self.basis_words(ref)}{self.cite(ref)}.")
        return s

    def world_share(self, flow: str = "imports") -> str | None:
        f = metrics.get(self.fig, self.year, flow, "share_world", currency=None)
        if f is None:
            self.note_missing(f"China's share of world {flow}")
            return None
        return (f"China's {flow} accounted for {qualifier(f)}{fmt.percent(f.value, f_dec(f))} of world {flow}"
                f"{self.cite(f)}.")

    def world_rank(self) -> str | None:
        r = metrics.get(self.fig, self.year, "total", "rank_world", currency=None)
        if r is None:
            self.note_missing("China's rank among the world's traders in goods")
            return None
        streak = metrics.get(self.fig, self.year, "total", "consecutive_years_rank1", partner="WLD", currency=None)
        if int(r.value) == 1:
            tail = f", for the {fmt.ordinal(int(streak.value))} year running" if streak is not None else ""
            return f"China remained the world's largest trader in goods{tail}{self.cite(r, streak)}."
        return f"China ranked {fmt.ordinal(int(r.value))} among the world's traders in goods{self.cite(r)}."

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
        s = "China has " + " and ".join(bits) + "." if bits else ""
        if market is not None:
            s += (f" Its consumer market is worth {qualifier(market)}{fmt.money(market.value, 'CNY', decimals=0)} a year"
                  f"{self.cite(market)}.")
        if retail is not None:
            s += f" Retail sales of consumer goods came to {fmt.money(retail.value, 'CNY')}{self.cite(retail)}."
        return s.strip()


    def partner_trade(self, partner: str) -> str | None:
        """Trade with one partner: value, growth and share of the total, then exports and imports."""
        name = PARTNER_NAMES.get(partner, partner)
        v, g = self.level_and_growth("total", partner=partner)
        sh = metrics.get(self.fig, self.year, "total", "share", partner=partner, currency=self.currency)
        c = metrics.get(self.fig, self.year, "total", "contribution_pp", partner=partner, currency=self.currency)
        if v is None and g is None:
            self.note_missing(f"Trade with {name}")
            return None
        s = self.movement(f"Trade with {name}", v, g)
        if sh is not None:
            s += f", {fmt.percent(sh.value, f_dec(sh))} of China's total{self.cite(sh)}"
        if c is not None:
            s += f", adding {fmt.pp(c.value)} to the growth of China's trade{self.cite(c)}"
        s += "."
        flows = []
        for flow, word in (("exports", "exports to"), ("imports", "imports from")):
            gf = self.growth(flow, partner=partner)
            if gf is not None:
                flows.append(f"{word} {name if not name.startswith('the ') else name} "
                             f"{fmt.change_verb(gf.value)}{self.basis_words(gf)}{self.cite(gf)}")
        if flows:
            s += " " + _join(flows)[0].upper() + _join(flows)[1:] + "."
        rank = metrics.get(self.fig, self.year, "exports", "rank", partner=partner, currency=None)
        if rank is not None and int(rank.value) == 1 and partner not in ("ASEAN",):
            s += f" As a single country it remained China's largest export market{self.cite(rank)}."
        return s


    def enterprises(self) -> str | None:
        bits = []
        for e, name in ENTERPRISE_NAMES.items():
            v = self.amount("total", enterprise=e)
            g = self.growth("total", enterprise=e)
            sh = metrics.get(self.fig, self.year, "total", "share", enterprise=e, currency=self.currency)
            if v is None:
                continue
            b = f"{name} traded {self.money(v)}"
            if g is not None:
                b += f" ({fmt.signed_percent(g.value)}{self.basis_words(g)})"
            if sh is not None:
                b += f", {fmt.percent(sh.value)} of the total"
            bits.append(b + self.cite(v, g, sh))
        if not bits:
            self.note_missing("Trade by type of enterprise")
            return None
        s = "; ".join(bits) if len(bits) > 1 else bits[0]
        return s[0].upper() + s[1:] + "."


    def commodities(self) -> str | None:
        bits = []
        for p in COMMODITIES:
            vol = metrics.get(self.fig, self.year, "imports", "volume", product=p, currency=None)
            gv = metrics.get(self.fig, self.year, "imports", "growth_yoy_volume", product=p, currency=None)
            if vol is None and gv is None:
                continue
            b = f"{_volume(vol)} of {PRODUCT_NAMES[p]}" if vol is not None else PRODUCT_NAMES[p]
            if gv is not None:
                b += f" ({fmt.signed_percent(gv.value)} in volume)"
            bits.append(b + self.cite(vol, gv))
        if not bits:
            self.note_missing("Imports of key commodities")
            return None
        return "China imported " + _join(bits) + "."


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


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


COMMODITIES = ("CRUDE_OIL", "IRON_ORE", "SOYBEANS", "NATURAL_GAS", "COAL")
ENTERPRISE_NAMES = {"PRIVATE": "private firms", "FOREIGN_INVESTED": "foreign-invested firms",
                    "STATE_OWNED": "state-owned firms"}


def _volume(f: Fact) -> str:
    if f.unit == "tonnes":
        return (f"{fmt.number(f.value / 1e9, 2)} billion tonnes" if f.value >= 1e9
                else f"{fmt.number(f.value / 1e6, 1)} million tonnes")
    return f"{fmt.number(f.value / 1e6, 2)} million units"

