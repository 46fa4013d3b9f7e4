"""Accessible charts: text in the SVG is real text, and each chart carries a text alternative from its data."""
import re

from tradelib import report
from tradelib.narrative import Narrator

from . import annual


def test_chart_text_is_text_and_the_chart_has_a_text_alternative(data):
    html = annual.figure(report.product_growth_chart, Narrator(data, 2025, "CNY"))
    svg = html[html.index("<svg"):html.index("</svg>")]
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert "Wind turbines" in texts and "+48.7%" in texts  # searchable, selectable, not glyph outlines
    assert 'role="img"' in svg
    assert re.search(r'aria-label="Export growth by product group, 2025, in yuan terms\. Wind turbines: \+48\.7%; '
                     r'New trio: \+27\.1%; High-tech: \+13\.2%; Mechanical &amp; electrical: \+9%; All exports: '
                     r'\+6\.1%\."', svg)
    assert "<title>Export growth by product group" in svg


def test_the_series_chart_describes_every_year(data):
    html = annual.figure(report.trade_series_chart, Narrator(data, 2025, "CNY"))
    label = re.search(r'aria-label="([^"]*)"', html).group(1)
    assert "2015: exports 14.14 trillion yuan, imports 10.45 trillion yuan" in label
    assert "2025: exports 26.99 trillion yuan, imports 18.48 trillion yuan" in label


def test_the_series_chart_labels_the_published_total_not_the_sum_of_rounded_parts(data):
    html = annual.figure(report.trade_series_chart, Narrator(data, 2024, "USD"))
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", html))
    assert "US$6.16tn" in texts and "US$6.17tn" not in texts  # 3.58 + 2.59 would read 6.17


def test_the_partner_chart_text_is_text_and_its_alternative_gives_every_bar(data):
    html = annual.figure(report.partner_growth_chart, Narrator(data, 2024, "USD"))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", html)
    for label in ("Belt and Road partner countries", "United States", "US$688.3bn", "+3.7%", "All partners +3.8%"):
        assert label in texts, label
    label = re.search(r'aria-label="([^"]*)"', html).group(1)
    assert label == ("Trade by partner, 2024, in US dollars: value and change on 2023 where published in US dollars. "
                     "Belt and Road partner countries: US$3.10 trillion, change: no US-dollar figure; ASEAN: "
                     "US$982.1 billion, change: no US-dollar figure; European Union: US$785.8 billion, +0.4%; "
                     "United States: US$688.3 billion, +3.7%; Africa: US$295.6 billion, +4.8%; Russia: "
                     "US$244.8 billion, +1.9%; all partners: +3.8%.")


def test_the_outlook_chart_alternative_is_written_from_its_data(data):
    html = annual.outlook_section(Narrator(data, 2023, "CNY"))
    label = re.search(r'aria-label="([^"]*)"', html).group(1)
    assert label.startswith("Exports, 2015–2023, and the outlook to 2028. Published exports: 2015 14.14 trillion yuan, "
                            "2016 13.84 trillion yuan")
    assert "2023 23.77 trillion yuan" in label
    # the 2023 baseline failed its backtest: the alternative, like the chart, gives a trend and no interval
    assert label.endswith("Trend of the history carried forward: 32.89 trillion yuan by 2028.")
    assert "interval" not in label


def test_the_outlook_caption_names_the_years_converted_from_the_other_currency(data):
    html = annual.outlook_section(Narrator(data, 2024, "USD"))
    caption = re.search(r"<figcaption>([^<]*)</figcaption>", html).group(1)
    assert caption == "Exports, 2015–2024, and the outlook to 2029; 2017, 2018, 2022 converted at the average rate*"
