"""Trade records: UN Comtrade and CEPII BACI files read into one tidy schema, stored as Parquet and queried
with DuckDB (or Spark) through Ibis.

    from tradelib import records
    r = records.load("TradeData.csv")                  # any Comtrade Plus / legacy / BACI file, or several
    records.totals(r, records.Period(2022), "CHN", "X", by="partner")

Modules: :mod:`.schema` (the tidy columns), :mod:`.readers` (formats), :mod:`.areas` (country codes),
:mod:`.store` (Parquet copies), :mod:`.query` (Ibis aggregations), :mod:`.measures` (pure calculations),
:mod:`.live` (the Comtrade API through ``comtradeapicall``), :mod:`.cli` (``python -m tradelib records``).
"""
__all__ = ["Period", "Records", "load", "totals"]


def __getattr__(name):
    # Ibis and DuckDB are imported on first use, so the pure measures load without them
    if name in __all__:
        from . import query

        return getattr(query, name)
    raise AttributeError(name)
