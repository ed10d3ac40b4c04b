"""``manage.py enqueue_batch JOB [--date YYYY-MM-DD] [--days-before N] [--rebuild] [--wait]``:
a long batch job as one task per province on the queue (the timers run this); the
``db_worker`` processes, on any number of machines, share the tasks.

The jobs are those the apps register in ``khoi.registry`` (``task_reminders``,
``petition_reminders``, ``campaign_reminders``, ``campaign_totals``); the plain commands of
the same names stay the single-machine path. The options are resolved once here (the day
is today's when not given), so every province's task works on the same day. ``--wait``
waits for every task and exits with an error when one failed (so that the timer's
``OnFailure=`` alert fires).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        shards = job.shards()
        queued = run_batch_job.using(priority=job.priority)
        results = [queued.enqueue(job.key, shard, job_options) for shard in shards]
        self.stdout.write(f"{job.key}: {len(results)} tasks enqueued (one per province).")
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
