"""The records benchmark's generator and its two computations, on a tiny synthetic size.

The benchmark itself (timings, memory) runs in ``make bench``; here only its correctness: the synthetic BACI
files have the promised shape, tradelib and pandas give the same numbers, those numbers are the sums of the
generated rows, and the comparison fails when a number differs.
"""
from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

from tradelib import paths
from tradelib.records import areas
from tradelib.records.store import Store

spec = importlib.util.spec_from_file_location("records_bench", paths.PROJECT_DIR / "benchmarks" / "records_bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

ROWS, COUNTRIES, PRODUCTS = 4000, 30, 200


@pytest.fixture(scope="module")
def data():
    return bench.generate(ROWS, seed=7, countries=COUNTRIES, products=PRODUCTS)


@pytest.fixture(scope="module")
def results(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic-baci")
    csvs = []
    for year, df in sorted(data.items()):
        csvs.append(folder / f"BACI_HS22_Y{year}_synthetic_seed7.csv")
        bench.write_baci(df, csvs[-1])
    store = Store(folder / "store")
    files = [store.add(p) for p in csvs]
    return {"files": files, "tradelib": bench.run_tradelib(csvs, store.root),
            "pandas": bench.run_pandas([f.parquet for f in files])}


def test_generator_gives_distinct_baci_cells(data):
    cur, prev = data[bench.YEAR], data[bench.YEAR - 1]
    assert len(cur) == ROWS
    # 90 % of the cells go on (binomial, seed fixed) and 6 % of ROWS are new in the previous year only
    assert 0.93 * ROWS < len(prev) < 0.99 * ROWS
    for df in (cur, prev):
        assert list(df.columns) == ["t", "i", "j", "k", "v", "q"]
        assert not df.duplicated(["i", "j", "k"]).any()
        assert (df["i"] != df["j"]).all()
        assert df["k"].between(10110, 979990).all() and not (df["k"] // 10_000 == 77).any()
        assert (df["v"] >= 0.001).all() and np.allclose(df["v"], df["v"].round(3))
    assert cur["i"].nunique() <= COUNTRIES and cur["k"].nunique() <= PRODUCTS
    # provider codes (842 for the USA, 699 for India ...), each a country
    assert all(areas.kind(int(c), areas.iso3(int(c))) == "country" for c in cur["i"].unique())
    # skewed: the largest exporter holds far more rows than the median one
    per_exporter = cur.groupby("i").size()
    assert per_exporter.max() > 5 * per_exporter.median()


def test_generator_is_reproducible():
    a = bench.generate(1000, seed=3, countries=20, products=50)
    b = bench.generate(1000, seed=3, countries=20, products=50)
    pd.testing.assert_frame_equal(a[bench.YEAR], b[bench.YEAR])


def test_store_reads_the_synthetic_files_as_baci(results, data):
    cur_file = results["files"][1]
    assert cur_file.format == "baci" and cur_file.rows == ROWS
    assert cur_file.classification == "BACI HS22"


def test_tradelib_and_pandas_agree(results):
    assert bench.compare(results["tradelib"], results["pandas"]) == []


def test_totals_are_the_sums_of_the_generated_rows(results, data):
    cur = data[bench.YEAR]
    expected = (cur.groupby("i")["v"].sum() * 1000).rename(index=lambda c: areas.iso3(int(c)))
    got = results["tradelib"]["total"]
    assert sorted(got.index) == sorted(expected.index)
    assert np.allclose(got.loc[expected.index].to_numpy(), expected.to_numpy(), rtol=1e-12, atol=0)


def test_measures_hold_their_identities(results):
    r = results["tradelib"]
    h = r["hhi"]
    n_partners = r["top_partners"].groupby(level="reporter").size()
    assert ((h > 0) & (h <= 1)).all()
    # contributions by chapter add up to the growth of each reporter's total
    prev = pd.read_parquet(results["files"][0].parquet).groupby("reporter")["value_usd"].sum()
    growth = ((r["total"] / prev - 1) * 100).dropna()   # reporters with trade in both years
    assert len(growth) > COUNTRIES // 2
    summed = r["contributions"].groupby(level="reporter").sum()
    assert np.allclose(summed.loc[growth.index], growth, rtol=1e-9, atol=1e-9)
    assert (n_partners <= bench.TOP).all()
    top = r["top_chapters"]
    assert (top.groupby(level="reporter")["value"].diff().dropna() <= 0).all()  # largest first


def test_compare_fails_on_a_different_number_or_item(results):
    other = {k: v.copy() for k, v in results["pandas"].items()}
    first = other["hhi"].index[0]
    other["hhi"].loc[first] *= 1 + 1e-7
    problems = bench.compare(results["tradelib"], other)
    assert len(problems) == 1 and problems[0].startswith(f"hhi: {first}: ")

    other = {k: v.copy() for k, v in results["pandas"].items()}
    top = other["top_partners"]
    top.iloc[0, top.columns.get_loc("item")] = "XXX"
    problems = bench.compare(results["tradelib"], other)
    assert len(problems) == 1 and problems[0].startswith("top_partners: ") and "against XXX" in problems[0]

    other = {k: v.copy() for k, v in results["pandas"].items()}
    other["contributions"] = other["contributions"].iloc[1:]
    problems = bench.compare(results["tradelib"], other)
    assert len(problems) == 1 and problems[0].startswith("contributions: ")
