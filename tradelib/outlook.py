"""Outlook: scenario paths under a growth range, and a statistical baseline with prediction intervals.

Scenarios compound the last published level at a constant annual rate (the low and high ends of a range,
by default the range quoted with the year's release). The baseline is a random walk with drift on the
logarithm of the yearly levels (statsmodels ARIMA(0,1,0) with a trend term): each year grows by the average
log growth of the history, with the year-to-year variability of the history, so its prediction intervals are
multiplicative and widen with the square root of the horizon. (An exponential-smoothing trend model fitted
to these eleven points settled on a deterministic trend whose intervals did not widen at all.) A backtest refits the model on the years up to an earlier year
and compares its forecasts with what the customs then published.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import TradelibError


MIN_HISTORY = 6  # years of levels the baseline is fitted on, at the least


class OutlookError(TradelibError, ValueError):
    pass


def check_range(low: float, high: float) -> None:
    """Refuse a growth range that cannot be a scenario."""
    for name, v in (("low", low), ("high", high)):
        if v is None or not isinstance(v, (int, float)) or math.isnan(v) or math.isinf(v):
            raise OutlookError(f"outlook growth {name} end {v!r} is not a number; give percentages such as 2 and 4")
        if v <= -100:
            raise OutlookError(f"outlook growth {name} end {v}% would make the level negative; use a rate above -100%")
        if v > 100:
            raise OutlookError(f"outlook growth {name} end {v}% a year is not a plausible scenario; use a rate "
                               "of at most 100%")
    if low > high:
        raise OutlookError(f"outlook growth range {low}%–{high}% has its low end above its high end; swap them")


def scenario_path(level: float, rate_pct: float, start_year: int, horizon: int) -> pd.Series:
    """Level compounded at ``rate_pct`` a year for ``horizon`` years after ``start_year``."""
    if horizon < 1:
        raise OutlookError("the outlook horizon must be at least one year")
    years = range(start_year + 1, start_year + horizon + 1)
    return pd.Series([level * (1 + rate_pct / 100) ** (y - start_year) for y in years], index=list(years),
                     name=f"{rate_pct:g}%")


def scenarios(level: float, low: float, high: float, start_year: int, horizon: int = 5) -> pd.DataFrame:
    check_range(low, high)
    return pd.DataFrame({"low": scenario_path(level, low, start_year, horizon),
                         "high": scenario_path(level, high, start_year, horizon)})


@dataclass
class Baseline:
    forecast: pd.DataFrame  # index year; columns mean, lower, upper (levels)
    level: float  # probability covered by the interval, e.g. 0.8
    fitted_years: tuple[int, int]


def baseline(history: pd.Series, horizon: int = 5, coverage: float = 0.8) -> Baseline:
    """Random walk with drift on log levels; mean and ``coverage`` prediction interval for each future year."""
    from statsmodels.tsa.arima.model import ARIMA

    s = history.dropna().sort_index()
    if len(s) < MIN_HISTORY:
        raise OutlookError(f"a statistical baseline needs at least {MIN_HISTORY} years of history; {len(s)} given")
    if (s <= 0).any():
        raise OutlookError("the baseline needs positive levels")
    y = pd.Series(np.log(s.values), index=pd.period_range(str(int(s.index[0])), periods=len(s), freq="Y"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short annual series; the fit is checked below
        fit = ARIMA(y, order=(0, 1, 0), trend="t").fit()
        frame = fit.get_forecast(steps=horizon).summary_frame(alpha=1 - coverage)
    years = [int(s.index[-1]) + i for i in range(1, horizon + 1)]
    out = pd.DataFrame({"mean": np.exp(frame["mean"].values), "lower": np.exp(frame["mean_ci_lower"].values),
                        "upper": np.exp(frame["mean_ci_upper"].values)}, index=years)
    if not np.isfinite(out.values).all():
        raise OutlookError("the baseline model did not converge on this history")
    return Baseline(forecast=out, level=coverage, fitted_years=(int(s.index[0]), int(s.index[-1])))


@dataclass
class Backtest:
    fitted_until: int
    table: pd.DataFrame  # index year; columns forecast, actual, error_pct
    mape: float
    covered: int  # how many actual values fell inside the interval


def backtest(history: pd.Series, until: int, coverage: float = 0.8) -> Backtest:
    """Fit on the years up to ``until`` and forecast the following years held in ``history``."""
    s = history.dropna().sort_index()
    train = s[s.index <= until]
    test = s[s.index > until]
    if test.empty:
        raise OutlookError(f"no years after {until} to test the baseline on")
    b = baseline(train, horizon=len(test), coverage=coverage)
    f = b.forecast.loc[test.index]
    table = pd.DataFrame({"forecast": f["mean"], "lower": f["lower"], "upper": f["upper"], "actual": test})
    table["error_pct"] = (table["forecast"] / table["actual"] - 1) * 100
    covered = int(((table.actual >= table.lower) & (table.actual <= table.upper)).sum())
    return Backtest(fitted_until=until, table=table, mape=float(table["error_pct"].abs().mean()), covered=covered)
