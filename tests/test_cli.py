"""Command-line errors a user can cause: one line, exit status 2, nothing written."""
import subprocess
import sys

import pytest

from tradelib import paths


@pytest.mark.parametrize("args,expected", [
    (["--year", "abc"], "tradelib: error: argument --year: invalid int value: 'abc'"),
    (["--year", "2025", "--currency", "EUR"], "tradelib: error: unknown currency 'EUR'; use CURRENCY=CNY"),
    (["--year", "2025", "--outlook-low", "5", "--outlook-high", "2"],
     "tradelib: error: outlook growth range 5.0%–2.0% has its low end above its high end; swap them"),
    (["--year", "2025", "--outlook-low", "2"], "tradelib: error: give both OUTLOOK_LOW and OUTLOOK_HIGH"),
    (["--year", "2025", "--data", "/nonexistent/figures.csv"], "tradelib: error: figures.csv: [file exists]"),
])
def test_bad_arguments_end_in_one_line(tmp_path, args, expected):
    r = subprocess.run([sys.executable, "-m", "tradelib", *args, "--reports-dir", str(tmp_path / "reports")],
                       capture_output=True, text=True, cwd=paths.PROJECT_DIR, timeout=120)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(expected), r.stderr
    assert not (tmp_path / "reports" / "2025").exists()


THA_8542 = paths.SHARED_DATA_DIR / "comtrade_plus_tha_hs8542_2014_2024" / "TradeData_THA_M_8542_2014_2024.csv"


@pytest.mark.parametrize("args,expected", [
    (["--reporter", "IND", "--year", "2023"],
     "tradelib: error: arguments: [records] tradelib holds published figures for CHN only; for IND give the records"),
    (["--period", "2022-06"], "tradelib: error: monthly figures: [period] no figures are held for June 2022; the "
                              "months held are"),
    (["--reporter", "XYZ", "--year", "2023", "--records", "x.csv"], "tradelib: error: reporter: [reporter] 'XYZ' is not"),
    (["--reporter", "THA", "--period", "2024-13", "--records", "x.csv"], "tradelib: error: period: [period] '2024-13'"),
    (["--reporter", "THA", "--year", "2024", "--records", "README.md"],
     "tradelib: error: README.md line 1: [format] no reader understands this file"),
])
def test_records_briefing_arguments_end_in_one_line(tmp_path, args, expected):
    r = subprocess.run([sys.executable, "-m", "tradelib", *args, "--reports-dir", str(tmp_path / "reports")],
                       capture_output=True, text=True, cwd=paths.PROJECT_DIR, timeout=120,
                       env={**__import__("os").environ, "PYTHONWARNINGS": "ignore"})
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith(expected), r.stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


@pytest.mark.e2e
@pytest.mark.skipif(not THA_8542.exists(), reason="the shared real extracts are not on this machine")
def test_a_records_briefing_renders_for_another_reporter(tmp_path):
    r = subprocess.run([sys.executable, "-m", "tradelib", "--reporter", "THA", "--year", "2024", "--records",
                        str(THA_8542), "--reports-dir", str(tmp_path)], capture_output=True, text=True,
                       cwd=paths.PROJECT_DIR, timeout=600)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "THA-2024"
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert "Thailand&#x27;s trade in 2024" in html or "Thailand's trade in 2024" in html
    assert "came to US$24.4 billion in 2024, up 24.7% on 2023" in html
    assert (out / "briefing.pdf").read_bytes()[:5] == b"%PDF-"
