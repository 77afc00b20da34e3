"""Periods: a year ("2024"), a quarter ("2024-Q2") or a month ("2024-03").

One value type for the timeframes of programme work plans. A plan's granularity is the
unit of its `meta.start` and `meta.end`; its tasks are timed in periods of that unit.
Green Paper plans keep plan years (`year_start`/`year_end`); these map onto year periods.
Parsed once here and nowhere else (checks, adapt and the renderers all use this type).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

UNITS = ("year", "quarter", "month")
_FORMS = {
    "year": re.compile(r"^(\d{4})$"),
    "quarter": re.compile(r"^(\d{4})-[Qq]([1-4])$"),
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}
_PER_YEAR = {"year": 1, "quarter": 4, "month": 12}


class PeriodError(ValueError):
    """A period that is not written as 2024, 2024-Q2 or 2024-03."""


@total_ordering
@dataclass(frozen=True)
class Period:
    unit: str  # year, quarter or month
    year: int
    part: int = 1  # the quarter (1-4) or month (1-12); 1 for a year

    @classmethod
    def parse(cls, text: object) -> Period:
        if isinstance(text, Period):
            return text
        raw = str(text).strip()
        for unit, form in _FORMS.items():
            match = form.match(raw)
            if match:
                year = int(match.group(1))
                if not 1900 <= year <= 2200:
                    break
                return cls(unit, year, int(match.group(2)) if unit != "year" else 1)
        raise PeriodError(f'"{text}" is not a period; write a year (2024), a quarter (2024-Q2) or a month (2024-03)')

    @property
    def index(self) -> int:
        """A running number within the unit: consecutive periods differ by one."""
        return self.year * _PER_YEAR[self.unit] + self.part - 1

    @classmethod
    def from_index(cls, unit: str, index: int) -> Period:
        year, rest = divmod(index, _PER_YEAR[unit])
        return cls(unit, year, rest + 1)

    def shift(self, n: int) -> Period:
        return Period.from_index(self.unit, self.index + n)

    def __sub__(self, other: Period) -> int:
        self._same(other)
        return self.index - other.index

    def _same(self, other: Period) -> None:
        if self.unit != other.unit:
            raise PeriodError(f"{self} is a {self.unit} and {other} a {other.unit}")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.first_day, self.last_day) < (other.first_day, other.last_day)

    @property
    def first_day(self) -> dt.date:
        if self.unit == "year":
            return dt.date(self.year, 1, 1)
        month = (self.part - 1) * 3 + 1 if self.unit == "quarter" else self.part
        return dt.date(self.year, month, 1)

    @property
    def last_day(self) -> dt.date:
        if self.unit == "year":
            return dt.date(self.year, 12, 31)
        month = self.part * 3 if self.unit == "quarter" else self.part
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def contains(self, when: dt.date | Period) -> bool:
        if isinstance(when, Period):
            return self.first_day <= when.first_day and when.last_day <= self.last_day
        return self.first_day <= when <= self.last_day

    def __str__(self) -> str:
        if self.unit == "year":
            return str(self.year)
        if self.unit == "quarter":
            return f"{self.year}-Q{self.part}"
        return f"{self.year}-{self.part:02d}"

    @property
    def label(self) -> str:
        """The short column heading: Q2, 03, or the year."""
        if self.unit == "quarter":
            return f"Q{self.part}"
        if self.unit == "month":
            return f"{self.part:02d}"
        return str(self.year)


def span(first: Period, last: Period) -> list[Period]:
    """Every period from first to last, both included."""
    first._same(last)
    return [first.shift(i) for i in range(last - first + 1)]


def containing(unit: str, when: dt.date) -> Period:
    """The period of this unit a date falls in."""
    if unit == "year":
        return Period("year", when.year)
    if unit == "quarter":
        return Period("quarter", when.year, (when.month - 1) // 3 + 1)
    return Period("month", when.year, when.month)


def range_text(first: Period, last: Period) -> str:
    """2009-Q2 to 2009-Q4 as people write it in work plans: 2009-Q2–Q4; one period alone."""
    if first == last:
        return str(first)
    if first.unit != "year" and first.year == last.year:
        return f"{first}\u2013{last.label}"
    return f"{first}\u2013{last}"
