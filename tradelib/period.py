"""A period of trade statistics as a value: a year, a month, or the months of a year to date.

A :class:`Period` knows its code (``2025``, ``2025-11``, ``2025-01..11``), its label for a reader ("2025",
"November 2025", "January–November 2025"), the period it is compared with (the same period a year earlier),
the month before where that is meaningful, and how a change is worded against it ("on 2024", "on November
2024", "on January–November 2024").

Publishers that release some months together (China's customs publish January and February as one period)
say so in their reporter file (``combined_months``); :meth:`Period.previous` then steps over the combined
months as one period, and :meth:`Period.check_release` refuses a month the publisher does not release alone.
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from .errors import DataError

_CODE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:\.\.(?:(\d{4})-)?(\d{1,2}))?)?$")


@functools.total_ordering
@dataclass(frozen=True, eq=False)
class Period:
    """``first`` = ``last`` = 0 for a whole year; ``first`` = ``last`` for one month; ``first`` < ``last`` for
    a run of months of one year (``first`` = 1: the year to date).

    A period is a value: two periods with the same year and months are equal, and order by year then months,
    whatever their class (a publisher's own subclass, such as the monthly release's, included)."""

    year: int
    first: int = 0
    last: int = 0

    def _value(self) -> tuple[int, int, int]:
        return (self.year, self.first, self.last)

    def __eq__(self, other):
        return self._value() == other._value() if isinstance(other, Period) else NotImplemented

    def __lt__(self, other):
        return self._value() < other._value() if isinstance(other, Period) else NotImplemented

    def __hash__(self):
        return hash(self._value())

    def __post_init__(self):
        if self.first and not self.last:
            object.__setattr__(self, "last", self.first)
        if not 1000 <= int(self.year) <= 9999:
            raise _bad(str(self.year), "the year must have four digits")
        if (self.first == 0) != (self.last == 0) or not (0 <= self.first <= self.last <= 12):
            raise _bad(self.code_unchecked(), "months run from 01 to 12, the first not after the last")
        if self.first == 1 and self.last == 12:
            object.__setattr__(self, "first", 0)
            object.__setattr__(self, "last", 0)

    # ------------------------------------------------------------------ what kind of period
    @property
    def is_year(self) -> bool:
        return self.first == 0

    @property
    def is_month(self) -> bool:
        return self.first != 0 and self.first == self.last

    @property
    def is_range(self) -> bool:
        return self.first != 0 and self.first != self.last

    @property
    def month(self) -> int:
        """The month of a one-month period; 0 for a year or a run of months."""
        return self.first if self.is_month else 0

    @property
    def months(self) -> range:
        """The months the period covers (1–12 for a year)."""
        return range(1, 13) if self.is_year else range(self.first, self.last + 1)

    @property
    def end(self) -> date:
        last = 12 if self.is_year else self.last
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    # ------------------------------------------------------------------ names
    def code_unchecked(self) -> str:
        if not self.first:
            return f"{self.year:04d}"
        if self.first == self.last:
            return f"{self.year:04d}-{self.first:02d}"
        return f"{self.year:04d}-{self.first:02d}..{self.last:02d}"

    @property
    def code(self) -> str:
        """``2025``, ``2025-11`` or ``2025-01..11`` (the form :meth:`parse` reads)."""
        return self.code_unchecked()

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """"2025", "November 2025" or "January–November 2025"."""
        name = calendar.month_name
        if self.is_year:
            return str(self.year)
        if self.is_month:
            return f"{name[self.first]} {self.year}"
        return f"{name[self.first]}\u2013{name[self.last]} {self.year}"

    @property
    def adjective(self) -> str:
        """"Annual", "Monthly", "Year-to-date" (or "Multi-month"): the kind of a briefing on the period."""
        return {"year": "Annual", "month": "Monthly", "year to date": "Year-to-date"}.get(self.kind, "Multi-month")

    @property
    def kind(self) -> str:
        """"year", "month" or "year to date" (a run of months from January), else "months"."""
        if self.is_year:
            return "year"
        if self.is_month:
            return "month"
        return "year to date" if self.first == 1 else "months"

    # ------------------------------------------------------------------ comparisons
    def year_earlier(self) -> "Period":
        """The same period a year earlier: what growth is measured against."""
        return Period(self.year - 1, self.first, self.last)

    def previous(self, combined: tuple[tuple[int, int], ...] = ()) -> "Period | None":
        """The period just before (the month before, the year before); None for a run of months, whose
        comparison is only the same period a year earlier. ``combined``: runs of months released as one
        period (``((1, 2),)`` for a January–February release), stepped over as one."""
        if self.is_year:
            return Period(self.year - 1)
        if self.is_range and (self.first, self.last) not in combined:
            return None
        if self.first == 1:
            last_run = next(((a, b) for a, b in combined if b == 12), None)
            return Period(self.year - 1, *(last_run or (12, 12)))
        before = self.first - 1
        run = next(((a, b) for a, b in combined if a <= before <= b), None)
        return Period(self.year, *(run or (before, before)))

    def year_to_date(self) -> "Period":
        """January to the end of this period (the year itself for a year)."""
        return self if self.is_year else Period(self.year, 1, self.last)

    def against(self) -> str:
        """How a change is worded against its comparison: "on 2024", "on November 2024"."""
        return f"on {self.year_earlier().label}"

    def check_release(self, combined: tuple[tuple[int, int], ...]) -> None:
        """Refuse a month that the publisher releases only as part of a combined period."""
        for a, b in combined:
            if self.is_month and a <= self.first <= b:
                words = f"{calendar.month_name[a]}\u2013{calendar.month_name[b]}"
                raise _bad(self.code, f"{words} is published as one period; write {self.year}-{a:02d}..{b:02d}")

    # ------------------------------------------------------------------ reading
    @classmethod
    def parse(cls, text: str | int) -> "Period":
        """``2025``, ``2025-11``, ``2025-01..11`` or ``2025-01..2025-11`` (months of one year)."""
        t = str(text).strip()
        m = _CODE.match(t)
        if not m:
            raise _bad(t, "write a year (2023), a month (2023-06) or months of one year (2023-01..06)")
        year = int(m.group(1))
        if m.group(3) and int(m.group(3)) != year:
            raise _bad(t, "a run of months stays within one year")
        first = int(m.group(2)) if m.group(2) else 0
        last = int(m.group(4)) if m.group(4) else first
        if m.group(4) and first == last:
            raise _bad(t, f"a run of one month is the month itself; write {year}-{first:02d}")
        return cls(year, first, last)


def _bad(text: str, why: str) -> DataError:
    return DataError("period", None, "period", f"{text!r} is not a period: {why}")
