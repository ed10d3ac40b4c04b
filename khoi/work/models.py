from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from khoi.lib.vntext import fold
from khoi.org.models import (
    AdminUnit,
    JointOffice,
    Organization,
    Person,
    ResidentialArea,
    SubCommittee,
)


class Programme(models.Model):
    """The annual work programme of an organization, or of the joint office itself."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="programmes")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organization"),
        help_text=_("Empty for the joint office's own programme."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ["-year", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "organization", "year"], name="work_programme_unique"
            ),
            models.UniqueConstraint(
                fields=["office", "year"],
                condition=Q(organization__isnull=True),
                name="work_programme_office_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Plan(models.Model):
    """A plan of an organization, a sub-committee or the office; may cite a directive."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("in force")
        CLOSED = "closed", _("closed")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="plans")
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
        verbose_name=_("work programme"),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("organization"),
    )
    subcommittee = models.ForeignKey(
        SubCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("sub-committee"),
    )
    number = models.CharField(_("number and notation"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    directive = models.CharField(
        _("implements"),
        max_length=200,
        blank=True,
        help_text=_("The directive it carries out, e.g. 11-NQ/TU."),
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Number, title and directive folded like every other search (khoi.lib.vntext.fold).
    search_folded = models.CharField(max_length=600, editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="work_plan_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(subcommittee__isnull=True),
                name="work_plan_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    SEARCHED = ("number", "title", "directive")

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_folded = fold(" ".join(getattr(self, f) for f in self.SEARCHED))[:600]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(self.SEARCHED) & set(update_fields):  # type: ignore[call-overload]
            kwargs["update_fields"] = {*update_fields, "search_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def owner(self) -> Organization | SubCommittee | JointOffice:
        return self.organization or self.subcommittee or self.office


class Kind(models.TextChoices):
    PROPAGANDA = "propaganda", _("propaganda")
    MOBILISATION = "mobilisation", _("mobilisation")
    TRAINING = "training", _("training / conference")
    INSPECTION = "inspection", _("inspection")
    SUPERVISION = "supervision", _("supervision")
    SURVEY = "survey", _("survey")
    EMULATION = "emulation", _("emulation")
    SUPPORT = "support", _("support")
    OTHER = "other", _("other")


class JointActivity(models.Model):
    """Joint work (việc chung): one activity run together by several organizations.

    The activities merged into it stay, linked through ``Activity.joint``, so every
    organization keeps its own credit.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed (awaiting the office head)")
        ACTIVE = "active", _("approved")
        DONE = "done", _("done")
        DISSOLVED = "dissolved", _("unmerged")

    office = models.ForeignKey(
        JointOffice, on_delete=models.PROTECT, related_name="joint_activities"
    )
    title = models.CharField(_("shared title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    lead = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_joint_activities",
        verbose_name=_("lead organization"),
    )
    co_organizers = models.ManyToManyField(
        Organization, related_name="joint_activities", verbose_name=_("co-organizers")
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    target_units = models.ManyToManyField(
        AdminUnit, related_name="+", blank=True, verbose_name=_("target units")
    )
    target_areas = models.ManyToManyField(
        ResidentialArea, related_name="+", blank=True, verbose_name=_("target residential areas")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["-start_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="work_joint_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """One activity of one organization (hoạt động)."""

    class Origin(models.TextChoices):
        LOCAL = "local", _("political task of the locality")
        VERTICAL = "vertical", _("own task from the superior body")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="activities")
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("plan"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("lead organization"),
    )
    participants = models.ManyToManyField(
        Organization,
        related_name="participating_activities",
        blank=True,
        verbose_name=_("participating organizations"),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.LOCAL
    )
    target_units = models.ManyToManyField(
        AdminUnit, related_name="targeting_activities", blank=True, verbose_name=_("target units")
    )
    target_areas = models.ManyToManyField(
        ResidentialArea,
        related_name="targeting_activities",
        blank=True,
        verbose_name=_("target residential areas"),
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    budget = models.PositiveBigIntegerField(_("budget (VND)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    joint = models.ForeignKey(
        JointActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("joint activity"),
    )
    # a key project the activity is carried out for (petitions' key projects, offered through
    # ``khoi.registry.ProjectDirectory``): the id only, work never imports petitions' models
    key_project_id = models.PositiveIntegerField(_("key project"), null=True, blank=True)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="work_activity_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["office", "start_on", "end_on"], name="work_activity_dates_idx"),
            models.Index(
                fields=["key_project_id"],
                name="work_activity_project_idx",
                condition=Q(key_project_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.title_folded = fold(self.title)[:300]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "title_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_merged(self) -> bool:
        return (
            self.joint_id is not None
            and self.joint is not None
            and (self.joint.status in (JointActivity.Status.ACTIVE, JointActivity.Status.DONE))
        )


class OverlapDismissal(models.Model):
    """A pair of activities judged "not an overlap": never proposed again."""

    first = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed overlap")
        verbose_name_plural = _("dismissed overlaps")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="work_dismissal_unique"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="work_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class Task(models.Model):
    """An assignment followed to the end (nhiệm vụ)."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        BLOCKED = "blocked", _("blocked")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class Priority(models.IntegerChoices):
        LOW = 1, _("low")
        NORMAL = 2, _("normal")
        HIGH = 3, _("high")
        URGENT = 4, _("urgent")

    OPEN = (Status.NEW, Status.IN_PROGRESS, Status.BLOCKED)

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
        verbose_name=_("activity"),
    )  # fmt: skip
    joint = models.ForeignKey(
        JointActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
        verbose_name=_("joint activity"),
    )  # fmt: skip
    source_label = models.CharField(max_length=200, blank=True, help_text="e.g. a meeting decision")
    assignee = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks",
        verbose_name=_("assignee"),
    )  # fmt: skip
    assignee_subcommittee = models.ForeignKey(
        SubCommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks",
        verbose_name=_("assigned sub-committee"),
    )  # fmt: skip
    due_on = models.DateField(_("due date"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    blocked_reason = models.TextField(_("why it is blocked"), blank=True)
    result_note = models.TextField(_("result"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(assignee_subcommittee__isnull=False),
                name="work_task_has_assignee",
            ),
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(blocked_reason=""),
                name="work_task_blocked_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(result_note=""),
                name="work_task_done_has_result",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "due_on"], name="work_task_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status in self.OPEN and self.due_on < today


def task_attachment_path(instance: TaskUpdate, filename: str) -> str:
    return f"tasks/{instance.task_id}/{filename}"


class TaskUpdate(models.Model):
    """A progress note on a task, optionally with an attachment."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"))
    status = models.CharField(_("status"), max_length=12, choices=Task.Status.choices, blank=True)
    attachment = models.FileField(_("attachment"), upload_to=task_attachment_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.note[:40]}"


class JointAddition(models.Model):
    """Adding an activity to existing joint work: office staff propose, the head approves
    (the head's own addition is approved at once)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed (awaiting the office head)")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    joint = models.ForeignKey(
        JointActivity,
        on_delete=models.CASCADE,
        related_name="additions",
        verbose_name=_("joint activity"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="joint_additions",
        verbose_name=_("activity"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("addition to joint work")
        verbose_name_plural = _("additions to joint work")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(status="proposed"),
                name="work_one_pending_addition_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} → {self.joint}"
