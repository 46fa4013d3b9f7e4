"""The corruption suite: damaged copies of the bundled data, each of which must be refused with a clear error.

Each case changes a copy of ``tradelib/data`` and expects one DataError naming the file, the line (where a
line is at fault) and the rule broken. ``test_suite_catches_every_corruption`` reports the count.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from tradelib import sources
from tradelib.errors import DataError


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)


def _row(df, **kw):
    m = pd.Series(True, index=df.index)
    defaults = {"partner": "WLD", "product": "ALL", "enterprise": "ALL", "measure": "value", "currency": "CNY"}
    for k, v in {**defaults, **kw}.items():
        m &= df[k] == str(v)
    idx = df.index[m]
    assert len(idx) == 1, kw
    return idx[0]


def figures(mutate):
    def apply(folder: Path):
        df = _read(folder / "figures.csv")
        df = mutate(df)
        _write(df, folder / "figures.csv")
    return apply


def _set(df, col, value, **kw):
    df.loc[_row(df, **kw), col] = value
    return df


def scale_1000(df):
    i = _row(df, year=2025, flow="exports")
    df.loc[i, "value"] = str(float(df.loc[i, "value"]) * 1000)
    return df


def swap_flows(df):
    e, i = _row(df, year=2025, flow="exports"), _row(df, year=2025, flow="imports")
    df.loc[e, "value"], df.loc[i, "value"] = df.loc[i, "value"], df.loc[e, "value"]
    return df


def swap_currencies(df):
    c, u = _row(df, year=2018, flow="total"), _row(df, year=2018, flow="total", currency="USD")
    df.loc[c, "currency"], df.loc[u, "currency"] = "USD", "CNY"
    return df


def drop_row(df):
    return df.drop(index=_row(df, year=2024, flow="imports"))


def conflicting_duplicate(df):
    row = df.loc[[_row(df, year=2025, flow="total")]].copy()
    row["value"] = "45.00"
    return pd.concat([df, row], ignore_index=True)


def exact_duplicate(df):
    return pd.concat([df, df.loc[[_row(df, year=2024, flow="exports")]]], ignore_index=True)


def partner_scaled(df):
    i = _row(df, year=2025, flow="total", partner="BRI")
    df.loc[i, "value"] = str(float(df.loc[i, "value"]) * 1000)
    return df


def share_inconsistent(df):
    return _set(df, "value", "25.0", year=2025, flow="total", partner="USA", measure="share")


def growth_inconsistent(df):
    return _set(df, "value", "16.1", year=2025, flow="exports", measure="growth_yoy")


def growth_sign_flipped(df):
    return _set(df, "value", "-6.1", year=2025, flow="exports", measure="growth_yoy")


def drop_column(df):
    return df.drop(columns=["unit"])


CASES = [
    # (name, mutation of the figures table or of a file, expected rule)
    ("value scaled x1000", figures(scale_1000), "exports + imports = total"),
    ("exports and imports swapped", figures(swap_flows), "exports − imports = balance"),
    ("sign of the balance flipped", figures(lambda d: _set(d, "value", "-" + d.loc[_row(d, year=2025, flow="balance"), "value"], year=2025, flow="balance")), "exports − imports = balance"),
    ("sign of exports flipped", figures(lambda d: _set(d, "value", "-26.99", year=2025, flow="exports")), "sign"),
    ("a headline row dropped", figures(drop_row), "complete headline"),
    ("a conflicting duplicate", figures(conflicting_duplicate), "no duplicates"),
    ("an exact duplicate", figures(exact_duplicate), "no duplicates"),
    ("yuan and dollar labels swapped", figures(swap_currencies), "currencies agree with the exchange rate"),
    ("an unknown currency", figures(lambda d: _set(d, "currency", "EUR", year=2025, flow="total")), "known currency"),
    ("a share above 100", figures(lambda d: _set(d, "value", "151.9", year=2025, flow="total", partner="BRI", measure="share")), "share within 0-100"),
    ("a share inconsistent with the levels", figures(share_inconsistent), "share consistent with levels"),
    ("a growth rate inconsistent with the levels", figures(growth_inconsistent), "growth consistent with levels"),
    ("a growth rate with its sign flipped", figures(growth_sign_flipped), "growth consistent with levels"),
    ("a year shifted forward", figures(lambda d: _set(d, "year", "2026", year=2025, flow="total")), "released after the year"),
    ("a source missing", figures(lambda d: _set(d, "source_id", "", year=2025, flow="imports")), "source"),
    ("a source id not in sources.csv", figures(lambda d: _set(d, "source_id", "nowhere-99", year=2025, flow="imports")), "source"),
    ("a partner value off by 1000", figures(partner_scaled), "part within whole"),
    ("an unknown unit", figures(lambda d: _set(d, "unit", "trillions", year=2024, flow="total")), "known unit"),
    ("a unit that does not fit the measure", figures(lambda d: _set(d, "unit", "percent", year=2024, flow="total")), "unit fits measure"),
    ("a non-numeric value", figures(lambda d: _set(d, "value", "45,47", year=2025, flow="total")), "numeric"),
    ("an unknown flow", figures(lambda d: _set(d, "flow", "re-exports", year=2025, flow="total")), "known flow"),
    ("a rank of zero", figures(lambda d: _set(d, "value", "0", year=2025, flow="exports", partner="ASEAN", measure="rank", currency="")), "positive whole number"),
    ("a vintage that is not a date", figures(lambda d: _set(d, "vintage", "14/01/2026", year=2025, flow="total")), "vintage"),
    ("a column dropped", figures(drop_column), "columns"),
]


def _file_case(name, filename, content: bytes, rule):
    def apply(folder: Path):
        (folder / filename).write_bytes(content)
    return (name, apply, rule)


def _sources_case(name, mutate, rule):
    def apply(folder: Path):
        df = _read(folder / "sources.csv")
        _write(mutate(df), folder / "sources.csv")
    return (name, apply, rule)


CASES += [
    _file_case("an empty figures file", "figures.csv", b"", "not empty"),
    _file_case("a header without rows", "figures.csv",
               b"year,flow,partner,product,enterprise,measure,value,unit,currency,source_id,vintage,note,quote\n",
               "not empty"),
    _file_case("a file that is not UTF-8", "figures.csv",
               "year,flow,partner,product,enterprise,measure,value,unit,currency,source_id,vintage,note,quote\n"
               "2025,total,WLD,ALL,ALL,value,45.47,trillion,CNY,seed-01,2026-01-14,Total ¥,\n".encode("cp1252", "replace")
               .replace(b"\xa5", b"\xa5\xff"), "encoding"),
    _sources_case("a source without a URL", lambda d: d.assign(url=d.url.where(d.index != 0, "")), "source complete"),
    _sources_case("a source URL that is not a web address", lambda d: d.assign(url=d.url.where(d.index != 0, "ftp://x")), "source url"),
    _sources_case("a duplicated source id", lambda d: pd.concat([d, d.iloc[[0]]], ignore_index=True), "unique source id"),
]


@pytest.mark.parametrize("name,corrupt,rule", CASES, ids=[c[0] for c in CASES])
def test_corruption_is_refused(data_copy, name, corrupt, rule):
    corrupt(data_copy)
    with pytest.raises(DataError) as exc:
        sources.load(data_copy)
    err = exc.value
    assert err.rule == rule, f"{name}: refused by [{err.rule}] {err.message}"
    text = str(err)
    assert text.startswith(err.path.name) and f"[{rule}]" in text
    assert "\n" not in text


def test_suite_catches_every_corruption(tmp_path, capsys):
    import shutil

    from tradelib import paths

    caught = []
    for i, (name, corrupt, rule) in enumerate(CASES):
        folder = tmp_path / f"case{i}"
        shutil.copytree(paths.DATA_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
        corrupt(folder)
        try:
            sources.load(folder)
        except DataError as e:
            caught.append(e.rule == rule)
        else:
            caught.append(False)
    with capsys.disabled():
        print(f"\ncorruption suite: {sum(caught)} of {len(CASES)} corruptions refused with the expected rule")
    assert len(CASES) >= 20
    assert all(caught)


def test_error_names_file_line_and_rule(data_copy):
    figures(scale_1000)(data_copy)
    with pytest.raises(DataError) as exc:
        sources.load(data_copy)
    e = exc.value
    assert e.path.name == "figures.csv" and isinstance(e.line, int) and e.line > 1
    assert str(e).startswith(f"figures.csv line {e.line}: [exports + imports = total]")
