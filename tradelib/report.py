"""Building blocks the briefing notebooks display: sections, the key-figures box, charts with source lines.

Notebooks compose these; nothing here computes a figure (that is :mod:`tradelib.metrics`) or words a claim
(that is :mod:`tradelib.narrative`).
"""
from __future__ import annotations

import html

import pandas as pd

from . import charts, fmt, metrics, narrative, sources
from .metrics import Fact
from .narrative import Narrator, f_dec


def display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def paragraph(*sentences: str | None) -> str:
    return " ".join(s for s in sentences if s)


def section_text(*sentences: str | None) -> str:
    """A paragraph of the sentences that could be written; nothing when none could."""
    text = paragraph(*sentences)
    return f"<p>{text}</p>" if text else ""


def section(title: str, *parts: str | None) -> str:
    """A section: its heading and the parts that have content; nothing at all when none has (a section
    without figures is left out of the briefing)."""
    body = "".join(p for p in parts if p)
    return f"<h2>{html.escape(title)}</h2>{body}" if body else ""


def main_points(nar: Narrator) -> str:
    """The lead: the year's most newsworthy facts, chosen by :meth:`Narrator.main_points`."""
    points = nar.main_points()
    if not points:
        return ""
    items = "".join(f"<li>{p}</li>" for p in points)
    return f'<div class="lead"><h2>Main points</h2><ul>{items}</ul></div>'


MAX_PUBLISHERS = 3
MIN_SERIES_YEARS = 3


def source_line(nar: Narrator, facts: list[Fact | None]) -> str:
    """"Sources: <the most cited publishers> [n]" built from the facts' primary sources."""
    counts: dict[str, int] = {}
    for f in facts:
        if f is not None and f.source_ids:
            p = nar.data.source(f.source_ids[0])["publisher"]
            counts[p] = counts.get(p, 0) + 1
    if not counts:
        return ""
    names = sorted(counts, key=lambda p: -counts[p])
    shown = "; ".join(names[:MAX_PUBLISHERS])
    if len(names) > MAX_PUBLISHERS:
        shown += f" and {len(names) - MAX_PUBLISHERS} other publishers"
    marks = nar.cite(*[f for f in facts if f is not None])
    label = "Source" if len(names) == 1 else "Sources"
    return f'<div class="source-line">{label}: {html.escape(shown)}{marks}.</div>'


def figure_html(fig, caption: str, nar: Narrator, facts: list[Fact | None], alt: str = "") -> str:
    return (f'<figure class="chart" id="fig-{charts.slug(caption)}"><figcaption>{html.escape(caption)}</figcaption>'
            f'{charts.to_svg(fig, alt or caption)}{source_line(nar, facts)}</figure>')


def key_figures(nar: Narrator) -> str:
    """The key-figures box in the edition's currency: levels (converted* or computed† where not published)
    and the change on the year before where published in that basis."""
    rows = []
    for flow, label in (("total", "Total trade"), ("exports", "Exports"), ("imports", "Imports"),
                        ("balance", "Balance")):
        f = (nar.balance() or nar.amount("balance")) if flow == "balance" else nar.amount(flow)
        g = metrics.get(nar.fig, nar.year, flow, "growth_yoy", currency=nar.currency)
        g = g if g is not None and g.basis == nar.currency else None
        level = nar.money(f) + nar.cite(f) if f is not None else "–"
        change = nar.signed(g) + nar.cite(g) if g is not None else "–"
        if f is None and g is None:
            continue
        rows.append([label, level, change])
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{h}</th>' for h in ["", str(nar.year), f"Change on {nar.year - 1}"])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<div class="keybox"><h2>Key figures, {nar.year} ({fmt.currency_name(nar.currency)})</h2><table>'
            f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


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
    if len(df) < MIN_SERIES_YEARS:
        return ""  # a chart of one or two bars says nothing the key figures do not
    # a record is marked only where it was published for the edition's currency (the yuan total's record
    # is not a dollar record)
    flag = metrics.get(nar.fig, nar.year, "total", "record_high", currency=nar.currency)
    record = nar.year if flag is not None and flag.value == 1 and flag.basis == nar.currency else None
    total = nar.amount("total")
    if total is not None and total.unit == nar.currency:
        used.append(total)
    fig = charts.trade_series(df, nar.year, nar.currency, record,
                              total.value if total is not None and total.unit == nar.currency else None)
    unit = f"trillion {fmt.currency_name(nar.currency)}"
    span = f"{df.index.min()}–{nar.year}" if df.index.min() < nar.year else str(nar.year)
    caption = f"{narrative.POS} goods trade, {span} ({unit})"
    converted = sorted({f.year for f in used if not f.reported})
    if converted:
        nar.converted_shown = True
        caption += "; " + ", ".join(map(str, converted)) + " converted at the average rate*"
    alt = f"{caption}. " + "; ".join(f"{y}: exports {fmt.money(r.exports, nar.currency)}, imports "
                                     f"{fmt.money(r.imports, nar.currency)}" for y, r in df.iterrows()) + "."
    return figure_html(fig, caption, nar, used, alt)


def growth_figure(nar: Narrator, caption: str, items: list[tuple[str, Fact | None]], reference: tuple[str, Fact | None],
                  unit: str = "percent") -> str | None:
    """Bars of growth rates published in the same currency basis as the reference; None if fewer than two."""
    ref_label, ref = reference
    kept = [(label, f) for label, f in items if f is not None and (ref is None or f.basis in ("", ref.basis))]
    if len(kept) < 2:
        return None
    kept.sort(key=lambda x: -x[1].value)
    fig = charts.growth_bars([(label, f.value, nar.dec(f)) for label, f in kept],
                             (ref_label, ref.value, nar.dec(ref)) if ref is not None else None, unit=unit)
    basis = ("," + fmt.terms(ref.basis)) if ref is not None and ref.basis else ""
    show = fmt.signed_percent if unit == "percent" else fmt.pp_short
    alt = (f"{caption}{basis}. " + "; ".join(f"{label}: {show(f.value, nar.dec(f))}" for label, f in kept)
           + (f"; {ref_label}: {show(ref.value, nar.dec(ref))}" if ref is not None and ref_label else "") + ".")
    return figure_html(fig, caption + basis, nar, [f for _, f in kept] + [ref], alt)


def product_growth_figure(nar: Narrator) -> str | None:
    items = [(narrative.SHORT_PRODUCT_NAMES[p], nar.growth("exports", product=p)) for p in narrative.EXPORT_GROUPS]
    return growth_figure(nar, f"Export growth by product group, {nar.year}", items,
                         ("All exports", nar.growth("exports")))


def contributions_figure(nar: Narrator) -> str | None:
    """Published contributions to export growth (percentage points), partners and product groups alike."""
    f = nar.fig
    rows = f[(f.year == nar.year) & (f.flow == "exports") & (f.measure == "contribution_pp")]
    items = []
    for r in rows.itertuples():
        name = (narrative.PARTNER_NAMES.get(r.partner, r.partner) if r.partner != "WLD"
                else narrative.SHORT_PRODUCT_NAMES.get(r.product, r.product.replace("_", " ").capitalize()))
        items.append((name.removeprefix("the "), metrics.fact_from_row(r, "contribution")))
    bases = {f.basis for _, f in items}
    # the total growth shown beside the contributions is the one they add up to, in their basis
    total = metrics.get(nar.fig, nar.year, "exports", "growth_yoy", currency=bases.pop()) if len(bases) == 1 else None
    if total is None:
        return None
    return growth_figure(nar, f"Published contributions to export growth, {nar.year} (percentage points)", items,
                         ("Total export growth", total), unit="pp")


MAIN_PARTNERS = narrative.REPORTER.featured("partners", "detailed")  # the partners the text takes one by one


def partner_growth_figure(nar: Narrator) -> str | None:
    """Trade with each partner in the edition's currency only: its value and its change on the year before,
    each where published in that currency (a partner with a value but no rate in that currency, such as the
    United States in the yuan edition of 2025, is drawn with its value and a dash). Main partners with
    nothing in that currency are named in the caption. None when fewer than two partners."""
    cur = nar.currency
    ref = metrics.get(nar.fig, nar.year, "total", "growth_yoy", currency=cur)
    ref = ref if ref is not None and ref.basis == cur else None
    rows, absent = [], []
    for p in narrative.PARTNER_GROUPS:
        v = metrics.get(nar.fig, nar.year, "total", "value", partner=p, currency=cur)
        g = metrics.get(nar.fig, nar.year, "total", "growth_yoy", partner=p, currency=cur)
        g = g if g is not None and g.basis == cur else None
        if v is not None or g is not None:
            rows.append((p, narrative.PARTNER_NAMES[p].removeprefix("the "), v, g))
        elif p in MAIN_PARTNERS and (metrics.get(nar.fig, nar.year, "total", "value", partner=p,
                                                 currency=nar.other_currency) is not None
                                     or metrics.get(nar.fig, nar.year, "total", "growth_yoy", partner=p,
                                                    currency=nar.other_currency) is not None):
            absent.append(narrative.PARTNER_NAMES[p])
    if len(rows) < 2:
        return None
    rows.sort(key=lambda r: (r[2] is None, -(r[2].value if r[2] is not None else 0),
                             -(r[3].value if r[3] is not None else 0)))
    has_value, has_growth = any(r[2] for r in rows), any(r[3] for r in rows)
    name = fmt.currency_name(cur)
    shown = " and ".join(w for w, present in (("value", has_value), (f"change on {nar.year - 1}", has_growth))
                         if present)
    gaps = any((r[2] is None and has_value) or (r[3] is None and has_growth) for r in rows)
    caption = f"Trade by partner, {nar.year}, in {name}: {shown}" + (f" where published in {name}" if gaps else "")
    if absent:
        caption += (f"; {fmt.and_list(absent)} {'was' if len(absent) == 1 else 'were'} reported in "
                    f"{fmt.currency_name(nar.other_currency)} only (see the text)")
    fig = charts.partner_panels(
        [(p, label, v.value if v is not None else None, g.value if g is not None else None,
          nar.dec(g) if g is not None else 1) for p, label, v, g in rows],
        cur, f"Trade, {nar.year}", f"Change on {nar.year - 1}",
        ("All partners", ref.value, nar.dec(ref)) if ref is not None and has_growth else None)

    none = f"no {fmt.compound(cur)} figure"

    def describe(v, g):
        parts = [fmt.money(v.value, v.unit)] if v is not None else ([] if not has_value else [f"value: {none}"])
        if has_growth:
            parts.append(fmt.signed_percent(g.value, nar.dec(g)) if g is not None else f"change: {none}")
        return ", ".join(parts)

    alt = (f"{caption}. " + "; ".join(f"{label}: {describe(v, g)}" for _, label, v, g in rows)
           + (f"; all partners: {fmt.signed_percent(ref.value, nar.dec(ref))}" if ref is not None and has_growth
              else "") + ".")
    used = [f for _, _, v, g in rows for f in (v, g) if f is not None] + ([ref] if has_growth else [])
    return figure_html(fig, caption, nar, used, alt)


def partner_shares_figure(nar: Narrator, first_year: int = 2015) -> str | None:
    """Partners' shares of China's total trade over the years, as published, on one currency basis (the
    edition's where it gives enough years, else the other, named in the caption). A partner needs
    ``MIN_SERIES_YEARS`` years on that basis, the last of them the briefing's year; else no chart."""
    for basis in (nar.currency, nar.other_currency):
        data, used = {}, []
        for p in narrative.PARTNER_GROUPS:
            rows = metrics.select(nar.fig, measure="share", flow="total", partner=p)
            rows = rows[(rows.year >= first_year) & (rows.year <= nar.year) & (rows.currency == basis)]
            if len(rows) >= MIN_SERIES_YEARS and nar.year in set(rows.year):
                data[narrative.PARTNER_NAMES[p].removeprefix("the ")] = rows.set_index("year")["value"]
                used += [metrics.fact_from_row(r, "share") for r in rows.itertuples()]
        if data:
            break
    else:
        return None
    df = pd.DataFrame(data).sort_index()
    df = df.reindex(range(int(df.index.min()), nar.year + 1))  # gaps stay gaps, not lines across missing years
    bri = narrative.BELT_AND_ROAD
    colours = {narrative.PARTNER_NAMES[p].removeprefix("the "): charts.partner_colour(p)
               for p in narrative.PARTNER_GROUPS}
    fig = charts.line_chart(df, highlight=narrative.PARTNER_NAMES[bri], colours=colours)
    breaks = metrics.select(nar.fig, measure="share", flow="total", partner=f"{bri}_ALONG")
    note = (f" Belt and Road shares before 2023 are on {narrative.PUB_POS} earlier, narrower list of countries and "
            "are not shown." if not breaks.empty else "")
    caption = f"Shares of {narrative.POS} total trade, as published (%)," + fmt.terms(basis)
    alt = f"{caption}. " + "; ".join(f"{name}: " + ", ".join(f"{int(y)} {fmt.percent(v, 1)}" for y, v in col.dropna().items())
                                     for name, col in df.items()) + "."
    html_ = figure_html(fig, caption, nar, used, alt)
    return html_.replace('<div class="source-line">', f'<div class="source-line">{note.strip()} ', 1) if note else html_


def commodity_figure(nar: Narrator) -> str | None:
    items = [(narrative.PRODUCT_NAMES[p].capitalize(),
              metrics.get(nar.fig, nar.year, "imports", "growth_yoy_volume", product=p, currency=None))
             for p in narrative.COMMODITIES]
    return growth_figure(nar, f"Import volumes of key commodities, change on {nar.year - 1}", items,
                         ("", None))


def show_optional(html_text: str | None) -> None:
    if html_text:
        display_html(html_text)


def about(nar: Narrator) -> str:
    """"About this briefing": what the figures are, their vintage, the currency, the sources policy, what the
    briefing does not cover, revised-base growth rates; then the numbered sources."""
    cur = fmt.currency_name(nar.currency)
    other = fmt.currency_name(nar.other_currency)
    terms = fmt.terms(nar.other_currency).strip()
    rep = narrative.REPORTER
    own = nar.fig.loc[nar.fig.year == nar.year, "vintage"]
    vintage = nar.data.vintage or (str(own.max()) if not own.empty else nar.data.release_date)
    paras = [
        f"This briefing describes {rep.possessive} trade in goods in {nar.year} from the figures {rep.publisher} "
        f"published for the year, as released and reported up to {vintage}: "
        f"levels and growth rates as published ({rep.publisher_short} compute growth on their revised figures for "
        "the year before), with ranks, shares and statements the releases made.",
        f"All figures are in {cur} where they were published in {cur}. A figure published only in {other} is "
        f"given as such and marked “{terms}”; it is never set against a rate of the other currency.",
        f"Each figure cites the page of its official publisher ({rep.official_publishers}) or of a news "
        "organisation where it was seen. Copies of those pages on other sites are not cited; a figure found only "
        "on such sites is left out.",
        "Not covered: trade in services, monthly and provincial figures, and price and volume indices. The "
        f"outlook is a projection from published figures, not a forecast by {rep.publisher_short}.",
    ]
    used = sources.describe_files(nar.data.files)
    if used != "all files as bundled with tradelib":
        paras.append(f"This edition was computed from a data set supplied for it: {used}.")
    marks = []
    if nar.converted_shown:
        marks.append(f"* Converted from the published figure at the year's average exchange rate "
                     f"({fmt.currency_name(narrative.OWN)} per US dollar, from the sources listed).")
    if nar.computed_shown:
        marks.append("† Not published; computed as exports minus imports from the published figures.")
    notes = revised_base_notes(nar)
    revised = (f"<p>Growth rates {narrative.REPORTER.publisher_short} computed on a revised figure for the year before: "
               + "; ".join(html.escape(n) for n in notes) + ".</p>") if notes else ""
    return ("<h2>About this briefing</h2>" + "".join(f"<p>{html.escape(p)}</p>" for p in paras)
            + "".join(f'<p class="meta">{html.escape(m)}</p>' for m in marks) + revised
            + "<h3>Sources</h3>" + nar.citations.markdown())


def revised_base_notes(nar: Narrator) -> list[str]:
    """The year's growth rates that the customs computed on a revised prior-year figure, in words."""
    out = []
    for f in nar.data.flags:
        if f.year != nar.year:
            continue
        what = {"total": "Total trade", "exports": "Exports", "imports": "Imports", "balance": "The balance"}[f.flow]
        if f.product != "ALL":
            what += " of " + narrative.PRODUCT_NAMES.get(f.product, f.product)
        if f.partner != "WLD":
            what += " with " + narrative.PARTNER_NAMES.get(f.partner, f.partner)
        if f.enterprise != "ALL":
            what += " by " + narrative.ENTERPRISE_NAMES.get(f.enterprise, f.enterprise)
        out.append(f"{what}, in {fmt.currency_name(f.currency)}: reported {fmt.signed_percent(f.reported)}, against "
                   f"{fmt.signed_percent(f.computed, 2)} on the levels as first published for {f.year - 1} and {f.year}")
    return out


def outlook_range(nar: Narrator, low: float | None, high: float | None) -> tuple[Fact | None, Fact | None]:
    """The scenario range: given parameters, else the range quoted with the year's release (as Facts)."""
    if low is not None or high is not None:
        if low is None or high is None:
            from .outlook import OutlookError
            raise OutlookError("give both ends of the outlook growth range (outlook_low and outlook_high)")
        return (Fact(float(low), "percent", "outlook low (parameter)", nar.year, reported=False),
                Fact(float(high), "percent", "outlook high (parameter)", nar.year, reported=False))
    return nar.indicator("export_growth_outlook_low"), nar.indicator("export_growth_outlook_high")


def outlook_section(nar: Narrator, low: float | None = None, high: float | None = None, horizon: int = 5,
                    coverage: float = 0.8, backtest_years: int = 3) -> str:
    """Scenario paths for exports, the statistical baseline with its interval, the fan chart and the backtest."""
    from . import outlook

    lo, hi = outlook_range(nar, low, high)
    history = pd.Series({y: f.value for y in range(nar.year - 20, nar.year + 1)
                         if (f := nar.amount("exports", year=y)) is not None})
    hist_facts = [nar.amount("exports", year=y) for y in history.index]
    if len(history) < outlook.MIN_HISTORY:
        return ""  # too few years of published exports for an outlook: the section is left out
    base = outlook.baseline(history, horizon=horizon, coverage=coverage)
    end = nar.year + horizon
    last = hist_facts[-1]
    paragraphs = []
    scen = None
    if lo is not None and hi is not None:
        outlook.check_range(lo.value, hi.value)
        scen = outlook.scenarios(last.value, lo.value, hi.value, nar.year, horizon)
        who = f" ({html.escape(lo.note)})" if lo.note else ""
        source = nar.cite(lo, hi)
        paragraphs.append(
            f"At {fmt.number(lo.value, f_dec(lo))}–{fmt.percent(hi.value, f_dec(hi))} a year{who}{source}, exports "
            f"would grow from {nar.money(last)} in {nar.year}{nar.cite(last)} to between "
            f"{fmt.money(scen['low'].iloc[-1], last.unit)} and {fmt.money(scen['high'].iloc[-1], last.unit)} "
            f"by {end}. The range assumes a constant rate each year and no change in the exchange rate.")
    g = metrics.cagr(float(history.iloc[0]), float(history.iloc[-1]), int(history.index[-1] - history.index[0]))
    until = nar.year - backtest_years
    bt = outlook.backtest(history, until, coverage) if until - int(history.index[0]) + 1 >= 6 else None
    # a baseline that missed most published values when tested on earlier years is a trend line, not a forecast
    failed = bt is not None and bt.covered < len(bt.table) / 2
    what = ("Carried forward, the trend of" if failed else "The statistical baseline carries forward the trend of")
    paragraphs.append(
        f"{what} {int(history.index[0])}–{nar.year} "
        f"(on average {fmt.percent(g)} a year) {'would give' if failed else 'gives'} exports of "
        f"{fmt.money(base.forecast['mean'].iloc[-1], last.unit)} by {end}"
        + ("" if failed else
           f", with {_a(coverage)} {int(coverage * 100)}% prediction interval from "
           f"{fmt.money(base.forecast['lower'].iloc[-1], last.unit)} to "
           f"{fmt.money(base.forecast['upper'].iloc[-1], last.unit)}")
        + (f". The scenario range lies {_position(scen, base)}" if scen is not None and not failed else "") + "."
        + (f" Tested on {until + 1}–{nar.year}, the same method left {len(bt.table) - bt.covered} of "
           f"{len(bt.table)} published values outside its {int(coverage * 100)}% interval, so it is shown as a "
           "trend, not a forecast." if failed else ""))
    fig = charts.fan_chart(history, scen, base.forecast, last.unit, coverage, interval=not failed)
    caption = f"Exports, {int(history.index[0])}–{nar.year}, and the outlook to {end}"
    converted = sorted({f.year for f in hist_facts if not f.reported and f.note.startswith("converted")})
    if converted:
        nar.converted_shown = True
        caption += "; " + ", ".join(map(str, converted)) + " converted at the average rate*"
    alt = (f"{caption}. Published exports: " + ", ".join(f"{int(y)} {fmt.money(v, last.unit)}" for y, v in history.items())
           + (f". Scenario range, {fmt.number(lo.value, f_dec(lo))}–{fmt.percent(hi.value, f_dec(hi))} a year: "
              f"{fmt.money(scen['low'].iloc[-1], last.unit)} to {fmt.money(scen['high'].iloc[-1], last.unit)} by {end}"
              if scen is not None else "")
           + (f". Trend of the history carried forward: {fmt.money(base.forecast['mean'].iloc[-1], last.unit)} by {end}"
              if failed else
              f". Baseline: {fmt.money(base.forecast['mean'].iloc[-1], last.unit)} by {end}, {int(coverage * 100)}% "
              f"interval {fmt.money(base.forecast['lower'].iloc[-1], last.unit)} to "
              f"{fmt.money(base.forecast['upper'].iloc[-1], last.unit)}") + ".")
    html_ = "<p>" + " ".join(paragraphs) + "</p>" + figure_html(fig, caption, nar, hist_facts + [lo, hi], alt)
    if bt is not None and not failed:
        rows = "; ".join(f"{y}: forecast {fmt.money(r.forecast, last.unit)}, published {fmt.money(r.actual, last.unit)} "
                         f"({fmt.signed_percent(r.error_pct)})" for y, r in bt.table.iterrows())
        html_ += (f'<p class="meta">Tested on earlier years: the same method fitted on {int(history.index[0])}–{until} '
                  f'forecast {rows}; mean absolute error {fmt.percent(bt.mape)}, {bt.covered} of {len(bt.table)} '
                  f'published values inside the {int(coverage * 100)}% interval.</p>')
    return html_


def _a(coverage: float) -> str:
    return "an" if str(int(coverage * 100)).startswith(("8", "11", "18")) else "a"


def _position(scen, base) -> str:
    """Where the scenario range ends up against the baseline, in words."""
    lo, hi = float(scen["low"].iloc[-1]), float(scen["high"].iloc[-1])
    b_lo, b_mean, b_hi = (float(base.forecast[c].iloc[-1]) for c in ("lower", "mean", "upper"))
    if hi < b_lo:
        return "below the baseline's interval: the projection expects a clear break from the past trend"
    if lo > b_hi:
        return "above the baseline's interval: the projection expects faster growth than the past trend"
    if hi < b_mean:
        return "below the baseline's central path but within its interval: slower growth than the past trend"
    if lo > b_mean:
        return "above the baseline's central path but within its interval"
    return "around the baseline's central path"


def records_sections(nar: Narrator, files: list, heading: str = "From the detailed records") -> str:
    """The sections computed from trade-records ``files`` for the briefing's reporter and year (partners,
    products, movers, the partners' side), after the records' totals set beside the published ones; their
    sources join the briefing's numbered sources."""
    from . import markup, records_briefing
    from .lookup import Lookup
    from .period import Period
    from .records import query

    recs = query.load(files)
    look = Lookup(narrative.REPORTER, data=nar.data, records=recs, published_reporter=sources.FIGURES_REPORTER)
    computed = records_briefing.Computed(recs, narrative.REPORTER, Period(nar.year), lookup=look)
    return markup.Markup(computed, citations=nar.citations).added_sections(heading)


# ------------------------------------------------------------------------------ the annual briefing, declared once
def _lead(nar: Narrator, opts: dict) -> str:
    return main_points(nar) + key_figures(nar)


def _headline(nar: Narrator, opts: dict) -> str:
    enterprises = nar.enterprises()   # asked first: its citations are numbered before the headline's
    return section("Headline trade",
                   section_text(nar.headline(), nar.exports_imports(), nar.world_rank()),
                   section_text(nar.balance_sentences()),
                   enterprises and f"<p>{enterprises}</p>",
                   trade_series_figure(nar))


def _value_chain(nar: Narrator, opts: dict) -> str:
    return section("Exports moving up the value chain",
                   section_text(nar.product_paragraph(narrative.REPORTER.featured("products", "value_chain"))),
                   product_growth_figure(nar))


def _partners(nar: Narrator, opts: dict) -> str:
    return section("Partners and diversification",
                   section_text(nar.belt_and_road(), nar.export_market_streak(), nar.emerging_markets()),
                   section_text(*(nar.partner_trade(p) for p in narrative.REPORTER.featured("partners", "detailed"))),
                   contributions_figure(nar),
                   partner_growth_figure(nar),
                   partner_shares_figure(nar))


def _imports(nar: Narrator, opts: dict) -> str:
    return section("Imports and commodities",
                   section_text(nar.world_share("imports"), nar.commodities()),
                   commodity_figure(nar))


def _domestic(nar: Narrator, opts: dict) -> str:
    return section("The domestic market", section_text(nar.domestic_market()))


def _records(nar: Narrator, opts: dict) -> str:
    return records_sections(nar, opts["records"]) if opts.get("records") else ""


def _outlook(nar: Narrator, opts: dict) -> str:
    return section("Outlook", outlook_section(nar, opts.get("outlook_low"), opts.get("outlook_high"),
                                              opts.get("outlook_horizon", 5)))


def _about(nar: Narrator, opts: dict) -> str:
    return about(nar)


# The annual briefing on published figures: its sections in order, each a function of the narrator (which looks
# figures up, keeps the citations and words the sentences) and the render's options. The notebook walks this.
ANNUAL_SECTIONS = (("lead", _lead), ("headline", _headline), ("value chain", _value_chain), ("partners", _partners),
                   ("imports", _imports), ("domestic market", _domestic), ("records", _records),
                   ("outlook", _outlook), ("about", _about))


def annual_briefing(nar: Narrator, **opts):
    """The briefing's sections as HTML, in order (a section without content is an empty string)."""
    for _name, build in ANNUAL_SECTIONS:
        yield build(nar, opts)
