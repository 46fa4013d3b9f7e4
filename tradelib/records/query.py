"""Queries over trade records, written once with Ibis: DuckDB runs them by default, Spark when asked.

Every aggregation first sums the rows it needs at a coarse grain (reporter, flow, period, product level,
world-or-partner, and the dimension asked for) in one pass over the records; the rules that keep totals
from being counted twice are then applied to that small table:

* a row that breaks a total down (by customs procedure, mode of transport, second partner) or repeats a cell
  already held is left out (``breakdown`` is not empty);
* for a reporter, flow and period, the total is the World row where the records hold one, else the sum of
  the partners; partner groups (the EU) are never summed with their members;
* products are taken at the coarsest level held (TOTAL before chapters, chapters before headings), so an
  aggregate row and its detail are never added together; a breakdown by chapter uses chapter rows where
  they exist and sums finer codes to their chapter otherwise;
* an annual figure uses annual rows; where only monthly rows are held for a year, it is the sum of the
  months held (the result says how many).

The same expressions run on any Ibis backend (:func:`Records.on`), so a Spark session gives the same answers
as DuckDB for data too large for one machine.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import ibis
import numpy as np
import pandas as pd

from ..errors import DataError
from ..period import Period
from . import areas, schema
from .store import AREA_KEYS, CELL, RecordsFile, Store

KEYS = ["reporter", "flow", "year", "month"]
# bits of a group key DuckDB may index directly (its default is 12): a reporter and a partner code below 1024
# take 20, one more each where a code may be missing; a reporter and a chapter 17
PERFECT_HASH_BITS = 22
BY = {"partner": "partner", "group": "partner", "hs2": 2, "hs4": 4, "hs6": 6, "product": None}
EMPTY_GRAIN = ["reporter", "flow", "year", "month", "level", "is_world", "item", "value", "rows"]


_shared = threading.local()


def default_backend():
    """The DuckDB connection records are queried on unless another backend is given: one per process and
    thread (a connection is not shared between threads, and a process forked from one that holds a
    connection makes its own). The Parquet files read on it are kept (:meth:`Records.part`); a file is
    read again at every query, so a file converted again is seen as it now is."""
    if getattr(_shared, "pid", None) != os.getpid():
        con = ibis.duckdb.connect()
        con.raw_sql("SET preserve_insertion_order = false")  # results are sorted where it matters
        # group on small integer keys (reporter and partner codes, chapters) through a directly indexed table
        # rather than a hash table
        con.raw_sql(f"SET perfect_ht_threshold = {PERFECT_HASH_BITS}")
        _shared.backend, _shared.tables, _shared.pid = con, {}, os.getpid()
    return _shared.backend


@dataclass
class Records:
    """Trade records from one or more files, queried on an Ibis backend (DuckDB by default)."""

    files: list[RecordsFile]
    backend: object = None
    _table: object = field(default=None, repr=False)
    _grains: dict = field(default_factory=dict, repr=False)   # (dim, reporter, flow) -> (years, tables)
    _parts: dict = field(default_factory=dict, repr=False)    # parquet path -> Ibis table of that file
    _coverage: object = field(default=None, repr=False)
    _overlapping: object = field(default=None, repr=False)

    def __post_init__(self):
        if self.backend is None:
            self.backend = default_backend()

    # ----------------------------------------------------------------------------------- the data
    @property
    def overlapping(self) -> bool:
        """True when two files hold records for the same reporter, flow and period."""
        if self._overlapping is None:
            seen: dict[tuple, int] = {}
            self._overlapping = False
            for n, f in enumerate(self.files):
                for c in f.coverage:
                    if seen.setdefault(tuple(c), n) != n:
                        self._overlapping = True
        return self._overlapping

    @property
    def table(self):
        """All records as one Ibis table; a cell held by two files is counted once."""
        if self._table is None:
            parts = [f.parquet for f in self.files]
            if self.backend.name == "duckdb" or len(parts) == 1:
                t = self.backend.read_parquet(parts if len(parts) > 1 else parts[0])
            else:  # Spark (through Ibis) reads one path at a time
                t = ibis.union(*[self.part(f) for f in self.files])
            t = t.drop(*[k for k in AREA_KEYS if k in t.columns])   # the store's own numbers, not records
            if self.overlapping:
                # the same cell in two files (a partner in two extracts, a file given twice): keep one row,
                # the newest classification first, then the first file named
                order = {f.name: i for i, f in enumerate(self.files)}
                rank = t.source_file.cases(*[(k, v) for k, v in order.items()], else_=len(order))
                w = ibis.window(group_by=[t[c] for c in CELL],
                                order_by=[ibis.desc(t.classification), rank, t.source_line])
                t = t.mutate(_n=ibis.row_number().over(w))
                t = t.mutate(breakdown=ibis.ifelse((t._n > 0) & (t.breakdown == ""),
                                                   "same cell in another file", t.breakdown)).drop("_n")
            self._table = t
        return self._table

    def part(self, f: RecordsFile):
        """One file's records as an Ibis table (read once per Records; on the default DuckDB connection, once
        per process and thread, so loading an unchanged file again costs nothing)."""
        if f.parquet not in self._parts:
            shared = _shared.tables if self.backend is getattr(_shared, "backend", None) else {}
            if f.parquet not in shared:
                shared[f.parquet] = self.backend.read_parquet(f.parquet)
            self._parts[f.parquet] = shared[f.parquet]
        return self._parts[f.parquet]

    def on(self, backend) -> "Records":
        """The same records on another Ibis backend, e.g. ``ibis.pyspark.connect(spark)``."""
        return Records(self.files, backend)

    def coverage(self) -> pd.DataFrame:
        """One row per file, reporter, flow, year and month held."""
        if self._coverage is None:
            rows = [(f.name, *c) for f in self.files for c in f.coverage]
            self._coverage = pd.DataFrame(rows, columns=["file", *KEYS])
        return self._coverage.copy()

    def facets(self) -> dict | None:
        """What varies across the files (None for a file converted before facets were recorded)."""
        from .store import _merge_facets

        parts = [f.facets for f in self.files]
        return _merge_facets(parts) if all(parts) else None

    def years(self) -> set[int]:
        return {int(c[2]) for f in self.files for c in f.coverage}

    def reporters(self) -> list[str]:
        return sorted({c[0] for f in self.files for c in f.coverage})

    def name(self, kind: str, code: str, default: str | None = None) -> str:
        """A display name from the files themselves, else the code lists, else ``default`` (the code)."""
        for f in self.files:
            n = f.names.get(kind, {}).get(code)
            if n:
                return n
        if kind == "area":
            c = areas.code_of_iso3(code)
            n = areas.name(c) if c is not None else None
            if n:
                return n
        return code if default is None else default

    def sources(self) -> list[str]:
        """One line per file: what it is, its name, its size in rows and its dates."""
        return [f"{f.label} ({f.classification}), file {f.name}, {f.rows:,} rows, "
                f"file dated {f.modified[:10]}, SHA-256 {f.sha256[:12]}" for f in self.files]


def load(paths: str | Path | Iterable[str | Path], reporter: str | None = None, flow: str | None = None,
         store: Store | str | Path | None = None, backend=None) -> Records:
    """Read records files (converted once to Parquet in the store) for querying.

    ``reporter`` and ``flow`` are needed only for tidy extracts that do not say whose trade they hold.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise DataError("records", None, "files", "no records file given; name at least one")
    st = store if isinstance(store, Store) else Store(store)
    files = [st.add(p, reporter=reporter, flow=flow) for p in paths]
    return Records(files, backend)


# ---------------------------------------------------------------------------------------- periods

def _in_period(months, period: Period, from_months: bool):
    """The condition on the month column that selects ``period`` (works on Ibis columns and pandas Series)."""
    if period.is_month:
        return months == period.month
    if period.is_range:
        return (months >= period.first) & (months <= period.last)
    return months > 0 if from_months else months == 0


def check_months(records: Records, period: Period, reporter: str | None, flow: str | None) -> None:
    """A run of months needs every one of its months in the records: a missing month would make a smaller
    total that reads like a fall."""
    if not period.is_range:
        return
    held = set(months_held(records, period, reporter, flow))
    if not held:
        return
    missing = [m for m in period.months if m not in held]
    if missing:
        have = ", ".join(f"{period.year}-{m:02d}" for m in sorted(held))
        raise DataError("records", None, "period", f"{period.label} needs every month, and the records of "
                        f"{reporter or 'the reporters'} hold only {have}; add the files of the missing months or "
                        f"ask for a shorter period")


def _select(t, period: Period, reporter: str | None, flow: str | None, annual_from_months: bool):
    sel = t.filter(t.year == period.year)
    sel = sel.filter(_in_period(sel.month, period, annual_from_months))
    if reporter:
        sel = sel.filter(sel.reporter == reporter)
    if flow:
        sel = sel.filter(sel.flow == flow)
    return sel


def _held(records: Records, year: int, reporter: str | None, flow: str | None) -> list:
    """The coverage entries [reporter, flow, year, month] of ``year`` (for a reporter and flow when given)."""
    return [c for f in records.files for c in f.coverage
            if c[2] == year and (not reporter or c[0] == reporter) and (not flow or c[1] == flow)]


def _annual_from_months(records: Records, period: Period, reporter: str | None, flow: str | None) -> bool:
    """An annual period is read from monthly rows only when no annual rows are held for it."""
    if not period.is_year:
        return False
    held = _held(records, period.year, reporter, flow)
    return bool(held) and not any(c[3] == 0 for c in held)


def months_held(records: Records, period: Period, reporter: str | None, flow: str | None) -> list[int]:
    return sorted({int(c[3]) for c in _held(records, period.year, reporter, flow) if c[3] > 0})


def _categorical(values, codes: dict | None = None) -> pd.Categorical:
    """Key values as a categorical whose categories are the labels in sorted order, so grouping and sorting on
    it follow the labels. ``codes`` maps numeric codes (as text) to labels; without it the values are the
    labels (a code without a label becomes missing)."""
    if codes is None:
        return pd.Categorical(values)
    labels = sorted(set(codes.values()))
    where = {label: i for i, label in enumerate(labels)}
    lookup = np.full(max(int(c) for c in codes) + 2, -1, dtype=np.int32)
    for c, label in codes.items():
        lookup[int(c)] = where[label]
    values = np.asarray(values, dtype=np.int64)
    values = np.where((values >= 0) & (values < len(lookup) - 1), values, len(lookup) - 1)
    return pd.Categorical.from_codes(lookup[values], categories=labels)


def _text(s: pd.Series):
    """A categorical column as plain text (taken from its categories, not converted value by value)."""
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return s.astype("str")
    return s.cat.categories.astype("str").array.take(s.cat.codes.to_numpy(), allow_fill=True)


def _grain(records: Records, years: list[int], dim, reporter: str | None, flow: str | None) -> pd.DataFrame:
    """Sum plain rows at the grain (reporter, flow, year, month, level, world?, dim) for ``years``.

    One query: each file is summed on its own and the sums are stacked (files that hold the same cell are
    first made one table, where a cell is counted once). A file holding one of the years asked is grouped
    without the year, which is put back as a constant. Only what varies in the files is grouped on or
    filtered (the files' facets say what does): a BACI year has one flow, one product level, no months and
    no World rows, so it is grouped by reporter and the item alone; reporters and partners are grouped on
    their numeric codes where each code has one label, and chapters on the stored chapter number. The
    constant columns are put back afterwards, so the result is the same as grouping on everything. Rows of
    one key from two files are added up by the callers, which sum the grain anyway.
    """
    fac = records.facets()
    full = fac is None
    codes = {} if full else fac["codes"]
    consts: dict = {}
    varying = []
    for col, varies, value in (("flow", full or len(fac["flows"]) > 1, None if full else (fac["flows"] or [""])[0]),
                               ("month", full or fac["monthly"], 0),
                               ("level", full or len(fac["levels"]) > 1, None if full else (fac["levels"] or [0])[0])):
        if varies:
            varying.append(col)
        else:
            consts[col] = value
    world = full or fac["world"]
    if not world:
        consts["is_world"] = False
    # by partner, reporters and partners are grouped on the store's dense numbers of their codes where every
    # file has them (see store.AREA_KEYS), each file's sums tagged with the file, and turned back into codes
    numbered = (dim == "partner" and bool(codes) and not records.overlapping
                and all(f.area_keys is not None for f in records.files))
    if records.overlapping:
        sources = [(records.table, list(years), None, None)]
    else:
        sources = []
        for n, f in enumerate(records.files):
            held = {int(c[2]) for c in f.coverage}
            want = [y for y in years if y in held]
            if want:
                sources.append((records.part(f), want, held, n))
    parts = []
    for t, want, held, n in sources:
        if held is None or held - set(want):
            t = t.filter(t.year == want[0]) if len(want) == 1 else t.filter(t.year.isin(want))
        if reporter:
            t = t.filter(t.reporter == reporter)
        if flow:
            t = t.filter(t.flow == flow)
        if full or fac["breakdowns"] or records.overlapping:
            t = t.filter(t.breakdown == "")
        if full or fac["groups"]:
            t = t.filter(t.partner_kind != "group")
        keys = [(t.reporter_key if numbered else t.reporter_code if codes else t.reporter).name("reporter")]
        if len(want) > 1:
            keys.append(t.year)
        keys += [t[c] for c in varying]
        if world:
            keys.append((t.partner_kind == "world").name("is_world"))
        if dim == "partner":
            keys.append((t.partner_key if numbered else t.partner_code if codes else t.partner).name("item"))
        else:
            if full or min(fac["levels"] or [0]) < dim:
                t = t.filter(t.level >= dim)
            keys.append(t.chapter.name("item") if dim == 2 else t.product.substr(0, dim).name("item"))
        a = t.group_by(keys).agg(value=t.value_usd.sum(), rows=t.count())
        if len(want) == 1:
            a = a.mutate(year=ibis.literal(want[0], type=t.year.type()))
        if numbered:
            a = a.mutate(file=ibis.literal(n, type="int16"))
        parts.append(a.select("reporter", "year", *varying, *(["is_world"] if world else []), "item", "value",
                              "rows", *(["file"] if numbered else [])))
    if not parts:
        return pd.DataFrame(columns=EMPTY_GRAIN)
    g = (ibis.union(*parts) if len(parts) > 1 else parts[0]).to_pandas()
    if numbered:   # every file's codes in one array; a file's numbers start at its offset
        codebook = [np.asarray(f.area_keys, dtype=np.int64) for f in records.files]
        start = np.cumsum([0] + [len(c) for c in codebook[:-1]])[g.pop("file").to_numpy()]
        codebook = np.concatenate(codebook)
        for col in ("reporter", "item"):
            g[col] = codebook[start + g[col].to_numpy(dtype=np.int64)]
    for col, value in consts.items():
        g[col] = pd.Categorical.from_codes(np.zeros(len(g), dtype=np.int8), [value]) if col == "flow" else value
    if "flow" not in consts:
        g["flow"] = _categorical(g["flow"])
    g["reporter"] = _categorical(g["reporter"], codes.get("reporter"))
    if dim == 2:   # chapter numbers as HS codes ("01"); numeric order is the order of the codes
        item = pd.Categorical(g["item"])
        g["item"] = item.rename_categories([f"{int(c):02d}" for c in item.categories])
    else:
        g["item"] = _categorical(g["item"], codes.get("partner") if dim == "partner" else None)
    g["is_world"] = g["is_world"].astype(bool)
    return g


def _grain_held(records: Records, years: set[int], dim, reporter: str | None, flow: str | None):
    """The grain table for ``years`` if already computed (for these or for all reporters or flows), else None."""
    for r, f in ((reporter, flow), (None, flow), (reporter, None), (None, None)):
        held_years, frames = records._grains.get((dim, r, f), (set(), []))
        if frames and set(years) <= held_years:
            g = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            if held_years == set(years) and r == reporter and f == flow:
                return g
            return g[g.year.isin(list(years)) & ((g.reporter == reporter) if reporter else True)
                     & ((g.flow == flow) if flow else True)]
    return None


def _grain_for(records: Records, years: set[int], dim, reporter: str | None, flow: str | None) -> pd.DataFrame:
    """The grain table for ``years``, computed once per Records and kept (the files never change under it).

    A total uses the partner grain too (it holds the World rows and every product level), so a total and its
    breakdown by partner, for a period and the period it is compared with, come from one pass.
    """
    dim = "partner" if dim is None else dim
    years = set(years) & records.years()      # never scan for a year no file holds
    g = _grain_held(records, years, dim, reporter, flow)
    if g is not None:
        return g
    key = (dim, reporter, flow)
    held_years, frames = records._grains.get(key, (set(), []))
    missing = sorted(years - held_years)
    if missing:
        frames = frames + [_grain(records, missing, dim, reporter, flow)]
        held_years = held_years | set(missing)
        records._grains[key] = (held_years, frames)
    if not frames:
        return pd.DataFrame(columns=EMPTY_GRAIN)
    g = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return g if held_years == years else g[g.year.isin(list(years))]


def _choose(g: pd.DataFrame, dim) -> pd.DataFrame:
    """Apply the no-double-counting rules to a small grain table (pandas)."""
    if g.empty:
        return g
    keys = ["reporter", "flow"]
    world = g.is_world.any()
    if dim == "partner":
        if world:
            g = g[~g.is_world]
    elif isinstance(dim, int):
        g = g[(g.level >= dim)]
    # coarsest level per reporter and flow
    if g.level.min() != g.level.max():
        g = g[g.level == g.groupby(keys, observed=True)["level"].transform("min")]
    if dim != "partner" and world:
        # the World row where the records hold one, else the sum of the partners
        has_world = g.groupby(keys, observed=True)["is_world"].transform("any")
        g = g[g.is_world == has_world]
    return g


def _sum_by(g: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """value and rows summed, the lowest level and whether any row is a World row, by ``cols``, sorted by them.

    On categorical keys (the grain's) the groups are found from the category codes, whose order is the
    labels' order, in one sort; otherwise pandas groups them. Either way a row with a missing key is left out
    and a missing value counts as zero, as in ``DataFrame.groupby(...).sum()``.
    """
    aggs = {"value": ("value", "sum"), "rows": ("rows", "sum"), "level": ("level", "min"),
            "is_world": ("is_world", "any")}
    if not all(isinstance(g[c].dtype, pd.CategoricalDtype) for c in cols):
        return g.groupby(cols, as_index=False, observed=True, sort=True).agg(**aggs)
    key = np.zeros(len(g), dtype=np.int64)
    known = np.ones(len(g), dtype=bool)
    for c in cols:
        codes = g[c].cat.codes.to_numpy()
        known &= codes >= 0
        key = key * len(g[c].cat.categories) + codes
    order = np.argsort(np.where(known, key, -1), kind="stable")
    order = order[known[order]]
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    first = order[starts]

    def reduce(col, ufunc, dtype):
        v = g[col].to_numpy(dtype=dtype)[order]
        if dtype == "float64":
            v = np.where(np.isnan(v), 0.0, v)
        return ufunc.reduceat(v, starts) if len(v) else v

    out = pd.DataFrame({c: pd.Categorical.from_codes(g[c].cat.codes.to_numpy()[first], dtype=g[c].dtype)
                        for c in cols})
    out["value"] = reduce("value", np.add, "float64")
    out["rows"] = reduce("rows", np.add, "int64")
    out["level"] = reduce("level", np.minimum, "int64")
    out["is_world"] = reduce("is_world", np.logical_or, "bool")
    return out


def totals(records: Records, period: Period, reporter: str | None = None, flow: str | None = None,
           by: str | None = None) -> pd.DataFrame:
    """Values for a period: one row per reporter and flow (``by=None``) or per item of ``by``.

    ``by`` is ``partner``, ``hs2``, ``hs4`` or ``hs6``. Columns: reporter, flow, [item], value, rows,
    basis ("world row" or "sum of partners"), level (product level used). The records are read once for a
    period and the same period a year earlier; asking for either again, or for the total beside the
    partners, reuses that pass.
    """
    dim = BY[by] if by else None
    check_months(records, period, reporter, flow)
    months = _annual_from_months(records, period, reporter, flow)
    g = _grain_for(records, {period.year, period.year - 1}, dim, reporter, flow)
    keep = (g.year == period.year).to_numpy() & np.asarray(_in_period(g.month, period, months))
    if reporter:
        keep &= (g.reporter == reporter).to_numpy()
    if flow:
        keep &= (g.flow == flow).to_numpy()
    g = _choose(g[keep], dim)
    cols = ["reporter", "flow"] + (["item"] if dim is not None else [])
    out = _sum_by(g, cols)
    for c in cols:
        out[c] = _text(out[c])
    out["basis"] = pd.array(["sum of partners", "world row"], dtype="str").take(
        out.pop("is_world").to_numpy(dtype=np.int8))
    return out


def left_out(records: Records, period: Period, reporter: str | None = None, flow: str | None = None) -> pd.DataFrame:
    """Rows of the period that no total uses, by reason."""
    months = _annual_from_months(records, period, reporter, flow)
    t = _select(records.table, period, reporter, flow, months)
    out = t.group_by([t.breakdown, t.partner_kind, t.level]).agg(rows=t.count(), value=t.value_usd.sum())
    return out.to_pandas()


def mirror(records: Records, period: Period, reporter: str, flow: str = "X") -> pd.DataFrame:
    """A reporter's exports (or imports) by partner beside what those partners report from their side.

    Only partners whose own records are loaded appear. Columns as :func:`tradelib.records.measures.mirror`:
    reported, mirror, gap, gap_pct (imports are usually valued CIF and exports FOB, so some gap is expected).
    """
    from . import measures

    own = totals(records, period, reporter, flow, by="partner").set_index("item")["value"]
    other = {"X": "M", "M": "X"}[flow]
    theirs = totals(records, period, None, other, by="partner")
    theirs = theirs[(theirs["item"] == reporter) & (theirs["reporter"] != reporter)].set_index("reporter")["value"]
    out = measures.mirror(own[own.index.isin(theirs.index)], theirs)
    out.index.name = "partner"
    return out


def quantities(records: Records, period: Period, reporter: str, flow: str, digits: int = 6) -> pd.DataFrame:
    """Value and quantity by product code of ``digits`` digits, with the quantity's unit, for unit values.

    Rows without a quantity are left out of ``qty`` (and counted in ``value_without_qty``); the World row is
    used where held, else the sum of the partners, as for totals.
    """
    months = _annual_from_months(records, period, reporter, flow)
    t = _select(records.table, period, reporter, flow, months)
    t = t.filter((t.breakdown == "") & (t.partner_kind != "group") & (t.level == digits))
    has_q = t.qty.notnull() & (t.qty > 0)   # a zero quantity beside a value is a missing one
    g = t.group_by([t.product.name("item"), (t.partner_kind == "world").name("is_world")]).agg(
        value=t.value_usd.sum(), qty=t.qty.sum(where=has_q), value_with_qty=t.value_usd.sum(where=has_q),
        unit=t.qty_unit.max(), units=t.qty_unit.nunique()).to_pandas()
    if g.empty:
        return g
    g["is_world"] = g["is_world"].astype(bool)
    g = g[g.is_world == g.groupby("item")["is_world"].transform("any")]
    g["value_without_qty"] = g["value"] - g["value_with_qty"].fillna(0)
    mixed = g["units"] > 1
    g.loc[mixed, ["qty", "unit"]] = [float("nan"), None]   # quantities in two units do not add up
    return g.drop(columns=["is_world", "value_with_qty", "units"]).set_index("item").sort_index()


def rca(records: Records, period: Period, digits: int = 2, world: pd.DataFrame | None = None) -> pd.DataFrame:
    """Balassa's revealed comparative advantage of every reporter's exports at ``digits`` HS digits.

    World totals are the sum over the reporters held (right for BACI, which holds every exporter), or
    ``world`` (columns product, value) when the records hold only some reporters.
    See :func:`tradelib.records.measures.rca`.
    """
    from . import measures

    x = totals(records, period, None, "X", by=f"hs{digits}")
    x = x.rename(columns={"item": "product"})[["reporter", "product", "value"]]
    return measures.rca(x, world)
