"""The figures of one annual briefing: look-ups in the published figures for its year and currency.

:class:`AnnualFigures` reads the figures table (and the indicators) and returns :class:`~tradelib.metrics.Fact`
objects, never text: an amount in the edition's currency (converted at the average rate where only the other
was published), a balance (computed where not published), growth rates and their basis, records, round
thresholds, indicators, and the decimals a figure was printed with. :class:`tradelib.narrative.Narrator` words
them; :mod:`tradelib.markup` marks them up.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import metrics, reporter, sources
from .metrics import Fact
from .sources import Dataset

REPORTER = reporter.load(sources.FIGURES_REPORTER)  # whose published figures tradelib holds
# the publisher's own currency and the other its releases use
OWN, OTHER = REPORTER.currencies[0], REPORTER.currencies[1]
ROUND_THRESHOLD_STEP = REPORTER.round_total_step[OWN]  # "above 45 trillion yuan for the first time"
BALANCE_THRESHOLD_STEP = REPORTER.round_balance_step  # "a surplus above one trillion dollars for the first time"


@dataclass
class AnnualFigures:
    """The published figures of ``data`` as one briefing reads them: for ``year``, in ``currency``."""

    data: Dataset
    year: int
    currency: str = OWN

    def __post_init__(self):
        if self.currency not in REPORTER.currencies:
            raise ValueError(f"unknown currency {self.currency!r}; use {' or '.join(REPORTER.currencies)}")

    @property
    def fig(self) -> pd.DataFrame:
        return self.data.figures

    @property
    def other_currency(self) -> str:
        return OTHER if self.currency == OWN else OWN

    # ------------------------------------------------------------------ any figure
    def get(self, year: int, flow: str, measure: str = "value", **kw) -> Fact | None:
        """One published figure (:func:`tradelib.metrics.get` on the figures table)."""
        return metrics.get(self.fig, year, flow, measure, **kw)

    def series(self, flow: str, measure: str = "value", **kw) -> pd.Series:
        """A figure over the years held (:func:`tradelib.metrics.series`)."""
        return metrics.series(self.fig, flow, measure, **kw)

    def streak(self, flow: str, partner: str) -> Fact | None:
        """The years ``partner`` has been the largest market for ``flow`` (:func:`tradelib.metrics.streak_fact`)."""
        return metrics.streak_fact(self.fig, self.year, flow, partner)

    def indicator(self, name: str, year: int | None = None) -> Fact | None:
        y = year or self.year
        ind = self.data.indicators
        r = ind[(ind.indicator == name) & (ind.year == y)]
        if r.empty:
            return None
        row = r.iloc[0]
        return Fact(value=float(row.amount), unit=row.unit, label=name, year=y, rows=(int(row.line),),
                    source_ids=tuple(row.source_id.split(";")), note=row.note or "")

    def rate(self, year: int | None = None) -> Fact | None:
        """The year's average exchange rate, in yuan per US dollar."""
        return self.indicator("cny_per_usd_avg", year)

    def outlook_range(self, low: float | None, high: float | None) -> tuple[Fact | None, Fact | None]:
        """The outlook's scenario range: given parameters, else the range quoted with the year's release."""
        if low is not None or high is not None:
            if low is None or high is None:
                from .outlook import OutlookError
                raise OutlookError("give both ends of the outlook growth range (outlook_low and outlook_high)")
            return (Fact(float(low), "percent", "outlook low (parameter)", self.year, reported=False),
                    Fact(float(high), "percent", "outlook high (parameter)", self.year, reported=False))
        return self.indicator("export_growth_outlook_low"), self.indicator("export_growth_outlook_high")

    # ------------------------------------------------------------------ in the edition's currency
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
        :meth:`tradelib.narrative.Narrator.movement` states it in a sentence of its own, never joined to the level.
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

    def comparable_total_growth(self, g: Fact, flow: str = "exports") -> Fact | None:
        """The reporter's growth for ``flow`` in the same currency basis as ``g`` (like is compared with like)."""
        return metrics.get(self.fig, self.year, flow, "growth_yoy", currency=g.basis or self.currency)

    # ------------------------------------------------------------------ records and thresholds
    def is_published_record(self) -> bool:
        """True where the release itself calls the year's total a record (measure record_high)."""
        f = metrics.get(self.fig, self.year, "total", "record_high", currency=OWN)
        return f is not None and f.value == 1

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

    def total_threshold(self) -> float | None:
        """The round amount the total (in the publisher's own currency) passed for the first time, judged on
        the published records."""
        hist = metrics.series(self.fig, "total", currency=OWN)
        flags = metrics.series(self.fig, "total", "record_high", currency=OWN)
        return metrics.threshold_first_crossed(hist, self.year, ROUND_THRESHOLD_STEP,
                                               record_years=flags[flags == 1].index)

    # ------------------------------------------------------------------ as printed
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
