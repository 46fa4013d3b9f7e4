"""Pieces of the annual briefing as HTML, each written on a page of its own (for tests of one piece)."""
from tradelib import report
from tradelib.markup import AnnualMarkup
from tradelib.narrative import Narrator


def figure(make, nar: Narrator) -> str:
    """The HTML of one chart of :mod:`tradelib.report` (``make``: e.g. ``report.trade_series_chart``)."""
    return AnnualMarkup(nar).figure(make(nar))


def outlook_section(nar: Narrator, low: float | None = None, high: float | None = None, horizon: int = 5) -> str:
    return AnnualMarkup(nar).outlook(report.outlook(nar, low, high, horizon))


def key_figures(nar: Narrator, page: AnnualMarkup | None = None) -> str:
    return (page or AnnualMarkup(nar)).key_figures(report.key_figures(nar))


def about(nar: Narrator) -> str:
    return AnnualMarkup(nar).about()
