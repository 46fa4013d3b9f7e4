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
# <!-- Briefing computed from trade records (UN Comtrade, BACI) for any reporter and period, rendered by
# `make report REPORTER=... YEAR=... RECORDS=...`. Its sections are declared once, in
# tradelib.records_briefing.SECTIONS; this notebook walks that list. Code cells are hidden in the rendered
# briefing. -->

# %% tags=["parameters"]
reporter: str = "THA"  # ISO3 code of the reporter, or the path of a reporter file (.toml)
period: str = "2024"  # a year (2024), a month (2024-06) or months of one year (2024-01..06)
records: list = []  # the records files to compute from (UN Comtrade Plus, legacy Comtrade, BACI, tidy extract)
flow: str = ""  # "X" or "M" for a tidy extract (or to brief on one flow only); "" for both flows held
rendered_at: str = ""  # set by the renderer (UTC time of the render)
tradelib_commit: str = ""  # set by the renderer (git commit of the code)

# %%
from tradelib import markup, paths, records_briefing, reporter as reporters
from tradelib.period import Period
from tradelib.records import query
from tradelib.report import display_html

files = records or [paths.SHARED_DATA_DIR / "comtrade_plus_tha_hs8542_2014_2024" / "TradeData_THA_M_8542_2014_2024.csv"]
rep = reporters.load(reporter)
recs = query.load(files, reporter=rep.iso3, flow=flow or None)
computed = records_briefing.Computed(recs, rep, Period.parse(period), flows=(flow,) if flow else ("X", "M"))
page = markup.Markup(computed)

# %%
for section in records_briefing.SECTIONS:
    display_html(page.section(section))

# %%
display_html(page.about())
# The audit record of this render (parameters, code version, time) is the executed notebook itself.
