"""The same Ibis queries on PySpark (local mode) and on DuckDB give the same answers.

Spark needs Java 17 (`make system` installs Debian's openjdk-17-jre-headless). Starting a local Spark session
takes 20–60 s on a 2-core machine, so one session serves every test here.
"""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tradelib.records import query
from tradelib.records.query import Period
from tradelib.records.store import Store

from .test_records import SYNTHETIC_BACI, SYNTHETIC_BACI_2021, THA_8542, TOTALS_2022, needs_shared

pytestmark = pytest.mark.skipif(shutil.which("java") is None,
                                reason="Spark needs Java 17: run `make system` (as root) or install a JRE")


@pytest.fixture(scope="module")
def spark_backend(tmp_path_factory):
    import ibis
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("tradelib-tests")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.memory", "1g")
             # tables Ibis registers go to a temporary folder, not to spark-warehouse/ in the checkout
             .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse"))).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(spark)
    spark.stop()


def _same(a: pd.DataFrame, b: pd.DataFrame):
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b) and len(a) > 0
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False,
                                  rtol=1e-12)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store(tmp_path_factory.mktemp("spark-store"))


def test_spark_and_duckdb_agree_on_synthetic_baci(spark_backend, store, tmp_path_factory):
    f = tmp_path_factory.mktemp("baci") / "BACI_HS22_Y2022_V202501.csv"   # synthetic rows
    f.write_text(SYNTHETIC_BACI)
    duck = query.load(f, store=store)
    spark = duck.on(spark_backend)
    for period in (Period(2022), Period(2023)):
        for by in (None, "partner", "hs2", "hs6"):
            _same(query.totals(duck, period, by=by), query.totals(spark, period, by=by))


def test_spark_and_duckdb_agree_on_files_of_different_years(spark_backend, store, tmp_path_factory):
    """Each file summed on its own, the sums stacked in one query: a file of one year (grouped without the
    year) beside a file of several years (filtered, or grouped by year), on both engines."""
    folder = tmp_path_factory.mktemp("baci-years")
    (a := folder / "BACI_HS22_Y2022_V202501.csv").write_text(SYNTHETIC_BACI)       # synthetic rows
    (b := folder / "BACI_HS22_Y2021_V202501.csv").write_text(SYNTHETIC_BACI_2021)  # synthetic rows
    duck = query.load([a, b], store=store)
    spark = duck.on(spark_backend)
    for period in (Period(2021), Period(2022), Period(2023)):
        for by in (None, "partner", "hs2", "hs6"):
            _same(query.totals(duck, period, by=by), query.totals(spark, period, by=by))
    assert query.totals(spark, Period(2022)).set_index("reporter")["value"].to_dict() == {
        "CHN": 1_011_750.0, "USA": 2_000.0}


@needs_shared
def test_spark_and_duckdb_agree_on_comtrade_totals_by_partner(spark_backend, store):
    duck = query.load(TOTALS_2022, store=store)
    spark = duck.on(spark_backend)
    _same(query.totals(duck, Period(2022)), query.totals(spark, Period(2022)))
    a = query.totals(duck, Period(2022), "CHN", "X", by="partner")
    b = query.totals(spark, Period(2022), "CHN", "X", by="partner")
    _same(a, b)
    assert b["value"].sum() == pytest.approx(3_593_601_435_602, rel=1e-12)


@needs_shared
def test_spark_counts_a_file_given_twice_once(spark_backend, store, tmp_path_factory):
    copy = tmp_path_factory.mktemp("copy") / "again.csv"
    copy.write_bytes(THA_8542.read_bytes())
    duck = query.load([THA_8542, copy], store=store)
    spark = duck.on(spark_backend)
    a = query.totals(spark, Period(2024), "THA", "M", by="partner")
    _same(query.totals(duck, Period(2024), "THA", "M", by="partner"), a)
    assert a.set_index("item").loc["CHN", "value"] == pytest.approx(2_538_341_745.02, abs=0.005)
    _same(query.left_out(duck, Period(2024), "THA", "M").sort_values(["breakdown", "partner_kind", "level"]),
          query.left_out(spark, Period(2024), "THA", "M").sort_values(["breakdown", "partner_kind", "level"]))
