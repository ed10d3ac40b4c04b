"""Email reminders before each petition deadline and when it is overdue.

``send_deadline_reminders(today, days_before)`` (the ``petition_reminders`` command, daily):
each running deadline due within ``days_before`` working days, or overdue, is reminded at
most once a day (``PetitionDeadline.reminded_on``) to the case handler, or to the office
heads when nobody is assigned. Emails and logs carry the register number, the subject
line's rule and dates only: never a petitioner's identity.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse

from khoi.org.models import Membership
from khoi.petitions.models import OPEN_STATUSES, CaseAssignment, PetitionDeadline
from khoi.petitions.services import work_calendar

logger = logging.getLogger(__name__)

SUBJECT = "[Khối] Đơn số {label}: {state}"
BODY = """Kính gửi đồng chí,

Đơn số {label} ({kind}) {state}.

Việc phải làm: {title}
Hạn: {due} — {source}

Xem và cập nhật tại: {link}

Thư này do hệ thống Khối gửi tự động, mỗi thời hạn nhiều nhất một lần mỗi ngày.
"""


def _recipients(deadline: PetitionDeadline, today: datetime.date) -> list[str]:
    petition = deadline.petition
    assignment = (
        CaseAssignment.objects.filter(petition=petition, ended_at__isnull=True)
        .select_related("handler")
        .first()
    )
    if assignment is not None and assignment.handler.email:
        return [assignment.handler.email]
    User = get_user_model()
    heads = User.objects.filter(
        person__memberships__office_id=petition.office_id,
        person__memberships__role=Membership.Role.OFFICE_HEAD,
        person__memberships__start_on__lte=today,
    ).filter(
        Q(person__memberships__end_on__isnull=True) | Q(person__memberships__end_on__gte=today)
    )
    return sorted({u.email for u in heads if u.email})


def send_deadline_reminders(today: datetime.date, days_before: int = 2) -> int:
    calendar = work_calendar()
    horizon = calendar.add_working_days(today, days_before)
    due = (
        PetitionDeadline.objects.filter(
            state=PetitionDeadline.State.OPEN,
            due__lte=horizon,
            petition__status__in=OPEN_STATUSES,
        )
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related("petition")
        .order_by("due", "id")
    )
    sent = 0
    connection = get_connection()
    for d in due:
        petition = d.petition
        if d.due < today:
            state = f"đã quá hạn {(today - d.due).days} ngày"
        elif d.due == today:
            state = "đến hạn hôm nay"
        else:
            state = f"sắp đến hạn (còn {calendar.working_days_between(today, d.due)} ngày làm việc)"
        link = settings.KHOI_SITE_URL + reverse("petitions:petition_detail", args=[petition.pk])
        for address in _recipients(d, today):
            EmailMessage(
                SUBJECT.format(label=petition.label, state=state),
                BODY.format(
                    label=petition.label, kind=petition.get_kind_display(), state=state,
                    title=d.title, due=d.due.strftime("%d/%m/%Y"), source=d.source, link=link,
                ),
                settings.DEFAULT_FROM_EMAIL, [address], connection=connection,
            ).send()  # fmt: skip
        d.reminded_on = today
        d.save(update_fields=["reminded_on"])
        sent += 1
        logger.info("petition deadline reminder: petition=%s deadline=%s", petition.pk, d.pk)
    return sent
