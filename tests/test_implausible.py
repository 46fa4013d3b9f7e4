"""Implausible and awkward inputs: dates after the day of the render, paths with spaces."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tradelib import paths, sources, validate
from tradelib.errors import DataError

from . import hostile


def set_first(folder, file, column, value, where=None):
    header, rows = hostile.read(folder / file)
    row = next(r for r in rows if where is None or where(r))
    row[column] = value
    hostile.write(folder / file, header, rows)


@pytest.mark.parametrize("file,column,value,expected", [
    ("figures.csv", "vintage", "2100-01-14",
     "figures.csv line 2: [not in the future] vintage 2100-01-14 is after today"),
    ("indicators.csv", "vintage", "2100-01-14", "indicators.csv line 2: [not in the future] vintage 2100-01-14"),
    ("sources.csv", "accessed", "2100-01-15", "sources.csv line 2: [not in the future] accessed 2100-01-15"),
    ("sources.csv", "published", "2100-01-14", "sources.csv line 2: [not in the future] published 2100-01-14"),
    ("sources.csv", "published", "2100-01", "sources.csv line 2: [not in the future] published 2100-01 is after"),
])
def test_dates_after_the_day_of_the_render_are_refused(data_copy, file, column, value, expected):
    set_first(data_copy, file, column, value)
    if file == "sources.csv" and column == "published":  # accessed after published: only the future is wrong
        set_first(data_copy, file, "accessed", "2100-02-01")
    with pytest.raises(DataError) as e:
        sources.load(data_copy)
    msg = str(e.value)
    assert msg.startswith(expected), msg
    assert f"({dt.date.today()})" in msg or f"({dt.date.today().isoformat()[:7]})" in msg


def test_today_is_the_day_of_the_render(data_copy, monkeypatch):
    """A vintage of tomorrow is refused today and accepted once that day has come."""
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    set_first(data_copy, "figures.csv", "vintage", tomorrow.isoformat())
    with pytest.raises(DataError, match=r"\[not in the future\]"):
        sources.load(data_copy)
    monkeypatch.setattr(validate, "today", lambda: tomorrow)
    sources.load(data_copy)


def test_makefile_passes_paths_with_spaces_and_quotes_intact(tmp_path):
    """make report runs the program with each path as one argument (a stand-in program prints them)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    (fake / "python").chmod(0o755)
    data = tmp_path / "my data folder" / "it's figures.csv"
    reports = tmp_path / "my reports"
    r = subprocess.run(["make", "--no-print-directory", "-s", "report", "STAMP=", f"BIN={fake}", f"DATA={data}",
                        f"REPORTS={reports}", "YEAR=2024"], cwd=paths.PROJECT_DIR, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["-m", "tradelib", "--year", "2024", "--currency", "CNY", "--data", str(data),
                                     "--reports-dir", str(reports)]
