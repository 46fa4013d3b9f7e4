"""Errors a user can cause, each carrying one line that says what is wrong and what to do."""
from __future__ import annotations

from pathlib import Path


# Exit statuses of the command: 0 done, 2 bad input (arguments, data files, what lies at reports/<year>),
# 130 or 143 interrupted (Ctrl-C, SIGTERM: 128 + the signal's number), 1 anything else (a failed render,
# an operating-system error such as a read-only folder or a full disk).
EXIT_DONE, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class TradelibError(Exception):
    """An expected error: shown to the user as one line, without a traceback."""

    exit_status = EXIT_BAD_INPUT


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

    exit_status = EXIT_FAILED


class Interrupted(RenderError):
    """A render stopped by a signal (Ctrl-C is SIGINT); the earlier report was kept."""

    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.signum = signum
        self.exit_status = 128 + signum


class SystemFailure(RenderError):
    """The operating system refused (read-only folder, full disk, missing permission, a folder gone)."""


def _span(years: list[int]) -> str:
    if not years:
        return "none"
    ys = sorted(years)
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)
