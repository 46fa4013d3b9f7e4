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
