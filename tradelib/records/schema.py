"""The one tidy shape every trade-records reader produces.

One row is one published cell of a trade table: what a reporter declared it exported to (or imported from) a
partner, for one product code and one period, in US dollars. Readers (:mod:`tradelib.records.readers`) turn
UN Comtrade Plus, legacy UN Comtrade, CEPII BACI and the Comtrade API's answers into this shape; the store
(:mod:`tradelib.records.store`) keeps it as Parquet; queries (:mod:`tradelib.records.query`) run on it with
DuckDB or Spark.

Columns
-------
reporter, partner        ISO 3166 alpha-3 code as the data provider uses it ("CHN", "USA"); "WLD" is the
                         world (all partners), "S19" is "Other Asia, nes", "_X" is "Areas, nes"
reporter_code,           numeric code of the data provider (UN Comtrade / BACI use M49-based codes with their
partner_code             own exceptions: 842 USA, 699 India, 251 France, 757 Switzerland, 490 Other Asia nes)
partner_kind             "world" (the total over partners), "country", or "other" (areas nes, bunkers, free
                         zones, special categories: partners that are real but not countries)
flow                     X exports, M imports, RX re-exports, RM re-imports, DX domestic exports,
                         FM foreign merchandise, XOP/MOP outward/inward processing (UN Comtrade codes)
freq                     "A" annual or "M" monthly
year, month              the period; month is 0 for an annual row
period                   "2022" or "2022-06"
classification           the provider's classification code: H0..H6 (HS 1992..2022), HS (as reported),
                         S1..S4 (SITC), or "BACI HS22" for a BACI release
product                  "TOTAL" for all products, else the code as a string with its leading zeros
level                    0 for TOTAL, else the number of digits (2 chapter, 4 heading, 6 subheading)
chapter                  the HS chapter as a number (85 for 8542...), 0 for TOTAL: kept apart so a breakdown by
                         chapter groups on a number
value_usd                trade value in US dollars (BACI's thousands are multiplied out)
qty, qty_unit            quantity in its unit ("kg", "u", "t", ...); empty where not reported
net_weight_kg            net weight in kilograms; empty where not reported
breakdown                "" for a plain row; otherwise what it breaks its total down by ("customs procedure",
                         "mode of transport", "second partner"): such rows sit beside the total row they add
                         up to and are left out of every total so nothing is counted twice
source_file              the file the row came from (its name), source_line its line number (header = 1)
"""
from __future__ import annotations

import pandas as pd

COLUMNS: dict[str, str] = {
    "reporter": "string",
    "reporter_code": "Int32",
    "partner": "string",
    "partner_code": "Int32",
    "partner_kind": "string",
    "flow": "string",
    "freq": "string",
    "year": "Int16",
    "month": "Int8",
    "period": "string",
    "classification": "string",
    "product": "string",
    "level": "Int8",
    "chapter": "Int8",
    "value_usd": "float64",
    "qty": "float64",
    "qty_unit": "string",
    "net_weight_kg": "float64",
    "breakdown": "string",
    "source_file": "string",
    "source_line": "Int64",
}

WORLD = "WLD"
CURRENCY = "USD"   # UN Comtrade and BACI give values in US dollars (value_usd)
TOTAL = "TOTAL"
FLOW_NAMES = {"X": "exports", "M": "imports", "RX": "re-exports", "RM": "re-imports", "DX": "domestic exports",
              "FM": "foreign merchandise", "XOP": "outward processing exports", "MOP": "inward processing imports",
              "XIP": "inward processing exports", "MIP": "inward processing imports"}


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the schema's columns, in order, with the schema's types."""
    if "chapter" not in df.columns and "product" in df.columns and "level" in df.columns:
        df = df.assign(chapter=pd.to_numeric(df["product"].astype("string").str[:2].where(df["level"] >= 2),
                                             errors="coerce").fillna(0))
    out = pd.DataFrame(index=df.index)
    for col, dtype in COLUMNS.items():
        if col in df.columns:
            out[col] = df[col].astype(dtype)
        else:
            out[col] = pd.Series(float("nan") if dtype == "float64" else pd.NA, index=df.index, dtype=dtype)
    return out.reset_index(drop=True)


def period_label(year: int, month: int) -> str:
    return f"{year:04d}" if not month else f"{year:04d}-{month:02d}"
