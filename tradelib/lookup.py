"""One look-up for a figure, whether it was published or is computed from trade records.

``Lookup(reporter, data=..., records=...).fact("exports", period)`` answers "exports of the reporter in the
period" with a :class:`~tradelib.metrics.Fact`: from the published figures (``figures.csv``) where they hold
it for that reporter, period and currency, else computed from the records. A published Fact cites the rows
of the figures table and their sources; a computed one cites the records files and says in its note how many
records rows it used. Sentences ask the look-up and do not care which answered; :meth:`Lookup.both` gives
the two side by side where a briefing compares them.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import metrics
from .metrics import Fact
from .period import Period
from .reporter import Reporter

FLOWS = {"exports": "X", "imports": "M"}


@dataclass
class Lookup:
    reporter: Reporter
    data: object = None      # a sources.Dataset of published figures (for the reporter it names), or None
    records: object = None   # a tradelib.records.query.Records, or None
    published_reporter: str = ""   # whose figures ``data`` holds

    def published(self, flow: str, period: Period, currency: str, partner: str = "WLD",
                  product: str = "ALL") -> Fact | None:
        if self.data is None or not period.is_year or self.published_reporter != self.reporter.iso3:
            return None
        return metrics.get(self.data.figures, period.year, flow, "value", partner=partner, product=product,
                           currency=currency)

    def computed(self, flow: str, period: Period, partner: str = "WLD") -> Fact | None:
        """The value of ``flow`` ("exports", "imports") in ``period`` from the records (US dollars)."""
        if self.records is None or flow not in FLOWS:
            return None
        from .records import query
        from .records_briefing import source_id

        by = None if partner == "WLD" else "partner"
        t = query.totals(self.records, period, self.reporter.iso3, FLOWS[flow], by=by)
        if by:
            t = t[t["item"] == partner]
        if t.empty:
            return None
        rows = int(t["rows"].sum())
        return Fact(float(t["value"].sum()), "USD", flow, period.year, reported=False,
                    source_ids=tuple(source_id(f) for f in self.records.files),
                    note=f"computed from {rows:,} records rows")

    def fact(self, flow: str, period: Period, currency: str = "USD", partner: str = "WLD",
             product: str = "ALL") -> Fact | None:
        """Published where held, else computed from the records (in US dollars)."""
        f = self.published(flow, period, currency, partner, product)
        if f is not None:
            return f
        return self.computed(flow, period, partner) if currency == "USD" and product == "ALL" else None

    def both(self, flow: str, period: Period, partner: str = "WLD") -> tuple[Fact | None, Fact | None]:
        """(published, computed) in US dollars, for a briefing that sets one against the other."""
        return self.published(flow, period, "USD", partner), self.computed(flow, period, partner)
