"""Reading official figures into one tidy table with provenance.

Sources know file formats and nothing else: each file is read into a long table
(year, flow, partner, product, enterprise, measure, value, unit, currency, source_id, vintage), checked by
:mod:`tradelib.validate`, and returned as a :class:`Dataset`.

The project's format (``tradelib/data/``):

* ``figures.csv``: one published figure a row. ``value`` is the number as published, in ``unit`` (for
  example 45.47 in "trillion" and "CNY"); ``source_id`` names one or more rows of ``sources.csv``
  (separated by ``;``, corroborating sources); ``vintage`` is the date of the release the figure belongs to.
* ``sources.csv``: publisher, title, URL, publication date and access date of each source.
* ``indicators.csv``: context that is not a trade flow (exchange rates, world trade, domestic market).
* ``groups.csv`` and ``baskets.csv``: definitions (group memberships, HS code baskets) with as-of dates.
* ``conflicts.csv``: figures seen in other sources that disagree with the one kept, and how each was settled.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import paths, reporter
from .errors import DataError

FIGURE_COLUMNS = ["year", "flow", "partner", "product", "enterprise", "measure", "value", "unit",
                  "currency", "source_id", "vintage", "note", "quote"]
SOURCE_COLUMNS = ["source_id", "publisher", "title", "url", "published", "accessed", "kind", "seen_at"]
INDICATOR_COLUMNS = ["year", "indicator", "value", "unit", "currency", "source_id", "vintage", "note", "quote"]
GROUP_COLUMNS = ["group", "member", "name", "valid_from", "valid_to", "source_id", "note"]
BASKET_COLUMNS = ["basket", "hs_code", "hs_version", "description", "source_id", "note"]
CONFLICT_COLUMNS = ["year", "flow", "partner", "product", "enterprise", "measure", "currency", "value_kept",
                    "value_other", "unit", "source_kept", "source_other", "settled"]

KEY = ["year", "flow", "partner", "product", "enterprise", "measure", "currency"]

# Every field is plain text of reasonable length: no control characters (a tab, a line break, a NUL), no
# bidirectional overrides or isolates (they make a line display in another order than it reads), no line or
# paragraph separators. Markup characters (<, >, &, quotes) are allowed and escaped wherever text lands.
MAX_FIELD_CHARS = 2000


FIGURES_REPORTER = reporter.figures_reporter().iso3  # the reporter whose published figures figures.csv holds
FIGURES_CURRENCIES = reporter.figures_reporter().currencies  # the currencies of its releases, its own first
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def read_csv_rows(path: Path, required: list[str], optional: tuple[str, ...] = ("note", "quote"),
                  allow_empty: bool = False) -> pd.DataFrame:
    """Read a CSV of strings, keeping each row's line number; refuse what cannot be read."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, None, "file exists", "no such file; check the path")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(path, line, "encoding", "the file is not UTF-8 text; save it as UTF-8 CSV") from None
    if not text.strip():
        raise DataError(path, None, "not empty", "the file is empty; it needs a header row and data rows")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header and c not in optional]
    if missing:
        raise DataError(path, 1, "columns", f"missing column(s) {', '.join(missing)}; "
                        f"the header must have: {', '.join(required)}")
    reader.fieldnames = header
    fast = _read_fast(text, required)
    if fast is not None:
        if fast.empty and not allow_empty:
            raise DataError(path, None, "not empty", "the file has a header but no data rows")
        return fast
    rows = []
    for rec in reader:
        if None in rec:  # more fields than the header has
            raise DataError(path, reader.line_num, "columns",
                            f"the row has more fields than the header ({len(header)}); quote values holding commas")
        if all((v or "").strip() == "" for v in rec.values()):
            continue
        row = {c: (rec.get(c) or "").strip() for c in required}
        for c, v in row.items():
            check_text(v, c, path, reader.line_num)
        row["line"] = reader.line_num
        rows.append(row)
    if not rows and not allow_empty:
        raise DataError(path, None, "not empty", "the file has a header but no data rows")
    return pd.DataFrame(rows, columns=required + ["line"])


_FORBIDDEN_IN_TEXT = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                                "\u202a-\u202e\u2066-\u2069]")  # the same, line breaks aside


def _read_fast(text: str, required: list[str]) -> pd.DataFrame | None:
    """The rows of a well-formed file, parsed at once by pandas; None when anything is unusual (a forbidden
    character, a line break inside a field, a ragged row, an odd header), so that the row-by-row reader
    reports it with its line number."""
    if _FORBIDDEN_IN_TEXT.search(text) or "\r" in text.replace("\r\n", "\n"):
        return None
    first = text.split("\n", 1)[0].rstrip("\r")
    header = next(csv.reader([first]), [])
    stripped = [h.strip() for h in header]
    if len(set(stripped)) != len(stripped) or "" in stripped:
        return None
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                         skip_blank_lines=False, header=0, names=stripped, engine="c")
    except (pd.errors.ParserError, ValueError):
        return None
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(df) + 1 != physical:  # a quoted line break, or a row of more fields than the header
        return None
    df = df.fillna("")
    lines = pd.Series(range(2, len(df) + 2), index=df.index)
    if not df.index.equals(pd.RangeIndex(len(df))):  # rows of one field more than the header, taken as index
        return None
    out = pd.DataFrame({c: df[c].str.strip() if c in df else "" for c in required}, index=df.index)
    if len(out) and max(out[c].str.len().max() for c in required) > MAX_FIELD_CHARS:
        return None
    others = [c for c in df.columns if c not in required]
    blank = (out[required] == "").all(axis=1)
    if others:
        blank &= (df[others].apply(lambda c: c.str.strip()) == "").all(axis=1)
    out["line"] = lines
    return out[~blank].reset_index(drop=True)


def check_text(value: str, column: str, path: Path, line: int) -> None:
    """Refuse a field holding a control or bidirectional-formatting character, or an overlong one."""
    m = _FORBIDDEN.search(value)
    if m:
        raise DataError(path, line, "plain text", f"{column} holds the invisible character U+{ord(m.group()):04X} "
                        f"at position {m.start() + 1}; remove it (line breaks, tabs, control and bidirectional "
                        "formatting characters are not allowed)")
    if len(value) > MAX_FIELD_CHARS:
        raise DataError(path, line, "plain text", f"{column} is {len(value)} characters long; at most "
                        f"{MAX_FIELD_CHARS} are allowed, shorten it")


@dataclass
class Dataset:
    """The validated official figures and their context, with provenance."""

    figures: pd.DataFrame
    sources: pd.DataFrame
    indicators: pd.DataFrame
    groups: pd.DataFrame
    baskets: pd.DataFrame
    conflicts: pd.DataFrame
    all_vintages: pd.DataFrame
    files: dict[str, Path]
    flags: list = field(default_factory=list)  # validate.RevisedBase notes
    vintage: str | None = None
    checked: str = "validated on load"  # or: validated by the render that started this kernel (checksums match)

    @property
    def years(self) -> list[int]:
        """Years with a complete headline (total, exports and imports in yuan)."""
        f = self.figures
        head = f[(f.partner == "WLD") & (f["product"] == "ALL") & (f.enterprise == "ALL")
                 & (f.measure == "value") & (f.currency == FIGURES_CURRENCIES[0])]
        flows = head.groupby("year")["flow"].agg(set)
        return sorted(int(y) for y, f in flows.items() if {"total", "exports", "imports"} <= f)

    @property
    def release_date(self) -> str:
        """Publication date of the newest vintage in the data."""
        return str(self.figures["vintage"].max())

    def source(self, source_id: str) -> dict:
        s = self.sources.loc[self.sources.source_id == source_id]
        if s.empty:
            raise KeyError(source_id)
        return s.iloc[0].to_dict()


COMPANIONS = ("sources.csv", "indicators.csv", "groups.csv", "baskets.csv", "conflicts.csv")


def _resolve(data: str | Path | None) -> tuple[Path, Path | None]:
    """Return (figures file, folder whose companion files are used, or None for the bundled ones).

    Companion files are used only when the user names their folder: ``data`` naming a figures file takes
    everything else from the bundled dataset, even if files of the same names lie beside it.
    """
    if data is None:
        return paths.FIGURES_CSV, paths.DATA_DIR
    p = Path(data)
    if p.is_dir():
        return p / "figures.csv", p
    return p, None


# Validation runs once per render: the render validates the data, pickles the Dataset into a private folder
# and names it in this variable for the notebook's kernel, whose load() takes it when the files' checksums
# (and the day, which the date rules depend on) are still those the render validated.
VALIDATED_ENV = "TRADELIB_VALIDATED"


def checksum(files: dict[str, Path], vintage: str | None) -> str:
    import datetime as dt
    import hashlib

    from . import __version__

    h = hashlib.sha256(f"{__version__}|{vintage}|{dt.date.today()}".encode())
    for name, f in sorted(files.items()):
        h.update(f"|{name}|{Path(f).resolve()}|".encode())
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def write_handed_over(folder: Path, name: str, key: str, digest: str, value) -> Path:
    """Pickle ``value`` under ``key`` with the checksum ``digest`` of the files it was read from into
    ``folder`` (private to this user) for the kernel of a render; return the file."""
    import pickle

    path = Path(folder) / name
    with open(path, "wb") as fh:
        pickle.dump({"checksum": digest, key: value}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def read_handed_over(key: str, digest):
    """The value a render handed over under ``key`` (the file named by :data:`VALIDATED_ENV`), or None when
    there is none, it is of another kind, or ``digest()`` (the files' checksum now) differs from its own."""
    import os
    import pickle

    handed = os.environ.get(VALIDATED_ENV)
    if not handed or not Path(handed).is_file():
        return None
    try:
        with open(handed, "rb") as fh:
            got = pickle.load(fh)
        if not isinstance(got, dict) or key not in got or got["checksum"] != digest():
            return None
    except (OSError, pickle.UnpicklingError, KeyError, EOFError, AttributeError):
        return None
    return got[key]


def hand_over(ds: "Dataset", folder: Path) -> Path:
    """Pickle a validated dataset into ``folder`` (private to this user) for the kernel; return the file."""
    return write_handed_over(folder, "validated.pickle", "dataset", checksum(ds.files, ds.vintage), ds)


def _validated(files: dict[str, Path], vintage: str | None) -> "Dataset | None":
    ds = read_handed_over("dataset", lambda: checksum(files, vintage))
    if ds is not None:
        ds.checked = "validated by the render that started this kernel (checksums match)"
    return ds


def describe_files(files: dict[str, Path]) -> str:
    """Which files a dataset was read from, in words for the briefing's notes."""
    bundled = [n for n, f in files.items() if f.parent == paths.DATA_DIR]
    given = [n for n in files if n not in bundled]
    if not given:
        return "all files as bundled with tradelib"
    folders = {files[n].parent for n in given}
    where = "the folder given" if len(folders) == 1 and given != ["figures"] else "the path given"
    text = ", ".join(f"{n}.csv" for n in given) + f" from {where}"
    return text + ("; " + ", ".join(f"{n}.csv" for n in bundled) + " as bundled" if bundled else "")


def data_files(data: str | Path | None = None) -> dict[str, Path]:
    """The files a load of ``data`` reads: the figures file, and each companion from the folder given as
    ``data`` where it holds one, else the bundled one."""
    figures_path, folder = _resolve(data)

    def companion(name: str) -> Path:
        own = folder / name if folder is not None else None
        return own if own is not None and own.exists() else paths.DATA_DIR / name

    return {"figures": figures_path, **{n: companion(f"{n}.csv") for n in
                                        ("sources", "indicators", "groups", "baskets", "conflicts", "domains")}}


def load(data: str | Path | None = None, vintage: str | None = None) -> Dataset:
    """Load and validate the official figures.

    ``data`` is the bundled dataset by default, a user's figures CSV in the project's format (everything
    else then comes from the bundled dataset), or a folder holding a figures.csv and any of the companion
    files (those missing from it are taken from the bundled dataset).
    ``vintage`` (an ISO date) selects the figures as they stood in the release of that date; by default
    each figure's latest vintage is returned.
    """
    from . import validate

    files = data_files(data)
    figures_path, folder = _resolve(data)
    known = _validated(files, vintage)
    if known is not None:
        return known
    sources = read_csv_rows(files["sources"], SOURCE_COLUMNS, optional=("seen_at",))
    figures = read_csv_rows(files["figures"], FIGURE_COLUMNS)
    indicators = read_csv_rows(files["indicators"], INDICATOR_COLUMNS)
    groups = read_csv_rows(files["groups"], GROUP_COLUMNS)
    baskets = read_csv_rows(files["baskets"], BASKET_COLUMNS)
    conflicts = read_csv_rows(files["conflicts"], CONFLICT_COLUMNS, optional=(), allow_empty=True)

    sources = validate.check_sources(sources, files["sources"])
    validate.check_source_kinds(sources, files["sources"], files["domains"])
    try:
        figures = validate.check_figures(figures, files["figures"], sources)
    except DataError as e:
        beside = figures_path.parent / "sources.csv"
        if e.rule == "source" and folder is None and beside.exists() and beside != files["sources"]:
            raise DataError(e.path, e.line, e.rule, e.message + f"; to use the sources.csv beside the file, give "
                            f"its folder as the data (DATA={figures_path.parent})") from None
        raise
    indicators = validate.check_indicators(indicators, files["indicators"], sources)
    validate.check_groups(groups, files["groups"], sources)
    validate.check_baskets(baskets, files["baskets"], sources)

    if vintage is not None:
        known = sorted(figures["vintage"].unique())
        if vintage not in known:
            raise DataError(files["figures"], None, "vintage",
                            f"no release dated {vintage}; known vintages: {', '.join(known)}")
        figures = figures[figures["vintage"] <= vintage]
        indicators = indicators[indicators["vintage"] <= vintage]
    latest = validate.latest_vintage(figures)
    indicators = validate.latest_vintage(indicators, key=["year", "indicator", "currency"])

    flags = validate.check_consistency(latest, files["figures"], indicators, validate.dynamic_groups(groups))
    return Dataset(figures=latest.reset_index(drop=True), sources=sources, indicators=indicators,
                   groups=groups, baskets=baskets, conflicts=conflicts, all_vintages=figures,
                   files=files, flags=flags, vintage=vintage)
