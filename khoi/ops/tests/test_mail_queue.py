"""The password-reset e-mail goes through the outbox and the task queue: the page answers
without sending, a worker sends it once (what ``make prod-check`` shows through nginx with a
real worker process)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from khoi.ops.models import OutgoingMail

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)  # the worker closes its connections between tasks
def test_the_reset_page_queues_the_mail_and_a_worker_sends_it_once(
    world: Any, client: Client
) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_QUEUE):
        response = client.post("/accounts/password/reset/", {"email": "staff@example.org"})
        assert response.status_code == 302
        assert outbox.outbox == []  # the request sent nothing itself
        row = OutgoingMail.objects.get()
        assert row.key.startswith("password-reset:") and row.sent_at is None
        task = DBTaskResult.objects.get()
        assert task.task_path == "khoi.ops.tasks.deliver_outgoing_mail"
        assert task.status == TaskResultStatus.READY

        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
        assert len(outbox.outbox) == 1
        assert "/accounts/password/reset/" in outbox.outbox[0].body
        assert outbox.outbox[0].extra_headers["X-Khoi-Idempotency-Key"] == row.key
        sent = OutgoingMail.objects.get(sent_at__isnull=False)
        assert sent.body == ""  # the one-time link does not outlive its delivery
        assert sent.subject  # the rest of the record stays

        # the delivery run again (a retried task) sends nothing twice
        from khoi.ops.tasks import deliver_outgoing_mail

        deliver_outgoing_mail.enqueue()
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        assert len(outbox.outbox) == 1


@pytest.mark.django_db
def test_an_unknown_address_queues_nothing(world: Any, client: Client) -> None:
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_QUEUE):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
        assert response.status_code == 302
    assert not OutgoingMail.objects.exists() and not DBTaskResult.objects.exists()
