"""Country and area codes of trade records: numeric provider codes, ISO alpha-3 codes and names.

UN Comtrade and CEPII BACI number reporters and partners with UN M49 / ISO 3166 numeric codes, with their own
exceptions (842 USA, 699 India, 251 France, 757 Switzerland, 579 Norway, 490 "Other Asia, nes", 899 "Areas,
nes", 0 World). The ISO 3166 list comes from ``pycountry``; the exceptions, the non-country areas and a few
common names used in extracts ("South Korea", "Taiwan", "UAE") are in ``tradelib/data/areas.csv``, each with
the code list it was checked against. Where a file carries ISO codes itself, the file's codes are used.
"""
from __future__ import annotations

import functools
import re

import pandas as pd

from .. import paths

AREAS_CSV = paths.DATA_DIR / "areas.csv"
_ISO3 = re.compile(r"^[A-Z]{3}$")


@functools.lru_cache(maxsize=1)
def table() -> pd.DataFrame:
    """All known areas: code (int), iso3, name, kind (world | country | other)."""
    import pycountry

    rows = {int(c.numeric): (c.alpha_3, getattr(c, "common_name", None) or c.name, "country")
            for c in pycountry.countries}
    own = pd.read_csv(AREAS_CSV, dtype=str, keep_default_na=False)
    for r in own.itertuples():
        rows[int(r.code)] = (r.iso3, r.name, r.kind)
    return pd.DataFrame([(k, *v) for k, v in sorted(rows.items())], columns=["code", "iso3", "name", "kind"])


@functools.lru_cache(maxsize=1)
def _by_code() -> dict[int, tuple[str, str, str]]:
    return {int(r.code): (r.iso3, r.name, r.kind) for r in table().itertuples()}


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, int]:
    import pycountry

    names: dict[str, int] = {}
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                names[n.casefold()] = int(c.numeric)
    own = pd.read_csv(AREAS_CSV, dtype=str, keep_default_na=False)
    for r in own.itertuples():
        for n in [r.name, *[a for a in r.aliases.split("|") if a]]:
            names[n.casefold()] = int(r.code)
    return names


@functools.lru_cache(maxsize=1)
def _by_iso3() -> dict[str, int]:
    out: dict[str, int] = {}
    for code, (iso3, _name, _kind) in sorted(_by_code().items(), key=lambda kv: kv[0]):
        out.setdefault(iso3, code)
    # where a provider code replaces the ISO one (842 for 840, 699 for 356 ...), the provider's code wins
    own = pd.read_csv(AREAS_CSV, dtype=str, keep_default_na=False)
    for r in own.itertuples():
        if "(..." not in r.name:
            out[r.iso3] = int(r.code)
    out["W00"] = 0
    return out


def iso3(code: int) -> str | None:
    hit = _by_code().get(int(code))
    return hit[0] if hit else None


def name(code: int) -> str | None:
    hit = _by_code().get(int(code))
    return hit[1] if hit else None


def code_of_iso3(iso: str) -> int | None:
    """The provider's numeric code for an ISO alpha-3 code (USA -> 842, IND -> 699), or None."""
    return _by_iso3().get(iso.strip().upper())


def code_of_name(text: str) -> int | None:
    return _by_name().get(text.strip().casefold())


def kind(code: int | None, iso: str | None) -> str:
    """world, country or other (areas nes, bunkers, free zones: real partners that are not countries)."""
    if code == 0 or iso in ("WLD", "W00"):
        return "world"
    if code is not None:
        hit = _by_code().get(int(code))
        if hit:
            return hit[2]
    return "country" if iso and _ISO3.match(iso) else "other"


def resolve(codes: pd.Series, isos: pd.Series | None = None, names: pd.Series | None = None) -> pd.DataFrame:
    """ISO3, numeric code and kind for columns of codes, ISO codes and names as a file gives them.

    The file's own ISO code is kept when present; else the code is looked up; else the name. World is
    always "WLD". Unknown areas keep their numeric code as their label ("#123") so they are never merged.
    """
    n = len(codes)
    code = pd.to_numeric(codes, errors="coerce") if codes is not None else pd.Series([pd.NA] * n)
    iso = (isos.fillna("").astype(str).str.strip() if isos is not None else pd.Series([""] * n, index=code.index))
    if names is not None:
        missing_code = code.isna() & names.notna()
        if missing_code.any():
            code = code.astype("Float64")
            code[missing_code] = names[missing_code].map(lambda t: code_of_name(str(t))).astype("Float64")
    # distinct values only: a file has millions of rows but a few hundred areas
    frame = pd.DataFrame({"code": code.astype("Int64"), "iso": iso.values}, index=code.index)
    keys = frame.drop_duplicates()
    out_iso, out_kind = [], []
    for c, i in zip(keys["code"], keys["iso"]):
        c = None if pd.isna(c) else int(c)
        if c == 0 or i in ("W00", "WLD"):
            out_iso.append("WLD")
            out_kind.append("world")
            continue
        label = i or (iso3(c) if c is not None else None) or (f"#{c}" if c is not None else "?")
        out_iso.append(label)
        out_kind.append(kind(c, label))
    keys = keys.assign(iso3=out_iso, kind=out_kind)
    merged = frame.merge(keys, on=["code", "iso"], how="left")
    merged.index = frame.index
    return merged[["iso3", "code", "kind"]]
