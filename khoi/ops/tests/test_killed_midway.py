"""An import or a merge killed mid-way leaves nothing partial, and doing it again works.

A kill is an exception nothing catches (``BaseException``, like the signal that ends a
worker) raised inside the work, after some rows were written: the transaction holds them
all, so none stays; the pending import is still there to confirm again."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command

from khoi.audit.models import AuditEntry
from khoi.testing.factories import World
from khoi.work import services as work
from khoi.work.models import Activity, JointActivity
from khoi.work.tests.factories import activity
from khoi.work.tests.test_import import confirm, row, token_of, upload, xlsx

D = datetime.date


class Killed(BaseException):
    """The process ending mid-way (SIGKILL, OOM, a restart): no handler runs."""


def _kill_on_call(monkeypatch: pytest.MonkeyPatch, target: Any, name: str, n: int) -> None:
    original = getattr(target, name)
    calls = {"n": 0}

    def killed(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            raise Killed
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, killed)


@pytest.mark.django_db
def test_an_activity_import_killed_at_the_third_row_imports_nothing(
    world: World, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user("staff")
    rows = [
        row(title=f"Tuyên truyền đợt {i}", start="2/10/2017", end="3/10/2017") for i in range(5)
    ]
    token = token_of(upload(client, world, xlsx(rows)))
    before = AuditEntry.objects.count()
    _kill_on_call(monkeypatch, work, "do_create_activity", 3)
    with pytest.raises(Killed):
        confirm(client, token, "all", 5)
    assert Activity.objects.count() == 0
    assert AuditEntry.objects.count() == before  # the chain has no entry of a lost row
    monkeypatch.undo()
    response = confirm(client, token, "all", 5)  # the pending import is still there
    assert response.status_code == 302
    assert Activity.objects.count() == 5
    out = io.StringIO()
    call_command("audit_verify", stdout=out)


@pytest.mark.django_db
def test_a_merge_killed_mid_way_leaves_the_activities_as_they_were(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường", units=[world.commune])
    b = activity(world, world.women, "Tuyên truyền VSMT khu dân cư", units=[world.commune2])
    spec = work.MergeSpec(
        "Tuyên truyền vệ sinh môi trường", world.front, D(2017, 10, 2), D(2017, 10, 3)
    )
    # killed after the joint activity and the first activity's link were written
    _kill_on_call(monkeypatch, work.audit, "update_fields", 2)
    with pytest.raises(Killed):
        work.do_merge(world.users["office_head"], [a, b], spec)
    assert JointActivity.objects.count() == 0
    assert Activity.objects.filter(joint__isnull=False).count() == 0
    monkeypatch.undo()
    a, b = Activity.objects.get(pk=a.pk), Activity.objects.get(pk=b.pk)  # as a retry reads them
    joint = work.do_merge(world.users["office_head"], [a, b], spec)
    assert set(joint.activities.all()) == {a, b}


@pytest.mark.django_db
def test_a_receipt_import_killed_mid_way_posts_nothing_and_the_ledger_verifies(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khoi.fund import services as fund
    from khoi.fund.models import Entry, Fund

    f = fund.do_create_fund(
        None, name="Quỹ Vì người nghèo phường Hà An", unit=world.commune,
        level=Fund.Level.COMMUNE, office=world.office,
    )  # fmt: skip
    fund.do_add_accountant(None, f, world.users["staff"])
    fund.do_post_receipt(
        None, f, amount=500_000, date=D(2021, 3, 1), donor_kind="person", donor_name="Nguyễn An"
    )
    rows = [
        {"row": i + 2, "amount": 100_000 * (i + 1), "date": D(2021, 3, 2), "donor_kind": "person",
         "donor_name": f"Nhà hảo tâm {i}"}
        for i in range(4)
    ]  # fmt: skip
    _kill_on_call(monkeypatch, fund, "do_post_receipt", 3)
    with pytest.raises(Killed):
        fund.do_import_receipts(world.users["staff"], f, rows)
    assert Entry.objects.filter(fund=f).count() == 1
    monkeypatch.undo()
    assert len(fund.do_import_receipts(world.users["staff"], f, rows)) == 4
    call_command("fund_verify", stdout=io.StringIO())
