"""The petition deadline reminders' worker killed mid-run: run again, each reminder is sent
once (the claim of the day and the queued e-mail commit together, delivered after the
commit with an idempotency key; see ``khoi.ops.mail``)."""

from __future__ import annotations

import pytest
from django.core import mail as outbox
from django.core.mail.backends.locmem import EmailBackend

from khoi.ops import mail
from khoi.ops.models import OutgoingMail
from khoi.ops.tests.test_worker_killed import Killed, _kill_once
from khoi.petitions.models import PetitionDeadline
from khoi.petitions.reminders import send_deadline_reminders
from khoi.petitions.tests.conftest import TODAY, Case


def reminded() -> list[int]:
    return list(PetitionDeadline.objects.filter(reminded_on=TODAY).values_list("pk", flat=True))


def test_killed_before_the_claim_commits_leaves_nothing_and_the_rerun_sends_once(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_once(monkeypatch, mail, "queue")
    with pytest.raises(Killed):
        send_deadline_reminders(TODAY, 2)
    assert reminded() == [] and not OutgoingMail.objects.exists() and not outbox.outbox
    assert send_deadline_reminders(TODAY, 2) == 1
    assert send_deadline_reminders(TODAY, 2) == 0
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == [case.handler.email]


def test_killed_while_sending_the_rerun_delivers_the_queued_message_once(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_once(monkeypatch, EmailBackend, "send_messages")
    with pytest.raises(Killed):
        send_deadline_reminders(TODAY, 2)
    assert len(reminded()) == 1  # the claim and the queued message committed together
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 1
    assert not outbox.outbox
    assert send_deadline_reminders(TODAY, 2) == 0  # nothing new claimed; the queued one sent
    assert send_deadline_reminders(TODAY, 2) == 0
    assert len(outbox.outbox) == 1
    deadline = reminded()[0]
    key = f"petition-reminder:{deadline}:{TODAY.isoformat()}:{case.handler.email}"
    assert outbox.outbox[0].extra_headers["X-Khoi-Idempotency-Key"] == key
    assert OutgoingMail.objects.get().sent_at is not None


def test_the_per_province_task_enqueued_twice_sends_once(case: Case) -> None:
    from khoi.ops.tasks import run_batch_job

    unit = case.world.office.unit
    shard = unit.province_id or unit.pk
    options = {"date": TODAY.isoformat(), "days_before": 2}
    first = run_batch_job.enqueue("petition_reminders", shard, options)
    second = run_batch_job.enqueue("petition_reminders", shard, options)
    assert (first.return_value, second.return_value) == (1, 0)
    assert len(outbox.outbox) == OutgoingMail.objects.count() == 1
