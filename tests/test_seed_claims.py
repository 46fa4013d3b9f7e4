"""Every quantitative claim of the seed article (China Daily, 14 January 2026) is backed by a loaded figure."""
import pytest

from tradelib import metrics

T = 1e12

# (claim as the article words it, selector, expected value in the figure's unit)
CLAIMS = [
    ("total 45.47 trillion yuan", dict(year=2025, flow="total"), 45.47 * T),
    ("total up 3.8 percent", dict(year=2025, flow="total", measure="growth_yoy"), 3.8),
    ("a historic high", dict(year=2025, flow="total", measure="record_high"), 1),
    ("world's largest trader in goods", dict(year=2025, flow="total", measure="rank_world", currency=None), 1),
    ("exports 26.99 trillion yuan", dict(year=2025, flow="exports"), 26.99 * T),
    ("exports up 6.1 percent", dict(year=2025, flow="exports", measure="growth_yoy"), 6.1),
    ("high-tech exports 5.25 trillion yuan", dict(year=2025, flow="exports", product="HIGH_TECH"), 5.25 * T),
    ("high-tech exports up 13.2 percent", dict(year=2025, flow="exports", product="HIGH_TECH", measure="growth_yoy"), 13.2),
    ("new trio up 27.1 percent", dict(year=2025, flow="exports", product="NEW_TRIO", measure="growth_yoy"), 27.1),
    ("wind turbines up 48.7 percent", dict(year=2025, flow="exports", product="WIND_TURBINES", measure="growth_yoy"), 48.7),
    ("Belt and Road exports up 11.2 percent", dict(year=2025, flow="exports", partner="BRI", measure="growth_yoy"), 11.2),
    ("contributing 5.4 percentage points", dict(year=2025, flow="exports", partner="BRI", measure="contribution_pp"), 5.4),
    ("ASEAN largest export market", dict(year=2025, flow="exports", partner="ASEAN", measure="rank", currency=None), 1),
    ("for three consecutive years", dict(year=2025, flow="exports", partner="ASEAN", measure="consecutive_years_rank1",
                                         currency=None), 3),
    ("imports 18.48 trillion yuan", dict(year=2025, flow="imports"), 18.48 * T),
    ("imports up 0.5 percent", dict(year=2025, flow="imports", measure="growth_yoy"), 0.5),
    ("around 10 percent of global imports", dict(year=2025, flow="imports", measure="share_world", currency=None), 10),
] + [
    (f"exports to {p} grew faster than the overall export average",
     dict(year=2025, flow="exports", partner=p, measure="growth_above_total"), 1)
    for p in ("LATAM", "MIDDLE_EAST", "CENTRAL_ASIA", "AFRICA")
]


@pytest.mark.parametrize("claim,sel,expected", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_claim_has_a_figure_with_a_source(data, claim, sel, expected):
    sel = dict(sel)
    year, flow = sel.pop("year"), sel.pop("flow")
    measure = sel.pop("measure", "value")
    f = metrics.get(data.figures, year, flow, measure, **{"currency": "CNY", **sel})
    assert f is not None, claim
    assert f.value == pytest.approx(expected, rel=1e-3), claim
    assert f.source_ids and all(data.source(s)["url"].startswith("http") for s in f.source_ids)


@pytest.mark.parametrize("name,value", [("population", 1.4e9), ("middle_income_population", 400e6),
                                        ("consumer_market_size", 50e12)])
def test_domestic_market_claims(data, name, value):
    ind = data.indicators
    row = ind[(ind.indicator == name) & (ind.year == 2025)]
    assert len(row) == 1
    assert row.iloc[0].amount == pytest.approx(value, rel=0.01)


def test_the_dollar_equivalent_of_the_total_is_published(data):
    # the article's "$6.5 trillion" is its own conversion; the customs' dollar total is US$6.35 trillion
    assert metrics.get(data.figures, 2025, "total", currency="USD").value == pytest.approx(6.35477 * T)
