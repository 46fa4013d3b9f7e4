"""What is particular to a reporter, read from its data file (``tradelib/data/reporters/<ISO3>.toml``).

Names (``name``, ``possessive``, ``adjective``), the currencies of its releases, the publisher of its
statistics, the months it releases together, the partners, partner groups and product groups its briefings
feature and their display names. Library code takes all of these from a :class:`Reporter`, never from a
literal, so a new reporter needs a data file, not code. A reporter without a file gets its name from the
code lists (UN Comtrade areas, ISO 3166) and nothing featured; its file adds the rest.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import paths
from .errors import DataError

REPORTERS_DIR = paths.DATA_DIR / "reporters"
KEYS = {"iso3", "name", "possessive", "adjective", "currencies", "publisher", "publisher_short", "publisher_possessive",
        "official_publishers",
        "combined_months", "round_total_step", "round_balance_step", "partners", "products", "enterprises"}


@dataclass(frozen=True)
class Reporter:
    iso3: str
    name: str
    possessive: str = ""
    adjective: str = ""
    currencies: tuple[str, ...] = ()
    publisher: str = ""
    publisher_short: str = ""
    publisher_possessive: str = ""
    official_publishers: str = ""
    combined_months: tuple[tuple[int, int], ...] = ()
    round_total_step: dict = field(default_factory=dict)
    round_balance_step: dict = field(default_factory=dict)
    partners: dict = field(default_factory=dict)
    products: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)
    file: str = ""

    def __post_init__(self):
        if not self.possessive:
            object.__setattr__(self, "possessive", self.name + ("'" if self.name.endswith("s") else "'s"))

    # ------------------------------------------------------------------ names
    @property
    def partner_names(self) -> dict[str, str]:
        return dict(self.partners.get("names", {}))

    @property
    def product_names(self) -> dict[str, str]:
        return dict(self.products.get("names", {}))

    @property
    def short_product_names(self) -> dict[str, str]:
        return dict(self.products.get("short_names", {}))

    @property
    def enterprise_names(self) -> dict[str, str]:
        return dict(self.enterprises.get("names", {}))

    def featured(self, kind: str, key: str = "featured") -> tuple[str, ...]:
        """A list from the file (``featured("partners")``, ``featured("products", "commodities")``)."""
        table = {"partners": self.partners, "products": self.products}[kind]
        return tuple(table.get(key, ()))

    def setting(self, kind: str, key: str, default=None):
        table = {"partners": self.partners, "products": self.products}[kind]
        return table.get(key, default)


def _check(data: dict, path: Path) -> None:
    unknown = set(data) - KEYS
    if unknown:
        raise DataError(path, None, "reporter", f"unknown key(s) {', '.join(sorted(unknown))}; the keys are "
                        f"{', '.join(sorted(KEYS))}")
    for key in ("iso3", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise DataError(path, None, "reporter", f"{key} is missing; give it as text, e.g. {key} = \"...\"")
    for a, b in data.get("combined_months", []):
        if not 1 <= a < b <= 12:
            raise DataError(path, None, "reporter", f"combined_months [{a}, {b}] is not a run of months 1–12")


def read(path: str | Path) -> Reporter:
    """A reporter file (TOML)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, None, "reporter", "no such reporter file") from None
    except tomllib.TOMLDecodeError as e:
        raise DataError(path, None, "reporter", f"not valid TOML ({e}); see the files in {REPORTERS_DIR}") from None
    _check(data, path)
    data["iso3"] = data["iso3"].upper()
    data["currencies"] = tuple(data.get("currencies", ()))
    data["combined_months"] = tuple(tuple(r) for r in data.get("combined_months", ()))
    return Reporter(**data, file=str(path))


@lru_cache(maxsize=None)
def load(code: str) -> Reporter:
    """The reporter with ISO3 ``code`` (its file where there is one, else its name from the code lists), or
    the reporter file at path ``code``."""
    text = str(code).strip()
    if text.endswith(".toml") or "/" in text:
        return read(text)
    iso = text.upper()
    path = REPORTERS_DIR / f"{iso}.toml"
    if path.exists():
        return read(path)
    from .records import areas

    num = areas.code_of_iso3(iso)
    name = areas.name(num) if num is not None else None
    if not name or areas.kind(num, iso) != "country":
        raise DataError("reporter", None, "reporter", f"{text!r} is not a country's ISO 3166 alpha-3 code; write "
                        f"one such as {', '.join(available()[:3])}, or give a reporter file (.toml)")
    return Reporter(iso3=iso, name=name)


@lru_cache(maxsize=None)
def figures_reporter() -> Reporter:
    """The reporter whose published figures tradelib holds (``tradelib/data/figures.toml``)."""
    meta = tomllib.loads((paths.DATA_DIR / "figures.toml").read_text(encoding="utf-8"))
    return load(meta["reporter"])


def available() -> list[str]:
    return sorted(p.stem for p in REPORTERS_DIR.glob("*.toml"))
