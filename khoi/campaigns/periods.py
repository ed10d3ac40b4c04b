"""Reporting periods of indicators: codes, kinds, bounds (no database; labels and messages
through gettext).

Codes: ``2017-03`` (month), ``2017-Q1`` (quarter), ``2017-H1`` (half-year), ``2017`` (year).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
KINDS = (MONTH, QUARTER, HALF, YEAR)
_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?$")


class PeriodError(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.message = _(
            "The reporting period “%(text)s” is not valid (e.g. 2017-03, 2017-Q1, 2017-H1, 2017)."
        ) % {"text": text}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str
    index: int  # month 1-12, quarter 1-4, half 1-2, year 1

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind == HALF:
            return f"{self.year}-H{self.index}"
        return str(self.year)

    @property
    def months(self) -> tuple[int, int]:
        """First and last month (1-12) of the period."""
        size = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}[self.kind]
        first = (self.index - 1) * size + 1
        return first, first + size - 1

    def bounds(self) -> tuple[dt.date, dt.date]:
        first, last = self.months
        end_day = calendar.monthrange(self.year, last)[1]
        return dt.date(self.year, first, 1), dt.date(self.year, last, end_day)

    def label(self) -> str:
        """The label read by people; in Vietnamese "tháng 03/2017", "quý I/2017", "6 tháng đầu
        năm 2017", "năm 2017"."""
        if self.kind == MONTH:
            return _("month %(m)s/%(y)s") % {"m": f"{self.index:02d}", "y": self.year}
        if self.kind == QUARTER:
            roman = ["I", "II", "III", "IV"][self.index - 1]
            return _("quarter %(q)s/%(y)s") % {"q": roman, "y": self.year}
        if self.kind == HALF and self.index == 1:
            return _("first half of %(y)s") % {"y": self.year}
        if self.kind == HALF:
            return _("second half of %(y)s") % {"y": self.year}
        return _("year %(y)s") % {"y": self.year}

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies inside this period (same year, months inside)."""
        if other.year != self.year:
            return False
        a, b = self.months
        c, d = other.months
        return a <= c and d <= b


def parse(text: str) -> Period:
    m = _RE.match(text.strip())
    if not m:
        raise PeriodError(text)
    year = int(m.group(1))
    if not 1900 <= year <= 2200:
        raise PeriodError(text)
    month, quarter, half = m.group(2), m.group(3), m.group(4)
    if month is not None:
        if not 1 <= int(month) <= 12:
            raise PeriodError(text)
        return Period(year, MONTH, int(month))
    if quarter is not None:
        return Period(year, QUARTER, int(quarter))
    if half is not None:
        return Period(year, HALF, int(half))
    return Period(year, YEAR, 1)


def periods_of_year(year: int, kind: str) -> list[Period]:
    count = {MONTH: 12, QUARTER: 4, HALF: 2, YEAR: 1}[kind]
    return [Period(year, kind, i) for i in range(1, count + 1)]


def period_containing(day: dt.date, kind: str) -> Period:
    index = {
        MONTH: day.month,
        QUARTER: (day.month - 1) // 3 + 1,
        HALF: 1 if day.month <= 6 else 2,
        YEAR: 1,
    }[kind]
    return Period(day.year, kind, index)
