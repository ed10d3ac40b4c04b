"""The work app's batch jobs on the task queue (``manage.py enqueue_batch task_reminders``):
one task per province, registered in ``khoi.registry`` (see ``WorkConfig.ready``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from khoi import clock
from khoi.org.models import province_shard_q, province_shards
from khoi.registry import BatchJob
from khoi.work.reminders import send_due_reminders


def task_reminders(shard: int | None, options: dict[str, Any]) -> int:
    """The task reminders of one province's offices (idempotent: the claim of the day and
    the e-mails commit together, see ``khoi.work.reminders``)."""
    day = options.get("date")
    today = datetime.date.fromisoformat(day) if day else clock.today()
    return send_due_reminders(
        today, int(options.get("days_before", 2)), where=province_shard_q(shard, "office__unit__")
    )


JOBS = [
    BatchJob("task_reminders", _("Task reminders"), province_shards, task_reminders, priority=10),
]
