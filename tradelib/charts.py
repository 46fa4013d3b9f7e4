"""Charts in one house style. Figures come back as matplotlib Figures; ``to_svg`` embeds them as vectors.

Number formats on axes and labels come from :mod:`tradelib.fmt`, so a chart reads like the text.
"""
from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

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
                      "legend.frameon": False, "svg.fonttype": "path", "figure.dpi": 100})


def to_svg(fig) -> str:
    """The figure as an inline SVG element (no XML prolog), closed afterwards."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _unit_axis(ax, currency: str, axis: str = "y") -> None:
    f = FuncFormatter(lambda v, _: fmt.money_short(v, currency, decimals=0) if v else "0")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)


def trade_series(df: pd.DataFrame, year: int, currency: str, record_year: int | None) -> plt.Figure:
    """Exports and imports stacked by year, with the reference year's total labelled.

    ``df``: index year, columns exports and imports (base units of ``currency``).
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
            ax.annotate(f"{word}{fmt.money_short(t, currency)}", (y, t), xytext=(0, 4), textcoords="offset points",
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
    colors = [PALETTE["positive"] if v >= 0 else PALETTE["negative"] for v in vals]
    ax.barh(labels, vals, color=colors, height=0.6)
    label = fmt.signed_percent if unit == "percent" else fmt.pp_short
    span = max(abs(v) for v in vals) or 1
    for y, v in enumerate(vals):
        ax.annotate(label(v), (v, y), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=8)
    if reference is not None:
        ax.axvline(reference[1], color=PALETTE["accent"], linestyle="--", linewidth=1)
        ax.annotate(f"{reference[0]} {label(reference[1])}", (reference[1], n - 0.5), xytext=(3, 0),
                    textcoords="offset points", fontsize=7.5, color=PALETTE["accent"], va="top")
    ax.axvline(0, color="#555555", linewidth=0.8)
    lo = min(0, min(vals))
    ax.set_xlim(lo - 0.18 * span if lo < 0 else 0, max(vals + [0]) + 0.22 * span)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: (fmt.percent(v, 0) if unit == "percent"
                                                             else fmt.number(v, 0))))
    ax.grid(axis="y", visible=False)
    return fig


def line_chart(df: pd.DataFrame, unit: str = "percent", highlight: str | None = None) -> plt.Figure:
    """Lines over years (index: year; one column per series)."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.0))
    for i, col in enumerate(df.columns):
        s = df[col].dropna()
        lw = 2.2 if col == highlight else 1.4
        ax.plot(s.index.astype(int), s.values, marker="o", markersize=3.5, linewidth=lw, label=col,
                color=PALETTE["accent"] if col == highlight else sns.color_palette("deep")[i % 10])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0) if unit == "percent"
                                               else fmt.number(v, 0)))
    ax.set_xticks(sorted({int(y) for y in df.index}))
    ax.legend(loc="best", ncols=min(3, len(df.columns)))
    return fig


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
