"""The rules and lead times of supervision, as data (seeded here, edited in the admin).

Every figure carries its source; the one in force on a date is chosen by the date. The
seeds are idempotent (``ensure_defaults``): a row the administrator changed is never
overwritten, only missing rows are added.

The Party's rule on supervision and social criticism was Decision 217-QĐ/TW of 12/12/2013,
replaced by Regulation 124-QĐ/TW of 04/10/2023; the forms of supervision are set by the
joint resolution 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN. The lead times below are the
office's defaults (the administrator sets the figures their province's guidance gives).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from khoi.lib.workdays import WorkCalendar
from khoi.oversight.models import LeadTime, LegalBasis

D = datetime.date

LEGAL_BASES: list[dict[str, object]] = [
    {
        "number": "217-QĐ/TW",
        "name": "Quyết định ban hành Quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc "
        "Việt Nam và các đoàn thể chính trị - xã hội",
        "issuer": "Bộ Chính trị",
        "issued_on": D(2013, 12, 12),
        "valid_from": D(2013, 12, 12),
        "valid_until": D(2023, 10, 3),
        "scope": LegalBasis.Scope.SUPERVISION,
        "source": "Quyết định số 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị",
    },
    {
        "number": "218-QĐ/TW",
        "name": "Quyết định ban hành Quy định về việc Mặt trận Tổ quốc Việt Nam, các đoàn thể "
        "chính trị - xã hội và nhân dân tham gia góp ý xây dựng Đảng, xây dựng chính quyền",
        "issuer": "Bộ Chính trị",
        "issued_on": D(2013, 12, 12),
        "valid_from": D(2013, 12, 12),
        "valid_until": None,
        "scope": LegalBasis.Scope.FEEDBACK,
        "source": "Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị",
    },
    {
        "number": "403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN",
        "name": "Nghị quyết liên tịch quy định chi tiết các hình thức giám sát, phản biện xã "
        "hội của Mặt trận Tổ quốc Việt Nam",
        "issuer": "UBTVQH, Chính phủ, Đoàn Chủ tịch UBTƯ MTTQ Việt Nam",
        "issued_on": D(2017, 6, 15),
        "valid_from": D(2017, 8, 1),
        "valid_until": None,
        "scope": LegalBasis.Scope.SUPERVISION,
        "source": "Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN ngày 15/6/2017",
    },
    {
        "number": "124-QĐ/TW",
        "name": "Quy định về giám sát và phản biện xã hội của Mặt trận Tổ quốc Việt Nam, các tổ "
        "chức chính trị - xã hội và nhân dân",
        "issuer": "Ban Bí thư",
        "issued_on": D(2023, 10, 4),
        "valid_from": D(2023, 10, 4),
        "valid_until": None,
        "scope": LegalBasis.Scope.SUPERVISION,
        "source": "Quy định số 124-QĐ/TW ngày 04/10/2023 của Ban Bí thư (thay thế 217-QĐ/TW)",
    },
]

DEFAULT_SOURCE = "Mặc định của cơ quan Khối (quản trị viên sửa theo hướng dẫn hiện hành)"

LEAD_TIMES: list[dict[str, object]] = [
    {"key": LeadTime.Key.PLAN_BEFORE, "days": 7, "working_days": True},
    {"key": LeadTime.Key.BODY_REPORT_BEFORE, "days": 3, "working_days": True},
    {"key": LeadTime.Key.REPORT_AFTER, "days": 10, "working_days": True},
    {"key": LeadTime.Key.ANSWER_AFTER, "days": 30, "working_days": False},
]


def ensure_defaults() -> None:
    """Add the seeded legal bases and lead times that are missing (never overwrite)."""
    existing = set(LegalBasis.objects.values_list("number", flat=True))
    LegalBasis.objects.bulk_create(
        [LegalBasis(**row) for row in LEGAL_BASES if row["number"] not in existing]
    )
    if not LeadTime.objects.exists():
        LeadTime.objects.bulk_create(
            [
                LeadTime(valid_from=D(2013, 12, 12), source=DEFAULT_SOURCE, **row)
                for row in LEAD_TIMES
            ]
        )


def legal_basis_on(
    day: datetime.date, scope: str = LegalBasis.Scope.SUPERVISION
) -> LegalBasis | None:
    """The Party rule in force on ``day`` (the most recent one issued)."""
    from django.db.models import Q

    return (
        LegalBasis.objects.filter(scope=scope, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .exclude(number__contains="NQLT")
        .order_by("-valid_from")
        .first()
    )


@dataclass(frozen=True)
class Due:
    """One lead time applied: the step, the due date, whether it is late, its source."""

    key: str
    label: str
    days: int
    working_days: bool
    due_on: datetime.date
    done_on: datetime.date | None
    overdue: bool
    source: str


def lead_times_on(day: datetime.date) -> dict[str, LeadTime]:
    """The lead time of each step in force on ``day`` (one query)."""
    out: dict[str, LeadTime] = {}
    for row in LeadTime.objects.filter(valid_from__lte=day).order_by("key", "-valid_from"):
        if row.valid_until is not None and row.valid_until < day:
            continue
        out.setdefault(row.key, row)
    return out


def shift(
    day: datetime.date, lead: LeadTime, *, before: bool, calendar: WorkCalendar
) -> datetime.date:
    """``day`` moved by the lead time, in working days on the calendar or calendar days
    (a calendar-day period ending on a day off ends on the next working day)."""
    cal = calendar
    if lead.working_days:
        if before:
            d, n = day, lead.days
            while n > 0:
                d -= datetime.timedelta(days=1)
                if cal.is_working_day(d):
                    n -= 1
            return d
        return cal.add_working_days(day, lead.days)
    if before:
        return day - datetime.timedelta(days=lead.days)
    return cal.next_working_day(day + datetime.timedelta(days=lead.days))
