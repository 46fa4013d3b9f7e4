"""Building blocks the briefing notebooks display: sections, the key-figures box, charts with source lines.

Notebooks compose these; nothing here computes a figure (that is :mod:`tradelib.metrics`) or words a claim
(that is :mod:`tradelib.narrative`).
"""
from __future__ import annotations

import html

import pandas as pd

from . import charts, fmt, metrics
from .metrics import Fact
from .narrative import Narrator


def display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def display_markdown(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def paragraph(*sentences: str | None) -> str:
    return " ".join(s for s in sentences if s)


MAX_PUBLISHERS = 3


def source_line(nar: Narrator, facts: list[Fact | None]) -> str:
    """"Source: <publishers> [n]" built from the facts' provenance."""
    ids: list[str] = []
    for f in facts:
        if f is None:
            continue
        for s in f.source_ids:
            if s not in ids:
                ids.append(s)
    if not ids:
        return ""
    counts: dict[str, int] = {}
    for f in facts:
        if f is not None and f.source_ids:
            p = nar.data.source(f.source_ids[0])["publisher"]
            counts[p] = counts.get(p, 0) + 1
    names = sorted(counts, key=lambda p: -counts[p])
    shown = "; ".join(names[:MAX_PUBLISHERS])
    if len(names) > MAX_PUBLISHERS:
        shown += f" and {len(names) - MAX_PUBLISHERS} other publishers"
    marks = nar.cite(*[f for f in facts if f is not None])
    return (f'<div class="source-line">Source: customs figures as published by '
            f'{html.escape(shown)}{marks}.</div>')


def figure_html(fig, caption: str, nar: Narrator, facts: list[Fact | None]) -> str:
    return (f'<figure class="chart" id="fig-{charts.slug(caption)}"><figcaption>{html.escape(caption)}</figcaption>'
            f'{charts.to_svg(fig)}{source_line(nar, facts)}</figure>')


def key_figures(nar: Narrator) -> str:
    """The key-figures box: total, exports, imports, balance with growth, in both currencies."""
    rows = []
    used: list[Fact | None] = []
    for flow, label in (("total", "Total trade"), ("exports", "Exports"), ("imports", "Imports"),
                        ("balance", "Balance")):
        cells = [label]
        for cur in (nar.currency, "USD" if nar.currency == "CNY" else "CNY"):
            f = metrics.get(nar.fig, nar.year, flow, "value", currency=cur)
            used.append(f)
            cells.append(fmt.money(f.value, cur) + nar.cite(f) if f is not None else "not published")
        g = metrics.get(nar.fig, nar.year, flow, "growth_yoy", currency=nar.currency) if flow != "balance" else None
        used.append(g)
        cells.append((fmt.signed_percent(g.value) + nar.basis_words(g) + nar.cite(g)) if g is not None else "")
        rows.append(cells)
    cur_names = [fmt.currency_title(nar.currency), fmt.currency_title("USD" if nar.currency == "CNY" else "CNY")]
    head = "".join(f"<th>{h}</th>" for h in ["", *cur_names, f"Change on {nar.year - 1}"])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<div class="keybox"><h2>Key figures, {nar.year}</h2><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def trade_series_figure(nar: Narrator, first_year: int = 2015) -> str:
    """The series of exports and imports from ``first_year`` to the briefing year, record marked."""
    years = range(first_year, nar.year + 1)
    data, used = {}, []
    for y in years:
        e, i = nar.amount("exports", year=y), nar.amount("imports", year=y)
        if e is None or i is None:
            continue
        data[y] = {"exports": e.value, "imports": i.value}
        used += [e, i]
    df = pd.DataFrame.from_dict(data, orient="index").sort_index()
    hist = metrics.series(nar.fig, "total", currency="CNY")
    record = nar.year if metrics.is_record(hist, nar.year) else None
    fig = charts.trade_series(df, nar.year, nar.currency, record)
    unit = "trillion yuan" if nar.currency == "CNY" else "trillion US dollars"
    caption = f"China's goods trade, {df.index.min()}–{nar.year} ({unit})"
    missing = [y for y in years if y not in data]
    if missing:
        nar.note_missing("Exports and imports for " + ", ".join(map(str, missing)) + " (chart)")
    return figure_html(fig, caption, nar, used)


def missing_notes(nar: Narrator) -> str:
    if not nar.missing:
        return "<p>Every figure this briefing looks for was found in the published data.</p>"
    items = "".join(f"<li>{html.escape(m)}.</li>" for m in nar.missing)
    return f'<p>Figures not published or not yet held, so the sentences that need them are left out:</p><ul class="missing">{items}</ul>'


def provenance_block(nar: Narrator, parameters: dict) -> str:
    flags = "".join(f"<li>{html.escape(f)}</li>" for f in nar.data.flags if str(nar.year) in f[:4])
    p = "; ".join(f"{k} = {html.escape(str(v))}" for k, v in parameters.items())
    return (f'<p class="meta">Parameters: {p}. Data: {html.escape(str(nar.data.files["figures"].name))}, '
            f'vintage {html.escape(nar.data.vintage or "latest")} (newest release {nar.data.release_date}).</p>'
            + (f'<p class="meta">Growth rates reported on revised prior-year figures:</p><ul class="meta">{flags}</ul>'
               if flags else ""))
