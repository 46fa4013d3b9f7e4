"""One formatting module for prose, tables and chart labels.

Amounts are passed in base units (yuan, US dollars); the formatter picks the scale. Percentages and
percentage points are passed as numbers of percent (3.8 means 3.8%). Negative numbers use a real minus
sign (U+2212), and a value that rounds to zero never shows as "-0.0".
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
NBSP = "\u00a0"

def _currencies() -> dict[str, dict]:
    """tradelib/data/currencies.csv: how each currency is written (name, word after or symbol before an amount)."""
    import csv

    from . import paths

    with open(paths.DATA_DIR / "currencies.csv", encoding="utf-8", newline="") as f:
        return {r["code"]: r for r in csv.DictReader(f)}


CURRENCY_TABLE = _currencies()
# code: (word after the amount, symbol before the amount)
CURRENCIES = {code: (r["word_after"], r["symbol"]) for code, r in CURRENCY_TABLE.items()}

SCALES = [  # (threshold, divisor, word, decimals)
    (1e12, 1e12, "trillion", 2),
    (1e9, 1e9, "billion", 1),
    (1e6, 1e6, "million", 1),
]


def rounded(x: float, decimals: int = 1) -> float:
    """Half-up rounding of the number as written (the rounding a reader does)."""
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _num(x: float, decimals: int) -> str:
    """Fixed decimals, thousands separators, real minus sign, no negative zero."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        raise ValueError("cannot format a missing number")
    # half-up on the shortest decimal form, so 674.15 shows as 674.2 as a reader rounds it
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    r = float(q)
    if r == 0:
        return f"{0:.{decimals}f}"
    s = f"{abs(q):,.{decimals}f}"
    return (MINUS + s) if r < 0 else s


def number(x: float, decimals: int = 1) -> str:
    return _num(x, decimals)


def scale_for(amount: float) -> tuple[float, str, int]:
    a = abs(amount)
    for threshold, divisor, word, decimals in SCALES:
        if a >= threshold:
            return divisor, word, decimals
    return 1.0, "", 0


def money(amount: float, currency: str, decimals: int | None = None,
          scale: str | None = None) -> str:
    """45.47e12, "CNY" -> "45.47 trillion yuan"; 6.5e12, "USD" -> "US$6.50 trillion"."""
    if currency not in CURRENCIES:
        raise ValueError(f"unknown currency {currency!r}; known: {', '.join(CURRENCIES)}")
    if scale is not None:
        divisor, word, default_dec = next(((d, w, k) for _, d, w, k in SCALES if w == scale), (1.0, "", 0))
    else:
        divisor, word, default_dec = scale_for(amount)
    dec = default_dec if decimals is None else decimals
    body = _num(amount / divisor, dec)
    word_after, symbol = CURRENCIES[currency]
    if symbol:
        neg = body.startswith(MINUS)
        body = body.lstrip(MINUS)
        text = f"{MINUS if neg else ''}{symbol}{body}" + (f" {word}" if word else "")
    else:
        text = body + (f" {word}" if word else "") + f" {word_after}"
    return text


def money_short(amount: float, currency: str, decimals: int | None = None) -> str:
    """Compact label for charts and tables: "¥45.47tn", "US$6.50tn"."""
    divisor, word, default_dec = scale_for(amount)
    dec = default_dec if decimals is None else decimals
    suffix = {"trillion": "tn", "billion": "bn", "million": "m", "": ""}[word]
    sym = CURRENCY_TABLE[currency]["short_symbol"]
    body = _num(amount / divisor, dec)
    neg = body.startswith(MINUS)
    return f"{MINUS if neg else ''}{sym}{body.lstrip(MINUS)}{suffix}"


def percent(x: float, decimals: int = 1) -> str:
    """3.8 -> "3.8%"; -0.04 -> "0.0%"; -2.3 -> "−2.3%"."""
    return _num(x, decimals) + "%"


def signed_percent(x: float, decimals: int = 1) -> str:
    """+3.8% / −2.3% / 0.0% (no sign on zero)."""
    body = _num(x, decimals)
    if body.startswith(MINUS) or rounded(x, decimals) == 0:
        return body + "%"
    return "+" + body + "%"


def pp(x: float, decimals: int = 1) -> str:
    """5.4 -> "5.4 percentage points"; exactly one point reads "1.0 percentage point"."""
    body = _num(x, decimals)
    unit = "percentage point" if body in ("1", "1.0", "1.00") else "percentage points"
    return f"{body} {unit}"


def pp_short(x: float, decimals: int = 1) -> str:
    body = _num(x, decimals)
    if not body.startswith(MINUS) and rounded(x, decimals) != 0:
        body = "+" + body
    return f"{body} pp"


def _direction(growth: float, decimals: int, up: str, down: str, flat: str) -> str:
    r = rounded(growth, decimals)
    if r > 0:
        return f"{up} {percent(r, decimals)}"
    if r < 0:
        return f"{down} {percent(-r, decimals)}"
    return flat


def change_verb(growth: float, decimals: int = 1) -> str:
    """Words for a year-on-year change: "rose 3.8%", "fell 0.3%", "was flat"."""
    return _direction(growth, decimals, "rose", "fell", "was flat")


def up_down(growth: float, decimals: int = 1) -> str:
    """"up 3.8%", "down 0.3%", "unchanged"."""
    return _direction(growth, decimals, "up", "down", "unchanged")


ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
                 8: "eighth", 9: "ninth", 10: "tenth"}
COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
               9: "nine", 10: "ten"}


def and_list(words: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c" (empty items left out; "" for none)."""
    words = [w for w in words if w]
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def ordinal(n: int) -> str:
    if n in ORDINAL_WORDS:
        return ORDINAL_WORDS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def count_word(n: int) -> str:
    return COUNT_WORDS.get(n, str(n))


def currency_name(currency: str) -> str:
    return CURRENCY_TABLE[currency]["name"]


def currency_title(currency: str) -> str:
    """Column heading: "Yuan", "US dollars"."""
    return CURRENCY_TABLE[currency]["title"]


def terms(currency: str) -> str:
    """" in yuan terms", " in dollar terms": a rate or a figure on the basis of ``currency``."""
    return f" in {CURRENCY_TABLE[currency]['adjective']} terms"


def compound(currency: str) -> str:
    """"yuan", "US-dollar" (as in "no US-dollar figure")."""
    return CURRENCY_TABLE[currency]["compound"]


def adjective(currency: str) -> str:
    """"yuan", "dollar" (as in "in dollar terms", "the dollar edition")."""
    return CURRENCY_TABLE[currency]["adjective"]


def quantity(x: float, unit: str, decimals: int = 0) -> str:
    """A volume as printed: 58193.1, "tonnes", 1 -> "58,193.1 tonnes"."""
    return f"{_num(x, decimals)} {unit}"
