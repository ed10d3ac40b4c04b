"""The one register of recommendations (kiến nghị), their answers and follow-ups.

A recommendation comes from any source of the office: a supervision of this app, a point
of a social criticism, a feedback round (other modules of the app). The source is given
generically (``source_kind`` + ``source_id`` + its title and address), so the register
never imports the models that produce recommendations; a supervision's recommendations
also carry the ``supervision`` foreign key for fast joins.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khoi.org.models import AdminUnit, JointOffice, Organization

__all__ = ["Recommendation", "RecommendationAnswer", "RecommendationFollowUp", "body_key"]


def body_key(name: str) -> str:
    """The comparable form of a body's name ("UBND xã Hà An" = "Ủy ban nhân dân xã Hà An").
    Numbers stay: "UBND Phường 1" and "UBND Phường 2" are two bodies (the text keys alone
    drop them)."""
    from khoi.lib.vntext import joined_keys

    parts = []
    for chunk in name.split():
        if any(ch.isdigit() for ch in chunk):
            number = "".join(ch for ch in chunk.lower() if ch.isalnum())
            parts.append(joined_keys(number).strip() if not number.isdigit() else number)
            if not parts[-1]:
                parts[-1] = number
        else:
            parts.append(joined_keys(chunk).strip())
    return " ".join(p for p in parts if p)[:250]


class Recommendation(models.Model):
    """A recommendation to a named body (cơ quan, tổ chức được kiến nghị)."""

    class SourceKind(models.TextChoices):
        SUPERVISION = "supervision", _("supervision")
        CRITICISM = "criticism", _("social criticism")
        FEEDBACK = "feedback", _("feedback round")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting answer")
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        REJECTED = "rejected", _("not accepted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    office = models.ForeignKey(
        JointOffice, on_delete=models.PROTECT, related_name="recommendations"
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recommending organization"),
    )
    # the commune the recommendation concerns (a commune's own supervision): commune
    # reporters read and write only theirs
    unit = models.ForeignKey(
        AdminUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
    )
    source_kind = models.CharField(
        _("source"), max_length=16, choices=SourceKind.choices, default=SourceKind.OTHER
    )
    source_id = models.PositiveBigIntegerField(_("source record"), null=True, blank=True)
    source_title = models.CharField(_("source title"), max_length=300, blank=True)
    source_url = models.CharField(_("source address"), max_length=300, blank=True)
    supervision = models.ForeignKey(
        "oversight.Supervision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("supervision"),
    )
    body = models.CharField(_("body recommended to"), max_length=250)
    body_key = models.CharField(
        _("body, as compared"), max_length=250, editable=False, db_index=True
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    content = models.TextField(_("content"))
    search_folded = models.TextField(editable=False, blank=True)
    issued_on = models.DateField(_("recommended on"))
    due_on = models.DateField(_("answer due on"))
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recommendation document"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")),
                name="oversight_recommendation_due_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("issued_on")),
                name="oversight_recommendation_answer_after_issue",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "due_on"], name="oversight_rec_due_idx"),
            models.Index(fields=["status", "due_on"], name="oversight_rec_status_due_idx"),
            models.Index(fields=["office", "body_key"], name="oversight_rec_body_idx"),
            # the by-body summary of the open rows (``khoi.oversight.register``)
            models.Index(
                fields=["body_key", "due_on"],
                name="oversight_rec_open_body_idx",
                condition=Q(status="open"),
                include=["body"],
            ),
            models.Index(
                fields=["office", "body_key", "due_on"],
                name="oversight_rec_office_open_idx",
                condition=Q(status="open"),
                include=["body"],
            ),
            models.Index(fields=["office", "issued_on"], name="oversight_rec_issued_idx"),
            models.Index(fields=["source_kind", "source_id"], name="oversight_rec_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.content[:80]}"

    def save(self, *args: object, **kwargs: object) -> None:
        from khoi.lib.vntext import fold

        self.body_key = body_key(self.body)
        self.search_folded = fold(f"{self.body} {self.subject} {self.content}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = set()
            if "body" in update_fields:  # type: ignore[operator]
                extra.add("body_key")
            if {"body", "subject", "content"} & set(update_fields):  # type: ignore[call-overload]
                extra.add("search_folded")
            kwargs["update_fields"] = {*update_fields, *extra}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class RecommendationAnswer(models.Model):
    """The body's answer (văn bản trả lời): accepted, partly, not accepted, with its reasons.

    A recommendation may be answered more than once (a partial answer, then a full one);
    the latest answer sets the recommendation's status."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        REJECTED = "rejected", _("not accepted")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="answers"
    )
    answered_on = models.DateField(_("answered on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    explanation = models.TextField(_("the body's explanation"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answer document"),
    )
    document_ref = models.CharField(_("answer document number"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer to a recommendation")
        verbose_name_plural = _("answers to recommendations")
        ordering = ["answered_on", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.get_outcome_display()}"


class RecommendationFollowUp(models.Model):
    """What the office did about a late or refused answer."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("reminder letter")
        ESCALATION = "escalation", _("escalation to the body's superior")
        RESUPERVISION = "resupervision", _("re-supervision")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("follow-up"), max_length=14, choices=Kind.choices)
    done_on = models.DateField(_("done on"))
    due_on = models.DateField(_("new answer due on"), null=True, blank=True)
    addressee = models.CharField(_("sent to"), max_length=250, blank=True)
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("follow-up document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up of a recommendation")
        verbose_name_plural = _("follow-ups of recommendations")
        ordering = ["done_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("done_on")),
                name="oversight_followup_due_after_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.get_kind_display()}"
