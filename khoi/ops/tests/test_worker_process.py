"""A real worker process killed mid-task (SIGKILL): ``requeue_stale_tasks`` puts its task
back, a new worker runs it again, and the result is the same, with nothing twice.

The workers are real ``manage.py worker`` processes on the test database: on PostgreSQL the
test's committed rows (a transactional test); on SQLite the in-memory test database is
copied to a file for them and back for the checks (SQLite's online backup API)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from khoi.clock import real_now
from khoi.lib import overlap as engine
from khoi.ops import tasks, workers
from khoi.ops.models import OutgoingMail, ScanResult, ScanRun, WorkerBeat
from khoi.ops.tests.blocking_tasks import batch_then_gate, scan_behind_gate

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = dt.date(2025, 10, 17)
SMALL = {"activities_per_commune": 40, "tasks_per_commune": 40, "year": 2026}
WAIT = 240  # seconds: a worker starting on a loaded two-core machine


class SharedDatabase:
    """The test database as the worker processes see it."""

    def __init__(self, tmp_path: Path) -> None:
        s = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
            self.url = (
                f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            )
            self.file: Path | None = None
        else:
            self.file = tmp_path / "shared.sqlite3"
            self.url = f"sqlite:///{self.file}"

    def push(self) -> None:
        """The test's rows to the workers (SQLite: copy to the file; no worker runs)."""
        if self.file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def pull(self) -> None:
        """The workers' rows back to the test (SQLite: copy from the file)."""
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_EMAIL")}
        env.update(
            KHOI_DATABASE_URL=self.url, KHOI_TASKS_IMMEDIATE="0", KHOI_WORKER_BEAT_SECONDS="1",
            KHOI_DEBUG="1", PYTHONUNBUFFERED="1",
        )  # fmt: skip
        return env


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[SharedDatabase]:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield SharedDatabase(tmp_path)


def start_worker(db: SharedDatabase, worker_id: str, log: Path, *extra: str) -> Any:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay",
         "--worker-id", worker_id, *extra],
        cwd=settings.BASE_DIR, env=db.env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(path: Path, proc: Any) -> None:
    deadline = time.monotonic() + WAIT
    while not path.exists():
        assert proc.poll() is None, "the worker ended before it reached the gate"
        assert time.monotonic() < deadline, "the worker did not reach the gate in time"
        time.sleep(0.1)


def kill(proc: Any) -> None:
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def requeue() -> str:
    from io import StringIO

    out = StringIO()
    call_command("requeue_stale_tasks", stdout=out)
    return out.getvalue()


def test_a_killed_scan_worker_is_requeued_and_the_rerun_gives_the_same_result(
    shared: SharedDatabase, tmp_path: Path
) -> None:
    from khoi.org.models import AdminUnit

    call_command("generate_scale", communes=4, provinces=2, seed=5, **SMALL)
    province = AdminUnit.objects.filter(level=1).order_by("code").values_list("pk", flat=True)[0]
    run = ScanRun.objects.create(
        start_on=dt.date(2026, 1, 1), end_on=dt.date(2026, 12, 31), created_at=real_now(),
        provinces=1,
    )  # fmt: skip
    recs, parents = tasks.province_records(province, run.start_on, run.end_on)
    expected = [g.to_dict() for g in engine.find_groups(recs, parents, parallel=False)]
    assert expected
    gate, marker = tmp_path / "gate", tmp_path / "reached"
    result = scan_behind_gate.enqueue(run.pk, province, str(gate), str(marker))
    shared.push()

    first = start_worker(shared, "worker-a", tmp_path / "a.log")
    try:
        wait_for(marker, first)
        shared.pull()
        row = DBTaskResult.objects.get(pk=result.id)
        assert (row.status, row.worker_ids) == (TaskResultStatus.RUNNING, ["worker-a"])
        assert WorkerBeat.objects.filter(worker_id="worker-a", pid=first.pid).exists()
        assert "Requeued 0 tasks" in requeue()  # a live worker keeps its task
        assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    finally:
        kill(first)

    shared.pull()
    assert "Requeued 1 tasks" in requeue()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.started_at) == (TaskResultStatus.READY, None)
    assert not ScanResult.objects.exists()  # nothing half-done
    assert not WorkerBeat.objects.exists()  # the dead worker is forgotten
    assert "Requeued 0 tasks" in requeue()  # requeuing again changes nothing
    gate.touch()
    shared.push()

    second = start_worker(shared, "worker-b", tmp_path / "b.log", "--batch")
    assert second.wait(timeout=WAIT) == 0, (tmp_path / "b.log").read_text()
    shared.pull()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.worker_ids == ["worker-a", "worker-b"]
    assert row.return_value == len(expected)
    assert ScanResult.objects.get(run=run, province_id=province).groups == expected
    assert DBTaskResult.objects.count() == 1  # no second task
    assert not WorkerBeat.objects.exists()  # the worker that stopped cleanly removed its row


def test_a_reminder_worker_killed_after_sending_sends_nothing_twice(
    world: Any, shared: SharedDatabase, tmp_path: Path
) -> None:
    from khoi.audit.models import AuditEntry
    from khoi.work import services
    from khoi.work.models import Task

    staff = world.people["staff"]
    staff.email = "ha.nguyen@example.org"
    staff.save()
    task = services.do_create_task(
        world.users["office_head"], world.office, title="Báo cáo sơ kết quý III",
        due_on=dt.date(2025, 10, 20), assignee=staff,
    )  # fmt: skip
    unit = world.office.unit
    shard = unit.province_id or unit.pk
    options = {"date": TODAY.isoformat(), "days_before": 2, "rebuild": False}
    gate, marker = tmp_path / "gate", tmp_path / "reached"
    result = batch_then_gate.enqueue("task_reminders", shard, options, str(gate), str(marker))
    shared.push()

    first = start_worker(shared, "worker-a", tmp_path / "a.log")
    try:
        wait_for(marker, first)  # the reminder and its e-mail are committed and sent
    finally:
        kill(first)
    shared.pull()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    assert "Requeued 1 tasks" in requeue()
    gate.touch()
    shared.push()

    second = start_worker(shared, "worker-b", tmp_path / "b.log", "--batch")
    assert second.wait(timeout=WAIT) == 0, (tmp_path / "b.log").read_text()
    shared.pull()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value == 0  # the run again found the task already reminded today
    assert Task.objects.get(pk=task.pk).reminded_on == TODAY
    assert OutgoingMail.objects.count() == 1
    assert OutgoingMail.objects.get().sent_at is not None
    assert AuditEntry.objects.filter(action="task.remind").count() == 1
    key = f"X-Khoi-Idempotency-Key: task-reminder:{task.pk}:{TODAY.isoformat()}"
    printed = (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
    assert printed.count(key) == 1  # one e-mail went out, by the killed worker


def test_a_task_whose_workers_keep_dying_is_given_up(shared: SharedDatabase) -> None:
    result = tasks.run_batch_job.enqueue("task_reminders", None, {})
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=real_now() - dt.timedelta(days=1),
        worker_ids=["a", "b"],
    )  # fmt: skip
    assert "Requeued 1 tasks" in requeue()  # no heartbeat, started a day ago: an orphan
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=real_now() - dt.timedelta(days=1),
        worker_ids=["a", "b", "c"],
    )  # fmt: skip
    assert "gave up 1" in requeue()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == workers.LOST


def test_a_running_task_of_a_plain_worker_is_left_to_it_for_hours(
    shared: SharedDatabase,
) -> None:
    result = tasks.run_batch_job.enqueue("task_reminders", None, {})
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=real_now() - dt.timedelta(hours=1),
        worker_ids=["plain"],
    )  # fmt: skip
    assert "Requeued 0 tasks" in requeue()


def test_which_workers_are_gone() -> None:
    now = real_now()
    here = workers.identity("me")
    me = SimpleNamespace(
        hostname=here.hostname, boot_id=here.boot_id, pid=here.pid,
        process_start=here.process_start, beat_at=now - dt.timedelta(hours=1),
    )  # fmt: skip
    limits: dict[str, Any] = {"stale_after": 120, "orphan_after": 3600, "here": here}
    if here.boot_id:  # Linux: the process is looked up on this machine
        assert not workers.worker_gone(me, None, now, **limits)  # alive, however old its beat
        dead = SimpleNamespace(**{**vars(me), "process_start": "1"})  # the pid was reused
        assert workers.worker_gone(dead, None, now, **limits)
        rebooted = SimpleNamespace(**{**vars(me), "boot_id": "another-boot"})
        assert workers.worker_gone(rebooted, None, now, **limits)
    far = SimpleNamespace(**{**vars(me), "hostname": "another-machine"})
    assert workers.worker_gone(far, None, now, **limits)  # stopped beating an hour ago
    far.beat_at = now - dt.timedelta(seconds=30)
    assert not workers.worker_gone(far, None, now, **limits)
    assert not workers.worker_gone(None, now - dt.timedelta(minutes=59), now, **limits)
    assert workers.worker_gone(None, now - dt.timedelta(minutes=61), now, **limits)


def test_a_worker_stopped_by_sigterm_finishes_its_task_first(
    shared: SharedDatabase, tmp_path: Path
) -> None:
    """``systemctl stop khoi-worker`` sends SIGTERM: the running task ends normally (within
    TimeoutStopSec), the worker exits 0 and removes its heartbeat."""
    from khoi.org.models import AdminUnit

    call_command("generate_scale", communes=2, provinces=1, seed=5,
                 activities_per_commune=10, tasks_per_commune=5, year=2026)  # fmt: skip
    province = AdminUnit.objects.filter(level=1).values_list("pk", flat=True)[0]
    run = ScanRun.objects.create(
        start_on=dt.date(2026, 1, 1), end_on=dt.date(2026, 12, 31), created_at=real_now(),
        provinces=1,
    )  # fmt: skip
    gate, marker = tmp_path / "gate", tmp_path / "reached"
    result = scan_behind_gate.enqueue(run.pk, province, str(gate), str(marker))
    shared.push()
    worker = start_worker(shared, "worker-t", tmp_path / "t.log")
    try:
        wait_for(marker, worker)
        worker.send_signal(signal.SIGTERM)
        time.sleep(1)
        assert worker.poll() is None  # still at its task
        gate.touch()
        assert worker.wait(timeout=WAIT) == 0, (tmp_path / "t.log").read_text()
    finally:
        if worker.poll() is None:
            kill(worker)
    shared.pull()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert ScanResult.objects.filter(run=run, province_id=province).count() == 1
    assert not WorkerBeat.objects.exists()
