"""Errors a user can cause, each carrying one line that says what is wrong and what to do."""
from __future__ import annotations

from pathlib import Path


class TradelibError(Exception):
    """An expected error: shown to the user as one line, without a traceback."""


class DataError(TradelibError, ValueError):
    """A data file broke a rule: names the file, the line and the rule."""

    def __init__(self, path: Path | str, line: int | None, rule: str, message: str):
        self.path = Path(path)
        self.line = line
        self.rule = rule
        self.message = message
        where = f"{self.path.name}" + (f" line {line}" if line else "")
        super().__init__(f"{where}: [{rule}] {message}")


class NoDataForYear(TradelibError, ValueError):
    def __init__(self, year, available: list[int]):
        self.year = year
        self.available = available
        span = _span(available)
        super().__init__(f"no official figures for {year}; years available: {span}. "
                         f"Choose one of them, e.g. make report YEAR={available[-1] if available else ''}")


class RenderError(TradelibError, RuntimeError):
    """A render failed; the earlier report was kept."""


def _span(years: list[int]) -> str:
    if not years:
        return "none"
    ys = sorted(years)
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)
