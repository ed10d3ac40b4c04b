"""Background tasks of the work app (django-tasks)."""

from __future__ import annotations

import datetime

from django_tasks import task

from khoi import clock
from khoi.work.reminders import send_due_reminders


@task()
def send_task_reminders(day: str | None = None, days_before: int = 2) -> int:
    """Email the reminders of tasks due soon or overdue; ``day`` is an ISO date (default today).

    Arguments stay JSON-serialisable so that the database backend can store them.
    """
    today = datetime.date.fromisoformat(day) if day else clock.today()
    return send_due_reminders(today, days_before)
