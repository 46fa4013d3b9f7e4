"""The monthly briefing: a reporter's monthly customs release, from the published monthly figures.

:class:`Briefing` reads what one release says from the settled monthly figures (:mod:`tradelib.monthly`):
the month and the year to date, each flow's level and year-on-year growth as published, the months before
it, the partners and products the release gives. Every number is a :class:`MFact` (a
:class:`~tradelib.metrics.Fact` that keeps the decimals its source printed), citing the pages it was seen on.

One currency per edition: a figure is given in the edition's currency where it was published in it. A figure
published only in the other currency is given once, as such (the amount names its currency), and a growth
rate is never set beside a level of another currency: a rate of another basis than its level goes in a
sentence of its own ("In dollar terms, they rose 5.9%.").

The sentence functions return :class:`~tradelib.records_briefing.Text` (plain text and the facts it cites);
markup is added by :class:`tradelib.markup.MonthlyMarkup` only. :data:`SECTIONS` declares the briefing once
and the notebook walks that list. A section whose sentences find no figure is left out.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass

import pandas as pd

from . import fmt
from . import monthly as monthly_data
from .errors import DataError
from .metrics import Fact
from .period import Period
from .records_briefing import Part, Section, Text, _cap
from .reporter import Reporter

FLOWS = ("total", "exports", "imports")
FLOW_NAMES = {"total": "total trade", "exports": "exports", "imports": "imports", "balance": "the trade balance"}
KEY_ROWS = (("total", "Total trade"), ("exports", "Exports"), ("imports", "Imports"), ("balance", "Balance"))
PARTNER_SUBJECT = {"total": "trade with", "exports": "exports to", "imports": "imports from"}
CITABLE = ("official", "news")
WINDOW_MONTHS = 24          # the chart covers the 24 months to the briefing's month
PREVIOUS_SHOWN = 2          # the months before whose growth the text names
EXTREME_SPAN = 6            # "the fastest since ..." needs at least this many releases in a row held
MIN_CHART_POINTS = 3        # a chart panel needs this many points


@dataclass(frozen=True)
class MFact(Fact):
    """A published monthly figure: a Fact with the period, span and currency it was published for and the
    decimals its source printed (so that 6% stays 6%, 5.7% stays 5.7%)."""

    period: str = ""
    span: str = ""
    currency: str = ""
    decimals: int = 1
    printed_unit: str = ""


def _decimals(text: str) -> int:
    text = str(text).strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def runs(periods: list[Period]) -> str:
    """The periods as runs of consecutive releases: "January–February 2023 to January–February 2026 and May
    2026"."""
    out: list[list[Period]] = []
    for p in periods:
        if out and _next(out[-1][-1]) == p:
            out[-1].append(p)
        else:
            out.append([p])
    words = [r[0].label if len(r) == 1 else f"{r[0].label} to {r[-1].label}" for r in out]
    return fmt.and_list(words)


def _next(p: Period, combined: tuple = ((1, 2),)) -> Period:
    """The release after ``p`` (the runs of :func:`runs` step over a combined January–February)."""
    last = p.last
    if last == 12:
        run = next(((a, b) for a, b in combined if a == 1), (1, 1))
        return Period(p.year + 1, *run)
    return Period(p.year, last + 1, last + 1)


def month_name(p: Period) -> str:
    """"November", "January–February": a period named without its year (within a sentence on its year)."""
    return p.label.rsplit(" ", 1)[0]


def check_period(period: Period, reporter: Reporter) -> Period:
    """Refuse a period that is not one release of ``reporter``: a month it publishes alone, or one of its
    combined periods (January–February)."""
    period.check_release(reporter.combined_months)
    if not period.is_month and (period.first, period.last) not in reporter.combined_months:
        words = " or ".join(["a month (2025-11)"] + [f"{calendar.month_name[a]}–{calendar.month_name[b]} "
                                                    f"({period.year}-{a:02d}..{b:02d})"
                                                    for a, b in reporter.combined_months])
        raise DataError("period", None, "period", f"{period.code!r}: a monthly briefing is on one release, "
                        f"{words}; the year to date is in the briefing on its last month")
    return period


class Briefing:
    """Everything the monthly briefing says about ``reporter``'s release for ``period``, in ``currency``."""

    def __init__(self, data: monthly_data.Monthly, reporter: Reporter, period: Period | str, currency: str):
        self.data = data
        self.reporter = reporter
        # a period object of a publisher's own class (the release's monthly.Period) is taken as a plain Period,
        # so the reporter's rule for combined months is the one that applies
        self.period = (Period.parse(period) if isinstance(period, str)
                       else Period(period.year, period.first, period.last))
        self.combined = reporter.combined_months
        check_period(self.period, reporter)
        if currency not in reporter.currencies:
            raise DataError("currency", None, "currency", f"{reporter.name} publishes in "
                            f"{', '.join(reporter.currencies)}, not {currency}")
        self.currency = currency
        self.other = next((c for c in reporter.currencies if c != currency), None)
        self.held = sorted({Period.parse(p) for p in data.figures.period})
        if self.period not in self.held:
            raise DataError("monthly figures", None, "period",
                            f"no figures are held for {self.period.label}; the months held are {runs(self.held)}. "
                            f"Choose one of them, e.g. PERIOD={self.held[-1].code}")
        self.kinds = dict(zip(data.sources.source_id, data.sources.kind))
        f = data.figures[data.figures.enterprise == "ALL"]
        self._rows = {k: r for k, r in zip(zip(f.period, f.span, f.flow, f.measure, f.currency, f.partner,
                                                f["product"]), f.itertuples(index=False))}
        self.earlier = self.period.year_earlier()
        self.first_of_year = self.period.first == 1
        self.ytd = self.period.year_to_date()
        f = data.figures
        own = f[f.period == self.period.code]
        self.vintages = own["vintage"].value_counts().sort_index()

    # ------------------------------------------------------------------ look-ups
    def previous(self, p: Period) -> Period | None:
        return p.previous(self.combined)

    def get(self, period: Period, span: str, flow: str, measure: str = "value", currency: str | None = None,
            partner: str = "WLD", product: str = "ALL") -> MFact | None:
        """One published figure; the year to date of a year's first release is the release itself."""
        if span == "ytd" and period.first == 1:
            span = "month"
        row = self._rows.get((period.code, span, flow, measure, currency or "", partner, product))
        if row is None:
            return None
        ids = tuple(s for s in str(row.source_id).split(";") if self.kinds.get(s) in CITABLE)
        if not ids:
            return None   # only pages a desk cannot cite: the figure is not used
        unit = {"value": row.currency, "growth_yoy": "percent", "growth_yoy_volume": "percent"}.get(measure, row.unit)
        value = float(row.number) if measure.startswith("growth") or measure == "volume" else float(row.amount)
        return MFact(value, unit, f"{flow} {measure}", period.year, source_ids=ids, reported=True,
                     basis=row.currency if measure == "growth_yoy" else "", period=period.code, span=span,
                     currency=row.currency, decimals=_decimals(row.value), printed_unit=row.unit)

    def growth(self, period: Period, span: str, flow: str, partner: str = "WLD", product: str = "ALL",
               currencies: tuple | None = None) -> MFact | None:
        """Growth in the edition's basis where published, else the other's, else one without a basis."""
        for cur in currencies or (self.currency, self.other, ""):
            if cur is None:
                continue
            g = self.get(period, span, flow, "growth_yoy", cur, partner, product)
            if g is not None:
                return g
        return None

    def level(self, period: Period, span: str, flow: str, currency: str, partner: str = "WLD",
              product: str = "ALL") -> MFact | None:
        """A level as published; a balance not published is computed from the exports and imports."""
        f = self.get(period, span, flow, "value", currency, partner, product)
        if f is not None or flow != "balance":
            return f
        x = self.get(period, span, "exports", "value", currency, partner, product)
        m = self.get(period, span, "imports", "value", currency, partner, product)
        if x is None or m is None:
            return None
        ids = tuple(dict.fromkeys(x.source_ids + m.source_ids))
        dec = min(x.decimals, m.decimals) if x.printed_unit == m.printed_unit else -1
        return MFact(x.value - m.value, currency, "balance value", period.year, source_ids=ids, reported=False,
                     note="computed from the published exports and imports", period=period.code, span=x.span,
                     currency=currency, decimals=dec, printed_unit=x.printed_unit if dec >= 0 else "")

    def pair(self, span: str, flow: str, partner: str = "WLD", product: str = "ALL",
             period: Period | None = None) -> tuple[MFact | None, MFact | None]:
        """A level and its growth, each in the edition's currency where published (see the module notes)."""
        p = period or self.period
        g = self.growth(p, span, flow, partner, product)
        own = self.level(p, span, flow, self.currency, partner, product)
        if g is not None and g.basis not in ("", self.currency):
            return own or self.level(p, span, flow, g.basis, partner, product), g
        if own is None and self.other:
            return self.level(p, span, flow, self.other, partner, product), g
        return own, g

    def series(self, flow: str, measure: str, currency: str, upto: Period | None = None) -> pd.Series:
        """A figure of every release held up to ``upto`` (the month, not the year to date), by period."""
        out = {}
        for p in self.held:
            if p > (upto or self.period):
                break
            f = self.get(p, "month", flow, measure, currency)
            if f is not None:
                out[p] = f
        return pd.Series(out, dtype=object)

    def window(self) -> list[Period]:
        """The releases of the :data:`WINDOW_MONTHS` months to the briefing's month, held or not."""
        out, p = [], self.period
        months = 0
        while p is not None and months < WINDOW_MONTHS:
            out.append(p)
            months += len(p.months)
            p = self.previous(p)
        return out[::-1]

    # ------------------------------------------------------------------ words
    def money(self, f: MFact) -> str:
        """An amount with the precision its source printed; a computed one is marked †."""
        if f.printed_unit in ("trillion", "billion", "million") and f.decimals >= 0:
            text = fmt.money(f.value, f.unit, decimals=f.decimals, scale=f.printed_unit)
        else:
            text = fmt.money(f.value, f.unit)
        return text + ("" if f.reported else "\u2020")

    def rate(self, g: MFact) -> str:
        return fmt.percent(g.value, g.decimals)

    def signed(self, g: MFact) -> str:
        return fmt.signed_percent(g.value, g.decimals)

    def change(self, g: MFact) -> str:
        return fmt.change_verb(g.value, g.decimals)

    def terms(self, g: MFact, level: MFact | None = None) -> str:
        """" in dollar terms" for a rate whose basis is neither the edition's nor its level's currency."""
        if not g.basis or (level is not None and level.unit == g.basis) or g.basis == self.currency:
            return ""
        return " " + fmt.terms(g.basis).strip()

    def movement(self, subject: str, level: MFact | None, g: MFact | None, when: str = "",
                 yoy: bool = True, plural: bool = True) -> tuple[str, list]:
        """"Exports rose 5.7% year on year to 2.35 trillion yuan in November 2025" and the facts it cites. A
        rate of another basis than its level comes as a sentence of its own, after: "In dollar terms, they
        rose 5.9% year on year"."""
        vs = " year on year" if yoy else ""
        when = f" {when}" if when else ""
        if level is not None and g is not None and g.basis not in ("", level.unit):
            pron = "they" if plural else "it"
            return (f"{subject} came to {self.money(level)}{when}. {_cap(fmt.terms(g.basis).strip())}, {pron} "
                    f"{self.change(g)}{vs}", [level, g])
        if g is not None:
            s = f"{subject} {self.change(g)}{vs}{self.terms(g, level)}"
            return s + (f" to {self.money(level)}" if level is not None else "") + when, [g, level]
        if level is not None:
            return f"{subject} came to {self.money(level)}{when}", [level]
        return "", []

    def period_of(self, f: MFact) -> Period:
        p = Period.parse(f.period)
        return p.year_to_date() if f.span == "ytd" else p

    def name(self, kind: str, code: str) -> str:
        names = self.reporter.partner_names if kind == "partner" else self.reporter.product_names
        return names.get(code, "")

    # ------------------------------------------------------------------ the month before, turning points
    def before(self, flow: str, basis: str, n: int = PREVIOUS_SHOWN) -> list[tuple[Period, MFact]]:
        """The growth of the ``n`` releases just before this one, on ``basis``, as far as they are held in a
        row (a release not held ends the list)."""
        out, p = [], self.previous(self.period)
        while p is not None and len(out) < n:
            g = self.get(p, "month", flow, "growth_yoy", basis)
            if g is None:
                break
            out.append((p, g))
            p = self.previous(p)
        return out

    def compared(self, flow: str, shown: MFact | None) -> MFact | None:
        """The month's growth on the basis whose earlier releases are held: the rate shown where the release
        before is held on its basis, else the rate on the other basis (said as such by the caller)."""
        cands = [shown] if shown is not None and shown.basis else []
        for cur in (self.currency, self.other):
            if cur and (shown is None or cur != shown.basis):
                g = self.get(self.period, "month", flow, "growth_yoy", cur)
                if g is not None:
                    cands.append(g)
        return next((g for g in cands if self.before(flow, g.basis, 1)), None)

    def turning(self, flow: str, g: MFact) -> tuple[str, str]:
        """What makes the month's growth news, or "": a change of sign against the release before, or the
        fastest or slowest growth (the steepest fall) over a stated span of releases held in a row."""
        prev = self.before(flow, g.basis, 1)
        if prev:
            p, pg = prev[0]
            if fmt.rounded(g.value, g.decimals) > 0 > fmt.rounded(pg.value, pg.decimals):
                return "up", f"returning to growth after a fall of {self.rate(_neg(pg))} in {self._when(p)}"
            if fmt.rounded(g.value, g.decimals) < 0 < fmt.rounded(pg.value, pg.decimals):
                return "down", f"a fall after growth of {self.rate(pg)} in {self._when(p)}"
        # the span: releases before this one held in a row, back to one at least as extreme (or to a gap)
        count, p, beaten_by = 0, self.previous(self.period), None
        top = bottom = True
        while p is not None:
            q = self.get(p, "month", flow, "growth_yoy", g.basis)
            if q is None:
                break
            still_top, still_bottom = top and q.value < g.value, bottom and q.value > g.value
            if not still_top and not still_bottom:
                beaten_by = p   # at least as high (or as low): the span runs from it
                break
            top, bottom = still_top, still_bottom
            count += 1
            p = self.previous(p)
        if count + 1 < EXTREME_SPAN:
            return "", ""
        if beaten_by is not None:
            since = f"since {self._when(beaten_by)}"
        else:
            first = self.period
            for _ in range(count):
                first = self.previous(first)
            since = f"since at least {self._when(first)}"
        if top and g.value > 0:
            return "extreme", f"the fastest growth {since}"
        if top:
            return "extreme", f"the mildest fall {since}"
        if bottom and g.value < 0:
            return "extreme", f"the steepest fall {since}"
        if bottom:
            return "extreme", f"the slowest growth {since}"
        return "", ""

    def _when(self, p: Period) -> str:
        """"October" within the briefing's year, "December 2024" outside it."""
        return month_name(p) if p.year == self.period.year else p.label

    # ------------------------------------------------------------------ the release
    @property
    def released(self) -> str:
        """The first release date among the period's figures (ISO)."""
        return str(self.vintages.index.min())

    @property
    def latest_release(self) -> str:
        return str(self.vintages.index.max())


def _neg(g: MFact) -> MFact:
    return MFact(-g.value, g.unit, g.label, g.year, decimals=g.decimals)


def _date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d} {calendar.month_name[m]} {y}"


# ------------------------------------------------------------------------------------------ sentences
def title(b: Briefing) -> str:
    """The briefing's title: the month and its news ("China's foreign trade in November 2025: exports up 5.7%
    and imports up 1.7%"), the rates on the edition's basis only."""
    bits = []
    for flow in ("exports", "imports"):
        _, g = b.pair("month", flow)
        if g is not None and g.basis in ("", b.currency):
            bits.append(f"{flow} {fmt.up_down(g.value, g.decimals)}")
    head = f"{b.reporter.possessive} foreign trade in {b.period.label}"
    return head + (": " + " and ".join(bits) if bits else "")


def _turn_clause(b: Briefing, flow: str, shown: MFact | None) -> str:
    """What makes the month's rate news, where it is on the rate shown and its earlier releases are held."""
    if shown is None or b.compared(flow, shown) is not shown:
        return ""
    return b.turning(flow, shown)[1]


def month_flows(b: Briefing) -> Text:
    """The month's exports and imports: growth, level, and what makes the growth news (a change of sign, the
    fastest or slowest growth over a stated span)."""
    out, facts = [], []
    when = f"in {b.period.label}"
    for flow in ("exports", "imports"):
        level, g = b.pair("month", flow)
        s, used = b.movement(_cap(flow), level, g, when if not out else "")
        if not s:
            continue
        clause = _turn_clause(b, flow, g)
        out.append(s + (f", {clause}" if clause else "") + ".")
        facts += used
    return Text(" ".join(out), facts)


def month_total(b: Briefing, in_lead: bool = False) -> Text:
    """The month's total trade (in the main points for the year's first release, which has no year to date)."""
    if b.first_of_year and not in_lead:
        return Text("")
    level, g = b.pair("month", "total")
    s, used = b.movement("Total trade", level, g, f"in {b.period.label}", plural=False)
    return Text(s + "." if s else "", used)


def _balance_currency(b: Briefing, period: Period, span: str) -> str | None:
    return next((c for c in (b.currency, b.other) if c and b.level(period, span, "balance", c) is not None), None)


def balance_short(b: Briefing) -> Text:
    """The month's surplus or deficit, for the main points."""
    cur = _balance_currency(b, b.period, "month")
    if cur is None:
        return Text("")
    f = b.level(b.period, "month", "balance", cur)
    return Text(f"The trade {'surplus' if f.value >= 0 else 'deficit'} came to {b.money(_abs(f))} in "
                f"{b.period.label}.", [f])


def balance(b: Briefing, span: str = "month") -> Text:
    """The surplus or deficit against the same period a year earlier and (the month) the release before."""
    cur = _balance_currency(b, b.period, span)
    if cur is None:
        return Text("")
    f = b.level(b.period, span, "balance", cur)
    when = b.period if span == "month" else b.ytd
    word = "surplus" if f.value >= 0 else "deficit"
    old = b.level(b.earlier, span, "balance", cur)
    p = b.previous(b.period) if span == "month" else None
    last = b.level(p, "month", "balance", cur) if p is not None else None
    if old is None and last is None and span == "month":
        return Text("")   # the main points give the month's balance; nothing to compare it with
    s = f"The trade {word} of {b.money(_abs(f))} in {when.label}"
    facts = [f]
    bits = []
    if old is not None:
        if (old.value >= 0) == (f.value >= 0):
            wider = abs(f.value) > abs(old.value)
            bits.append(f"{'wider' if wider else 'narrower'} than the {b.money(_abs(old))} of "
                        f"{when.year_earlier().label}")
        else:
            bits.append(f"against a {'surplus' if old.value >= 0 else 'deficit'} of {b.money(_abs(old))} in "
                        f"{when.year_earlier().label}")
        facts.append(old)
    if last is not None:
        bits.append(f"{'compares with' if not bits else 'and compares with'} {b.money(_abs(last))} in {b._when(p)}"
                    if (last.value >= 0) == (f.value >= 0) else
                    f"follows a {'surplus' if last.value >= 0 else 'deficit'} of {b.money(_abs(last))} in {b._when(p)}")
        facts.append(last)
    if not bits:
        return Text(f"The trade {word} came to {b.money(_abs(f))} in {when.label}.", facts)
    verb = "was " if bits[0].startswith(("wider", "narrower")) else ""
    return Text(f"{s} {verb}{' '.join(bits) if len(bits) == 1 else bits[0] + ', and ' + bits[1].removeprefix('and ')}.",
                facts)


def _abs(f: MFact) -> MFact:
    return MFact(abs(f.value), f.unit, f.label, f.year, f.rows, f.source_ids, f.reported, f.basis, f.note,
                 f.period, f.span, f.currency, f.decimals, f.printed_unit)


def momentum(b: Briefing) -> Text:
    """Exports and imports growth against the releases before, on the edition's basis where those are held,
    else on the other basis, said as such."""
    out, facts = [], []
    for flow in ("exports", "imports"):
        _, shown = b.pair("month", flow)
        g = b.compared(flow, shown)
        if g is None:
            continue
        prev = b.before(flow, g.basis)
        lead = "" if g.basis == b.currency else _cap(fmt.terms(g.basis).strip()) + ", "
        subject = f"{flow[:-1]} growth" if lead else f"{_cap(flow[:-1])} growth"
        items = [f"{b.rate(q)} in {b._when(p)}" for p, q in prev]
        out.append(f"{lead}{subject} of {b.rate(g)} in {month_name(b.period)} compares with {fmt.and_list(items)}.")
        facts += [g] + [q for _, q in prev]
        if g is not shown:   # the main points gave no turning on this basis
            kind, words = b.turning(flow, g)
            if kind == "up":
                out.append(f"{_cap(flow)} returned to growth.")
            elif kind == "down":
                out.append(f"{_cap(flow)} fell after growing in {b._when(prev[0][0])}.")
            elif kind == "extreme":
                out.append(f"It was {words}.")
    return Text(" ".join(out), facts)


def first_release(b: Briefing) -> Text:
    """For the year's first release: what it covers and that it is also the year to date."""
    if not b.first_of_year:
        return Text("")
    if b.period.is_range:
        words = month_name(b.period).replace("\u2013", " and ")
        return Text(f"{_cap(b.reporter.publisher_short)} publish {words} together: the year's first release "
                    f"covers both months, is compared with the same months of {b.earlier.year} and is also the "
                    "year to date.", [])
    return Text(f"As the year's first month, {b.period.label} is also the year to date.", [])


def year_to_date(b: Briefing) -> Text:
    """The year to date against the same months a year earlier: growth as published with both levels, and
    how the year's growth moved since the release before."""
    if b.first_of_year:
        return Text("")
    out, facts = [], []
    earlier = b.ytd.year_earlier()
    for flow in FLOWS:
        level, g = b.pair("ytd", flow)
        s, used = b.movement(_cap(FLOW_NAMES[flow]), level, g, "", yoy=not out, plural=flow != "total")
        if not s:
            continue
        then = b.level(b.earlier, "ytd", flow, level.unit) if level is not None else None
        agrees = then is not None and g is not None and (
            (fmt.rounded(g.value, g.decimals) > 0) == (level.value > then.value)
            and (fmt.rounded(g.value, g.decimals) < 0) == (level.value < then.value))
        if then is not None and ". " not in s and (g is None or agrees):
            s += f", from {b.money(then)} in {earlier.label}"
            used.append(then)
        prev = b.previous(b.period)
        pg = (b.get(prev, "ytd", flow, "growth_yoy", g.basis)
              if g is not None and g.basis and prev is not None and prev.year == b.period.year else None)
        if pg is not None:
            s += f" (growth of {b.rate(pg)} in {prev.year_to_date().label})"
            used.append(pg)
        out.append(s + ".")
        facts += used
    if out:
        out[0] = f"In {b.ytd.label}, " + out[0][:1].lower() + out[0][1:]
    bal = balance(b, "ytd")
    if bal:
        out.append(bal.text)
        facts += bal.facts
    return Text(" ".join(out), facts)


def _group(b: Briefing, found: list[tuple[str, MFact | None, MFact]], subject: str) -> str:
    """"trade with ASEAN rose 8.5% to 6.82 trillion yuan and with the EU 5.4% to ..., while trade with the
    United States fell 16.9% to ...": risers, then fallers, the verb said once for each."""
    groups = [[x for x in found if fmt.rounded(x[2].value, x[2].decimals) > 0],
              [x for x in found if fmt.rounded(x[2].value, x[2].decimals) == 0],
              [x for x in found if fmt.rounded(x[2].value, x[2].decimals) < 0]]
    clauses = []
    for grp in groups:
        items = []
        for k, (code, level, g) in enumerate(grp):
            to = f" to {b.money(level)}" if level is not None else ""
            if k == 0:
                items.append(f"{subject} {b.name('partner', code)} {b.change(g)}{to}")
            else:
                rest = subject.split(" ", 1)[1]
                amount = "" if "flat" in b.change(g) else fmt.percent(abs(g.value), g.decimals)
                items.append(f"{rest} {b.name('partner', code)} {amount}{to}".replace("  ", " "))
        if items:
            clauses.append(fmt.and_list(items))
    return ", while ".join(clauses)


def partners(b: Briefing) -> Text:
    """The partners the release gives, those that rose most first, each basis in a sentence of its own."""
    codes = [c for c in b.reporter.featured("partners") if b.name("partner", c)]
    spans = ("month",) if b.first_of_year else ("month", "ytd")
    out, facts = [], []
    for span in spans:
        when = b.period if span == "month" else b.ytd
        per_basis: dict[str, dict[str, list]] = {}
        levels_only = []
        for flow in FLOWS:
            for code in codes:
                g = b.growth(b.period, span, flow, partner=code)
                if g is None:
                    lvl = b.level(b.period, span, flow, b.currency, partner=code) or (
                        b.level(b.period, span, flow, b.other, partner=code) if b.other else None)
                    if lvl is not None:
                        levels_only.append((flow, code, lvl))
                    continue
                lvl = b.level(b.period, span, flow, g.basis or b.currency, partner=code)
                per_basis.setdefault(g.basis, {}).setdefault(flow, []).append((code, lvl, g))
        for basis in sorted(per_basis, key=lambda c: (c not in ("", b.currency), c)):
            clauses = []
            for flow in FLOWS:
                found = sorted(per_basis[basis].get(flow, []), key=lambda x: -x[2].value)
                if found:
                    clauses.append(_group(b, found, PARTNER_SUBJECT[flow]))
                    facts += [x for _, lvl, g in found for x in (g, lvl)]
            terms = "" if basis in ("", b.currency) else f" and {fmt.terms(basis).strip()}"
            out.append(f"In {when.label}{terms}, " + "; ".join(clauses) + ".")
        for flow, code, lvl in levels_only:
            out.append(f"{_cap(PARTNER_SUBJECT[flow])} {b.name('partner', code)} came to {b.money(lvl)} in "
                       f"{when.label}.")
            facts.append(lvl)
    return Text(" ".join(out), facts)


def _product_clause(b: Briefing, code: str, flow: str, span: str) -> tuple[str, list]:
    """"rose 11.6% by volume to 58,193.1 tonnes; their value ..." (no subject, no period), and its facts."""
    vol = b.get(b.period, span, flow, "volume", "", product=code)
    gv = b.get(b.period, span, flow, "growth_yoy_volume", "", product=code)
    level, g = b.pair(span, flow, product=code)
    parts, facts = [], [vol, gv]
    if gv is not None:
        parts.append(f"{b.change(gv)} by volume" + (f" to {_qty(vol)}" if vol is not None else ""))
    elif vol is not None:
        parts.append(f"came to {_qty(vol)}")
    if level is not None or g is not None:
        s, used = b.movement("their value" if parts else "", level, g, yoy=False)
        parts.append(s.strip())
        facts += used
    return "; ".join(parts), facts


def products(b: Briefing) -> Text:
    """The product lines the release gives: volumes and values, the month and then the year to date."""
    out, facts = [], []
    for code in b.reporter.featured("products", "monthly"):
        name = b.name("product", code)
        for flow in ("exports", "imports"):
            subject = f"{_cap(flow)} of {name}"
            month, f1 = _product_clause(b, code, flow, "month")
            ytd, f2 = ("", []) if b.first_of_year else _product_clause(b, code, flow, "ytd")
            if month and ytd:
                out.append(f"{subject} {_first_clause(month, b.period.label)}; in {b.ytd.label} they "
                           f"{_first_clause(ytd, '')}.")
            elif month or ytd:
                out.append(f"{subject} {_first_clause(month or ytd, (b.period if month else b.ytd).label)}.")
            facts += f1 + f2
    return Text(" ".join(out), facts)


def _first_clause(clause: str, when: str) -> str:
    """The period placed after the first clause: "rose 6.9% by volume to 103.78 million tonnes in
    January–November 2025; their value ..."."""
    if not when:
        return clause
    head, sep, rest = clause.partition("; ")
    if ". " in head:   # a level and a rate of another basis: "came to X. In dollar terms, they ..."
        first, dot, after = head.partition(". ")
        return f"{first} in {when}{dot}{after}{sep}{rest}"
    return f"{head} in {when}{sep}{rest}"


def _qty(f: MFact) -> str:
    return fmt.quantity(f.value, f.printed_unit, f.decimals)


def lead(b: Briefing) -> list[Text]:
    """The main points: the month's exports and imports, its balance, the year to date (or, for the year's
    first release, the month's total), the partner whose trade moved most."""
    points = [month_flows(b), balance_short(b)]
    if not b.first_of_year:
        for flow in FLOWS:   # the year's total, else the first flow the release gives for the year to date
            level, g = b.pair("ytd", flow)
            s, used = b.movement(_cap(FLOW_NAMES[flow]), level, g, f"in {b.ytd.label}", plural=flow != "total")
            if s:
                points.append(Text(s + ".", used))
                break
    else:
        points.append(month_total(b, in_lead=True))
    mover = _largest_partner_move(b)
    if mover:
        points.append(mover)
    return [p for p in points if p]


def _largest_partner_move(b: Briefing) -> Text:
    best = None
    for span in ("month",) if b.first_of_year else ("month", "ytd"):
        for flow in FLOWS:
            for code in b.reporter.featured("partners"):
                if not b.name("partner", code):
                    continue
                g = b.growth(b.period, span, flow, partner=code, currencies=(b.currency,))
                if g is not None and (best is None or abs(g.value) > abs(best[2].value)):
                    best = (span, flow, g, code)
    if best is None:
        return Text("")
    span, flow, g, code = best
    when = b.period if span == "month" else b.ytd
    return Text(f"{_cap(PARTNER_SUBJECT[flow])} {b.name('partner', code)} {b.change(g)} year on year in "
                f"{when.label}, the largest change among the partners named in the release.", [g])


def about(b: Briefing) -> Text:
    """What the figures are and where they come from (for the closing section)."""
    pub = b.reporter.publisher
    n_later = int(b.vintages[b.vintages.index > b.released].sum())
    s = (f"This briefing reports {b.reporter.possessive} monthly trade figures for {b.period.label} as published "
         f"by {pub}, read from the release's own pages and from news organisations' reports of it. "
         f"The figures were released on {_date(b.released)}")
    if n_later:
        later = sorted(v for v in b.vintages.index if v > b.released)
        s += (f"; {fmt.count_word(n_later)} of them are as given in a later release "
              f"({fmt.and_list([_date(v) for v in later])})")
    s += "."
    parts = [s]
    cur = fmt.currency_name(b.currency)
    other = fmt.currency_name(b.other) if b.other else ""
    parts.append(f"Figures are in {cur}. "
                 + (f"A figure published only in {other} is given as such, and a growth rate is always set beside "
                    "a level of its own currency. " if other else "")
                 + "Growth is year on year: on the same period a year earlier, as published; "
                 f"{b.reporter.publisher_short} compute it on revised figures for the year before, so it can "
                 "differ slightly from the change between two levels as first published. A balance marked \u2020 "
                 "is computed from the published exports and imports.")
    return Text(" ".join(parts), [])


# ------------------------------------------------------------------------------------------ the briefing, declared once
SECTIONS: tuple[Section, ...] = (
    Section("Main points", (Part("points", lead),)),
    Section("Key figures", (Part("keyfigures", lambda b: b),)),
    Section(lambda b: f"{month_name(b.period)}: what moved",
            (Part("text", first_release), Part("text", momentum), Part("text", month_total), Part("text", balance),
             Part("chart", lambda b: ("months", b)))),
    Section("Partners and products", (Part("text", partners), Part("text", products))),
    Section(lambda b: f"The year to date: {b.ytd.label}", (Part("text", year_to_date),)),
)
