# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python (tradelib)
#     language: python
#     name: tradelib
# ---

# %% [markdown]
# # Exploring the official figures with tradelib
#
# An exploratory notebook (not rendered into a briefing): how to load the figures, look up a published
# number with its source, compute from it, and word it the way the briefing does.

# %% tags=["parameters"]
year: int = 2025  # year to explore
currency: str = "CNY"  # "CNY" or "USD"

# %%
from tradelib import fmt, metrics, sources
from tradelib.narrative import Narrator

data = sources.load()  # validated on load; data.flags lists growth rates computed on a revised base
data.years

# %% [markdown]
# Every figure is one row of a tidy table, with the line of `figures.csv` it came from and its sources.

# %%
data.figures.query("year == @year and partner == 'WLD' and product == 'ALL' and enterprise == 'ALL'")[
    ["flow", "measure", "value", "unit", "currency", "source_id", "line"]]

# %% [markdown]
# A published figure is a `Fact`; a calculation returns a `Fact` carrying the rows of its inputs.

# %%
exports = metrics.get(data.figures, year, "exports")
high_tech = metrics.get(data.figures, year, "exports", product="HIGH_TECH")
share = metrics.share_fact(high_tech, exports) if high_tech else None
exports, share

# %%
[data.source(s)["url"] for s in exports.source_ids]

# %% [markdown]
# Growth as reported and as computed from the two published levels: the gap is the revision of the base.

# %%
reported = metrics.get(data.figures, year, "total", "growth_yoy")
computed = metrics.growth_fact(metrics.get(data.figures, year, "total"), metrics.get(data.figures, year - 1, "total"))
fmt.percent(reported.value), fmt.percent(computed.value, 2), metrics.growth_gap(reported, computed)

# %% [markdown]
# The series of totals, and the sentences the briefing would write for this year.

# %%
(metrics.series(data.figures, "total", currency=currency) / 1e12).round(2)

# %%
nar = Narrator(data, year, currency)
print(nar.headline())
print(nar.exports_imports())
nar.missing
