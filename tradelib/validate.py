"""Rules the official figures must meet on load. Each broken rule is one DataError naming file, line and rule.

Tolerances follow the published precision: a value published as 45.47 (trillion) is taken to be within one
unit of its last digit (±0.01 trillion) of the truth, since outlets sometimes truncate rather than round
(US$2.48 trillion for 2018 exports of US$2.487 trillion); identities are checked within the sum of their
terms' tolerances.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from . import fmt
from . import reporter as reporters
from .errors import DataError

FLOWS = ("total", "exports", "imports", "balance")
HEADLINE_FLOWS = ("total", "exports", "imports")
ENTERPRISES = ("ALL", "PRIVATE", "FOREIGN_INVESTED", "STATE_OWNED")
CURRENCIES = reporters.figures_reporter().currencies   # of the published figures: the publisher's own first
OWN = CURRENCIES[0]
WHO = reporters.figures_reporter().possessive
SOURCE_KINDS = ("official", "news", "other")

# unit -> (dimension, factor to base units)
UNITS = {
    "trillion": ("money", 1e12),
    "billion": ("money", 1e9),
    "100 million": ("money", 1e8),
    "million": ("money", 1e6),
    "thousand": ("money", 1e3),
    "percent": ("percent", 1.0),
    "percentage points": ("pp", 1.0),
    "rank": ("rank", 1.0),
    "years": ("years", 1.0),
    "million tonnes": ("mass", 1e6),
    "tonnes": ("mass", 1.0),
    "billion tonnes": ("mass", 1e9),
    "100 million tonnes": ("mass", 1e8),
    "billion units": ("count", 1e9),
    "100 million units": ("count", 1e8),
    "million units": ("count", 1e6),
    "10 thousand units": ("count", 1e4),
    "units": ("count", 1.0),
    "flag": ("flag", 1.0),
}

# measure -> (allowed dimensions, currency rule: "required" | "optional" | "none")
MEASURES = {
    "value": (("money",), "required"),
    "volume": (("mass", "count"), "none"),
    "growth_yoy": (("percent",), "optional"),
    "growth_yoy_volume": (("percent",), "none"),
    "share": (("percent",), "optional"),
    "share_world": (("percent",), "optional"),
    "contribution_pp": (("pp",), "optional"),
    "rank": (("rank",), "none"),
    "rank_world": (("rank",), "none"),
    "consecutive_years_rank1": (("years",), "none"),
    "consecutive_years_rank2": (("years",), "none"),
    # statements published with the figures: "a record high", "grew faster than total exports"
    "record_high": (("flag",), "optional"),
    "growth_above_total": (("flag",), "optional"),
}

CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
URL = re.compile(r"^https?://[^\s\"'<>\\`{}|^]+$")  # characters RFC 3986 never allows unencoded are refused
MEMBER = re.compile(r"^(\*|[A-Z]{3})$")

LAST_DIGIT_TOLERANCE = 1.0
# A reported growth rate may differ from the one computed on the two published levels because the customs
# compute growth on the revised prior-year figure. Within this gap it is flagged; beyond it, refused.
REVISION_TOLERANCE_PP = 2.0  # seen: 2023 exports +0.6% reported, -0.8% on the levels first published
# The yuan/dollar ratio of a year's headline figures must be within this of the year's average rate.
RATE_TOLERANCE = 0.03
SHARE_TOLERANCE_PP = 1.0


def today() -> date:
    """The day of the render: no release, publication or access can be dated after it."""
    return date.today()


def _date(s: str, path, line, rule, what: str = "", past: bool = False) -> date:
    if not ISO_DATE.match(s):
        raise DataError(path, line, rule, f"{s!r} is not a date in the form YYYY-MM-DD")
    try:
        d = date.fromisoformat(s)
    except ValueError:
        raise DataError(path, line, rule, f"{s!r} is not a valid calendar date") from None
    if past and d > today():
        raise DataError(path, line, "not in the future", f"{what or 'date'} {s} is after today ({today()}); "
                        "a release cannot be dated in the future, check the year")
    return d


def _number(s: str, path, line, column="value") -> tuple[float, int]:
    t = s.replace("\u2212", "-")
    if not re.match(r"^-?\d+(\.\d+)?$", t):
        raise DataError(path, line, "numeric", f"{column} {s!r} is not a number; write digits with a dot "
                        "for decimals and no thousands separators or units")
    decimals = len(t.split(".")[1]) if "." in t else 0
    return float(t), decimals


def check_sources(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    seen = set()
    for r in df.itertuples():
        for col in ("source_id", "publisher", "title", "url", "accessed", "kind"):
            if not getattr(r, col):
                raise DataError(path, r.line, "source complete", f"{col} is empty; every source needs "
                                "publisher, title, URL, access date and kind")
        if not SOURCE_ID.match(r.source_id):
            raise DataError(path, r.line, "source id", f"source_id {r.source_id[:40]!r} may hold only letters, digits, "
                            "'.', '_' and '-'")
        if r.source_id in seen:
            raise DataError(path, r.line, "unique source id", f"source_id {r.source_id!r} appears twice")
        seen.add(r.source_id)
        if not URL.match(r.url):
            raise DataError(path, r.line, "source url", f"url {r.url[:80]!r} is not an http(s) address (spaces, quotes, "
                            "<, >, \\ and braces must be percent-encoded)")
        if r.published and not re.match(r"^\d{4}-\d{2}$", r.published):  # a month is precise enough
            _date(r.published, path, r.line, "source dates", "published", past=True)
        elif r.published and r.published > today().isoformat()[:7]:
            raise DataError(path, r.line, "not in the future", f"published {r.published} is after this month "
                            f"({today().isoformat()[:7]}); check the year")
        _date(r.accessed, path, r.line, "source dates", "accessed", past=True)
        if r.kind not in SOURCE_KINDS:
            raise DataError(path, r.line, "source kind", f"kind {r.kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        if r.published and r.published > r.accessed:
            raise DataError(path, r.line, "source dates", f"published {r.published} is after accessed {r.accessed}")
    return df


def check_source_kinds(sources: pd.DataFrame, path: Path, domains_path: Path) -> None:
    """Each source's kind is the kind of its web domain (domains.csv): one kind per domain."""
    from .compile import domain_of, host, load_domains

    domains = load_domains(domains_path)
    for r in sources.itertuples():
        d = domain_of(r.url, domains)
        if d is None:
            raise DataError(path, r.line, "known domain", f"the domain of {r.url} ({host(r.url)}) is not in "
                            "domains.csv; add it there as official, news or other, then run make data")
        if d.kind != r.kind:
            raise DataError(path, r.line, "kind of the domain", f"source {r.source_id} is marked {r.kind!r} but "
                            f"its domain {d.domain} is {d.kind!r} in domains.csv; run make data")
        if r.seen_at and not re.match(r"^https?://\S+$", r.seen_at):
            raise DataError(path, r.line, "source url", f"seen_at {r.seen_at!r} is not an http(s) address")


def _check_source_ids(ids: str, known: set[str], path, line) -> list[str]:
    parts = [p.strip() for p in ids.split(";") if p.strip()]
    if not parts:
        raise DataError(path, line, "source", "source_id is empty; every figure needs a source in sources.csv")
    for p in parts:
        if p not in known:
            raise DataError(path, line, "source", f"source_id {p!r} is not in sources.csv; add the source "
                            "(publisher, title, URL, dates) or correct the id")
    return parts


def check_cell(r, path: Path, line: int) -> tuple[float, int, str, float]:
    """The rules a published figure's key and number obey, wherever it is recorded (a year's figures, a month's
    sightings): known flow, codes, enterprise type and measure, a number, a unit that fits the measure and the
    currency it needs. Returns (value, decimals as printed, dimension of the unit, factor to base units)."""
    if r.flow not in FLOWS:
        raise DataError(path, line, "known flow", f"flow {r.flow!r} is not one of {', '.join(FLOWS)}")
    for col in ("partner", "product"):
        v = getattr(r, col)
        if not CODE.match(v):
            raise DataError(path, line, "code", f"{col} {v!r} must be an UPPER_SNAKE code (e.g. WLD, ALL, EAST_ASIA)")
    if r.enterprise not in ENTERPRISES:
        raise DataError(path, line, "known enterprise type",
                        f"enterprise {r.enterprise!r} is not one of {', '.join(ENTERPRISES)}")
    if r.measure not in MEASURES:
        raise DataError(path, line, "known measure",
                        f"measure {r.measure!r} is not one of {', '.join(MEASURES)}")
    value, decimals = _number(r.value, path, line)
    if r.unit not in UNITS:
        raise DataError(path, line, "known unit", f"unit {r.unit!r} is not one of {', '.join(UNITS)}")
    dim, factor = UNITS[r.unit]
    dims, currency_rule = MEASURES[r.measure]
    if dim not in dims:
        raise DataError(path, line, "unit fits measure",
                        f"unit {r.unit!r} does not fit measure {r.measure!r} (expects {' or '.join(dims)})")
    if r.currency and r.currency not in CURRENCIES:
        raise DataError(path, line, "known currency",
                        f"currency {r.currency!r} is not one of {', '.join(CURRENCIES)}")
    if currency_rule == "required" and not r.currency:
        raise DataError(path, line, "known currency", f"a {r.measure} needs a currency ({' or '.join(CURRENCIES)})")
    if currency_rule == "none" and r.currency:
        raise DataError(path, line, "known currency", f"a {r.measure} takes no currency; leave it empty")
    return value, decimals, dim, factor


def check_figures(df: pd.DataFrame, path: Path, sources: pd.DataFrame) -> pd.DataFrame:
    known = set(sources.source_id)
    published = dict(zip(sources.source_id, sources.published))
    # The rules are checked row by row only for the rows a vectorised screen cannot clear, in file order, so
    # the first broken rule is reported as it always was; all rows are then converted at once.
    out = []
    for r in df[_figure_suspects(df, known, published)].itertuples():
        line = r.line
        if not re.match(r"^\d{4}$", r.year):
            raise DataError(path, line, "year", f"year {r.year!r} is not a four-digit year")
        year = int(r.year)
        value, decimals, dim, factor = check_cell(r, path, line)
        ids = _check_source_ids(r.source_id, known, path, line)
        vintage = _date(r.vintage, path, line, "vintage", "vintage", past=True)
        if vintage <= date(year, 12, 31):
            raise DataError(path, line, "released after the year",
                            f"a figure for {year} cannot come from a release dated {r.vintage}, before the year ended")
        for sid in ids:
            pub = published.get(sid)
            if pub and pub <= f"{year}-12-31":
                raise DataError(path, line, "released after the year",
                                f"source {sid} was published {pub}, before {year} ended; check the year")
        # ranges
        if r.measure in ("value", "volume") and r.flow != "balance" and value < 0:
            raise DataError(path, line, "sign", f"a {r.flow} {r.measure} cannot be negative ({r.value})")
        if r.measure in ("share", "share_world") and not 0 <= value <= 100:
            raise DataError(path, line, "share within 0-100", f"share {r.value} is outside 0–100")
        if r.measure in ("record_high", "growth_above_total") and value not in (0, 1):
            raise DataError(path, line, "flag is 0 or 1", f"{r.measure} must be 1 (stated) or 0 (stated not to hold)")
        if r.measure in ("rank", "rank_world", "consecutive_years_rank1", "consecutive_years_rank2") and (value < 1 or value != int(value)):
            raise DataError(path, line, "positive whole number", f"{r.measure} {r.value} must be a whole number ≥ 1")
        if r.measure in ("growth_yoy", "growth_yoy_volume") and value <= -100:
            raise DataError(path, line, "growth above -100%", f"growth {r.value}% would mean a negative level")
        out.append({
            "year": year, "flow": r.flow, "partner": r.partner, "product": r.product,
            "enterprise": r.enterprise, "measure": r.measure, "value": value, "unit": r.unit,
            "currency": r.currency, "source_id": r.source_id, "vintage": r.vintage, "note": r.note,
            "quote": r.quote,
            "line": line, "decimals": decimals, "amount": value * factor,
            "tolerance": LAST_DIGIT_TOLERANCE * 10 ** (-decimals) * factor, "dimension": dim,
        })
    fig = _figure_frame(df)
    key = ["year", "flow", "partner", "product", "enterprise", "measure", "currency", "vintage"]
    dup = fig[fig.duplicated(key, keep=False)]
    if not dup.empty:
        first = dup.sort_values("line").iloc[0]
        others = dup[(dup[key] == first[key]).all(axis=1)]
        lines = ", ".join(str(x) for x in sorted(others.line))
        kind = "conflicting duplicate" if others.amount.nunique() > 1 else "duplicate"
        raise DataError(path, int(others.line.max()), "no duplicates",
                        f"{kind}: lines {lines} give the same figure ({first.year} {first.flow} {first.partner} "
                        f"{first['product']} {first.measure} {first.currency or ''}, vintage {first.vintage}); keep one "
                        "row, list corroborating sources as 'a;b', and put a disagreeing figure in conflicts.csv")
    return fig


def _figure_suspects(df: pd.DataFrame, known: set[str], published: dict[str, str]) -> pd.Series:
    """Rows that may break a rule of :func:`check_figures`, found for all rows at once (vectorised).

    A screen, not the judge: every row it flags is checked again one by one, so the first broken rule is
    reported with the same words as always; a row it clears passes every per-row rule.
    """
    t = df.value.str.replace("\u2212", "-", regex=False)
    v = pd.to_numeric(t.where(t.str.fullmatch(r"-?\d+(\.\d+)?")), errors="coerce")
    m, unit, cur = df.measure, df.unit, df.currency
    dim = unit.map({u: d for u, (d, _) in UNITS.items()})
    fits = (m + "|" + dim.fillna("")).isin({f"{k}|{d}" for k, (ds, _) in MEASURES.items() for d in ds})
    rule = m.map({k: r for k, (_, r) in MEASURES.items()})
    ok = (df.year.str.fullmatch(r"\d{4}") & df.flow.isin(FLOWS) & df.partner.str.fullmatch(CODE.pattern)
          & df["product"].str.fullmatch(CODE.pattern) & df.enterprise.isin(ENTERPRISES) & m.isin(MEASURES)
          & v.notna() & unit.isin(UNITS) & fits & ((cur == "") | cur.isin(CURRENCIES))
          & ~((rule == "required") & (cur == "")) & ~((rule == "none") & (cur != "")))
    # source ids: at least one, each known, none published before the year ended
    several = df.source_id.str.contains(";", regex=False)  # split (slowly) only where there is more than one
    ids = pd.concat([df.source_id[~several].str.strip(), df.source_id[several].str.split(";").explode().str.strip()])
    named = ids != ""
    year_end = df.year.reindex(ids.index) + "-12-31"
    pub = ids.map(published).fillna("")
    bad_id = (named & ~ids.isin(known)) | (named & (pub != "") & (pub <= year_end))
    ok &= named.groupby(level=0).any().reindex(df.index) & ~bad_id.groupby(level=0).any().reindex(df.index)
    # the vintage: a real date after the year and not after today
    vint = df.vintage
    ok &= (vint.str.fullmatch(r"\d{4}-\d{2}-\d{2}") & pd.to_datetime(vint, format="%Y-%m-%d", errors="coerce").notna()
           & (vint > df.year + "-12-31") & (vint <= today().isoformat()))
    # ranges
    bad = ((m.isin(("value", "volume")) & (df.flow != "balance") & (v < 0))
           | (m.isin(("share", "share_world")) & ~v.between(0, 100))
           | (m.isin(("record_high", "growth_above_total")) & ~v.isin((0, 1)))
           | (m.isin(("rank", "rank_world", "consecutive_years_rank1", "consecutive_years_rank2"))
              & ((v < 1) | (v != v.round())))
           | (m.isin(("growth_yoy", "growth_yoy_volume")) & (v <= -100)))
    return ~ok.fillna(False).astype(bool) | bad.fillna(False).astype(bool)


def _figure_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The checked figures as numbers: value, its decimals, amount in base units, tolerance, dimension."""
    t = df.value.str.replace("\u2212", "-", regex=False)
    value = t.astype(float)
    dot = t.str.find(".")
    decimals = (t.str.len() - dot - 1).where(dot >= 0, 0).astype(int)
    factor = df.unit.map({u: f for u, (_, f) in UNITS.items()}).astype(float)
    out = df[["flow", "partner", "product", "enterprise", "measure"]].copy()
    out.insert(0, "year", df.year.astype(int))
    out["value"] = value
    for c in ("unit", "currency", "source_id", "vintage", "note", "quote", "line"):
        out[c] = df[c]
    out["decimals"] = decimals
    out["amount"] = value * factor
    out["tolerance"] = LAST_DIGIT_TOLERANCE * 10.0 ** (-decimals) * factor
    out["dimension"] = df.unit.map({u: d for u, (d, _) in UNITS.items()})
    return out.reset_index(drop=True)


def latest_vintage(df: pd.DataFrame, key: list[str] | None = None) -> pd.DataFrame:
    key = key or ["year", "flow", "partner", "product", "enterprise", "measure", "currency"]
    return df.sort_values(["vintage", "line"]).drop_duplicates(key, keep="last").sort_values("line")


def check_indicators(df: pd.DataFrame, path: Path, sources: pd.DataFrame) -> pd.DataFrame:
    known = set(sources.source_id)
    out = []
    for r in df.itertuples():
        if not re.match(r"^\d{4}$", r.year):
            raise DataError(path, r.line, "year", f"year {r.year!r} is not a four-digit year")
        if not re.match(r"^[a-z][a-z0-9_]*$", r.indicator):
            raise DataError(path, r.line, "code", f"indicator {r.indicator!r} must be lower_snake_case")
        value, decimals = _number(r.value, path, r.line)
        if not r.unit:
            raise DataError(path, r.line, "known unit", "unit is empty")
        if r.currency and r.currency not in CURRENCIES:
            raise DataError(path, r.line, "known currency",
                            f"currency {r.currency!r} is not one of {', '.join(CURRENCIES)}")
        _check_source_ids(r.source_id, known, path, r.line)
        _date(r.vintage, path, r.line, "vintage", "vintage", past=True)
        if r.indicator == "cny_per_usd_avg" and not 1 <= value <= 20:
            raise DataError(path, r.line, "plausible rate", f"{value} {fmt.currency_name(OWN)} per dollar is not a plausible rate")
        factor = UNITS.get(r.unit, (None, 1.0))[1]
        if r.unit.endswith(" trillion") or r.unit.endswith(" billion") or r.unit.endswith(" million"):
            factor = {"trillion": 1e12, "billion": 1e9, "million": 1e6}[r.unit.split()[-1]]
        out.append({"year": int(r.year), "indicator": r.indicator, "value": value, "unit": r.unit,
                    "currency": r.currency, "source_id": r.source_id, "vintage": r.vintage, "note": r.note,
            "quote": r.quote,
                    "line": r.line, "decimals": decimals, "amount": value * factor})
    return pd.DataFrame(out)


def check_groups(df: pd.DataFrame, path: Path, sources: pd.DataFrame) -> None:
    known = set(sources.source_id)
    for r in df.itertuples():
        if not CODE.match(r.group) or not MEMBER.match(r.member):
            raise DataError(path, r.line, "code", "group must be an UPPER_SNAKE code and member a three-letter "
                            "ISO country code (or * for a row stating the group's definition)")
        _date(r.valid_from, path, r.line, "as-of dates")
        if r.valid_to:
            _date(r.valid_to, path, r.line, "as-of dates")
            if r.valid_to < r.valid_from:
                raise DataError(path, r.line, "as-of dates", "valid_to is before valid_from")
        _check_source_ids(r.source_id, known, path, r.line)


def check_baskets(df: pd.DataFrame, path: Path, sources: pd.DataFrame) -> None:
    known = set(sources.source_id)
    for r in df.itertuples():
        if not re.match(r"^\d{4}(\d{2})?$", r.hs_code):
            raise DataError(path, r.line, "hs code", f"hs_code {r.hs_code!r} must be 4 or 6 digits")
        if r.hs_version not in ("HS2012", "HS2017", "HS2022"):
            raise DataError(path, r.line, "hs version", f"hs_version {r.hs_version!r} is not HS2012/HS2017/HS2022")
        _check_source_ids(r.source_id, known, path, r.line)


def _show(r) -> str:
    return f"{r.value:g} {r.unit}"


def _within(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol * (1 + 1e-9)


@dataclass(frozen=True)
class RevisedBase:
    """A reported growth rate that differs from the one the two published levels give, by less than the
    revision tolerance: the customs computed it on a revised prior-year figure. Kept, and shown as a note."""

    year: int
    flow: str
    partner: str
    product: str
    enterprise: str
    currency: str
    reported: float
    computed: float

    def __str__(self) -> str:
        return (f"{self.year} {self.flow} {self.partner}/{self.product}/{self.enterprise} {self.currency}: reported "
                f"growth {self.reported:g}% vs {self.computed:.2f}% computed from the published levels (base revised "
                "in the later release)")


def dynamic_groups(groups: pd.DataFrame) -> set[str]:
    """Groups whose membership is redefined over time (rows with member "*" state the definition's history).

    Their reported growth is computed by the customs on the current membership, so it cannot be checked
    against levels published under an earlier definition.
    """
    return set(groups.loc[groups.member == "*", "group"])


def _identity_suspects(values: pd.DataFrame, k5: list[str]) -> list[tuple]:
    """Keys whose exports, imports and total or balance may break an identity (a vectorised screen, with a
    little slack: the rows of these keys are then checked one by one)."""
    w = values.set_index(k5 + ["flow"])[["amount", "tolerance"]].unstack("flow")
    a, tol = w["amount"], w["tolerance"]

    def col(df, flow):
        return df[flow] if flow in df else pd.Series(float("nan"), index=df.index)

    e, i, t, b = (col(a, f) for f in ("exports", "imports", "total", "balance"))
    te, ti, tt, tb = (col(tol, f) for f in ("exports", "imports", "total", "balance"))
    slack = 1 - 1e-6
    bad = ((e + i - t).abs() > (te + ti + tt) * slack) | ((e - i - b).abs() > (te + ti + tb) * slack)
    return list(a.index[bad.fillna(False).to_numpy(dtype=bool)])


def check_consistency(fig: pd.DataFrame, path: Path, indicators: pd.DataFrame,
                      dynamic: set[str] = frozenset()) -> list[RevisedBase]:
    """Cross-row rules on the latest vintage. Returns flags (kept, not refused); raises on a broken rule."""
    flags: list[RevisedBase] = []
    values = fig[fig.measure == "value"]
    k5 = ["year", "partner", "product", "enterprise", "currency"]
    whole_mask = (values.partner == "WLD") & (values["product"] == "ALL") & (values.enterprise == "ALL")
    # Rows looked up one by one: the headline, and the series that published growth rates and shares refer
    # to (one row per key in the latest vintage). The rules over all rows are screened vectorised first.
    refs = fig[fig.measure.isin(("growth_yoy", "share"))][["partner", "product", "enterprise", "flow"]]
    looked_up = whole_mask.to_numpy() | values.merge(refs.drop_duplicates(), how="left", indicator=True,
                                                     on=list(refs.columns))["_merge"].eq("both").to_numpy()
    idx = {(r.year, r.partner, r.product, r.enterprise, r.currency, r.flow): r
           for r in values[looked_up].itertuples()}

    # completeness of the headline: a year with any headline figure in yuan (the customs' own currency) has
    # total, exports and imports (the balance, where not published, is computed from the last two); dollar
    # figures may be partial, since not every release was found with them
    head = values[(values.partner == "WLD") & (values["product"] == "ALL") & (values.enterprise == "ALL")]
    for (year, cur), g in head[head.currency == OWN].groupby(["year", "currency"]):
        missing = [f for f in HEADLINE_FLOWS if f not in set(g.flow)]
        if missing:
            raise DataError(path, int(g.line.max()), "complete headline",
                            f"{year} in {cur} has {', '.join(sorted(set(g.flow)))} but no {', '.join(missing)}; "
                            "the headline needs total, exports and imports")

    # yuan and dollar figures of a year agree with the year's average rate
    rates = {}
    if not indicators.empty:
        rates = dict(indicators[indicators.indicator == "cny_per_usd_avg"][["year", "value"]].values)
    head_by: dict[tuple, dict] = {}
    for (year, partner, product, enterprise, cur, flow), r in idx.items():
        if (partner, product, enterprise) == ("WLD", "ALL", "ALL") and flow != "balance":
            head_by.setdefault((year, flow), {})[cur] = r
    for (year, flow), by in sorted(head_by.items()):
        if OWN in by and "USD" in by and int(year) in rates:
            implied = by[OWN].amount / by["USD"].amount
            rate = rates[int(year)]
            if not math.isclose(implied, rate, rel_tol=RATE_TOLERANCE):
                raise DataError(path, by["USD"].line, "currencies agree with the exchange rate",
                                f"{year} {flow}: {by[OWN].value} {by[OWN].unit} {OWN} / {by['USD'].value} "
                                f"{by['USD'].unit} USD = {implied:.2f} {fmt.currency_name(OWN)} per dollar, but the year's average rate is "
                                f"{rate}; check the currency and unit of both rows (lines {by[OWN].line}, "
                                f"{by['USD'].line})")

    # identities: exports + imports = total, exports - imports = balance
    by_key: dict[tuple, dict] = {}
    for r in values[values.set_index(k5).index.isin(_identity_suspects(values, k5))].itertuples():
        by_key.setdefault((r.year, r.partner, r.product, r.enterprise, r.currency), {})[r.flow] = r
    for key, by in sorted(by_key.items()):
        e, i = by.get("exports"), by.get("imports")
        if e is None or i is None:
            continue
        t, b = by.get("total"), by.get("balance")
        if t is not None and not _within(e.amount + i.amount, t.amount, e.tolerance + i.tolerance + t.tolerance):
            raise DataError(path, t.line, "exports + imports = total",
                            f"{key[0]} {key[1]} {key[4]}: exports {_show(e)} + imports {_show(i)} ≠ total {_show(t)}; "
                            f"check the three rows (lines {e.line}, {i.line}, {t.line})")
        if b is not None and not _within(e.amount - i.amount, b.amount, e.tolerance + i.tolerance + b.tolerance):
            raise DataError(path, b.line, "exports − imports = balance",
                            f"{key[0]} {key[1]} {key[4]}: exports {_show(e)} − imports {_show(i)} ≠ balance {_show(b)}; "
                            f"check the rows (lines {e.line}, {i.line}, {b.line}) for swapped flows or a flipped sign")

    # parts within the whole
    parts = values[(values.flow != "balance") & ~whole_mask]
    whole = values[whole_mask][["year", "currency", "flow", "amount", "tolerance"]]
    m = parts[["year", "currency", "flow", "amount", "tolerance"]].merge(whole, how="left", suffixes=("", "_w"),
                                                                         on=["year", "currency", "flow"])
    over = (m.amount >= (m.amount_w + m.tolerance + m.tolerance_w) * (1 - 1e-9)).to_numpy()  # a screen
    for r in parts[over].itertuples():
        k = (r.year, "WLD", "ALL", "ALL", r.currency, r.flow)
        if k in idx:
            whole = idx[k]
            if r.amount > whole.amount + r.tolerance + whole.tolerance:
                raise DataError(path, r.line, "part within whole",
                                f"{r.year} {r.flow} for {r.partner}/{r.product}/{r.enterprise} ({r.value} {r.unit}) "
                                f"exceeds {WHO} total {r.flow} ({whole.value} {whole.unit}); check the unit or scale")

    # reported growth against the two published levels
    growth = fig[fig.measure == "growth_yoy"]
    for r in growth.itertuples():
        cur = (r.year, r.partner, r.product, r.enterprise, r.currency, r.flow)
        prev = (r.year - 1, r.partner, r.product, r.enterprise, r.currency, r.flow)
        if r.currency == "" or cur not in idx or prev not in idx or r.partner in dynamic:
            continue
        v, p = idx[cur], idx[prev]
        if p.amount <= 0 or r.flow == "balance":
            continue
        computed = (v.amount / p.amount - 1) * 100
        rounding = 100 * (v.amount / p.amount) * (v.tolerance / v.amount + p.tolerance / p.amount) \
            + 0.5 * 10 ** (-r.decimals)
        gap = abs(computed - r.value)
        if gap <= rounding + 1e-9:
            continue
        if gap <= REVISION_TOLERANCE_PP + rounding:
            flags.append(RevisedBase(r.year, r.flow, r.partner, r.product, r.enterprise, r.currency, r.value,
                                     computed))
            continue
        raise DataError(path, r.line, "growth consistent with levels",
                        f"{r.year} {r.flow} {r.partner}/{r.product} {r.currency}: reported growth {r.value}% but the "
                        f"levels (lines {p.line}, {v.line}) give {computed:.1f}%; check the growth rate and both levels")

    # shares against the levels
    for r in fig[fig.measure == "share"].itertuples():
        cur = r.currency or OWN
        part = (r.year, r.partner, r.product, r.enterprise, cur, r.flow)
        whole = (r.year, "WLD", "ALL", "ALL", cur, r.flow)
        if part in idx and whole in idx:
            computed = idx[part].amount / idx[whole].amount * 100
            if abs(computed - r.value) > SHARE_TOLERANCE_PP:
                raise DataError(path, r.line, "share consistent with levels",
                                f"{r.year} {r.flow} {r.partner}/{r.product}: share {r.value}% but the levels give "
                                f"{computed:.1f}%")

    return flags
