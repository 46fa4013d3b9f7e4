"""Live UN Comtrade data through the official client (``comtradeapicall``), cached on disk.

:func:`fetch` asks UN Comtrade for one reporter and one period and returns the path of a CSV file in the
Comtrade Plus 47-column layout (the columns the API returns and the website downloads), which the ordinary
file readers read like any downloaded file.

- With a subscription key (argument ``key`` or the environment variable ``COMTRADE_API_KEY``) the full API
  is used (``getFinalData``, up to 250,000 records a call); without one the public preview
  (``previewFinalData``, at most 500 records a call: enough for the totals of one reporter by partner).
- Every answer is cached in a folder (``cache_dir``; else ``$TRADELIB_CACHE/comtrade``; else
  ``~/.cache/tradelib/comtrade``) as ``<hash>.csv`` (UTF-8) beside ``<hash>.json``, a sidecar saying what was
  asked, of which endpoint, when (UTC), how many records came back and whether the preview's limit was
  reached. ``<hash>`` is a hash of the request, so a repeat call is answered from the cache without calling
  UN Comtrade; ``refresh=True`` asks again. The key itself is never written anywhere.
- A failed or empty answer raises :class:`LiveDataError` (one line: what was asked, what went wrong, what to
  do) and writes nothing; both files are written to temporary names and renamed into place, the sidecar last,
  so a cache entry is either whole or absent.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import tempfile
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from tradelib.errors import TradelibError
from tradelib.records import areas
from tradelib.records.schema import FLOW_NAMES

KEY_ENV = "COMTRADE_API_KEY"
CACHE_ENV = "TRADELIB_CACHE"
PREVIEW_CAP = 500  # records per call of the public preview API
FULL_CAP = 250_000  # records per call of the full API (maxRecords)
KEY_URL = "https://comtradedeveloper.un.org"

# The Comtrade Plus record layout: the fields of each API record, and the header of website/bulk downloads.
COMTRADE_PLUS_COLUMNS = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO",
    "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code",
    "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc",
    "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue",
    "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
)
# Without these an answer is not trade records.
_ESSENTIAL = ("reporterCode", "flowCode", "partnerCode", "cmdCode", "period", "primaryValue")


class LiveDataError(TradelibError, RuntimeError):
    """UN Comtrade gave no usable answer, or the request cannot be made; the message says what to do."""


class TruncatedWarning(UserWarning):
    """An answer has as many records as one call may return, so some may be missing."""


# ---------------------------------------------------------------------------------------------------------
# Codes

def area_code(area: str | int, what: str = "reporter") -> int:
    """UN Comtrade's numeric code for ``area``: an ISO3 code ("CHN" 156, "USA" 842, "IND" 699, "WLD" 0,
    "S19" 490), a name (:mod:`tradelib.records.areas`), or the numeric code itself (156 or "156")."""
    text = str(area).strip()
    if re.fullmatch(r"\d{1,3}", text):
        return int(text)
    code = areas.code_of_iso3(text)
    if code is None:
        code = areas.code_of_name(text)
    if code is None:
        raise LiveDataError(f"unknown {what} {text!r}: give an ISO3 code, a country name or "
                            "UN Comtrade's numeric code")
    return code


# ---------------------------------------------------------------------------------------------------------
# The request

def _period(period: str | int, freq: str | None) -> tuple[str, str]:
    """("2022", "A") or ("202206", "M") from 2022, "2022", "2022-06" or "202206"."""
    text = str(period).strip()
    m = re.fullmatch(r"(\d{4})(?:-?(\d{2}))?", text)
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise LiveDataError(f"period {text!r} is not a year or a month: write it as 2022 or 2022-06")
    year, month = m.groups()
    freq = (freq or ("M" if month else "A")).upper()
    if freq not in ("A", "M"):
        raise LiveDataError(f"frequency {freq!r} is not A (annual) or M (monthly)")
    if freq == "A" and month:
        raise LiveDataError(f"period {text!r} is a month but the frequency is annual: "
                            "give a year, or freq='M'")
    if freq == "M" and not month:
        raise LiveDataError(f"period {text!r} is a year but the frequency is monthly: "
                            "give a month as YYYY-MM, or freq='A'")
    return (year + (month or "")), freq


def _flow(flow: str | None) -> str | None:
    if flow is None or str(flow).strip() == "":
        return None
    codes = [f.strip().upper() for f in str(flow).split(",")]
    bad = [f for f in codes if f not in FLOW_NAMES]
    if bad:
        raise LiveDataError(f"unknown flow {', '.join(bad)}: use X (exports), M (imports) or one of "
                            f"{', '.join(FLOW_NAMES)}; leave it out for all flows")
    return ",".join(codes)


def _code_list(value: str, what: str, pattern: str, example: str) -> str:
    text = str(value).strip().upper()
    if not re.fullmatch(pattern, text):
        raise LiveDataError(f"{what} {value!r} is not a UN Comtrade code: use e.g. {example}")
    return text


def _query(reporter, period, flow, partner, cmd, freq, classification, endpoint: str) -> dict:
    api_period, freq_code = _period(period, freq)
    return {
        "endpoint": endpoint,
        "typeCode": "C",
        "freqCode": freq_code,
        "clCode": _code_list(classification, "classification", r"[A-Z][A-Z0-9]", "HS, H6 or S4"),
        "period": api_period,
        "reporterCode": str(area_code(reporter, "reporter")),
        "cmdCode": _code_list(cmd, "product", r"[A-Z0-9]+(,[A-Z0-9]+)*", "TOTAL, AG2, 27 or 8542"),
        "flowCode": _flow(flow),
        "partnerCode": None if partner is None else str(area_code(partner, "partner")),
        "partner2Code": None,
        "customsCode": None,
        "motCode": None,
        "maxRecords": PREVIEW_CAP if endpoint == "preview" else FULL_CAP,
        "format_output": "JSON",
        "breakdownMode": "classic",  # totals over customs procedure, mode of transport and second partner
        "includeDesc": True,
    }


def _describe(asked: dict, query: dict) -> str:
    flows = query["flowCode"]
    what = ", ".join(FLOW_NAMES.get(f, f) for f in flows.split(",")) if flows else "all flows"
    reporter = f"{asked['reporter']}" + ("" if str(asked["reporter"]) == query["reporterCode"]
                                         else f" ({query['reporterCode']})")
    partner = "all partners" if asked["partner"] is None else f"partner {asked['partner']}"
    return (f"{what} of {reporter} with {partner}, {asked['period']}, "
            f"{query['clCode']} {query['cmdCode']} ({query['endpoint']} API)")


def _request_hash(query: dict) -> str:
    text = json.dumps(query, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def default_cache_dir() -> Path:
    """``$TRADELIB_CACHE/comtrade`` if that variable is set, else ``~/.cache/tradelib/comtrade``."""
    root = os.environ.get(CACHE_ENV, "").strip()
    return (Path(root).expanduser() if root else Path.home() / ".cache" / "tradelib") / "comtrade"


# ---------------------------------------------------------------------------------------------------------
# Calling the client

def _one_line(text: str, secret: str | None, limit: int = 240) -> str:
    if secret:
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _advice(endpoint: str, said: str) -> str:
    low = said.lower()
    if "401" in low or "subscription key" in low or "access denied" in low:
        return f"check the subscription key in {KEY_ENV}"
    if "429" in low or "rate limit" in low or "quota" in low:
        return "UN Comtrade is limiting calls: wait a minute and try again"
    if "request error" in low or "connection" in low or "timed out" in low or "resolve" in low:
        return "check the network connection (comtradeapi.un.org must be reachable)"
    key = f", the key in {KEY_ENV}" if endpoint == "full" else ""
    return f"check the reporter, period and product codes{key} and the network, then try again"


def _call(query: dict, key: str | None) -> tuple[pd.DataFrame | None, str]:
    try:
        import comtradeapicall
    except ImportError as exc:
        raise LiveDataError("the UN Comtrade client is not installed: pip install comtradeapicall "
                            "(it is one of tradelib's dependencies)") from exc
    args = {k: v for k, v in query.items() if k != "endpoint"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # the client prints HTTP errors instead of raising them
        try:
            if query["endpoint"] == "full":
                answer = comtradeapicall.getFinalData(key, **args)
            else:
                answer = comtradeapicall.previewFinalData(**args)
        except Exception as exc:  # noqa: BLE001 — any failure inside the client becomes one line
            print(f"{type(exc).__name__}: {exc}")
            answer = None
    return answer, printed.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Writing the cache

def _cell_bool(v):
    return ("true" if v else "false") if isinstance(v, (bool, np.bool_)) else v


def _cell_number(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return int(v)  # 3593601435602.0 is written 3593601435602, as UN Comtrade writes it
    return v


def _comtrade_plus_frame(answer: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=answer.index)
    for col in COMTRADE_PLUS_COLUMNS:
        if col not in answer.columns:
            out[col] = None
            continue
        # cell by cell into an object column: Series.map would infer float64 again and write 0 as "0.0"
        out[col] = pd.Series([_cell_number(_cell_bool(v)) for v in answer[col]], index=answer.index, dtype=object)
    return out.reset_index(drop=True)


def _write_atomic(folder: Path, files: dict[str, bytes]) -> None:
    """Write each file under a temporary name, then rename them into place in the given order.

    The last file is the entry's seal (the sidecar): an earlier one is removed first, so at every moment the
    entry is either whole or lacks its sidecar (and counts as absent)."""
    temps: dict[str, str] = {}
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            temps[name] = tmp
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        (folder / list(files)[-1]).unlink(missing_ok=True)
        for name, tmp in temps.items():
            os.replace(tmp, folder / name)
    finally:
        for tmp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def sidecar(path: Path | str) -> dict:
    """The sidecar of a cached answer (what was asked, when, how many records)."""
    return json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))


def _cached(csv_path: Path) -> dict | None:
    side = csv_path.with_suffix(".json")
    if not (csv_path.exists() and side.exists()):
        return None
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # unreadable sidecar: ask again and overwrite
    return meta


def _warn_if_capped(meta: dict, description: str) -> None:
    if not meta.get("capped"):
        return
    if meta["endpoint"] == "preview":
        todo = (f"set {KEY_ENV} to a UN Comtrade subscription key ({KEY_URL}) for the full data, "
                "or ask for less (one flow, one partner)")
    else:
        todo = "ask for less (one flow, one partner, fewer products) in several calls"
    warnings.warn(f"UN Comtrade returned {meta['records']:,} records, the most one call gives, for "
                  f"{description}: the answer may be truncated; {todo}", TruncatedWarning, stacklevel=3)


# ---------------------------------------------------------------------------------------------------------

def fetch(reporter: str | int, period: str | int, flow: str | None = None, partner: str | int | None = None,
          cmd: str = "TOTAL", freq: str | None = None, classification: str = "HS",
          cache_dir: Path | str | None = None, key: str | None = None, refresh: bool = False) -> Path:
    """Fetch UN Comtrade records (or take them from the cache) and return the cached CSV's path.

    reporter        ISO3 code ("CHN"), a name listed in areas.csv, or UN Comtrade's numeric code (156)
    period          a year (2022) or a month ("2022-06")
    flow            "X" exports, "M" imports, another UN Comtrade flow code, or None for all flows
    partner         as ``reporter``; "WLD" is the world total; None for every partner (and the world)
    cmd             product: "TOTAL", "AG2" (every HS chapter), "27", "8542", or a comma-separated list
    freq            "A" or "M"; by default read from ``period``
    classification  "HS" (as reported), "H0".."H6", "S1".."S4"
    cache_dir       folder of the cache; default ``$TRADELIB_CACHE/comtrade`` or ``~/.cache/tradelib/comtrade``
    key             UN Comtrade subscription key; default the environment variable ``COMTRADE_API_KEY``.
                    With a key the full API answers, without one the preview (500 records a call).
    refresh         ask UN Comtrade again even if the answer is cached
    """
    key = (key if key is not None else os.environ.get(KEY_ENV, "")).strip() or None
    endpoint = "full" if key else "preview"
    asked = {"reporter": reporter, "period": str(period), "flow": flow, "partner": partner, "cmd": cmd,
             "freq": freq, "classification": classification}
    query = _query(reporter, period, flow, partner, cmd, freq, classification, endpoint)
    description = _describe(asked, query)
    folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    name = _request_hash(query)
    csv_path = folder / f"{name}.csv"

    if not refresh:
        meta = _cached(csv_path)
        if meta is not None:
            _warn_if_capped(meta, description)
            return csv_path

    answer, printed = _call(query, key)
    if answer is None or not isinstance(answer, pd.DataFrame):
        said = _one_line(printed, key) or "no answer"
        raise LiveDataError(f"UN Comtrade did not answer for {description}: {said}; "
                            f"{_advice(endpoint, said)}")
    if answer.empty:
        raise LiveDataError(f"UN Comtrade has no records for {description}: check the codes, and that the "
                            "reporter has reported this period (annual data appear months after the year)")
    missing = [c for c in _ESSENTIAL if c not in answer.columns]
    if missing:
        raise LiveDataError(f"UN Comtrade's answer for {description} is not trade records (no "
                            f"{', '.join(missing)}): update comtradeapicall (pip install -U comtradeapicall)")

    cap = query["maxRecords"]
    meta = {
        "source": "UN Comtrade API via comtradeapicall",
        "endpoint": endpoint,
        "function": "getFinalData" if endpoint == "full" else "previewFinalData",
        "asked": asked,
        "query": {k: v for k, v in query.items() if k != "endpoint"},
        "retrieved_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "records": len(answer),
        "cap": cap,
        "capped": len(answer) >= cap,
        "csv": csv_path.name,
        "columns_dropped": sorted(c for c in answer.columns if c not in COMTRADE_PLUS_COLUMNS),
    }
    text = io.StringIO()
    _comtrade_plus_frame(answer).to_csv(text, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(folder, {csv_path.name: text.getvalue().encode("utf-8"),
                               f"{name}.json": (json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
                               .encode("utf-8")})
    except OSError as exc:
        raise LiveDataError(f"cannot write the cache folder {folder} ({exc.strerror or exc}): set "
                            f"{CACHE_ENV} to a writable folder, or pass cache_dir") from exc
    _warn_if_capped(meta, description)
    return csv_path
