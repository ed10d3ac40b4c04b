"""The long batch jobs as one task per province on the queue (``manage.py enqueue_batch``):
the provinces' tasks together do what the single-machine command does, once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.core.management.base import CommandError

from khoi.ops.models import OutgoingMail
from khoi.testing.factories import unit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 10, 17)
Q = "2017-Q3"


def enqueue(*args: Any, **kwargs: Any) -> str:
    out = io.StringIO()
    call_command("enqueue_batch", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_every_unit_lies_in_exactly_one_shard(world: Any) -> None:
    from khoi.org.models import AdminUnit, province_shard_q, province_shards

    far = unit("Tỉnh Lạng Sơn", 1, era="current")
    unit("Xã Tân Thanh", 3, far, era="current")
    shards = province_shards()
    assert shards[-1] is None and len(shards) == 3
    for pk in AdminUnit.objects.values_list("pk", flat=True):
        hits = [s for s in shards if AdminUnit.objects.filter(province_shard_q(s), pk=pk).exists()]
        assert len(hits) == 1, (pk, hits)


def test_the_registered_jobs_are_listed() -> None:
    out = enqueue()
    for key in ("task_reminders", "petition_reminders", "campaign_reminders", "campaign_totals"):
        assert key in out
    with pytest.raises(CommandError, match="No batch job"):
        enqueue("no_such_job")


def test_task_reminders_per_province_send_each_reminder_once(world: Any) -> None:
    from khoi.work import services
    from khoi.work.models import Task

    staff = world.people["staff"]
    staff.email = "ha.nguyen@example.org"
    staff.save()
    tasks = [
        services.do_create_task(
            world.users["office_head"],
            world.office,
            title=f"Báo cáo {i}",
            due_on=dt.date(2025, 10, 20),
            assignee=staff,
        )
        for i in range(3)
    ]
    out = enqueue("task_reminders", date=TODAY, wait=True)
    assert "2 tasks enqueued" in out  # the world's province, and the units of no province
    assert "3 in total, 0 provinces failed" in out
    assert {t.reminded_on for t in Task.objects.filter(pk__in=[t.pk for t in tasks])} == {TODAY}
    assert "0 in total" in enqueue("task_reminders", date=TODAY, wait=True)
    assert len(outbox.outbox) == OutgoingMail.objects.count() == 3


def test_petition_and_campaign_reminders_run_per_province(world: Any) -> None:
    assert "0 provinces failed" in enqueue("petition_reminders", date=TODAY, wait=True)
    assert "0 provinces failed" in enqueue("campaign_reminders", date=TODAY, wait=True)


def test_campaign_totals_per_province_find_the_drift_and_the_rebuild_mends_it(
    world: Any,
) -> None:
    from khoi.campaigns import rollup, services
    from khoi.campaigns.models import ProvinceTotal, Value
    from khoi.campaigns.tests.factories import full_cells, setup_campaign

    c = setup_campaign(world)
    reporter = world.users["reporter"]
    services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c, "7"))
    sub = services.do_submit_figures(reporter, c["campaign"], world.commune, Q)
    services.do_approve_figures(world.users["staff"], sub)
    assert "0 provinces failed" in enqueue("campaign_totals", wait=True)
    kept = sorted(ProvinceTotal.objects.values_list("province_id", "indicator_id", "period"))
    Value.objects.filter(indicator=c["count"]).update(number=Decimal(8))  # past the services
    with pytest.raises(CommandError, match=f"provinces \\[{world.province.pk}\\] failed"):
        enqueue("campaign_totals", wait=True)
    assert "0 provinces failed" in enqueue("campaign_totals", rebuild=True, wait=True)
    assert rollup.province_totals_drift() == []
    assert sorted(ProvinceTotal.objects.values_list("province_id", "indicator_id", "period")) == (
        kept
    )
    # the rebuild run again gives the same rows
    enqueue("campaign_totals", rebuild=True, wait=True)
    assert ProvinceTotal.objects.count() == len(kept)


def test_the_national_scan_of_this_year(db: None) -> None:
    from khoi.ops.models import ScanRun

    call_command("generate_scale", communes=2, provinces=1, seed=5,
                 activities_per_commune=5, tasks_per_commune=5, year=2026)  # fmt: skip
    call_command("overlap_national", this_year=True, stdout=io.StringIO())
    run = ScanRun.objects.get()
    assert (run.start_on.month, run.start_on.day, run.end_on.month, run.end_on.day) == (
        1, 1, 12, 31,
    )  # fmt: skip


def test_on_the_database_queue_the_reminders_go_before_a_national_scan(world: Any) -> None:
    from django.test.utils import override_settings
    from django_tasks_db.models import DBTaskResult

    from khoi.org.models import province_shards

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        enqueue("task_reminders", date=TODAY)
        enqueue("campaign_totals")
    rows = DBTaskResult.objects.order_by("priority").values_list("priority", "args_kwargs")
    shards = province_shards()
    assert [p for p, _ in rows] == [0] * len(shards) + [10] * len(shards)
    reminders = [a["args"] for p, a in rows if p == 10]
    options = {"date": "2025-10-17", "days_before": 2, "rebuild": False}
    assert reminders == [["task_reminders", s, options] for s in shards]
    # what a worker takes first
    assert DBTaskResult.objects.ready().first().priority == 10  # type: ignore[union-attr]


DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_former_provinces_without_an_office_get_no_task(world: Any) -> None:
    from khoi.org.models import province_shards

    gone = unit("Tỉnh Hà Tây", 1)  # merged away before 2025, nothing left in its tree
    unit("Xã Vân Canh", 3, gone)
    merged = unit("Tỉnh Lạng Sơn", 1, era="current")  # a current province with nothing yet
    shards = province_shards()
    assert gone.pk not in shards
    # the world's office still sits on the former tree: its province keeps its task
    assert shards == [merged.pk, world.province.pk, None]


def test_a_batch_is_enqueued_whole_or_not_at_all(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.test.utils import override_settings
    from django_tasks_db.models import DBTaskResult

    from khoi.registry import BATCH_JOBS, BatchJob

    # the second shard cannot be stored (not JSON): the first one's task must go too
    def shards() -> list[Any]:
        return [world.province.pk, object()]

    job = BatchJob("broken", "broken", shards, lambda s, o: 0)
    monkeypatch.setitem(BATCH_JOBS, "broken", job)
    with override_settings(TASKS=DB_QUEUE), pytest.raises(TypeError):
        enqueue("broken", date=TODAY)
    assert DBTaskResult.objects.count() == 0


def test_a_rerun_while_the_batch_is_queued_enqueues_no_duplicate(world: Any) -> None:
    from django.test.utils import override_settings
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from khoi.org.models import province_shards

    shards = province_shards()
    with override_settings(TASKS=DB_QUEUE):
        assert f"{len(shards)} tasks enqueued (one per province)." in enqueue(
            "task_reminders", date=TODAY
        )
        again = enqueue("task_reminders", date=TODAY)
        assert f"0 tasks enqueued (one per province), {len(shards)} still queued" in again
        assert DBTaskResult.objects.count() == len(shards)
        # one province's task is running, another's finished: only the finished one again
        first, second = DBTaskResult.objects.order_by("enqueued_at", "pk")[:2]
        DBTaskResult.objects.filter(pk=first.pk).update(status=TaskResultStatus.RUNNING)
        DBTaskResult.objects.filter(pk=second.pk).update(status=TaskResultStatus.SUCCESSFUL)
        assert "1 tasks enqueued" in enqueue("task_reminders", date=TODAY)
        assert DBTaskResult.objects.count() == len(shards) + 1
        # another day, or another job, is another batch
        assert f"{len(shards)} tasks enqueued" in enqueue(
            "task_reminders", date=TODAY + dt.timedelta(days=1)
        )
        assert f"{len(shards)} tasks enqueued" in enqueue("petition_reminders", date=TODAY)
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    batches = [
        (a["args"][0], a["args"][1], a["args"][2]["date"])
        for a in ready.values_list("args_kwargs", flat=True)
    ]
    assert len(batches) == len(set(batches))
