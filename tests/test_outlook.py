"""Outlook: scenario arithmetic by hand, a baseline whose interval widens, a backtest on known years."""

import pandas as pd
import pytest

from tradelib import metrics, outlook
from tradelib.narrative import Narrator

from .annual import outlook_section


def test_scenario_paths_by_hand():
    s = outlook.scenarios(100.0, 2.0, 4.0, 2025, horizon=5)
    assert list(s.index) == [2026, 2027, 2028, 2029, 2030]
    assert s.loc[2026, "low"] == pytest.approx(102.0)
    assert s.loc[2027, "high"] == pytest.approx(108.16)
    assert s.loc[2030, "low"] == pytest.approx(110.40808032)  # 100 * 1.02**5
    assert s.loc[2030, "high"] == pytest.approx(121.6652902)  # 100 * 1.04**5


def test_2025_exports_scenario_in_yuan(data):
    exports = metrics.get(data.figures, 2025, "exports").value  # 26,989.2 billion yuan
    s = outlook.scenarios(exports, 2, 4, 2025)
    assert s.loc[2030, "low"] / 1e12 == pytest.approx(26.9892 * 1.02 ** 5)
    assert s.loc[2030, "high"] / 1e12 == pytest.approx(26.9892 * 1.04 ** 5)


@pytest.mark.parametrize("low,high,message", [
    (4, 2, "has its low end above its high end; swap them"),
    (-150, 2, "would make the level negative"),
    (2, 250, "is not a plausible scenario"),
    (float("nan"), 2, "is not a number"),
])
def test_nonsensical_ranges_are_refused(low, high, message):
    with pytest.raises(outlook.OutlookError, match=message):
        outlook.scenarios(100.0, low, high, 2025)


def test_horizon_must_be_positive():
    with pytest.raises(outlook.OutlookError, match="at least one year"):
        outlook.scenario_path(100.0, 2.0, 2025, 0)


def test_baseline_interval_widens_with_the_horizon(data):
    history = metrics.series(data.figures, "exports")
    b = outlook.baseline(history, horizon=5)
    ratio = (b.forecast["upper"] / b.forecast["lower"]).tolist()
    assert all(later > earlier for earlier, later in zip(ratio, ratio[1:]))
    assert (b.forecast["lower"] < b.forecast["mean"]).all() and (b.forecast["mean"] < b.forecast["upper"]).all()


def test_baseline_of_a_steady_series_continues_its_growth():
    steady = pd.Series({2010 + i: 100 * 1.05 ** i for i in range(10)})
    b = outlook.baseline(steady, horizon=3)
    assert b.forecast.loc[2020, "mean"] == pytest.approx(100 * 1.05 ** 10, rel=1e-5)


def test_backtest_on_known_years(data):
    history = metrics.series(data.figures, "exports")
    bt = outlook.backtest(history, until=2022)
    assert list(bt.table.index) == [2023, 2024, 2025]
    assert bt.table.loc[2023, "actual"] / 1e12 == pytest.approx(23.77)
    # fitted on 2015-2022 the trend (+6.9% a year on average) overshoots the flat 2023: 25.85 against 23.77
    assert bt.table.loc[2023, "forecast"] / 1e12 == pytest.approx(25.847, abs=0.01)
    assert bt.mape == pytest.approx(9.87, abs=0.05)
    assert bt.covered == 2


def test_too_short_a_history_is_refused():
    with pytest.raises(outlook.OutlookError, match="at least 6 years"):
        outlook.baseline(pd.Series({2020: 1.0, 2021: 2.0}))


def test_outlook_section_for_2025_and_a_moved_horizon(data):
    html = outlook_section(Narrator(data, 2025))
    assert "At 2–4% a year (projection by Lu Ting, chief China economist at Nomura" in html
    assert "between 29.80 trillion yuan and 32.84 trillion yuan by 2030" in html
    assert "<svg" in html and "Tested on earlier years:" in html and "80% prediction interval" in html
    later = outlook_section(Narrator(data, 2023))
    assert "by 2028" in later and "between" not in later  # no range was quoted with the 2023 release
    custom = outlook_section(Narrator(data, 2023), low=1, high=3)
    assert "At 1–3% a year" in custom and "by 2028" in custom


def test_a_baseline_that_failed_its_backtest_is_not_presented_as_a_forecast(data, monkeypatch):
    real = outlook.backtest

    def missed_all(history, until, coverage):
        bt = real(history, until, coverage)
        bt.covered = 0
        return bt

    monkeypatch.setattr(outlook, "backtest", missed_all)
    html = outlook_section(Narrator(data, 2025))
    assert "Carried forward, the trend of 2015–2025 (on average 6.7% a year) would give exports of" in html
    assert ("Tested on 2023–2025, the same method left 3 of 3 published values outside its 80% interval, so it is "
            "shown as a trend, not a forecast.") in html
    assert "prediction interval" not in html and "Tested on earlier years:" not in html
    assert "Baseline, 80% interval" not in html and "Trend of the history carried forward" in html  # chart agrees
