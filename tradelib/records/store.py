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

READER_VERSION = "1"  # bump when a reader's output changes: every file is converted again

ARROW_SCHEMA = pa.schema([
    ("reporter", pa.string()), ("reporter_code", pa.int32()), ("partner", pa.string()),
    ("partner_code", pa.int32()), ("partner_kind", pa.string()), ("flow", pa.string()), ("freq", pa.string()),
    ("year", pa.int16()), ("month", pa.int8()), ("period", pa.string()), ("classification", pa.string()),
    ("product", pa.string()), ("level", pa.int8()), ("value_usd", pa.float64()), ("qty", pa.float64()),
    ("qty_unit", pa.string()), ("net_weight_kg", pa.float64()), ("breakdown", pa.string()),
    ("source_file", pa.string()), ("source_line", pa.int64()),
])
assert ARROW_SCHEMA.names == list(schema.COLUMNS)

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
    names: dict = field(default_factory=dict)      # {"area": {iso3: name}, "product": {code: name}} from the file

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


def _baci_batches(path: Path, tmp: Path):
    """Yield (member name, Arrow table in the schema) for each BACI data file, streaming in batches."""
    members, codes_member, classification = readers.baci_members(path)
    lookup = areas.table()
    if codes_member:
        with zipfile.ZipFile(path) as z:
            cc = pd.read_csv(z.open(codes_member), dtype=str, keep_default_na=False)
        own = pd.DataFrame({"code": cc["country_code"].astype(int), "iso3": cc["country_iso3"],
                            "name": cc["country_name"]})
        lookup = pd.concat([lookup[~lookup.code.isin(own.code)], own.assign(kind="country")])
    size = int(max(lookup["code"].max(), 999)) + 1
    iso_by_code = np.array([None] * size, dtype=object)
    for c, i in zip(lookup["code"], lookup["iso3"]):
        iso_by_code[int(c)] = i
    kind_by_code = np.array(["other"] * size, dtype=object)
    for c, k in zip(lookup["code"], lookup["kind"] if "kind" in lookup else ["country"] * len(lookup)):
        kind_by_code[int(c)] = k
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
                rep, par = iso_by_code[i], iso_by_code[j]
                v = pc.multiply(batch.column("v"), 1000.0)
                k = pc.utf8_lpad(pc.utf8_trim_whitespace(batch.column("k")), 6, "0")
                t = batch.column("t")
                yield name, pa.table({
                    "reporter": pa.array(np.where(rep == None, np.char.add("#", i.astype(str)), rep),  # noqa: E711
                                         pa.string()),
                    "reporter_code": batch.column("i"),
                    "partner": pa.array(np.where(par == None, np.char.add("#", j.astype(str)), par),  # noqa: E711
                                        pa.string()),
                    "partner_code": batch.column("j"),
                    "partner_kind": pa.array(kind_by_code[j], pa.string()),
                    "flow": pa.array(["X"] * n, pa.string()),
                    "freq": pa.array(["A"] * n, pa.string()),
                    "year": t,
                    "month": pa.array(np.zeros(n, dtype=np.int8)),
                    "period": pc.cast(t, pa.string()),
                    "classification": pa.array([classification] * n, pa.string()),
                    "product": k,
                    "level": pa.array(np.full(n, 6, dtype=np.int8)),
                    "value_usd": v,
                    "qty": batch.column("q"),
                    "qty_unit": pc.if_else(pc.is_null(batch.column("q")), pa.scalar(None, pa.string()),
                                           pa.scalar("t", pa.string())),
                    "net_weight_kg": pc.multiply(batch.column("q"), 1000.0),
                    "breakdown": pa.array([""] * n, pa.string()),
                    "source_file": pa.array([name] * n, pa.string()),
                    "source_line": pa.array(np.arange(line, line + n, dtype=np.int64)),
                }, schema=ARROW_SCHEMA)
                line += n
        except pa.ArrowInvalid as e:
            raise DataError(path, None, "BACI", f"{name} cannot be read as a BACI file ({str(e).splitlines()[0]}); "
                            "download the release again") from None


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
                for _name, table in _baci_batches(path, tmp):
                    writer = writer or pq.ParquetWriter(out, ARROW_SCHEMA, compression="zstd")
                    writer.write_table(table)
                    rows += table.num_rows
                    cov.update(tuple(r) for r in _coverage(table))
                if writer is None:
                    raise DataError(path, None, "not empty", "the BACI file holds no rows; download it again")
                writer.close()
                coverage = sorted([list(c) for c in cov], key=lambda r: [str(x) for x in r])
                for f in tmp.glob("BACI_*.csv"):
                    f.unlink()
            else:
                fmt, df = readers.read(path, reporter=reporter, flow=flow)
                df = mark_duplicates(df, path)
                classification = ", ".join(sorted(df["classification"].dropna().unique()))
                table = pa.Table.from_pandas(df, schema=ARROW_SCHEMA, preserve_index=False)
                pq.write_table(table, out, compression="zstd")
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
                coverage=coverage, left_out=left_out, names=names)
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
