"""Calculations over the tidy table: pure functions, no I/O, no plotting, no prose.

Numeric helpers (``growth_rate``, ``contribution_pp`` ...) take plain numbers. Fact-level functions take
and return :class:`Fact` objects: a value with its unit and the source rows behind it, so every number in
a briefing can be traced to the published figures it was computed from.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import fmt
from . import reporter as reporters

OWN = reporters.figures_reporter().currencies[0]   # the currency of the published figures' own releases
MONEY_UNITS = tuple(dict.fromkeys((*reporters.figures_reporter().currencies, "USD")))


@dataclass(frozen=True)
class Fact:
    """A number with its unit and provenance.

    ``unit`` is one of CNY, USD (amounts in base units), percent, pp, rank, years, tonnes, count.
    ``rows`` are line numbers in the figures file; ``source_ids`` the sources those rows cite.
    ``reported`` is True for a figure read as published, False for one computed here.
    """

    value: float
    unit: str
    label: str
    year: int
    rows: tuple[int, ...] = ()
    source_ids: tuple[str, ...] = ()
    reported: bool = True
    basis: str = ""  # for rates: the currency the growth was computed in
    note: str = ""

    def __float__(self) -> float:
        return float(self.value)


def _merge(*facts: Fact) -> tuple[tuple[int, ...], tuple[str, ...]]:
    rows: list[int] = []
    srcs: list[str] = []
    for f in facts:
        for r in f.rows:
            if r not in rows:
                rows.append(r)
        for s in f.source_ids:
            if s not in srcs:
                srcs.append(s)
    return tuple(rows), tuple(srcs)


def derived(value: float, unit: str, label: str, year: int, *inputs: Fact, basis: str = "", note: str = "") -> Fact:
    rows, srcs = _merge(*inputs)
    return Fact(value=value, unit=unit, label=label, year=year, rows=rows, source_ids=srcs, reported=False,
                basis=basis, note=note)


# --------------------------------------------------------------------------------------------- numbers

def growth_rate(current: float, previous: float) -> float:
    """Year-on-year growth in percent."""
    if previous == 0:
        raise ZeroDivisionError("growth from a zero base is undefined")
    return (current / previous - 1.0) * 100.0


def contribution_pp(part_current: float, part_previous: float, total_previous: float) -> float:
    """Contribution of a part to the growth of the total, in percentage points."""
    return (part_current - part_previous) / total_previous * 100.0


def contribution_from_share(part_growth: float, part_share_previous: float) -> float:
    """Contribution (pp) from the part's growth (%) and its share of the total in the base year (%)."""
    return part_growth * part_share_previous / 100.0


def share(part: float, whole: float) -> float:
    return part / whole * 100.0


def balance(exports: float, imports: float) -> float:
    return exports - imports


def cagr(first: float, last: float, years: int) -> float:
    """Compound annual growth in percent over ``years`` years."""
    if years <= 0:
        raise ValueError("years must be positive")
    if first <= 0 or last <= 0:
        raise ValueError("compound growth needs positive levels")
    return ((last / first) ** (1.0 / years) - 1.0) * 100.0


def convert(amount: float, rate_cny_per_usd: float, to: str) -> float:
    """Convert between yuan and US dollars at a rate given in yuan per dollar."""
    if rate_cny_per_usd <= 0:
        raise ValueError("the exchange rate must be positive")
    if to == "USD":
        return amount / rate_cny_per_usd
    if to == OWN:
        return amount * rate_cny_per_usd
    raise ValueError(f"unknown currency {to!r}; use {OWN} or USD")


def scale(amount: float, unit: str) -> float:
    """Express a base-unit amount in a published scale ("trillion", "billion", "100 million", "million")."""
    factors = {"trillion": 1e12, "billion": 1e9, "100 million": 1e8, "million": 1e6, "": 1.0}
    if unit not in factors:
        raise ValueError(f"unknown scale {unit!r}")
    return amount / factors[unit]


def is_record(series: pd.Series, year: int) -> bool:
    """True when the value for ``year`` is higher than in every earlier year of the series."""
    s = series.dropna().sort_index()
    if year not in s.index:
        raise KeyError(year)
    earlier = s[s.index < year]
    return bool(earlier.empty or s[year] > earlier.max())



def previous_peak(series: pd.Series, year: int) -> int | None:
    """The year of the highest value before ``year`` when it is higher than ``year``'s (else None)."""
    s = series.dropna().sort_index()
    earlier = s[s.index < year]
    if earlier.empty or earlier.max() <= s[year]:
        return None
    return int(earlier.idxmax())




def threshold_first_crossed(series: pd.Series, year: int, step: float, record_years) -> float | None:
    """The round threshold (a multiple of ``step``) first exceeded in ``year``, when that can be known.

    "For the first time" needs the whole history, not only the years held: it is claimed only when an
    earlier year held is a published record (so every year before it was lower) and no year since then
    reached the threshold.
    """
    s = series.dropna().sort_index()
    level = math.floor(s[year] / step) * step
    anchors = [int(y) for y in record_years if int(y) < year and int(y) in s.index]
    if level <= 0 or not anchors:
        return None
    since = s[(s.index >= max(anchors)) & (s.index < year)]
    return level if since.max() < level else None


def streak(ranks: pd.Series, year: int, rank: int = 1) -> int:
    """Consecutive years, ending in ``year``, in which the rank equals ``rank`` (0 if not in ``year``)."""
    r = ranks.dropna()
    n = 0
    y = year
    while y in r.index and int(r[y]) == rank:
        n += 1
        y -= 1
    return n


def faster_than(growth: float, reference: float) -> bool:
    return growth > reference


# --------------------------------------------------------------------------------------------- facts

UNIT_OF_DIMENSION = {"percent": "percent", "pp": "pp", "rank": "rank", "years": "years", "mass": "tonnes",
                     "count": "count", "flag": "flag"}


def fact_from_row(row, label: str) -> Fact:
    unit = row.currency if row.dimension == "money" else UNIT_OF_DIMENSION[row.dimension]
    basis = row.currency if row.dimension != "money" else ""
    return Fact(value=float(row.amount), unit=unit, label=label, year=int(row.year), rows=(int(row.line),),
                source_ids=tuple(s.strip() for s in row.source_id.split(";") if s.strip()), reported=True,
                basis=basis, note=row.note or "")


def select(figures: pd.DataFrame, *, measure: str = "value", flow: str | None = None, partner: str = "WLD",
           product: str = "ALL", enterprise: str = "ALL", currency: str | None = None,
           year: int | None = None) -> pd.DataFrame:
    f = figures
    m = (f.measure == measure) & (f.partner == partner) & (f["product"] == product) & (f.enterprise == enterprise)
    if flow is not None:
        m &= f.flow == flow
    if currency is not None:
        m &= f.currency == currency
    if year is not None:
        m &= f.year == year
    return f[m]


def get(figures: pd.DataFrame, year: int, flow: str, measure: str = "value", *, partner: str = "WLD",
        product: str = "ALL", enterprise: str = "ALL", currency: str | None = OWN,
        label: str = "") -> Fact | None:
    """The published figure, or None where it was not published.

    For rates (growth, shares, contributions) ``currency`` is the basis; a rate published without one
    (or only in the other basis) is returned when the requested basis is missing, with its basis kept.
    """
    rows = select(figures, measure=measure, flow=flow, partner=partner, product=product, enterprise=enterprise,
                  year=year)
    if rows.empty:
        return None
    if measure == "value":
        rows = rows[rows.currency == currency]
    elif currency is not None and measure not in ("volume", "growth_yoy_volume", "rank", "rank_world",
                                                  "consecutive_years_rank1"):
        preferred = rows[rows.currency == currency]
        rows = preferred if not preferred.empty else rows.sort_values("currency", key=lambda c: c != OWN)
    if rows.empty:
        return None
    row = rows.iloc[0]
    return fact_from_row(row, label or f"{year} {flow} {measure} {partner}/{product}")


def series(figures: pd.DataFrame, flow: str, measure: str = "value", *, partner: str = "WLD",
           product: str = "ALL", enterprise: str = "ALL", currency: str | None = OWN) -> pd.Series:
    """Year-indexed amounts (base units) of one figure across years."""
    rows = select(figures, measure=measure, flow=flow, partner=partner, product=product, enterprise=enterprise,
                  currency=currency)
    return rows.set_index("year")["amount"].sort_index()


def growth_fact(current: Fact, previous: Fact, label: str = "") -> Fact:
    return derived(growth_rate(current.value, previous.value), "percent", label or f"growth of {current.label}",
                   current.year, current, previous, basis=current.unit)


def share_fact(part: Fact, whole: Fact, label: str = "") -> Fact:
    return derived(share(part.value, whole.value), "percent", label or f"share of {part.label}", part.year,
                   part, whole, basis=part.unit)


def balance_fact(exports: Fact, imports: Fact) -> Fact:
    return derived(balance(exports.value, imports.value), exports.unit, "trade balance", exports.year,
                   exports, imports)


def contribution_fact(part_growth: Fact, part_share_previous: Fact, label: str = "") -> Fact:
    return derived(contribution_from_share(part_growth.value, part_share_previous.value), "pp",
                   label or f"contribution of {part_growth.label}", part_growth.year, part_growth,
                   part_share_previous)


def convert_fact(amount: Fact, rate: Fact, to: str) -> Fact:
    """Convert a money Fact at the year's average rate (a Fact in yuan per dollar)."""
    if amount.unit == to:
        return amount
    return derived(convert(amount.value, rate.value, to), to, amount.label, amount.year, amount, rate,
                   note=f"converted from {amount.unit} at the {rate.year} average rate of {rate.value} {fmt.currency_name(OWN)} per dollar")


def growth_gap(reported: Fact, computed: Fact, tolerance_pp: float = 0.05) -> float | None:
    """The gap between a reported and a computed growth rate, when beyond rounding (a revised base)."""
    gap = reported.value - computed.value
    return gap if abs(gap) > tolerance_pp else None


def streak_fact(figures: pd.DataFrame, year: int, flow: str, partner: str) -> Fact | None:
    """Consecutive years ``partner`` ranked first for ``flow``, ending in ``year``, from published ranks.

    Where the release itself states the streak (measure consecutive_years_rank1), that figure is used and
    the ranks in the data are checked against it: a streak longer than the ranks support is kept as reported,
    but a rank other than first in ``year`` ends the streak.
    """
    ranks = select(figures, measure="rank", flow=flow, partner=partner)
    reported = get(figures, year, flow, "consecutive_years_rank1", partner=partner, currency=None)
    rank_now = ranks[ranks.year == year]
    if not rank_now.empty and int(rank_now.iloc[0].value) != 1:
        return Fact(value=0, unit="years", label=f"{partner} rank 1 streak", year=year,
                    rows=(int(rank_now.iloc[0].line),), source_ids=tuple(rank_now.iloc[0].source_id.split(";")),
                    reported=False)
    if reported is not None:
        return reported
    if rank_now.empty:
        return None
    s = ranks.set_index("year")["value"]
    n = streak(s, year)
    used = ranks[(ranks.year > year - n) & (ranks.year <= year)]
    return Fact(value=n, unit="years", label=f"{partner} rank 1 streak", year=year,
                rows=tuple(int(x) for x in used.line), reported=False,
                source_ids=tuple(dict.fromkeys(s for ids in used.source_id for s in ids.split(";"))))
