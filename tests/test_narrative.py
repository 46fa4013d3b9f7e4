"""Generated narrative: golden texts for 2025 and 2023, years that read differently, traceable numbers."""
import re
from html import escape
from pathlib import Path

import pytest

from tradelib import fmt, metrics, sources
from tradelib.narrative import Narrator, _volume

GOLDEN = Path(__file__).parent / "golden"
CLAIMS = ["headline", "exports_imports", "balance_sentences", "world_rank", "enterprises", "product_exports:HIGH_TECH",
          "product_exports:MECH_ELEC", "product_exports:NEW_TRIO", "product_exports:WIND_TURBINES", "belt_and_road",
          "export_market_streak:ASEAN", "emerging_markets", "partner_trade:ASEAN", "partner_trade:EU",
          "partner_trade:USA", "world_share:imports", "commodities", "domestic_market"]


def plain(text: str) -> str:
    return re.sub(r"<sup.*?</sup>", "", text)


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
    marks = [int(n) for n in re.findall(r'href="#src-(\d+)"', sentence)]
    cited = {nar.citations.order[n - 1] for n in marks}
    f = data.figures
    for number, flow in (("26.99", "exports"), ("18.48", "imports")):
        assert number in plain(sentence)
        fact = metrics.get(f, 2025, flow)
        assert fmt.money(fact.value, "CNY").startswith(number)
        row = f[f.line == fact.rows[0]].iloc[0]
        assert row.source_id.split(";")[0] in cited


def test_sources_section_lists_each_cited_source_once_in_order(data):
    nar = Narrator(data, 2025)
    nar.headline()
    nar.exports_imports()
    entries = nar.citations.entries()
    assert [n for n, _ in entries] == list(range(1, len(entries) + 1))
    html = nar.citations.markdown()
    assert html.count('class="source"') == len(entries)
    assert all(escape(s["url"]) in html for _, s in entries)


def test_a_partner_is_news_only_when_it_moves_apart_from_the_total(data):
    """2021: all trade rose 21.4% in yuan; trade with the United States rose about as much (no story), trade with
    Japan much less (a story, worded as lagging, the total's rate not repeated)."""
    points = [plain(p) for p in Narrator(data, 2021).main_points()]
    assert not any("United States" in p for p in points)
    assert "Trade with Japan rose 9.4%, well below the pace of all trade." in points
