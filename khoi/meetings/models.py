from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khoi.org.models import JointOffice, Person


class MeetingSeries(models.Model):
    """A recurring schedule (e.g. the weekly briefing every Monday at 8:00)."""

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12)
    title = models.CharField(_("title"), max_length=300)
    weekday = models.PositiveSmallIntegerField(_("weekday"), help_text="0 = Monday")
    time = models.TimeField(_("time"))
    every_weeks = models.PositiveSmallIntegerField(_("every (weeks)"), default=1)
    place = models.CharField(_("place"), max_length=200, blank=True)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("meeting schedule")
        verbose_name_plural = _("meeting schedules")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="meetings_series_weekday"),
            models.CheckConstraint(condition=Q(every_weeks__gte=1), name="meetings_series_every"),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """One meeting: a weekly briefing (giao ban), a standing board meeting or a conference."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("weekly briefing")
        STANDING = "standing", _("standing board meeting")
        CONFERENCE = "conference", _("conference")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CLOSED = "closed", _("closed")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("chaired by"),
    )  # fmt: skip
    secretary = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("minutes taken by"),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["office", "starts_at"], name="meetings_office_start_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Attendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("attendance"), max_length=8, choices=Status.choices, default=Status.INVITED
    )
    reason = models.CharField(_("reason for absence"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meetings_attendance_once"),
            models.CheckConstraint(
                condition=~Q(status="absent") | ~Q(reason=""), name="meetings_absent_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.meeting_id}: {self.status}"


class AgendaItem(models.Model):
    """One item of the agenda; ``source`` names the registry provider that proposed it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    source = models.CharField(max_length=60, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    """What an agenda item concluded: information, a decision, or a task (a real Task)."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("information")
        DECISION = "decision", _("decision")
        TASK = "task", _("task")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"))
    task = models.OneToOneField(
        "work.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_outcome"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="task", task__isnull=False) | (~Q(kind="task") & Q(task=None)),
                name="meetings_task_outcome_has_task",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class MinutesCorrection(models.Model):
    """A correction to the minutes of a closed meeting; the original text stays."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="corrections")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField(_("correction"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes correction")
        verbose_name_plural = _("minutes corrections")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.text[:40]}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(secret: str) -> str:
    """What is stored of a feed's secret: its SHA-256 (the secret itself is shown once)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class CalendarFeed(models.Model):
    """The secret address of a person's iCalendar feed; revoking it makes a new one.

    Only the SHA-256 of the secret is stored (``token``), never the secret: it is not in
    the database, the audit log or the admin; pages show its ``fingerprint``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    secret = ""  # the secret of a feed just made, to be shown once (never stored)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at=None), name="meetings_one_live_feed"
            ),
        ]

    def __str__(self) -> str:
        return f"feed of {self.user_id}"

    @property
    def fingerprint(self) -> str:
        return self.token[:10]

    @classmethod
    def with_new_secret(cls, user: Any) -> tuple[CalendarFeed, str]:
        secret = new_token()
        return cls(user=user, token=token_digest(secret)), secret
