"""The data card's generated parts: coverage (year × measure), source counts and the conflicts table.

``python -m tradelib.datacard`` rewrites the generated block of ``tradelib/data/README.md``; a test fails
when the card and the data disagree.
"""
from __future__ import annotations

import sys

import pandas as pd

from . import fmt, paths, sources

BEGIN = "<!-- generated: python -m tradelib.datacard -->"
END = "<!-- end generated -->"

COLUMNS = [  # (label, selector on the figures table)
    (f"Headline {fmt.currency_name(sources.FIGURES_CURRENCIES[0])}", lambda f: (f.partner == "WLD")
     & (f["product"] == "ALL") & (f.enterprise == "ALL")
     & (f.currency == sources.FIGURES_CURRENCIES[0]) & f.measure.isin(["value", "growth_yoy"])),
    ("Headline US$", lambda f: (f.partner == "WLD") & (f["product"] == "ALL") & (f.enterprise == "ALL")
     & (f.currency == "USD") & f.measure.isin(["value", "growth_yoy"])),
    ("Partners", lambda f: f.partner != "WLD"),
    ("Products", lambda f: f["product"] != "ALL"),
    ("Enterprise types", lambda f: f.enterprise != "ALL"),
    ("World context", lambda f: f.measure.isin(["share_world", "rank_world", "consecutive_years_rank1",
                                                 "consecutive_years_rank2"]) & (f.partner == "WLD")),
    ("Statements", lambda f: f.measure.isin(["record_high", "growth_above_total", "contribution_pp"])),
]


def coverage(ds: sources.Dataset) -> pd.DataFrame:
    f = ds.figures
    out = pd.DataFrame({label: f[sel(f)].groupby("year").size() for label, sel in COLUMNS}).fillna(0).astype(int)
    ind = ds.indicators
    out["Indicators"] = ind.groupby("year").size().reindex(out.index).fillna(0).astype(int)
    return out.sort_index()


def official_share(ds: sources.Dataset) -> pd.DataFrame:
    """Per year: figures (figures.csv and indicators.csv, latest vintage) and how many cite an official
    publisher's page first (the source the briefings cite)."""
    kinds = dict(zip(ds.sources.source_id, ds.sources.kind))
    rows = pd.concat([ds.figures[["year", "source_id"]], ds.indicators[["year", "source_id"]]])
    first = rows.source_id.str.split(";").str[0].map(kinds)
    out = pd.DataFrame({"figures": rows.groupby("year").size(),
                        "official": (first == "official").groupby(rows.year).sum(),
                        "news": (first == "news").groupby(rows.year).sum()}).fillna(0).astype(int)
    out["share"] = out.official / out.figures
    return out.sort_index()


def uncited(path=None) -> pd.DataFrame:
    """Figures seen only on pages that cannot be cited (uncited.csv), one row per figure."""
    path = path or paths.UNCITED_CSV
    if not path.exists():
        return pd.DataFrame(columns=["year", "figure", "value", "seen on"])
    u = pd.read_csv(path, dtype=str, keep_default_na=False)
    u["figure"] = u.apply(lambda r: " ".join(x for x in (r.flow, r.partner if r.partner != "WLD" else "",
                                                          r["product"] if r["product"] != "ALL" else "",
                                                          r.enterprise if r.enterprise != "ALL" else "",
                                                          r.measure, r.currency) if x), axis=1)
    u["value"] = u.value + " " + u.unit
    g = u.groupby(["year", "figure"], sort=True).agg({"value": lambda v: " / ".join(dict.fromkeys(v)),
                                                       "source_id": lambda v: ", ".join(dict.fromkeys(v))})
    return g.reset_index().rename(columns={"source_id": "seen on"})


def markdown(ds: sources.Dataset) -> str:
    cov = coverage(ds)
    head = "| Year | " + " | ".join(cov.columns) + " |\n|---|" + "---:|" * len(cov.columns) + "\n"
    rows = "".join(f"| {y} | " + " | ".join(str(v) if v else "·" for v in r) + " |\n" for y, r in cov.iterrows())
    kinds = ds.sources.kind.value_counts()
    used = {s for ids in ds.figures.source_id for s in ids.split(";")}
    used |= {s for ids in ds.indicators.source_id for s in ids.split(";")}
    summary = (f"{len(ds.figures)} figures and {len(ds.indicators)} context indicators from {len(used)} sources "
               f"({len(ds.sources)} listed: {kinds.get('official', 0)} official, {kinds.get('news', 0)} news, "
               f"{kinds.get('other', 0)} other); {len(ds.conflicts)} disagreeing figures settled in conflicts.csv; "
               f"{len(ds.flags)} growth rates flagged as computed on a revised base.")
    c = ds.conflicts
    conflicts = "| Figure | Kept | Other | Source of the other | Settled |\n|---|---|---|---|---|\n" + "".join(
        f"| {r.year} {r.flow or ''} {r.partner or ''} {r['product']} {r.measure} {r.currency} | {r.value_kept} | "
        f"{r.value_other} {r.unit} | {r.source_other} | {r.settled} |\n" for _, r in c.iterrows())
    sh = official_share(ds)
    share = ("| Year | Figures | Cite an official publisher | Cite a news organisation | Official share |\n"
             "|---|---:|---:|---:|---:|\n" + "".join(
                 f"| {r.Index} | {r.figures} | {r.official} | {r.news} | {r.share:.0%} |\n" for r in sh.itertuples()))
    domains = sources.read_csv_rows(paths.DOMAINS_CSV, ["domain", "kind", "organisation", "note"],
                                    optional=("organisation", "note"))
    dk = domains.kind.value_counts()
    share_intro = (f"Source kinds are set per web domain in `domains.csv` ({len(domains)} domains: "
                   f"{dk.get('official', 0)} official, {dk.get('news', 0)} news organisations, {dk.get('other', 0)} "
                   "other). Share of figures (with context indicators) whose cited source, the first listed, is "
                   "an official publisher's page:")
    un = uncited()
    missing = ("| Year | Figure | Value seen | Seen only on |\n|---|---|---|---|\n" + "".join(
        f"| {r.year} | {r.figure} | {r.value} | {r['seen on']} |\n" for _, r in un.iterrows()))
    return (f"{BEGIN}\n\n{summary}\n\n{share_intro}\n\n{share}\n"
            f"Figures held per year (rows of figures.csv after settling conflicts; "
            f"indicators.csv for the last column):\n\n{head}{rows}\n### Conflicts and how each was settled\n\n"
            f"{conflicts}\n### Missing: figures seen only on pages that cannot be cited\n\n"
            f"{len(un)} figures were seen only on mirrors, reposts, aggregators or unrelated businesses' pages "
            f"(`uncited.csv`); they are left out of the briefings until a primary or news-organisation page is "
            f"found.\n\n{missing}\n{END}")


def update(path=None) -> bool:
    """Rewrite the generated block of the data card; True if it changed."""
    path = path or paths.DATA_DIR / "README.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + markdown(sources.load()) + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update()
    print("tradelib/data/README.md " + ("updated" if changed else "already up to date"))
    sys.exit(0)
