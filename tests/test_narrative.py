"""Generated narrative: golden texts for 2025 and 2023, years that read differently, traceable numbers."""
import re
from html import escape
from pathlib import Path

import pytest

from tradelib import fmt, metrics, report, sources
from tradelib.markup import AnnualMarkup
from tradelib.narrative import Narrator, _volume
from tradelib.text import Text

GOLDEN = Path(__file__).parent / "golden"
CLAIMS = ["headline", "exports_imports", "balance_sentences", "world_rank", "enterprises", "product_exports:HIGH_TECH",
          "product_exports:MECH_ELEC", "product_exports:NEW_TRIO", "product_exports:WIND_TURBINES", "belt_and_road",
          "export_market_streak:ASEAN", "emerging_markets", "partner_trade:ASEAN", "partner_trade:EU",
          "partner_trade:USA", "world_share:imports", "commodities", "domestic_market"]


def plain(t: Text | str) -> str:
    """A sentence's words: the plain text of a Text (an HTML string without its citation marks)."""
    return t.text if isinstance(t, Text) else re.sub(r"<sup.*?</sup>", "", t)


def narrative(data, year: int, currency: str = "CNY") -> tuple[str, Narrator]:
    nar = Narrator(data, year, currency)
    lines = [f"main point: {plain(m)}" for m in nar.main_points()]
    for claim in CLAIMS:
        name, _, arg = claim.partition(":")
        out = getattr(nar, name)(arg) if arg else getattr(nar, name)()
        lines.append(f"{claim}: {plain(out) if out else '(left out)'}")
    lines += [f"note: {m}" for m in nar.missing]
    return "\n".join(lines) + "\n", nar


@pytest.mark.parametrize("year, currency", [(2025, "CNY"), (2023, "CNY"), (2025, "USD")])
def test_golden_narrative(data, year, currency):
    text, _ = narrative(data, year, currency)
    golden = GOLDEN / (f"narrative_{year}.txt" if currency == "CNY" else f"narrative_{year}_{currency}.txt")
    assert text == golden.read_text(encoding="utf-8")


def test_a_falling_year_reads_as_a_fall(data):
    nar = Narrator(data, 2016)
    assert plain(nar.headline()) == ("China's trade in goods totalled 24.33 trillion yuan in 2016, down 0.9% on 2015. "
                                     "The total stayed below the 24.59 trillion yuan of 2015.")
    assert plain(nar.exports_imports()).startswith("Exports fell 2% to 13.84 trillion yuan, and imports rose 0.6%")
    assert plain(nar.exports_imports()).endswith("Imports grew while exports fell.")
    assert plain(Narrator(data, 2015).exports_imports()).endswith("Exports fell less than imports.")


def test_the_first_year_held_is_not_called_a_record(data):
    assert plain(Narrator(data, 2015).headline()) == \
        "China's trade in goods totalled 24.59 trillion yuan in 2015, down 7% on 2014."


def test_a_broken_streak_and_a_missing_figure(data):
    f = data.figures.copy()
    row = (f.year == 2025) & (f.partner == "ASEAN") & (f.measure == "rank") & (f.flow == "exports")
    f.loc[row, "value"] = 2.0
    f.loc[row, "amount"] = 2.0
    f = f[~((f.year == 2025) & (f["product"] == "WIND_TURBINES"))]
    ds = sources.Dataset(**{**data.__dict__, "figures": f})
    nar = Narrator(ds, 2025)
    assert plain(nar.export_market_streak("ASEAN")) == "ASEAN was not China's largest export market in 2025."
    assert nar.product_exports("WIND_TURBINES") is None
    assert "Not found in the published figures held for 2025: exports of wind turbines" in nar.missing


def test_a_volume_keeps_the_decimals_its_source_printed(data):
    """111.83 million tonnes as printed, not 111.8; 10000-tonne and billion-tonne prints convert their decimals."""
    nar = Narrator(data, 2025)
    assert "111.83 million tonnes of soybeans" in plain(nar.commodities())
    v = metrics.Fact(value=111.83e6, unit="tonnes", label="", year=2025)
    assert _volume(v, ("million tonnes", 2)) == "111.83 million tonnes"
    assert _volume(v) == "111.8 million tonnes"  # a computed volume: one decimal
    assert _volume(metrics.Fact(value=96381e4, unit="tonnes", label="", year=2019), ("10000 tonnes", 0)) \
        == "963.81 million tonnes"
    assert _volume(metrics.Fact(value=1.26e9, unit="tonnes", label="", year=2025), ("billion tonnes", 2)) \
        == "1.26 billion tonnes"


def test_a_flat_year_reads_as_flat():
    assert fmt.change_verb(0.0) == "was flat" and fmt.up_down(-0.04) == "unchanged"


def test_every_number_in_a_sentence_traces_to_its_source_rows(data):
    """Each footnote of the 2025 headline points at a source whose figure row carries the number cited."""
    nar = Narrator(data, 2025)
    sentence = nar.exports_imports()
    page = AnnualMarkup(nar)
    marks = [int(n) for n in re.findall(r'href="#src-(\d+)"', page.paragraph(sentence))]
    cited = {page.citations.order[n - 1] for n in marks}
    f = data.figures
    for number, flow in (("26.99", "exports"), ("18.48", "imports")):
        assert number in sentence.text
        fact = metrics.get(f, 2025, flow)
        assert fmt.money(fact.value, "CNY").startswith(number)
        row = f[f.line == fact.rows[0]].iloc[0]
        assert row.source_id.split(";")[0] in cited


def test_sources_section_lists_each_cited_source_once_in_order(data):
    nar = Narrator(data, 2025)
    page = AnnualMarkup(nar)
    page.paragraph(nar.headline(), nar.exports_imports())
    entries = page.citations.entries()
    assert [n for n, _ in entries] == list(range(1, len(entries) + 1))
    html = page.citations.markdown()
    assert html.count('class="source"') == len(entries)
    assert all(escape(s["url"]) in html for _, s in entries)


def test_a_partner_is_news_only_when_it_moves_apart_from_the_total(data):
    """2021: all trade rose 21.4% in yuan; trade with the United States rose about as much (no story), trade with
    Japan much less (a story, worded as lagging, the total's rate not repeated)."""
    points = [plain(p) for p in Narrator(data, 2021).main_points()]
    assert not any("United States" in p for p in points)
    assert "Trade with Japan rose 9.4%, well below the pace of all trade." in points


# ------------------------------------------------------------------------- plain text; markup in one module
SENTENCES = CLAIMS + ["other_currency_total", "product_paragraph", "movement"]


def every_text(data, year: int, currency: str) -> list[tuple[str, Text]]:
    """Every Text the Narrator returns for one edition, by the claim that returned it."""
    nar = Narrator(data, year, currency)
    out = [("main point", t) for t in nar.main_points()]
    for claim in SENTENCES:
        name, _, arg = claim.partition(":")
        if name == "product_paragraph":
            t = nar.product_paragraph(("HIGH_TECH", "MECH_ELEC", "NEW_TRIO", "WIND_TURBINES"))
        elif name == "movement":
            level, g = nar.figures.level_and_growth("imports")
            out += [("movement", m) for m in nar.movement("Imports", level, g)]
            continue
        else:
            t = getattr(nar, name)(arg) if arg else getattr(nar, name)()
        if t is not None:
            out.append((claim, t))
    o = nar.outlook()
    if o is not None:
        out += [("outlook", o.text)] + ([("outlook test", o.tested)] if o.tested else [])
    out += [("about", t) for t in nar.about() + nar.about_marks()]
    return out


def test_sentences_return_plain_text_in_every_edition(data):
    """No markup, no escaped entity and no citation placeholder in any sentence, 2015-2025, both currencies;
    every anchor lies inside its text and cites facts the Text lists."""
    seen = 0
    for year in range(2015, 2026):
        for currency in ("CNY", "USD"):
            for claim, t in every_text(data, year, currency):
                assert isinstance(t, Text), (year, currency, claim)
                assert not re.search(r"[<>]|&\w+;|&#|[\ue000-\uf8ff]", t.text), (year, currency, claim, t.text)
                for offset, facts in t.anchors:
                    assert 0 <= offset <= len(t.text) and facts
                    assert all(any(f is g for g in t.facts) for f in facts)
                seen += 1
    assert seen > 350  # 399 when this was written


def test_marks_land_at_their_anchors(data):
    """The mark of each clause follows that clause, as the sentence placed it."""
    nar = Narrator(data, 2025, "CNY")
    t = nar.balance_sentences()
    assert t.text.startswith("The trade surplus came to 8.51 trillion yuan, up from 7.06 trillion yuan in 2024. In")
    first = t.text.index(". In dollar terms")
    assert [offset for offset, _ in t.anchors] == [first, len(t.text) - 1]
    page = AnnualMarkup(nar)
    html = page.paragraph(t)
    assert html.startswith('<p>The trade surplus came to 8.51 trillion yuan, up from 7.06 trillion yuan in 2024'
                           '<sup class="fn">[<a href="#src-1">1</a>')
    assert html.endswith('above US$1 trillion for the first time<sup class="fn">'
                         + html.rsplit('<sup class="fn">', 1)[1])
    assert re.search(r"</sup>\. In dollar terms it was a record US\$1\.19 trillion", html)
    assert page.paragraph(Text("A & B", anchors=[(1, ())])) == "<p>A &amp; B</p>"


def test_markup_escapes_hostile_partner_and_product_names(data, monkeypatch):
    """Names from the data land in the page as text, never as markup."""
    from tradelib import narrative

    monkeypatch.setitem(narrative.PARTNER_NAMES, "USA", "<script>alert(1)</script> R&D States")
    monkeypatch.setitem(narrative.PRODUCT_NAMES, "HIGH_TECH", "<b>R&D</b> goods")
    nar = Narrator(data, 2025, "CNY")
    partner, product = nar.partner_trade("USA"), nar.product_exports("HIGH_TECH")
    assert "<script>alert(1)</script> R&D States" in partner.text and "<b>R&D</b> goods" in product.text
    html = "".join(report.annual_briefing(nar))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D States" in html
    assert "Exports of &lt;b&gt;R&amp;D&lt;/b&gt; goods rose 13.2%" in html
