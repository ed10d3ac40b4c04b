"""Campaign work killed mid-way (the worker or the request ending: SIGKILL, OOM, a restart,
simulated by an exception nothing catches): the reminders, run again, send each e-mail
once; an import of figures leaves nothing partial and can be done again."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail as outbox
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from openpyxl import load_workbook

from khoi.audit import services as audit
from khoi.audit.models import AuditEntry
from khoi.campaigns import importer
from khoi.campaigns import periods as P
from khoi.campaigns.models import Reminder, Submission, Value
from khoi.campaigns.reminders import send_missing_reminders
from khoi.campaigns.tests.factories import setup_campaign
from khoi.ops.models import OutgoingMail
from khoi.ops.tests.test_worker_killed import Killed, _kill_once
from khoi.org import services as org_services

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 10, 10)  # the reporter's membership runs from 2020
Q = "2017-Q3"


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    org_services.do_update_person(None, world.people["reporter"], email="mai@example.org")
    return setup_campaign(world)


def test_reminders_killed_before_the_commit_leave_nothing_and_the_rerun_sends_once(
    c: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_once(monkeypatch, audit, "record")
    with pytest.raises(Killed):
        send_missing_reminders(DAY)
    assert not Reminder.objects.exists() and not OutgoingMail.objects.exists()
    assert not outbox.outbox
    assert send_missing_reminders(DAY) == 1
    assert send_missing_reminders(DAY) == 0
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == ["mai@example.org"]


def test_reminders_killed_while_sending_deliver_the_queued_message_once(
    world: Any, c: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_once(monkeypatch, EmailBackend, "send_messages")
    with pytest.raises(Killed):
        send_missing_reminders(DAY)
    assert Reminder.objects.count() == 1  # the reminder and its queued e-mail committed
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 1
    assert not outbox.outbox
    assert send_missing_reminders(DAY) == 0
    assert send_missing_reminders(DAY) == 0
    assert len(outbox.outbox) == 1
    key = f"figures-reminder:{c['campaign'].pk}:{world.commune.pk}:2020-Q3:{DAY}:mai@example.org"
    assert outbox.outbox[0].extra_headers["X-Khoi-Idempotency-Key"] == key
    assert Reminder.objects.count() == OutgoingMail.objects.count() == 1


def test_the_per_province_task_enqueued_twice_sends_once(world: Any, c: dict[str, Any]) -> None:
    from khoi.ops.tasks import run_batch_job

    shard = world.commune.province_id
    options = {"date": DAY.isoformat()}
    first = run_batch_job.enqueue("campaign_reminders", shard, options)
    second = run_batch_job.enqueue("campaign_reminders", shard, options)
    assert (first.return_value, second.return_value) == (1, 0)
    assert len(outbox.outbox) == OutgoingMail.objects.count() == 1


def _workbook(c: dict[str, Any], commune: Any) -> bytes:
    wb = load_workbook(io.BytesIO(importer.build_template(c["campaign"], commune, P.parse(Q))))
    ws = wb[importer.SHEET_NAME]
    ws["B2"] = 12
    ws["C3"], ws["D3"], ws["E3"] = 40, 50, "Có"
    ws["C4"], ws["D4"], ws["E4"] = 20, 50, "Không"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(client: Any, c: dict[str, Any], commune: Any, data: bytes) -> Any:
    upload = io.BytesIO(data)
    upload.name = "so-lieu.xlsx"
    url = reverse("campaigns:entry_import", args=[c["campaign"].pk, commune.pk, Q])
    return client.post(url, {"file": upload})


def test_a_figures_import_killed_mid_way_saves_nothing_and_imports_again(
    world: Any, c: dict[str, Any], as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user("reporter")
    data = _workbook(c, world.commune)
    before = AuditEntry.objects.count()
    original = audit.record

    def killed_after_the_figures(*args: Any, **kwargs: Any) -> Any:
        if args[1] == "figures.save":  # the figures and the submission were written
            assert Value.objects.filter(commune=world.commune).exists()
            raise Killed
        return original(*args, **kwargs)

    monkeypatch.setattr(audit, "record", killed_after_the_figures)
    with pytest.raises(Killed):
        _import(client, c, world.commune, data)
    assert not Value.objects.exists() and not Submission.objects.exists()
    assert AuditEntry.objects.count() == before  # the chain has no entry of a lost save
    monkeypatch.undo()
    response = _import(client, c, world.commune, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Value.objects.filter(commune=world.commune, period=Q)
    assert saved.count() >= 5
    assert saved.get(indicator=c["count"], area=None).number == 12
    assert Submission.objects.get().status == Submission.Status.DRAFT
    assert AuditEntry.objects.filter(action="figures.save").count() == 1
