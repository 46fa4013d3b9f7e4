"""tradelib: analytical briefings on national foreign-trade statistics from official figures."""
__version__ = "0.1.0"
