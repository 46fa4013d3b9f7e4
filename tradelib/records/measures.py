"""Standard trade measures over aggregated trade records: pure, vectorised functions on pandas objects.

The query layer (:mod:`tradelib.records.query`) aggregates the records; the functions here take its small
results (values by partner, by product, by reporter and product, for a current and a previous period) and
return numbers, Series or DataFrames. No I/O (except reading the bundled HS section table once), no plotting,
no prose.

Conventions
-----------
* Values are non-negative amounts (US dollars). Percentages are in percent (12.5 means 12.5 %), contributions
  in percentage points.
* A measure that is undefined (a zero or missing base, a zero total) is NaN, never ``inf`` and never an
  error. Invalid input that no measure can use (negative values where shares are needed, duplicated keys,
  a mix of HS versions) raises one ``ValueError`` saying what is wrong and what to do.
* Series inputs are aligned on their index before any arithmetic. Where a function fills a missing side with
  zero (a partner that appears or disappears), its docstring says so.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import paths

HS_SECTIONS_CSV = paths.DATA_DIR / "hs_sections.csv"
RESERVED_CHAPTERS = frozenset({"77"})  # Chapter 77: reserved for possible future use in the HS (Section XV)
NATIONAL_CHAPTERS = frozenset({"98", "99"})  # reserved for national use by the HS Convention; no section


# --------------------------------------------------------------------------------------------- helpers

def _is_scalar(x) -> bool:
    return not isinstance(x, (pd.Series, pd.DataFrame, np.ndarray, list, tuple))


def _float_series(x, name: str) -> pd.Series:
    """``x`` as a float64 Series (missing values as NaN); refuses text that is not a number."""
    s = x if isinstance(x, pd.Series) else pd.Series(x)
    try:
        return s.astype("float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers; found values such as {s.iloc[0]!r}") from None


def _float(x, name: str) -> float:
    if x is None or x is pd.NA:
        return math.nan
    try:
        return float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {x!r}") from None


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, NaN where den is zero or missing (never inf)."""
    den = den.where(den != 0)
    return num / den


def _check_nonnegative(s: pd.Series, name: str) -> None:
    neg = s[s < 0]
    if not neg.empty:
        raise ValueError(f"{name} has negative values (e.g. {neg.index[0]!r}: {neg.iloc[0]:g}); "
                         "this measure needs trade values, which are zero or more")


# --------------------------------------------------------------------------------------------- growth, shares

def growth(current, previous):
    """Growth in percent: ``(current / previous - 1) * 100``.

    Works on scalars or on Series (aligned on their index; an item missing on one side gives NaN). The result
    is NaN where ``previous`` is zero, negative or missing (growth from a non-positive base has no meaning)
    or where ``current`` is missing.

    Reference: WITS/World Bank, "Online Trade Outcomes Indicators: User's Manual", growth of export
    values; UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1.
    """
    if _is_scalar(current) and _is_scalar(previous):
        c, p = _float(current, "current"), _float(previous, "previous")
        if math.isnan(c) or math.isnan(p) or p <= 0:
            return math.nan
        return (c / p - 1.0) * 100.0
    c = _float_series(current, "current") if not _is_scalar(current) else current
    p = _float_series(previous, "previous") if not _is_scalar(previous) else previous
    if isinstance(c, pd.Series) and isinstance(p, pd.Series):
        c, p = c.align(p)
    if not isinstance(p, pd.Series):
        p = pd.Series(_float(p, "previous"), index=c.index)
    if not isinstance(c, pd.Series):
        c = pd.Series(_float(c, "current"), index=p.index)
    out = (_ratio(c, p.where(p > 0)) - 1.0) * 100.0
    return out.rename("growth")


def shares(values, total: float | None = None) -> pd.Series:
    """Shares in percent of a total: ``100 * value_i / total``.

    ``total`` is the sum of ``values`` by default (missing values left out of the sum); pass the published
    total (for example the world row) when ``values`` are only the top items. NaN where the total is zero or
    missing; a missing value has a missing share. With the default total the shares add up to 100.

    Reference: WITS/World Bank, "Online Trade Outcomes Indicators: User's Manual", market and product
    shares.
    """
    v = _float_series(values, "values")
    t = v.sum() if total is None else _float(total, "total")
    if math.isnan(t) or t == 0:
        return pd.Series(np.nan, index=v.index, name="share")
    return (v / t * 100.0).rename("share")


def _union(current: pd.Series, previous: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Both Series on the union of their indexes; an item absent from one side is zero there."""
    c = _float_series(current, "current")
    p = _float_series(previous, "previous")
    for s, name in ((c, "current"), (p, "previous")):
        if s.index.has_duplicates:
            raise ValueError(f"{name} has more than one value for {s.index[s.index.duplicated()][0]!r}; "
                             "aggregate it first (one value per item)")
    index = c.index.union(p.index, sort=False)
    # fill_value fills only the labels a side lacks; a value present but missing (NaN) stays NaN
    return c.reindex(index, fill_value=0.0), p.reindex(index, fill_value=0.0)


def contributions(current: pd.Series, previous: pd.Series, total_previous=None, by: str | None = None) -> pd.Series:
    """Contribution of each part to the growth of the total, in percentage points.

    ``contribution_i = (current_i - previous_i) / total_previous * 100``

    The index is the union of both Series; an item absent from one side counts as zero there (a partner or
    product that appears or disappears). A value present but missing (NaN) stays unknown: its contribution is
    NaN. ``total_previous`` is the sum of ``previous`` by default; with it, and a complete partition, the
    contributions add up to the growth of the total. Pass the published total when the parts are a subset.

    With ``by`` (a level of a MultiIndex, e.g. ``"reporter"``), each group is its own partition: the total of
    each group (``total_previous`` as a Series indexed by group, or the group's sum of ``previous``) divides
    its own parts, for every group in one vectorised step.

    Reference: UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1 (decomposition of
    growth); the same formula gives customs' "contributing x percentage points".
    """
    c, p = _union(current, previous)
    if by is not None:
        groups = c.index.get_level_values(by)
        if total_previous is None:
            t = p.groupby(level=by).transform("sum").to_numpy()
        else:
            t = _float_series(total_previous, "total_previous").reindex(groups).to_numpy()
        t = np.where(t == 0, np.nan, t)
        return ((c - p) / t * 100.0).rename("contribution_pp")
    index = c.index
    t = p.sum() if total_previous is None else _float(total_previous, "total_previous")
    if math.isnan(t) or t == 0:
        return pd.Series(np.nan, index=index, name="contribution_pp")
    return ((c - p) / t * 100.0).rename("contribution_pp")


# --------------------------------------------------------------------------------------------- concentration

def _hhi_parts(values, by):
    v = _float_series(values, "values")
    _check_nonnegative(v, "values")
    if by is None:
        if v.isna().any() or v.sum() == 0 or v.empty:
            return math.nan, 0
        s = v / v.sum()
        return float((s ** 2).sum()), int((v > 0).sum())
    # the groups are found once; the sums by group are then counted from their numbers
    g = v.groupby(by, sort=True)
    ids = g.ngroup().to_numpy()
    index = g.size().index
    k = len(index)
    ids_known = ids >= 0                      # a row whose group is missing belongs to no group
    ids, x = ids[ids_known], v.to_numpy()[ids_known]
    missing = np.isnan(x)
    x0 = np.where(missing, 0.0, x)
    total = np.bincount(ids, weights=x0, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(total[ids] != 0, x0 / total[ids], np.nan)
    known = ~np.isnan(s)
    h = np.bincount(ids, weights=np.where(known, s * s, 0.0), minlength=k)
    h[np.bincount(ids, weights=known, minlength=k) == 0] = np.nan     # no share known: sum(min_count=1)
    h[np.bincount(ids, weights=missing, minlength=k) > 0] = np.nan   # a missing value: not measurable
    n = pd.Series(np.bincount(ids, weights=x0 > 0, minlength=k).astype(np.int64), index=index)
    return pd.Series(h, index=index, name="hhi"), n


def hhi(values, by=None):
    """Herfindahl–Hirschman index on shares as fractions: ``H = sum_i s_i**2`` with ``s_i = v_i / sum_j v_j``.

    H lies between 1/n (n equal parts) and 1 (one part). ``values`` are trade values by partner or product.
    With ``by`` (anything ``Series.groupby`` accepts, e.g. an index level name such as ``"reporter"``) the
    index is computed per group and a Series is returned. A missing value makes the index NaN (an incomplete
    distribution cannot be measured: drop or fill it first); so do an empty or all-zero input. Negative
    values are refused.

    References: Hirschman (1964), "The Paternity of an Index", American Economic Review 54(5); Herfindahl
    (1950); WITS/World Bank, "Online Trade Outcomes Indicators: User's Manual", "Herfindahl-Hirschman
    Market Concentration Index".
    """
    return _hhi_parts(values, by)[0]


def hhi_normalized(values, n: int | None = None, by=None):
    """Normalised Herfindahl–Hirschman index: ``(H - 1/n) / (1 - 1/n)``, between 0 (equal parts) and 1.

    ``n`` is the number of parts with a positive value by default; pass the size of the classification (for
    example 97 HS chapters) to compare across reporters on one scale. NaN where n is 1 or less, or H is NaN.

    Reference: UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1 (normalised
    Herfindahl index); UNCTADstat, "Concentration index".
    """
    h, count = _hhi_parts(values, by)
    k = count if n is None else n
    if by is None:
        if k is None or k <= 1 or math.isnan(h):
            return math.nan
        return (h - 1.0 / k) / (1.0 - 1.0 / k)
    k = k if isinstance(k, pd.Series) else pd.Series(k, index=h.index)
    k = k.astype("float64").where(k > 1)
    return ((h - 1.0 / k) / (1.0 - 1.0 / k)).rename("hhi_normalized")


def equivalent_number(values, by=None):
    """Equivalent number of parts: ``1 / H`` — the number of equal-sized partners (or products) that would
    give the same concentration. NaN where H is NaN.

    Reference: Adelman (1969), "Comment on the 'H' Concentration Measure as a Numbers-Equivalent", Review of
    Economics and Statistics 51(1); Hirschman (1964).
    """
    h = hhi(values, by=by)
    if isinstance(h, pd.Series):
        return (1.0 / h).rename("equivalent_number")
    return math.nan if math.isnan(h) else 1.0 / h


# --------------------------------------------------------------------------------------------- comparative advantage

def _frame(df: pd.DataFrame, columns: list[str], name: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a DataFrame with columns {', '.join(columns)}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {', '.join(missing)}; it needs {', '.join(columns)}")
    out = df[columns].copy()
    out["value"] = _float_series(out["value"], f"{name}.value").to_numpy()
    keys = [c for c in columns if c != "value"]
    dup = out.duplicated(keys, keep=False)
    if dup.any():
        first = out.loc[dup, keys].iloc[0].tolist()
        raise ValueError(f"{name} has more than one row for {' '.join(map(str, first))}; aggregate it first "
                         "(one row per " + " and ".join(keys) + ")")
    return out


def rca(exports: pd.DataFrame, world: pd.DataFrame | None = None) -> pd.DataFrame:
    """Balassa revealed comparative advantage: ``RCA_cp = (X_cp / X_c) / (X_wp / X_w)``.

    ``exports`` has one row per reporter and product (columns ``reporter``, ``product``, ``value``). World
    exports of each product ``X_wp`` are the sum over the reporters in ``exports`` by default (right when
    ``exports`` covers every exporter, as BACI does); otherwise pass ``world`` (columns ``product``, ``value``)
    from BACI or a file of world totals, and ``X_w`` is its sum. RCA above 1 means the reporter's export
    basket holds more of the product than the world's. NaN where a reporter exports nothing, or where the
    world value of the product is zero or missing (a product absent from ``world`` included).

    Returns ``exports`` with the columns ``share_reporter`` (X_cp/X_c), ``share_world`` (X_wp/X_w), and
    ``rca``.

    Reference: Balassa (1965), "Trade Liberalisation and 'Revealed' Comparative Advantage", The Manchester
    School 33(2); UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1; WITS/World Bank,
    "Online Trade Outcomes Indicators: User's Manual", "Revealed comparative advantage".
    """
    x = _frame(exports, ["reporter", "product", "value"], "exports")
    _check_nonnegative(x["value"], "exports.value")
    if world is None:
        w = x.groupby("product", sort=False)["value"].sum(min_count=1)
    else:
        wf = _frame(world, ["product", "value"], "world")
        _check_nonnegative(wf["value"], "world.value")
        w = wf.set_index("product")["value"]
    x_w = w.sum()
    x_c = x.groupby("reporter", sort=False)["value"].transform("sum")
    x["share_reporter"] = _ratio(x["value"], x_c)
    x_wp = x["product"].map(w).astype("float64")
    x["share_world"] = x_wp / x_w if x_w else np.nan
    x["rca"] = _ratio(x["share_reporter"], x["share_world"])
    return x.reset_index(drop=True)


# --------------------------------------------------------------------------------------------- prices and volumes

def unit_values(value, qty):
    """Unit value: ``value / qty`` (US dollars per unit of quantity). NaN where the quantity is zero,
    negative or missing, or the value is missing.

    Reference: UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1 (unit values as price
    proxies); IMF, "Export and Import Price Index Manual: Theory and Practice" (2009), unit value indices.
    """
    if _is_scalar(value) and _is_scalar(qty):
        v, q = _float(value, "value"), _float(qty, "qty")
        return math.nan if (math.isnan(v) or math.isnan(q) or q <= 0) else v / q
    v = _float_series(value, "value")
    q = _float_series(qty, "qty")
    v, q = v.align(q)
    return _ratio(v, q.where(q > 0)).rename("unit_value")


@dataclass(frozen=True)
class PriceVolume:
    """A value change split into price and volume.

    ``products``: one row per product with ``value0``, ``value1``, ``qty0``, ``qty1``, ``unit_value0``,
    ``unit_value1``, ``usable`` and the exact log split ``log_value = log_price + log_volume`` (natural logs of
    current over previous; NaN where not usable).
    ``value_index``, ``price_index``, ``volume_index``: Fisher indices over the usable products, as ratios
    (1.0 = no change); ``price_index * volume_index == value_index``.
    ``coverage_previous``, ``coverage_current``: percent of the value of all products (in each period) held
    by the usable products.
    """

    products: pd.DataFrame
    value_index: float
    price_index: float
    volume_index: float
    coverage_previous: float
    coverage_current: float
    n_products: int
    n_usable: int


def price_volume(value0: pd.Series, qty0: pd.Series, value1: pd.Series, qty1: pd.Series,
                 unit0: pd.Series | None = None, unit1: pd.Series | None = None) -> PriceVolume:
    """Split the change of trade values between two periods into a price and a volume part.

    Per product (index = product code), with unit values ``P = V / Q``:
    ``ln(V1/V0) = ln(P1/P0) + ln(Q1/Q0)`` exactly. A product is *usable* when both values and both quantities
    are positive and, if ``unit0``/``unit1`` are given, its quantity unit is the same in both periods.

    Aggregate over the usable products: Fisher ideal indices,
    ``P_F = sqrt(P_L * P_P)`` with Laspeyres ``P_L = sum(P1 Q0) / sum(P0 Q0)`` and Paasche
    ``P_P = sum(P1 Q1) / sum(P0 Q1)``, and likewise ``Q_F = sqrt(Q_L * Q_P)``. Fisher indices pass the factor
    reversal test, ``P_F * Q_F = sum(V1) / sum(V0)`` over the usable products, so price and volume account for
    the whole value change. Each product's prices and quantities are compared with themselves only, so
    products may be measured in different units (kg for one, items for another); only a product's unit must
    not change between the periods. The share of value covered by usable products is reported for both
    periods: a split that covers little of the trade says little about it.

    References: IMF, "Export and Import Price Index Manual: Theory and Practice" (2009), index number theory
    (Fisher ideal index, factor reversal test); Diewert (1976), "Exact and Superlative Index Numbers", Journal
    of Econometrics 4(2); UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1 (unit
    values).
    """
    v0 = _float_series(value0, "value0")
    v1 = _float_series(value1, "value1")
    q0 = _float_series(qty0, "qty0")
    q1 = _float_series(qty1, "qty1")
    index = v0.index.union(v1.index, sort=False)
    df = pd.DataFrame({"value0": v0.reindex(index), "value1": v1.reindex(index),
                       "qty0": q0.reindex(index), "qty1": q1.reindex(index)})
    usable = (df["value0"] > 0) & (df["value1"] > 0) & (df["qty0"] > 0) & (df["qty1"] > 0)
    if (unit0 is None) != (unit1 is None):
        raise ValueError("give both unit0 and unit1 (the quantity unit of each product in each period), or neither")
    if unit0 is not None:
        u0 = pd.Series(unit0).reindex(index)
        u1 = pd.Series(unit1).reindex(index)
        usable &= u0.notna() & u1.notna() & (u0.astype("string") == u1.astype("string")).fillna(False)
    df["usable"] = usable.astype(bool)
    df["unit_value0"] = unit_values(df["value0"], df["qty0"])
    df["unit_value1"] = unit_values(df["value1"], df["qty1"])
    u = df[df["usable"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        df["log_value"] = np.log(df["value1"] / df["value0"]).where(df["usable"])
        df["log_price"] = np.log(df["unit_value1"] / df["unit_value0"]).where(df["usable"])
        df["log_volume"] = np.log(df["qty1"] / df["qty0"]).where(df["usable"])

    def pct(part: float, whole: float) -> float:
        return part / whole * 100.0 if whole > 0 else math.nan

    cov0 = pct(u["value0"].sum(), df["value0"].sum(skipna=True))
    cov1 = pct(u["value1"].sum(), df["value1"].sum(skipna=True))
    if u.empty:
        nan = math.nan
        return PriceVolume(df, nan, nan, nan, cov0, cov1, len(df), 0)
    p0, p1, qa, qb = u["unit_value0"], u["unit_value1"], u["qty0"], u["qty1"]
    sv0, sv1 = float((p0 * qa).sum()), float((p1 * qb).sum())
    p_l = float((p1 * qa).sum()) / sv0
    p_p = sv1 / float((p0 * qb).sum())
    q_l = float((p0 * qb).sum()) / sv0
    q_p = sv1 / float((p1 * qa).sum())
    return PriceVolume(df, sv1 / sv0, math.sqrt(p_l * p_p), math.sqrt(q_l * q_p), cov0, cov1, len(df),
                       int(len(u)))


# --------------------------------------------------------------------------------------------- mirror statistics

def mirror(reported: pd.Series, mirror: pd.Series, cif_fob: float | None = None) -> pd.DataFrame:
    """Compare a reporter's exports by partner with the partners' reported imports from the reporter.

    Columns: ``reported`` (the reporter's exports, FOB), ``mirror`` (the partners' imports, usually CIF),
    with ``cif_fob`` also ``mirror_fob = mirror / cif_fob``, then ``gap = mirror - reported`` (on the FOB
    basis when ``cif_fob`` is given) and ``gap_pct = 100 * gap / reported``. The index is the union of
    partners; a partner missing on one side (it did not report, or was not reported) has NaN there and in
    the gap: missing is not zero. ``gap_pct`` is NaN where ``reported`` is zero or missing.

    ``cif_fob`` is the CIF/FOB ratio (for example 1.06 for freight and insurance worth 6 % of the FOB
    value); it must be positive.

    References: UN, "International Merchandise Trade Statistics: Concepts and Definitions 2010" (IMTS 2010),
    valuation (imports CIF, exports FOB) and partner attribution; OECD, "Balanced International Merchandise
    Trade Statistics" (reconciliation of mirror flows); IMF, "Direction of Trade Statistics" guide (CIF/FOB
    adjustment of partner data).
    """
    r = _float_series(reported, "reported")
    m = _float_series(mirror, "mirror")
    r, m = r.align(m)
    out = pd.DataFrame({"reported": r, "mirror": m})
    basis = m
    if cif_fob is not None:
        f = _float(cif_fob, "cif_fob")
        if not f > 0:
            raise ValueError(f"cif_fob must be a positive ratio such as 1.06, not {cif_fob!r}")
        out["mirror_fob"] = m / f
        basis = out["mirror_fob"]
    out["gap"] = basis - r
    out["gap_pct"] = _ratio(out["gap"], r) * 100.0
    return out


# --------------------------------------------------------------------------------------------- extensive margin

@dataclass(frozen=True)
class Margin:
    """Counts of items (products or partners) traded in two periods, and which came and went."""

    current: int
    previous: int
    new: int
    lost: int
    continuing: int
    new_items: tuple
    lost_items: tuple

    def as_series(self) -> pd.Series:
        return pd.Series({"current": self.current, "previous": self.previous, "new": self.new,
                          "lost": self.lost, "continuing": self.continuing})


def _keys(x) -> set:
    if isinstance(x, pd.Series):
        v = _float_series(x, "values")
        return set(v.index[v > 0])
    return set(x)


def extensive_margin(current, previous) -> Margin:
    """Count the items traded in each period: new (only now), lost (only before), continuing (both).

    Each argument is either a Series of values (items with a value above zero count; zero or missing do
    not) or an iterable of keys already filtered. Counting the products (or partners) a reporter trades is
    the simplest view of the extensive margin: growth from new products or markets rather than more of the
    same.

    References: Hummels & Klenow (2005), "The Variety and Quality of a Nation's Exports", American Economic
    Review 95(3); WITS/World Bank, "Online Trade Outcomes Indicators: User's Manual", "Number of
    products / markets", "new products" and "lost products".
    """
    cur, prev = _keys(current), _keys(previous)
    new, lost = cur - prev, prev - cur
    return Margin(len(cur), len(prev), len(new), len(lost), len(cur & prev),
                  tuple(sorted(new, key=str)), tuple(sorted(lost, key=str)))


# --------------------------------------------------------------------------------------------- groups and baskets

def _date(x, what: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(x)
    except (TypeError, ValueError):
        raise ValueError(f"{what} {x!r} is not a date; write it as YYYY-MM-DD") from None


def by_group(values: pd.Series, groups: pd.DataFrame, as_of) -> pd.DataFrame:
    """Sum values by partner group, with the membership valid at ``as_of``.

    ``values`` is indexed by partner ISO3 code. ``groups`` has the columns of ``tradelib/data/groups.csv``
    (``group``, ``member``, ``valid_from``, ``valid_to``; others are ignored), so a user's own table in the
    same columns works too. A member counts when ``valid_from <= as_of`` and (``valid_to`` is empty or
    ``valid_to >= as_of``). Rows with member ``*`` state facts about a definition, not members, and are
    skipped. Partners absent from ``values`` add nothing (no trade recorded).

    Returns one row per group in ``groups``: ``value`` (sum over the members; NaN for a group with no member
    at ``as_of``, such as a group defined only by ``*`` rows), ``members`` (members at ``as_of``) and
    ``matched`` (members found in ``values``).

    Reference: WITS/World Bank, "Online Trade Outcomes Indicators: User's Manual", trade with country
    groups; definitions with as-of dates as in ``tradelib/data/README.md``.
    """
    need = ["group", "member", "valid_from", "valid_to"]
    missing = [c for c in need if c not in groups.columns]
    if missing:
        raise ValueError(f"groups lacks column(s) {', '.join(missing)}; it needs {', '.join(need)} "
                         "(the columns of groups.csv)")
    day = _date(as_of, "as_of")
    g = groups[need].copy()
    for col in ("valid_from", "valid_to"):
        text = g[col].astype("string").fillna("").str.strip()
        parsed = pd.to_datetime(text.where(text != ""), errors="coerce", format="%Y-%m-%d")
        bad = parsed.isna() & (text != "")
        if col == "valid_from":
            bad |= text == ""
        if bad.any():
            i = bad.idxmax()
            raise ValueError(f"groups: {col} {text[i]!r} of {g.at[i, 'group']}/{g.at[i, 'member']} is not a date; "
                             "write it as YYYY-MM-DD" + (" (valid_from is required)" if col == "valid_from" else ""))
        g[col] = parsed
    names = pd.Index(pd.unique(g["group"]), name="group")
    real = g[g["member"] != "*"]
    valid = real[(real["valid_from"] <= day) & (real["valid_to"].isna() | (real["valid_to"] >= day))]
    valid = valid.drop_duplicates(["group", "member"])
    v = _float_series(values, "values")
    if v.index.has_duplicates:
        raise ValueError(f"values has more than one value for partner {v.index[v.index.duplicated()][0]!r}; "
                         "aggregate by partner first")
    member_values = valid["member"].map(v)
    out = pd.DataFrame(index=names)
    out["value"] = member_values.fillna(0.0).groupby(valid["group"]).sum()
    out["members"] = valid.groupby("group").size()
    out["matched"] = member_values.notna().groupby(valid["group"]).sum()
    out["members"] = out["members"].fillna(0).astype(int)
    out["matched"] = out["matched"].fillna(0).astype(int)
    return out


def _hs_codes(index: pd.Index) -> pd.Series:
    codes = pd.Series(index.astype("string"), index=index).str.strip()
    ok = codes.str.fullmatch(r"\d{2}(\d{2}){0,2}").fillna(False)
    return codes[ok]


def by_basket(values: pd.Series, baskets: pd.DataFrame, hs_version: str | None = None) -> pd.DataFrame:
    """Sum values by product basket, matching HS codes by prefix.

    ``values`` is indexed by HS code strings with leading zeros (all of one level: 4 or 6 digits; codes
    that are not HS codes, such as ``TOTAL``, are ignored). ``baskets`` has the columns of
    ``tradelib/data/baskets.csv`` (``basket``, ``hs_code``, ``hs_version``). A basket code covers every
    code that starts with it (a 4-digit heading covers its 6-digit subheadings); a value code less detailed
    than a basket code cannot be split and is not counted. A code covered twice in one basket counts once.

    A basket table holding more than one HS version must be narrowed with ``hs_version`` (the version of
    the data, e.g. ``"HS2022"``): codes differ between versions and mixing them would count wrong goods.

    Returns one row per basket: ``value``, ``codes`` (basket codes used) and ``matched`` (value codes
    counted).

    Reference: UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1 (product groupings);
    WCO, Harmonized System Nomenclature 2022 edition (code structure).
    """
    need = ["basket", "hs_code", "hs_version"]
    missing = [c for c in need if c not in baskets.columns]
    if missing:
        raise ValueError(f"baskets lacks column(s) {', '.join(missing)}; it needs {', '.join(need)} "
                         "(the columns of baskets.csv)")
    b = baskets[need].astype("string").apply(lambda s: s.str.strip())
    versions = sorted(b["hs_version"].dropna().unique())
    if hs_version is None:
        if len(versions) > 1:
            raise ValueError(f"the baskets mix HS versions ({', '.join(versions)}); pass hs_version= the "
                             "version of your data, e.g. hs_version=\"HS2022\"")
    else:
        if hs_version not in versions:
            raise ValueError(f"no basket codes for {hs_version!r}; the baskets have {', '.join(versions) or 'none'}")
        b = b[b["hs_version"] == hs_version]
    bad = ~b["hs_code"].str.fullmatch(r"\d{2}(\d{2}){0,2}").fillna(False)
    if bad.any():
        raise ValueError(f"basket code {b.loc[bad, 'hs_code'].iloc[0]!r} is not an HS code of 2, 4 or 6 digits")
    v = _float_series(values, "values")
    codes = _hs_codes(v.index)
    if codes.str.len().nunique() > 1:
        raise ValueError("values mix HS levels (" + ", ".join(f"{n} digits" for n in sorted(codes.str.len().unique()))
                         + "); pass codes of one level so nothing is counted twice")
    vv = pd.DataFrame({"code": codes.to_numpy(), "value": v.loc[codes.index].to_numpy()})
    pieces = []
    for length in sorted(b["hs_code"].str.len().unique()):
        bl = b[b["hs_code"].str.len() == length]
        vv["prefix"] = vv["code"].str[:length].where(vv["code"].str.len() >= length)
        pieces.append(bl.merge(vv, left_on="hs_code", right_on="prefix")[["basket", "code", "value"]])
    hits = pd.concat(pieces).drop_duplicates(["basket", "code"]) if pieces else pd.DataFrame(
        columns=["basket", "code", "value"])
    names = pd.Index(pd.unique(b["basket"]), name="basket")
    out = pd.DataFrame(index=names)
    out["value"] = hits.groupby("basket")["value"].sum()
    out["value"] = out["value"].fillna(0.0)
    out["codes"] = b.drop_duplicates(["basket", "hs_code"]).groupby("basket").size()
    out["matched"] = hits.groupby("basket").size()
    out[["codes", "matched"]] = out[["codes", "matched"]].fillna(0).astype(int)
    return out


# --------------------------------------------------------------------------------------------- HS structure

@lru_cache(maxsize=1)
def _bundled_sections() -> pd.DataFrame:
    return pd.read_csv(HS_SECTIONS_CSV, dtype={"first_chapter": "string", "last_chapter": "string"},
                       keep_default_na=False)


def hs_sections() -> pd.DataFrame:
    """The 21 sections of the Harmonized System (2022 edition), from ``tradelib/data/hs_sections.csv``:
    ``section`` (Roman numeral), ``number``, ``first_chapter``, ``last_chapter``, ``title``, ``source_url``."""
    return _bundled_sections().copy()


def _chapter_table(table: pd.DataFrame | None) -> pd.DataFrame:
    t = hs_sections() if table is None else table
    rows = []
    for r in t.itertuples(index=False):
        for ch in range(int(r.first_chapter), int(r.last_chapter) + 1):
            rows.append((f"{ch:02d}", r.section))
    return pd.DataFrame(rows, columns=["chapter", "section"]).set_index("chapter")


def hs_section(codes, table: pd.DataFrame | None = None) -> pd.Series:
    """The HS section (Roman numeral) of each code, from its first two digits (its chapter).

    ``codes`` are HS codes as strings with leading zeros (``"01"``, ``"8542"``, ``"854231"``) or chapter
    numbers as integers. Chapter 77 (reserved for possible future use) and chapters 98 and 99 (reserved for
    national use; no section in the HS) map to no section (``<NA>``), as do codes that are not HS codes.
    ``table`` is the section table (``hs_sections()`` by default).

    Reference: WCO, Harmonized System Nomenclature 2022 edition, sections I–XXI.
    """
    idx = pd.Index(list(codes) if not isinstance(codes, (pd.Series, pd.Index)) else codes)
    text = pd.Series([f"{c:02d}" if isinstance(c, (int, np.integer)) else str(c).strip() for c in idx],
                     index=idx, dtype="string")
    chapter = text.str[:2].where(text.str.fullmatch(r"\d{2}(\d{2}){0,2}").fillna(False))
    chapter = chapter.where(~chapter.isin(RESERVED_CHAPTERS | NATIONAL_CHAPTERS))
    mapping = _chapter_table(table)["section"]
    return chapter.map(mapping).astype("string").rename("section")


def by_section(values: pd.Series, table: pd.DataFrame | None = None) -> pd.Series:
    """Sum values indexed by HS code by HS section (I–XXI, in section order). Codes with no section
    (chapters 77, 98, 99, non-HS codes such as ``TOTAL``) are left out; compare the sum with the total to
    see what was left. Reference: WCO, Harmonized System Nomenclature 2022 edition."""
    v = _float_series(values, "values")
    sec = hs_section(v.index, table)
    t = hs_sections() if table is None else table
    order = list(t["section"])
    out = v.groupby(sec.to_numpy(), dropna=True).sum()
    return out.reindex([s for s in order if s in out.index]).rename("value").rename_axis("section")


def by_hs_level(values: pd.Series, digits: int = 2) -> pd.Series:
    """Sum values indexed by HS codes up to a coarser level: ``value_k = sum of value_c over codes c starting
    with k``, with ``k`` of ``digits`` 2 (chapter), 4 (heading) or 6 (subheading). Codes less detailed than
    ``digits`` and non-HS codes are left out. Reference: WCO, Harmonized System Nomenclature 2022 edition
    (the code of a heading starts with its chapter's, a subheading's with its heading's)."""
    if digits not in (2, 4, 6):
        raise ValueError(f"digits must be 2 (chapter), 4 (heading) or 6 (subheading), not {digits!r}")
    v = _float_series(values, "values")
    codes = _hs_codes(v.index)
    codes = codes[codes.str.len() >= digits]
    return v.loc[codes.index].groupby(codes.str[:digits].to_numpy()).sum().rename("value").rename_axis("code")


# --------------------------------------------------------------------------------------------- ranks and movers

def rank(values: pd.Series) -> pd.Series:
    """Rank by value, 1 for the largest: ``rank_i = 1 + #{j: v_j > v_i}`` (equal values share the better rank,
    as "competition" ranking); missing values have no rank. Reference: the ranking of partners and products
    in customs releases and in WITS/World Bank, "Online Trade Outcomes Indicators: User's Manual"."""
    v = _float_series(values, "values")
    return v.rank(ascending=False, method="min").astype("Int64").rename("rank")


def _level_codes(index: pd.MultiIndex, level: int) -> tuple[np.ndarray, pd.Index]:
    """A level's values as numbers that sort as the values do (missing: -1), and the values: what
    ``pd.factorize(index.get_level_values(level), sort=True)`` gives, from the index's own codes."""
    names, codes = index.levels[level], index.codes[level]
    if names.is_monotonic_increasing:
        return codes.astype(np.int64), names
    order = names.argsort()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return np.where(codes >= 0, rank[np.maximum(codes, 0)], -1), names.take(order)


def top_by(values: pd.Series, n: int, by: str = "reporter") -> pd.DataFrame:
    """The ``n`` largest values of every group at once: ``values`` is indexed by (group, item) (e.g. reporter
    and partner); the result is indexed by (group, rank), rank 1 for the largest, with columns ``item`` and
    ``value``. Within a group, equal values are ordered by item and missing values come last. Reference: the
    "top partners / top products" tables of WITS/World Bank and UN Comtrade, for every reporter."""
    if n < 0:
        raise ValueError(f"n must be zero or more, not {n}")
    v = _float_series(values, "values")
    if v.index.nlevels != 2 or by not in v.index.names:
        raise ValueError(f"values must be indexed by ({by}, item)")
    item_level = 1 - v.index.names.index(by)
    groups, group_names = _level_codes(v.index, v.index.names.index(by))
    items, item_names = _level_codes(v.index, item_level)
    x = v.to_numpy()
    # by item, then by value (largest first, missing last), then by group: each sort stable keeps the earlier
    order = np.argsort(items, kind="stable")
    order = order[np.argsort(-x[order], kind="stable")]
    order = order[np.argsort(groups[order], kind="stable")]
    order = order[groups[order] >= 0]
    g = groups[order]
    starts = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1] if len(g) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)])) + 1
    keep = rank <= n
    order, rank = order[keep], rank[keep]
    index = pd.MultiIndex.from_arrays([group_names.take(groups[order]), rank],
                                      names=[by, "rank"])
    return pd.DataFrame({"item": item_names.take(items[order]), "value": x[order]}, index=index)


def top_n(values: pd.Series, n: int, other: str | None = None) -> pd.Series:
    """The ``n`` largest values, largest first (ties in index order). With ``other`` (a label such as
    ``"Other"``), one more item holds ``sum(values) - sum(top n)``, so the result adds up to the input's
    total. Reference: the "top partners / top products" tables of WITS/World Bank and UN Comtrade."""
    if n < 0:
        raise ValueError(f"n must be zero or more, not {n}")
    v = _float_series(values, "values")
    order = v.sort_values(ascending=False, kind="stable", na_position="last")
    top = order.iloc[:n]
    if other is not None and len(order) > n:
        top = pd.concat([top, pd.Series({other: order.iloc[n:].sum()})])
    return top


def movers(current: pd.Series, previous: pd.Series, n: int = 5,
           total_previous: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The biggest risers and fallers by absolute change, ``current - previous``.

    Returns ``(risers, fallers)``: up to ``n`` items with the largest increase (largest first) and up to
    ``n`` with the largest decrease (largest fall first), with columns ``previous``, ``current``, ``change``,
    ``growth`` (percent; NaN from a zero base) and ``contribution_pp`` (see :func:`contributions`). An item
    absent from one period counts as zero there; unchanged items are in neither list.

    Reference: UNCTAD/WTO, "A Practical Guide to Trade Policy Analysis" (2012), ch. 1 (decomposition of
    export growth by partner and product).
    """
    contrib = contributions(current, previous, total_previous)
    c, p = _union(current, previous)
    df = pd.DataFrame({"previous": p, "current": c, "change": c - p})
    df["growth"] = growth(c, p)
    df["contribution_pp"] = contrib
    risers = df[df["change"] > 0].sort_values("change", ascending=False, kind="stable").head(n)
    fallers = df[df["change"] < 0].sort_values("change", ascending=True, kind="stable").head(n)
    return risers, fallers


__all__ = ["growth", "shares", "contributions", "hhi", "hhi_normalized", "equivalent_number", "rca",
           "unit_values", "price_volume", "PriceVolume", "mirror", "extensive_margin", "Margin", "by_group",
           "by_basket", "hs_sections", "hs_section", "by_section", "by_hs_level", "rank", "top_n", "movers"]
