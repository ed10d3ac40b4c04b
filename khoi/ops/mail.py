"""E-mail with idempotency keys: the transactional outbox of the reminders.

A sender (task, petition and campaign reminders) calls ``queue()`` inside the transaction
that claims the reminder for the day, then ``deliver_pending()`` after it committed. So:

- the claim and the messages commit together or not at all: a worker killed before the
  commit leaves neither, and the retried task queues them again;
- a message key is unique (``task-reminder:<task>:<day>:<address>``): a task run twice, or
  retried after its claim committed, never queues a second copy;
- delivery locks each pending row (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), sends
  it and marks it sent in one transaction, so two workers never send the same row; a worker
  killed between the SMTP answer and the commit leaves the row pending, and the next
  delivery sends it again with the same ``Message-ID`` (derived from the key) and the
  ``X-Khoi-Idempotency-Key`` header, which receiving servers and mail clients drop as a
  copy. That is the one duplicate SMTP cannot rule out; no other path sends twice.
- a message that fails (SMTP down) stays pending and is tried again by the next run, at most
  ``MAX_ATTEMPTS`` times; logs carry row numbers and counts, never addresses (a key ends
  with its address);
- the body of a password-reset message (a one-time link) is erased once it is sent.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction

from khoi.clock import real_now
from khoi.ops.models import OutgoingMail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# Messages whose body is a secret (a one-time sign-in link): erased once sent, so the link
# does not outlive its delivery in the database or its backups.
ERASE_BODY_ONCE_SENT = ("password-reset:",)


def message_id(key: str) -> str:
    """A ``Message-ID`` that is the same for every send of one key."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "khoi.local"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def queue(key: str, addresses: Iterable[str], subject: str, body: str) -> int:
    """Queue one message per address under ``key:<address>``; an existing key is kept as it
    is. Call inside the transaction of the change that decided to send. Returns the number
    of messages queued now."""
    now = real_now()
    rows = [
        OutgoingMail(
            key=f"{key}:{address.lower()}"[:200],
            to=address,
            subject=subject[:300],
            body=body,
            created_at=now,
        )
        for address in addresses
    ]
    existing = set(
        OutgoingMail.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True)
    )
    fresh = [r for r in rows if r.key not in existing]
    OutgoingMail.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def send_later(key: str, addresses: Iterable[str], subject: str, body: str) -> int:
    """Queue the messages and a delivery task (``khoi.ops.tasks.deliver_outgoing_mail``) in
    one transaction: a worker sends them, so no request waits on the mail server, and a
    message is never lost between the page and the queue. Returns the messages queued."""
    from khoi.ops.tasks import deliver_outgoing_mail

    with transaction.atomic():
        queued = queue(key, addresses, subject, body)
        if queued:
            deliver_outgoing_mail.enqueue()
    return queued


def _email(row: OutgoingMail) -> EmailMessage:
    return EmailMessage(
        row.subject,
        row.body,
        settings.DEFAULT_FROM_EMAIL,
        [row.to],
        headers={"Message-ID": message_id(row.key), "X-Khoi-Idempotency-Key": row.key},
    )


def deliver_pending(limit: int = 1000) -> int:
    """Send every pending message (oldest first), each marked sent in the transaction that
    holds its row lock. Returns the number sent."""
    sent = 0
    connection = get_connection()
    pending = list(
        OutgoingMail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    skip_locked = db_connection.features.has_select_for_update_skip_locked
    for pk in pending:
        with transaction.atomic():
            rows = OutgoingMail.objects.filter(pk=pk, sent_at__isnull=True)
            if skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            row = rows.first()
            if row is None:  # sent meanwhile, or another worker holds it
                continue
            try:
                connection.send_messages([_email(row)])
            except Exception as exc:  # SMTP down: try again on the next run
                OutgoingMail.objects.filter(pk=pk).update(
                    attempts=row.attempts + 1, last_error=type(exc).__name__[:200]
                )
                # the key ends with the address: the log names the row only
                logger.warning("mail not sent: row=%s error=%s", row.pk, type(exc).__name__)
                continue
            done: dict[str, object] = {"sent_at": real_now(), "attempts": row.attempts + 1}
            if row.key.startswith(ERASE_BODY_ONCE_SENT):
                done["body"] = ""
            OutgoingMail.objects.filter(pk=pk).update(**done)
        sent += 1
    return sent
