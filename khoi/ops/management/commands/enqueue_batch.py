"""``manage.py enqueue_batch JOB [--date YYYY-MM-DD] [--days-before N] [--rebuild] [--wait]``:
a long batch job as one task per province on the queue (the timers run this); the
``db_worker`` processes, on any number of machines, share the tasks.

The jobs are those the apps register in ``khoi.registry`` (``task_reminders``,
``petition_reminders``, ``campaign_reminders``, ``campaign_totals``); the plain commands of
the same names stay the single-machine path. The options are resolved once here (the day
is today's when not given), so every province's task works on the same day. ``--wait``
waits for every task and exits with an error when one failed (so that the timer's
``OnFailure=`` alert fires).

A batch is enqueued in one transaction (every province's task or none), and a batch is the
job with its options: run again while the previous run's tasks of the same batch are still
queued or running (a timer that fires twice, an operator who repeats the command), it
enqueues only the provinces that have none, so no province is worked twice at once. Two
runs at the same moment take turns (an advisory lock on PostgreSQL; SQLite's write
transactions take the database's write lock at their start).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from contextlib import nullcontext
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from khoi import clock


class Command(BaseCommand):
    help = "Enqueue a long batch job as one task per province."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", nargs="?", help="the job's key (without it: list the jobs)")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="the day to act as today")
        parser.add_argument("--days-before", type=int, default=2)
        parser.add_argument("--rebuild", action="store_true", help="campaign_totals: rebuild")
        parser.add_argument("--wait", action="store_true", help="wait for every task")
        parser.add_argument("--timeout", type=int, default=3600, help="seconds, with --wait")

    def handle(self, *args: Any, **options: Any) -> None:
        from django_tasks import TaskResultStatus

        from khoi.ops.tasks import run_batch_job
        from khoi.registry import BATCH_JOBS, batch_job

        if not options["job"]:
            for key, job in sorted(BATCH_JOBS.items()):
                self.stdout.write(f"{key}\t{job.label}")
            return
        found = batch_job(options["job"])
        if found is None:
            raise CommandError(
                f"No batch job {options['job']!r}; known: {', '.join(sorted(BATCH_JOBS))}."
            )
        job = found
        if options["days_before"] < 0:
            raise CommandError("--days-before cannot be negative.")
        job_options = {
            "date": (options["date"] or clock.today()).isoformat(),
            "days_before": options["days_before"],
            "rebuild": options["rebuild"],
        }
        queue_keeps_tasks = _keeps_tasks(run_batch_job)
        # a queue that runs tasks at once (tests, KHOI_TASKS_IMMEDIATE) sends their e-mail
        # as it goes: that must not sit in a transaction that could still roll back
        with transaction.atomic() if queue_keeps_tasks else nullcontext():
            _lock(f"{job.key}:{json.dumps(job_options, sort_keys=True)}")
            shards = job.shards()
            pending = (
                _pending_shards(run_batch_job.module_path, job.key, job_options)
                if queue_keeps_tasks
                else {}
            )
            queued = run_batch_job.using(priority=job.priority)
            fresh = [s for s in shards if s not in pending]
            results = [queued.enqueue(job.key, shard, job_options) for shard in fresh]
        self.stdout.write(
            f"{job.key}: {len(results)} tasks enqueued (one per province)"
            + (f", {len(pending)} still queued or running from before." if pending else ".")
        )
        results += [run_batch_job.get_result(pk) for pk in pending.values()]
        shards = [*fresh, *pending]
        if not options["wait"]:
            return
        started = time.monotonic()
        finished = {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}
        while True:
            for r in results:
                if r.status not in finished:
                    r.refresh()
            if all(r.status in finished for r in results):
                break
            if time.monotonic() - started > options["timeout"]:
                raise CommandError(f"{job.key}: the workers did not finish in time.")
            time.sleep(1)
        failed = [s for r, s in zip(results, shards, strict=True)
                  if r.status == TaskResultStatus.FAILED]  # fmt: skip
        total = sum(
            int(r.return_value or 0) for r in results if r.status == TaskResultStatus.SUCCESSFUL
        )
        self.stdout.write(f"{job.key}: {total} in total, {len(failed)} provinces failed.")
        if failed:
            raise CommandError(f"{job.key}: the tasks of provinces {failed} failed.")


def _lock(batch: str) -> None:
    """Serialises the runs that enqueue the same batch, until the transaction ends."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(batch.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _keeps_tasks(task: Any) -> bool:
    """Whether the task's backend is the database queue (others run tasks at once)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def _pending_shards(task_path: str, key: str, options: dict[str, Any]) -> dict[int | None, str]:
    """The shards of this batch (job and options) whose task is still queued or running on
    the database queue, with the task's id."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        task_path=task_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__args__0=key,
    ).values_list("pk", "args_kwargs")
    return {args["args"][1]: str(pk) for pk, args in rows if args["args"][2] == options}
