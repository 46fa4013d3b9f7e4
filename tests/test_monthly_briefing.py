"""The monthly briefing: golden texts on the bundled monthly figures (an ordinary month, a January–February,
a dollar edition), sentences that adapt (a fall, a turning point, a first period; on synthetic figures,
labelled as such), the one-currency rule, and the errors a user can cause."""
import re
from html import unescape
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tradelib import markup, monthly, paths, reporter
from tradelib import monthly_briefing as mb
from tradelib.errors import DataError
from tradelib.period import Period

GOLDEN = Path(__file__).parent / "golden"
CHN = reporter.load("CHN")


@pytest.fixture(scope="module")
def figures() -> monthly.Monthly:
    return monthly.load()


def plain_text(b: mb.Briefing) -> str:
    """The briefing as a reader sees it: headings, sentences, table cells, chart captions (no SVG, no marks)."""
    page = markup.MonthlyMarkup(b)
    html = "".join(page.section(s) for s in mb.SECTIONS) + page.about()
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    html = re.sub(r'<sup class="fn">.*?</sup>', "", html)
    html = re.sub(r"</(h2|h3|p|li|tr|figcaption|div)>", "\n", html)
    html = re.sub(r"</t[dh]>", " | ", html)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return mb.title(b) + "\n" + "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


GOLDENS = [("monthly_2025-11.txt", "2025-11", "CNY"), ("monthly_2025-11_USD.txt", "2025-11", "USD"),
           ("monthly_2026-01..02.txt", "2026-01..02", "CNY")]


@pytest.mark.parametrize("golden, period, currency", GOLDENS)
def test_golden_monthly_briefing(figures, golden, period, currency):
    text = plain_text(mb.Briefing(figures, CHN, period, currency))
    assert text == (GOLDEN / golden).read_text(encoding="utf-8")


def test_november_2025_figures_as_published(figures):
    b = mb.Briefing(figures, CHN, "2025-11", "CNY")
    level, g = b.pair("month", "exports")
    assert (level.value, level.unit, g.value, g.basis) == (2.35e12, "CNY", 5.7, "CNY")
    assert b.money(level) == "2.35 trillion yuan" and b.money(b.pair("ytd", "total")[0]) == "41.21 trillion yuan"
    assert b.released == "2025-12-08" and b.latest_release == "2026-01-14"
    bal = b.level(b.period, "month", "balance", "CNY")
    assert not bal.reported and b.money(bal) == "0.80 trillion yuan\u2020"     # computed from 2.35 − 1.55


def test_a_period_object_of_either_class_gives_the_same_briefing(figures):
    """The release's own period class (monthly.Period) and tradelib.period.Period name the same months."""
    from tradelib import monthly, period as periods

    texts = {plain_text(mb.Briefing(figures, CHN, p, "CNY"))
             for p in ("2025-11", monthly.Period.parse("2025-11"), periods.Period(2025, 11))}
    assert len(texts) == 1 and "November 2025" in texts.pop()


def test_dollar_edition_never_sets_a_rate_beside_a_yuan_level(figures):
    b = mb.Briefing(figures, CHN, "2025-11", "USD")
    text = mb.month_flows(b).text
    assert text.startswith("Exports came to 2.35 trillion yuan in November 2025. In dollar terms, they rose 5.9% "
                           "year on year")
    assert not re.search(r"\d% year on year to [\d.]+ trillion yuan", text)


def test_a_level_keeps_the_digits_its_source_printed(figures):
    b = mb.Briefing(figures, CHN, "2026-01..02", "CNY")
    eu = b.level(b.period, "month", "total", "CNY", partner="EU")
    assert b.money(eu) == "998.94 billion yuan"
    us = b.get(b.period, "month", "exports", "growth_yoy", "USD", partner="USA")
    assert b.change(us) == "fell 11%"                                            # printed as 11, not 11.0


# ------------------------------------------------------------------ adapting sentences (synthetic figures)
SYNTHETIC_SOURCE = {"source_id": "syn-1", "publisher": "Synthetic publisher (test fixture)",
                    "title": "Synthetic monthly release, made-up numbers", "url": "", "published": "",
                    "accessed": "2026-01-01", "kind": "official", "seen_at": "", "line": 2}


def synthetic(rows: list[tuple]) -> monthly.Monthly:
    """Made-up monthly figures (a test fixture, not official): (period, span, flow, measure, value, currency)."""
    out = []
    for period, span, flow, measure, value, cur in rows:
        unit = "trillion" if measure == "value" else "percent"
        number = float(value)
        out.append({"period": period, "span": span, "flow": flow, "partner": "WLD", "product": "ALL",
                    "enterprise": "ALL", "measure": measure, "value": value, "unit": unit, "currency": cur,
                    "source_id": "syn-1", "vintage": f"{int(period[:4]) + 1}-01-20", "note": "", "quote": "",
                    "number": number, "amount": number * (1e12 if unit == "trillion" else 1), "tolerance": 0.0})
    f = pd.DataFrame(out)
    return monthly.Monthly(figures=f, all_vintages=f, conflicts=pd.DataFrame(), uncited=pd.DataFrame(),
                           sources=pd.DataFrame([SYNTHETIC_SOURCE]), sightings=pd.DataFrame())


def growth_rows(flow: str, rates: dict[str, str]) -> list[tuple]:
    return [(p, "month", flow, "growth_yoy", v, "CNY") for p, v in rates.items()]


MONTHS_2024 = ["2024-01..02"] + [f"2024-{m:02d}" for m in range(3, 13)]


def test_a_fall_after_growth_is_said_as_such():
    rows = growth_rows("exports", {"2024-09": "4.0", "2024-10": "2.5", "2024-11": "-3.2"})
    rows += [("2024-11", "month", "exports", "value", "2.10", "CNY")]
    b = mb.Briefing(synthetic(rows), CHN, "2024-11", "CNY")
    assert mb.month_flows(b).text == ("Exports fell 3.2% year on year to 2.10 trillion yuan in November 2024, a fall "
                                      "after growth of 2.5% in October.")
    assert mb.title(b) == "China's foreign trade in November 2024: exports down 3.2%"
    assert mb.momentum(b).text == "Export growth of \u22123.2% in November compares with 2.5% in October and 4.0% in September."


def test_a_return_to_growth_is_a_turning_point():
    rows = growth_rows("imports", {"2024-07": "-1.0", "2024-08": "0.4"})
    b = mb.Briefing(synthetic(rows), CHN, "2024-08", "CNY")
    assert mb.month_flows(b).text == ("Imports rose 0.4% year on year in August 2024, returning to growth after a "
                                      "fall of 1.0% in July.")


def test_the_fastest_growth_over_a_stated_span():
    rates = dict(zip(MONTHS_2024, ["9.0", "1.0", "2.0", "3.0", "2.5", "1.5", "4.0", "3.5", "2.0", "5.0"]))
    b = mb.Briefing(synthetic(growth_rows("exports", rates)), CHN, "2024-11", "CNY")
    # the January–February rate (9.0%) is higher: the span runs from it, and it is named
    assert mb.month_flows(b).text.endswith("rose 5.0% year on year in November 2024, the fastest growth since "
                                           "January–February.")
    rates["2024-01..02"] = "0.5"   # now nothing held before it is higher: "since at least" the first held
    b = mb.Briefing(synthetic(growth_rows("exports", rates)), CHN, "2024-11", "CNY")
    assert mb.month_flows(b).text.endswith("the fastest growth since at least January–February.")


def test_the_steepest_fall_and_no_claim_over_a_short_span():
    rates = dict(zip(MONTHS_2024[:7], ["-1.0", "-2.0", "-0.5", "-3.0", "-1.5", "-2.5", "-4.0"]))
    b = mb.Briefing(synthetic(growth_rows("exports", rates)), CHN, "2024-08", "CNY")
    assert mb.month_flows(b).text.endswith("fell 4.0% year on year in August 2024, the steepest fall since at least "
                                           "January–February.")
    short = {p: v for p, v in rates.items() if p >= "2024-05"}   # four releases: too few to call it a record
    b = mb.Briefing(synthetic(growth_rows("exports", short)), CHN, "2024-08", "CNY")
    assert mb.month_flows(b).text == "Exports fell 4.0% year on year in August 2024."


def test_the_first_release_of_the_year_and_the_first_period_held():
    rows = [("2024-01..02", "month", "exports", "growth_yoy", "7.1", "CNY"),
            ("2024-01..02", "month", "exports", "value", "3.75", "CNY"),
            ("2024-01..02", "month", "imports", "growth_yoy", "-2.0", "CNY")]
    b = mb.Briefing(synthetic(rows), CHN, "2024-01..02", "CNY")
    assert b.first_of_year and b.ytd == b.period
    assert mb.first_release(b).text == ("The customs publish January and February together: the year's first "
                                        "release covers both months, is compared with the same months of 2023 and "
                                        "is also the year to date.")
    assert mb.momentum(b).text == ""          # nothing held before it: no comparison with earlier months
    assert mb.year_to_date(b).text == ""      # its own year to date: the section is left out
    page = markup.MonthlyMarkup(b)
    assert "The year to date" not in "".join(page.section(s) for s in mb.SECTIONS)
    assert mb.month_flows(b).text == ("Exports rose 7.1% year on year to 3.75 trillion yuan in January–February "
                                      "2024. Imports fell 2.0% year on year.")


def test_a_figure_only_in_the_other_currency_is_given_once_as_such():
    rows = [("2024-06", "month", "exports", "growth_yoy", "8.6", "USD"),
            ("2024-06", "month", "exports", "value", "0.3079", "USD")]
    b = mb.Briefing(synthetic(rows), CHN, "2024-06", "CNY")
    text = plain_text(b)
    assert text.count("8.6%") == 1 and "Exports rose 8.6% year on year to US$0.3079 trillion in June 2024." in text
    assert "Key figures" not in text          # nothing published in yuan: no yuan table


def test_months_held_are_named_as_runs():
    ps = [Period.parse(p) for p in ("2023-01..02", "2023-03", "2023-04", "2023-12", "2024-01..02", "2024-05")]
    assert mb.runs(ps) == "January–February 2023 to April 2023, December 2023 to January–February 2024 and May 2024"


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("period, message", [
    ("2025-01", "'2025-01' is not a period: January–February is published as one period; write 2025-01..02"),
    ("2025-02", "'2025-02' is not a period: January–February is published as one period; write 2025-01..02"),
    ("2025-01..11", "'2025-01..11': a monthly briefing is on one release, a month (2025-11) or January–February "
                    "(2025-01..02); the year to date is in the briefing on its last month"),
])
def test_periods_that_are_not_one_release_are_refused(period, message):
    with pytest.raises(DataError) as e:
        mb.check_period(Period.parse(period), CHN)
    assert str(e.value) == f"period: [period] {message}"


def test_a_month_not_held_names_the_months_held(figures):
    with pytest.raises(DataError) as e:
        mb.Briefing(figures, CHN, "2022-06", "CNY")
    assert str(e.value) == ("monthly figures: [period] no figures are held for June 2022; the months held are "
                            "January–February 2023 to January–February 2026 and May 2026. Choose one of them, "
                            "e.g. PERIOD=2026-05")


@pytest.mark.parametrize("args, expected", [
    (["--period", "2022-06"], "tradelib: error: monthly figures: [period] no figures are held for June 2022; the "
                              "months held are January–February 2023 to"),
    (["--period", "2025-01"], "tradelib: error: period: [period] '2025-01' is not a period: January–February is "
                              "published as one period; write 2025-01..02"),
    (["--period", "2025-11", "--currency", "EUR"], "tradelib: error: unknown currency 'EUR'"),
    (["--period", "2025-11", "--data", "README.md"], "tradelib: error: README.md: [data folder] a monthly briefing "
                                                     "reads a data folder holding monthly_sightings.csv"),
])
def test_monthly_arguments_end_in_one_line(tmp_path, args, expected):
    r = subprocess.run([sys.executable, "-m", "tradelib", *args, "--reports-dir", str(tmp_path / "reports")],
                       capture_output=True, text=True, cwd=paths.PROJECT_DIR, timeout=300)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith(expected), r.stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


@pytest.mark.parametrize("args, expected", [
    (["--periods", "2025-11", "--years", "2025"], "tradelib: error: give --years (annual briefings) or --periods"),
    (["--periods", "2025-02"], "tradelib: error: period: [period] '2025-02' is not a period"),
    (["--periods", "all 2025-11"], "tradelib: error: argument --periods: write all, or periods such as"),
])
def test_monthly_batch_errors_end_in_one_line(tmp_path, args, expected):
    r = subprocess.run([sys.executable, "-m", "tradelib.batch", *args, "--reports-dir", str(tmp_path / "reports")],
                       capture_output=True, text=True, cwd=paths.PROJECT_DIR, timeout=300)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith(expected), r.stderr


def test_monthly_folder_does_not_collide_with_annual_or_records_folders():
    from tradelib import render

    assert render.monthly_key(Period.parse("2025-11")) == "2025-11"
    assert render.monthly_key(Period.parse("2025-01..02")) == "2025-01..02"
    assert render.records_key("CHN", Period.parse("2025-11")) == "CHN-2025-11"
    assert paths.report_dir(2025).name == "2025"


@pytest.mark.e2e
def test_a_monthly_briefing_renders(tmp_path):
    r = subprocess.run([sys.executable, "-m", "tradelib", "--period", "2025-11", "--reports-dir", str(tmp_path)],
                       capture_output=True, text=True, cwd=paths.PROJECT_DIR, timeout=600)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "2025-11"
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert "China&#x27;s foreign trade in November 2025: exports up 5.7% and imports up 1.7%" in html or \
        "China's foreign trade in November 2025: exports up 5.7% and imports up 1.7%" in html
    assert "Monthly briefing · figures in yuan · data as released up to 2026-01-14" in html
    assert "Exports rose 5.7% year on year to 2.35 trillion yuan in November 2025." in html
    assert html.count("<svg") == 1 and "About this briefing" in html
    assert (out / "briefing.pdf").read_bytes()[:5] == b"%PDF-"
    # rendered again from the same inputs: nothing to do
    again = subprocess.run([sys.executable, "-m", "tradelib", "--period", "2025-11", "--reports-dir", str(tmp_path)],
                           capture_output=True, text=True, cwd=paths.PROJECT_DIR, timeout=600)
    assert again.returncode == 0 and "inputs unchanged" in again.stderr


def test_working_folders_of_a_year_are_not_those_of_its_months(tmp_path):
    from tradelib import render

    for name in (".old-2025-1a2b3c4d", ".old-2025-11-1a2b3c4d", ".tmp-2025-01..02-abcd_123", ".tmp-2025-abcd_123"):
        (tmp_path / name).mkdir()
    assert sorted(p.name for p in render._working(tmp_path, ".old", 2025)) == [".old-2025-1a2b3c4d"]
    assert sorted(p.name for p in render._working(tmp_path, ".tmp", 2025)) == [".tmp-2025-abcd_123"]
    assert sorted(p.name for p in render._working(tmp_path, ".old", "2025-11")) == [".old-2025-11-1a2b3c4d"]
