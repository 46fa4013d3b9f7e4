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
# # Exploring trade records with tradelib
#
# An exploratory notebook (not rendered into a briefing): load UN Comtrade or CEPII BACI files, compute
# totals, shares, growth, contributions to growth, concentration, unit values and mirror gaps. The files are
# read once into Parquet copies (the store) and queried with DuckDB; the same queries run on Spark.
#
# The examples use real UN Comtrade extracts kept outside the project (their terms do not allow
# redistribution); point the parameters at your own downloads.

# %% tags=["parameters"]
records_dir: str = "../../shared/data"  # folder holding the example extracts (UN Comtrade downloads)
reporter: str = "THA"  # ISO3 code of the reporter to explore
flow: str = "M"  # "X" exports or "M" imports
year: int = 2024  # reference year
mirror_reporter: str = "CHN"  # reporter whose exports are set beside its partners' imports
mirror_year: int = 2022  # year of the mirror comparison
unit_value_reporter: str = "CHN"  # reporter of the unit-value example (an extract without a reporter column)
unit_value_year: int = 2024  # the unit-value example compares this year with the year before

# %%
from pathlib import Path

import pandas as pd

from tradelib.records import measures, query
from tradelib.records.query import Period

base = Path(records_dir)
icfile = base / "comtrade_plus_tha_hs8542_2014_2024" / "TradeData_THA_M_8542_2014_2024.csv"
totals_file = base / "comtrade_plus_totals_by_partner_2022" / "TradeData_CHN_USA_DEU_2022_totals.csv"
minerals_file = base / "comtrade_china_critical_minerals_monthly" / "deep_dive_hs6_monthly.csv"
period, earlier = Period(year), Period(year).previous()

# %% [markdown]
# ## Load
# A file's format is recognised from its header; each row keeps the file and line it came from.

# %%
r = query.load(icfile)
r.sources()

# %%
r.table.filter(r.table.year == year).limit(5).to_pandas()

# %% [markdown]
# ## Totals and growth, year by year

# %%
years = sorted({int(y) for y in r.coverage()["year"]})
levels = pd.Series({y: query.totals(r, Period(y), reporter, flow)["value"].iloc[0] for y in years})
pd.DataFrame({"value, US$ bn": levels / 1e9, "growth, %": measures.growth(levels, levels.shift(1))}).round(1)

# %% [markdown]
# ## Partners: shares, growth and contributions to growth

# %%
now = query.totals(r, period, reporter, flow, by="partner").set_index("item")["value"]
before = query.totals(r, earlier, reporter, flow, by="partner").set_index("item")["value"]
total_now, total_before = levels[year], levels[year - 1]
partners = pd.DataFrame({
    "name": [r.name("area", c) for c in now.index],
    "value, US$ m": now / 1e6,
    "share, %": measures.shares(now, total_now),
    "growth, %": measures.growth(now, before.reindex(now.index)),
    "contribution, pp": measures.contributions(now, before, total_before).reindex(now.index),
}).sort_values("value, US$ m", ascending=False)
partners.head(10).round(1)

# %% [markdown]
# The contributions of all partners add up to the growth of the total.

# %%
measures.contributions(now, before, total_before).sum(), measures.growth(total_now, total_before)

# %% [markdown]
# ## Biggest movers and concentration

# %%
risers, fallers = measures.movers(now, before, n=3, total_previous=total_before)
risers.round(1), fallers.round(1)

# %%
hhi = pd.Series({y: measures.hhi(query.totals(r, Period(y), reporter, flow, by="partner")
                                 .set_index("item")["value"]) for y in years})
pd.DataFrame({"HHI": hhi, "equivalent number of partners": 1 / hhi}).round(3)

# %% [markdown]
# ## Mirror statistics: what a reporter declares beside what its partners declare

# %%
if totals_file.exists():
    both = query.load(totals_file)
    display(query.mirror(both, Period(mirror_year), mirror_reporter, "X").round(1))

# %% [markdown]
# ## Unit values: the change in value split into price and volume
# China's exports of graphite and gallium/germanium (a tidy extract: the file does not say whose trade it
# is, so the reporter and the flow are stated).

# %%
if minerals_file.exists():
    m = query.load(minerals_file, reporter=unit_value_reporter, flow="X")
    q0 = query.quantities(m, Period(unit_value_year).previous(), unit_value_reporter, "X")
    q1 = query.quantities(m, Period(unit_value_year), unit_value_reporter, "X")
    pv = measures.price_volume(q0["value"], q0["qty"], q1["value"], q1["qty"], q0["unit"], q1["unit"])
    display(pv.products[["unit_value0", "unit_value1", "log_price", "log_volume"]].round(3))
    print(f"value index {pv.value_index:.3f} = price {pv.price_index:.3f} x volume {pv.volume_index:.3f}")

# %% [markdown]
# ## The same queries on Spark
# For data that outgrow one machine (the whole of BACI), hand the records to a Spark session; every query
# above runs unchanged:
#
# ```python
# import ibis
# from pyspark.sql import SparkSession
# spark = SparkSession.builder.getOrCreate()          # or .remote("sc://cluster:15002") for Spark Connect
# r_spark = r.on(ibis.pyspark.connect(spark))
# query.totals(r_spark, period, reporter, flow, by="partner")
# ```
#
# From a shell: `python -m tradelib records FILE --reporter THA --year 2024 --flow M --top 5`.
