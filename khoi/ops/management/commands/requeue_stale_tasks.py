"""``manage.py requeue_stale_tasks``: put back on the queue the tasks left RUNNING by a
worker that died (see ``khoi.ops.workers``). Run before every worker start
(``ExecStartPre=`` of khoi-worker.service) and every few minutes (khoi-requeue-stale.timer).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khoi.ops import workers


class Command(BaseCommand):
    help = "Requeue the tasks left RUNNING by a worker that died."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-after", type=float, default=120,
            help="seconds without a heartbeat after which a worker of another machine is gone",
        )  # fmt: skip
        parser.add_argument(
            "--orphan-after", type=float, default=6 * 3600,
            help="seconds after which a task of a worker without heartbeat is taken back",
        )  # fmt: skip
        parser.add_argument(
            "--max-attempts", type=int, default=3,
            help="workers lost on one task before it is marked failed",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        out = workers.requeue_stale_tasks(
            stale_after=options["stale_after"],
            orphan_after=options["orphan_after"],
            max_attempts=options["max_attempts"],
        )
        self.stdout.write(
            f"Requeued {len(out.requeued)} tasks, gave up {len(out.failed)}, "
            f"forgot {out.forgotten} dead workers."
        )
        for pk in out.requeued:
            self.stdout.write(f"requeued {pk}")
        for pk in out.failed:
            self.stdout.write(f"failed {pk}")
