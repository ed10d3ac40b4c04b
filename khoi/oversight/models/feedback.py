"""Feedback rounds (góp ý xây dựng Đảng, chính quyền, Decision 218-QĐ/TW): the round, the
opinions collected from residents' meetings, organizations and citizens, and the
consolidated report sent up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khoi.documents.models import Document
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, JointOffice, Organization

__all__ = ["FeedbackOpinion", "FeedbackRound"]


class FeedbackRound(models.Model):
    """One round of feedback on building the Party and the government: what it is about,
    when opinions are collected, whom the consolidated report goes to. ``status`` runs
    open → reported (the report numbered in the register, ``report_document``)."""

    class SubjectKind(models.TextChoices):
        CADRES = "cadres", _("cadres and civil servants")
        PARTY_MEMBERS = "party_members", _("Party members")
        ORGANIZATIONS = "organizations", _("Party and government bodies")
        DRAFT = "draft", _("a draft document")

    class Status(models.TextChoices):
        OPEN = "open", _("collecting opinions")
        REPORTED = "reported", _("report sent")

    office = models.ForeignKey(
        JointOffice, on_delete=models.PROTECT, related_name="feedback_rounds"
    )
    title = models.CharField(_("title"), max_length=400)
    title_folded = models.CharField(max_length=400, editable=False, blank=True)
    subject_kind = models.CharField(_("feedback on"), max_length=15, choices=SubjectKind.choices)
    subject = models.CharField(_("subject"), max_length=400)
    start_on = models.DateField(_("collecting from"))
    end_on = models.DateField(_("collecting until"))
    send_to = models.CharField(_("report sent to"), max_length=250)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    reported_on = models.DateField(_("report sent on"), null=True, blank=True)
    report_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("consolidated report"),
    )  # fmt: skip
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")),
                name="oversight_feedback_round_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "reported_on"], name="oversight_feedback_rep_idx"),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    def save(self, *args: object, **kwargs: object) -> None:
        self.title_folded = fold(self.title)[:400]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "title_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class FeedbackOpinion(models.Model):
    """An opinion collected in a round, with where it came from: a residents' meeting (in a
    commune), an organization, or a citizen."""

    class SourceKind(models.TextChoices):
        RESIDENTS = "residents", _("residents' meeting")
        ORGANIZATION = "organization", _("organization")
        CITIZEN = "citizen", _("citizen")

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="opinions")
    source_kind = models.CharField(_("source"), max_length=12, choices=SourceKind.choices)
    source_name = models.CharField(_("given by"), max_length=250)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organization"),
    )  # fmt: skip
    commune = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("commune"),
    )  # fmt: skip
    content = models.TextField(_("opinion"))
    received_on = models.DateField(_("received on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion of a feedback round")
        verbose_name_plural = _("opinions of a feedback round")
        ordering = ["round", "source_kind", "id"]
        indexes = [
            models.Index(fields=["round", "commune"], name="oversight_feedback_op_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.content[:80]}"
