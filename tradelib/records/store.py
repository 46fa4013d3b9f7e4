"""The local store: each records file is converted once to Parquet, then queried in place by DuckDB.

A file's Parquet copy and a JSON card describing it (format, rows, periods, reporters, the file's SHA-256)
live in a folder named after the file's path, size and modification time and the reader version; loading an
unchanged file again finds that folder and reads nothing else. Conversion writes into a temporary folder
that is renamed into place, so a crash or a second process converting the same file at the same time never
leaves half a copy behind.

The store lives in ``$TRADELIB_STORE`` or, by default, ``~/.cache/tradelib/records``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import DataError
from . import areas, readers, schema

READER_VERSION = "4"  # bump when a reader's output or the stored layout changes: every file is converted again

ARROW_SCHEMA = pa.schema([
    ("reporter", pa.string()), ("reporter_code", pa.int32()), ("partner", pa.string()),
    ("partner_code", pa.int32()), ("partner_kind", pa.string()), ("flow", pa.string()), ("freq", pa.string()),
    ("year", pa.int16()), ("month", pa.int8()), ("period", pa.string()), ("classification", pa.string()),
    ("product", pa.string()), ("level", pa.int8()), ("chapter", pa.int8()), ("value_usd", pa.float64()),
    ("qty", pa.float64()),
    ("qty_unit", pa.string()), ("net_weight_kg", pa.float64()), ("breakdown", pa.string()),
    ("source_file", pa.string()), ("source_line", pa.int64()),
])
assert ARROW_SCHEMA.names == list(schema.COLUMNS)
# on disk, repetitive text columns are dictionary-encoded (DuckDB and Spark read them as plain text)
_DICT = {"reporter", "partner", "partner_kind", "flow", "freq", "period", "classification", "qty_unit",
         "breakdown", "source_file"}
WRITE_SCHEMA = pa.schema([pa.field(f.name, pa.dictionary(pa.int32(), pa.string())) if f.name in _DICT else f
                          for f in ARROW_SCHEMA])
# LZ4 decompresses several times faster than ZSTD for files about 1.6 times larger: scans are what repeat.
# Values in dollars hardly compress (LZ4 saves about a third) and are read by every query, so they are stored
# uncompressed; numbers are stored plain, not dictionary-encoded, which DuckDB decodes faster
# (text columns keep their dictionaries). On the benchmark's synthetic BACI year this makes the file about a
# quarter larger (230 MB against 183 MB for 10 million rows) and DuckDB's sums by reporter and partner or
# chapter 1.25 to 1.4 times faster. The chapter number is read by every breakdown by product and compresses
# poorly under LZ4 (to about 0.8 bytes of its 1), so it is stored uncompressed too: about 9 MB more for 10
# million rows, and the sums by reporter and chapter about 1.1 times faster.
COMPRESSION = {f.name: "none" if f.name in ("value_usd", "chapter") else "lz4" for f in ARROW_SCHEMA}
DICTIONARY = [f.name for f in ARROW_SCHEMA if pa.types.is_string(f.type)]
# Two stored-only columns number the file's country codes densely (0, 1, 2 ...; the card keeps the codes in
# the order of their numbers, ``RecordsFile.area_keys``): DuckDB groups reporters by partners through a
# table indexed directly by the two numbers, whose size is the product of their ranges, so about 230 numbers
# each instead of codes up to 999 make that table about 16 times smaller (the sums by reporter and partner of
# the benchmark's synthetic BACI year about 1.2 times faster). They are not part of the records' schema.
AREA_KEYS = ("reporter_key", "partner_key")
STORED_SCHEMA = pa.schema(list(WRITE_SCHEMA) + [pa.field(k, pa.int16()) for k in AREA_KEYS])
COMPRESSION.update({k: "lz4" for k in AREA_KEYS})
PARQUET = {"compression": COMPRESSION, "use_dictionary": DICTIONARY}


class _AreaKeys:
    """Dense numbers for one file's country codes: 0, 1, 2 ... as codes first appear, batch by batch."""

    LIMIT = 1 << 20      # codes at or above this (none in the code lists) get no number

    def __init__(self):
        self.codes: list[int] = []
        self.lookup = np.full(1024, -1, dtype=np.int64)
        self.usable = True

    def __call__(self, column: pa.ChunkedArray | pa.Array) -> pa.Array:
        codes = pc.fill_null(column, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        if not self.usable or (codes >= self.LIMIT).any():
            self.usable = False
            return pa.nulls(len(codes), pa.int16())
        top = int(codes.max(initial=-1))
        if top >= len(self.lookup):
            self.lookup = np.concatenate([self.lookup, np.full(top + 1 - len(self.lookup), -1, dtype=np.int64)])
        known = codes >= 0
        seen = np.bincount(codes[known], minlength=len(self.lookup)) > 0
        new = np.flatnonzero(seen & (self.lookup < 0))      # codes not numbered yet, in the order of the codes
        self.lookup[new] = np.arange(len(self.codes), len(self.codes) + len(new))
        self.codes += [int(c) for c in new]
        if len(self.codes) > np.iinfo(np.int16).max:
            self.usable = False
            return pa.nulls(len(codes), pa.int16())
        keys = np.where(known, self.lookup[np.maximum(codes, 0)], 0).astype(np.int16)
        return pa.array(keys, mask=~known)

    def add(self, table: pa.Table) -> pa.Table:
        """``table`` (stored schema without the keys) with the two key columns."""
        for k, col in zip(AREA_KEYS, ("reporter_code", "partner_code")):
            table = table.append_column(STORED_SCHEMA.field(k), self(table.column(col)))
        return table

    @property
    def card(self) -> list[int] | None:
        return list(self.codes) if self.usable else None


# a cell: what one row of a trade table is about; two rows with the same cell count the same trade
CELL = ["reporter", "partner", "flow", "freq", "year", "month", "product", "breakdown"]


def default_root() -> Path:
    return Path(os.environ.get("TRADELIB_STORE") or Path.home() / ".cache" / "tradelib" / "records")


@dataclass
class RecordsFile:
    """One converted file and what it holds."""

    path: str
    name: str
    format: str
    label: str                 # "UN Comtrade Plus", "CEPII BACI" ...
    classification: str
    rows: int
    sha256: str
    parquet: str
    converted: str             # UTC time of the conversion
    modified: str              # the file's modification time, UTC
    coverage: list = field(default_factory=list)   # [reporter, flow, year, month] held
    left_out: dict = field(default_factory=dict)   # reason -> rows marked at conversion
    facets: dict = field(default_factory=dict)     # what varies in the file (see store.facets)
    names: dict = field(default_factory=dict)      # {"area": {iso3: name}, "product": {code: name}} from the file
    area_keys: list | None = None                  # the country codes in the order of their stored numbers

    @classmethod
    def from_json(cls, text: str) -> "RecordsFile":
        return cls(**json.loads(text))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def _key(path: Path, reporter: str | None, flow: str | None) -> str:
    st = path.stat()
    ident = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{READER_VERSION}|{reporter or ''}|{flow or ''}"
    return hashlib.sha256(ident.encode()).hexdigest()[:24]


def mark_duplicates(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Mark rows that repeat a cell already in the file, so they are never counted twice.

    The same cell under two classifications (a total tagged both HS and SITC, a code in HS 2012 and HS 2017)
    keeps the newest classification; the same cell twice under one classification must carry the same value.
    """
    plain = df["breakdown"] == ""
    sub = df.loc[plain]
    dup_any = sub.duplicated(CELL, keep=False)
    if not dup_any.any():
        return df
    d = sub.loc[dup_any].sort_values(["classification", "source_line"], ascending=[False, True])
    same_class = d.duplicated(CELL + ["classification"], keep=False)
    clash = d.loc[same_class].groupby(CELL + ["classification"], dropna=False)["value_usd"].nunique() > 1
    if clash.any():
        key = clash[clash].index[0]
        lines = d.loc[same_class].set_index(CELL + ["classification"]).loc[[key], "source_line"].tolist()
        raise DataError(path, int(lines[0]), "duplicate",
                        f"lines {', '.join(str(x) for x in lines[:4])} give different values for the same "
                        "reporter, partner, flow, period and product; keep one of them")
    later = d.duplicated(CELL, keep="first")
    older_class = later & d.duplicated(CELL + ["classification"], keep=False).eq(False)
    df = df.copy()
    df.loc[d.index[older_class.values], "breakdown"] = "same cell in another classification"
    df.loc[d.index[(later & ~older_class).values], "breakdown"] = "duplicate row"
    return df


def _coverage(table: pa.Table) -> list:
    cov = table.select(["reporter", "flow", "year", "month"]).group_by(
        ["reporter", "flow", "year", "month"]).aggregate([])
    return sorted([list(r.values()) for r in cov.to_pylist()], key=lambda r: [str(x) for x in r])


def _baci_names(path: Path) -> dict:
    """Country and product names from a BACI release zip (its own code lists), else none."""
    if not zipfile.is_zipfile(path):
        return {}
    out: dict = {"area": {}, "product": {}}
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if "country_codes" in n:
                cc = pd.read_csv(z.open(n), dtype=str, keep_default_na=False)
                out["area"] = dict(zip(cc["country_iso3"], cc["country_name"]))
            elif "product_codes" in n:
                pcodes = pd.read_csv(z.open(n), dtype=str, keep_default_na=False)
                out["product"] = dict(zip(pcodes["code"].str.zfill(6), pcodes["description"]))
    return out


def _dict(indices: np.ndarray, labels: list) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(labels, pa.string()))


def _const(value, n: int) -> pa.DictionaryArray:
    return _dict(np.zeros(n, dtype=np.int32), [value])


def _baci_batches(path: Path, tmp: Path):
    """Yield (member name, Arrow table in the stored schema) for each BACI data file, streaming in batches.

    Country and constant columns are built as dictionary arrays from the numeric codes (no per-row strings).
    """
    members, codes_member, classification = readers.baci_members(path)
    lookup = areas.table()
    if codes_member:
        with zipfile.ZipFile(path) as z:
            cc = pd.read_csv(z.open(codes_member), dtype=str, keep_default_na=False)
        own = pd.DataFrame({"code": cc["country_code"].astype(int), "iso3": cc["country_iso3"],
                            "name": cc["country_name"], "kind": "country"})
        lookup = pd.concat([lookup[~lookup.code.isin(own.code)], own])
    size = int(max(lookup["code"].max(), 999)) + 1
    labels = [f"#{c}" for c in range(size)]
    kinds = ["other"] * size
    for c, i, k in zip(lookup["code"], lookup["iso3"], lookup["kind"]):
        labels[int(c)] = i
        kinds[int(c)] = k
    kind_names = sorted(set(kinds))
    kind_index = np.array([kind_names.index(k) for k in kinds], dtype=np.int32)
    sources: list[tuple[str, Path]] = []
    if members:
        with zipfile.ZipFile(path) as z:
            for m in members:
                target = tmp / Path(m).name
                with z.open(m) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 22)
                sources.append((Path(m).name, target))
    else:
        sources.append((path.name, path))
    convert = pacsv.ConvertOptions(column_types={"t": pa.int16(), "i": pa.int32(), "j": pa.int32(),
                                                 "k": pa.string(), "v": pa.float64(), "q": pa.float64()},
                                   null_values=["", "NA", "NaN", "           NA"], strings_can_be_null=True)
    for name, file in sources:
        line = 2
        try:
            reader = pacsv.open_csv(file, convert_options=convert,
                                    read_options=pacsv.ReadOptions(block_size=1 << 24))
            for batch in reader:
                n = batch.num_rows
                i = batch.column("i").to_numpy(zero_copy_only=False)
                j = batch.column("j").to_numpy(zero_copy_only=False)
                if (i >= size).any() or (j >= size).any() or (i < 0).any() or (j < 0).any():
                    raise DataError(path, None, "country code", "a country code is outside the known range; "
                                    "use the release's own zip, which holds its country list")
                k = pc.utf8_lpad(pc.utf8_trim_whitespace(batch.column("k")), 6, "0")
                t = batch.column("t")
                q = batch.column("q")
                yield name, pa.table({
                    "reporter": _dict(i, labels), "reporter_code": batch.column("i"),
                    "partner": _dict(j, labels), "partner_code": batch.column("j"),
                    "partner_kind": _dict(kind_index[j], kind_names),
                    "flow": _const("X", n), "freq": _const("A", n), "year": t,
                    "month": pa.array(np.zeros(n, dtype=np.int8)),
                    "period": pc.cast(t, pa.string()).dictionary_encode(),
                    "classification": _const(classification, n),
                    "product": k,
                    "level": pa.array(np.full(n, 6, dtype=np.int8)),
                    "chapter": pc.cast(pc.utf8_slice_codeunits(k, 0, 2), pa.int8()),
                    "value_usd": pc.multiply(batch.column("v"), 1000.0),
                    "qty": q,
                    "qty_unit": pc.if_else(pc.is_null(q), pa.scalar(None, pa.string()),
                                           pa.scalar("t", pa.string())).dictionary_encode(),
                    "net_weight_kg": pc.multiply(q, 1000.0),
                    "breakdown": _const("", n),
                    "source_file": _const(name, n),
                    "source_line": pa.array(np.arange(line, line + n, dtype=np.int64)),
                }, schema=WRITE_SCHEMA)
                line += n
        except pa.ArrowInvalid as e:
            raise DataError(path, None, "BACI", f"{name} cannot be read as a BACI file ({str(e).splitlines()[0]}); "
                            "download the release again") from None


def _merge_facets(parts: list[dict]) -> dict:
    out = {"flows": sorted({f for p in parts for f in p["flows"]}),
           "levels": sorted({v for p in parts for v in p["levels"]}),
           "monthly": any(p["monthly"] for p in parts), "world": any(p["world"] for p in parts),
           "groups": any(p["groups"] for p in parts), "breakdowns": any(p["breakdowns"] for p in parts),
           "codes": {}}
    if all(p["codes"] for p in parts):
        for who in ("reporter", "partner"):
            merged: dict = {}
            for p in parts:
                for c, lab in p["codes"][who].items():
                    if merged.setdefault(c, lab) != lab:
                        return {**out, "codes": {}}
            out["codes"][who] = merged
    return out


def facets(table: pa.Table) -> dict:
    """What varies in a converted file, so queries group and filter only on what matters.

    flows, levels, monthly (any month), world (any World row), groups (any partner group), breakdowns (any
    row left out), and the reporter and partner labels of each numeric code where every row has a code and
    each code one label (then queries group on the codes, which is faster than on text).
    """
    def distinct(col):
        return pc.unique(table.column(col).combine_chunks().cast(pa.string())
                         if pa.types.is_dictionary(table.column(col).type) else table.column(col)).to_pylist()

    kinds = set(distinct("partner_kind"))
    out = {"flows": sorted(x for x in distinct("flow") if x), "levels": sorted(distinct("level")),
           "monthly": bool(pc.max(table.column("month")).as_py() or 0), "world": "world" in kinds,
           "groups": "group" in kinds, "breakdowns": bool(set(distinct("breakdown")) - {""}), "codes": {}}
    for who in ("reporter", "partner"):
        pairs = table.select([f"{who}_code", who]).group_by([f"{who}_code", who]).aggregate([]).to_pylist()
        codes = [p[f"{who}_code"] for p in pairs]
        if None in codes or len(set(codes)) != len(codes):
            out["codes"] = {}
            break
        out["codes"][who] = {str(p[f"{who}_code"]): p[who] for p in pairs}
    return out


class Store:
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root else default_root()

    def add(self, path: str | Path, reporter: str | None = None, flow: str | None = None) -> RecordsFile:
        """The converted copy of ``path`` (converting it when it is new or changed)."""
        path = Path(path)
        if not path.is_file():
            raise DataError(path, None, "file", "no such file; check the path")
        key = _key(path, reporter, flow)
        folder = self.root / key
        card = folder / "file.json"
        if card.exists():
            try:
                return RecordsFile.from_json(card.read_text())
            except (ValueError, TypeError):
                shutil.rmtree(folder, ignore_errors=True)  # a damaged card: convert again
        return self._convert(path, folder, reporter, flow)

    def _convert(self, path: Path, folder: Path, reporter: str | None, flow: str | None) -> RecordsFile:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.root))
        except OSError as e:
            raise DataError(self.root, None, "store", f"cannot write the records store ({e.strerror}); "
                            "set TRADELIB_STORE to a writable folder") from None
        try:
            out = tmp / "records.parquet"
            left_out: dict[str, int] = {}
            names: dict = {}
            if readers.is_baci(path):
                names = _baci_names(path)
                fmt, classification = "baci", readers.baci_members(path)[2]
                writer = None
                rows = 0
                cov: set = set()
                fac: list[dict] = []
                numbers = _AreaKeys()
                for _name, table in _baci_batches(path, tmp):
                    writer = writer or pq.ParquetWriter(out, STORED_SCHEMA, **PARQUET)
                    writer.write_table(numbers.add(table))
                    rows += table.num_rows
                    cov.update(tuple(r) for r in _coverage(table))
                    fac.append(facets(table))
                if writer is None:
                    raise DataError(path, None, "not empty", "the BACI file holds no rows; download it again")
                writer.close()
                coverage = sorted([list(c) for c in cov], key=lambda r: [str(x) for x in r])
                file_facets = _merge_facets(fac)
                for f in tmp.glob("BACI_*.csv"):
                    f.unlink()
            else:
                fmt, df = readers.read(path, reporter=reporter, flow=flow)
                df = mark_duplicates(df, path)
                classification = ", ".join(sorted(df["classification"].dropna().unique()))
                table = pa.Table.from_pandas(df, schema=ARROW_SCHEMA, preserve_index=False)
                numbers = _AreaKeys()
                pq.write_table(numbers.add(table.cast(WRITE_SCHEMA)), out, **PARQUET)
                file_facets = facets(table)
                rows = len(df)
                coverage = _coverage(table)
                left_out = {k: int(v) for k, v in df.loc[df.breakdown != "", "breakdown"].value_counts().items()}
                names = df.attrs.get("names", {})
            st = path.stat()
            info = RecordsFile(
                path=str(path.resolve()), name=path.name, format=fmt, label=readers.FORMATS[fmt],
                classification=classification, rows=rows, sha256=_sha256(path),
                parquet=str(folder / "records.parquet"),
                converted=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                modified=dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).isoformat(timespec="seconds"),
                coverage=coverage, left_out=left_out, names=names, facets=file_facets, area_keys=numbers.card)
            (tmp / "file.json").write_text(json.dumps(info.__dict__, indent=1))
            try:
                os.rename(tmp, folder)
            except OSError:
                if (folder / "file.json").exists():  # another process converted the same file first
                    shutil.rmtree(tmp, ignore_errors=True)
                    return RecordsFile.from_json((folder / "file.json").read_text())
                raise
            return info
        except OSError as e:
            shutil.rmtree(tmp, ignore_errors=True)
            raise DataError(self.root, None, "store", f"cannot write the records store ({e.strerror or e}); "
                            "free some space or set TRADELIB_STORE to another folder") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
