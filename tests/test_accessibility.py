"""Accessible charts: text in the SVG is real text, and each chart carries a text alternative from its data."""
import re

from tradelib import report
from tradelib.narrative import Narrator


def test_chart_text_is_text_and_the_chart_has_a_text_alternative(data):
    html = report.product_growth_figure(Narrator(data, 2025, "CNY"))
    svg = html[html.index("<svg"):html.index("</svg>")]
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert "Wind turbines" in texts and "+48.7%" in texts  # searchable, selectable, not glyph outlines
    assert 'role="img"' in svg
    assert re.search(r'aria-label="Export growth by product group, 2025, in yuan terms\. Wind turbines: \+48\.7%; '
                     r'New trio: \+27\.1%; High-tech: \+13\.2%; Mechanical &amp; electrical: \+9%; All exports: '
                     r'\+6\.1%\."', svg)
    assert "<title>Export growth by product group" in svg


def test_the_series_chart_describes_every_year(data):
    html = report.trade_series_figure(Narrator(data, 2025, "CNY"))
    label = re.search(r'aria-label="([^"]*)"', html).group(1)
    assert "2015: exports 14.14 trillion yuan, imports 10.45 trillion yuan" in label
    assert "2025: exports 26.99 trillion yuan, imports 18.48 trillion yuan" in label


def test_the_series_chart_labels_the_published_total_not_the_sum_of_rounded_parts(data):
    html = report.trade_series_figure(Narrator(data, 2024, "USD"))
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", html))
    assert "US$6.16tn" in texts and "US$6.17tn" not in texts  # 3.58 + 2.59 would read 6.17
