"""One currency per edition: rates never borrowed from the other basis, never joined to a level of another
currency; shares and contributions name their basis; a figure only in the other currency given as such."""
import re

import pytest

from tradelib import metrics, narrative, report
from tradelib.markup import AnnualMarkup
from tradelib.narrative import Narrator

from . import annual
from .test_narrative import plain

YEARS = range(2015, 2026)


def test_the_dollar_edition_does_not_set_a_yuan_contribution_against_dollar_growth(data):
    s = plain(Narrator(data, 2025, "USD").belt_and_road())
    assert s == ("Exports to Belt and Road partner countries rose 11.2% in yuan terms, contributing 5.4 percentage "
                 "points of the 6.1% growth of total exports.")
    assert "5.5%" not in s


def test_a_rate_is_never_joined_to_a_level_of_another_currency(data):
    checked = 0
    for year in YEARS:
        for cur in ("CNY", "USD"):
            nar = Narrator(data, year, cur)
            cases = [("exports", {}), ("imports", {}), ("total", {})]
            cases += [("total", {"partner": p}) for p in narrative.PARTNER_GROUPS]
            cases += [("exports", {"product": p}) for p in narrative.EXPORT_GROUPS]
            for flow, kw in cases:
                level, g = nar.figures.level_and_growth(flow, **kw)
                if level is None or g is None:
                    continue
                text, tail = nar.movement("X", level, g)
                if g.basis not in ("", level.unit):
                    checked += 1
                    assert not re.search(r"(rose|fell|was flat)[^.]* to ", plain(text)) and tail, (year, cur, flow, kw)
                    assert plain(tail).startswith({"CNY": "In yuan terms", "USD": "In dollar terms"}[g.basis])
    assert checked > 0  # the rule was exercised (e.g. 2025 imports in dollars, growth published in yuan)


def test_the_yuan_edition_prints_no_dollar_amount_next_to_the_yuan_headline(data):
    for year in YEARS:
        nar = Narrator(data, year, "CNY")
        assert "US$" not in plain(nar.headline() or ""), year
        assert "US$" not in plain(annual.key_figures(nar)), year


def test_the_key_figures_box_is_in_the_edition_currency_only(data):
    usd = plain(annual.key_figures(Narrator(data, 2025, "USD")))
    assert "yuan" not in usd and "US$6.35 trillion" in usd and "+3.2%" in usd and "+3.8%" not in usd
    cny = plain(annual.key_figures(Narrator(data, 2025, "CNY")))
    assert "45.47 trillion yuan" in cny and "+3.8%" in cny and "+3.2%" not in cny


def test_a_figure_only_in_the_other_currency_is_given_once_as_such(data):
    s = plain(Narrator(data, 2025, "CNY").partner_trade("USA"))
    assert s.startswith("Trade with the United States came to 4.01 trillion yuan, 8.8% of China's total. "
                        "In dollar terms, trade with the United States fell 18.7%, exports to the United States "
                        "fell 20% and imports from the United States fell 14.6%.")
    assert s.count("in dollar terms") + s.count("In dollar terms") == 1


def test_shares_name_the_basis_they_were_computed_on(data):
    s = plain(Narrator(data, 2025, "USD").partner_trade("USA"))
    assert "fell 18.7% to US$559.7 billion, 8.8% of China's total in yuan terms" in s


def test_the_headline_states_an_other_basis_rate_apart_from_the_level(data):
    s = plain(Narrator(data, 2023, "USD").headline())
    assert s.startswith("China's trade in goods totalled US$5.94 trillion in 2023. In yuan terms, the total rose "
                        "0.2% on 2022.")


def test_growth_rates_keep_the_precision_their_source_gave(data):
    nar = Narrator(data, 2025, "CNY")
    g = metrics.get(nar.figures.fig, 2025, "exports", "growth_yoy", partner="USA", currency="USD")
    assert g.value == -20 and nar.change(g) == "fell 20%"
    assert nar.change(metrics.get(nar.figures.fig, 2025, "total", "growth_yoy")) == "rose 3.8%"


def test_every_edition_of_every_year_keeps_to_its_currency_in_the_exports_and_imports_sentence(data):
    for year in YEARS:
        for cur, other in (("CNY", "yuan terms"), ("USD", "dollar terms")):
            s = plain(Narrator(data, year, cur).exports_imports() or "")
            # a rate of the edition's own basis is never labelled; a labelled one stands in its own sentence
            assert other not in s, (year, cur, s)
            for m in re.finditer(r"In (yuan|dollar) terms, (exports|imports) (rose|fell|was flat)", s):
                assert s[m.start() - 2:m.start()] == ". ", (year, cur, s)


@pytest.mark.parametrize("currency, first", [
    ("USD", "China's trade surplus reached a record US$1.19 trillion, above US$1 trillion for the first time."),
    ("CNY", "In dollar terms, China's trade surplus reached a record US$1.19 trillion, above US$1 trillion for the "
            "first time."),
])
def test_the_2025_lead_carries_the_record_surplus_and_the_fall_in_us_trade(data, currency, first):
    points = [plain(p) for p in Narrator(data, 2025, currency).main_points()]
    assert points[0] == first
    assert any(p.startswith("Trade with the United States fell 18.7%") for p in points)


def test_the_lead_follows_its_rules_not_a_fixed_order(data):
    # 2017: no record published, no partner moving by 10% or more held: the largest flows lead
    points = [plain(p) for p in Narrator(data, 2017, "CNY").main_points()]
    assert points[0] == "Imports rose 18.7% to 12.46 trillion yuan."
    assert "Trade in goods rose 14.2% to 27.79 trillion yuan." in points


def test_a_new_largest_export_market_needs_the_year_before_on_record(data):
    # the United States ranks first in 2024, but no rank is held for 2023: not "became"
    points = " ".join(plain(p) for p in Narrator(data, 2024, "CNY").main_points())
    assert "became China's largest export market" not in points


def test_the_balance_has_its_own_sentences(data):
    assert plain(Narrator(data, 2025, "CNY").balance_sentences()) == (
        "The trade surplus came to 8.51 trillion yuan, up from 7.06 trillion yuan in 2024. In dollar terms it was "
        "a record US$1.19 trillion, above US$1 trillion for the first time.")
    assert "surplus" not in plain(Narrator(data, 2025, "CNY").exports_imports())


def test_an_empty_section_is_left_out(data):
    page = AnnualMarkup(Narrator(data, 2025))
    assert page.section("Imports and commodities", "", None) == ""
    assert page.paragraph(None, None) == ""
    assert page.section("Outlook", "<p>x</p>").startswith("<h2>Outlook</h2>")


def test_enterprise_rates_of_the_other_basis_stand_apart_from_converted_levels(data):
    s = plain(Narrator(data, 2023, "USD").enterprises())
    assert s.startswith("Private firms traded US$3.16 trillion*, 53.5% of the total;")
    assert s.endswith("In yuan terms, trade by private firms rose 6.3%.")
    assert "trillion* (+" not in s


def test_about_names_the_release_of_the_briefing_year(data):
    about = annual.about(Narrator(data, 2023, "USD"))
    assert "as released and reported up to 2024-01-11" in about
    assert "All figures are in US dollars where they were published in US dollars." in about
    assert "<h3>Sources</h3>" in about


def test_a_share_chart_never_joins_shares_of_two_bases(data):
    # Belt and Road: 2023 share published on yuan values, 2024 on dollar values: no line joins them, and
    # neither basis alone gives three years, so the chart is left out
    nar = Narrator(data, 2024, "CNY")
    rows = metrics.select(nar.figures.fig, measure="share", flow="total", partner="BRI")
    assert set(rows[rows.year == 2023].currency) == {"CNY"} and set(rows[rows.year == 2024].currency) == {"USD"}
    assert report.partner_shares_chart(nar) is None
