"""The campaigns app's batch jobs on the task queue, one task per province, registered in
``khoi.registry``: ``enqueue_batch campaign_reminders`` (the communes of one province) and
``enqueue_batch campaign_totals [--rebuild]`` (the kept totals of one province)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from khoi import clock
from khoi.campaigns import rollup
from khoi.campaigns.reminders import send_missing_reminders
from khoi.org.models import province_shard_q, province_shards
from khoi.registry import BatchJob


class TotalsDrift(Exception):
    """A province's kept totals differ from its approved figures (the task fails)."""


def campaign_reminders(shard: int | None, options: dict[str, Any]) -> int:
    """The reminders to one province's communes (idempotent: one ``Reminder`` per commune,
    period and day, created with its e-mails in one transaction)."""
    day = options.get("date")
    today = datetime.date.fromisoformat(day) if day else clock.today()
    return send_missing_reminders(today, communes_where=province_shard_q(shard))


def campaign_totals(shard: int | None, options: dict[str, Any]) -> int:
    """Check (``rebuild``: rebuild, then check) one province's kept totals; fails naming
    the first difference. Returns the rows rebuilt (0 for a check)."""
    rows = rollup.rebuild_shard_totals(shard) if options.get("rebuild") else 0
    drift = rollup.shard_totals_drift(shard)
    if drift:
        raise TotalsDrift(f"{len(drift)} kept totals differ, for example {drift[0]}")
    return rows


JOBS = [
    BatchJob(
        "campaign_reminders",
        _("Campaign reminders"),
        province_shards,
        campaign_reminders,
        priority=10,
    ),
    BatchJob("campaign_totals", _("Campaign province totals"), province_shards, campaign_totals),
]
