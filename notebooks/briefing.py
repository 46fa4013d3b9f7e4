# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (tradelib)
#     language: python
#     name: tradelib
# ---

# %% [markdown]
# <!-- Annual briefing on China's foreign trade in goods, rendered by `make report YEAR=...`.
# Every number comes from tradelib's official figures and every sentence from tradelib.narrative;
# this notebook only composes. Code cells are hidden in the rendered briefing. -->

# %% tags=["parameters"]
year: int = 2025  # reference year of the briefing
currency: str = "CNY"  # "CNY" (yuan) or "USD" (US dollars) for the whole briefing
data_path: str = ""  # a figures CSV in tradelib's format; "" for the bundled official figures
records: list = []  # trade-records files (UN Comtrade, BACI) whose sections join the briefing; [] for none
outlook_low: float | None = None  # low end of the export growth scenario, % a year; None: the range quoted with the release
outlook_high: float | None = None  # high end of the export growth scenario, % a year
outlook_horizon: int = 5  # years projected after the reference year
rendered_at: str = ""  # set by the renderer (UTC time of the render)
tradelib_commit: str = ""  # set by the renderer (git commit of the code)

# %%
from tradelib import report, sources
from tradelib.narrative import Narrator

data = sources.load(data_path or None)
nar = Narrator(data, int(year), currency.upper())

# %%
# The sections are declared once, in tradelib.report.ANNUAL_SECTIONS; this cell walks them.
for part in report.annual_briefing(nar, records=records, outlook_low=outlook_low, outlook_high=outlook_high,
                                   outlook_horizon=outlook_horizon):
    if part:
        report.display_html(part)
# The audit record of this render (parameters, code version, time) is the executed notebook itself:
# the injected parameters cell above holds year, currency, data_path, rendered_at and tradelib_commit.
