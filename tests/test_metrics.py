"""Calculations, against hand-computed values and identities that must hold for any input."""
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradelib import metrics
from tradelib.metrics import Fact

levels = st.floats(min_value=1e6, max_value=1e14, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=1.0, max_value=20.0, allow_nan=False)


def test_growth_by_hand():
    assert metrics.growth_rate(45.47, 43.85) == pytest.approx(3.6944, abs=1e-4)  # the release says 3.8 (revised base)
    assert metrics.growth_rate(17.99, 18.04) == pytest.approx(-0.2772, abs=1e-4)


def test_growth_from_zero_is_refused():
    with pytest.raises(ZeroDivisionError):
        metrics.growth_rate(1.0, 0.0)


def test_contribution_by_hand():
    # a part going from 10 to 11 in a total of 100: +1 point
    assert metrics.contribution_pp(11, 10, 100) == pytest.approx(1.0)
    # 11.2% growth of a part that was 48.2% of the total: 5.4 points
    assert metrics.contribution_from_share(11.2, 48.2) == pytest.approx(5.398, abs=1e-3)


def test_share_balance_cagr_convert_scale():
    assert metrics.share(5.25, 26.99) == pytest.approx(19.4516, abs=1e-4)
    assert metrics.balance(26.99, 18.48) == pytest.approx(8.51)
    assert metrics.cagr(24.59, 45.47, 10) == pytest.approx(6.339, abs=1e-3)
    assert metrics.convert(7.0e12, 7.0, "USD") == pytest.approx(1.0e12)
    assert metrics.convert(1.0e12, 7.0, "CNY") == pytest.approx(7.0e12)
    assert metrics.scale(45.47e12, "trillion") == pytest.approx(45.47)
    assert metrics.scale(454687.3e8, "100 million") == pytest.approx(454687.3)
    with pytest.raises(ValueError, match="unknown currency"):
        metrics.convert(1, 7, "EUR")


def test_records_thresholds_and_peaks():
    s = pd.Series({2021: 39.1, 2022: 42.07, 2023: 41.76, 2024: 43.85, 2025: 45.47})
    assert metrics.is_record(s, 2025) and metrics.is_record(s, 2022)
    assert not metrics.is_record(s, 2023)
    assert metrics.previous_peak(s, 2023) == 2022 and metrics.previous_peak(s, 2025) is None


def test_first_time_above_a_round_threshold_needs_a_known_record():
    s = pd.Series({2021: 39.1, 2022: 42.07, 2023: 41.76, 2024: 43.85, 2025: 45.47})
    assert metrics.threshold_first_crossed(s, 2025, 5, record_years=[2024]) == 45
    assert metrics.threshold_first_crossed(s, 2022, 5, record_years=[2021]) == 40
    assert metrics.threshold_first_crossed(s, 2024, 5, record_years=[2022]) is None  # 40 was passed in 2022
    # without a published record before it, years outside the data might have been higher: no claim
    assert metrics.threshold_first_crossed(s, 2025, 5, record_years=[]) is None


def test_streaks():
    ranks = pd.Series({2021: 2, 2022: 2, 2023: 1, 2024: 1, 2025: 1})
    assert metrics.streak(ranks, 2025) == 3
    assert metrics.streak(ranks, 2022) == 0
    broken = pd.Series({2023: 1, 2024: 1, 2025: 2})
    assert metrics.streak(broken, 2025) == 0 and metrics.streak(broken, 2024) == 2


def test_faster_than():
    assert metrics.faster_than(11.2, 6.1) and not metrics.faster_than(6.1, 6.1)


def test_derived_facts_carry_the_rows_of_their_inputs():
    a = Fact(5.25e12, "CNY", "high-tech", 2025, rows=(10,), source_ids=("s1",))
    b = Fact(26.99e12, "CNY", "exports", 2025, rows=(20,), source_ids=("s2", "s1"))
    sh = metrics.share_fact(a, b)
    assert sh.rows == (10, 20) and sh.source_ids == ("s1", "s2") and not sh.reported
    assert sh.unit == "percent" and sh.value == pytest.approx(19.45, abs=0.01)


@given(levels, levels, levels, levels)
def test_contributions_of_a_partition_sum_to_total_growth(a0, b0, a1, b1):
    total0, total1 = a0 + b0, a1 + b1
    s = metrics.contribution_pp(a1, a0, total0) + metrics.contribution_pp(b1, b0, total0)
    assert s == pytest.approx(metrics.growth_rate(total1, total0), rel=1e-9, abs=1e-9)


@given(levels, rates)
def test_conversion_round_trips(amount, rate):
    back = metrics.convert(metrics.convert(amount, rate, "USD"), rate, "CNY")
    assert back == pytest.approx(amount, rel=1e-12)


@given(levels, levels, levels, levels)
@settings(max_examples=200)
def test_growth_of_a_sum_lies_between_its_parts(a0, b0, a1, b1):
    ga, gb = metrics.growth_rate(a1, a0), metrics.growth_rate(b1, b0)
    g = metrics.growth_rate(a1 + b1, a0 + b0)
    assert min(ga, gb) - 1e-9 <= g <= max(ga, gb) + 1e-9


@given(levels, st.integers(min_value=1, max_value=30), st.floats(min_value=-50, max_value=50))
def test_cagr_inverts_compounding(first, years, rate):
    last = first * (1 + rate / 100) ** years
    assert metrics.cagr(first, last, years) == pytest.approx(rate, abs=1e-6)


def test_reported_and_computed_growth_gap_is_flagged(data):
    f = data.figures
    reported = metrics.get(f, 2025, "total", "growth_yoy")
    computed = metrics.growth_fact(metrics.get(f, 2025, "total"), metrics.get(f, 2024, "total"))
    gap = metrics.growth_gap(reported, computed)
    assert gap == pytest.approx(3.8 - 3.6915, abs=1e-3)  # 45,468.73 bn / 43,850 bn = +3.69%
    assert computed.rows == (metrics.get(f, 2025, "total").rows[0], metrics.get(f, 2024, "total").rows[0])


def test_streak_from_the_data(data):
    f = metrics.streak_fact(data.figures, 2025, "exports", "ASEAN")
    assert f.value == 3 and f.reported
