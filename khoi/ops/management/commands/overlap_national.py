"""``manage.py overlap_national --start 2026-01-01 --end 2026-12-31``: the national overlap
scan as one task per province on the queue; ``db_worker`` processes run them.

``--this-year`` scans the current calendar year (what the weekly timer runs);
``--resume RUN`` enqueues again the provinces of a run that have no result yet (after a
worker died); ``--wait`` waits until every province has its result and prints the figures.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khoi import clock
from khoi.clock import real_now


class Command(BaseCommand):
    help = "Enqueue the national overlap scan, one task per province."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=dt.date.fromisoformat)
        parser.add_argument("--end", type=dt.date.fromisoformat)
        parser.add_argument("--resume", type=int, help="a run whose missing provinces to redo")
        parser.add_argument(
            "--this-year", action="store_true", help="scan the current calendar year (timer)"
        )
        parser.add_argument("--wait", action="store_true")
        parser.add_argument("--timeout", type=int, default=3600)

    def handle(self, *args: Any, **options: Any) -> None:
        from khoi.ops.models import ScanResult, ScanRun
        from khoi.ops.tasks import scan_province
        from khoi.registry import overlap_source

        try:
            provinces = overlap_source().provinces()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if options["resume"]:
            run = ScanRun.objects.filter(pk=options["resume"]).first()
            if run is None:
                raise CommandError(f"No scan run {options['resume']}.")
            done = set(ScanResult.objects.filter(run=run).values_list("province_id", flat=True))
            todo = [p for p in provinces if p not in done]
        else:
            if options["this_year"]:
                year = clock.today().year
                options["start"], options["end"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
            if not options["start"] or not options["end"] or options["end"] < options["start"]:
                raise CommandError("Give --start and --end (ISO dates, end not before start).")
            run = ScanRun.objects.create(
                start_on=options["start"], end_on=options["end"], created_at=real_now(),
                provinces=len(provinces),
            )  # fmt: skip
            todo = provinces
        for province_id in todo:
            scan_province.enqueue(run.pk, province_id)
        self.stdout.write(f"Scan run {run.pk}: {len(todo)} province tasks enqueued.")
        if not options["wait"]:
            return
        started = time.monotonic()
        while ScanResult.objects.filter(run=run).count() < run.provinces:
            if time.monotonic() - started > options["timeout"]:
                raise CommandError("The workers did not finish in time.")
            time.sleep(0.5)
        results = ScanResult.objects.filter(run=run)
        groups = sum(len(r.groups) for r in results)
        activities = sum(r.activities for r in results)
        self.stdout.write(
            f"Scan run {run.pk}: {activities} activities, {groups} groups, "
            f"{time.monotonic() - started:.1f}s until the last province."
        )
