"""Workers of the task queue that die, and the tasks they leave RUNNING.

django-tasks' database backend marks a task RUNNING when a ``db_worker`` claims it and
records the worker's id (``DBTaskResult.worker_ids``), but nothing puts the task back when
that process is killed (SIGKILL, OOM, a power cut): it stays RUNNING for ever. Here:

* ``manage.py worker`` (``khoi/ops/management/commands/worker.py``) is ``db_worker`` plus a
  heartbeat: a thread writes the process's :class:`~khoi.ops.models.WorkerBeat` (host,
  boot id, pid and the process's start time) every ``KHOI_WORKER_BEAT_SECONDS``;
* :func:`requeue_stale_tasks` (``manage.py requeue_stale_tasks``: before every worker start,
  ``ExecStartPre=`` in khoi-worker.service, and every few minutes from
  khoi-requeue-stale.timer) puts back READY each RUNNING task whose last worker is gone:

  - its heartbeat row says it ran on this machine, and that process no longer exists (the
    pid is gone, a zombie, or another process started since under the same pid, or the
    machine was rebooted): gone at once;
  - its heartbeat is older than ``stale_after`` seconds (a worker on another machine, or a
    machine without /proc): gone;
  - it has no heartbeat row (a plain ``db_worker``): gone only when the task started more
    than ``orphan_after`` seconds ago (a task of a live plain worker is never taken from
    it before that).

  A task already tried by ``max_attempts`` workers that all died is marked FAILED instead
  (a task that kills its worker, e.g. by running out of memory, does not kill them all).

The tasks are idempotent (a province's scan result is replaced whole, the reminders' claim
of the day and their e-mails commit together with idempotency keys), so running one again
gives the same result and sends no e-mail twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from django.db import close_old_connections, connection, transaction

from khoi.clock import real_now

logger = logging.getLogger(__name__)

LOST = "khoi.ops.workers.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task died (recorded as the failure of a task given up)."""


def boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def process_start(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot, from /proc); None when
    no such live process exists (or a zombie), "" when /proc cannot tell."""
    if not Path("/proc/self/stat").exists():
        return ""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):  # dead, not yet reaped by its parent
        return None
    return fields[19]


@dataclass(frozen=True)
class Identity:
    worker_id: str
    hostname: str
    boot_id: str
    pid: int
    process_start: str


def identity(worker_id: str) -> Identity:
    pid = os.getpid()
    return Identity(worker_id, socket.gethostname(), boot_id(), pid, process_start(pid) or "")


def beat(me: Identity, *, first: bool = False) -> None:
    """Write (or refresh) this worker's heartbeat row."""
    from khoi.ops.models import WorkerBeat

    now = real_now()
    defaults = {
        "hostname": me.hostname, "boot_id": me.boot_id, "pid": me.pid,
        "process_start": me.process_start, "beat_at": now,
    }  # fmt: skip
    if first:
        defaults["started_at"] = now
        WorkerBeat.objects.update_or_create(worker_id=me.worker_id, defaults=defaults)
    elif not WorkerBeat.objects.filter(worker_id=me.worker_id).update(beat_at=now):
        WorkerBeat.objects.create(worker_id=me.worker_id, started_at=now, **defaults)


def forget(worker_id: str) -> None:
    from khoi.ops.models import WorkerBeat

    WorkerBeat.objects.filter(worker_id=worker_id).delete()


class Heartbeat:
    """A daemon thread beating every ``interval`` seconds until :meth:`stop`; it has its own
    database connection (closed when it ends). It dies with the process, which is the
    point: a killed worker stops beating."""

    def __init__(self, me: Identity, interval: float) -> None:
        self.me = me
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="khoi-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    close_old_connections()
                    beat(self.me)
                except Exception:  # the database away for a moment: beat again later
                    logger.warning("worker heartbeat failed", exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)


def worker_gone(
    beat_row: object | None,
    started_at: dt.datetime | None,
    now: dt.datetime,
    *,
    stale_after: float,
    orphan_after: float,
    here: Identity,
) -> bool:
    """Whether the worker that claimed a task (its heartbeat row, or None) is gone."""
    if beat_row is None:
        return started_at is None or (now - started_at).total_seconds() > orphan_after
    same_machine = (
        getattr(beat_row, "hostname", None) == here.hostname
        and bool(here.boot_id)
        and bool(getattr(beat_row, "process_start", ""))
    )
    if same_machine:
        if getattr(beat_row, "boot_id", "") != here.boot_id:
            return True  # this machine was restarted since
        alive = process_start(int(getattr(beat_row, "pid", 0)))
        return alive != getattr(beat_row, "process_start", "")
    beat_at = getattr(beat_row, "beat_at", None)
    return beat_at is None or (now - beat_at).total_seconds() > stale_after


@dataclass
class Requeued:
    requeued: list[str]
    failed: list[str]
    forgotten: int


def requeue_stale_tasks(
    *,
    stale_after: float = 120,
    orphan_after: float = 6 * 3600,
    max_attempts: int = 3,
    now: dt.datetime | None = None,
) -> Requeued:
    """Put back READY the RUNNING tasks whose worker is gone (see the module's text), mark
    FAILED those tried by ``max_attempts`` lost workers, and forget the heartbeats of the
    workers found gone. Each task is changed under a row lock, only if still RUNNING."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from khoi.ops.models import WorkerBeat

    now = now or real_now()
    here = identity("")
    beats = {b.worker_id: b for b in WorkerBeat.objects.all()}
    out = Requeued([], [], 0)
    gone_workers: set[str] = set()
    for result in DBTaskResult.objects.running().order_by("started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if not worker_gone(
            beats.get(worker), result.started_at, now,
            stale_after=stale_after, orphan_after=orphan_after, here=here,
        ):  # fmt: skip
            continue
        gone_workers.add(worker)
        with transaction.atomic():
            row = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=result.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if row is None:
                continue  # finished meanwhile
            if len(row.worker_ids) >= max_attempts:
                row.status = TaskResultStatus.FAILED
                row.finished_at = now
                row.exception_class_path = LOST
                row.traceback = (
                    f"WorkerLost: the {len(row.worker_ids)} workers that ran this task died"
                    f" ({', '.join(row.worker_ids)})."
                )
                row.save(update_fields=["status", "finished_at", "exception_class_path",
                                        "traceback"])  # fmt: skip
                out.failed.append(str(row.pk))
                logger.error("task %s given up: its workers died %d times", row.pk,
                             len(row.worker_ids))  # fmt: skip
            else:
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                out.requeued.append(str(row.pk))
                logger.warning("task %s requeued: worker %s is gone", row.pk, worker)
    # forget the heartbeats of workers found gone, and of any that stopped beating long ago
    for worker_id, b in beats.items():
        if worker_id in gone_workers or worker_gone(
            b, None, now, stale_after=max(stale_after, 3600), orphan_after=0, here=here
        ):
            out.forgotten += WorkerBeat.objects.filter(pk=b.pk, beat_at=b.beat_at).delete()[0]
    return out
