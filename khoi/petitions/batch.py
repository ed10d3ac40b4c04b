"""The petitions app's batch jobs on the task queue (``manage.py enqueue_batch
petition_reminders``): one task per province, registered in ``khoi.registry``."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from khoi import clock
from khoi.org.models import province_shard_q, province_shards
from khoi.petitions.reminders import send_deadline_reminders
from khoi.registry import BatchJob


def petition_reminders(shard: int | None, options: dict[str, Any]) -> int:
    """The deadline reminders of one province's offices (idempotent: the claim of the day
    and the e-mails commit together)."""
    day = options.get("date")
    today = datetime.date.fromisoformat(day) if day else clock.today()
    return send_deadline_reminders(
        today,
        int(options.get("days_before", 2)),
        where=province_shard_q(shard, "petition__office__unit__"),
    )


JOBS = [
    BatchJob(
        "petition_reminders",
        _("Petition reminders"),
        province_shards,
        petition_reminders,
        priority=10,
    ),
]
