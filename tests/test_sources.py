"""Loading the official figures: values as the customs published them, provenance, vintages."""
import pytest

from tradelib import fmt, metrics, sources
from tradelib.errors import DataError

from .conftest import SYNTHETIC

T = 1e12


@pytest.mark.parametrize("year,flow,value", [
    (2025, "total", 45.47), (2025, "exports", 26.99), (2025, "imports", 18.48),
    (2024, "total", 43.85), (2024, "exports", 25.45), (2024, "imports", 18.39),
    (2023, "total", 41.76), (2023, "exports", 23.77), (2023, "imports", 17.99),
    (2022, "total", 42.07), (2021, "total", 39.1), (2018, "total", 30.51), (2015, "exports", 14.14),
])
def test_headline_levels_match_the_official_values(data, year, flow, value):
    f = metrics.get(data.figures, year, flow)
    assert fmt.money(f.value, "CNY") == f"{value:.2f} trillion yuan"


@pytest.mark.parametrize("year,flow,growth", [
    (2025, "total", 3.8), (2025, "exports", 6.1), (2025, "imports", 0.5),
    (2024, "total", 5.0), (2024, "exports", 7.1), (2024, "imports", 2.3),
    (2023, "total", 0.2), (2023, "exports", 0.6), (2023, "imports", -0.3),
])
def test_reported_growth_is_used_as_published(data, year, flow, growth):
    assert metrics.get(data.figures, year, flow, "growth_yoy").value == growth


def test_every_year_2015_to_2025_has_a_headline(data):
    assert data.years == list(range(2015, 2026))


def test_dollar_figures_for_2025(data):
    usd = {f: metrics.get(data.figures, 2025, f, currency="USD").value / T for f in ("total", "exports", "imports")}
    assert usd == pytest.approx({"total": 6.35477, "exports": 3.77187, "imports": 2.5829})
    assert metrics.get(data.figures, 2025, "total", "growth_yoy", currency="USD").value == 3.2


def test_every_figure_has_a_complete_source(data):
    ids = {s for ids in data.figures.source_id for s in ids.split(";")}
    src = data.sources.set_index("source_id")
    assert ids <= set(src.index)
    for col in ("publisher", "title", "url", "accessed"):
        assert (src.loc[sorted(ids), col] != "").all(), col
    assert src.loc[sorted(ids), "url"].str.match(r"^https?://").all()


def test_a_figure_carries_its_file_line_and_quote(data):
    f = data.figures
    row = f[(f.year == 2025) & (f.flow == "total") & (f.partner == "WLD") & (f["product"] == "ALL")
            & (f.measure == "value") & (f.currency == "CNY")].iloc[0]
    assert row.line > 1 and "45" in row.quote


def test_revised_growth_is_flagged_not_refused(data):
    assert any(str(fl).startswith("2025 total WLD/ALL/ALL CNY: reported growth 3.8%") for fl in data.flags)


# ---- vintages (SYNTHETIC fixture: a year-2 figure revised by the year-3 release)

def test_latest_vintage_by_default():
    ds = sources.load(SYNTHETIC)
    assert metrics.get(ds.figures, 2023, "total").value == pytest.approx(9.8 * T)
    assert len(ds.all_vintages[(ds.all_vintages.year == 2023) & (ds.all_vintages.flow == "total")]) == 2


def test_named_vintage_gives_the_figures_as_first_released():
    ds = sources.load(SYNTHETIC, vintage="2024-01-15")
    assert metrics.get(ds.figures, 2023, "total").value == pytest.approx(10.0 * T)
    assert ds.years == [2023]


def test_unknown_vintage_is_refused_with_the_known_ones():
    with pytest.raises(DataError, match=r"no release dated 2020-01-01; known vintages: 2024-01-15, 2025-01-15"):
        sources.load(SYNTHETIC, vintage="2020-01-01")


def test_growth_on_a_revised_base_is_consistent():
    ds = sources.load(SYNTHETIC)
    assert ds.flags == []  # 6.49 / 5.90 = +10.0%, as reported on the revised base
