"""The records briefing: golden texts on the shared real extracts, sentences that adapt (synthetic fixtures,
labelled as such), the checks of its figures against the extracts' published check values, and its errors."""
import re
from pathlib import Path

import pandas as pd
import pytest

from tradelib import markup, paths, reporter
from tradelib import records_briefing as rb
from tradelib.errors import DataError
from tradelib.period import Period
from tradelib.records import query
from tradelib.records.store import Store

GOLDEN = Path(__file__).parent / "golden"
SHARED = paths.SHARED_DATA_DIR
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="the shared real extracts are not on this machine")
TOTALS_2022 = SHARED / "comtrade_plus_totals_by_partner_2022" / "TradeData_CHN_USA_DEU_2022_totals.csv"
THA_8542 = SHARED / "comtrade_plus_tha_hs8542_2014_2024" / "TradeData_THA_M_8542_2014_2024.csv"
MINERALS = SHARED / "comtrade_china_critical_minerals_monthly" / "deep_dive_hs6_monthly.csv"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    return Store(tmp_path_factory.mktemp("store"))


def computed(files, iso3, period, store, flow=None) -> rb.Computed:
    recs = query.load(files, reporter=iso3 if flow else None, flow=flow, store=store)
    return rb.Computed(recs, reporter.load(iso3), Period.parse(period), flows=(flow,) if flow else ("X", "M"))


def plain_text(c: rb.Computed) -> str:
    """The briefing as a reader sees it: headings, sentences, table cells, chart captions (no SVG, no marks)."""
    page = markup.Markup(c)
    html = "".join(page.section(s) for s in rb.SECTIONS) + page.about()
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    html = re.sub(r'<sup class="fn">.*?</sup>', "", html)
    html = re.sub(r"</(h2|h3|p|li|tr|figcaption|div)>", "\n", html)
    html = re.sub(r"</td>", " | ", html)
    text = re.sub(r"<[^>]+>", "", html)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


GOLDENS = [("records_THA_2024.txt", [THA_8542], "THA", "2024", None),
           ("records_CHN_2022.txt", [TOTALS_2022], "CHN", "2022", None),
           ("records_CHN_2024-06.txt", [MINERALS], "CHN", "2024-06", "X"),
           ("records_CHN_2024-01..06.txt", [MINERALS], "CHN", "2024-01..06", "X")]


@needs_shared
@pytest.mark.parametrize("golden, files, iso3, period, flow", GOLDENS)
def test_golden_records_briefing(store, golden, files, iso3, period, flow):
    c = computed(files, iso3, period, store, flow)
    text = plain_text(c)
    # a file's date is when its copy was written on this machine: the golden names it, not the day
    for f in c.records.files:
        text = text.replace(f"(file dated {f.modified[:10]})", "(file dated <date of the file>)")
    assert text == (GOLDEN / golden).read_text(encoding="utf-8")


@needs_shared
def test_figures_match_the_extracts_check_values(store):
    c = computed([TOTALS_2022], "CHN", "2022", store)
    assert c.flows["X"].value.value == 3_593_601_435_602
    assert c.flows["M"].value.value == 2_715_997_517_261
    assert c.flows["X"].basis == "world row"
    assert c.source_ids == (rb.source_id(c.records.files[0]),)
    t = computed([THA_8542], "THA", "2024", store)
    assert t.flows["M"].partners.loc["CHN", "value"] == pytest.approx(2_538_341_745.02)
    assert t.scope_words("M") == "imports of electronic integrated circuits (HS 8542)"


@needs_shared
def test_contributions_add_up_to_growth_and_shares_to_the_whole(store):
    ff = computed([THA_8542], "THA", "2024", store).flows["M"]
    assert ff.partners["contribution_pp"].sum() == pytest.approx(ff.growth.value, abs=1e-9)
    assert ff.partners["value"].sum() <= ff.value.value * 1.0001     # partners add up to the World row or less
    m = computed([MINERALS], "CHN", "2024-01..06", store, "X").flows["X"]
    assert m.partners["share"].sum() == pytest.approx(100)            # no World row: the total is their sum
    assert m.products["contribution_pp"].sum() == pytest.approx(m.growth.value)


@needs_shared
def test_a_year_to_date_is_the_sum_of_its_months(store):
    c = computed([MINERALS], "CHN", "2024-01..06", store, "X")
    months = sum(computed([MINERALS], "CHN", f"2024-{m:02d}", store, "X").flows["X"].value.value for m in range(1, 7))
    assert c.flows["X"].value.value == pytest.approx(months)


# --------------------------------------------------------------------- synthetic fixtures (labelled as such)
def extract(tmp_path: Path, rows: list[tuple], name: str = "synthetic.csv") -> Path:
    """A SYNTHETIC tidy extract (period, partner, product, value): made up for these tests, not official."""
    p = tmp_path / name
    pd.DataFrame(rows, columns=["period", "partner_iso", "product", "value"]).to_csv(p, index=False)
    return p


def test_sentences_adapt_to_a_fall_a_flat_period_and_a_first_period(tmp_path):
    st = Store(tmp_path / "s")
    fall = extract(tmp_path, [("2022", "USA", "8542", 200.0), ("2022", "JPN", "8542", 100.0),
                              ("2023", "USA", "8542", 150.0), ("2023", "JPN", "8542", 90.0)], "fall.csv")
    c = computed([fall], "IND", "2023", st, "X")
    assert rb.headline(c).text.startswith("India's exports of HS 8542 came to US$240 in 2023, down 20.0% on 2022 "
                                          "(from US$300)")
    assert "fell 20.0% on 2022" in rb.lead(c)[0].text
    flat = extract(tmp_path, [("2022", "USA", "8542", 200.0), ("2023", "USA", "8542", 200.0)], "flat.csv")
    assert "flat on 2022" in rb.headline(computed([flat], "IND", "2023", st, "X")).text
    first = computed([flat], "IND", "2022", st, "X")
    assert rb.headline(first).text.endswith("The records hold no 2021 to compare with.")
    assert rb.movers(first, "X").text == "" and rb.lead(first)[0].text.endswith("in 2022.")


def test_text_from_data_is_escaped(tmp_path):
    f = tmp_path / "hostile.toml"
    f.write_text('iso3 = "IND"\nname = "<b>India</b>"\n[partners.names]\nUSA = "<script>alert(1)</script>"\n',
                 encoding="utf-8")
    data = extract(tmp_path, [("2023", "USA", "8542", 5.0), ("2023", "JPN", "8542", 7.0), ("2023", "KOR", "8542", 1.0)])
    recs = query.load([data], reporter="IND", flow="X", store=Store(tmp_path / "s"))
    c = rb.Computed(recs, reporter.load(str(f)), Period(2023), flows=("X",))
    html = "".join(markup.Markup(c).section(s) for s in rb.SECTIONS)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;India" in html


def test_a_period_not_held_and_a_month_missing_are_one_clear_error(tmp_path):
    st = Store(tmp_path / "s")
    months = extract(tmp_path, [(f"2023-{m:02d}", "USA", "8542", 1.0) for m in (1, 2, 4)], "months.csv")
    with pytest.raises(DataError, match="the records hold nothing for IND in 2019; they hold 2023-01, 2023-02, 2023-04"):
        computed([months], "IND", "2019", st, "X")
    with pytest.raises(DataError, match="January\u2013April 2023 needs every month.*hold only 2023-01, 2023-02, 2023-04"):
        computed([months], "IND", "2023-01..04", st, "X")


def test_a_reporter_needs_a_data_file_not_code(tmp_path):
    f = tmp_path / "ZZZ.toml"
    f.write_text('iso3 = "NZL"\nname = "New Zealand"\nadjective = "New Zealand"\ncurrencies = ["NZD", "USD"]\n'
                 'publisher = "Stats NZ"\n[partners.names]\nAUS = "our neighbour"\n', encoding="utf-8")
    rep = reporter.load(str(f))
    assert (rep.iso3, rep.possessive, rep.partner_names["AUS"]) == ("NZL", "New Zealand's", "our neighbour")
    data = extract(tmp_path, [("2022", "AUS", "0204", 3.0), ("2023", "AUS", "0204", 4.0)], "nz.csv")
    recs = query.load([data], reporter="NZL", flow="X", store=Store(tmp_path / "s"))
    c = rb.Computed(recs, rep, Period(2023), flows=("X",))
    assert rb.partners(c, "X").text.startswith("The only market was our neighbour (100.0%)")
    with pytest.raises(DataError, match="unknown key"):
        (tmp_path / "bad.toml").write_text('iso3 = "NZL"\nname = "NZ"\ncolour = "black"\n', encoding="utf-8")
        reporter.load(str(tmp_path / "bad.toml"))
