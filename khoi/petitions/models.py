from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, JointOffice


class KeyProject(models.Model):
    """A key project of the locality (dự án trọng điểm), e.g. the town medical centre."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("preparing")
        CLEARANCE = "clearance", _("land clearance")
        BUILDING = "building", _("under construction")
        DONE = "done", _("completed")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="key_projects")
    name = models.CharField(_("name"), max_length=250)
    units = models.ManyToManyField(AdminUnit, related_name="+", blank=True, verbose_name=_("units"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CLEARANCE
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="petitions_project_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        """The name, as other capabilities' lists show a linked object's title."""
        return self.name


class ReceptionSession(models.Model):
    """A citizen reception session (tiếp công dân)."""

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="receptions")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=250)
    officials = models.TextField(_("officials present"))
    citizens_count = models.PositiveIntegerField(_("citizens received"), default=1)
    summary = models.TextField(_("what the citizens raised"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("citizen reception session")
        verbose_name_plural = _("citizen reception sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.place} {self.held_on:%d/%m/%Y}"


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    DENUNCIATION = "denunciation", _("denunciation")
    REQUEST = "request", _("request")
    REPORT = "report", _("report")


class Channel(models.TextChoices):
    RECEPTION = "reception", _("citizen reception")
    POST = "post", _("by post")
    FORWARDED = "forwarded", _("forwarded by another body")
    HANDED = "handed", _("handed in")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    CLASSIFIED = "classified", _("classified")
    FORWARDED = "forwarded", _("forwarded to the competent authority")
    GUIDED = "guided", _("guidance given to the citizen")
    FILED = "filed", _("kept on file")
    ACCEPTED = "accepted", _("accepted by the authority")
    RESOLVED = "resolved", _("resolved by the authority")
    SUPERVISED = "supervised", _("resolution under supervision")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.CLASSIFIED,
    Status.FORWARDED,
    Status.ACCEPTED,
    Status.SUPERVISED,
)


class Petition(models.Model):
    """A petition (đơn thư): complaint, denunciation, request or report.

    The petitioners' identities are NOT here: they live encrypted in ``Petitioner``.
    ``next_due``/``next_rule`` repeat the earliest open deadline for fast lists.
    """

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="petitions")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("register number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    reception = models.ForeignKey(
        ReceptionSession, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="petitions", verbose_name=_("reception session"),
    )  # fmt: skip
    forwarded_by = models.CharField(_("forwarded by"), max_length=250, blank=True)
    subject = models.CharField(
        _("subject"),
        max_length=300,
        help_text=_("The decision, act or person concerned."),
    )
    content = models.TextField(_("content"))
    units = models.ManyToManyField(
        AdminUnit, related_name="+", blank=True, verbose_name=_("related units")
    )
    key_project = models.ForeignKey(
        KeyProject, null=True, blank=True, on_delete=models.SET_NULL, related_name="petitions",
        verbose_name=_("key project"),
    )  # fmt: skip
    unit = models.ForeignKey(
        AdminUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )  # the first related unit: statistics count each petition once, there
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    confidential = models.BooleanField(
        _("identity protected"),
        default=False,
        help_text=_("Always on for denunciations; on for any petitioner who asks for it."),
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    signatory_count = models.PositiveIntegerField(_("number of signatories"), default=1)
    decision_known_on = models.DateField(
        _("decision known on"), null=True, blank=True,
        help_text=_("For complaints: when the petitioner learned of the decision or act."),
    )  # fmt: skip
    accepted_on = models.DateField(_("accepted by the authority on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    status_note = models.TextField(_("reason or note of the last step"), blank=True)
    next_due = models.DateField(null=True, blank=True, editable=False)
    next_rule = models.CharField(max_length=40, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats",
        verbose_name=_("repeats"),
    )  # fmt: skip
    month = models.PositiveIntegerField(editable=False, default=0)  # yyyymm of received_on
    search_folded = models.TextField(editable=False, default="")
    content_tokens = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "number"], name="petitions_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(signatory_count__gte=1), name="petitions_signatories_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["office", "-received_on", "-id"], name="petitions_recv_idx"),
            models.Index(fields=["office", "status", "next_due"], name="petitions_due_idx"),
            models.Index(fields=["office", "kind", "-received_on"], name="petitions_kind_idx"),
            models.Index(
                fields=["office", "key_project", "-received_on"], name="petitions_project_idx"
            ),
            models.Index(
                fields=[
                    "office",
                    "month",
                    "kind",
                    "status",
                    "key_project",
                    "unit",
                    "duplicate_of",
                ],
                name="petitions_stats_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_folded = fold(f"{self.subject} {self.content}")[:4000]
        if self.received_on:
            self.month = self.received_on.year * 100 + self.received_on.month
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"subject", "content"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_folded"}
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def deadline_state(self, today: datetime.date, near_days: int = 5) -> str:
        """ "overdue", "near", "on_time" or "" (no open deadline)."""
        if self.next_due is None or not self.is_open:
            return ""
        if self.next_due < today:
            return "overdue"
        if (self.next_due - today).days <= near_days:
            return "near"
        return "on_time"


class Petitioner(models.Model):
    """One petitioner's identity, encrypted at rest (name, address, phone, ID number).

    Never printed: ``__str__`` is redacted; read it only through
    ``access.reveal_identity`` (which checks the role and logs the view).
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    position = models.PositiveSmallIntegerField(default=0)
    identity = models.TextField(editable=False)  # Fernet token of a JSON dict
    name_index = models.CharField(max_length=40, db_index=True, editable=False)
    household_index = models.CharField(max_length=40, db_index=True, editable=False, blank=True)
    confidential = models.BooleanField(default=False)
    representative = models.BooleanField(
        _("representative"), default=False,
        help_text=_("Chosen by the signatories of a group complaint to represent them."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        ordering = ["petition_id", "position"]

    def __str__(self) -> str:
        return f"#{self.pk or '?'}"


def attachment_path(instance: PetitionAttachment, filename: str) -> str:
    return f"petitions/{instance.petition_id}/{filename}"


class PetitionAttachment(models.Model):
    """A scan of the petition; the redacted copy is the only one shown to others."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("scan"), upload_to=attachment_path)
    redacted = models.FileField(_("redacted copy"), upload_to=attachment_path, blank=True)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.pk}"


class PetitionDeadline(models.Model):
    """A statutory deadline computed by ``khoi.lib.workdays.compute_deadline``."""

    class State(models.TextChoices):
        OPEN = "open", _("running")
        MET = "met", _("met")
        CANCELLED = "cancelled", _("no longer applies")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(_("rule"), max_length=40)
    title = models.CharField(_("what must be done"), max_length=200)
    start = models.DateField(_("counted from"))
    due = models.DateField(_("due"))
    extensions = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(_("legal source"), max_length=200)
    explanation = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    met_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["state", "due"], name="petitions_deadline_due_idx")]

    def __str__(self) -> str:
        return f"{self.title} {self.due:%d/%m/%Y}"


class PetitionEvent(models.Model):
    """One step of the handling (the timeline)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    on = models.DateField()
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.action}"


class Forwarding(models.Model):
    """A letter of the Front about a petition, to the competent authority or its superior:
    the forwarding itself (chuyển đơn), a reminder when the authority misses its deadline
    (đôn đốc), the escalation to the authority's superior (kiến nghị cấp trên), or a request to
    re-examine the result (đề nghị xem xét lại)."""

    class Purpose(models.TextChoices):
        FORWARD = "forward", _("forwarding")
        REMIND = "remind", _("reminder to the authority")
        ESCALATE = "escalate", _("escalation to the superior authority")
        REVIEW = "review", _("request to re-examine the result")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="forwardings")
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.FORWARD
    )
    authority = models.CharField(_("competent authority"), max_length=250)
    authority_unit = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("authority's unit"),
    )  # fmt: skip
    letter_number = models.CharField(_("letter number"), max_length=60)
    letter_date = models.DateField(_("letter date"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        ordering = ["letter_date", "id"]

    def __str__(self) -> str:
        return self.letter_number


class CaseAssignment(models.Model):
    """Who handles a petition (the case handler); the active one has no ``ended_at``."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="assignments")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="petition_cases"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["petition"],
                condition=Q(ended_at__isnull=True),
                name="petitions_one_active_handler",
            ),
        ]
        indexes = [models.Index(fields=["handler", "ended_at"], name="petitions_handler_idx")]

    def __str__(self) -> str:
        return f"{self.petition_id} → {self.handler_id}"


class DuplicateLink(models.Model):
    """A proposed (then confirmed or dismissed) "this petition repeats that one"."""

    class Reason(models.TextChoices):
        SAME_PETITIONER = "petitioner", _("same petitioner, similar content")
        SAME_HOUSEHOLD = "household", _("same household, similar content")
        SAME_CONTENT = "content", _("same content")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("not a repeat")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="duplicate_links")
    original = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    score = models.FloatField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("possible repeat")
        verbose_name_plural = _("possible repeats")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "original"], name="petitions_dup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} ~ {self.original_id}"


class ContentBand(models.Model):
    """MinHash band hashes of a petition's content: candidates for "same content"."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    office_id_ref = models.BigIntegerField()
    band = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["office_id_ref", "band", "petition"], name="petitions_band_cover_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}:{self.band}"


# Land clearance of the key projects (kept in its own module, part of this app's models).
from khoi.petitions.clearance_models import (  # noqa: E402, F401
    STAGE_ORDER,
    AffectedHousehold,
    CoordinationRules,
    Obligation,
    Stage,
    StageChange,
    Visit,
)
