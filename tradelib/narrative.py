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
            pub = f", published {s['published']}" if s.get("published") else ""
            lines.append(f'<p class="source" id="src-{n}">[{n}] {html.escape(s["publisher"])}, '
                         f'\u201c{html.escape(s["title"])}\u201d{pub}, '
                         f'<a href="{html.escape(s["url"])}">{html.escape(s["url"])}</a> '
                         f'(accessed {s["accessed"]}).</p>')
        return "\n".join(lines)


@dataclass
class Narrator:
    data: Dataset
    year: int
    currency: str = "CNY"
    citations: Citations | None = None
    missing: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.currency not in ("CNY", "USD"):
            raise ValueError(f"unknown currency {self.currency!r}; use CNY or USD")
        if self.citations is None:
            self.citations = Citations(self.data.sources)

    # ---------------------------------------------------------------- look-ups
    @property
    def fig(self) -> pd.DataFrame:
        return self.data.figures

    def rate(self, year: int | None = None) -> Fact | None:
        y = year or self.year
        ind = self.data.indicators
        r = ind[(ind.indicator == "cny_per_usd_avg") & (ind.year == y)]
        if r.empty:
            return None
        row = r.iloc[0]
        return Fact(value=float(row.value), unit="CNY per USD", label=f"{y} average yuan per dollar", year=y,
                    rows=(), source_ids=tuple(row.source_id.split(";")))

    def amount(self, flow: str, *, year: int | None = None, partner="WLD", product="ALL",
               enterprise="ALL") -> Fact | None:
        """A money figure in the briefing's currency: as published, else converted at the average rate."""
        y = year or self.year
        kw = dict(partner=partner, product=product, enterprise=enterprise)
        f = metrics.get(self.fig, y, flow, "value", currency=self.currency, **kw)
        if f is not None:
            return f
        other = "USD" if self.currency == "CNY" else "CNY"
        f = metrics.get(self.fig, y, flow, "value", currency=other, **kw)
        rate = self.rate(y)
        if f is None or rate is None:
            return None
        return metrics.convert_fact(f, rate, self.currency)

    def growth(self, flow: str, *, year: int | None = None, partner="WLD", product="ALL",
               enterprise="ALL") -> Fact | None:
        """Reported growth, in the briefing's currency basis where published, else the other basis."""
        y = year or self.year
        return metrics.get(self.fig, y, flow, "growth_yoy", partner=partner, product=product,
                           enterprise=enterprise, currency=self.currency)

    def money(self, f: Fact) -> str:
        return fmt.money(f.value, f.unit)

    def basis_words(self, g: Fact) -> str:
        """" in yuan terms" when a rate's basis differs from the briefing's currency."""
        if g.basis and g.basis != self.currency:
            return " in yuan terms" if g.basis == "CNY" else " in dollar terms"
        return ""

    def cite(self, *facts: Fact | None) -> str:
        return self.citations.mark(*facts)

    def note_missing(self, what: str) -> None:
        msg = f"{what} for {self.year} was not found in the published figures held by tradelib"
        if msg not in self.missing:
            self.missing.append(msg)

    # ---------------------------------------------------------------- sentences
    def headline(self) -> str | None:
        total = self.amount("total")
        g = self.growth("total")
        if total is None or g is None:
            self.note_missing("Total goods trade or its growth")
            return None
        hist = metrics.series(self.fig, "total", currency="CNY")
        parts = []
        record = self.year in hist.index and metrics.is_record(hist, self.year)
        other = self.other_currency_total()
        level = self.money(total) + (f" ({other})" if other else "")
        prev = self.year - 1
        verb = fmt.change_verb(g.value)
        if record:
            crossed = metrics.round_threshold_crossed(hist, self.year, step=5e12)
            first = f", above {fmt.money(crossed, 'CNY', decimals=0)} for the first time" if crossed else ""
            parts.append(f"China's trade in goods reached a record {level} in {self.year}{first}. "
                         f"The total {verb} on {prev}{self.basis_words(g)}{self.cite(total, g)}.")
        else:
            parts.append(f"China's trade in goods totalled {level} in {self.year}, {fmt.up_down(g.value)} on "
                         f"{prev}{self.basis_words(g)}{self.cite(total, g)}.")
            peak_year = metrics.previous_peak(hist, self.year) if self.year in hist.index else None
            if peak_year is not None:
                peak = metrics.get(self.fig, peak_year, "total", currency="CNY")
                if g.value > 0 and peak_year == prev:
                    parts.append(f"The customs computed that change on a revised figure for {prev}; on the figures "
                                 f"as first published, the total stayed below the {fmt.money(peak.value, 'CNY')} "
                                 f"of {peak_year}{self.cite(peak)}.")
                else:
                    parts.append(f"The total stayed below the record {fmt.money(peak.value, 'CNY')} of "
                                 f"{peak_year}{self.cite(peak)}.")
        return " ".join(p.strip() for p in parts)

    def other_currency_total(self) -> str | None:
        other = "USD" if self.currency == "CNY" else "CNY"
        f = metrics.get(self.fig, self.year, "total", "value", currency=other)
        if f is None:
            return None
        return fmt.money(f.value, other) + self.cite(f)

    def exports_imports(self) -> str | None:
        e, i = self.amount("exports"), self.amount("imports")
        ge, gi = self.growth("exports"), self.growth("imports")
        b = self.amount("balance")
        if None in (e, i, ge, gi):
            self.note_missing("Exports or imports")
            return None
        s = (f"Exports {fmt.change_verb(ge.value)}{self.basis_words(ge)} to {self.money(e)}{self.cite(e, ge)}, "
             f"and imports {fmt.change_verb(gi.value)}{self.basis_words(gi)} to {self.money(i)}{self.cite(i, gi)}")
        if b is not None:
            word = "surplus" if b.value >= 0 else "deficit"
            s += f", leaving a trade {word} of {fmt.money(abs(b.value), b.unit)}{self.cite(b)}"
        if ge.value > gi.value:
            s += ". Exports grew faster than imports"
        elif gi.value > ge.value:
            s += ". Imports grew faster than exports"
        return s + "."

    def product_exports(self, product: str, *, with_share: bool = True) -> str | None:
        name = PRODUCT_NAMES.get(product, product.lower().replace("_", " "))
        g = self.growth("exports", product=product)
        v = self.amount("exports", product=product)
        if g is None and v is None:
            self.note_missing(f"Exports of {name}")
            return None
        s = f"Exports of {name}"
        if g is not None:
            s += f" {fmt.change_verb(g.value)}{self.basis_words(g)}"
        if v is not None:
            s += f" to {self.money(v)}" if g is not None else f" came to {self.money(v)}"
        s += self.cite(v, g)
        total = self.amount("exports")
        if with_share and v is not None and total is not None:
            sh = metrics.share_fact(v, total)
            s += f", {fmt.percent(sh.value)} of all exports"
        if g is not None:
            tg = self.growth("exports")
            if tg is not None and g.value > tg.value:
                s += f", well ahead of total exports ({fmt.signed_percent(tg.value)})" \
                    if g.value > 2 * max(tg.value, 0.1) else f", faster than total exports ({fmt.signed_percent(tg.value)})"
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

    def emerging_markets(self) -> str | None:
        tg = self.growth("exports")
        rows = []
        for p in EMERGING:
            g = self.growth("exports", partner=p)
            if g is not None:
                rows.append((p, g))
        if tg is None or not rows:
            self.note_missing("Growth of exports to emerging markets")
            return None
        faster = [(p, g) for p, g in rows if metrics.faster_than(g.value, tg.value)]
        slower = [(p, g) for p, g in rows if not metrics.faster_than(g.value, tg.value)]

        def lst(items):
            words = [f"{PARTNER_NAMES[p]} ({fmt.signed_percent(g.value)}{self.cite(g)})" for p, g in items]
            return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]

        s = ""
        if faster:
            s = f"Exports to {lst(faster)} grew faster than total exports ({fmt.signed_percent(tg.value)}{self.cite(tg)})"
            if slower:
                s += f", while exports to {lst(slower)} did not"
        else:
            s = f"Exports to {lst(slower)} grew no faster than total exports ({fmt.signed_percent(tg.value)}{self.cite(tg)})"
        missing = [PARTNER_NAMES[p] for p in EMERGING if p not in {q for q, _ in rows}]
        if missing:
            self.note_missing("Export growth to " + " and ".join(missing))
        return s + "."

    def world_share(self, flow: str = "imports") -> str | None:
        f = metrics.get(self.fig, self.year, flow, "share_world", currency=None)
        if f is None:
            self.note_missing(f"China's share of world {flow}")
            return None
        about = "about " if "about" in (f.note or "").lower() or "around" in (f.note or "").lower() else ""
        return f"China's {flow} accounted for {about}{fmt.percent(f.value, f_dec(f))} of world {flow}{self.cite(f)}."

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
            bits.append(f"more than {fmt.number(mid.value / 1e6, 0)} million middle-income consumers{self.cite(mid)}")
        s = "China has " + " and ".join(bits) + "." if bits else ""
        if market is not None:
            s += (f" Its consumer market is worth about {fmt.money(market.value, 'CNY', decimals=0)} a year"
                  f"{self.cite(market)}.")
        if retail is not None:
            s += f" Retail sales of consumer goods came to {fmt.money(retail.value, 'CNY')}{self.cite(retail)}."
        return s.strip()


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


def f_dec(f: Fact) -> int:
    """Decimals to show for a reported rate: as published (whole numbers stay whole)."""
    return 0 if float(f.value).is_integer() else 1
