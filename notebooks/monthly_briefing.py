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
# <!-- Monthly briefing on the customs' monthly release, from the published monthly figures
# (tradelib/data/monthly_sightings.csv), rendered by `make report PERIOD=2025-11`. Its sections are declared
# once, in tradelib.monthly_briefing.SECTIONS; this notebook walks that list. Code cells are hidden in the
# rendered briefing. -->

# %% tags=["parameters"]
period: str = "2025-11"  # a month (2025-11) or the combined January–February (2025-01..02)
currency: str = "CNY"  # the edition's currency: CNY (yuan) or USD (US dollars)
data_path: str = ""  # a data folder holding monthly_sightings.csv and its companions; "" for the bundled data
rendered_at: str = ""  # set by the renderer (UTC time of the render)
tradelib_commit: str = ""  # set by the renderer (git commit of the code)

# %%
from tradelib import markup, monthly, monthly_briefing, reporter as reporters, sources
from tradelib.report import display_html

figures = monthly.load(folder=data_path or None)
briefing = monthly_briefing.Briefing(figures, reporters.load(sources.FIGURES_REPORTER), period, currency)
page = markup.MonthlyMarkup(briefing)

# %%
for section in monthly_briefing.SECTIONS:
    display_html(page.section(section))

# %%
display_html(page.about())
# The audit record of this render (parameters, code version, time) is the executed notebook itself.
