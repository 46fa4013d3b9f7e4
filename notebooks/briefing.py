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
# <!-- Annual briefing on China's foreign trade in goods. Rendered by `make report YEAR=...`;
# every number below comes from tradelib's official figures, every sentence from tradelib.narrative. -->

# %% tags=["parameters"]
year: int = 2025  # reference year of the briefing
currency: str = "CNY"  # "CNY" (yuan) or "USD" (US dollars) for the whole briefing
data_path: str = ""  # a figures CSV in tradelib's format; "" for the bundled official figures
rendered_at: str = ""  # set by the renderer (UTC time of the render)
tradelib_commit: str = ""  # set by the renderer (git commit of the code)

# %%
import tradelib
from tradelib import report, sources
from tradelib.narrative import Narrator

data = sources.load(data_path or None)
nar = Narrator(data, int(year), currency.upper())

# %%
report.display_html(report.key_figures(nar))

# %% [markdown]
# ## Headline trade

# %%
report.display_html("<p>" + report.paragraph(nar.headline(), nar.exports_imports(), nar.world_rank()) + "</p>")

# %%
report.display_html(report.trade_series_figure(nar))

# %% [markdown]
# ## Sources and notes

# %%
report.display_html(report.missing_notes(nar))
report.display_html(nar.citations.markdown())
report.display_html(report.provenance_block(nar, {"year": year, "currency": currency, "data": data_path or "bundled",
                                                  "rendered at": rendered_at, "tradelib": f"{tradelib.__version__} ({tradelib_commit})"}))
