"""The annual briefing on published figures, declared once: :data:`ANNUAL_SECTIONS`, which the notebook walks
through :func:`annual_briefing`.

The briefing is made of three pieces: :class:`tradelib.annual_figures.AnnualFigures` looks the figures up,
:class:`tradelib.narrative.Narrator` words them as plain text with citation anchors, and
:class:`tradelib.markup.AnnualMarkup` writes the HTML (escaping, citation marks, sections, the key-figures box,
figures with source lines). Here: the declaration of the sections and their parts, and the data of each
chart (a :class:`Chart`: the figure drawn, its caption, its text alternative and the facts its source line
cites). Nothing here computes a published figure (that is :mod:`tradelib.metrics`), words a claim or writes markup.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import charts, fmt, metrics, narrative, sources
from .markup import AnnualMarkup
from .metrics import Fact
from .narrative import Narrator, Outlook


def display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


MIN_SERIES_YEARS = 3


@dataclass
class Chart:
    """A chart of the briefing: the figure drawn, its caption, its text alternative, the facts its source line
    cites, and a note set before that line."""

    fig: object
    caption: str
    alt: str
    facts: list
    note: str = ""


def key_figures(nar: Narrator) -> list[tuple[str, Fact | None, Fact | None]]:
    """The key-figures box's rows in the edition's currency: each flow's level (converted or computed where not
    published) and its change on the year before where published in that basis; a flow with neither is left out."""
    rows = []
    figs = nar.figures
    for flow, label in (("total", "Total trade"), ("exports", "Exports"), ("imports", "Imports"),
                        ("balance", "Balance")):
        f = (figs.balance() or figs.amount("balance")) if flow == "balance" else figs.amount(flow)
        g = figs.get(nar.year, flow, "growth_yoy", currency=nar.currency)
        g = g if g is not None and g.basis == nar.currency else None
        if f is not None or g is not None:
            rows.append((label, f, g))
    return rows


def trade_series_chart(nar: Narrator, first_year: int = 2015) -> Chart | None:
    """The series of exports and imports from ``first_year`` to the briefing year, record marked."""
    years = range(first_year, nar.year + 1)
    data, used = {}, []
    for y in years:
        e, i = nar.figures.amount("exports", year=y), nar.figures.amount("imports", year=y)
        if e is None or i is None:
            continue
        data[y] = {"exports": e.value, "imports": i.value}
        used += [e, i]
    df = pd.DataFrame.from_dict(data, orient="index").sort_index()
    if len(df) < MIN_SERIES_YEARS:
        return None  # a chart of one or two bars says nothing the key figures do not
    # a record is marked only where it was published for the edition's currency (the yuan total's record
    # is not a dollar record)
    flag = nar.figures.get(nar.year, "total", "record_high", currency=nar.currency)
    record = nar.year if flag is not None and flag.value == 1 and flag.basis == nar.currency else None
    total = nar.figures.amount("total")
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
    return Chart(fig, caption, alt, used)


def growth_chart(nar: Narrator, caption: str, items: list[tuple[str, Fact | None]], reference: tuple[str, Fact | None],
                 unit: str = "percent") -> Chart | None:
    """Bars of growth rates published in the same currency basis as the reference; None if fewer than two."""
    ref_label, ref = reference
    kept = [(label, f) for label, f in items if f is not None and (ref is None or f.basis in ("", ref.basis))]
    if len(kept) < 2:
        return None
    kept.sort(key=lambda x: -x[1].value)
    fig = charts.growth_bars([(label, f.value, nar.figures.dec(f)) for label, f in kept],
                             (ref_label, ref.value, nar.figures.dec(ref)) if ref is not None else None, unit=unit)
    basis = ("," + fmt.terms(ref.basis)) if ref is not None and ref.basis else ""
    show = fmt.signed_percent if unit == "percent" else fmt.pp_short
    alt = (f"{caption}{basis}. " + "; ".join(f"{label}: {show(f.value, nar.figures.dec(f))}" for label, f in kept)
           + (f"; {ref_label}: {show(ref.value, nar.figures.dec(ref))}" if ref is not None and ref_label else "") + ".")
    return Chart(fig, caption + basis, alt, [f for _, f in kept] + [ref])


def product_growth_chart(nar: Narrator) -> Chart | None:
    items = [(narrative.SHORT_PRODUCT_NAMES[p], nar.figures.growth("exports", product=p)) for p in narrative.EXPORT_GROUPS]
    return growth_chart(nar, f"Export growth by product group, {nar.year}", items,
                         ("All exports", nar.figures.growth("exports")))


def contributions_chart(nar: Narrator) -> Chart | None:
    """Published contributions to export growth (percentage points), partners and product groups alike."""
    f = nar.figures.fig
    rows = f[(f.year == nar.year) & (f.flow == "exports") & (f.measure == "contribution_pp")]
    items = []
    for r in rows.itertuples():
        name = (narrative.PARTNER_NAMES.get(r.partner, r.partner) if r.partner != "WLD"
                else narrative.SHORT_PRODUCT_NAMES.get(r.product, r.product.replace("_", " ").capitalize()))
        items.append((name.removeprefix("the "), metrics.fact_from_row(r, "contribution")))
    bases = {f.basis for _, f in items}
    # the total growth shown beside the contributions is the one they add up to, in their basis
    total = nar.figures.get(nar.year, "exports", "growth_yoy", currency=bases.pop()) if len(bases) == 1 else None
    if total is None:
        return None
    return growth_chart(nar, f"Published contributions to export growth, {nar.year} (percentage points)", items,
                         ("Total export growth", total), unit="pp")


MAIN_PARTNERS = narrative.REPORTER.featured("partners", "detailed")  # the partners the text takes one by one


def partner_growth_chart(nar: Narrator) -> Chart | None:
    """Trade with each partner in the edition's currency only: its value and its change on the year before,
    each where published in that currency (a partner with a value but no rate in that currency, such as the
    United States in the yuan edition of 2025, is drawn with its value and a dash). Main partners with
    nothing in that currency are named in the caption. None when fewer than two partners."""
    cur = nar.currency
    ref = nar.figures.get(nar.year, "total", "growth_yoy", currency=cur)
    ref = ref if ref is not None and ref.basis == cur else None
    rows, absent = [], []
    for p in narrative.PARTNER_GROUPS:
        v = nar.figures.get(nar.year, "total", "value", partner=p, currency=cur)
        g = nar.figures.get(nar.year, "total", "growth_yoy", partner=p, currency=cur)
        g = g if g is not None and g.basis == cur else None
        if v is not None or g is not None:
            rows.append((p, narrative.PARTNER_NAMES[p].removeprefix("the "), v, g))
        elif p in MAIN_PARTNERS and (nar.figures.get(nar.year, "total", "value", partner=p,
                                                 currency=nar.figures.other_currency) is not None
                                     or nar.figures.get(nar.year, "total", "growth_yoy", partner=p,
                                                    currency=nar.figures.other_currency) is not None):
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
                    f"{fmt.currency_name(nar.figures.other_currency)} only (see the text)")
    fig = charts.partner_panels(
        [(p, label, v.value if v is not None else None, g.value if g is not None else None,
          nar.figures.dec(g) if g is not None else 1) for p, label, v, g in rows],
        cur, f"Trade, {nar.year}", f"Change on {nar.year - 1}",
        ("All partners", ref.value, nar.figures.dec(ref)) if ref is not None and has_growth else None)

    none = f"no {fmt.compound(cur)} figure"

    def describe(v, g):
        parts = [fmt.money(v.value, v.unit)] if v is not None else ([] if not has_value else [f"value: {none}"])
        if has_growth:
            parts.append(fmt.signed_percent(g.value, nar.figures.dec(g)) if g is not None else f"change: {none}")
        return ", ".join(parts)

    alt = (f"{caption}. " + "; ".join(f"{label}: {describe(v, g)}" for _, label, v, g in rows)
           + (f"; all partners: {fmt.signed_percent(ref.value, nar.figures.dec(ref))}" if ref is not None and has_growth
              else "") + ".")
    used = [f for _, _, v, g in rows for f in (v, g) if f is not None] + ([ref] if has_growth else [])
    return Chart(fig, caption, alt, used)


def partner_shares_chart(nar: Narrator, first_year: int = 2015) -> Chart | None:
    """Partners' shares of China's total trade over the years, as published, on one currency basis (the
    edition's where it gives enough years, else the other, named in the caption). A partner needs
    ``MIN_SERIES_YEARS`` years on that basis, the last of them the briefing's year; else no chart."""
    for basis in (nar.currency, nar.figures.other_currency):
        data, used = {}, []
        for p in narrative.PARTNER_GROUPS:
            rows = metrics.select(nar.figures.fig, measure="share", flow="total", partner=p)
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
    breaks = metrics.select(nar.figures.fig, measure="share", flow="total", partner=f"{bri}_ALONG")
    note = (f" Belt and Road shares before 2023 are on {narrative.PUB_POS} earlier, narrower list of countries and "
            "are not shown." if not breaks.empty else "")
    caption = f"Shares of {narrative.POS} total trade, as published (%)," + fmt.terms(basis)
    alt = f"{caption}. " + "; ".join(f"{name}: " + ", ".join(f"{int(y)} {fmt.percent(v, 1)}" for y, v in col.dropna().items())
                                     for name, col in df.items()) + "."
    return Chart(fig, caption, alt, used, note.strip())


def commodity_chart(nar: Narrator) -> Chart | None:
    items = [(narrative.PRODUCT_NAMES[p].capitalize(),
              nar.figures.get(nar.year, "imports", "growth_yoy_volume", product=p, currency=None))
             for p in narrative.COMMODITIES]
    return growth_chart(nar, f"Import volumes of key commodities, change on {nar.year - 1}", items,
                         ("", None))


def outlook(nar: Narrator, low: float | None = None, high: float | None = None,
            horizon: int = 5) -> tuple[Outlook, Chart] | None:
    """The outlook in words (:meth:`tradelib.narrative.Narrator.outlook`) and its fan chart; None where too few
    years of exports were published for one."""
    words = nar.outlook(low, high, horizon)
    if words is None:
        return None
    fig = charts.fan_chart(words.history, words.scenarios, words.forecast, words.unit, words.coverage,
                           interval=words.interval)
    return words, Chart(fig, words.caption, words.alt, words.facts)


def records_computed(nar: Narrator, files: list):
    """What trade-records ``files`` say about the briefing's reporter and year (partners, products, movers, the
    partners' side), beside the published figures."""
    from . import records_briefing
    from .lookup import Lookup
    from .period import Period
    from .records import query

    recs = query.load(files)
    look = Lookup(narrative.REPORTER, data=nar.data, records=recs, published_reporter=sources.FIGURES_REPORTER)
    return records_briefing.Computed(recs, narrative.REPORTER, Period(nar.year), lookup=look)


# ------------------------------------------------------------------------------ the annual briefing, declared once
def _lead(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.main_points(nar.main_points()) + page.key_figures(key_figures(nar))


def _headline(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    enterprises = nar.enterprises()   # asked first: its missing-figure note comes before the headline's
    return page.section("Headline trade",
                        page.paragraph(nar.headline(), nar.exports_imports(), nar.world_rank()),
                        page.paragraph(nar.balance_sentences()),
                        page.paragraph(enterprises),
                        page.figure(trade_series_chart(nar)))


def _value_chain(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.section("Exports moving up the value chain",
                        page.paragraph(nar.product_paragraph(narrative.REPORTER.featured("products", "value_chain"))),
                        page.figure(product_growth_chart(nar)))


def _partners(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.section("Partners and diversification",
                        page.paragraph(nar.belt_and_road(), nar.export_market_streak(), nar.emerging_markets()),
                        page.paragraph(*(nar.partner_trade(p)
                                         for p in narrative.REPORTER.featured("partners", "detailed"))),
                        page.figure(contributions_chart(nar)),
                        page.figure(partner_growth_chart(nar)),
                        page.figure(partner_shares_chart(nar)))


def _imports(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.section("Imports and commodities",
                        page.paragraph(nar.world_share("imports"), nar.commodities()),
                        page.figure(commodity_chart(nar)))


def _domestic(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.section("The domestic market", page.paragraph(nar.domestic_market()))


def _records(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.records(records_computed(nar, opts["records"]), RECORDS_HEADING) if opts.get("records") else ""


def _outlook(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.section("Outlook", page.outlook(outlook(nar, opts.get("outlook_low"), opts.get("outlook_high"),
                                                       opts.get("outlook_horizon", 5))))


def _about(nar: Narrator, page: AnnualMarkup, opts: dict) -> str:
    return page.about()


RECORDS_HEADING = "From the detailed records"

# The annual briefing on published figures: its sections in order, each a function of the narrator (its words,
# with the figures it looks up), the page being written (the markup, which numbers the citations in the order
# they appear) and the render's options. The notebook walks this through annual_briefing().
ANNUAL_SECTIONS = (("lead", _lead), ("headline", _headline), ("value chain", _value_chain), ("partners", _partners),
                   ("imports", _imports), ("domestic market", _domestic), ("records", _records),
                   ("outlook", _outlook), ("about", _about))


def annual_briefing(nar: Narrator, **opts):
    """The briefing's sections as HTML, in order (a section without content is an empty string), written on
    one page so that the sources are numbered in the order the reader meets them."""
    page = AnnualMarkup(nar)
    for _name, build in ANNUAL_SECTIONS:
        yield build(nar, page, opts)
