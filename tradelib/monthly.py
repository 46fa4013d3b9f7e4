"""Monthly figures: the customs' monthly release, for the month and for the year to date.

The customs publish every month; January and February are published together, as one period. Each time a
monthly figure was seen on a page it is one row of ``monthly_sightings.csv`` (the format of ``sightings.csv``
with ``period`` and ``span`` in place of ``year``):

* ``period``: ``YYYY-MM`` for a month, ``YYYY-01..02`` for the combined January–February;
* ``span``: ``month`` for the period itself, ``ytd`` for January to the end of the period (the
  January–February period is its own year to date, so it takes ``month`` only);
* measure ``fx_avg`` (unit ``CNY per USD``, no flow, partner, product or enterprise) holds a published
  average exchange rate of the period, used to check yuan against dollar figures.

:func:`load` reads and validates the sightings and settles them by the rules of :mod:`tradelib.compile`
(the same :func:`tradelib.compile.settle`, with the source kinds of ``domains.csv``). The checks of the
monthly data are functions returning findings, so a gap is reported rather than hidden:

* :func:`check_sums`: the months of a year add up to its year to date, and each year-to-date figure less the
  previous one gives the month, within the published digits; a gap beyond them is a revision;
* :func:`check_identities`: exports + imports = total and exports − imports = balance within a period;
* :func:`check_rates`: yuan and dollar figures of a period against the period's average rate where one is
  held, and the rates implied by different flows of a period against each other;
* :func:`check_growth`: reported year-on-year growth against the levels of the same period a year earlier.

``python -m tradelib.monthly`` prints the checks and rewrites the generated monthly block of the data card.
"""
from __future__ import annotations

import calendar
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from . import fmt, paths
from . import period as periods
from . import reporter as reporters
from .compile import classify, load_domains, settle
from .errors import DataError, TradelibError
from .sources import GROUP_COLUMNS, KEY, SOURCE_COLUMNS, read_csv_rows
from .validate import (LAST_DIGIT_TOLERANCE, RATE_TOLERANCE, REVISION_TOLERANCE_PP, UNITS, _check_source_ids, _date, _number, check_cell, check_sources,
                       dynamic_groups)

MONTHLY_SIGHTINGS_CSV = paths.DATA_DIR / "monthly_sightings.csv"
MONTHLY_SIGHTING_COLUMNS = ["period", "span", "flow", "partner", "product", "enterprise", "measure", "value",
                            "unit", "currency", "source_id", "vintage", "note", "quote", "ruling"]
MONTHLY_KEY = ["period", "span", "flow", "partner", "product", "enterprise", "measure", "currency"]
SPANS = ("month", "ytd")
FX_MEASURE = "fx_avg"
OWN = reporters.figures_reporter().currencies[0]   # the customs' own currency
FX_UNIT = f"{OWN} per USD"
HEADLINE = ("total", "exports", "imports", "balance")
# The customs revise earlier months in each release; a year to date that differs from the sum of the months as
# first published by no more than this share of it is reported as a revision. A larger gap is a figure to check
# (a mistyped month, a month of another currency or unit).
REVISION_SHARE = 0.005

BEGIN = "<!-- generated: python -m tradelib.monthly -->"
END = "<!-- end generated monthly -->"

_PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:\.\.(\d{2}))?$")


# ------------------------------------------------------------------ periods
class Period(periods.Period):
    """A month of the customs' release, or the combined January–February: a :class:`tradelib.period.Period`
    (its code, label, end and kind) with the release's rule that January and February are one period."""

    @classmethod
    def parse(cls, text: str) -> "Period":
        m = _PERIOD.match(text or "")
        if not m:
            raise ValueError(f"period {text!r} is not YYYY-MM or YYYY-01..02")
        year, first = int(m.group(1)), int(m.group(2))
        last = int(m.group(3)) if m.group(3) else first
        if (first, last) in ((1, 1), (2, 2)):
            raise ValueError(f"period {text!r}: January and February are published together; write {year}-01..02")
        if m.group(3) and (first, last) != (1, 2):
            raise ValueError(f"period {text!r}: the only combined period is January–February ({year}-01..02)")
        if not 1 <= first <= 12:
            raise ValueError(f"period {text!r}: month {first} is not 01–12")
        return cls(year, first, last)

    @property
    def combined(self) -> bool:
        return self.is_range

    @property
    def ytd_label(self) -> str:
        return f"{calendar.month_name[1]}–{calendar.month_name[self.last]} {self.year}"

    def year_earlier(self) -> "Period":
        return Period(self.year - 1, self.first, self.last)

    def previous(self, combined=()) -> "Period | None":
        """The period before this one in the same year (None for January–February); ``combined`` is taken for
        the base class's signature, the release's own rule (January–February as one period) applies."""
        if self.combined:
            return None
        return Period(self.year, 1, 2) if self.first == 3 else Period(self.year, self.first - 1, self.first - 1)

    def to_date(self) -> list["Period"]:
        """The periods from January–February to this one: what its year to date is made of."""
        out = [Period(self.year, 1, 2)]
        out += [Period(self.year, m, m) for m in range(3, self.last + 1)]
        return out


def latest_due(today: date) -> Period:
    """The newest period whose release is due by ``today``.

    The customs publish a month's figures in the first half of the next month (around the 7th to the 14th); a
    month is counted as due from the 15th of the next month. January is not published alone, so until
    January–February is due the newest period is the previous December.
    """
    back = 1 if today.day >= 15 else 2
    year, month = today.year, today.month - back
    if month <= 0:
        year, month = year - 1, month + 12
    if month == 1:
        return Period(year - 1, 12, 12)
    if month == 2:
        return Period(year, 1, 2)
    return Period(year, month, month)


def periods(start: str, end: str) -> list[Period]:
    """Every period from ``start`` to ``end`` (inclusive), as the customs publish them."""
    a, b = Period.parse(start), Period.parse(end)
    out = []
    for y in range(a.year, b.year + 1):
        for p in Period(y, 12, 12).to_date():
            if a <= p <= b:
                out.append(p)
    return out


# ------------------------------------------------------------------ numbers as printed
def quote_carries(value: str, quote: str) -> bool:
    """The quote prints the number (its digits, ignoring sign and thousands separators; a decimal comma, as in
    "24,83 trilhões", counts as a decimal point)."""
    digits = value.lstrip("-\u2212")
    pattern = r"(?<![\d.])" + re.escape(digits) + r"(?![\d]|\.\d)"
    return any(re.search(pattern, text) for text in (quote.replace(",", ""), quote.replace(",", ".")))


# ------------------------------------------------------------------ loading
def _check_row(r, path: Path, known: set[str], published: dict[str, str]) -> dict:
    line = r.line
    try:
        period = Period.parse(r.period)
    except ValueError as e:
        raise DataError(path, line, "period", str(e)) from None
    if r.span not in SPANS:
        raise DataError(path, line, "span", f"span {r.span!r} is not one of {', '.join(SPANS)}")
    if period.combined and r.span == "ytd":
        raise DataError(path, line, "span", "the January–February period is its own year to date; record it "
                        "with span month")
    value, decimals = _number(r.value, path, line)
    if r.measure == FX_MEASURE:
        if r.flow or r.partner or r.product or r.enterprise or r.currency:
            raise DataError(path, line, "exchange rate", "an fx_avg row leaves flow, partner, product, enterprise "
                            "and currency empty")
        if r.unit != FX_UNIT:
            raise DataError(path, line, "exchange rate", f"an fx_avg row takes unit {FX_UNIT!r}")
        if not 1 <= value <= 20:
            raise DataError(path, line, "plausible rate", f"{value} {fmt.currency_name(OWN)} per dollar is not a plausible rate")
        dim, factor = "rate", 1.0
    else:
        value, decimals, dim, factor = check_cell(r, path, line)
        if r.measure == "value" and r.flow != "balance" and value < 0:
            raise DataError(path, line, "sign", f"a {r.flow} value cannot be negative ({r.value})")
        if r.measure == "growth_yoy" and value <= -100:
            raise DataError(path, line, "growth above -100%", f"growth {r.value}% would mean a negative level")
    ids = _check_source_ids(r.source_id, known, path, line)
    if len(ids) != 1:
        raise DataError(path, line, "one source", "a sighting names exactly one source (one row per page)")
    vintage = _date(r.vintage, path, line, "vintage")
    if vintage <= period.end:
        raise DataError(path, line, "released after the period",
                        f"a figure for {period} cannot come from a release dated {r.vintage}")
    pub = published.get(ids[0])
    if pub and pub[:7] <= f"{period.year}-{period.last:02d}":
        raise DataError(path, line, "released after the period",
                        f"source {ids[0]} was published {pub}, before {period} ended; check the period")
    if not r.quote:
        raise DataError(path, line, "quote", "every monthly sighting keeps the verbatim phrase it was seen in")
    if not quote_carries(r.value, r.quote):
        raise DataError(path, line, "quote carries the figure",
                        f"the quote does not print {r.value}; check the value against the page")
    if r.ruling and not r.ruling.startswith("left out: "):
        raise DataError(path, line, "ruling", f"ruling {r.ruling!r} must start with 'left out: ' and say why")
    return {"decimals": decimals, "factor": factor, "dimension": dim}


def read_sightings(path: Path | None = None, sources_path: Path | None = None) -> pd.DataFrame:
    """The monthly sightings as written, each row checked; refuses a broken row with one clear error."""
    path = Path(path or MONTHLY_SIGHTINGS_CSV)
    sources = read_csv_rows(sources_path or paths.SOURCES_CSV, SOURCE_COLUMNS, optional=("seen_at",))
    known = set(sources.source_id)
    published = dict(zip(sources.source_id, sources.published))
    df = read_csv_rows(path, MONTHLY_SIGHTING_COLUMNS, optional=("note", "quote", "ruling"))
    for r in df.itertuples():
        _check_row(r, path, known, published)
    return df


@dataclass
class Monthly:
    """Settled monthly figures, their conflicts and the sources they cite."""

    figures: pd.DataFrame  # one row per figure (latest release): MONTHLY_KEY + value, unit, source_id, vintage...
    all_vintages: pd.DataFrame  # every release's figure, where a later release revised an earlier one
    conflicts: pd.DataFrame
    uncited: pd.DataFrame
    sources: pd.DataFrame
    sightings: pd.DataFrame
    dynamic: frozenset = frozenset()  # groups redefined over time (groups.csv rows with member "*")

    def get(self, period: str | Period, span: str, flow: str, measure: str = "value", currency: str = OWN,
            partner: str = "WLD", product: str = "ALL", enterprise: str = "ALL") -> pd.Series | None:
        f = self.figures
        hit = f[(f.period == str(period)) & (f.span == span) & (f.flow == flow) & (f.measure == measure)
                & (f.currency == currency) & (f.partner == partner) & (f["product"] == product)
                & (f.enterprise == enterprise)]
        return None if hit.empty else hit.iloc[-1]

    @property
    def periods(self) -> list[Period]:
        return sorted({Period.parse(p) for p in self.figures.period})


def _with_amounts(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    nums = [_number(v, "", None) for v in out.value]
    out["number"] = [n for n, _ in nums]
    factors = [UNITS[u][1] if u in UNITS else 1.0 for u in out.unit]
    out["amount"] = out["number"] * factors
    out["tolerance"] = [LAST_DIGIT_TOLERANCE * 10 ** (-d) * f for (_, d), f in zip(nums, factors)]
    return out


def data_files(folder: Path | str | None = None, path: Path | None = None) -> list[Path]:
    """The files :func:`load` reads: the monthly sightings and the sources, domains and groups beside them."""
    folder = Path(folder or paths.DATA_DIR)
    return [Path(path or folder / "monthly_sightings.csv")] + [folder / n for n in ("sources.csv", "domains.csv",
                                                                                    "groups.csv")]


def checksum(files: list[Path]) -> str:
    import hashlib

    from . import __version__

    h = hashlib.sha256(f"monthly|{__version__}".encode())
    for f in files:
        h.update(f"|{Path(f).resolve()}|".encode())
        try:
            h.update(Path(f).read_bytes())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def hand_over(m: "Monthly", files: list[Path], folder: Path) -> Path:
    """Pickle settled monthly figures into ``folder`` (private to this user) for the kernel of a render, which
    then need not settle the sightings again (:func:`load` takes them when the files' checksums match)."""
    from .sources import write_handed_over

    return write_handed_over(folder, "monthly.pickle", "monthly", checksum(files), m)


def _handed_over(files: list[Path]) -> "Monthly | None":
    from .sources import read_handed_over

    return read_handed_over("monthly", lambda: checksum(files))


def load(path: Path | None = None, folder: Path | None = None) -> Monthly:
    """Read, validate and settle the monthly sightings (the bundled data by default). In the kernel of a
    render, the figures the render settled are taken as they are when the files have not changed."""
    folder = Path(folder or paths.DATA_DIR)
    path = Path(path or folder / "monthly_sightings.csv")
    known = _handed_over(data_files(folder, path))
    if known is not None:
        return known
    src_path = folder / "sources.csv"
    sightings = read_sightings(path, src_path)
    sources = check_sources(read_csv_rows(src_path, SOURCE_COLUMNS, optional=("seen_at",)), src_path)
    sources = classify(sources, load_domains(folder / "domains.csv"), src_path)
    kinds = dict(zip(sources.source_id, sources.kind))
    # compile.settle groups on the annual key; the period and span ride in its "year" column
    s = sightings.copy()
    s["year"] = s.period + "/" + s.span
    value_columns = KEY + ["value", "unit", "source_id", "vintage", "note", "quote"]
    settled = settle(s, kinds, KEY, value_columns)

    def unpack(rows: list[dict]) -> pd.DataFrame:
        df = pd.DataFrame(rows)
        if df.empty:
            return pd.DataFrame(columns=["period", "span"])
        split = df.pop("year").str.split("/", expand=True)
        df.insert(0, "period", split[0])
        df.insert(1, "span", split[1])
        return df

    all_vintages = _with_amounts(unpack(settled.kept)[MONTHLY_SIGHTING_COLUMNS[:-1]])
    figures = all_vintages.sort_values("vintage", kind="stable").drop_duplicates(MONTHLY_KEY, keep="last")
    conflicts, uncited = unpack(settled.conflicts), unpack(settled.uncited)
    groups = read_csv_rows(folder / "groups.csv", GROUP_COLUMNS)
    return Monthly(figures=figures.sort_index().reset_index(drop=True), all_vintages=all_vintages,
                   conflicts=conflicts, uncited=uncited,
                   sources=sources, sightings=sightings, dynamic=frozenset(dynamic_groups(groups)))


# ------------------------------------------------------------------ checks
@dataclass(frozen=True)
class Finding:
    """One comparison of the monthly checks: what was compared, the two sides, and whether they agree."""

    check: str
    what: str
    expected: float
    seen: float
    tolerance: float

    @property
    def gap(self) -> float:
        return self.seen - self.expected

    @property
    def agrees(self) -> bool:
        return abs(self.gap) <= self.tolerance * (1 + 1e-9)

    def __str__(self) -> str:
        def show(v: float, signed: bool = False) -> str:
            sign = "+" if signed else ""
            return f"{v / 1e9:{sign},.3f} billion" if abs(self.expected) >= 1e6 else f"{v:{sign}.3g}"
        state = "agrees" if self.agrees else "gap"
        return (f"{self.check}: {self.what}: {show(self.seen)} against {show(self.expected)} "
                f"({state} {show(self.gap, True)}, tolerance {show(self.tolerance)})")


def _values(m: Monthly) -> dict[tuple, pd.Series]:
    f = m.figures
    f = f[f.measure == "value"]
    return {(r.period, r.span, r.flow, r.partner, r["product"], r.enterprise, r.currency): r for _, r in f.iterrows()}


def _ytd(vals: dict, p: Period, rest: tuple) -> pd.Series | None:
    """The year-to-date figure of a period; January–February is its own year to date."""
    return vals.get((str(p), "month" if p.combined else "ytd") + rest)


def check_sums(m: Monthly) -> list[Finding]:
    """Months add up to the year to date, and year-to-date steps give the month, within the published digits.

    For every year-to-date level held: (a) if the month levels of every period from January–February to it are
    held, their sum against it; (b) if the year-to-date level of the period before is held with the month level,
    the previous year to date plus the month against it. A finding that does not agree is a revision (the
    customs revise earlier months in later releases; :func:`revision_sized`) or a mistyped figure; either way
    it is reported.
    """
    vals = _values(m)
    out: list[Finding] = []
    rests = {k[2:] for k in vals}
    for rest in sorted(rests):
        for p in m.periods:
            if p.combined:
                continue
            ytd = vals.get((str(p), "ytd") + rest)
            if ytd is None:
                continue
            what = f"{p.ytd_label} {rest[0]} {'/'.join(rest[1:4])} {rest[4]}"
            parts = [vals.get((str(q), "month") + rest) for q in p.to_date()]
            if all(x is not None for x in parts):
                out.append(Finding("months add up", what, ytd.amount, sum(x.amount for x in parts),
                                   ytd.tolerance + sum(x.tolerance for x in parts)))
            prev, month = _ytd(vals, p.previous(), rest), vals.get((str(p), "month") + rest)
            if prev is not None and month is not None and len(parts) > 2:
                out.append(Finding("previous year to date + month", what, ytd.amount, prev.amount + month.amount,
                                   ytd.tolerance + prev.tolerance + month.tolerance))
    return out


def revision_sized(x: Finding) -> bool:
    """A sums finding outside the published digits but within ``REVISION_SHARE`` of the year to date."""
    return not x.agrees and abs(x.gap) <= REVISION_SHARE * abs(x.expected)


def check_identities(m: Monthly) -> list[Finding]:
    """exports + imports = total and exports − imports = balance, for every period, span, currency and release
    (a figure revised by a later release is compared with the figures of that release only)."""
    f = m.all_vintages
    out = []
    groups: dict[tuple, dict[str, pd.Series]] = {}
    for _, r in f[f.measure == "value"].iterrows():
        key = (r.period, r.span, r.partner, r["product"], r.enterprise, r.currency, r.vintage)
        groups.setdefault(key, {})[r.flow] = r
    for (period, span, partner, product, enterprise, cur, _), by in sorted(groups.items()):
        e, i = by.get("exports"), by.get("imports")
        if e is None or i is None:
            continue
        what = f"{period} {span} {partner}/{product}/{enterprise} {cur}"
        if "total" in by:
            t = by["total"]
            out.append(Finding("exports + imports = total", what, t.amount, e.amount + i.amount,
                               e.tolerance + i.tolerance + t.tolerance))
        if "balance" in by:
            b = by["balance"]
            out.append(Finding("exports − imports = balance", what, b.amount, e.amount - i.amount,
                               e.tolerance + i.tolerance + b.tolerance))
    return out


def check_rates(m: Monthly, tolerance: float = RATE_TOLERANCE) -> list[Finding]:
    """Yuan against dollar levels of a period.

    Where a published average rate of the period (``fx_avg``) is held, each flow's yuan/dollar ratio is
    compared with it (within ``tolerance``, relative). Where two or more flows of a period are held in both
    currencies, their ratios are compared with each other: one month has one rate, so a ratio far from the
    others points to a mistyped unit or currency.
    """
    vals = _values(m)
    f = m.figures
    rates = {(r.period, r.span): r.number for _, r in f[f.measure == FX_MEASURE].iterrows()}
    implied: dict[tuple, dict[str, float]] = {}
    for (period, span, flow, partner, product, enterprise, cur), r in vals.items():
        if cur != OWN or flow == "balance":
            continue
        usd = vals.get((period, span, flow, partner, product, enterprise, "USD"))
        if usd is not None and usd.amount > 0:
            implied.setdefault((period, span), {})[f"{flow} {partner}/{product}/{enterprise}"] = r.amount / usd.amount
    out = []
    for (period, span), by in sorted(implied.items()):
        rate = rates.get((period, span))
        for what, ratio in sorted(by.items()):
            if rate is not None:
                out.append(Finding(f"{fmt.compound(OWN)}/dollar against the average rate", f"{period} {span} {what}", rate, ratio,
                                   rate * tolerance))
        if len(by) > 1:
            ref_what, ref = sorted(by.items())[0]
            for what, ratio in sorted(by.items())[1:]:
                out.append(Finding(f"{fmt.compound(OWN)}/dollar ratios of one period agree",
                                   f"{period} {span} {what} against {ref_what}", ref, ratio, ref * tolerance))
    return out


def check_growth(m: Monthly) -> list[Finding]:
    """Reported growth against the levels of the same period a year earlier, where both levels are held.

    The tolerance is the rounding of the two levels and of the rate; a larger gap up to
    ``REVISION_TOLERANCE_PP`` is what the customs' revised prior-year base gives, and is reported as such by
    :func:`revised_base`. Groups whose membership changes (Belt and Road partners) are not compared: their
    growth is computed on the current membership.
    """
    vals = _values(m)
    f = m.figures
    out = []
    for _, r in f[f.measure == "growth_yoy"].iterrows():
        if not r.currency or r.flow == "balance" or r.partner in m.dynamic:
            continue
        rest = (r.flow, r.partner, r["product"], r.enterprise, r.currency)
        p = Period.parse(r.period)
        cur, prev = vals.get((r.period, r.span) + rest), vals.get((str(p.year_earlier()), r.span) + rest)
        if cur is None or prev is None or prev.amount <= 0:
            continue
        computed = (cur.amount / prev.amount - 1) * 100
        rounding = 100 * (cur.amount / prev.amount) * (cur.tolerance / cur.amount + prev.tolerance / prev.amount) \
            + 0.5 * 10 ** (-_number(r.value, "", None)[1])
        out.append(Finding("growth against the levels a year earlier",
                           f"{r.period} {r.span} {' '.join(rest)}", computed, r.number, rounding))
    return out


def revisions(m: Monthly) -> list[Finding]:
    """Figures a later release gave differently from an earlier one (each later value against the first)."""
    out = []
    for key, g in m.all_vintages.groupby(MONTHLY_KEY, sort=True):
        if len(g) < 2:
            continue
        g = g.sort_values("vintage")
        first = g.iloc[0]
        for _, r in g.iloc[1:].iterrows():
            out.append(Finding("revised by a later release",
                               f"{' '.join(str(k) for k in key if k)} ({first.vintage} → {r.vintage})",
                               first.amount, r.amount, first.tolerance + r.tolerance))
    return out


def revised_base(findings: list[Finding]) -> list[Finding]:
    """Growth findings outside rounding but within the revision tolerance: computed on a revised base."""
    return [x for x in findings if not x.agrees and abs(x.gap) <= REVISION_TOLERANCE_PP + x.tolerance]


def all_checks(m: Monthly) -> dict[str, list[Finding]]:
    return {"sums": check_sums(m), "identities": check_identities(m), "rates": check_rates(m),
            "growth": check_growth(m), "revisions": revisions(m)}


# ------------------------------------------------------------------ the data card
MEASURE_GROUPS = [  # (label, selector)
    (f"Month {fmt.CURRENCY_TABLE[OWN]['short_symbol']}", lambda f: _head(f) & (f.span == "month") & (f.currency == OWN)),
    (f"YTD {fmt.CURRENCY_TABLE[OWN]['short_symbol']}", lambda f: _head(f) & (f.span == "ytd") & (f.currency == OWN)),
    ("Month $", lambda f: _head(f) & (f.span == "month") & (f.currency == "USD")),
    ("YTD $", lambda f: _head(f) & (f.span == "ytd") & (f.currency == "USD")),
    ("Partners", lambda f: (f.partner != "WLD") & (f.measure != FX_MEASURE)),
    ("Products", lambda f: (f["product"] != "ALL") & (f.measure != FX_MEASURE)),
]


def _head(f: pd.DataFrame) -> pd.Series:
    return (f.partner == "WLD") & (f["product"] == "ALL") & (f.enterprise == "ALL") & f.flow.isin(HEADLINE)


LETTERS = {"total": "T", "exports": "X", "imports": "M", "balance": "B"}
CURRENCY_SIGNS = {OWN: fmt.CURRENCY_TABLE[OWN]["short_symbol"], "USD": "$"}


def _missing(m: Monthly, p: Period) -> str:
    """The headline figures not held for a period, per currency and span: letters T X M B for the levels of
    total, exports, imports and balance, %T %X %M for their growth rates; "all" when none is held."""
    f = m.figures
    f = f[(f.period == str(p)) & _head(f)]
    spans = ("month",) if p.combined else SPANS
    parts = []
    for cur in (OWN, "USD"):
        for span in spans:
            g = f[(f.span == span) & (f.currency == cur)]
            lack = [LETTERS[x] for x in HEADLINE if x not in set(g[g.measure == "value"].flow)]
            lack += ["%" + LETTERS[x] for x in HEADLINE[:3] if x not in set(g[g.measure == "growth_yoy"].flow)]
            if lack:
                text = "all" if len(lack) == 7 else " ".join(lack)
                parts.append(f"{CURRENCY_SIGNS[cur]} {'month' if span == 'month' else 'YTD'}: {text}")
    return "; ".join(parts) if parts else "—"


def coverage(m: Monthly, start: str, end: str) -> pd.DataFrame:
    """Per period: figures held by group, sources cited by kind, and the headline figures missing."""
    f = m.figures
    kinds = dict(zip(m.sources.source_id, m.sources.kind))
    rows = []
    for p in periods(start, end):
        fp = f[f.period == str(p)]
        row = {"Period": p.label, "Figures": len(fp)}
        for label, sel in MEASURE_GROUPS:
            row[label] = int(sel(fp).sum()) if not fp.empty else 0
        cited = {s for ids in fp.source_id for s in ids.split(";")}
        row["Pages official/news"] = (f"{sum(kinds[s] == 'official' for s in cited)}/"
                                      f"{sum(kinds[s] == 'news' for s in cited)}")
        row["Headline figures missing"] = _missing(m, p)
        rows.append(row)
    return pd.DataFrame(rows)


THROUGH = re.compile(r"<!-- through (\S+) -->")


def markdown(m: Monthly, start: str = "2023-01..02", end: str | None = None) -> str:
    """The generated block of the data card: periods ``start`` to ``end`` (by default the newest held)."""
    end = end or str(max(m.periods))
    cov = coverage(m, start, end)
    head = "| " + " | ".join(cov.columns) + " |\n|---|" + "---:|" * (len(cov.columns) - 2) + "---|\n"
    rows = "".join("| " + " | ".join(str(v) if v != 0 else "·" for v in r) + " |\n" for r in cov.itertuples(index=False))
    used = {s for ids in m.figures.source_id for s in ids.split(";")}
    kinds = pd.Series([k for s, k in zip(m.sources.source_id, m.sources.kind) if s in used]).value_counts()
    checks = all_checks(m)
    lines = []
    for name, found in checks.items():
        gaps = [x for x in found if not x.agrees]
        lines.append(f"- {name}: {len(found)} comparisons, {len(gaps)} outside the published digits")
        lines += [f"  - {_explain(name, x, found)}" for x in gaps]
    summary = (f"{len(m.figures)} monthly figures for {len(m.periods)} periods ({m.periods[0]} to "
               f"{m.periods[-1]}) from {len(m.sightings)} sightings on {len(used)} cited pages "
               f"({kinds.get('official', 0)} official, {kinds.get('news', 0)} news organisations); "
               f"{len(m.conflicts)} disagreeing sightings settled; {len(m.uncited)} figures seen only on "
               "pages that cannot be cited.")
    return (f"{BEGIN}\n<!-- through {end} -->\n\n{summary} The table runs to {Period.parse(end).label}, the "
            "newest release due when the card was written.\n\nFigures held per period (after settling; the ¥ and $ columns count the "
            "headline: total, exports, imports and balance, levels and growth; in the last column T X M B are the "
            "levels of total, exports, imports and balance, %T %X %M their growth rates):\n\n"
            f"{head}{rows}\nChecks (`tradelib.monthly`):\n\n" + "\n".join(lines)
            + f"\n\n{END}")


def _explain(name: str, x: Finding, found: list[Finding]) -> str:
    if name == "sums":
        why = "a revision of earlier months" if revision_sized(x) else "larger than a revision: check the figures"
    elif name == "growth":
        why = "on the revised prior-year base" if x in revised_base(found) else "beyond a revised base: check"
    elif name == "revisions":
        why = "the later release is used"
    else:
        why = "check the figures"
    return f"{x} — {why}"


def update_card(path: Path | None = None, m: Monthly | None = None, today: date | None = None) -> bool:
    """Rewrite the generated monthly block of the data card, through the newest release due ``today``."""
    path = path or paths.DATA_DIR / "README.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    m = m or load()
    through = max(latest_due(today or date.today()), max(m.periods))
    new = text[:start] + markdown(m, end=str(through)) + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    try:
        m = load()
    except TradelibError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for name, found in all_checks(m).items():
        gaps = [x for x in found if not x.agrees]
        print(f"{name}: {len(found)} comparisons, {len(gaps)} outside the published digits")
        for x in gaps:
            print(f"  {x}")
    changed = update_card(m=m)
    print("tradelib/data/README.md " + ("updated" if changed else "already up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
