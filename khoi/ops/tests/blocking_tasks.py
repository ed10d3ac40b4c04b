"""Tasks for the killed-worker tests (``test_worker_process.py``): the real work, with a
gate that holds the worker process at a known point until the test kills it (or opens the
gate for the run after the requeue)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django_tasks import task

from khoi.ops.tasks import run_batch_job, scan_province_now


def _hold(gate: str, marker: str) -> None:
    Path(marker).write_text(str(os.getpid()))
    while not Path(gate).exists():
        time.sleep(0.05)


@task()
def scan_behind_gate(run_id: int, province_id: int, gate: str, marker: str) -> int:
    """A province's scan whose worker is held before it computes and commits anything."""
    _hold(gate, marker)
    return scan_province_now(run_id, province_id)


@task()
def batch_then_gate(key: str, shard: int | None, options: dict[str, Any], gate: str,
                    marker: str) -> Any:  # fmt: skip
    """A batch job's shard whose worker is held after its effects committed (the reminders'
    claims and e-mails), before the task is marked done."""
    out = run_batch_job.call(key, shard, options)
    _hold(gate, marker)
    return out
