"""Land clearance (GPMB) of the key projects: the coordination rules signed with the
People's Committee and their obligations, the affected households and their stages (with
history), mobilization visits and dialogues. Imported by ``khoi.petitions.models``.

A household that is in the fund's household register is linked by its id
(``register_id``) only: its name and address stay in the register and are read through
``khoi.registry.household_cards`` (this app never imports the fund's models).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, JointOffice


class CoordinationRules(models.Model):
    """Coordination rules (quy chế phối hợp) between the office and a body (the People's
    Committee) on land clearance; the signed text is a document of the register, linked
    through the register's generic links."""

    office = models.ForeignKey(
        JointOffice, on_delete=models.PROTECT, related_name="coordination_rules",
        verbose_name=_("joint office"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    counterpart = models.CharField(_("signed with"), max_length=250)
    signed_on = models.DateField(_("signed on"))
    projects = models.ManyToManyField(
        "petitions.KeyProject", related_name="coordination_rules", blank=True,
        verbose_name=_("key projects"),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("coordination rules")
        verbose_name_plural = _("coordination rules")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Obligation(models.Model):
    """One obligation of coordination rules: who must do what, by when."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("obligation", "open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("no longer applies")

    rules = models.ForeignKey(
        CoordinationRules, on_delete=models.CASCADE, related_name="obligations",
        verbose_name=_("coordination rules"),
    )  # fmt: skip
    owner = models.CharField(
        _("responsible body"), max_length=250,
        help_text=_("The organization or body that must carry it out."),
    )  # fmt: skip
    content = models.TextField(_("content"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="petitions_obligation_due_idx")]

    def __str__(self) -> str:
        return f"{self.owner}: {self.content[:80]}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class Stage(models.TextChoices):
    NOTIFIED = "notified", _("notified of the land recovery")
    INVENTORIED = "inventoried", _("inventoried")
    PLAN_POSTED = "plan_posted", _("compensation plan posted")
    AGREED = "agreed", _("agreed")
    PAID = "paid", _("paid")
    HANDED_OVER = "handed_over", _("land handed over")
    COMPLAINT = "complaint", _("complaint")


# The stages in the order they follow; a complaint may come at any point.
STAGE_ORDER = [
    Stage.NOTIFIED,
    Stage.INVENTORIED,
    Stage.PLAN_POSTED,
    Stage.AGREED,
    Stage.PAID,
    Stage.HANDED_OVER,
]


class AffectedHousehold(models.Model):
    """A household affected by a key project's land recovery.

    ``register_id`` names a household of the fund's register (name and address are read from
    there, never copied); a household not in the register keeps only the head's name and
    the residential area, for this project. ``progress`` is the last stage in order reached
    (kept through a complaint, so that leaving the complaint is measured against it).
    """

    project = models.ForeignKey(
        "petitions.KeyProject", on_delete=models.CASCADE, related_name="households",
        verbose_name=_("key project"),
    )  # fmt: skip
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune or ward")
    )
    register_id = models.PositiveBigIntegerField(
        _("household in the register"), null=True, blank=True
    )
    head_name = models.CharField(_("head of household"), max_length=200, blank=True)
    head_name_folded = models.CharField(max_length=200, blank=True, editable=False)
    area_name = models.CharField(_("residential area"), max_length=200, blank=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.NOTIFIED
    )
    progress = models.CharField(
        _("last stage in order"), max_length=12, choices=Stage.choices, default=Stage.NOTIFIED
    )
    stage_on = models.DateField(_("stage reached on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("affected household")
        verbose_name_plural = _("affected households")
        ordering = ["unit_id", "head_name_folded", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "register_id"],
                condition=Q(register_id__isnull=False),
                name="petitions_affected_register_once",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "unit", "stage"], name="petitions_affected_stage_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.pk or '?'}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.head_name_folded = fold(self.head_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "head_name" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "head_name_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class StageChange(models.Model):
    """One change of a household's stage (the history; never edited)."""

    household = models.ForeignKey(
        AffectedHousehold, on_delete=models.CASCADE, related_name="changes",
        verbose_name=_("affected household"),
    )  # fmt: skip
    from_stage = models.CharField(
        _("previous stage"), max_length=12, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(_("new stage"), max_length=12, choices=Stage.choices)
    on = models.DateField(_("date"))
    backwards = models.BooleanField(_("going back"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_stage} → {self.to_stage}"


class Visit(models.Model):
    """A mobilization visit to a household or a dialogue with the affected people."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("mobilization visit")
        DIALOGUE = "dialogue", _("dialogue")

    project = models.ForeignKey(
        "petitions.KeyProject", on_delete=models.CASCADE, related_name="visits",
        verbose_name=_("key project"),
    )  # fmt: skip
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune or ward")
    )
    household = models.ForeignKey(
        AffectedHousehold, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="visits", verbose_name=_("affected household"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    held_on = models.DateField(_("date"))
    by_whom = models.CharField(_("who went"), max_length=300)
    with_whom = models.CharField(_("with whom"), max_length=300)
    outcome = models.TextField(_("outcome"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("mobilization visit or dialogue")
        verbose_name_plural = _("mobilization visits and dialogues")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"
