"""Email reminders for open tasks that are due soon or overdue.

``send_due_reminders`` is run once a day (the ``task_reminders`` command from a timer, or
the django-tasks task in ``khoi/work/tasks.py``). Each open task due within
``days_before`` working days, or already overdue, is reminded at most once per day
(``Task.reminded_on``). The email goes to the assignee's address, or to the addresses of
the active members of the assigned sub-committee, one message per recipient (nobody sees
the others' addresses). Logs carry task ids and counts only, never names or addresses.

The claim of the day and the messages are written in one transaction (``khoi.ops.mail``,
idempotency key ``task-reminder:<task>:<day>:<address>``) and delivered after it committed:
a worker killed at any point and the task run again send each message once.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from khoi.audit import services as audit
from khoi.lib.workdays import WorkCalendar
from khoi.ops import mail
from khoi.org.models import Membership, Person, active_q
from khoi.work.models import Task
from khoi.workcalendar.services import work_calendar

logger = logging.getLogger(__name__)

# The emails are written in the product's language (settings.LANGUAGE_CODE, Vietnamese)
# whatever the language of the request or command that sends them.
SUBJECT_DUE = _("[Khối] Task due soon: %(title)s")
SUBJECT_OVERDUE = _("[Khối] Task overdue: %(title)s")
BODY = _(
    "Dear comrade,\n\n%(state)s\n\nTask: %(title)s\nDue on: %(due)s\nStatus: %(status)s\n\n"
    "See and update the progress at: %(link)s\n\n"
    "This message is sent automatically by Khối, at most once a day for each task.\n"
)
STATE_DUE_TODAY = _("The task below is due today.")
STATE_DUE = _("The task below is due soon (%(days)s working days left).")
STATE_OVERDUE = _("The task below is %(days)s days overdue.")
STATUS_LABELS: dict[str, Any] = {
    Task.Status.NEW: _("newly assigned"),
    Task.Status.IN_PROGRESS: _("in progress"),
    Task.Status.BLOCKED: _("blocked"),
}


def task_link(task: Task) -> str:
    """The task page: absolute when ``KHOI_SITE_URL`` is configured, else the path."""
    path = reverse("work:task_detail", args=[task.pk])
    base = str(getattr(settings, "KHOI_SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def recipients(task: Task, today: datetime.date) -> list[str]:
    """Email addresses of the assignee, or of the sub-committee's active members."""
    emails: list[str] = []
    if task.assignee is not None and task.assignee.is_active and task.assignee.email:
        emails.append(task.assignee.email)
    if task.assignee_subcommittee_id is not None:
        member_ids = Membership.objects.filter(
            active_q(day=today), subcommittee_id=task.assignee_subcommittee_id
        ).values("person_id")
        emails += (
            Person.objects.filter(pk__in=member_ids, is_active=True)
            .exclude(email="")
            .order_by("pk")
            .values_list("email", flat=True)
        )
    seen: set[str] = set()
    out = []
    for e in emails:
        if e.lower() not in seen:
            seen.add(e.lower())
            out.append(e)
    return out


def compose(task: Task, today: datetime.date, calendar: WorkCalendar) -> tuple[str, str]:
    """Subject and body of the reminder for one task, in the product's language."""
    title = " ".join(task.title.split())
    with translation.override(settings.LANGUAGE_CODE):
        if task.due_on < today:
            subject = str(SUBJECT_OVERDUE) % {"title": title}
            state = str(STATE_OVERDUE) % {"days": (today - task.due_on).days}
        else:
            subject = str(SUBJECT_DUE) % {"title": title}
            left = calendar.working_days_between(today, task.due_on) if task.due_on > today else 0
            state = str(STATE_DUE) % {"days": left} if left else str(STATE_DUE_TODAY)
        body = str(BODY) % {
            "state": state,
            "title": title,
            "due": task.due_on.strftime("%d/%m/%Y"),
            "status": str(STATUS_LABELS.get(task.status, task.status)),
            "link": task_link(task),
        }
    return subject, body


def due_tasks(
    today: datetime.date, horizon: datetime.date, where: Q | None = None
) -> Iterable[Task]:
    return (
        Task.objects.filter(status__in=Task.OPEN, due_on__lte=horizon)
        .filter(where or Q())
        .exclude(reminded_on=today)
        .select_related("assignee")
        .order_by("due_on", "pk")
    )


def send_due_reminders(
    today: datetime.date,
    days_before: int = 2,
    calendar: WorkCalendar | None = None,
    where: Q | None = None,
) -> int:
    """Remind every open task due within ``days_before`` working days or overdue (only the
    tasks ``where`` matches when given: one province's, for a task per province).

    Returns the number of tasks reminded (tasks whose assignee has no email address are
    skipped and stay eligible for the next run).
    """
    calendar = calendar or work_calendar()  # the product's one calendar, with the overrides
    horizon = calendar.add_working_days(today, max(days_before, 0))
    sent = 0
    mail.deliver_pending()  # what a killed run had queued
    for task in due_tasks(today, horizon, where):
        to = recipients(task, today)
        if not to:
            logger.info("task reminder skipped: task=%s has no recipient address", task.pk)
            continue
        subject, body = compose(task, today, calendar)
        try:
            with transaction.atomic():
                # Claim the task for today first: a concurrent run cannot send it twice.
                claimed = (
                    Task.objects.filter(pk=task.pk)
                    .exclude(reminded_on=today)
                    .update(reminded_on=today)
                )
                if not claimed:
                    continue
                mail.queue(f"task-reminder:{task.pk}:{today.isoformat()}", to, subject, body)
                audit.record(
                    None,
                    "task.remind",
                    task,
                    {"reminded_on": [_iso(task.reminded_on), today.isoformat()],
                     "recipients": len(to)},
                    office_id=task.office_id,
                )  # fmt: skip
        except Exception:
            logger.exception("task reminder failed: task=%s", task.pk)
            continue
        sent += 1
        logger.info("task reminder queued: task=%s recipients=%d", task.pk, len(to))
    mail.deliver_pending()
    return sent


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None
