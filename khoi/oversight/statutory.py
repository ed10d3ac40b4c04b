"""The rules and lead times of supervision, as data (seeded here, edited in the admin).

Every figure carries its source; the one in force on a date is chosen by the date. The
seeds are loaded once, after ``migrate`` (a ``post_migrate`` handler, as the periods of
social criticism are): legal bases of a scope that has none yet, lead times of a step that
has none yet. A row the administrator changed or deleted is never overwritten or re-created
by the pages (the pages never seed).

The Party's rule on supervision and social criticism was Decision 217-QĐ/TW of 12/12/2013,
replaced by Regulation 124-QĐ/TW of 04/10/2023; the forms of supervision are set by the
joint resolution 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN. The lead times below are the
office's defaults (the administrator sets the figures their province's guidance gives).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

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
        # UNCONFIRMED: the Party's rule on feedback is reported to have been replaced in 2024
        # by a new Regulation of the Politburo/Secretariat; its number and dates could not be
        # confirmed from a source while this was written, so no row is seeded for it and
        # 218-QĐ/TW stays open-ended. The administrator adds the replacing rule (and sets
        # this row's end) in the admin once checked against the published text.
        "note": "CHƯA XÁC NHẬN: văn bản thay thế Quyết định 218-QĐ/TW (năm 2024) chưa được "
        "đối chiếu với nguồn chính thức; quản trị viên kiểm tra, thêm văn bản mới và ghi "
        "ngày hết hiệu lực của dòng này nếu đã được thay thế.",
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


def load(apps: Any = None) -> None:
    """Seed the legal bases of a scope that has none and the lead times of a step that has
    none (``apps``: the migration state's registry in ``post_migrate``)."""
    basis = apps.get_model("oversight", "LegalBasis") if apps is not None else LegalBasis
    lead = apps.get_model("oversight", "LeadTime") if apps is not None else LeadTime
    scopes = set(basis.objects.values_list("scope", flat=True).distinct())
    numbers = set(basis.objects.values_list("number", flat=True))
    basis.objects.bulk_create(
        [
            basis(**row)
            for row in LEGAL_BASES
            if row["scope"] not in scopes and row["number"] not in numbers
        ]
    )
    keys = set(lead.objects.values_list("key", flat=True).distinct())
    lead.objects.bulk_create(
        [
            lead(valid_from=D(2013, 12, 12), source=DEFAULT_SOURCE, **row)
            for row in LEAD_TIMES
            if row["key"] not in keys
        ]
    )


def ensure_defaults() -> None:
    """The seeds into a database whose ``post_migrate`` did not run (the demo after a
    flush); never called by the pages."""
    load()


def on_post_migrate(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` of the oversight app (also after a test flush)."""
    if apps is None:  # a test flush sends no ``apps``: the global registry then
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        apps.get_model("oversight", "LegalBasis")
        apps.get_model("oversight", "LeadTime")
    except LookupError:
        return
    load(apps)


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
