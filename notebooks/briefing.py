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
# <!-- Annual briefing on China's foreign trade in goods, rendered by `make report YEAR=...`.
# Every number comes from tradelib's official figures and every sentence from tradelib.narrative;
# this notebook only composes. Code cells are hidden in the rendered briefing. -->

# %% tags=["parameters"]
year: int = 2025  # reference year of the briefing
currency: str = "CNY"  # "CNY" (yuan) or "USD" (US dollars) for the whole briefing
data_path: str = ""  # a figures CSV in tradelib's format; "" for the bundled official figures
outlook_low: float | None = None  # low end of the export growth scenario, % a year; None: the range quoted with the release
outlook_high: float | None = None  # high end of the export growth scenario, % a year
outlook_horizon: int = 5  # years projected after the reference year
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
report.display_html(report.section_text(nar.headline(), nar.exports_imports(), nar.world_rank(),
                                        empty="No headline figures are held for this year"))
enterprises = nar.enterprises()
report.show_optional(enterprises and f"<p>{enterprises}</p>")
report.show_optional(report.trade_series_figure(nar))

# %% [markdown]
# ## Exports moving up the value chain

# %%
report.display_html(report.section_text(*(nar.product_exports(p) for p in ("HIGH_TECH", "MECH_ELEC", "NEW_TRIO", "WIND_TURBINES")),
                                        empty="No figures on exports by product group are held for this year"))
report.show_optional(report.product_growth_figure(nar))

# %% [markdown]
# ## Partners and diversification

# %%
report.display_html(report.section_text(nar.belt_and_road(), nar.export_market_streak("ASEAN"), nar.emerging_markets(),
                                        empty="No figures on Belt and Road or emerging-market exports are held for this year"))
report.display_html(report.section_text(*(nar.partner_trade(p) for p in ("ASEAN", "EU", "USA")),
                                        empty="No figures on trade with ASEAN, the EU or the United States are held for this year"))
report.show_optional(report.contributions_figure(nar))
report.show_optional(report.partner_growth_figure(nar))
report.show_optional(report.partner_shares_figure(nar))

# %% [markdown]
# ## Imports and the trade balance

# %%
report.display_html(report.section_text(nar.world_share("imports"), nar.commodities(),
                                        empty="No figures on world market shares or commodity imports are held for this year"))
report.show_optional(report.commodity_figure(nar))

# %% [markdown]
# ## The domestic market

# %%
report.display_html(report.section_text(nar.domestic_market(), empty="No domestic-market figures are held for this year"))

# %% [markdown]
# ## Outlook

# %%
report.display_html(report.outlook_section(nar, outlook_low, outlook_high, outlook_horizon))

# %% [markdown]
# ## Sources and notes

# %%
report.display_html(report.missing_notes(nar))
report.display_html(nar.citations.markdown())
report.display_html(report.provenance_block(nar, {"year": year, "currency": currency, "data": data_path or "bundled",
                                                  "outlook range": f"{outlook_low}–{outlook_high}" if outlook_low is not None else "as quoted",
                                                  "rendered at": rendered_at, "tradelib": f"{tradelib.__version__} ({tradelib_commit})"}))
