"""The Vietnamese working-day calendar and the statutory clocks built on it.

Pure Python, no Django. The app (admin override table, deadline display, the
``manage.py deadline`` command) builds on these pieces:

- ``RULES``: the statutory periods as data: one ``Rule`` per rule id (its Vietnamese name
  and start event), each with its ``RuleVersion``s in force (``valid_from``/``valid_to``,
  period, unit, law, article, extensions). ``compute_deadline`` applies the version in
  force on the start date (e.g. the Law on Denunciation 2011 for a denunciation received
  or accepted before 01/01/2019, the 2018 law from that day).
- ``Override``: one official exception for one date (a swapped working Saturday, an
  announced extra day off). The admin keeps them in a per-year table and passes them in.
- ``WorkCalendar(overrides=())``: Monday to Friday minus the public holidays that the
  ``holidays`` package gives for Vietnam (``holidays.country_holidays("VN")``, computed
  once per year and cached for the process); overrides win over both the weekday rule
  and the holidays.
- ``compute_deadline(rule_id, start, extensions=0, calendar=None) -> Deadline``.

Counting (Civil Code 2015 art. 147–148):

- the start day is not counted: a period of *n* days from day *d* has its last day on
  ``d + n`` (calendar days) or on the *n*-th working day after *d* (working days);
- a calendar-day period whose last day is a weekend day or a holiday ends on the next
  working day (art. 148); working-day periods always end on a working day;
- each extension adds the version's extension days (at most 30, or 60 for a complex
  denunciation under the 2011 law) to the end of the period *before* it is moved; only the
  final date is moved to a working day.

What the ``holidays`` package (pinned 0.109) gives for Vietnam, checked against the
Labour Code 2019 art. 112:

- New Year 1/1, Tết (lunar-calendar eve + 4 days, 5 days since 2013), Giỗ Tổ Hùng Vương
  (10/3 lunar, since 2007), 30/4, 1/5, Quốc khánh 2/9 plus the adjacent day since 2021,
  Ngày Văn hóa Việt Nam 24/11 since 2026. Tết uses the Vietnamese lunar calendar
  (UTC+7), not the Chinese one.
- A holiday on a Saturday or Sunday gets a compensatory day on the next working day
  (art. 112(3); Saturday and Sunday are both weekly days off for the public sector),
  e.g. Giỗ Tổ 26/04/2026 (Sunday) → 27/04/2026 (Monday), 1/5/2027 (Saturday) →
  3/5/2027 (Monday). For Tết it moves a Saturday to the previous working day and a
  Sunday to the next one (e.g. 2025: 27/01–31/01), which matches the announced
  public-sector schedules of 2023–2026 but is only the package's estimate of the Prime
  Minister's yearly decision: announced Tết schedules go into the override table.
- Government swaps are included only half: the package lists the swapped *day off*
  (e.g. 02/05/2025 "thay cho ngày 26/04/2025", 31/08/2026 for 22/08/2026) but not the
  Saturday worked in exchange, which stays a day off here unless an override says it
  is a working day. ``PACKAGE_SWAP_MAKEUP_DAYS`` lists those Saturdays as ready-made
  overrides (for seeding the admin table); they are *not* applied by default.
- The package knows Vietnam only for 1901–2100 (its lunar table); outside that range
  this module refuses to compute (error code ``out-of-range``) rather than silently
  drop Tết.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import holidays

Unit = Literal["working", "calendar"]

# The years for which holidays 0.109 knows the Vietnamese holidays (its lunar table).
MIN_YEAR = 1901
MAX_YEAR = 2100

EXTENSION_DAYS = 30
CIVIL_CODE_147 = "Bộ luật Dân sự 2015, Điều 147"
CIVIL_CODE_148 = "Bộ luật Dân sự 2015, Điều 148"
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
UNIT_LABELS: Mapping[str, str] = {"working": "ngày làm việc", "calendar": "ngày"}


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class DeadlineError(ValueError):
    """A bad request to the calendar: a stable machine ``code`` and a Vietnamese message.

    Codes: ``unknown-rule``, ``extensions-not-allowed``, ``too-many-extensions``,
    ``negative`` (negative extensions or day count), ``bad-value`` (wrong type),
    ``out-of-range`` (a date outside 1901–2100), ``override-conflict`` (two overrides
    of the same date that disagree).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Override:
    """An official exception for one date; wins over the weekday rule and the holidays."""

    date: dt.date
    is_working_day: bool
    note: str = ""


def fmt_date(d: dt.date) -> str:
    """``dd/mm/yyyy``, the Vietnamese display form."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DeadlineError(
            "out-of-range",
            f"Lịch ngày nghỉ chỉ có cho các năm {MIN_YEAR}–{MAX_YEAR}; năm {year} nằm ngoài.",
        )


# ---------------------------------------------------------------------------
# Rules (data): each rule keeps its id; its versions follow the laws in force
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """One statutory period as one law sets it, in force from ``valid_from`` to ``valid_to``
    (both inclusive; ``None`` = open-ended). The version in force on the clock's start date
    applies (the start date is the receipt or the acceptance: a case accepted under a law
    keeps it until it is concluded, as the 2018 Law on Denunciation art. 67 provides)."""

    valid_from: dt.date
    valid_to: dt.date | None
    period: int  # length in ``unit``
    unit: Unit
    law: str  # the law's Vietnamese name and year, e.g. "Luật Tố cáo 2011"
    article: str  # e.g. "Điều 21"
    max_extensions: int = 0
    extension_days: int = EXTENSION_DAYS  # the most each extension may add, calendar days
    note: str = ""  # e.g. the transitional provision or the guiding circular

    @property
    def source(self) -> str:
        """Law and article in Vietnamese, e.g. "Luật Tố cáo 2011, Điều 21"."""
        text = f"{self.law}, {self.article}"
        return f"{text}; {self.note}" if self.note else text

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def in_force_label(self) -> str:
        """E.g. "từ 01/07/2012 đến 31/12/2018" or "từ 01/01/2019"."""
        text = f"từ {fmt_date(self.valid_from)}"
        return f"{text} đến {fmt_date(self.valid_to)}" if self.valid_to else text

    @property
    def period_label(self) -> str:
        """E.g. "10 ngày làm việc" or "30 ngày, gia hạn tối đa 2 lần, mỗi lần không quá 30 ngày"."""
        text = f"{self.period} {self.unit_label}"
        if self.max_extensions == 1:
            text += f", gia hạn 1 lần, không quá {self.extension_days} ngày"
        elif self.max_extensions:
            text += (
                f", gia hạn tối đa {self.max_extensions} lần, "
                f"mỗi lần không quá {self.extension_days} ngày"
            )
        return text

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Rule:
    """One statutory period, by id, with its versions over time (oldest first)."""

    id: str
    title: str  # what must be done, in Vietnamese (the rule's name shown to people)
    counts_from: str  # Vietnamese label of the start event, e.g. "ngày tiếp nhận"
    versions: tuple[RuleVersion, ...]

    def version_on(self, day: dt.date) -> RuleVersion:
        """The version in force on ``day``; ``not-in-force`` when no version covers it."""
        for version in self.versions:
            if version.in_force_on(day):
                return version
        first = self.versions[0].valid_from
        raise DeadlineError(
            "not-in-force",
            f"Thời hạn «{self.title}» chưa có quy định có hiệu lực vào ngày {fmt_date(day)} "
            f"(quy định sớm nhất có hiệu lực từ {fmt_date(first)}).",
        )

    @property
    def current(self) -> RuleVersion:
        """The latest version (the one in force today or last)."""
        return self.versions[-1]


_RECEIPT = "ngày tiếp nhận"
_ACCEPTANCE = "ngày thụ lý"
# Law on Complaints 2011 (02/2011/QH13): in force from 01/07/2012.
_COMPLAINTS = "Luật Khiếu nại 2011"
COMPLAINTS_FROM = dt.date(2012, 7, 1)
# Law on Denunciation 2011 (03/2011/QH13): 01/07/2012 – 31/12/2018; the 2018 law
# (25/2018/QH14) from 01/01/2019. Its art. 67: a denunciation accepted before 01/01/2019
# and not yet resolved is resolved under the 2011 law.
_DEN_2011 = "Luật Tố cáo 2011"
_DEN_2018 = "Luật Tố cáo 2018"
DENUNCIATION_2011_FROM = dt.date(2012, 7, 1)
DENUNCIATION_2018_FROM = dt.date(2019, 1, 1)
_DEN_2011_TO = DENUNCIATION_2018_FROM - dt.timedelta(days=1)
_TRANSITION = "áp dụng cho tố cáo thụ lý trước 01/01/2019 (Luật Tố cáo 2018, Điều 67)"
# Law on Citizen Reception 2013 (42/2013/QH13): in force from 01/07/2014.
_RECEPTION = "Luật Tiếp công dân 2013"
RECEPTION_FROM = dt.date(2014, 7, 1)


def _complaint(period: int, article: str, note: str = "") -> tuple[RuleVersion, ...]:
    return (
        RuleVersion(COMPLAINTS_FROM, None, period, "calendar", _COMPLAINTS, article, note=note),
    )


RULE_TABLE: tuple[Rule, ...] = (
    Rule("complaint-accept", "Thụ lý giải quyết khiếu nại", _RECEIPT, (
        RuleVersion(COMPLAINTS_FROM, None, 10, "working", _COMPLAINTS, "Điều 27",
                    note="Thông tư 07/2013/TT-TTCP"),
    )),
    Rule("complaint-resolve-1", "Giải quyết khiếu nại lần đầu", _ACCEPTANCE,
         _complaint(30, "Điều 28")),
    Rule("complaint-resolve-1-complex", "Giải quyết khiếu nại lần đầu (vụ việc phức tạp)",
         _ACCEPTANCE, _complaint(45, "Điều 28")),
    Rule("complaint-resolve-1-remote", "Giải quyết khiếu nại lần đầu (vùng sâu, vùng xa)",
         _ACCEPTANCE, _complaint(45, "Điều 28")),
    Rule("complaint-resolve-1-remote-complex",
         "Giải quyết khiếu nại lần đầu (vùng sâu, vùng xa, vụ việc phức tạp)",
         _ACCEPTANCE, _complaint(60, "Điều 28")),
    Rule("complaint-resolve-2", "Giải quyết khiếu nại lần hai", _ACCEPTANCE,
         _complaint(45, "Điều 37")),
    Rule("complaint-resolve-2-complex", "Giải quyết khiếu nại lần hai (vụ việc phức tạp)",
         _ACCEPTANCE, _complaint(60, "Điều 37")),
    Rule("complaint-resolve-2-remote", "Giải quyết khiếu nại lần hai (vùng sâu, vùng xa)",
         _ACCEPTANCE, _complaint(60, "Điều 37")),
    Rule("complaint-resolve-2-remote-complex",
         "Giải quyết khiếu nại lần hai (vùng sâu, vùng xa, vụ việc phức tạp)",
         _ACCEPTANCE, _complaint(70, "Điều 37")),
    Rule("complaint-limitation", "Thời hiệu khiếu nại",
         "ngày nhận được hoặc biết được quyết định hành chính, hành vi hành chính",
         _complaint(90, "Điều 9")),
    Rule("complaint-second", "Thời hạn khiếu nại lần hai hoặc khởi kiện",
         "ngày hết thời hạn giải quyết lần đầu hoặc ngày nhận quyết định giải quyết lần đầu",
         _complaint(30, "Điều 33")),
    Rule("complaint-second-remote",
         "Thời hạn khiếu nại lần hai hoặc khởi kiện (vùng sâu, vùng xa)",
         "ngày hết thời hạn giải quyết lần đầu hoặc ngày nhận quyết định giải quyết lần đầu",
         _complaint(45, "Điều 33")),
    Rule("denunciation-process", "Vào sổ, kiểm tra và quyết định thụ lý tố cáo", _RECEIPT, (
        RuleVersion(DENUNCIATION_2011_FROM, _DEN_2011_TO, 10, "calendar", _DEN_2011, "Điều 20"),
        RuleVersion(DENUNCIATION_2018_FROM, None, 7, "working", _DEN_2018, "Điều 24"),
    )),
    Rule("denunciation-process-multi",
         "Vào sổ, kiểm tra và quyết định thụ lý tố cáo (kiểm tra, xác minh tại nhiều địa điểm)",
         _RECEIPT, (
        RuleVersion(DENUNCIATION_2011_FROM, _DEN_2011_TO, 15, "calendar", _DEN_2011, "Điều 20"),
        RuleVersion(DENUNCIATION_2018_FROM, None, 10, "working", _DEN_2018, "Điều 24"),
    )),
    Rule("denunciation-forward", "Chuyển đơn tố cáo không thuộc thẩm quyền", _RECEIPT, (
        RuleVersion(DENUNCIATION_2011_FROM, _DEN_2011_TO, 5, "working", _DEN_2011, "Điều 20"),
        RuleVersion(DENUNCIATION_2018_FROM, None, 5, "working", _DEN_2018, "Điều 24"),
    )),
    Rule("denunciation-resolve", "Giải quyết tố cáo", _ACCEPTANCE, (
        RuleVersion(DENUNCIATION_2011_FROM, _DEN_2011_TO, 60, "calendar", _DEN_2011, "Điều 21",
                    max_extensions=1, extension_days=30, note=_TRANSITION),
        RuleVersion(DENUNCIATION_2018_FROM, None, 30, "calendar", _DEN_2018, "Điều 30",
                    max_extensions=2, extension_days=30),
    )),
    Rule("denunciation-resolve-complex", "Giải quyết tố cáo (vụ việc phức tạp)", _ACCEPTANCE, (
        RuleVersion(DENUNCIATION_2011_FROM, _DEN_2011_TO, 90, "calendar", _DEN_2011, "Điều 21",
                    max_extensions=1, extension_days=60, note=_TRANSITION),
        RuleVersion(DENUNCIATION_2018_FROM, None, 30, "calendar", _DEN_2018, "Điều 30",
                    max_extensions=2, extension_days=30),
    )),
    Rule("reception-reply", "Xử lý, trả lời kiến nghị, phản ánh", _RECEIPT, (
        RuleVersion(RECEPTION_FROM, None, 10, "working", _RECEPTION, "Điều 28"),
    )),
)  # fmt: skip

RULES: Mapping[str, Rule] = {rule.id: rule for rule in RULE_TABLE}


@functools.cache
def public_holidays(year: int) -> Mapping[dt.date, str]:
    """The public holidays (with compensatory days) of one year, Vietnamese names.

    Computed once per year per process from ``holidays.country_holidays("VN")``.
    """
    _check_year(year)
    table = holidays.country_holidays("VN", years=year, language="vi")
    return types.MappingProxyType(dict(sorted(table.items())))


def clear_holiday_cache() -> None:
    """Forget the cached holiday tables (tests and the cold-cache benchmark)."""
    public_holidays.cache_clear()


# Saturdays worked in exchange for the swapped days off that holidays 0.109 lists
# (``VietnamStaticHolidays.special_public_holidays``). The package gives the day off but
# not the working Saturday; these are ready-made overrides for seeding the admin table.
PACKAGE_SWAP_MAKEUP_DAYS: tuple[Override, ...] = tuple(
    Override(dt.date.fromisoformat(worked), True, f"Làm bù cho ngày nghỉ {fmt_date(off)}")
    for worked, off in (
        ("2010-02-27", dt.date(2010, 2, 19)),
        ("2012-02-04", dt.date(2012, 1, 27)),
        ("2013-05-04", dt.date(2013, 4, 29)),
        ("2014-04-26", dt.date(2014, 5, 2)),
        ("2014-09-06", dt.date(2014, 9, 1)),
        ("2014-12-27", dt.date(2015, 1, 2)),
        ("2015-02-14", dt.date(2015, 2, 16)),
        ("2015-04-25", dt.date(2015, 4, 29)),
        ("2019-01-05", dt.date(2018, 12, 31)),
        ("2019-05-04", dt.date(2019, 4, 29)),
        ("2024-05-04", dt.date(2024, 4, 29)),
        ("2025-04-26", dt.date(2025, 5, 2)),
        ("2026-08-22", dt.date(2026, 8, 31)),
    )
)


class WorkCalendar:
    """Monday–Friday minus Vietnamese public holidays, corrected by official overrides."""

    def __init__(self, overrides: Iterable[Override] = ()) -> None:
        table: dict[dt.date, Override] = {}
        for item in overrides:
            seen = table.get(item.date)
            if seen is not None and seen.is_working_day != item.is_working_day:
                raise DeadlineError(
                    "override-conflict",
                    f"Hai điều chỉnh lịch mâu thuẫn cho ngày {fmt_date(item.date)}.",
                )
            table[item.date] = item
        self._overrides: Mapping[dt.date, Override] = table

    @property
    def overrides(self) -> tuple[Override, ...]:
        return tuple(self._overrides[d] for d in sorted(self._overrides))

    def is_working_day(self, d: dt.date) -> bool:
        override = self._overrides.get(d)
        if override is not None:
            return override.is_working_day
        if d.weekday() >= 5:
            _check_year(d.year)
            return False
        return d not in public_holidays(d.year)

    def day_off_reason(self, d: dt.date) -> str | None:
        """Why ``d`` is not a working day (holiday name, override note, weekday), else None."""
        if self.is_working_day(d):
            return None
        override = self._overrides.get(d)
        if override is not None:
            return override.note or "ngày nghỉ theo điều chỉnh lịch"
        name = public_holidays(d.year).get(d)
        return name if name is not None else WEEKDAY_NAMES[d.weekday()]

    def next_working_day(self, d: dt.date) -> dt.date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d = _next_day(d)
        return d

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d`` (``d`` itself is not counted; n=0 gives d)."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise DeadlineError("bad-value", "Số ngày phải là số nguyên.")
        if n < 0:
            raise DeadlineError("negative", "Số ngày không được âm.")
        while n:
            d = _next_day(d)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie after ``start`` up to and including ``end``."""
        count = 0
        d = start
        while d < end:
            d = _next_day(d)
            count += self.is_working_day(d)
        return count

    def days_off(self, year: int) -> list[tuple[dt.date, str]]:
        """Non-weekend days off of a year (holidays, overrides), for display."""
        _check_year(year)
        days = {d: name for d, name in public_holidays(year).items() if d.weekday() < 5}
        for d, override in self._overrides.items():
            if d.year != year:
                continue
            if override.is_working_day:
                days.pop(d, None)
            else:
                days[d] = override.note or "ngày nghỉ theo điều chỉnh lịch"
        return sorted(days.items())


def _next_day(d: dt.date) -> dt.date:
    try:
        return d + dt.timedelta(days=1)
    except OverflowError:
        _check_year(d.year + 1)
        raise  # pragma: no cover - unreachable: year 10000 is always out of range


_DEFAULT_CALENDAR = WorkCalendar()


def default_calendar() -> WorkCalendar:
    """The calendar without overrides (the holidays package alone)."""
    return _DEFAULT_CALENDAR


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed statutory deadline, with the rule, the law version and articles it came from."""

    rule: str  # rule id (for the program; people see ``title`` and ``source``)
    title: str
    start: dt.date
    due: dt.date
    counted: Unit
    period: int
    extensions: int
    total: int  # period + the extensions' days, in ``counted`` units
    period_end: dt.date  # last day of the period before moving to a working day
    counts_from: str
    source: str
    explanation: str
    law: str = ""
    article: str = ""
    in_force: str = ""  # the version's dates in force, e.g. "từ 01/07/2012 đến 31/12/2018"

    @property
    def moved(self) -> bool:
        return self.due != self.period_end

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.counted]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (dates in ISO form)."""
        return {
            "rule": self.rule,
            "title": self.title,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "counted": self.counted,
            "unit": self.unit_label,
            "period": self.period,
            "extensions": self.extensions,
            "total": self.total,
            "period_end": self.period_end.isoformat(),
            "moved": self.moved,
            "counts_from": self.counts_from,
            "law": self.law,
            "article": self.article,
            "in_force": self.in_force,
            "source": self.source,
            "explanation": self.explanation,
        }


def get_rule(rule_id: str) -> Rule:
    rule = RULES.get(rule_id)
    if rule is None:
        raise DeadlineError(
            "unknown-rule",
            f"Không có quy tắc thời hạn «{rule_id}». Các quy tắc: {', '.join(RULES)}.",
        )
    return rule


def rule_version(rule_id: str, start: dt.date) -> RuleVersion | None:
    """The version of ``rule_id`` in force on ``start``, or None (unknown rule or date)."""
    rule = RULES.get(rule_id)
    if rule is None:
        return None
    try:
        return rule.version_on(start)
    except DeadlineError:
        return None


def check_extensions(rule: Rule, extensions: int, version: RuleVersion | None = None) -> None:
    """Refuse extensions the version in force does not allow (latest version by default)."""
    version = version or rule.current
    if isinstance(extensions, bool) or not isinstance(extensions, int):
        raise DeadlineError("bad-value", "Số lần gia hạn phải là số nguyên.")
    if extensions < 0:
        raise DeadlineError("negative", "Số lần gia hạn không được âm.")
    if extensions and not version.max_extensions:
        raise DeadlineError(
            "extensions-not-allowed",
            f"Thời hạn «{rule.title}» không được gia hạn ({version.source}).",
        )
    if extensions > version.max_extensions:
        raise DeadlineError(
            "too-many-extensions",
            f"Thời hạn «{rule.title}» chỉ được gia hạn tối đa {version.max_extensions} lần "
            f"({version.source}); đã yêu cầu {extensions} lần.",
        )


def compute_deadline(
    rule_id: str,
    start: dt.date,
    extensions: int = 0,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The due date of ``rule_id`` counted from ``start`` (the start day not counted), under
    the version of the rule in force on ``start``."""
    rule = get_rule(rule_id)
    if isinstance(extensions, bool) or not isinstance(extensions, int):
        raise DeadlineError("bad-value", "Số lần gia hạn phải là số nguyên.")
    if isinstance(start, dt.datetime):
        start = start.date()
    if not isinstance(start, dt.date):
        raise DeadlineError("bad-value", "Ngày bắt đầu phải là một ngày (date).")
    _check_year(start.year)
    version = rule.version_on(start)
    check_extensions(rule, extensions, version)
    cal = calendar if calendar is not None else _DEFAULT_CALENDAR

    total = version.period + extensions * version.extension_days
    head = (
        f"{version.period} {version.unit_label} kể từ {rule.counts_from} {fmt_date(start)} "
        f"(không tính ngày bắt đầu — {CIVIL_CODE_147})"
    )
    if extensions:
        head += (
            f", gia hạn {extensions} lần, mỗi lần {version.extension_days} ngày (tổng {total} ngày)"
        )
    parts = [f"{head} — {version.source} (có hiệu lực {version.in_force_label})"]
    if version.unit == "working":
        due = cal.add_working_days(start, version.period)
        period_end = due
    else:
        try:
            period_end = start + dt.timedelta(days=total)
        except OverflowError:
            _check_year(MAX_YEAR + 1)
            raise  # pragma: no cover
        _check_year(period_end.year)
        due = cal.next_working_day(period_end)
        if due != period_end:
            reason = cal.day_off_reason(period_end)
            what = (
                f"{reason} (ngày nghỉ hằng tuần)"
                if reason in WEEKDAY_NAMES
                else f"ngày nghỉ «{reason}»"
            )
            parts.append(
                f"ngày cuối cùng {fmt_date(period_end)} là {what} nên hạn "
                f"chuyển sang ngày làm việc tiếp theo — {CIVIL_CODE_148}"
            )
    explanation = "; ".join(parts) + f". Hạn: {WEEKDAY_NAMES[due.weekday()]} {fmt_date(due)}."
    return Deadline(
        rule=rule.id,
        title=rule.title,
        start=start,
        due=due,
        counted=version.unit,
        period=version.period,
        extensions=extensions,
        total=total,
        period_end=period_end,
        counts_from=rule.counts_from,
        source=version.source,
        explanation=explanation,
        law=version.law,
        article=version.article,
        in_force=version.in_force_label,
    )
