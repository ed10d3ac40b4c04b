"""Social criticism (phản biện xã hội) of drafts: the statutory periods, the draft received,
its sections, the comments anchored to them, the critique issued and the drafting body's
answer to each point."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khoi.documents.models import Document
from khoi.lib.vntext import fold
from khoi.org.models import JointOffice, Organization

__all__ = ["CriticismRule", "Critique", "CritiqueComment", "CritiqueSection"]


class CriticismRule(models.Model):
    """A statutory period of social criticism, with its source and the dates it is in force.

    ``LEAD``: the least time the drafting body must leave between sending a draft and the
    date the critique is due (a draft received with less is flagged). ``ANSWER``: the time
    the drafting body has to answer the critique in writing. Rows are data, editable by the
    site administrator: a change of the law is a new row from its date, never an edit of
    history. The row in force on the draft's date of receipt applies.
    """

    class Kind(models.TextChoices):
        LEAD = "lead", _("least time to send a draft before the critique is due")
        ANSWER = "answer", _("time for the drafting body to answer a critique")

    class Counting(models.TextChoices):
        CALENDAR = "calendar", _("calendar days")
        WORKING = "working", _("working days")

    kind = models.CharField(_("kind of period"), max_length=10, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(_("number of days"))
    counting = models.CharField(
        _("days counted as"), max_length=10, choices=Counting.choices, default=Counting.CALENDAR
    )
    source = models.CharField(_("legal source"), max_length=300)
    article = models.CharField(_("article"), max_length=200, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("social criticism period")
        verbose_name_plural = _("social criticism periods")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "valid_from"], name="oversight_criticism_rule_once"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="oversight_criticism_rule_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} ({self.source})"

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Critique(models.Model):
    """A draft received for social criticism and the critique the office gives on it.

    ``received_on`` and ``due_on`` are the dates the draft arrived and the critique is due;
    ``status`` runs open → issued (the consolidated critique numbered in the register,
    ``issued_document``) → answered (the drafting body's written answer, point by point).
    """

    class DraftKind(models.TextChoices):
        POLICY = "policy", _("policy")
        PLAN = "plan", _("plan")
        PROGRAMME = "programme", _("programme")
        SCHEME = "scheme", _("scheme or project")
        LEGAL = "legal", _("legal document")
        OTHER = "other", _("other draft")

    class Form(models.TextChoices):
        CONFERENCE = "conference", _("criticism conference")
        WRITTEN = "written", _("written comments on the draft")
        DIALOGUE = "dialogue", _("direct dialogue with the drafting body")

    class Status(models.TextChoices):
        OPEN = "open", _("collecting comments")
        ISSUED = "issued", _("critique issued")
        ANSWERED = "answered", _("answered by the drafting body")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="critiques")
    title = models.CharField(_("draft"), max_length=400)
    title_folded = models.CharField(max_length=400, editable=False, blank=True)
    draft_kind = models.CharField(_("kind of draft"), max_length=10, choices=DraftKind.choices)
    drafting_body = models.CharField(_("drafting body"), max_length=250)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("critique due on"))
    form = models.CharField(_("form of criticism"), max_length=12, choices=Form.choices)
    held_on = models.DateField(_("conference or dialogue held on"), null=True, blank=True)
    received_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("letter sending the draft"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    issued_on = models.DateField(_("critique issued on"), null=True, blank=True)
    issued_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("critique document"),
    )  # fmt: skip
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("answer of the drafting body"),
    )  # fmt: skip
    answer_summary = models.TextField(_("summary of the answer"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("draft for social criticism")
        verbose_name_plural = _("drafts for social criticism")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")),
                name="oversight_critique_due_after_received",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "due_on"], name="oversight_critique_due_idx"),
            models.Index(fields=["office", "issued_on"], name="oversight_critique_issued_idx"),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    def save(self, *args: object, **kwargs: object) -> None:
        self.title_folded = fold(self.title)[:400]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "title_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def accepts_comments(self) -> bool:
        return self.status == self.Status.OPEN


class CritiqueSection(models.Model):
    """A section of the draft (entered, or cut from the pasted text at its headings)."""

    critique = models.ForeignKey(Critique, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"))
    heading = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text of the section"), blank=True)

    class Meta:
        verbose_name = _("section of a draft")
        verbose_name_plural = _("sections of a draft")
        ordering = ["critique", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["critique", "order"], name="oversight_critique_section_order"
            ),
        ]

    def __str__(self) -> str:
        return self.heading[:120]


class CritiqueComment(models.Model):
    """A point of the critique: a comment on one section (or on the draft as a whole) by a
    member of the Front's committee, an expert or an organization, and the drafting body's
    answer to it (accepted, partly, not accepted, with its explanation)."""

    class AuthorKind(models.TextChoices):
        MEMBER = "member", _("member of the Front's committee")
        EXPERT = "expert", _("expert or scientist")
        ORGANIZATION = "organization", _("organization")

    class Response(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        NOT_ACCEPTED = "not_accepted", _("not accepted")

    critique = models.ForeignKey(Critique, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        CritiqueSection, null=True, blank=True, on_delete=models.PROTECT,
        related_name="comments", verbose_name=_("section"),
    )  # fmt: skip
    author_kind = models.CharField(_("kind of author"), max_length=12, choices=AuthorKind.choices)
    author_name = models.CharField(_("author"), max_length=250)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organization"),
    )  # fmt: skip
    content = models.TextField(_("comment"))
    given_on = models.DateField(_("given on"))
    response = models.CharField(
        _("answer of the drafting body"), max_length=12, choices=Response.choices, blank=True
    )
    response_note = models.TextField(_("explanation of the drafting body"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("point of a critique")
        verbose_name_plural = _("points of a critique")
        ordering = ["critique", "id"]
        indexes = [
            models.Index(fields=["critique", "section"], name="oversight_critique_point_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.content[:80]}"
