"""The editor's pass on charts and the sources list: partners' colours, the partner chart in the edition's
currency, keys that stand clear of the plot, and source entries whose number stays with their text."""
from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from tradelib import charts, paths, report
from tradelib.markup import Citations
from tradelib.narrative import PARTNER_GROUPS, Narrator

from . import annual

SVG_BAR = r'<g id="c\d+-partner-{code}-{panel}">\s*<path d="M ([\d.]+) [^"\n]*\nL ([\d.]+) [^"]*"[^>]*fill: (#[0-9a-f]{{6}})'


def partner_bar(html: str, code: str, panel: str = "value") -> tuple[float, str] | None:
    """The width and fill colour of a partner's bar in a partner chart's SVG, or None when it has no bar."""
    m = re.search(SVG_BAR.format(code=code, panel=panel), html)
    return (abs(float(m.group(2)) - float(m.group(1))), m.group(3)) if m else None


def alt_text(html: str) -> str:
    return re.search(r'aria-label="([^"]*)"', html).group(1)


def test_every_partner_has_a_colour_of_its_own():
    assert set(PARTNER_GROUPS) <= set(charts.PARTNER_COLOURS)
    colours = [charts.PARTNER_COLOURS[p] for p in PARTNER_GROUPS]
    assert len(set(colours)) == len(colours)
    assert charts.partner_colour("EU") == "#0072b2"
    assert charts.partner_colour("NOWHERE") == charts.PALETTE["neutral"]


@pytest.mark.parametrize("code", ["EU", "USA", "AFRICA"])
def test_a_partner_has_the_same_colour_in_every_year_and_currency(data, code):
    seen = {}
    for year, currency in ((2015, "CNY"), (2023, "USD"), (2024, "USD"), (2025, "CNY"), (2025, "USD")):
        html = annual.figure(report.partner_growth_chart, Narrator(data, year, currency)) or ""
        for panel in ("value", "growth"):
            bar = partner_bar(html, code, panel)
            if bar is not None:
                seen[(year, currency, panel)] = bar[1]
    assert len(seen) >= 3, seen  # drawn in several editions, so the comparison means something
    assert set(seen.values()) == {charts.PARTNER_COLOURS[code]}, seen


def test_the_shares_chart_colours_a_partner_alike_whichever_partners_it_shows():
    years = [2021, 2022, 2023]
    a = charts.line_chart(pd.DataFrame({"Belt and Road partner countries": [45.0, 45.4, 46.6],
                                        "European Union": [13.7, 13.5, 13.0]}, index=years),
                          highlight="Belt and Road partner countries",
                          colours={"European Union": charts.partner_colour("EU"),
                                   "Belt and Road partner countries": charts.partner_colour("BRI")})
    b = charts.line_chart(pd.DataFrame({"ASEAN": [14.5, 15.0, 15.4], "European Union": [13.7, 13.5, 13.0]},
                                       index=years),
                          colours={"European Union": charts.partner_colour("EU"), "ASEAN": charts.partner_colour("ASEAN")})
    colour = {ln.get_label(): ln.get_color() for f in (a, b) for ln in f.axes[0].get_lines()}
    plt.close("all")
    assert colour["European Union"] == charts.PARTNER_COLOURS["EU"]  # first column in one, second in the other
    assert colour["ASEAN"] == charts.PARTNER_COLOURS["ASEAN"]
    assert colour["Belt and Road partner countries"] == charts.PARTNER_COLOURS["BRI"]


def test_the_yuan_partner_chart_of_2025_has_the_united_states_with_its_yuan_value(data):
    html = annual.figure(report.partner_growth_chart, Narrator(data, 2025, "CNY"))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", html)
    assert "United States" in texts and "¥4.01tn" in texts
    width, colour = partner_bar(html, "USA", "value")
    assert width > 0 and colour == charts.PARTNER_COLOURS["USA"]
    assert partner_bar(html, "USA", "growth") is None  # no yuan growth rate is held: no bar, and no dollar rate
    assert "18.7" not in html  # the dollar-terms fall is in the text, never in a yuan chart
    assert "<figcaption>Trade by partner, 2025, in yuan: value and change on 2024 where published in yuan" in html
    assert ("United States: 4.01 trillion yuan, change: no yuan figure; Latin America: 3.93 trillion yuan, +6.5%"
            in alt_text(html))
    assert alt_text(html).endswith("Russia: 1.63 trillion yuan, −6.5%; all partners: +3.8%.")


def test_the_dollar_partner_chart_of_2025_keeps_to_dollars_and_names_what_it_lacks(data):
    html = annual.figure(report.partner_growth_chart, Narrator(data, 2025, "USD"))
    assert alt_text(html) == (
        "Trade by partner, 2025, in US dollars: value and change on 2024; ASEAN and the European Union were "
        "reported in yuan only (see the text). United States: US$559.7 billion, −18.7%; Russia: US$228.1 billion, "
        "−6.9%; Central Asia: US$106.3 billion, +12%; all partners: +3.2%.")
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", html))
    assert "US$559.7bn" in texts and "¥" not in texts and "yuan" not in texts


def test_a_yuan_edition_with_partners_only_in_dollars_says_so_in_the_caption(data):
    html = annual.figure(report.partner_growth_chart, Narrator(data, 2024, "CNY"))
    caption = re.search(r"<figcaption>([^<]*)</figcaption>", html).group(1)
    assert caption == ("Trade by partner, 2024, in yuan: value; ASEAN, the European Union and the United States "
                       "were reported in US dollars only (see the text)")
    assert "US$" not in html


def every_chart(data):
    """(edition, what its legend overlaps, whether it has one) for every chart of every edition, 2015–2025, in
    yuan and in dollars."""
    out = []
    real = charts.to_svg

    def keep(fig, alt=""):
        out.append((edition, charts.legend_clashes(fig), bool(fig.legends or any(ax.get_legend() for ax in fig.axes))))
        return real(fig, alt)

    charts.to_svg = keep
    try:
        for year in range(2015, 2026):
            for currency in ("CNY", "USD"):
                edition = f"{year} {currency}"
                nar = Narrator(data, year, currency)
                for make in (report.trade_series_chart, report.product_growth_chart, report.contributions_chart,
                             report.partner_growth_chart, report.partner_shares_chart, report.commodity_chart):
                    annual.figure(make, nar)
                annual.outlook_section(nar)
    finally:
        charts.to_svg = real
    return out


@pytest.mark.e2e  # draws the 41 charts of 22 editions: about a minute
def test_no_legend_stands_over_a_plot_or_a_label_in_any_edition(data):
    drawn = every_chart(data)
    assert len(drawn) >= 40  # 41 charts in the 22 editions when this was written
    assert [(ed, c) for ed, c, _ in drawn if c] == []
    assert sum(keyed for _, _, keyed in drawn) >= 30  # most charts have a key, so the check bites


def test_the_clash_check_sees_a_legend_inside_the_plot():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend(loc="upper left")
    assert charts.legend_clashes(fig) == ["legend ['a line'] over the plotting area"]
    plt.close(fig)


def test_money_ticks_share_one_scale_and_never_repeat():
    ticks = charts.MoneyTicks("USD")
    ticks.set_locs([0, 0.5e12, 1e12, 1.5e12, 2e12, 2.5e12])
    assert [ticks(v) for v in (0, 0.5e12, 1e12, 2.5e12)] == ["0", "US$0.5tn", "US$1.0tn", "US$2.5tn"]
    ticks = charts.MoneyTicks("CNY")
    ticks.set_locs([0, 10e12, 20e12, 30e12])
    assert [ticks(v) for v in (10e12, 30e12)] == ["¥10tn", "¥30tn"]


# ------------------------------------------------------------------------------------------- sources list

def all_sources(data) -> Citations:
    c = Citations(data.sources)
    for sid in data.sources.source_id:
        c.number(sid)
    return c


def test_a_source_entry_opens_with_its_number_in_a_box_that_does_not_wrap(data):
    c = all_sources(data)
    first = c.markdown().splitlines()[0]
    assert re.match(r'<p class="source" id="src-1"><span class="source-n">\[1\]</span> \S', first)
    css = (paths.TEMPLATES_DIR / "briefing.css").read_text()
    assert re.search(r"\.source-n \{[^}]*white-space: nowrap", css)


def test_no_line_of_the_printed_sources_list_is_a_number_alone(data):
    """Every source held, laid out by WeasyPrint in the briefing's A4 column: no line ends after "[n]" (before
    the number had a box of its own, "[7]" and "[21]" of the 2025 edition stood alone on their lines)."""
    weasyprint = pytest.importorskip("weasyprint")
    css = (paths.TEMPLATES_DIR / "briefing.css").read_text()
    entries = all_sources(data).markdown()
    doc = weasyprint.HTML(string=f"<html><head><style>{css}</style></head><body>{entries}</body></html>").render()
    lines = []

    def walk(box):
        if type(box).__name__ == "LineBox":
            lines.append("".join(t.text for t in box.descendants() if isinstance(getattr(t, "text", None), str)))
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in doc.pages:
        walk(page._page_box)
    numbered = [ln for ln in lines if re.match(r"\[\d+\]", ln.strip())]
    assert len(numbered) == len(data.sources)  # every entry starts a line with its number
    alone = [ln for ln in lines if re.fullmatch(r"\s*\[\d+\]\s*", ln)]
    assert alone == []


def test_a_citation_mark_never_starts_a_line():
    """A mark after a closing bracket may not wrap alone (the 2025 yuan edition printed "(+6.1%)" at a line's
    end and "[2]." below it): the style sheet joins the mark to the word before it, at any column width."""
    weasyprint = pytest.importorskip("weasyprint")
    css = (paths.TEMPLATES_DIR / "briefing.css").read_text()
    para = ("<p>All of them grew faster than total exports (+6.1%)"
            '<sup class="fn">[<a href="#src-2">2</a>]</sup>. Exports to Central Asia rose 11% in dollar terms'
            '<sup class="fn">[<a href="#src-6">6</a>]</sup>, against 5.5% for all exports'
            '<sup class="fn">[<a href="#src-1">1</a>]</sup>.</p>')
    starts = []
    for width in range(220, 520, 12):
        doc = weasyprint.HTML(string=f"<html><head><style>{css} @page {{ size: {width}px 2000px }}</style></head>"
                                     f"<body>{para}</body></html>").render()

        def walk(box):
            if type(box).__name__ == "LineBox":
                text = "".join(t.text for t in box.descendants() if isinstance(getattr(t, "text", None), str))
                if text.lstrip("\u2060 ").startswith("["):
                    starts.append((width, text))
            for child in getattr(box, "children", None) or []:
                walk(child)

        walk(doc.pages[0]._page_box)
    assert starts == []
