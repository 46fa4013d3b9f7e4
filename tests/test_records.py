"""Trade records: readers, the store and the totals, checked against the real UN Comtrade extracts.

The extracts in ../shared/data are read in place (never copied into the project); tests that need them skip
when the folder is absent. Files made up inside the tests are synthetic and say so.
"""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from tradelib import paths
from tradelib.errors import DataError
from tradelib.records import cli, query, readers
from tradelib.records.query import Period
from tradelib.records.store import Store

SHARED = paths.SHARED_DATA_DIR
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="the shared real extracts are not on this machine")

TOTALS_2022 = SHARED / "comtrade_plus_totals_by_partner_2022" / "TradeData_CHN_USA_DEU_2022_totals.csv"
THA_8542 = SHARED / "comtrade_plus_tha_hs8542_2014_2024" / "TradeData_THA_M_8542_2014_2024.csv"
CHN_HS2 = sorted(glob.glob(str(SHARED / "comtrade_china_hs2_top30_2019_2020" / "*.csv")))
MINERALS = SHARED / "comtrade_china_critical_minerals_monthly" / "deep_dive_hs6_monthly.csv"
HS93 = sorted(glob.glob(str(SHARED / "comtrade_plus_monthly_hs93_2023_2024" / "*.csv")))
BICYCLES = SHARED / "comtrade_legacy_bicycles_all_reporters_2016_2019" / "comtrade_bicycles_871200_2016_2019.csv"
CEMENT = SHARED / "comtrade_legacy_cement_all_reporters_1988_2020" / "comtrade_cement_252310_1988_2020.csv"


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Store:
    return Store(tmp_path_factory.mktemp("store"))


def _value(df: pd.DataFrame, **where) -> float:
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return float(sel["value"].iloc[0])


# ------------------------------------------------------------------------------------ formats

@needs_shared
@pytest.mark.parametrize("path,fmt", [
    (TOTALS_2022, "comtrade_plus"), (THA_8542, "comtrade_plus"), (Path(CHN_HS2[0]) if CHN_HS2 else None,
                                                                   "comtrade_legacy_api"),
    (BICYCLES, "comtrade_legacy"), (CEMENT, "comtrade_legacy"), (Path(HS93[0]) if HS93 else None, "comtrade_plus"),
], ids=["plus-totals", "plus-tha", "legacy-api", "legacy-bicycles", "legacy-cement", "plus-monthly"])
def test_format_is_recognised_from_the_header(path, fmt):
    got, df = readers.read(path)
    assert got == fmt
    assert df["source_file"].iloc[0] == path.name
    assert df["source_line"].iloc[0] == 2  # the header is line 1


@needs_shared
def test_comtrade_plus_latin1_file_with_trailing_commas(store):
    _fmt, df = readers.read(TOTALS_2022)
    assert len(df) == 1352                                    # every row, none lost to the trailing comma
    assert set(df["reporter"]) == {"CHN", "USA", "DEU"}
    assert set(df.loc[df.partner_code == 0, "partner"]) == {"WLD"}
    assert df.loc[df.partner_code == 490, "partner"].iloc[0] == "S19"
    assert df.loc[df.partner_code == 899, "partner_kind"].iloc[0] == "other"
    assert (df["product"] == "TOTAL").all() and (df["level"] == 0).all()


@needs_shared
def test_china_exports_2022_total_is_the_world_row_and_partners_add_up_to_it(store):
    r = query.load(TOTALS_2022, store=store)
    t = query.totals(r, Period(2022))
    assert _value(t, reporter="CHN", flow="X") == 3_593_601_435_602
    assert _value(t, reporter="CHN", flow="M") == 2_715_997_517_261
    assert set(t.basis) == {"world row"}
    partners = query.totals(r, Period(2022), "CHN", "X", by="partner")
    assert "WLD" not in set(partners["item"])                # the World row is never a partner
    assert partners["value"].sum() == pytest.approx(3_593_601_435_602, rel=1e-12)
    # China's re-imports from itself are a partner row of its imports (SOURCE.md: 122.9 bn USD)
    imports = query.totals(r, Period(2022), "CHN", "M", by="partner")
    assert _value(imports, item="CHN") == pytest.approx(122.9e9, rel=5e-4)


@needs_shared
def test_thailand_imports_of_integrated_circuits_from_china(store):
    r = query.load(THA_8542, store=store)
    p14 = query.totals(r, Period(2014), "THA", "M", by="partner")
    p24 = query.totals(r, Period(2024), "THA", "M", by="partner")
    assert _value(p14, item="CHN") == 816_074_122
    assert _value(p24, item="CHN") == pytest.approx(2_538_341_745.02, abs=0.005)
    heading = query.totals(r, Period(2024), "THA", "M", by="hs4")
    total = query.totals(r, Period(2024), "THA", "M")
    assert list(heading["item"]) == ["8542"] and heading["value"].iloc[0] == total["value"].iloc[0]


@needs_shared
def test_china_hs2_legacy_api_parts(store):
    r = query.load(CHN_HS2, store=store)
    assert len(r.files) == 12
    # the parts share reporter, flow and year, but no partner: no row is left out as held twice
    lo = query.left_out(r, Period(2020), "CHN", "X")
    assert set(lo.breakdown) == {""}
    for year, expected in [(2019, 106_227_997_087), (2020, 111_531_322_817)]:
        usa = r.table.filter((r.table.partner == "USA") & (r.table.product == "85") & (r.table.year == year))
        assert usa.value_usd.sum().to_pyarrow().as_py() == expected
    chapters = query.totals(r, Period(2020), "CHN", "X", by="hs2")
    total = query.totals(r, Period(2020), "CHN", "X")
    assert total["basis"].iloc[0] == "sum of partners"        # no World row: 29 partners only
    assert chapters["value"].sum() == pytest.approx(total["value"].iloc[0], rel=1e-12)
    assert chapters["item"].str.len().eq(2).all() and "01" in set(chapters["item"])  # leading zero kept


@needs_shared
def test_monthly_records_sum_to_the_year_and_keep_their_months(store):
    r = query.load(HS93, store=store)
    t = query.totals(r, Period(2023), flow="X").set_index("reporter")["value"]
    assert t["KOR"] == 443_885_275
    assert list(t.sort_values(ascending=False).index[:3]) == ["KOR", "USA", "ITA"]
    assert t["USA"] == 391_043_942 and round(t["ITA"]) == 48_155_156   # the file has cents: 48,155,155.518
    assert query.months_held(r, Period(2023), "KOR", "X") == list(range(1, 13))
    march = query.totals(r, Period(2023, 3), "KOR", "X")
    assert march["value"].iloc[0] == 109_032_732


@needs_shared
def test_tidy_extract_needs_its_reporter_and_flow_and_matches_the_file(store):
    with pytest.raises(DataError, match=r"no reporter column; say whose trade it is"):
        readers.read(MINERALS)
    with pytest.raises(DataError, match=r"no flow column; say which flow it holds"):
        readers.read(MINERALS, reporter="CHN")
    r = query.load(MINERALS, reporter="CHN", flow="X", store=store)
    raw = pd.read_csv(MINERALS, dtype={"hs6": str})
    june = raw[raw.period_dt == "2024-06-01"]
    got = query.totals(r, Period(2024, 6), "CHN", "X", by="partner").set_index("item")["value"]
    assert got.sum() == pytest.approx(june["val"].sum())
    assert got["KOR"] == pytest.approx(june.loc[june.partner_name == "South Korea", "val"].sum())
    assert got["S19"] == pytest.approx(june.loc[june.partner_name == "Taiwan", "val"].sum())


@needs_shared
def test_legacy_flows_in_words_and_codes(store):
    bikes = query.totals(query.load(BICYCLES, store=store), Period(2019), flow="X")
    top = bikes.sort_values("value", ascending=False).head(3)
    assert list(top.reporter) == ["CHN", "S19", "NLD"]
    assert list(top.value) == [2_880_680_806, 1_365_595_332, 767_297_480]
    cement = query.load(CEMENT, store=store)
    t = query.totals(cement, Period(2019), flow="X").set_index("reporter")["value"]
    assert list(t.sort_values(ascending=False).index[:3]) == ["VNM", "TUR", "THA"]
    assert (t["VNM"], t["TUR"], t["THA"]) == (811_042_550, 380_495_187, 337_597_953)


@needs_shared
def test_breakdowns_beside_their_total_are_never_added(store):
    """Germany's 2019 cement exports: 16 rows that sum to 138,179,144 USD; the plain row is 17,272,394.

    Beside the all-procedures, all-modes, second-partner-World row sit its breakdowns by customs procedure
    (C03), mode of transport (air, road, inland waterway) and second partner (899, "Areas, nes", which
    repeats the whole value); only the plain row is a total.
    """
    _fmt, df = readers.read(CEMENT)
    deu = df[(df.reporter == "DEU") & (df.year == 2019) & (df.flow == "X")]
    assert len(deu) == 16 and deu["value_usd"].sum() == 138_179_144
    assert (deu["breakdown"] == "").sum() == 1
    t = query.totals(query.load(CEMENT, store=store), Period(2019), "DEU", "X")
    assert t["value"].iloc[0] == 17_272_394


@needs_shared
def test_a_file_given_twice_is_counted_once(store, tmp_path):
    copy = tmp_path / "again.csv"
    copy.write_bytes(TOTALS_2022.read_bytes())
    r = query.load([TOTALS_2022, copy], store=store)
    assert r.overlapping
    t = query.totals(r, Period(2022), "CHN", "X")
    assert t["value"].iloc[0] == 3_593_601_435_602
    lo = query.left_out(r, Period(2022), "CHN", "X")
    assert lo.loc[lo.breakdown == "same cell in another file", "rows"].sum() == 219


# ------------------------------------------------------------------------------------ synthetic files

SYNTHETIC_BACI = "t,i,j,k,v,q\n2022,156,842,10121,1.5,0.2\n2022,156,842,854143,1000.25,NA\n" \
                 "2022,156,699,854143,10,3\n2022,842,156,10121,2,\n2023,156,842,854143,1100,1\n"


def test_baci_csv_thousands_tonnes_and_leading_zeros(tmp_path):
    """Synthetic BACI rows (made-up numbers) in the release's layout."""
    f = tmp_path / "BACI_HS22_Y2022_V202501.csv"
    f.write_text(SYNTHETIC_BACI)
    r = query.load(f, store=Store(tmp_path / "store"))
    df = r.table.to_pandas().sort_values("source_line")
    assert list(df["product"])[:2] == ["010121", "854143"]
    assert df["value_usd"].iloc[1] == 1_000_250.0             # thousands of dollars multiplied out
    assert df["qty_unit"].iloc[0] == "t" and pd.isna(df["qty"].iloc[1])
    assert list(df["partner"])[:3] == ["USA", "USA", "IND"]    # BACI's 842 and 699
    assert df["classification"].iloc[0] == "BACI HS22"
    t = query.totals(r, Period(2023), "CHN", "X", by="partner")
    assert _value(t, item="USA") == 1_100_000


# a second synthetic BACI file, of 2021 only, beside SYNTHETIC_BACI (2022 and one row of 2023)
SYNTHETIC_BACI_2021 = "t,i,j,k,v,q\n2021,156,842,854143,900,1\n2021,156,699,10121,4,\n2021,842,156,10121,3,\n"


def test_files_of_different_years_are_summed_each_on_its_own(tmp_path):
    """Each file is summed on its own and the sums stacked: a file of one year (grouped without the year), a
    file of several years (filtered to the year asked, or grouped by year when both years are asked)."""
    (a := tmp_path / "BACI_HS22_Y2022_V202501.csv").write_text(SYNTHETIC_BACI)
    (b := tmp_path / "BACI_HS22_Y2021_V202501.csv").write_text(SYNTHETIC_BACI_2021)
    r = query.load([a, b], store=Store(tmp_path / "store"))
    assert not r.overlapping
    t = query.totals(r, Period(2022))
    assert t.set_index("reporter")["value"].to_dict() == {"CHN": 1_011_750.0, "USA": 2_000.0}
    assert t.set_index("reporter")["rows"].to_dict() == {"CHN": 3, "USA": 1}
    t = query.totals(r, Period(2021), by="partner")
    assert list(zip(t.reporter, t.item, t.value)) == [("CHN", "IND", 4_000.0), ("CHN", "USA", 900_000.0),
                                                      ("USA", "CHN", 3_000.0)]
    t = query.totals(r, Period(2023), "CHN", by="hs2")
    assert list(zip(t.item, t.value)) == [("85", 1_100_000.0)]
    t = query.totals(r, Period(2022), "CHN", by="hs2")
    assert list(zip(t.item, t.value)) == [("01", 1_500.0), ("85", 1_010_250.0)]


def test_loading_an_unchanged_file_again_reuses_the_connection_and_the_file(tmp_path, monkeypatch):
    """Synthetic BACI rows. Two loads of one file share the default DuckDB connection and its reading of the
    file; a process with another id (a forked child) gets a connection of its own; a file converted again in
    the same place is read as it now is."""
    f = tmp_path / "BACI_HS22_Y2022_V202501.csv"
    f.write_text(SYNTHETIC_BACI)
    st = Store(tmp_path / "store")
    a, b = query.load(f, store=st), query.load(f, store=st)
    assert a.backend is b.backend is query.default_backend()
    assert a.part(a.files[0]) is b.part(b.files[0])
    own = query.load(f, store=st, backend=query.default_backend())      # the same connection named explicitly
    assert own.part(own.files[0]) is a.part(a.files[0])
    assert query.totals(b, Period(2022), "CHN")["value"].iloc[0] == 1_011_750.0
    # the stored Parquet replaced under the same name (as a damaged card makes the store convert again)
    parquet = Path(a.files[0].parquet)
    df = pd.read_parquet(parquet)
    df["value_usd"] = df["value_usd"] * 2
    df.to_parquet(parquet)
    c = query.load(f, store=st)
    assert query.totals(c, Period(2022), "CHN")["value"].iloc[0] == 2_023_500.0
    real = os.getpid()
    monkeypatch.setattr(query.os, "getpid", lambda: real + 1)
    assert query.default_backend() is not a.backend
    monkeypatch.setattr(query.os, "getpid", lambda: real)
    assert query.default_backend() is not a.backend      # a new process's connection is not given back


def test_the_stored_numbers_of_country_codes_give_the_same_sums_as_the_codes(tmp_path):
    """Synthetic BACI rows in three files. Each stored file numbers its country codes 0, 1, 2 ... (its card lists
    the codes in that order, so the same number names another code in the 2020 file); the numbers are not
    among the records' columns; sums by partner grouped on them are the sums grouped on the codes."""
    (a := tmp_path / "BACI_HS22_Y2022_V202501.csv").write_text(SYNTHETIC_BACI)
    (b := tmp_path / "BACI_HS22_Y2021_V202501.csv").write_text(SYNTHETIC_BACI_2021)
    (d := tmp_path / "BACI_HS22_Y2020_V202501.csv").write_text(
        "t,i,j,k,v,q\n2020,36,156,10121,5,\n2020,156,36,854143,7,1\n2020,156,842,854143,2,1\n")
    r = query.load([a, b, d], store=Store(tmp_path / "store"))
    assert r.files[2].area_keys[0] != r.files[0].area_keys[0]
    for f in r.files:
        stored = pd.read_parquet(f.parquet)
        assert sorted(f.area_keys) == sorted(set(stored.reporter_code) | set(stored.partner_code))
        assert len(set(f.area_keys)) == len(f.area_keys)
        for k, c in (("reporter_key", "reporter_code"), ("partner_key", "partner_code")):
            assert [f.area_keys[n] for n in stored[k]] == list(stored[c])
    assert not {"reporter_key", "partner_key"} & set(r.table.columns)
    plain = query.load([a, b, d], store=Store(tmp_path / "store"), backend=ibis.duckdb.connect())
    for f in plain.files:
        f.area_keys = None                 # as for a file whose codes could not be numbered
    for year in (2020, 2021, 2022, 2023):
        pd.testing.assert_frame_equal(query.totals(r, Period(year), by="partner"),
                                      query.totals(plain, Period(year), by="partner"))
        pd.testing.assert_frame_equal(query.totals(r, Period(year)), query.totals(plain, Period(year)))


def test_country_codes_are_numbered_across_batches_and_beyond_what_a_number_holds():
    from tradelib.records.store import _AreaKeys

    keys = _AreaKeys()
    assert keys(pa.array([842, 156, None, 842], pa.int32())).to_pylist() == [1, 0, None, 1]
    assert keys(pa.array([699, 156], pa.int32())).to_pylist() == [2, 0]        # a later batch: new codes follow
    assert keys.card == [156, 842, 699]
    assert keys(pa.array([_AreaKeys.LIMIT], pa.int32())).null_count == 1
    assert keys.card is None                   # a code too large: the file's numbers are not used


def test_baci_release_zip_uses_its_own_country_list(tmp_path):
    """A synthetic release zip: one year file and a country list naming code 156 (made-up names)."""
    z = tmp_path / "BACI_HS22_V202501.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("BACI_HS22_Y2022_V202501.csv", SYNTHETIC_BACI)
        zf.writestr("country_codes_V202501.csv", "country_code,country_name,country_iso2,country_iso3\n"
                    "156,China (synthetic name),CN,CHN\n842,USA,US,USA\n699,India,IN,IND\n")
        zf.writestr("product_codes_HS22_V202501.csv", 'code,description\n010121,"Horses (synthetic)"\n')
    r = query.load(z, store=Store(tmp_path / "store"))
    assert r.files[0].format == "baci" and r.files[0].rows == 5
    assert r.name("area", "CHN") == "China (synthetic name)"
    assert r.name("product", "010121") == "Horses (synthetic)"


# ------------------------------------------------------------------------------------ the store

def test_an_unchanged_file_is_converted_once(tmp_path, monkeypatch):
    f = tmp_path / "BACI_HS22_Y2022_V202501.csv"
    f.write_text(SYNTHETIC_BACI)
    st = Store(tmp_path / "store")
    first = st.add(f)
    calls = []
    monkeypatch.setattr(Store, "_convert", lambda *a, **k: calls.append(a) or first)
    assert st.add(f).parquet == first.parquet and calls == []   # served from the store, nothing read
    f.write_text(SYNTHETIC_BACI + "2023,842,156,854143,5,1\n")
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    st.add(f)
    assert len(calls) == 1                                     # a changed file is converted again


def test_conversion_leaves_nothing_half_written(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("t,i,j,k,v,q\n2022,156,842,10121,abc,1\n")
    st = Store(tmp_path / "store")
    with pytest.raises(DataError):
        st.add(f)
    assert list((tmp_path / "store").iterdir()) == []


# ------------------------------------------------------------------------------------ bad files

@pytest.mark.parametrize("text,expected", [
    ("a,b,c\n1,2,3\n", "bad.csv line 1: [format] no reader understands this file: the header matches no known "
                       "format"),
    ("refYear,refMonth,freqCode,reporterCode,partnerCode,flowCode,cmdCode\n2022,52,A,156,0,X,TOTAL\n",
     "bad.csv line 1: [format] no reader understands this file: it looks like a UN Comtrade Plus file but lacks "
     "the column(s) primaryValue, classificationCode"),
    ("", "bad.csv: [not empty] the file is empty"),
    ("Classification,Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n"
     "H5,2019,2019,Export,156,0,TOTAL,-5\n", "bad.csv line 2: [value] 1 row(s) have a negative trade value"),
    ("Classification,Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n"
     "H5,2019,2019,Export,156,0,TOTAL,5\nH5,2019,2019,Export,156,0,TOTAL,7\n",
     "bad.csv line 2: [duplicate] lines 2, 3 give different values"),
    ("Classification,Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n"
     "H5,2019,2019,Sideways,156,0,TOTAL,5\n", "bad.csv line 2: [flow] a trade flow is neither a code"),
    ("Classification,Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n"
     "H5,2019,2019,Export,156,0\n", "bad.csv line 2: [value] 1 row(s) have no trade value"),
], ids=["unknown", "plus-missing", "empty", "negative", "clash", "flow", "truncated"])
def test_bad_files_get_one_clear_line(tmp_path, text, expected):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    with pytest.raises(DataError) as e:
        query.load(f, store=Store(tmp_path / "store"))
    assert str(e.value).startswith(expected), str(e.value)
    assert "\n" not in str(e.value)


def test_flows_written_as_words_plural_or_codes():
    assert [readers._flow_code(x) for x in ["Export", "Exports", "Re-Export", "Re-Imports", "X", "rx", "2"]] \
        == ["X", "X", "RX", "RM", "X", "RX", "X"]


def test_identical_duplicate_rows_are_counted_once(tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("Classification,Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,"
                 "Trade Value (US$)\nH5,2019,2019,Export,156,0,TOTAL,5\nH5,2019,2019,Export,156,0,TOTAL,5\n"
                 "H4,2019,2019,Export,156,0,TOTAL,6\n")
    r = query.load(f, store=Store(tmp_path / "store"))
    assert query.totals(r, Period(2019), "CHN", "X")["value"].iloc[0] == 5
    assert r.files[0].left_out == {"duplicate row": 1, "same cell in another classification": 1}


# ------------------------------------------------------------------------------------ the shell command

def _cli(*args, store):
    env = {**os.environ, "TRADELIB_STORE": str(store)}
    return subprocess.run([sys.executable, "-m", "tradelib", "records", *map(str, args)], capture_output=True,
                          text=True, cwd=paths.PROJECT_DIR, timeout=300, env=env)


@needs_shared
def test_cli_prints_total_first_then_top_partners_then_coverage(tmp_path):
    r = _cli(TOTALS_2022, "--reporter", "CHN", "--year", "2022", "--top", "3", store=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "value", "share", "growth"]
    assert lines[1].split()[:1] == ["TOTAL"] and "3,593,601,435,602" in lines[1] and "100.0" in lines[1]
    assert lines[2].split()[:2] == ["USA", "USA"] and "582,756,110,047" in lines[2] and lines[2].split()[-1] == "16.2"
    assert [ln.split()[0] for ln in lines[3:5]] == ["HKG", "JPN"]
    assert lines[-1] == ("coverage: 219 rows for 2022; 1 used for the total (the World row), 218 partner rows for the "
                         "breakdown; left out: none")


@needs_shared
def test_cli_csv_has_growth_where_an_earlier_year_is_held(tmp_path):
    r = _cli(THA_8542, "--reporter", "THA", "--year", "2024", "--flow", "M", "--top", "2", "--format", "csv",
             store=tmp_path)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(pd.io.common.StringIO(r.stdout), dtype={"code": str})
    assert list(df.columns) == ["code", "name", "value", "share", "growth"]
    assert df["code"].tolist() == ["TOTAL", "S19", "CHN"]
    assert df["value"].iloc[2] == pytest.approx(2_538_341_745.02, abs=0.005)   # full precision in csv
    raw = pd.read_csv(THA_8542, encoding="latin-1", index_col=False)
    w = raw[raw.partnerCode == 0].set_index("refYear")["primaryValue"]
    assert df["growth"].iloc[0] == pytest.approx((w[2024] / w[2023] - 1) * 100, abs=1e-4)
    assert r.stderr.startswith("coverage: ")


@needs_shared
def test_cli_finds_india_by_iso3_in_a_file_of_numeric_codes(tmp_path):
    f = tmp_path / "BACI_HS22_Y2023_V202501.csv"   # synthetic rows: India (699) and the USA (842)
    f.write_text("t,i,j,k,v,q\n2023,699,842,300490,100,1\n2023,699,156,300490,50,1\n2022,699,842,300490,80,1\n")
    r = _cli(f, "--reporter", "IND", "--year", "2023", "--by", "hs4", store=tmp_path / "s")
    assert r.returncode == 0, r.stderr
    row = r.stdout.splitlines()[1].split()
    assert row[0] == "TOTAL" and "150,000" in r.stdout.splitlines()[1] and row[-1] == "+87.5"


@pytest.mark.parametrize("args,expected", [
    (["--reporter", "CHN"], "tradelib records: error: records: [arguments] one of the arguments --year --period"),
    (["--reporter", "FRA", "--year", "2022"], "tradelib records: error: records: [reporter] no records for "
                                              "reporter FRA; the files hold CHN"),
    (["--reporter", "CHN", "--year", "2019"], "tradelib records: error: records: [period] no exports of CHN in "
                                              "2019; the files hold 2022"),
    (["--reporter", "CHN", "--period", "2022-13"], "tradelib records: error: period: [period] '2022-13' is not "
                                                   "a period"),
])
def test_cli_errors_are_one_line_with_status_2(tmp_path, args, expected):
    f = tmp_path / "BACI_HS22_Y2022_V202501.csv"   # synthetic rows
    f.write_text(SYNTHETIC_BACI.replace("2023,", "2022,"))
    r = _cli(f, *args, store=tmp_path / "s")
    assert r.returncode == 2
    assert r.stderr.startswith(expected) and r.stderr.count("\n") == 1, r.stderr


@needs_shared
def test_mirror_puts_china_exports_beside_partners_imports_from_china(store):
    r = query.load(TOTALS_2022, store=store)
    m = query.mirror(r, Period(2022), "CHN")
    raw = pd.read_csv(TOTALS_2022, encoding="latin-1", index_col=False)
    usa_from_chn = raw[(raw.reporterISO == "USA") & (raw.flowCode == "M") & (raw.partnerISO == "CHN")]["primaryValue"]
    assert list(m.index) == ["DEU", "USA"]                     # the partners whose own records are loaded
    assert m.loc["USA", "reported"] == 582_756_110_047
    assert m.loc["USA", "mirror"] == float(usa_from_chn.iloc[0])
    assert m.loc["USA", "gap_pct"] == pytest.approx((float(usa_from_chn.iloc[0]) / 582_756_110_047 - 1) * 100)


@needs_shared
@pytest.mark.e2e
def test_records_notebook_runs_on_the_shared_extracts(tmp_path):
    """The exploratory records notebook executes end to end and its contributions add up to growth."""
    import nbformat
    import papermill

    from tradelib.render import ensure_kernel

    out = tmp_path / "records.ipynb"
    papermill.execute_notebook(str(paths.NOTEBOOKS_DIR / "records.ipynb"), str(out), kernel_name=ensure_kernel(),
                               parameters={"records_dir": str(SHARED)}, cwd=str(paths.NOTEBOOKS_DIR),
                               progress_bar=False)
    nb = nbformat.read(str(out), as_version=4)
    texts = [o.get("data", {}).get("text/plain", "") + o.get("text", "") for c in nb.cells if c.cell_type == "code"
             for o in c.outputs]
    assert any("(np.float64(24.7086" in t and ", 24.7086" in t for t in texts)   # contributions = growth, %
    assert any("value index 0.777 = price 0.809 x volume 0.961" in t for t in texts)


def test_rca_from_synthetic_baci_rows(tmp_path):
    """Synthetic BACI rows: CHN exports 10 of chapter 85 and 10 of 01; USA exports 20 of 01 (thousands)."""
    f = tmp_path / "BACI_HS22_Y2022_V202501.csv"
    f.write_text("t,i,j,k,v,q\n2022,156,842,854143,10,1\n2022,156,842,10121,10,1\n2022,842,156,10121,20,1\n")
    out = query.rca(query.load(f, store=Store(tmp_path / "s")), Period(2022)).set_index(["reporter", "product"])
    # world: chapter 85 = 10, chapter 01 = 30, total 40. CHN 85: (10/20)/(10/40) = 2; CHN 01: (10/20)/(30/40) = 2/3
    assert out.loc[("CHN", "85"), "rca"] == pytest.approx(2.0)
    assert out.loc[("CHN", "01"), "rca"] == pytest.approx(2 / 3)
    assert out.loc[("USA", "01"), "rca"] == pytest.approx(4 / 3)


SYNTHETIC_LEGACY = (  # made-up numbers in the legacy download layout: a TOTAL row beside its chapters, the
    # EU beside its members, and a World row the partners do not quite add up to
    "Classification,Year,Period,Aggregate Level,Trade Flow,Reporter Code,Reporter ISO,Partner Code,Partner ISO,"
    "Commodity Code,Trade Value (US$)\n"
    "H5,2019,2019,0,Export,699,,0,,TOTAL,1000\n"
    "H5,2019,2019,2,Export,699,,0,,85,600\n"
    "H5,2019,2019,2,Export,699,,0,,1,380\n"
    "H5,2019,2019,0,Export,699,,842,,TOTAL,500\n"
    "H5,2019,2019,0,Export,699,,276,,TOTAL,300\n"
    "H5,2019,2019,0,Export,699,,251,,TOTAL,180\n"
    "H5,2019,2019,0,Export,699,,97,EUR,TOTAL,480\n"
)


def test_aggregates_beside_their_detail_and_groups_beside_members(tmp_path):
    f = tmp_path / "legacy.csv"
    f.write_text(SYNTHETIC_LEGACY)
    r = query.load(f, store=Store(tmp_path / "s"))
    assert query.totals(r, Period(2019), "IND", "X")["value"].iloc[0] == 1000     # the TOTAL World row only
    chapters = query.totals(r, Period(2019), "IND", "X", by="hs2").set_index("item")["value"]
    assert chapters.to_dict() == {"01": 380, "85": 600}                            # chapters, not TOTAL
    partners = query.totals(r, Period(2019), "IND", "X", by="partner").set_index("item")["value"]
    assert partners.to_dict() == {"DEU": 300, "FRA": 180, "USA": 500}             # the EU row is not a partner
    _df, line = cli.table(r, "IND", Period(2019), "X", "partner", 5)
    assert "the partners add up to 98.0% of the World row" in line


BACI_COUNTRIES = SHARED / "baci_codes_V202501" / "country_codes_V202501.csv"
COMTRADE_PARTNERS = SHARED / "comtrade_china_cipf" / "comtrade_partner_areas.csv"


@pytest.mark.skipif(not BACI_COUNTRIES.exists(), reason="the shared BACI country list is not on this machine")
def test_area_codes_agree_with_baci_and_comtrade_lists():
    from tradelib.records import areas

    own = pd.read_csv(areas.AREAS_CSV, dtype=str, keep_default_na=False)
    baci = pd.read_csv(BACI_COUNTRIES, dtype=str, keep_default_na=False).set_index("country_code")
    for r in own[own.source == "baci-countries"].itertuples():
        assert baci.loc[r.code, "country_iso3"] == r.iso3, r
    # every code BACI uses resolves to BACI's ISO3 code
    for code, row in baci.iterrows():
        assert areas.iso3(int(code)) == row.country_iso3, (code, row.country_name)
    comtrade = pd.read_csv(COMTRADE_PARTNERS, dtype=str, keep_default_na=False).set_index("PartnerCode")
    for r in own[own.source == "comtrade-areas"].itertuples():
        iso = comtrade.loc[r.code, "PartnerCodeIsoAlpha3"].strip()   # Comtrade pads "_X " and "X1 "
        assert iso in (r.iso3, "") or (r.code, iso) == ("0", "W00"), r   # World is WLD here, W00 there
    reporters = pd.read_csv(COMTRADE_PARTNERS.with_name("comtrade_reporter_areas.csv"), dtype=str,
                            keep_default_na=False).set_index("reporterCode")
    for r in own[own.source == "comtrade-reporters"].itertuples():
        assert reporters.loc[r.code, "reporterCodeIsoAlpha3"] == r.iso3, r


def _convert_in_another_process(path, root, out):
    from tradelib.records.store import Store as S

    out.put(S(root).add(path).parquet)


def test_two_processes_converting_the_same_file_leave_one_whole_copy(tmp_path):
    """Synthetic BACI rows converted by two processes at once: both get the same complete Parquet copy."""
    import multiprocessing as mp

    f = tmp_path / "BACI_HS22_Y2022_V202501.csv"
    f.write_text("t,i,j,k,v,q\n" + "".join(f"2022,156,842,{100000 + n},{n},1\n" for n in range(20000)))
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=_convert_in_another_process, args=(f, tmp_path / "store", q)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    got = {q.get(timeout=5), q.get(timeout=5)}
    assert len(got) == 1                                          # one copy, the same path for both
    assert [p.name for p in (tmp_path / "store").iterdir()] == [Path(next(iter(got))).parent.name]   # no .tmp-*
    r = query.load(f, store=Store(tmp_path / "store"))
    assert query.totals(r, Period(2022), "CHN", "X")["value"].iloc[0] == sum(range(20000)) * 1000


def test_a_utf16_file_is_refused_in_one_line(tmp_path):
    f = tmp_path / "export.csv"
    f.write_bytes("t,i,j,k,v,q\n2022,156,842,10121,1,1\n".encode("utf-16"))
    with pytest.raises(DataError, match=r"export.csv: \[encoding\] the file is binary, not a CSV export"):
        query.load(f, store=Store(tmp_path / "s"))
