"""The compilation as code: sightings settled into the figures table (``make data``).

Every time a figure was seen on a page it is kept as one *sighting* (``sightings.csv`` for trade figures,
``indicator_sightings.csv`` for context indicators): the figure's key, the value and unit as printed there,
the source, the release (vintage), a note ("approximate", "lower bound"), the verbatim phrase, and an
optional ``ruling`` written by the compiler ("left out: ..." with the reason) for a sighting that must not
be used although its page is acceptable.

Each source's kind (official / news / other) comes from its web domain (``domains.csv``), one kind per
domain, so two pages on one site never differ. :func:`settle` then applies these rules to the sightings of
one figure (same key and vintage):

1. A sighting with a ruling is set aside and listed in the conflicts with its reason.
2. Sightings agree when their values are equal within the rounding of the coarser one (3.69 trillion and
   36900.5 hundred million agree); agreeing sightings form one candidate value.
3. Only a page of an official publisher or a news organisation can be cited. A figure seen only on other
   pages (mirrors, reposts, aggregators, unrelated businesses) is not kept: it goes to ``uncited.csv`` and
   the data card lists it as missing.
4. Among the candidates, the one seen on the highest-ranked page wins (official, then news organisation,
   then other); then the one more citable pages give; then the more precise one; then the one recorded
   first. Each sighting of a losing candidate becomes a row of ``conflicts.csv`` naming the rule.
5. The value kept is the most precise one printed on a citable page of the winning candidate; its sources
   are the citable pages of that candidate, official first; the quote is the first one recorded on them.

``python -m tradelib.compile`` writes ``sources.csv`` (kinds), ``figures.csv``, ``indicators.csv``,
``conflicts.csv`` and ``uncited.csv`` from the sightings; ``tradelib.sources.load`` then validates the
result as usual.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from . import paths
from .errors import DataError, TradelibError
from .validate import UNITS
from .sources import (CONFLICT_COLUMNS, FIGURE_COLUMNS, INDICATOR_COLUMNS, KEY, SOURCE_COLUMNS,
                      read_csv_rows)

DOMAIN_COLUMNS = ["domain", "kind", "organisation", "note"]
SIGHTING_COLUMNS = FIGURE_COLUMNS + ["ruling"]
INDICATOR_SIGHTING_COLUMNS = INDICATOR_COLUMNS + ["ruling"]
UNCITED_COLUMNS = ["year", "flow", "partner", "product", "enterprise", "measure", "currency", "vintage",
                   "value", "unit", "source_id"]
KIND_RANK = {"official": 0, "news": 1, "other": 2}
CITABLE = ("official", "news")

RULE_RANK = "kept the figure of the higher-ranked publisher (official, then news organisation, then other)"
RULE_COUNT = "kept the figure that {n} citable sources give"
RULE_PRECISE = "kept the more precise figure"
RULE_ORDER = "kept the figure recorded first"

SCALE = {"trillion": 1e12, "billion": 1e9, "100 million": 1e8, "million": 1e6, "thousand": 1e3}


# ------------------------------------------------------------------ domains
def load_domains(path: Path | None = None) -> pd.DataFrame:
    path = path or paths.DOMAINS_CSV
    df = read_csv_rows(path, DOMAIN_COLUMNS, optional=("organisation", "note"))
    seen = set()
    for r in df.itertuples():
        if r.kind not in KIND_RANK:
            raise DataError(path, r.line, "source kind", f"kind {r.kind!r} is not one of {', '.join(KIND_RANK)}")
        if r.domain in seen:
            raise DataError(path, r.line, "unique domain", f"domain {r.domain!r} appears twice; give each "
                            "domain one kind")
        seen.add(r.domain)
    return df


def host(url: str) -> str:
    return (urlparse(url).hostname or "").lower()


def domain_of(url: str, domains: pd.DataFrame) -> pd.Series | None:
    """The row of ``domains`` for the URL's host: the longest listed domain the host equals or ends with."""
    h = host(url)
    best = None
    for r in domains.itertuples():
        d = r.domain.lower()
        if (h == d or h.endswith("." + d)) and (best is None or len(d) > len(best.domain)):
            best = r
    return None if best is None else domains.loc[best.Index]


def classify(sources: pd.DataFrame, domains: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """Sources with ``kind`` set from their URL's domain; a domain not in the table is refused."""
    path = path or paths.SOURCES_CSV
    out = sources.copy()
    for i, r in out.iterrows():
        d = domain_of(r.url, domains)
        if d is None:
            raise DataError(path, int(r.line), "known domain",
                            f"the domain of {r.url} ({host(r.url)}) is not in domains.csv; add it as official, "
                            "news or other")
        out.at[i, "kind"] = d.kind
    return out


# ------------------------------------------------------------------ values
@dataclass(frozen=True)
class Value:
    """A value as printed, with its unit: what it is in base units and how much rounding it may carry."""

    text: str
    unit: str

    @property
    def decimals(self) -> int:
        return len(self.text.split(".")[1]) if "." in self.text else 0

    @property
    def dimension_factor(self) -> tuple[str, float]:
        if self.unit in UNITS:
            return UNITS[self.unit]
        for word, factor in SCALE.items():  # indicator units such as "CNY trillion"
            if self.unit.endswith(" " + word):
                return self.unit[: -len(word) - 1], factor
        return self.unit, 1.0

    @property
    def amount(self) -> float:
        return float(self.text) * self.dimension_factor[1]

    @property
    def half_step(self) -> float:
        """Half the last published digit, in base units: the rounding a printed value may carry."""
        return 0.5 * 10 ** (-self.decimals) * self.dimension_factor[1]

    def agrees(self, other: "Value") -> bool:
        """Equal within the rounding of the coarser of the two."""
        if self.dimension_factor[0] != other.dimension_factor[0]:
            return False
        tol = max(self.half_step, other.half_step)
        return abs(self.amount - other.amount) <= tol * (1 + 1e-9)


# ------------------------------------------------------------------ settling
@dataclass
class Settled:
    kept: list[dict]
    conflicts: list[dict]
    uncited: list[dict]


def settle(sightings: pd.DataFrame, kinds: dict[str, str], key: list[str], value_columns: list[str]) -> Settled:
    """Settle sightings into one row per figure (``key`` + vintage) by the module's rules.

    ``sightings`` rows need the key, ``vintage``, ``value``, ``unit``, ``source_id`` (one source), ``note``,
    ``quote`` and ``ruling``; ``kinds`` maps source ids to official/news/other; ``value_columns`` are the
    output columns (figures or indicators) in order.
    """
    kept, conflicts, uncited = [], [], []
    s = sightings.copy()
    s["order"] = range(len(s))
    for _, grp in s.groupby(key + ["vintage"], sort=False, dropna=False):
        grp = grp.sort_values("order")
        ruled = grp[grp.ruling != ""]
        open_ = grp[grp.ruling == ""]
        clusters: list[list[pd.Series]] = []
        for _, r in open_.sort_values(["order"]).iterrows():
            v = Value(r.value, r.unit)
            for c in clusters:
                if Value(c[0].value, c[0].unit).agrees(v):
                    c.append(r)
                    break
            else:
                clusters.append([r])

        def rank_key(c):
            ranks = [KIND_RANK[kinds[r.source_id]] for r in c]
            citable = [r for r in c if kinds[r.source_id] in CITABLE]
            finest = min(Value(r.value, r.unit).half_step for r in c)
            return (min(ranks), -len(citable), finest, min(r.order for r in c))

        clusters.sort(key=rank_key)
        winner = clusters[0] if clusters and any(kinds[r.source_id] in CITABLE for r in clusters[0]) else None
        first = grp.iloc[0]
        base = {k: first[k] for k in key}
        if winner is None:
            for c in clusters:
                for r in c:
                    uncited.append({**base, "vintage": r.vintage, "value": r.value, "unit": r.unit,
                                    "source_id": r.source_id})
            for _, r in ruled.iterrows():
                conflicts.append(_conflict(base, "(none)", "", r, r.ruling))
            continue
        citable = sorted((r for r in winner if kinds[r.source_id] in CITABLE),
                         key=lambda r: (KIND_RANK[kinds[r.source_id]], r.order))
        rep = min(citable, key=lambda r: (Value(r.value, r.unit).half_step, KIND_RANK[kinds[r.source_id]], r.order))
        ids = []
        for r in citable:
            if r.source_id not in ids:
                ids.append(r.source_id)
        quote = next((r.quote for r in citable if r.quote), "")
        row = {**base, "value": rep.value, "unit": rep.unit, "source_id": ";".join(ids), "vintage": rep.vintage,
               "note": rep.note, "quote": quote}
        kept.append({c: row.get(c, "") for c in value_columns})
        kept_text = f"{rep.value} {rep.unit}"
        wk = rank_key(winner)
        for c in clusters[1:]:
            lk = rank_key(c)
            if lk[0] != wk[0]:
                why = RULE_RANK
            elif lk[1] != wk[1]:
                why = RULE_COUNT.format(n=-wk[1])
            elif lk[2] != wk[2]:
                why = RULE_PRECISE
            else:
                why = RULE_ORDER
            for r in c:
                conflicts.append(_conflict(base, kept_text, ids[0], r, why))
        for _, r in ruled.iterrows():
            conflicts.append(_conflict(base, kept_text, ids[0], r, r.ruling))
    return Settled(kept, conflicts, uncited)


def _conflict(base: dict, kept: str, source_kept: str, r, why: str) -> dict:
    return {"year": base.get("year", ""), "flow": base.get("flow", ""), "partner": base.get("partner", ""),
            "product": base.get("product", base.get("indicator", "")), "enterprise": base.get("enterprise", ""),
            "measure": base.get("measure", "indicator" if "indicator" in base else ""),
            "currency": base.get("currency", ""), "value_kept": kept, "value_other": r.value, "unit": r.unit,
            "source_kept": source_kept, "source_other": r.source_id, "settled": why}


# ------------------------------------------------------------------ the whole compilation
def _check_sighting_sources(df: pd.DataFrame, known: set[str], path: Path) -> None:
    for r in df.itertuples():
        if not r.source_id or ";" in r.source_id:
            raise DataError(path, r.line, "one source", "a sighting names exactly one source (one row per page)")
        if r.source_id not in known:
            raise DataError(path, r.line, "source", f"source_id {r.source_id!r} is not in sources.csv")
        if r.ruling and not r.ruling.startswith("left out: "):
            raise DataError(path, r.line, "ruling", f"ruling {r.ruling!r} must start with 'left out: ' and say why")


def compile_data(folder: Path | None = None) -> dict[str, int]:
    """Rewrite the settled files in ``folder`` (the bundled data by default) from its sightings."""
    folder = Path(folder or paths.DATA_DIR)
    domains = load_domains(folder / "domains.csv")
    src_path = folder / "sources.csv"
    sources = classify(read_csv_rows(src_path, SOURCE_COLUMNS, optional=("seen_at",)), domains, src_path)
    kinds = dict(zip(sources.source_id, sources.kind))
    known = set(kinds)

    fig_path = folder / "sightings.csv"
    fs = read_csv_rows(fig_path, SIGHTING_COLUMNS, optional=("note", "quote", "ruling"))
    _check_sighting_sources(fs, known, fig_path)
    ind_path = folder / "indicator_sightings.csv"
    ins = read_csv_rows(ind_path, INDICATOR_SIGHTING_COLUMNS, optional=("note", "quote", "ruling"))
    _check_sighting_sources(ins, known, ind_path)

    f = settle(fs, kinds, KEY, FIGURE_COLUMNS)
    i = settle(ins, kinds, ["year", "indicator", "currency"], INDICATOR_COLUMNS)

    def write(rows, columns, name, sort):
        df = pd.DataFrame(rows, columns=columns)
        if sort and not df.empty:
            df = df.sort_values(sort, kind="stable")
        df.to_csv(folder / name, index=False, lineterminator="\n")
        return len(df)

    fig_sort = ["year", "flow", "partner", "product", "enterprise", "measure", "currency", "vintage"]
    counts = {
        "figures": write(f.kept, FIGURE_COLUMNS, "figures.csv", fig_sort),
        "indicators": write(i.kept, INDICATOR_COLUMNS, "indicators.csv", ["year", "indicator", "vintage"]),
        "conflicts": write(f.conflicts + i.conflicts, CONFLICT_COLUMNS, "conflicts.csv", ["year"]),
        "uncited": write(f.uncited + [{**u, "flow": "", "partner": "", "product": u.get("indicator", ""),
                                       "enterprise": "", "measure": "indicator"} for u in i.uncited],
                         UNCITED_COLUMNS, "uncited.csv", ["year"]),
    }
    out = sources.drop(columns=["line"])[SOURCE_COLUMNS]
    out.to_csv(src_path, index=False, lineterminator="\n")
    return counts


def main(argv: list[str] | None = None) -> int:
    try:
        counts = compile_data()
        from . import sources as _sources
        _sources.load()
    except TradelibError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print("settled: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
