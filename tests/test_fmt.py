"""Typography of numbers: one formatter for text, tables and chart labels."""
import pytest

from tradelib import fmt

MINUS = "\u2212"


@pytest.mark.parametrize("amount,currency,text", [
    (45.47e12, "CNY", "45.47 trillion yuan"),
    (26.99e12, "CNY", "26.99 trillion yuan"),
    (6.35477e12, "USD", "US$6.35 trillion"),
    (992.1e9, "USD", "US$992.1 billion"),
    (-8.51e12, "CNY", f"{MINUS}8.51 trillion yuan"),
    (-1.189e12, "USD", f"{MINUS}US$1.19 trillion"),
    (674.15e9, "CNY", "674.2 billion yuan"),
])
def test_money(amount, currency, text):
    assert fmt.money(amount, currency) == text


def test_money_fixed_scale_and_decimals():
    assert fmt.money(50e12, "CNY", decimals=0) == "50 trillion yuan"
    assert fmt.money(45e12, "CNY", decimals=0) == "45 trillion yuan"


def test_money_short_for_charts():
    assert fmt.money_short(45.47e12, "CNY") == "¥45.47tn"
    assert fmt.money_short(20e12, "CNY", decimals=0) == "¥20tn"
    assert fmt.money_short(-1.19e12, "USD") == f"{MINUS}US$1.19tn"


@pytest.mark.parametrize("x,text", [(3.8, "3.8%"), (-0.3, f"{MINUS}0.3%"), (-0.04, "0.0%"), (0.0, "0.0%"),
                                    (13.24, "13.2%")])
def test_percent_never_negative_zero(x, text):
    assert fmt.percent(x) == text


@pytest.mark.parametrize("x,text", [(3.8, "+3.8%"), (-2.3, f"{MINUS}2.3%"), (-0.01, "0.0%"), (0, "0.0%")])
def test_signed_percent(x, text):
    assert fmt.signed_percent(x) == text


def test_percentage_points():
    assert fmt.pp(5.4) == "5.4 percentage points"
    assert fmt.pp(1.0) == "1.0 percentage point"
    assert fmt.pp_short(-0.8) == f"{MINUS}0.8 pp"
    assert fmt.pp_short(0.8) == "+0.8 pp"


@pytest.mark.parametrize("g,text", [(3.8, "rose 3.8%"), (-0.3, "fell 0.3%"), (0.04, "was flat"), (-0.04, "was flat")])
def test_change_verb_reads_right_for_falls_and_flat_years(g, text):
    assert fmt.change_verb(g) == text


def test_up_down():
    assert fmt.up_down(0.2) == "up 0.2%"
    assert fmt.up_down(-5.0) == "down 5.0%"
    assert fmt.up_down(0.0) == "unchanged"


def test_ordinals_and_counts():
    assert [fmt.ordinal(n) for n in (1, 3, 11, 12, 21, 22, 23)] == \
        ["first", "third", "11th", "12th", "21st", "22nd", "23rd"]
    assert fmt.count_word(3) == "three"


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError, match="unknown currency 'XYZ'"):
        fmt.money(1e12, "XYZ")
