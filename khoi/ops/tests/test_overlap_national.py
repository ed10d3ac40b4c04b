"""The national overlap scan as one task per province: the same groups as the engine on the
province's records, nothing left by a task that dies, the same row when a task runs again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from khoi.clock import real_now
from khoi.lib import overlap as engine
from khoi.ops import tasks
from khoi.ops.models import ScanResult, ScanRun

SMALL = {"activities_per_commune": 40, "tasks_per_commune": 40, "year": 2026}


@pytest.fixture
def country(db: None) -> list[int]:
    from khoi.org.models import AdminUnit

    call_command("generate_scale", communes=4, provinces=2, seed=5, **SMALL)
    return list(AdminUnit.objects.filter(level=1).order_by("code").values_list("pk", flat=True))


def _run() -> ScanRun:
    return ScanRun.objects.create(
        start_on=dt.date(2026, 1, 1), end_on=dt.date(2026, 12, 31), created_at=real_now(),
        provinces=2,
    )  # fmt: skip


def test_a_province_task_finds_what_the_engine_finds(country: list[int]) -> None:
    run = _run()
    recs, parents = tasks.province_records(country[0], run.start_on, run.end_on)
    assert len(recs) == 2 * 40  # two communes of this province, 40 activities each
    expected = [g.to_dict() for g in engine.find_groups(recs, parents, parallel=False)]
    assert expected, "the generated data holds overlaps"
    tasks.scan_province_now(run.pk, country[0])
    result = ScanResult.objects.get(run=run, province_id=country[0])
    assert result.groups == expected
    assert result.activities == 80


def test_running_a_task_again_gives_the_same_single_row(country: list[int]) -> None:
    run = _run()
    tasks.scan_province_now(run.pk, country[1])
    first = ScanResult.objects.get(run=run, province_id=country[1])
    tasks.scan_province_now(run.pk, country[1])
    again = ScanResult.objects.filter(run=run, province_id=country[1])
    assert again.count() == 1
    assert again.get().groups == first.groups


def test_a_task_that_dies_leaves_nothing_and_resume_redoes_it(
    country: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine.find_groups
    calls: list[int] = []

    def dies_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed mid-task")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "find_groups", dies_once)
    # the queue records the failed task; the province's result is simply missing
    call_command("overlap_national", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    run = ScanRun.objects.get()
    assert ScanResult.objects.filter(run=run).count() == 1  # the second province left nothing
    call_command("overlap_national", resume=run.pk, wait=True, timeout=30)
    assert ScanResult.objects.filter(run=run).count() == 2
    assert len(calls) == 3  # only the missing province ran again
