"""Supervision (giám sát): programmes, supervisions, legal bases, lead times, delegations.

Legal bases and lead times are data with their source and dates in force (the Party's
rules on supervision changed in 2013 and 2023): the site administrator edits them in the
admin; ``khoi.oversight.statutory`` seeds the defaults and chooses the one in force on a
date.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khoi.org.models import AdminUnit, JointOffice, Organization, Person

__all__ = [
    "DelegationMember",
    "LeadTime",
    "LegalBasis",
    "Programme",
    "Supervision",
    "WorkingSession",
]


def _user_fk() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


def _document_fk(label: Any) -> models.ForeignKey:
    return models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=label,
    )


class LegalBasis(models.Model):
    """A rule supervision rests on (e.g. 217-QĐ/TW of 12/12/2013), with its dates in force."""

    class Scope(models.TextChoices):
        SUPERVISION = "supervision", _("supervision and social criticism")
        FEEDBACK = "feedback", _("feedback on Party and government building")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=300)
    number = models.CharField(_("number and notation"), max_length=80)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    scope = models.CharField(
        _("scope"), max_length=12, choices=Scope.choices, default=Scope.SUPERVISION
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["-valid_from", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="oversight_legal_basis_once"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="oversight_legal_basis_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class LeadTime(models.Model):
    """A lead time of the supervision steps (plan sent N days before the session…)."""

    class Key(models.TextChoices):
        PLAN_BEFORE = "plan_before", _("plan sent to the body before the first session")
        BODY_REPORT_BEFORE = "body_report_before", _("body's report before the first session")
        REPORT_AFTER = "report_after", _("delegation's report after the last session")
        ANSWER_AFTER = "answer_after", _("answer to a recommendation after it is sent")

    key = models.CharField(_("step"), max_length=20, choices=Key.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    working_days = models.BooleanField(_("working days"), default=True)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    legal_basis = models.ForeignKey(
        LegalBasis,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("legal basis"),
    )

    class Meta:
        verbose_name = _("lead time")
        verbose_name_plural = _("lead times")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="oversight_lead_time_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.days}"


class Programme(models.Model):
    """The yearly supervision and social criticism programme of the Front or one member
    organization, built in the last quarter of the year before."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")

    office = models.ForeignKey(
        JointOffice, on_delete=models.PROTECT, related_name="oversight_programmes"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision programme")
        verbose_name_plural = _("supervision programmes")
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "organization", "year"], name="oversight_programme_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def built_out_of_season(self) -> bool:
        """The programme of year Y is built in the last quarter of Y-1: a programme made
        at another time is flagged (never refused: a late programme is still a programme)."""
        if self.created_at is None:
            return False
        made = timezone.localtime(self.created_at).date()
        return not (made.year == self.year - 1 and made.month >= 10)


class Supervision(models.Model):
    """One supervision: planned in a programme, then carried out."""

    class Form(models.TextChoices):
        DOCUMENTS = "documents", _("review of documents")
        DELEGATION = "delegation", _("supervision delegation")
        INSPECTION_BOARD = "inspection_board", _("through the People's Inspection Board")
        INVESTMENT_BOARD = (
            "investment_board",
            _("through the community investment supervision board"),
        )
        JOINING = "joining", _("joining another body's supervision")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_WAY = "under_way", _("under way")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="supervisions")
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisions",
        verbose_name=_("programme"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organization"),
    )
    unit = models.ForeignKey(
        AdminUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
    )
    subject = models.CharField(_("subject"), max_length=300)
    subject_folded = models.CharField(
        _("subject, as searched"), max_length=300, editable=False, blank=True
    )
    body = models.CharField(_("supervised body"), max_length=250)
    body_key = models.CharField(
        _("body, as compared"), max_length=250, editable=False, db_index=True
    )
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    legal_basis = models.ForeignKey(
        LegalBasis,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("legal basis"),
    )
    planned_from = models.DateField(_("planned from"))
    planned_until = models.DateField(_("planned until"))
    key_project = models.ForeignKey(
        "petitions.KeyProject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("key project"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    decision_document = _document_fk(_("decision setting up the delegation"))
    decision_on = models.DateField(_("decision dated"), null=True, blank=True)
    plan_document = _document_fk(_("plan sent to the body"))
    plan_sent_on = models.DateField(_("plan sent on"), null=True, blank=True)
    body_report_document = _document_fk(_("the body's own report"))
    body_report_on = models.DateField(_("body's report received on"), null=True, blank=True)
    report_document = _document_fk(_("the delegation's report"))
    report_on = models.DateField(_("delegation's report dated"), null=True, blank=True)
    summary = models.TextField(_("findings"), blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-planned_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_until__gte=models.F("planned_from")),
                name="oversight_supervision_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "planned_from"], name="oversight_sup_planned_idx"),
            models.Index(fields=["office", "body_key"], name="oversight_sup_body_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.body}"

    def save(self, *args: object, **kwargs: object) -> None:
        from khoi.lib.vntext import fold
        from khoi.oversight.models.recommendations import body_key

        self.body_key = body_key(self.body)
        self.subject_folded = fold(self.subject)[:300]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = set()
            if "body" in update_fields:  # type: ignore[operator]
                extra.add("body_key")
            if "subject" in update_fields:  # type: ignore[operator]
                extra.add("subject_folded")
            kwargs["update_fields"] = {*update_fields, *extra}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class DelegationMember(models.Model):
    """A member of a supervision delegation (from any organization of the office)."""

    class Role(models.TextChoices):
        HEAD = "head", _("head of the delegation")
        DEPUTY = "deputy", _("deputy head")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("secretary")

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["supervision", "person"], name="oversight_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.get_role_display()})"


class WorkingSession(models.Model):
    """A working session of the delegation with the supervised body, with its minutes."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_document = _document_fk(_("minutes document"))
    created_by = _user_fk()

    class Meta:
        verbose_name = _("working session")
        verbose_name_plural = _("working sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.supervision_id}: {self.held_on:%d/%m/%Y}"
