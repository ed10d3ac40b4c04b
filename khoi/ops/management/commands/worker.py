"""``manage.py worker [db_worker's options]``: the task queue's worker (django-tasks'
``db_worker``) with a heartbeat, what khoi-worker.service runs.

The heartbeat (``khoi.ops.workers``) lets ``requeue_stale_tasks`` tell a task whose worker
was killed from one that is still running. On SIGTERM (``systemctl stop``) the worker
finishes the task it runs, then stops (khoi-worker.service gives it ``TimeoutStopSec``);
a second signal ends it at once, the task then failed. The worker never reloads itself
(``--reload`` is ignored): a reload would leave the heartbeat to the wrong process.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from khoi.ops import workers


class Command(DbWorker):
    help = "Run the task queue's worker (db_worker) with a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        options["reload"] = False
        me = workers.identity(options["worker_id"])
        workers.beat(me, first=True)
        heartbeat = workers.Heartbeat(me, float(settings.KHOI_WORKER_BEAT_SECONDS))
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            workers.forget(me.worker_id)
