"""Long batch jobs as tasks on the queue (django-tasks, database backend): any number of
``db_worker`` processes, on any number of machines, share them. The forked pool inside
``khoi.lib.overlap.find_groups`` stays the single-machine path; here each task runs one
province in one process."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import transaction
from django_tasks import task

from khoi.clock import real_now


def province_records(
    province_id: int, start: dt.date, end: dt.date
) -> tuple[list[Any], dict[str, str]]:
    """The engine's records of every office in the province, and the unit tree, as the app
    holding the activities offers them (``khoi.registry.OverlapSource``)."""
    from khoi.registry import overlap_source

    return overlap_source().records(province_id, start, end)


def scan_province_now(run_id: int, province_id: int) -> int:
    from khoi.lib import overlap as engine
    from khoi.ops.models import ScanResult, ScanRun
    from khoi.ops.replica import lag_tolerant

    started = time.monotonic()
    run = ScanRun.objects.get(pk=run_id)
    with lag_tolerant():  # reads may come from a replica
        recs, parents = province_records(province_id, run.start_on, run.end_on)
    groups = engine.find_groups(recs, parents, parallel=False)
    with transaction.atomic():
        ScanResult.objects.update_or_create(
            run=run,
            province_id=province_id,
            defaults={
                "activities": len(recs),
                "groups": [g.to_dict() for g in groups],
                "seconds": round(time.monotonic() - started, 3),
                "finished_at": real_now(),
            },
        )
    return len(groups)


@task()
def scan_province(run_id: int, province_id: int) -> int:
    """One province of a national scan; idempotent (the result row is replaced whole)."""
    return scan_province_now(run_id, province_id)


@task()
def run_batch_job(key: str, shard: int | None, options: dict[str, Any]) -> Any:
    """One shard (a province) of a batch job an app registered in ``khoi.registry``
    (``manage.py enqueue_batch``); the job is idempotent, so a task run again after its
    worker died (``requeue_stale_tasks``) gives the same result."""
    from khoi.registry import batch_job

    job = batch_job(key)
    if job is None:
        raise LookupError(f"No batch job {key!r} is registered.")
    return job.run(shard, options)


@task()
def deliver_outgoing_mail() -> int:
    """Send the outbox's pending e-mails (``khoi.ops.mail``): what a page enqueues when it
    decided to send one (a password reset), so that the request never waits on the mail
    server. Each message is marked sent under its row lock: run twice, it sends nothing
    twice."""
    from khoi.ops import mail

    return mail.deliver_pending()
