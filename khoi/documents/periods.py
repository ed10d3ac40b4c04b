"""Reporting periods: ``2017-10`` (month), ``2017-Q3``, ``2017-H1``/``H2``, ``2017-9M``, ``2017``.

A period covers whole months; its dates depend on the cut-off day. With the default
cut-off 15 (the offices' practice), a period runs from the 15th of the month before its
first month to the 14th of its last month: October 2017 is 15/09/2017–14/10/2017, the year
2017 is 15/12/2016–14/12/2017. Cut-off 1 gives calendar months. Pure, no Django.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["month", "quarter", "half", "nine_months", "year"]
DEFAULT_CUTOFF: Final = 15
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100

_PATTERN: Final = re.compile(
    r"^\s*(?P<year>\d{4})(?:\s*[-/]\s*(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])|"
    r"[Hh](?P<half>[12])|(?P<nine>9)[Mm]))?\s*$"
)
ROMAN: Final = ("I", "II", "III", "IV")

MESSAGES: Final = {
    "bad_period": "Kỳ báo cáo không hợp lệ: dùng 2017-10 (tháng), 2017-Q3 (quý), "
    "2017-H1 (6 tháng), 2017-9M (9 tháng) hoặc 2017 (năm).",
    "bad_month": "Tháng phải từ 1 đến 12.",
    "bad_year": f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.",
    "bad_cutoff": "Ngày chốt số liệu phải từ 1 đến 28.",
}


class PeriodError(ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        self.message = MESSAGES[code]
        super().__init__(self.message)


@dataclass(frozen=True)
class Period:
    kind: Kind
    year: int
    first_month: int
    last_month: int

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.first_month:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.last_month // 3}"
        if self.kind == "half":
            return f"{self.year}-H{1 if self.last_month == 6 else 2}"
        if self.kind == "nine_months":
            return f"{self.year}-9M"
        return str(self.year)

    @property
    def label(self) -> str:
        """Vietnamese label as written in report titles."""
        if self.kind == "month":
            return f"tháng {self.first_month} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[self.last_month // 3 - 1]} năm {self.year}"
        if self.kind == "half":
            return (
                f"6 tháng đầu năm {self.year}"
                if self.last_month == 6
                else f"6 tháng cuối năm {self.year}"
            )
        if self.kind == "nine_months":
            return f"9 tháng năm {self.year}"
        return f"năm {self.year}"

    def bounds(self, cutoff: int = DEFAULT_CUTOFF) -> tuple[datetime.date, datetime.date]:
        """First and last day of the period for a cut-off day (1 = calendar months)."""
        if not 1 <= cutoff <= 28:
            raise PeriodError("bad_cutoff")
        start = _cut(self.year, self.first_month, cutoff)
        end = _cut(self.year, self.last_month + 1, cutoff) - datetime.timedelta(days=1)
        return start, end


def _cut(year: int, month: int, cutoff: int) -> datetime.date:
    """Where month ``month`` (may be 13) begins for reporting."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    if cutoff == 1:
        return datetime.date(year, month, 1)
    if month == 1:
        return datetime.date(year - 1, 12, cutoff)
    return datetime.date(year, month - 1, cutoff)


def parse_period(text: str) -> Period:
    """Parse a period code; :class:`PeriodError` with a Vietnamese message otherwise."""
    match = _PATTERN.match(text or "")
    if match is None:
        raise PeriodError("bad_period")
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("bad_year")
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError("bad_month")
        return Period("month", year, month, month)
    if match["quarter"]:
        q = int(match["quarter"])
        return Period("quarter", year, 3 * q - 2, 3 * q)
    if match["half"]:
        h = int(match["half"])
        return Period("half", year, 6 * h - 5, 6 * h)
    if match["nine"]:
        return Period("nine_months", year, 1, 9)
    return Period("year", year, 1, 12)
