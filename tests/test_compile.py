"""The compilation as code: source kinds by domain, and the rules that settle sightings into figures."""
import shutil

import pandas as pd
import pytest

from tradelib import compile as comp
from tradelib import paths
from tradelib.errors import DataError
from tradelib.sources import FIGURE_COLUMNS, KEY, SOURCE_COLUMNS, read_csv_rows


# ---------------------------------------------------------------- domains
def test_every_source_domain_is_classified_and_each_domain_has_one_kind():
    domains = comp.load_domains()
    sources = read_csv_rows(paths.SOURCES_CSV, SOURCE_COLUMNS, optional=("seen_at",))
    kinds_by_domain: dict[str, set] = {}
    for r in sources.itertuples():
        d = comp.domain_of(r.url, domains)
        assert d is not None, f"{r.source_id}: {r.url} has no entry in domains.csv"
        assert r.kind == d.kind, f"{r.source_id} is {r.kind} but {d.domain} is {d.kind}"
        kinds_by_domain.setdefault(d.domain, set()).add(r.kind)
    assert all(len(k) == 1 for k in kinds_by_domain.values())


@pytest.mark.parametrize("url, kind", [
    ("http://english.customs.gov.cn/Statics/69c74e88.html", "official"),
    ("http://english.scio.gov.cn/pressroom/2026-01/28/content_118304543.html", "official"),
    ("https://english.news.cn/20240112/654914baa3a941e683266d1156de66af/c.html", "news"),
    ("https://www.chinadaily.com.cn/a/202601/14/WS6967bc6ca310d6866eb33c11.html", "news"),
    ("http://www.syxj.com.cn/a/202601/14/WS6967bc6ca310d6866eb33c11.html", "other"),  # a China Daily mirror
    ("http://www.food-lube.com.cn/?p=3643", "other"),  # a lubricants firm
    ("http://www.gmrcb.cn/rencaizhaopin/22249.html", "other"),  # a job-listings site
    ("https://mcdn.i-scmp.com/tech/article/3294570", "news"),
])
def test_domain_kinds(url, kind):
    assert comp.domain_of(url, comp.load_domains()).kind == kind


def test_no_cited_source_is_other(data):
    kinds = dict(zip(data.sources.source_id, data.sources.kind))
    for table in (data.all_vintages, data.indicators):
        for ids in table.source_id:
            assert all(kinds[s] in comp.CITABLE for s in ids.split(";")), ids


def test_mirrors_cite_the_original_and_keep_the_copy_read(data):
    s = data.sources.set_index("source_id")
    assert s.loc["seed-01", "url"] == "https://www.chinadaily.com.cn/a/202601/14/WS6967bc6ca310d6866eb33c11.html"
    assert s.loc["seed-01", "seen_at"] == "http://www.syxj.com.cn/a/202601/14/WS6967bc6ca310d6866eb33c11.html"
    assert s.loc["seed-01", "kind"] == "news"


def test_an_unknown_domain_is_refused(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, folder)
    src = (folder / "sources.csv").read_text(encoding="utf-8")
    (folder / "sources.csv").write_text(src + "x-1,Somebody,Title,https://unheard-of.example/p,,2026-11-29,news,\n",
                                        encoding="utf-8")
    with pytest.raises(DataError, match=r"unheard-of\.example.*not in domains\.csv"):
        comp.compile_data(folder)


# ---------------------------------------------------------------- settling rules (synthetic sightings)
KINDS = {"off": "official", "news1": "news", "news2": "news", "farm1": "other", "farm2": "other", "farm3": "other"}


def sighting(value, unit, source, quote="", ruling="", note="", measure="value", currency="CNY"):
    return {"year": "2030", "flow": "total", "partner": "WLD", "product": "ALL", "enterprise": "ALL",
            "measure": measure, "value": value, "unit": unit, "currency": currency, "source_id": source,
            "vintage": "2031-01-14", "note": note, "quote": quote, "ruling": ruling}


def settle(*rows):
    return comp.settle(pd.DataFrame(rows), KINDS, KEY, FIGURE_COLUMNS)


def test_agreeing_sightings_keep_the_most_precise_citable_value_official_source_first():
    s = settle(sighting("45.47", "trillion", "news1", quote="45.47 trillion yuan"),
               sighting("454687.3", "100 million", "off", quote="454687.3"),
               sighting("454687.31", "100 million", "farm1"))
    (kept,) = s.kept
    assert (kept["value"], kept["unit"], kept["source_id"]) == ("454687.3", "100 million", "off;news1")
    assert kept["quote"] == "454687.3"
    assert s.conflicts == [] and s.uncited == []


def test_a_figure_seen_only_on_other_pages_is_not_kept():
    s = settle(sighting("6.35", "trillion", "farm1"), sighting("6.35", "trillion", "farm2"))
    assert s.kept == []
    assert [(u["value"], u["source_id"]) for u in s.uncited] == [("6.35", "farm1"), ("6.35", "farm2")]


def test_the_higher_ranked_publisher_wins_over_more_pages():
    s = settle(sighting("3.96", "trillion", "farm1"), sighting("3.96", "trillion", "farm2"),
               sighting("3.96", "trillion", "farm3"), sighting("3.69", "trillion", "news1"))
    assert s.kept[0]["value"] == "3.69"
    assert {c["source_other"] for c in s.conflicts} == {"farm1", "farm2", "farm3"}
    assert all(c["settled"] == comp.RULE_RANK for c in s.conflicts)


def test_among_equal_ranks_more_citable_pages_win_then_precision_then_order():
    s = settle(sighting("5.3", "trillion", "news1"), sighting("4.36", "trillion", "news2"),
               sighting("4.36", "trillion", "off"), sighting("5.3", "trillion", "farm1"))
    assert s.kept[0]["value"] == "4.36"  # the official page outranks
    s = settle(sighting("5.3", "trillion", "news1"), sighting("4.36", "trillion", "news2"),
               sighting("4.36", "trillion", "news1"))
    assert s.kept[0]["value"] == "4.36" and s.conflicts[0]["settled"] == "kept the figure that 2 citable sources give"
    s = settle(sighting("13.9", "trillion", "news1"), sighting("13.76", "trillion", "news2"))
    assert s.kept[0]["value"] == "13.76" and s.conflicts[0]["settled"] == comp.RULE_PRECISE
    s = settle(sighting("13.83", "trillion", "news1"), sighting("13.76", "trillion", "news2"))
    assert s.kept[0]["value"] == "13.83" and s.conflicts[0]["settled"] == comp.RULE_ORDER


def test_a_ruling_sets_a_sighting_aside_with_its_reason():
    s = settle(sighting("3.59", "trillion", "news1", currency="USD"),
               sighting("3.95", "trillion", "news2", currency="USD", ruling="left out: transposed digits"))
    assert s.kept[0]["value"] == "3.59"
    (c,) = s.conflicts
    assert (c["value_kept"], c["value_other"], c["settled"]) == ("3.59 trillion", "3.95", "left out: transposed digits")


def test_values_agree_within_the_rounding_of_the_coarser():
    assert comp.Value("3.69", "trillion").agrees(comp.Value("36900.5", "100 million"))
    assert not comp.Value("3.69", "trillion").agrees(comp.Value("3.96", "trillion"))
    assert comp.Value("2.9", "trillion").agrees(comp.Value("2.87", "trillion"))
    assert not comp.Value("479.5", "billion units").agrees(comp.Value("479.5", "billion"))  # count is not money


def test_make_data_reproduces_the_committed_files(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, folder)
    comp.compile_data(folder)
    for name in ("figures.csv", "indicators.csv", "conflicts.csv", "uncited.csv", "sources.csv"):
        assert (folder / name).read_text(encoding="utf-8") == (paths.DATA_DIR / name).read_text(encoding="utf-8"), \
            f"{name} is out of date: run make data"


def test_a_sighting_names_one_source(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, folder)
    text = (folder / "sightings.csv").read_text(encoding="utf-8").splitlines()
    parts = text[1].split(",")
    parts[9] = parts[9] + ";headline_b-01"
    text[1] = ",".join(parts)
    (folder / "sightings.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"sightings\.csv line 2: \[one source\]"):
        comp.compile_data(folder)
