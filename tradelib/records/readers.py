"""Readers for the trade-record files analysts download, each into the tidy schema of :mod:`.schema`.

Formats are recognised from the header, never from the file name:

* **UN Comtrade Plus** (website CSV, bulk files and API answers): 47 columns (``typeCode, freqCode, refPeriodId,
  refYear, refMonth, period, reporterCode, reporterISO, ..., primaryValue, legacyEstimationFlag, isReported,
  isAggregate``). Website files are Latin-1 with a trailing comma on each row. Totals may be tagged HS or SITC.
* **Legacy UN Comtrade download** (35 columns, ``Trade Value (US$)``): the flow may be written "Export",
  "Exports" or as a code (X, M, RX, RM, DX, FM, XOP); periods ``2019`` or ``201906``; ISO columns may be empty.
* **Legacy UN Comtrade API** (``rtCode, ptCode, rgCode, cmdCode, TradeValue ...``), as saved by scripts of the
  legacy API (often with a leading unnamed index column).
* **CEPII BACI** (``t,i,j,k,v,q``: year, exporter, importer, HS6 product, value in thousand US dollars,
  quantity in tonnes), a plain CSV or the release zip (its country code list is used when present).
* **A tidy extract**: a CSV with a period (``period``/``period_dt``/``year``+``month``), a partner
  (``partner``/``partner_iso``/``partner_name``), a product (``product``/``hs6``/``hs4``/``hs2``/``cmd``) and a
  value in US dollars (``value_usd``/``value``/``val``); ``reporter`` and ``flow`` columns are optional and,
  when absent, must be stated by the caller (the file alone does not say whose trade it is).

Every reader returns a DataFrame in the schema, with the file and line each row came from.
"""
from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from . import areas, schema

PLUS_REQUIRED = ["refYear", "refMonth", "freqCode", "reporterCode", "partnerCode", "flowCode", "cmdCode",
                 "primaryValue", "classificationCode"]
LEGACY_REQUIRED = ["Year", "Period", "Trade Flow", "Reporter Code", "Partner Code", "Commodity Code",
                   "Trade Value (US$)"]
LEGACY_API_REQUIRED = ["yr", "period", "rgCode", "rtCode", "ptCode", "cmdCode", "TradeValue"]
BACI_REQUIRED = ["t", "i", "j", "k", "v", "q"]
EXTRACT_ALTERNATIVES = {
    "period": ["period", "period_dt", "year"],
    "partner": ["partner", "partner_iso", "partner_iso3", "partner_name", "partner_code"],
    "product": ["product", "hs6", "hs4", "hs2", "cmd", "cmd_code", "hs_code"],
    "value": ["value_usd", "value", "val", "trade_value"],
}

FORMATS = {
    "comtrade_plus": "UN Comtrade Plus",
    "comtrade_legacy": "UN Comtrade (legacy download)",
    "comtrade_legacy_api": "UN Comtrade (legacy API)",
    "baci": "CEPII BACI",
    "extract": "tidy extract",
}

# Legacy flow labels and codes -> Comtrade Plus flow codes
_FLOW_WORDS = {"import": "M", "export": "X", "re-export": "RX", "re-import": "RM", "reexport": "RX",
               "reimport": "RM", "domestic export": "DX", "foreign merchandise": "FM"}
_FLOW_NUMBERS = {"1": "M", "2": "X", "3": "RM", "4": "RX"}  # legacy rgCode: 3 re-import, 4 re-export


def _flow_code(text: str) -> str | None:
    t = str(text).strip()
    if not t:
        return None
    if t.upper() in schema.FLOW_NAMES:
        return t.upper()
    if t in _FLOW_NUMBERS:
        return _FLOW_NUMBERS[t]
    w = t.lower().replace("_", " ")
    w = w[:-1] if w.endswith("s") else w
    return _FLOW_WORDS.get(w)


# ------------------------------------------------------------------------------------------- detection

def _decode(raw: bytes) -> str:
    """Comtrade's website files are Latin-1; everything else UTF-8 (with or without a byte-order mark)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _header(text: str) -> list[str]:
    first = text.split("\n", 1)[0].rstrip("\r")
    return [h.strip().strip('"') for h in next(iter(pd.read_csv(io.StringIO(first), header=None,
                                                               dtype=str).itertuples(index=False)))
            if isinstance(h, str)] if first.strip() else []


def detect(header: list[str]) -> tuple[str | None, str]:
    """(format, what is missing for the closest format) for a file's header."""
    cols = set(header)
    if set(PLUS_REQUIRED) <= cols:
        return "comtrade_plus", ""
    if set(LEGACY_REQUIRED) <= cols:
        return "comtrade_legacy", ""
    if set(LEGACY_API_REQUIRED) <= cols:
        return "comtrade_legacy_api", ""
    if [h.lower() for h in header] == BACI_REQUIRED:
        return "baci", ""
    lower = {h.lower() for h in header}
    if all(any(a in lower for a in alts) for alts in EXTRACT_ALTERNATIVES.values()):
        return "extract", ""
    # the closest format names what is missing
    candidates = [("a UN Comtrade Plus file", PLUS_REQUIRED), ("a legacy UN Comtrade file", LEGACY_REQUIRED),
                  ("a legacy Comtrade API file", LEGACY_API_REQUIRED), ("a CEPII BACI file", BACI_REQUIRED)]
    best = max(candidates, key=lambda c: len(set(c[1]) & cols))
    if not set(best[1]) & cols:
        return None, ("the header matches no known format (UN Comtrade Plus, legacy UN Comtrade, CEPII BACI "
                      "t,i,j,k,v,q, or a tidy extract with period, partner, product and value columns)")
    missing = [c for c in best[1] if c not in cols]
    return None, f"it looks like {best[0]} but lacks the column(s) {', '.join(missing)}"


# ------------------------------------------------------------------------------------------- helpers

def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.astype("string").str.strip().replace("", pd.NA), errors="coerce").astype("float64")


def _int(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.astype("string").str.strip().replace("", pd.NA), errors="coerce").astype("Int64")


def _product(codes: pd.Series, levels: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Product code strings (leading zeros restored from the level) and their level (0 for TOTAL)."""
    c = codes.astype("string").str.strip()
    total = c.str.upper().isin(["TOTAL", "ALL", "AG0"])
    c = c.copy()
    if levels is not None:
        # codes written as numbers lose their leading zero ("1" for chapter 01): the level restores it
        lv = _int(levels)
        pad = (~total) & lv.notna() & (c.str.len() < lv)
    else:
        # HS codes have 2, 4 or 6 digits: an odd length means a lost leading zero
        lv = None
        pad = (~total) & c.str.isdigit().fillna(False) & (c.str.len() % 2 == 1)
    if pad.any():
        c[pad] = [code.zfill(int(n) if lv is not None else len(code) + 1)
                  for code, n in zip(c[pad], (lv[pad] if lv is not None else c[pad]))]
    c = c.where(~total, schema.TOTAL)
    level = pd.Series(np.where(total, 0, c.str.len()), index=c.index).astype("Int8")
    return c, level


def _breakdown(customs: pd.Series | None, mot: pd.Series | None, partner2: pd.Series | None,
               index: pd.Index) -> pd.Series:
    """What a row breaks its total down by; "" for the plain row (all procedures, modes, second partners)."""
    out = pd.Series("", index=index, dtype="string")
    if partner2 is not None:
        p2 = partner2.astype("string").str.strip()
        out = out.mask(~p2.isin(["", "0", "W00", "WLD"]) & p2.notna(), "second partner")
    if mot is not None:
        m = mot.astype("string").str.strip()
        out = out.mask(~m.isin(["", "0"]) & m.notna(), "mode of transport")
    if customs is not None:
        c = customs.astype("string").str.strip().str.upper()
        out = out.mask(~c.isin(["", "C00"]) & c.notna(), "customs procedure")
    return out


def _parties(df: pd.DataFrame, code_col: str | None, iso_col: str | None, name_col: str | None,
             prefix: str) -> pd.DataFrame:
    codes = df[code_col] if code_col and code_col in df else pd.Series(pd.NA, index=df.index)
    isos = df[iso_col] if iso_col and iso_col in df else None
    names = df[name_col] if name_col and name_col in df else None
    r = areas.resolve(codes, isos, names)
    return pd.DataFrame({prefix: r["iso3"].astype("string"), f"{prefix}_code": r["code"].astype("Int32"),
                         f"{prefix}_kind": r["kind"]}, index=df.index)


def _names(codes: pd.Series, names: pd.Series | None) -> dict[str, str]:
    if names is None:
        return {}
    pairs = pd.DataFrame({"c": codes.astype("string"), "n": names.astype("string").str.strip()}).dropna()
    pairs = pairs[pairs["n"] != ""].drop_duplicates("c")
    return dict(zip(pairs["c"], pairs["n"]))


def _finish(out: pd.DataFrame, path: Path, names: dict | None = None) -> pd.DataFrame:
    out["period"] = [schema.period_label(int(y), int(m)) if pd.notna(y) else pd.NA
                     for y, m in zip(out["year"], out["month"].fillna(0))]
    out["source_file"] = path.name
    out = schema.conform(out)
    out.attrs["names"] = names or {}
    return out


def _check_values(out: pd.DataFrame, path: Path) -> None:
    bad = out["value_usd"].isna()
    if bad.any():
        line = int(out.loc[bad, "source_line"].iloc[0])
        raise DataError(path, line, "value", f"{int(bad.sum())} row(s) have no trade value; "
                        "export the file again with values, or remove those rows")
    neg = out["value_usd"] < 0
    if neg.any():
        line = int(out.loc[neg, "source_line"].iloc[0])
        raise DataError(path, line, "value", f"{int(neg.sum())} row(s) have a negative trade value; "
                        "trade values are never negative, so the file is damaged: download it again")
    if out["year"].isna().any():
        line = int(out.loc[out["year"].isna(), "source_line"].iloc[0])
        raise DataError(path, line, "period", "a row has no year; the file is damaged: download it again")


def _read_table(text: str, path: Path, skip_index: bool = False) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            # Comtrade's website files end each row with a comma: one empty field more than the header
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+)", str(e))
        raise DataError(path, int(m.group(1)) if m else None, "columns",
                        "a row has more fields than the header; the file is damaged or not a CSV export: "
                        "download it again") from None
    df.columns = [c.strip() for c in df.columns]
    if skip_index and df.columns[0] in ("", "Unnamed: 0"):
        df = df.drop(columns=df.columns[0])
    df.index = pd.RangeIndex(2, len(df) + 2)  # file line numbers (header is line 1)
    return df


# ------------------------------------------------------------------------------------------- readers

def comtrade_plus_frame(df: pd.DataFrame, path: Path | str = "api") -> pd.DataFrame:
    """Comtrade Plus rows (a CSV read as strings, or the API's records) in the tidy schema."""
    path = Path(path)
    df = df.astype("string").fillna("") if len(df) else df
    if "source_line" not in df:
        df = df.copy()
        df["source_line"] = df.index
    rep = _parties(df, "reporterCode", "reporterISO", "reporterDesc", "reporter")
    par = _parties(df, "partnerCode", "partnerISO", "partnerDesc", "partner")
    product, level = _product(df["cmdCode"], df.get("aggrLevel"))
    value = _num(df["primaryValue"])
    for alt in ("fobvalue", "cifvalue"):
        if alt in df:
            value = value.fillna(_num(df[alt]))
    qty_code = df["qtyUnitCode"].astype("string").str.strip() if "qtyUnitCode" in df else None
    qty = _num(df["qty"]) if "qty" in df else pd.Series(np.nan, index=df.index)
    if qty_code is not None:
        qty = qty.where(~qty_code.isin(["-1", ""]))
    freq = df["freqCode"].astype("string").str.strip().str.upper()
    month = _int(df["refMonth"]).where(freq == "M", 0)
    flows = df["flowCode"].map(_flow_code)
    out = pd.DataFrame({
        "reporter": rep["reporter"], "reporter_code": rep["reporter_code"],
        "partner": par["partner"], "partner_code": par["partner_code"], "partner_kind": par["partner_kind"],
        "flow": flows, "freq": freq, "year": _int(df["refYear"]), "month": month,
        "classification": df["classificationCode"].astype("string").str.strip(),
        "product": product, "level": level, "value_usd": value, "qty": qty,
        "qty_unit": df["qtyUnitAbbr"].astype("string") if "qtyUnitAbbr" in df else pd.NA,
        "net_weight_kg": _num(df["netWgt"]) if "netWgt" in df else np.nan,
        "breakdown": _breakdown(df.get("customsCode"), df.get("motCode"), df.get("partner2Code"), df.index),
        "source_line": _int(df["source_line"]),
    }, index=df.index)
    out.loc[out["qty"].isna(), "qty_unit"] = pd.NA
    names = {"area": {**_names(out["reporter"], df.get("reporterDesc")), **_names(out["partner"], df.get("partnerDesc"))},
             "product": _names(out["product"], df.get("cmdDesc"))}
    return _finish(out, path, names)


def _comtrade_plus(text: str, path: Path) -> pd.DataFrame:
    df = _read_table(text, path)
    df["source_line"] = df.index.astype(str)
    return comtrade_plus_frame(df, path)


# the two legacy layouts hold the same fields under different names
LEGACY_COLUMNS = {
    "comtrade_legacy": dict(
        reporter=("Reporter Code", "Reporter ISO", "Reporter"), partner=("Partner Code", "Partner ISO", "Partner"),
        flow=("Trade Flow", "Trade Flow Code"), year="Year", period="Period", classification="Classification",
        product=("Commodity Code", "Aggregate Level", "Commodity"), value="Trade Value (US$)",
        qty=("Qty", "Qty Unit"), weight="Netweight (kg)",
        breakdown=("Customs Proc. Code", "Mode of Transport Code", "2nd Partner Code")),
    "comtrade_legacy_api": dict(
        reporter=("rtCode", "rt3ISO", "rtTitle"), partner=("ptCode", "pt3ISO", "ptTitle"),
        flow=("rgCode", "rgDesc"), year="yr", period="period", classification="pfCode",
        product=("cmdCode", "aggrLevel", "cmdDescE"), value="TradeValue",
        qty=("TradeQuantity", "qtDesc"), weight="NetWeight", breakdown=("cstCode", "motCode", "ptCode2")),
}


def _comtrade_legacy(text: str, path: Path, fmt: str) -> pd.DataFrame:
    c = LEGACY_COLUMNS[fmt]
    df = _read_table(text, path, skip_index=fmt == "comtrade_legacy_api")
    rep = _parties(df, *c["reporter"], "reporter")
    par = _parties(df, *c["partner"], "partner")
    flows = df[c["flow"][0]].map(_flow_code)
    if c["flow"][1] in df:
        flows = flows.fillna(df[c["flow"][1]].map(_flow_code))
    period = df[c["period"]].astype("string").str.strip()
    monthly = period.str.len() == 6
    product, level = _product(df[c["product"][0]], df.get(c["product"][1]))
    qcol, ucol = c["qty"]
    qty = _num(df[qcol]) if qcol in df else pd.Series(np.nan, index=df.index)
    unit = df[ucol].astype("string") if ucol in df else pd.Series(pd.NA, index=df.index, dtype="string")
    no_qty = unit.str.lower().isin(["no quantity", "n/a", ""])
    out = pd.DataFrame({
        "reporter": rep["reporter"], "reporter_code": rep["reporter_code"],
        "partner": par["partner"], "partner_code": par["partner_code"], "partner_kind": par["partner_kind"],
        "flow": flows, "freq": np.where(monthly, "M", "A"),
        "year": _int(df[c["year"]]), "month": _int(period.str[4:6].where(monthly, "0")),
        "classification": df[c["classification"]].astype("string") if c["classification"] in df else "HS",
        "product": product, "level": level, "value_usd": _num(df[c["value"]]),
        "qty": qty.where(~no_qty), "qty_unit": unit.where(~no_qty),
        "net_weight_kg": _num(df[c["weight"]]) if c["weight"] in df else np.nan,
        "breakdown": _breakdown(*(df.get(b) for b in c["breakdown"]), df.index),
        "source_line": df.index,
    }, index=df.index)
    names = {"area": {**_names(out["reporter"], df.get(c["reporter"][2])),
                      **_names(out["partner"], df.get(c["partner"][2]))},
             "product": _names(out["product"], df.get(c["product"][2]))}
    return _finish(out, path, names)


def _extract(text: str, path: Path, reporter: str | None, flow: str | None) -> pd.DataFrame:
    df = _read_table(text, path)
    lower = {c.lower(): c for c in df.columns}

    def pick(role):
        for a in EXTRACT_ALTERNATIVES[role]:
            if a in lower:
                return lower[a]
        return None

    pcol, ccol, vcol, prod = pick("period"), pick("partner"), pick("value"), pick("product")
    # reporter and flow: the file's own columns, else the caller's statement
    if "reporter" in lower:
        rep = _parties(df, None, lower["reporter"], None, "reporter")
    elif reporter:
        code = areas.code_of_iso3(reporter)
        rep = pd.DataFrame({"reporter": reporter.upper(), "reporter_code": code, "reporter_kind": "country"},
                           index=df.index)
    else:
        raise DataError(path, 1, "reporter", "the file has no reporter column; say whose trade it is "
                        "(--reporter ISO3 on the command line, reporter= in Python)")
    if "flow" in lower:
        flows = df[lower["flow"]].map(_flow_code)
    elif flow:
        flows = pd.Series(flow.upper(), index=df.index)
    else:
        raise DataError(path, 1, "flow", "the file has no flow column; say which flow it holds "
                        "(--flow X for exports or --flow M for imports; flow= in Python)")
    partner_text = df[ccol].astype("string").str.strip()
    if ccol.lower() in ("partner_iso", "partner_iso3") or partner_text.str.fullmatch(r"[A-Z]{3}").all():
        par = _parties(df, None, ccol, None, "partner")
    elif ccol.lower() == "partner_code":
        par = _parties(df, ccol, None, None, "partner")
    else:
        par = _parties(df, None, None, ccol, "partner")
        unknown = par["partner_code"].isna()
        if unknown.any():
            names = sorted(partner_text[unknown].unique())
            raise DataError(path, int(df.index[unknown][0]), "partner",
                            f"partner name(s) not recognised: {', '.join(names[:5])}; use ISO3 codes in a "
                            "partner_iso column, or add the names as aliases in tradelib/data/areas.csv")
    per = df[pcol].astype("string").str.strip()
    if pcol.lower() == "year" and "month" in lower:
        year, month = _int(per), _int(df[lower["month"]])
    else:
        year = _int(per.str[:4])
        month = _int(per.str[5:7].where(per.str.len() >= 7, "0")) if pcol.lower() != "year" else 0
    product, level = _product(df[prod])
    unit = None
    qcol = lower.get("qty") or lower.get("quantity")
    out = pd.DataFrame({
        "reporter": rep["reporter"], "reporter_code": rep["reporter_code"],
        "partner": par["partner"], "partner_code": par["partner_code"], "partner_kind": par["partner_kind"],
        "flow": flows, "year": year, "month": month,
        "classification": "HS", "product": product, "level": level, "value_usd": _num(df[vcol]),
        "qty": _num(df[qcol]) if qcol else np.nan,
        "qty_unit": df[lower["qty_unit"]] if "qty_unit" in lower else ("kg" if qcol else unit),
        "breakdown": "", "source_line": df.index,
    }, index=df.index)
    out["freq"] = np.where(out["month"].fillna(0) > 0, "M", "A")
    names = {"area": _names(out["partner"], df[ccol] if ccol.lower() == "partner_name" else None),
             "product": _names(out["product"], df[lower["description"]] if "description" in lower else None)}
    return _finish(out, path, names)


# ------------------------------------------------------------------------------------------- entry points

def read(path: str | Path, reporter: str | None = None, flow: str | None = None) -> tuple[str, pd.DataFrame]:
    """Read one records file: (format, rows in the tidy schema). BACI files go through :func:`read_baci`."""
    path = Path(path)
    if not path.is_file():
        raise DataError(path, None, "file", "no such file; check the path")
    if zipfile.is_zipfile(path) or _sniff(path) == "baci":
        raise ValueError("BACI files are converted by read_baci (DuckDB), not loaded into memory")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, None, "not empty", "the file is empty; download it again")
    if b"\x00" in raw[:4096]:
        raise DataError(path, None, "encoding", "the file is binary, not a CSV export (UTF-16 or a spreadsheet?); "
                        "export it again as CSV")
    text = _decode(raw)
    fmt, missing = detect(_header(text))
    if fmt is None:
        raise DataError(path, 1, "format", f"no reader understands this file: {missing}")
    if fmt == "comtrade_plus":
        out = _comtrade_plus(text, path)
    elif fmt in LEGACY_COLUMNS:
        out = _comtrade_legacy(text, path, fmt)
    else:
        out = _extract(text, path, reporter, flow)
    if out.empty:
        raise DataError(path, None, "not empty", "the file has a header but no data rows")
    unknown_flow = out["flow"].isna()
    if unknown_flow.any():
        raise DataError(path, int(out.loc[unknown_flow, "source_line"].iloc[0]), "flow",
                        "a trade flow is neither a code (X, M, RX, RM ...) nor a word (Export, Import ...)")
    _check_values(out, path)
    return fmt, out


def _sniff(path: Path) -> str | None:
    """'baci' when the first line of a plain file is BACI's header."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(256).decode("utf-8", "replace").strip().strip("\ufeff").replace('"', "").lower()
    except OSError:
        return None
    return "baci" if [h.strip() for h in first.split(",")] == BACI_REQUIRED else None


def is_baci(path: str | Path) -> bool:
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return any(re.match(r"(.*/)?BACI_.*\.csv$", n) for n in z.namelist())
    return _sniff(path) == "baci"


def baci_members(path: Path) -> tuple[list[str], str | None, str]:
    """(data members, country codes member or None, classification label) of a BACI zip or CSV."""
    if not zipfile.is_zipfile(path):
        m = re.search(r"BACI_(HS\d\d)", path.name)
        return [], None, f"BACI {m.group(1)}" if m else "BACI"
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    data = sorted(n for n in names if re.match(r"(.*/)?BACI_.*\.csv$", n))
    codes = next((n for n in names if re.match(r"(.*/)?country_codes.*\.csv$", n)), None)
    m = re.search(r"BACI_(HS\d\d)", data[0] if data else path.name)
    return data, codes, f"BACI {m.group(1)}" if m else "BACI"
