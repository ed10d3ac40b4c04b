from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khoi import clock
from khoi.lib.vntext import fold, name_collation_key, nfc


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def subtree(self, unit: AdminUnit) -> AdminUnitQuerySet:
        """The unit and everything under it, by indexed ancestor columns (no recursion)."""
        return self.filter(subtree_q(unit))

    def current(self) -> AdminUnitQuerySet:
        return self.filter(era=AdminUnit.Era.CURRENT)


def active_q(prefix: str = "", day: datetime.date | None = None) -> Q:
    """Rows (memberships, grants…) in force on ``day`` (today by default).

    ``prefix`` reaches them through a relation (e.g. ``"memberships__"``); put the result
    in the same ``filter()`` as the other conditions on that relation.
    """

    on = day or clock.today()
    return Q(**{f"{prefix}start_on__lte": on}) & (
        Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": on})
    )


def subtree_q(unit: AdminUnit, prefix: str = "") -> Q:
    """A Q matching ``unit`` and its descendants; ``prefix`` reaches it through a relation."""
    if unit.level == AdminUnit.Level.PROVINCE:
        return Q(**{f"{prefix}pk": unit.pk}) | Q(**{f"{prefix}province": unit.pk})
    if unit.level == AdminUnit.Level.DISTRICT:
        return Q(**{f"{prefix}pk": unit.pk}) | Q(**{f"{prefix}district": unit.pk})
    return Q(**{f"{prefix}pk": unit.pk})


def province_shard_q(shard: int | None, prefix: str = "") -> Q:
    """A Q matching the units of one province (the province itself and every unit below
    it), or with ``shard=None`` the units that belong to no province. Over
    :func:`province_shards` these Qs split every unit once: what a batch job split into one
    task per province relies on. ``prefix`` reaches the unit through a relation
    (``"office__unit__"``)."""
    if shard is None:
        return Q(**{f"{prefix}province__isnull": True}) & ~Q(
            **{f"{prefix}level": AdminUnit.Level.PROVINCE}
        )
    return Q(**{f"{prefix}pk": shard}) | Q(**{f"{prefix}province": shard})


def province_shards() -> list[int | None]:
    """The current provinces by code, then the former provinces (before 1 July 2025) that
    still hold a joint office in their tree, then ``None`` for units outside any province:
    the shards of a batch job run as one task per province.

    A former province no longer exists: with no office in its tree its task would find
    nothing to do, so it gets none; one that still holds an office (records kept on the
    former units) keeps its task, so that no office's work falls out of every shard."""
    offices = JointOffice.objects.filter(
        Q(unit=models.OuterRef("pk")) | Q(unit__province=models.OuterRef("pk"))
    )
    ids: list[int | None] = list(
        AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE)
        .filter(Q(era=AdminUnit.Era.CURRENT) | models.Exists(offices))
        .order_by("era", "code")
        .values_list("pk", flat=True)
    )
    return [*ids, None]


class AdminUnit(models.Model):
    """A province, a (former) district, or a commune / ward / special zone.

    Two trees live side by side: the current one (from 1 July 2025: province → commune)
    and the former one (province → district → commune). ``province`` and ``district``
    are the unit's ancestors, stored so that a whole subtree is one indexed query.
    """

    class Era(models.TextChoices):
        CURRENT = "current", _("current (from 1 July 2025)")
        FORMER = "former", _("former (before 1 July 2025)")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        DISTRICT = 2, _("district")
        COMMUNE = 3, _("commune")

    era = models.CharField(_("era"), max_length=8, choices=Era.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("division type"), max_length=40)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["era", "code"]
        constraints = [
            models.UniqueConstraint(fields=["era", "code"], name="org_unit_era_code_unique"),
        ]
        indexes = [models.Index(fields=["era", "level"], name="org_unit_era_level_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.era == self.Era.CURRENT

    def ancestors(self) -> list[AdminUnit]:
        """Province first, then district, without the unit itself."""
        return [u for u in (self.province, self.district) if u is not None]


class UnitSuccession(models.Model):
    """A former unit (or part of it) that became part of a current unit on 1 July 2025."""

    former = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successors")
    current = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessors")
    partial = models.BooleanField(_("partly merged"), default=False)
    effective_on = models.DateField(default=datetime.date(2025, 7, 1))

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["former", "current"], name="org_succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.former} → {self.current}"


class ResidentialArea(models.Model):
    """A village, quarter or residential group inside a commune."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("village (thôn)")
        QUARTER = "quarter", _("quarter (khu phố)")
        GROUP = "group", _("residential group (tổ dân phố)")
        AREA = "area", _("residential area (khu dân cư)")
        HAMLET = "hamlet", _("hamlet (ấp, bản)")

    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="residential_areas"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AREA)
    name = models.CharField(_("name"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False)

    class Meta:
        verbose_name = _("residential area")
        verbose_name_plural = _("residential areas")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name_folded"], name="org_area_commune_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = nfc(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Organization(models.Model):
    """The Front committee or a member organization at one unit."""

    class Kind(models.TextChoices):
        FRONT = "front", _("Fatherland Front committee")
        WOMEN = "women", _("Women's Union")
        YOUTH = "youth", _("Youth Union")
        FARMERS = "farmers", _("Farmers' Association")
        VETERANS = "veterans", _("Veterans' Association")
        LABOUR = "labour", _("Trade Union")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="organizations")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("superior body"),
    )
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["unit_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="org_organization_unit_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = nfc(self.name)
        self.name_folded = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class JointOffice(models.Model):
    """The joint advisory and support office (Cơ quan Khối) of one unit."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=250)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="offices")
    established_on = models.DateField(_("established on"), null=True, blank=True)
    organizations = models.ManyToManyField(
        Organization, related_name="offices", verbose_name=_("member organizations")
    )

    class Meta:
        verbose_name = _("joint office")
        verbose_name_plural = _("joint offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SubCommittee(models.Model):
    """A working group of the office (tiểu ban)."""

    office = models.ForeignKey(JointOffice, on_delete=models.CASCADE, related_name="subcommittees")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("sub-committee")
        verbose_name_plural = _("sub-committees")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="org_subcommittee_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A member of staff, a leader or a commune official (cán bộ)."""

    class Gender(models.TextChoices):
        FEMALE = "f", _("female")
        MALE = "m", _("male")

    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_name = nfc(self.full_name)
        self.name_key = name_collation_key(self.full_name)[:255]
        self.name_folded = fold(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "name_key", "name_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Membership(models.Model):
    """A person's position in an organization, an office or a sub-committee, over time."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        STANDING_VICE_CHAIR = "standing_vice_chair", _("standing vice-chair")
        VICE_CHAIR = "vice_chair", _("vice-chair")
        STANDING_MEMBER = "standing_member", _("standing board member")
        OFFICE_HEAD = "office_head", _("head of the joint office")
        OFFICE_DEPUTY = "office_deputy", _("deputy head of the joint office")
        STAFF = "staff", _("staff")
        REPORTER = "reporter", _("commune reporter")
        MEMBER = "member", _("member")

    LEADER_ROLES = frozenset(
        {Role.CHAIR, Role.STANDING_VICE_CHAIR, Role.VICE_CHAIR, Role.STANDING_MEMBER}
    )

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    office = models.ForeignKey(
        JointOffice,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("joint office"),
    )
    subcommittee = models.ForeignKey(
        SubCommittee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("sub-committee"),
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, office__isnull=True, subcommittee__isnull=True)
                    | Q(organization__isnull=True, office__isnull=False, subcommittee__isnull=True)
                    | Q(organization__isnull=True, office__isnull=True, subcommittee__isnull=False)
                ),
                name="org_membership_one_target",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="org_membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def target(self) -> Organization | JointOffice | SubCommittee:
        target = self.organization or self.office or self.subcommittee
        assert target is not None
        return target

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on >= day)


class Delegation(models.Model):
    """The head's delegation to a deputy: from ``start_on`` to ``end_on`` (inclusive; open
    when empty) the deputy acts for the head of ``office`` — approves, assigns, closes — as
    the head would. The deputy must hold the deputy role in that office on those days."""

    office = models.ForeignKey(
        JointOffice, on_delete=models.CASCADE, related_name="delegations",
        verbose_name=_("joint office"),
    )  # fmt: skip
    deputy = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("deputy")
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("scope or reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="org_delegation_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} ({self.start_on:%d/%m/%Y})"


class UnitGrant(models.Model):
    """Read-only access to a unit subtree (auditors, superior bodies)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_grants"
    )
    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit grant")
        verbose_name_plural = _("unit grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="org_unitgrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"
