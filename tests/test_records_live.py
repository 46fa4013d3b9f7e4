"""Live UN Comtrade data: requests, the cache, failures — all offline, on recorded (synthetic) answers.

The client's calls are replaced by stubs that build DataFrames from fixtures as the client does; a guard makes
any use of urllib3 (the client's HTTP library) fail the test.
"""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import comtradeapicall
import pandas as pd
import pytest
import urllib3

from tradelib import paths
from tradelib.errors import TradelibError
from tradelib.records import live, readers

from .conftest import SYNTHETIC

API = SYNTHETIC / "comtrade_api"
REAL_TOTALS = paths.SHARED_DATA_DIR / "comtrade_plus_totals_by_partner_2022" / "TradeData_CHN_USA_DEU_2022_totals.csv"
REPORTER_LIST = paths.SHARED_DATA_DIR / "comtrade_china_cipf" / "comtrade_reporter_areas.csv"


# ---------------------------------------------------------------------------------------------------------
# No network: every test runs with urllib3 disabled; using it records the call and fails the test.

@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    used: list[str] = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            used.append(name)
            raise RuntimeError(f"network use in an offline test: urllib3.{name}")
        return _refuse

    monkeypatch.setattr(urllib3, "PoolManager", refuse("PoolManager"))
    monkeypatch.setattr(urllib3, "ProxyManager", refuse("ProxyManager"))
    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "urlopen", refuse("urlopen"))
    monkeypatch.delenv(live.KEY_ENV, raising=False)
    monkeypatch.delenv(live.CACHE_ENV, raising=False)
    yield used
    assert not used, f"the test used the network: {used}"


class Client:
    """Stands in for comtradeapicall's previewFinalData and getFinalData; counts calls, keeps arguments."""

    def __init__(self, monkeypatch, answer=None, printed: str = ""):
        self.answer = answer
        self.printed = printed
        self.calls: list[tuple[str, tuple, dict]] = []
        monkeypatch.setattr(comtradeapicall, "previewFinalData", self._preview)
        monkeypatch.setattr(comtradeapicall, "getFinalData", self._full)

    def _answer(self):
        if self.printed:
            print(self.printed)  # as the client does on an HTTP error, before returning None
        return self.answer() if callable(self.answer) else self.answer

    def _preview(self, *args, **kwargs):
        self.calls.append(("preview", args, kwargs))
        return self._answer()

    def _full(self, *args, **kwargs):
        self.calls.append(("full", args, kwargs))
        return self._answer()


def recorded(name: str) -> pd.DataFrame:
    """A recorded answer turned into a DataFrame the way comtradeapicall does it."""
    body = json.loads((API / name).read_text(encoding="utf-8"))
    return pd.json_normalize(body["data"])


def read_cached(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------------------------------------------------
# A fetch and its cache entry

def test_preview_answer_is_cached_as_comtrade_plus_csv_with_sidecar(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    before = datetime.now(timezone.utc).replace(microsecond=0)
    path = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)

    assert [c for c, _, _ in client.calls] == ["preview"]
    sent = client.calls[0][2]
    assert (sent["reporterCode"], sent["period"], sent["flowCode"], sent["cmdCode"], sent["clCode"],
            sent["freqCode"], sent["typeCode"], sent["partnerCode"], sent["maxRecords"]) == \
        ("156", "2022", "X", "TOTAL", "HS", "A", "C", None, 500)

    assert path.parent == tmp_path and path.suffix == ".csv"
    assert files_in(tmp_path) == sorted([path.name, path.with_suffix(".json").name])
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == live.COMTRADE_PLUS_COLUMNS and len(header) == 47

    rows = read_cached(path)
    assert list(rows["partnerCode"]) == ["0", "842", "490", "384"]
    assert list(rows["primaryValue"]) == ["700000000", "400000000", "250000000", "50000000"]
    assert rows.loc[3, "partnerDesc"] == "Côte d'Ivoire"  # UTF-8 kept
    assert list(rows["netWgt"]) == ["0", "1234.5", "0", "0"]  # fractions kept, whole numbers without ".0"
    assert rows.loc[0, "isOriginalClassification"] == "true" and rows.loc[0, "isReported"] == "false"
    assert rows.loc[0, "cifvalue"] == ""  # null stays empty

    meta = live.sidecar(path)
    assert meta["endpoint"] == "preview" and meta["function"] == "previewFinalData"
    assert meta["asked"] == {"reporter": "CHN", "period": "2022", "flow": "X", "partner": None, "cmd": "TOTAL",
                             "freq": None, "classification": "HS"}
    assert meta["query"]["reporterCode"] == "156" and meta["query"]["breakdownMode"] == "classic"
    assert (meta["records"], meta["cap"], meta["capped"], meta["csv"]) == (4, 500, False, path.name)
    when = datetime.strptime(meta["retrieved_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before <= when <= datetime.now(timezone.utc)


def test_repeat_call_is_served_from_the_cache_and_refresh_asks_again(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    first = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    stamp = live.sidecar(first)["retrieved_utc"]
    # the same request written differently: numeric reporter, period as text, lower-case flow
    again = live.fetch(156, "2022", flow="x", cache_dir=tmp_path)
    assert again == first and len(client.calls) == 1
    assert live.sidecar(again)["retrieved_utc"] == stamp

    other = live.fetch("CHN", 2022, flow="M", cache_dir=tmp_path)  # a different request, a different file
    assert other != first and len(client.calls) == 2

    live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path, refresh=True)
    assert len(client.calls) == 3
    assert len(files_in(tmp_path)) == 4  # two entries of csv + json, no temporary files


def test_cache_folder_defaults_and_environment(monkeypatch, tmp_path):
    Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert live.default_cache_dir() == tmp_path / "home" / ".cache" / "tradelib" / "comtrade"
    monkeypatch.setenv(live.CACHE_ENV, str(tmp_path / "cache"))
    path = live.fetch("CHN", 2022, flow="X")
    assert path.parent == tmp_path / "cache" / "comtrade"


def test_key_selects_the_full_api_and_is_never_written(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    preview = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    monkeypatch.setenv(live.KEY_ENV, "k3y-from-env-0123")
    full = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    assert [c for c, _, _ in client.calls] == ["preview", "full"]
    assert client.calls[1][1] == ("k3y-from-env-0123",) and client.calls[1][2]["maxRecords"] == live.FULL_CAP
    assert full != preview  # a preview answer does not stand in for the full one
    meta = live.sidecar(full)
    assert (meta["endpoint"], meta["function"], meta["cap"]) == ("full", "getFinalData", 250_000)

    live.fetch("USA", 2022, flow="M", cache_dir=tmp_path, key="k3y-argument-4567")
    assert client.calls[2][1] == ("k3y-argument-4567",) and client.calls[2][2]["reporterCode"] == "842"
    for f in tmp_path.iterdir():
        text = f.read_text(encoding="utf-8")
        assert "k3y-" not in text, f.name


def test_reaching_the_preview_limit_warns_in_one_line(monkeypatch, tmp_path):
    one = recorded("preview_exports_by_partner.json").iloc[[1]]
    capped = pd.concat([one] * 500, ignore_index=True)
    capped["partnerCode"] = range(1, 501)
    Client(monkeypatch, capped)
    with pytest.warns(live.TruncatedWarning) as caught:
        path = live.fetch("CHN", 2022, cache_dir=tmp_path)
    message = str(caught[0].message)
    assert "\n" not in message
    assert message.startswith("UN Comtrade returned 500 records, the most one call gives, for all flows of CHN "
                              "(156) with all partners, 2022, HS TOTAL (preview API): the answer may be "
                              "truncated; set COMTRADE_API_KEY to a UN Comtrade subscription key")
    meta = live.sidecar(path)
    assert (meta["records"], meta["capped"]) == (500, True)
    assert len(read_cached(path)) == 500
    with pytest.warns(live.TruncatedWarning):  # still said when the answer comes from the cache
        live.fetch("CHN", 2022, cache_dir=tmp_path)


# ---------------------------------------------------------------------------------------------------------
# Failures: one line, nothing cached, an earlier entry kept

def test_http_error_becomes_one_line_naming_the_request(monkeypatch, tmp_path):
    monkeypatch.setenv(live.KEY_ENV, "bad-k3y-999")
    Client(monkeypatch, None, printed=(API / "error_401.txt").read_text(encoding="utf-8"))
    with pytest.raises(live.LiveDataError) as err:
        live.fetch("IND", 2022, flow="M", cache_dir=tmp_path)
    message = str(err.value)
    assert isinstance(err.value, TradelibError) and "\n" not in message
    assert message.startswith("UN Comtrade did not answer for imports of IND (699) with all partners, 2022, "
                              "HS TOTAL (full API): { \"statusCode\": 401, \"message\": \"Access denied")
    assert message.endswith("; check the subscription key in COMTRADE_API_KEY")
    assert files_in(tmp_path) == []


def test_network_error_names_the_network_and_hides_the_key(monkeypatch, tmp_path):
    printed = ("Request error: HTTPSConnectionPool(host='comtradeapi.un.org', port=443): Max retries exceeded "
               "with url: /data/v1/get/C/A/HS?reportercode=156&subscription-key=s3cret-k3y (Caused by "
               "NameResolutionError(\"Failed to resolve 'comtradeapi.un.org'\"))")
    Client(monkeypatch, None, printed=printed)
    with pytest.raises(live.LiveDataError) as err:
        live.fetch("CHN", 2022, cache_dir=tmp_path, key="s3cret-k3y")
    message = str(err.value)
    assert "s3cret-k3y" not in message and "subscription-key=***" in message
    assert message.endswith("; check the network connection (comtradeapi.un.org must be reachable)")
    assert files_in(tmp_path) == []


def test_exception_inside_the_client_becomes_one_line(monkeypatch, tmp_path):
    def broken():
        raise KeyError("data")  # the client indexes the JSON answer without checking
    Client(monkeypatch, broken)
    with pytest.raises(live.LiveDataError, match=r"^UN Comtrade did not answer for all flows of CHN \(156\) .*"
                       r"\(preview API\): KeyError: 'data'; check the reporter, period and product codes and "
                       r"the network, then try again$"):
        live.fetch("CHN", 2022, cache_dir=tmp_path)
    assert files_in(tmp_path) == []


def test_empty_answer_is_an_error_and_not_cached(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("empty.json"))
    for _ in range(2):
        with pytest.raises(live.LiveDataError, match=r"^UN Comtrade has no records for exports of CHN \(156\) "
                           r"with all partners, 2031, HS TOTAL \(preview API\): check the codes"):
            live.fetch("CHN", 2031, flow="X", cache_dir=tmp_path)
    assert len(client.calls) == 2  # asked again: nothing was cached
    assert files_in(tmp_path) == []


def test_answer_without_trade_fields_is_refused(monkeypatch, tmp_path):
    Client(monkeypatch, pd.DataFrame({"count": [12]}))
    with pytest.raises(live.LiveDataError, match=r"is not trade records \(no reporterCode, flowCode, partnerCode, "
                       r"cmdCode, period, primaryValue\)"):
        live.fetch("CHN", 2022, cache_dir=tmp_path)
    assert files_in(tmp_path) == []


def test_failed_refresh_keeps_the_earlier_answer(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    path = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    before = {f.name: f.read_bytes() for f in tmp_path.iterdir()}
    client.answer, client.printed = None, '{"statusCode": 429, "message": "Rate limit is exceeded."}'
    with pytest.raises(live.LiveDataError, match="wait a minute and try again$"):
        live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path, refresh=True)
    assert {f.name: f.read_bytes() for f in tmp_path.iterdir()} == before
    assert live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path) == path


def test_interrupted_write_leaves_no_files(monkeypatch, tmp_path):
    Client(monkeypatch, recorded("preview_exports_by_partner.json"))

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(live.os, "replace", full_disk)
    with pytest.raises(live.LiveDataError, match=r"^cannot write the cache folder .* \(No space left on device\): "
                       r"set TRADELIB_CACHE to a writable folder, or pass cache_dir$"):
        live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    assert files_in(tmp_path) == []  # no temporary file left behind


def test_refresh_interrupted_between_renames_leaves_no_stale_entry(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    path = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    real_replace, done = live.os.replace, []

    def fail_second(src, dst):
        if done:
            raise OSError(5, "Input/output error")
        done.append(dst)
        real_replace(src, dst)
    monkeypatch.setattr(live.os, "replace", fail_second)
    client.answer = recorded("preview_exports_by_partner.json").iloc[:2]
    with pytest.raises(live.LiveDataError, match="Input/output error"):
        live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path, refresh=True)
    assert files_in(tmp_path) == [path.name]  # the new CSV without a sidecar: not an entry
    monkeypatch.setattr(live.os, "replace", real_replace)
    assert live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path) == path
    assert len(client.calls) == 3 and live.sidecar(path)["records"] == len(read_cached(path)) == 2


def test_entry_without_sidecar_is_not_used(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    path = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    path.with_suffix(".json").unlink()
    path.write_text("typeCode\n", encoding="utf-8")  # a left-over, incomplete file
    assert live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path) == path
    assert len(client.calls) == 2 and len(read_cached(path)) == 4


# ---------------------------------------------------------------------------------------------------------
# Arguments

@pytest.mark.parametrize(("args", "message"), [
    (dict(reporter="XYZ", period=2022), "unknown reporter 'XYZ': give an ISO3 code, a country name "
                                         "or UN Comtrade's numeric code"),
    (dict(reporter="CHN", period=2022, partner="Atlantis"), "unknown partner 'Atlantis': give an ISO3 code"),
    (dict(reporter="CHN", period="22"), "period '22' is not a year or a month: write it as 2022 or 2022-06"),
    (dict(reporter="CHN", period="2022-13"), "period '2022-13' is not a year or a month"),
    (dict(reporter="CHN", period="2022-06", freq="A"), "period '2022-06' is a month but the frequency is annual"),
    (dict(reporter="CHN", period=2022, freq="M"), "period '2022' is a year but the frequency is monthly: "
                                                   "give a month as YYYY-MM, or freq='A'"),
    (dict(reporter="CHN", period=2022, flow="E"), "unknown flow E: use X (exports), M (imports) or one of X, M, "),
    (dict(reporter="CHN", period=2022, cmd="27;28"), "product '27;28' is not a UN Comtrade code: use e.g. TOTAL"),
    (dict(reporter="CHN", period=2022, classification="HS2022"), "classification 'HS2022' is not a UN Comtrade "
                                                                 "code: use e.g. HS, H6 or S4"),
])
def test_bad_arguments_fail_before_any_call(monkeypatch, tmp_path, args, message):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    with pytest.raises(live.LiveDataError) as err:
        live.fetch(cache_dir=tmp_path, **args)
    assert str(err.value).startswith(message)
    assert client.calls == [] and files_in(tmp_path) == []


def test_monthly_request_and_partner_codes(monkeypatch, tmp_path):
    client = Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    live.fetch("THA", "2024-03", flow="M", partner="WLD", cmd="8542", classification="H6", cache_dir=tmp_path)
    sent = client.calls[0][2]
    assert (sent["period"], sent["freqCode"], sent["reporterCode"], sent["partnerCode"], sent["cmdCode"],
            sent["clCode"]) == ("202403", "M", "764", "0", "8542", "H6")


def test_comtrade_codes_for_iso3_including_comtrade_exceptions():
    expected = {"USA": 842, "IND": 699, "FRA": 251, "CHE": 757, "NOR": 579, "S19": 490, "CHN": 156,
                "WLD": 0, "W00": 0, "usa": 842, "United States": 842}
    assert {iso: live.area_code(iso) for iso in expected} == expected
    assert live.area_code(699) == 699 and live.area_code("0") == 0


@pytest.mark.skipif(not REPORTER_LIST.exists(), reason="shared Comtrade reporter list not available")
def test_every_current_comtrade_reporter_resolves_from_its_iso3():
    """UN Comtrade's own reporter list (read in place): each current reporter's ISO3 gives its numeric code."""
    reporters = pd.read_csv(REPORTER_LIST, dtype=str, keep_default_na=False)
    current = reporters[(reporters["entryExpiredDate"] == "") & (reporters["isGroup"] == "False")
                        & (reporters["reporterCodeIsoAlpha3"] != "")]
    assert len(current) > 200
    expected = dict(zip(current["reporterCodeIsoAlpha3"], current["reporterCode"].astype(int)))
    assert {iso: live.area_code(iso) for iso in expected} == expected
    assert expected["DEU"] == 276 and expected["IND"] == 699  # not the former 280 / 356


# ---------------------------------------------------------------------------------------------------------
# A real answer through the cache

def _as_api_answer(extract: pd.DataFrame) -> pd.DataFrame:
    """Rows of a Comtrade Plus download typed as the API's JSON gives them (numbers, true/false, null)."""
    out = pd.DataFrame(index=extract.index)
    for col in extract.columns:
        s = extract[col]
        if s.isin(["true", "false"]).all():
            out[col] = s == "true"
        elif s.str.fullmatch(r"-?\d+(\.\d+)?|").all() and col not in ("period", "mosCode", "cmdCode"):
            out[col] = pd.to_numeric(s.replace("", None)).astype(object).where(s != "", None)
        else:
            out[col] = s.where(s != "", None)
    return out.reset_index(drop=True)


@pytest.mark.skipif(not REAL_TOTALS.exists(), reason="shared Comtrade Plus extract not available")
@pytest.mark.filterwarnings("ignore:Length of header:pandas.errors.ParserWarning")  # the trailing commas
def test_real_china_exports_2022_round_trip_through_the_cache(monkeypatch, tmp_path):
    # Read in place (Latin-1, a trailing comma on each row), never copied into the project.
    extract = pd.read_csv(REAL_TOTALS, encoding="latin-1", index_col=False, dtype=str, keep_default_na=False)
    china_x = extract[(extract["reporterCode"] == "156") & (extract["flowCode"] == "X")]
    answer = _as_api_answer(china_x)
    assert answer.loc[answer["partnerCode"] == 0, "primaryValue"].tolist() == [3593601435602]
    Client(monkeypatch, answer)

    path = live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    cached = read_cached(path)
    assert tuple(cached.columns) == live.COMTRADE_PLUS_COLUMNS
    world = cached[cached["partnerCode"] == "0"]
    assert world["primaryValue"].tolist() == ["3593601435602"]  # 3,593,601,435,602 USD, digit for digit
    assert world["partnerDesc"].tolist() == ["World"]
    assert len(cached) == len(china_x) == live.sidecar(path)["records"]
    # every column and every cell as the download has it (bar Latin-1 → UTF-8)
    pd.testing.assert_frame_equal(cached, china_x[list(live.COMTRADE_PLUS_COLUMNS)].reset_index(drop=True))
    assert any("ô" in d or "ç" in d or "ü" in d for d in cached["partnerDesc"])

    fmt, rows = readers.read(path)  # the records reader takes the cached answer like a downloaded file
    world_rows = rows[rows["partner_kind"] == "world"]
    assert fmt == "comtrade_plus" and len(rows) == len(china_x)
    assert world_rows[["reporter", "flow", "period", "value_usd"]].astype(object).values.tolist() == \
        [["CHN", "X", "2022", 3_593_601_435_602.0]]


def test_cached_answer_reads_with_the_records_reader(monkeypatch, tmp_path):
    Client(monkeypatch, recorded("preview_exports_by_partner.json"))
    fmt, rows = readers.read(live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path))
    assert fmt == "comtrade_plus"
    got = rows[["reporter", "partner", "partner_kind", "flow", "period", "product", "value_usd"]]
    assert got.astype(object).values.tolist() == [
        ["CHN", "WLD", "world", "X", "2022", "TOTAL", 700_000_000.0],
        ["CHN", "USA", "country", "X", "2022", "TOTAL", 400_000_000.0],
        ["CHN", "S19", "other", "X", "2022", "TOTAL", 250_000_000.0],
        ["CHN", "CIV", "country", "X", "2022", "TOTAL", 50_000_000.0]]
    assert rows["source_line"].tolist() == [2, 3, 4, 5]


def test_guard_catches_an_unstubbed_client(no_network, tmp_path):
    """Without a stub the client would reach for urllib3: the guard stops it and the fetch fails in one line."""
    with pytest.raises(live.LiveDataError, match=r"network use in an offline test: urllib3.PoolManager"):
        live.fetch("CHN", 2022, flow="X", cache_dir=tmp_path)
    assert no_network == ["PoolManager"]
    no_network.clear()  # seen; the fixture's check would otherwise fail this test
    assert files_in(tmp_path) == []


def test_a_records_briefing_from_the_live_api(monkeypatch, tmp_path):
    """LIVE=1: the briefing's records are fetched (the period by partner and by chapter; the year before where
    published) and cached, then computed like files. Recorded answers only (SYNTHETIC values)."""
    from tradelib import records_briefing as rb
    from tradelib import render, reporter
    from tradelib.period import Period
    from tradelib.records import query
    from tradelib.records.store import Store

    monkeypatch.setenv(live.CACHE_ENV, str(tmp_path / "cache"))
    by_partner = recorded("preview_exports_by_partner.json")
    by_chapter = by_partner[by_partner["partnerCode"] == 0].assign(cmdCode="85", aggrLevel=2,
                                                                    cmdDesc="Electrical machinery")
    asked = []

    def preview(*args, **kw):
        asked.append((kw["period"], kw["cmdCode"], kw["partnerCode"]))
        if kw["period"] != "2022":
            return pd.DataFrame()          # nothing published for 2021: no growth, not an error
        return by_partner if kw["cmdCode"] == "TOTAL" else by_chapter

    monkeypatch.setattr(comtradeapicall, "previewFinalData", preview)
    files = render.live_records("CHN", Period(2022), ("X",))
    assert asked == [("2022", "TOTAL", None), ("2022", "AG2", "0"), ("2021", "TOTAL", None), ("2021", "AG2", "0")]
    assert len(files) == 2
    c = rb.Computed(query.load(files, store=Store(tmp_path / "s")), reporter.load("CHN"), Period(2022), flows=("X",))
    assert c.flows["X"].value.value == 700_000_000 and c.flows["X"].growth is None
    assert list(c.flows["X"].partners.index[:2]) == ["USA", "S19"]
    assert render.live_records("CHN", Period(2022), ("X",)) == files     # served from the cache
    assert len(asked) == 6                                                # only the unpublished year asked again
