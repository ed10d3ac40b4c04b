"""A worker killed mid-task: the task runs again without duplicate effects.

The reminders write their claim of the day and their e-mails (with idempotency keys) in one
transaction and deliver after the commit (``khoi.ops.mail``). A kill is simulated by an
exception that nothing catches (``BaseException``, like the signal that ends a process)
raised at each step; the retried task then sends every message once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail as outbox
from django.core.mail.backends.locmem import EmailBackend

from khoi.audit import services as audit
from khoi.ops import mail
from khoi.ops.models import OutgoingMail
from khoi.testing.factories import World
from khoi.work import services
from khoi.work.models import Task
from khoi.work.reminders import send_due_reminders
from khoi.work.tasks import send_task_reminders

D = datetime.date
TODAY = D(2025, 10, 17)


class Killed(BaseException):
    """The worker process ending (SIGKILL, OOM, a restart): no handler runs."""


@pytest.fixture
def task(world: World) -> Task:
    staff = world.people["staff"]
    staff.email = "ha.nguyen@example.org"
    staff.save()
    return services.do_create_task(
        world.users["office_head"], world.office, title="Báo cáo sơ kết quý III",
        due_on=D(2025, 10, 20), assignee=staff,
    )  # fmt: skip


def _kill_once(monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> None:
    original = getattr(target, name)
    calls = {"n": 0}

    def killed(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise Killed
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, killed)


@pytest.mark.django_db
def test_killed_before_the_claim_commits_leaves_nothing_and_the_retry_sends_once(
    task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_once(monkeypatch, audit, "record")
    with pytest.raises(Killed):
        send_due_reminders(TODAY)
    task.refresh_from_db()
    assert task.reminded_on is None
    assert not OutgoingMail.objects.exists() and not outbox.outbox
    assert send_due_reminders(TODAY) == 1
    assert send_due_reminders(TODAY) == 0
    assert len(outbox.outbox) == 1


@pytest.mark.django_db
def test_killed_while_sending_the_retry_sends_each_message_once(
    task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_once(monkeypatch, EmailBackend, "send_messages")
    with pytest.raises(Killed):
        send_due_reminders(TODAY)
    task.refresh_from_db()
    assert task.reminded_on == TODAY  # the claim and the queued message committed together
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 1
    assert not outbox.outbox
    # the retried task claims nothing new and delivers what was queued
    assert send_due_reminders(TODAY) == 0
    assert send_due_reminders(TODAY) == 0
    assert len(outbox.outbox) == 1
    message = outbox.outbox[0]
    key = f"task-reminder:{task.pk}:{TODAY.isoformat()}:ha.nguyen@example.org"
    assert message.extra_headers["X-Khoi-Idempotency-Key"] == key
    assert message.extra_headers["Message-ID"] == mail.message_id(key)
    assert OutgoingMail.objects.get().sent_at is not None


@pytest.mark.django_db
def test_killed_after_the_smtp_answer_resends_the_same_message_id(
    task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one copy SMTP cannot rule out: accepted by the server, the worker dies before
    its commit. The copy carries the same Message-ID, which mail servers and clients drop."""
    original = EmailBackend.send_messages
    calls = {"n": 0}

    def sent_then_killed(self: EmailBackend, messages: Any) -> int:
        count = original(self, messages)
        calls["n"] += 1
        if calls["n"] == 1:
            raise Killed
        return count

    monkeypatch.setattr(EmailBackend, "send_messages", sent_then_killed)
    with pytest.raises(Killed):
        send_due_reminders(TODAY)
    send_due_reminders(TODAY)
    ids = [m.extra_headers["Message-ID"] for m in outbox.outbox]
    assert len(ids) == 2 and ids[0] == ids[1]
    send_due_reminders(TODAY)
    assert len(outbox.outbox) == 2


@pytest.mark.django_db
def test_the_reminder_task_enqueued_twice_sends_once(task: Task) -> None:
    first = send_task_reminders.enqueue(TODAY.isoformat(), 2)
    second = send_task_reminders.enqueue(TODAY.isoformat(), 2)
    assert (first.return_value, second.return_value) == (1, 0)
    assert len(outbox.outbox) == 1
    assert OutgoingMail.objects.count() == 1


@pytest.mark.django_db
def test_a_mail_server_that_is_down_keeps_the_message_for_the_next_run(
    task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(self: EmailBackend, messages: Any) -> int:
        raise ConnectionRefusedError

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    assert send_due_reminders(TODAY) == 1
    row = OutgoingMail.objects.get()
    assert row.sent_at is None and row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    monkeypatch.undo()
    assert mail.deliver_pending() == 1
    assert len(outbox.outbox) == 1
