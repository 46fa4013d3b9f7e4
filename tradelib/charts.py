"""Charts in one house style. Figures come back as matplotlib Figures; ``to_svg`` embeds them as vectors.

Number formats on axes and labels come from :mod:`tradelib.fmt`, so a chart reads like the text.
"""
from __future__ import annotations

import html
import io
import itertools
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from . import fmt  # noqa: E402

PALETTE = {
    "accent": "#8c1c13",   # record / highlighted year
    "exports": "#1f4e79",
    "imports": "#7fa7c9",
    "neutral": "#9a9a9a",
    "positive": "#1f4e79",
    "negative": "#b5562d",
}
WIDTH_IN = 7.2


def style() -> None:
    """Apply the house style (fonts, grid, spines)."""
    sns.set_theme(context="paper", style="whitegrid", font="DejaVu Sans",
                  rc={"axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#555555",
                      "grid.color": "#e3e3e3", "axes.titleweight": "bold", "axes.titlesize": 10,
                      "axes.labelsize": 8.5, "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8,
                      "legend.frameon": False, "svg.fonttype": "none", "figure.dpi": 100})


_svg_count = itertools.count(1)


def restart_ids() -> None:
    """Number chart ids from 1 again: a kernel kept across notebooks starts each document afresh."""
    global _svg_count
    _svg_count = itertools.count(1)


def to_svg(fig, alt: str = "") -> str:
    """The figure as an inline SVG element (no XML prolog), closed afterwards.

    matplotlib names glyphs and clip paths alike in every SVG (``DejaVuSans-25``, ``p1a2b3c``); several
    charts inlined in one page would share those ids, so each chart's ids get a prefix of their own.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    prefix = f"c{next(_svg_count)}-"
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: m.group(1) + (prefix + m.group(2) if m.group(2) in ids
                                                                       else m.group(2)), svg)
    if alt:  # a text alternative for screen readers, written from the chart's data
        a = html.escape(alt)
        svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{a}"', svg, count=1)
        svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + f"<title>{a}</title>", svg, count=1)
    return svg


def _unit_axis(ax, currency: str, axis: str = "y") -> None:
    f = FuncFormatter(lambda v, _: fmt.money_short(v, currency, decimals=0) if v else "0")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)


def trade_series(df: pd.DataFrame, year: int, currency: str, record_year: int | None,
                 total: float | None = None) -> plt.Figure:
    """Exports and imports stacked by year, with the reference year's total labelled.

    ``df``: index year, columns exports and imports (base units of ``currency``). ``total``: the published
    total of the reference year, labelled instead of the sum of the rounded parts (43.85, not 43.84).
    """
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.2))
    years = df.index.astype(int)
    ax.bar(years, df["exports"], color=PALETTE["exports"], label="Exports", width=0.7)
    ax.bar(years, df["imports"], bottom=df["exports"], color=PALETTE["imports"], label="Imports", width=0.7)
    totals = df["exports"] + df["imports"]
    for y, t in zip(years, totals):
        if y == year:
            edge = PALETTE["accent"] if y == record_year else "#333333"
            ax.bar([y], [t], fill=False, edgecolor=edge, linewidth=1.6, width=0.7)
            word = "record " if y == record_year else ""
            ax.annotate(f"{word}{fmt.money_short(total if total is not None else t, currency)}", (y, t), xytext=(0, 4), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color=edge, fontweight="bold")
    ax.set_xticks(list(years))
    ax.set_xticklabels([str(y) for y in years])
    _unit_axis(ax, currency)
    ax.set_ylim(0, totals.max() * 1.12)
    ax.legend(loc="upper left", ncols=2)
    ax.grid(axis="x", visible=False)
    return fig


def growth_bars(items: list[tuple[str, float]], reference: tuple[str, float] | None = None,
                unit: str = "percent") -> plt.Figure:
    """Horizontal bars of growth rates (%), or contributions (pp), with an optional reference line."""
    style()
    n = len(items)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.42 * n + 0.9))
    labels = [i[0] for i in items][::-1]
    vals = [i[1] for i in items][::-1]
    # a third element gives the decimals the source printed, so that a bar reads as the text does (9%, not 9.0%)
    decs = [i[2] if len(i) > 2 else 1 for i in items][::-1]
    colors = [PALETTE["positive"] if v >= 0 else PALETTE["negative"] for v in vals]
    ax.barh(labels, vals, color=colors, height=0.6)
    label = fmt.signed_percent if unit == "percent" else fmt.pp_short
    span = max(abs(v) for v in vals) or 1
    for y, (v, d) in enumerate(zip(vals, decs)):
        ax.annotate(label(v, d), (v, y), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=8)
    if reference is not None:
        ax.axvline(reference[1], color=PALETTE["accent"], linestyle="--", linewidth=1,
                   label=f"{reference[0]} {label(reference[1], reference[2] if len(reference) > 2 else 1)}")
        ax.legend(loc="lower right", handlelength=1.5)
    ax.axvline(0, color="#555555", linewidth=0.8)
    lo = min(0, min(vals))
    ax.set_xlim(lo - 0.18 * span if lo < 0 else 0, max(vals + [0]) + 0.22 * span)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10], integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: (fmt.percent(v, 0) if unit == "percent"
                                                             else fmt.number(v, 0))))
    ax.grid(axis="y", visible=False)
    return fig


def line_chart(df: pd.DataFrame, unit: str = "percent", highlight: str | None = None) -> plt.Figure:
    """Lines over years (index: year; one column per series)."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.0))
    for i, col in enumerate(df.columns):
        lw = 2.2 if col == highlight else 1.4
        s = df[col]
        ax.plot(s.index.astype(int), s.values, marker="o", markersize=3.5, linewidth=lw, label=col,
                color=PALETTE["accent"] if col == highlight else sns.color_palette("deep")[i % 10])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0) if unit == "percent"
                                               else fmt.number(v, 0)))
    ax.set_xticks(sorted({int(y) for y in df.index}))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=min(4, len(df.columns)))
    return fig


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def fan_chart(history: pd.Series, scen: pd.DataFrame | None, base: pd.DataFrame, currency: str,
              coverage: float, interval: bool = True) -> plt.Figure:
    """History, the scenario band (low to high growth) and the baseline with its prediction interval
    (``interval=False``: the baseline as a trend line only, for a baseline that failed its backtest)."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.3))
    h = history.sort_index()
    last_year, last = int(h.index[-1]), float(h.iloc[-1])
    ax.plot(h.index.astype(int), h.values, color=PALETTE["exports"], marker="o", markersize=3.5, linewidth=1.8,
            label="Published")
    years = [last_year] + [int(y) for y in base.index]
    if interval:
        ax.fill_between(years, [last] + list(base["lower"]), [last] + list(base["upper"]), color=PALETTE["neutral"],
                        alpha=0.25, linewidth=0, label=f"Baseline, {int(coverage * 100)}% interval")
    ax.plot(years, [last] + list(base["mean"]), color=PALETTE["neutral"], linestyle="--", linewidth=1.4,
            label="Baseline (trend of the history)" if interval else "Trend of the history carried forward")
    if scen is not None:
        ax.fill_between(years, [last] + list(scen["low"]), [last] + list(scen["high"]), color=PALETTE["accent"],
                        alpha=0.35, linewidth=0, label="Scenario range")
        for col in ("low", "high"):
            y_end = float(scen[col].iloc[-1])
            ax.annotate(fmt.money_short(y_end, currency, decimals=1), (years[-1], y_end), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=7.5, color=PALETTE["accent"])
    _unit_axis(ax, currency)
    ax.set_xticks(list(range(int(h.index[0]), years[-1] + 1)))
    ax.tick_params(axis="x", labelrotation=0)
    ax.set_xticklabels([str(y) if (years[-1] - y) % 2 == 0 else "" for y in range(int(h.index[0]), years[-1] + 1)])
    top = float(base["upper"].max()) if interval else float(base["mean"].max())
    ax.set_ylim(0, max(top, float(scen["high"].max()) if scen is not None else 0) * 1.08)
    ax.legend(loc="upper left", ncols=2)
    return fig


def share_bars(items: list[tuple[str, float]], caption_unit: str = "percent") -> plt.Figure:
    """Horizontal bars of shares (%), largest on top, each labelled with its share."""
    style()
    n = len(items)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.36 * n + 0.8))
    labels = [i[0] for i in items][::-1]
    vals = [i[1] for i in items][::-1]
    ax.barh(labels, vals, color=PALETTE["exports"], height=0.6)
    for y, v in enumerate(vals):
        ax.annotate(fmt.percent(v), (v, y), xytext=(4, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=8)
    ax.set_xlim(0, max(vals + [1]) * 1.15)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0)))
    ax.grid(axis="y", visible=False)
    return fig


def flow_bars(df: pd.DataFrame, highlight, currency: str, labels: list[str] | None = None) -> plt.Figure:
    """Bars of each flow (columns, e.g. exports and imports) side by side for each period (index), the
    briefing's period outlined."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.0))
    x = list(range(len(df)))
    cols = list(df.columns)
    width = 0.8 / max(1, len(cols))
    colors = [PALETTE["exports"], PALETTE["imports"], PALETTE["neutral"]]
    for i, col in enumerate(cols):
        pos = [v + (i - (len(cols) - 1) / 2) * width for v in x]
        bars = ax.bar(pos, df[col].values, width=width * 0.95, color=colors[i % len(colors)], label=str(col).capitalize())
        for p, b, idx in zip(pos, bars, df.index):
            if idx == highlight:
                b.set_edgecolor(PALETTE["accent"])
                b.set_linewidth(1.6)
    ax.set_xticks(x)
    ax.set_xticklabels(labels or [str(i) for i in df.index], rotation=0 if len(df) <= 12 else 45)
    _unit_axis(ax, currency)
    ax.set_ylim(0, float(df.max().max()) * 1.15)
    if len(cols) > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=len(cols))
    ax.grid(axis="x", visible=False)
    return fig


def monthly_chart(levels: pd.DataFrame | None, growth: pd.DataFrame | None, labels: list[str], current: int,
                  currency: str, combined: list[int] = ()) -> plt.Figure:
    """Releases side by side: exports and imports by month (bars, ``levels``) above their year-on-year growth
    (lines, ``growth``); either panel may be None. Columns exports and imports, one row per release in
    ``labels`` order; NaN leaves a gap. ``current``: the position of the briefing's release, marked;
    ``combined``: positions of releases covering several months (their bars hatched)."""
    style()
    panels = [x for x in (levels, growth) if x is not None]
    heights = [3 if x is levels else 2.4 for x in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(WIDTH_IN, 1.1 * sum(heights) + 0.6), sharex=True,
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    axes = list(axes[:, 0])
    x = list(range(len(labels)))
    colors = {"exports": PALETTE["exports"], "imports": PALETTE["imports"]}
    for ax, df in zip(axes, panels):
        ax.axvspan(current - 0.5, current + 0.5, color=PALETTE["accent"], alpha=0.10, linewidth=0)
        if df is levels:
            width = 0.4
            for i, flow in enumerate(("exports", "imports")):
                pos = [v + (i - 0.5) * width for v in x]
                bars = ax.bar(pos, df[flow].values, width=width * 0.95, color=colors[flow], label=flow.capitalize())
                for k in combined:
                    bars[k].set_hatch("////")
                    bars[k].set_edgecolor("white")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v, currency)))
            top = float(df.max().max()) if df.notna().any().any() else 1.0
            ax.set_ylim(0, top * 1.18)
            ax.grid(axis="x", visible=False)
        else:
            for flow in ("exports", "imports"):
                s = df[flow]
                ax.plot(x, s.values, marker="o", markersize=3.2, linewidth=1.5, color=colors[flow],
                        label=f"{flow.capitalize()} growth")
            ax.axhline(0, color="#555555", linewidth=0.8)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0)))
            ax.grid(axis="x", visible=False)
        if df is levels:   # plain swatches: a hatched combined period must not stand for the whole series
            from matplotlib.patches import Patch

            ax.legend(handles=[Patch(color=colors[f], label=f.capitalize()) for f in ("exports", "imports")],
                      loc="upper left", ncols=2, fontsize=7.5)
        else:
            ax.legend(loc="upper left", ncols=2, fontsize=7.5)
    axes[0].annotate("this release", (current, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                     textcoords="offset points", ha="center", va="bottom", fontsize=7.5, color=PALETTE["accent"])
    axes[-1].set_xticks(x)
    axes[-1].set_xticklabels(labels, rotation=90 if len(labels) > 12 else 0, fontsize=7.5)
    fig.tight_layout()
    return fig


def _tick(v: float, currency: str) -> str:
    """An axis label with a decimal only where the tick needs one (¥1.5tn, ¥2tn), so no two ticks read alike."""
    if not v:
        return "0"
    divisor = fmt.scale_for(v)[0]
    whole = abs(v / divisor - round(v / divisor)) < 1e-9
    return fmt.money_short(v, currency, decimals=0 if whole else 1)
