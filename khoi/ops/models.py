"""The national overlap scan as one task per province on the task queue (khoi/ops/tasks.py).

A ``ScanRun`` is one scan of a period; each province's task writes its ``ScanResult`` in one
transaction, replacing what a previous try of the same task wrote: a worker killed mid-task
leaves nothing, and running the task again gives the same row.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanRun(models.Model):
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    created_at = models.DateTimeField(_("created at"))
    provinces = models.PositiveIntegerField(_("provinces"), default=0)

    class Meta:
        verbose_name = _("overlap scan")
        verbose_name_plural = _("overlap scans")

    def __str__(self) -> str:
        return f"{self.start_on:%d/%m/%Y}–{self.end_on:%d/%m/%Y}"


class ScanResult(models.Model):
    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="results")
    province = models.ForeignKey("org.AdminUnit", on_delete=models.CASCADE, related_name="+")
    activities = models.PositiveIntegerField(default=0)
    groups = models.JSONField(default=list)
    seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField()

    class Meta:
        verbose_name = _("overlap scan result")
        verbose_name_plural = _("overlap scan results")
        constraints = [
            models.UniqueConstraint(fields=["run", "province"], name="ops_scanresult_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.province_id}"


class OutgoingMail(models.Model):
    """One e-mail to one address, written in the same transaction as the change that
    decided to send it (a reminder claimed for the day), then delivered by
    ``khoi.ops.mail.deliver_pending``. ``key`` is the message's idempotency key: a task
    retried after its worker was killed finds the key taken and queues nothing twice; a
    message caught in flight when the worker died is sent again with the same
    ``Message-ID`` (derived from the key), which mail servers and clients drop as a copy."""

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="ops_outgoingmail_pending",
            )
        ]

    def __str__(self) -> str:
        return self.key


class WorkerBeat(models.Model):
    """A live ``manage.py worker`` process (the queue's ``db_worker`` with a heartbeat): it
    writes ``beat_at`` every few seconds and removes its row when it stops cleanly.
    ``requeue_stale_tasks`` puts back on the queue the tasks left RUNNING by a worker whose
    process is gone: on the same machine (``hostname`` and ``boot_id``) when the process
    ``pid`` started at ``process_start`` no longer exists; elsewhere when it stopped
    beating."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    boot_id = models.CharField(_("boot id"), max_length=64, blank=True)
    pid = models.PositiveIntegerField(_("process id"))
    process_start = models.CharField(_("process start"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class RateCounter(models.Model):
    """One rate-limit window of one caller (``khoi.ops.ratelimit``) when Redis is not the
    cache: counted with one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` on the
    primary, so every app server counts together and concurrent hits are never lost. Rows
    whose window has passed are deleted as new windows start."""

    key = models.CharField(_("key"), max_length=120, primary_key=True)
    hits = models.PositiveIntegerField(_("requests counted"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
