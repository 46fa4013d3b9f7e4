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
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator  # noqa: E402

from . import fmt  # noqa: E402
from . import reporter as reporters  # noqa: E402

PALETTE = {
    "accent": "#8c1c13",   # record / highlighted year
    "exports": "#1f4e79",
    "imports": "#7fa7c9",
    "neutral": "#9a9a9a",
    "positive": "#1f4e79",
    "negative": "#b5562d",
}
# One colour per partner, the same in every chart, year and currency (the EU is always the same blue).
# Keyed by the partner codes of the figures; Okabe-Ito hues first, so the colours stay apart for most readers.
PARTNER_COLOURS = dict(reporters.figures_reporter().partners.get("colours", {}))  # from the reporter file
WIDTH_IN = 6.85  # the A4 column (174 mm): charts print at the size they are drawn, text at its point size
LABEL_BOX = dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none")  # no line runs through a label


def partner_colour(code: str) -> str:
    """The partner's colour in every chart; a partner without one of its own is drawn in neutral grey."""
    return PARTNER_COLOURS.get(code, PALETTE["neutral"])


def key_above(ax, right: bool = False, ncols: int | None = None) -> None:
    """The legend (key) above the plotting area, outside it, so that no line, bar or grid line crosses it."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    ax.legend(handles, labels, loc="lower right" if right else "lower left",
              bbox_to_anchor=(1, 1.02) if right else (0, 1.02), borderaxespad=0,
              ncols=ncols or len(handles), handlelength=1.6, columnspacing=1.4)


def legend_clashes(fig) -> list[str]:
    """What a legend of ``fig`` overlaps: the plotting area of any axes (where lines, bars and grid lines run),
    or a text (tick labels, value labels). Empty when every legend stands clear."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    for leg in legends:
        box = leg.get_window_extent(renderer)
        own = set(leg.get_texts()) | {leg.get_title()}
        for ax in fig.axes:
            if box.overlaps(ax.get_window_extent(renderer)):
                out.append(f"legend {[t.get_text() for t in leg.get_texts()]} over the plotting area")
        for t in fig.findobj(matplotlib.text.Text):
            if t in own or not t.get_visible() or not t.get_text().strip():
                continue
            if box.overlaps(t.get_window_extent(renderer)):
                out.append(f"legend {[x.get_text() for x in leg.get_texts()]} over the text {t.get_text()!r}")
    return out


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
    fig.savefig(buf, format="svg", metadata={"Date": None})  # the figure's own size: every chart as wide
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


class MoneyTicks(Formatter):
    """Money tick labels on one scale, that of the largest tick ("US$1.5tn", "US$2tn", "US$2.5tn": never
    "US$500bn" beside "US$1tn", nor two ticks both reading "US$3tn"), with as few decimals as the ticks need."""

    def __init__(self, currency: str):
        self.currency = currency
        self.ticks: list[float] = []

    def set_locs(self, locs) -> None:
        self.ticks = [float(x) for x in locs]

    def __call__(self, v, pos=None) -> str:
        if not v:
            return "0"
        locs = [x for x in self.ticks if x] or [v]
        divisor, word, _ = fmt.scale_for(max(abs(x) for x in locs))
        dec = next((d for d in range(3) if all(abs(round(x / divisor, d) - x / divisor) < 1e-9 for x in locs)), 2)
        suffix = {"trillion": "tn", "billion": "bn", "million": "m", "": ""}[word]
        body = fmt.number(v / divisor, dec)
        sym = fmt.CURRENCY_TABLE[self.currency]["short_symbol"]
        sign = fmt.MINUS if body.startswith(fmt.MINUS) else ""
        return f"{sign}{sym}{body.lstrip(fmt.MINUS)}{suffix}"


def _unit_axis(ax, currency: str, axis: str = "y") -> None:
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(MoneyTicks(currency))


def trade_series(df: pd.DataFrame, year: int, currency: str, record_year: int | None,
                 total: float | None = None) -> plt.Figure:
    """Exports and imports stacked by year, with the reference year's total labelled.

    ``df``: index year, columns exports and imports (base units of ``currency``). ``total``: the published
    total of the reference year, labelled instead of the sum of the rounded parts (43.85, not 43.84).
    """
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.3), layout="constrained")
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
    ax.set_ylim(0, totals.max() * 1.15)
    key_above(ax)
    ax.grid(axis="x", visible=False)
    return fig


def growth_bars(items: list[tuple[str, float]], reference: tuple[str, float] | None = None,
                unit: str = "percent") -> plt.Figure:
    """Horizontal bars of growth rates (%), or contributions (pp), with an optional reference line."""
    style()
    n = len(items)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.34 * n + 0.75), layout="constrained")
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
                    ha="left" if v >= 0 else "right", va="center", fontsize=8, bbox=LABEL_BOX, zorder=5)
    if reference is not None:
        ax.axvline(reference[1], color=PALETTE["accent"], linestyle="--", linewidth=1,
                   label=f"{reference[0]} {label(reference[1], reference[2] if len(reference) > 2 else 1)}")
        key_above(ax, right=True)
    ax.axvline(0, color="#555555", linewidth=0.8)
    lo = min(0, min(vals))
    ax.set_xlim(lo - 0.18 * span if lo < 0 else 0, max(vals + [0]) + 0.22 * span)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10], integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: (fmt.percent(v, 0) if unit == "percent"
                                                             else fmt.number(v, 0))))
    ax.grid(axis="y", visible=False)
    return fig


def partner_panels(rows: list[tuple], currency: str, value_title: str, growth_title: str,
                   reference: tuple | None = None) -> plt.Figure:
    """Trade with each partner in one currency: its value (left panel) and its change on the year before
    (right panel), each partner in its own colour. A partner with only one of the two shows a dash for the
    other, as the key-figures box does; a panel no partner has is left out.

    ``rows``: (partner code, label, value in base units of ``currency`` or None, growth % or None, decimals
    of the growth as published). ``reference``: (label, growth %, decimals) drawn as a dashed line.
    """
    style()
    n = len(rows)
    has_value = any(r[2] is not None for r in rows)
    has_growth = any(r[3] is not None for r in rows)
    panels = [k for k, present in (("value", has_value), ("growth", has_growth)) if present]
    fig, axes = plt.subplots(1, len(panels), figsize=(WIDTH_IN, 0.3 * n + 0.85), sharey=True, squeeze=False,
                             layout="constrained")
    fig.get_layout_engine().set(wspace=0.04)
    labels = [r[1] for r in rows][::-1]
    colours = [partner_colour(r[0]) for r in rows][::-1]
    codes = [r[0] for r in rows][::-1]
    ypos = range(n)
    for ax, panel in zip(axes[0], panels):
        col = 2 if panel == "value" else 3
        vals = [r[col] for r in rows][::-1]
        for y, v, colour, code in zip(ypos, vals, colours, codes):
            if v is not None:
                bar = ax.barh([y], [v], color=colour, height=0.6)[0]
                bar.set_gid(f"partner-{code}-{panel}")  # named in the SVG, so the chart can be checked
        shown = [v for v in vals if v is not None]
        if panel == "growth" and reference is not None:
            shown_with_ref = shown + [reference[1]]
        else:
            shown_with_ref = shown
        span = max((abs(v) for v in shown_with_ref), default=1) or 1
        lo, hi = min([0] + shown_with_ref), max([0] + shown_with_ref)
        decs = [r[4] for r in rows][::-1]
        for y, v, d in zip(ypos, vals, decs):
            if v is None:  # a dash at the panel's left edge, where no bar of that row runs
                ax.annotate("\u2013", (0.02, y), xycoords=ax.get_yaxis_transform(), ha="left", va="center",
                            fontsize=8, color="#555555", bbox=LABEL_BOX, zorder=5)
                continue
            text = (fmt.money_short(v, currency) if panel == "value" else fmt.signed_percent(v, d))
            ax.annotate(text, (v, y), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                        ha="left" if v >= 0 else "right", va="center", fontsize=8, bbox=LABEL_BOX, zorder=5)
        if panel == "value":
            ax.set_xlim(0, span * 1.3)
            ax.set_xticks([])  # each bar carries its value
            ax.set_title(value_title, loc="left", fontsize=8.5, fontweight="bold")
        else:
            ax.set_xlim(lo - 0.45 * span if lo < 0 else 0, hi + 0.3 * span)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0)))
            ax.axvline(0, color="#555555", linewidth=0.8)
            if reference is not None:
                ax.axvline(reference[1], color=PALETTE["accent"], linestyle="--", linewidth=1,
                           label=f"{reference[0]} {fmt.signed_percent(reference[1], reference[2])}")
            ax.set_title(growth_title, loc="left", fontsize=8.5, fontweight="bold")
        ax.grid(axis="y", visible=False)
    axes[0][0].set_yticks(list(ypos))
    axes[0][0].set_yticklabels(labels)
    if reference is not None and has_growth:  # a row of its own above the panels' titles, at the right
        handles, labels = axes[0][-1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper right", handlelength=1.6)
    return fig


def line_chart(df: pd.DataFrame, unit: str = "percent", highlight: str | None = None,
               colours: dict[str, str] | None = None) -> plt.Figure:
    """Lines over years (index: year; one column per series). ``colours``: a fixed colour per column (a
    partner's own, see :data:`PARTNER_COLOURS`); columns without one take the house palette in order."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.4), layout="constrained")
    colours = colours or {}
    for i, col in enumerate(df.columns):
        lw = 2.2 if col == highlight else 1.4
        s = df[col]
        colour = colours.get(col) or (PALETTE["accent"] if col == highlight else sns.color_palette("deep")[i % 10])
        ax.plot(s.index.astype(int), s.values, marker="o", markersize=3.5, linewidth=lw, label=col, color=colour)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0) if unit == "percent"
                                               else fmt.number(v, 0)))
    ax.set_xticks(sorted({int(y) for y in df.index}))
    key_above(ax, ncols=min(4, len(df.columns)))
    return fig


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def fan_chart(history: pd.Series, scen: pd.DataFrame | None, base: pd.DataFrame, currency: str,
              coverage: float, interval: bool = True) -> plt.Figure:
    """History, the scenario band (low to high growth) and the baseline with its prediction interval
    (``interval=False``: the baseline as a trend line only, for a baseline that failed its backtest)."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.5), layout="constrained")
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
    key_above(ax)
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


def month_lines(df: pd.DataFrame, labels: list[str], marked: list[int], currency: str) -> plt.Figure:
    """One line per column over months (rows), the months at positions ``marked`` shaded."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.0))
    x = list(range(len(df)))
    colors = [PALETTE["exports"], PALETTE["imports"], PALETTE["neutral"]]
    if marked:
        ax.axvspan(min(marked) - 0.4, max(marked) + 0.4, color=PALETTE["accent"], alpha=0.12, linewidth=0)
    for i, col in enumerate(df.columns):
        ax.plot(x, df[col].values, color=colors[i % len(colors)], linewidth=1.6, marker="o", markersize=2.5,
                label=str(col).capitalize())
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels(labels[::step], rotation=0)
    _unit_axis(ax, currency)
    ax.set_ylim(0, float(df.max().max()) * 1.15)
    if len(df.columns) > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=len(df.columns))
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
