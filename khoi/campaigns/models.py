"""Campaigns, emulation movements, practice models, indicators, figures, scoring, awards."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from khoi.org.models import AdminUnit, JointOffice, Organization, ResidentialArea


def _user_fk(related: str = "+") -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related,
    )


class Campaign(models.Model):
    """A campaign (cuộc vận động) or an emulation movement (phong trào thi đua)."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("campaign")
        MOVEMENT = "movement", _("emulation movement")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="campaigns")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    launch_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("launching document"),
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="campaigns",
        verbose_name=_("organizations taking part"),
    )
    criteria = models.TextField(_("criteria (one per line)"), blank=True)
    created_by = _user_fk()

    class Meta:
        verbose_name = _("campaign or movement")
        verbose_name_plural = _("campaigns and movements")
        ordering = ["-start_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="campaigns_campaign_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def criteria_lines(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]


class PracticeModel(models.Model):
    """A recognised practice (mô hình), e.g. "Khu dân cư văn hóa an toàn giao thông"."""

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="models"
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("practice model")
        verbose_name_plural = _("practice models")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class ModelHolding(models.Model):
    """A residential area (or a commune) that holds a practice model, since when."""

    model = models.ForeignKey(PracticeModel, on_delete=models.CASCADE, related_name="holdings")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        ResidentialArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recognised_on = models.DateField(_("recognised on"))
    re_recognised_on = models.DateField(_("re-recognised on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("model holding")
        verbose_name_plural = _("model holdings")
        ordering = ["model", "commune_id", "area_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "commune", "area"], name="campaigns_holding_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model}: {self.area or self.commune}"


class SolidarityDayEvent(models.Model):
    """The Great Solidarity Day (18/11) held in one residential area in one year."""

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(ResidentialArea, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    held_on = models.DateField(_("held on"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    funds_raised = models.PositiveBigIntegerField(_("funds raised (VND)"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("Great Solidarity Day event")
        verbose_name_plural = _("Great Solidarity Day events")
        ordering = ["-year", "commune_id", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="campaigns_solidarity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.area} — {self.year}"


class CulturalTitle(models.Model):
    """A cultural title ("gia đình văn hóa", "khu dân cư văn hóa")."""

    class Level(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        AREA = "area", _("residential area")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("cultural title")
        verbose_name_plural = _("cultural titles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CriteriaSet(models.Model):
    """One version of the criteria of a cultural title, with its source and dates in force."""

    title = models.ForeignKey(CulturalTitle, on_delete=models.CASCADE, related_name="criteria_sets")
    version = models.CharField(_("version"), max_length=40)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    criteria = models.JSONField(_("criteria"), default=list)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["title", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["title", "version"], name="campaigns_criteria_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Indicator(models.Model):
    """An indicator (chỉ tiêu) of a campaign, reported per residential area or commune."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("number")
        PERCENT = "percent", _("percentage")
        YESNO = "yesno", _("yes / no")
        TEXT = "text", _("text")

    class Level(models.TextChoices):
        AREA = "area", _("residential area")
        COMMUNE = "commune", _("commune")

    class PeriodKind(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")
        HALF = "half", _("half-year")
        YEAR = "year", _("year")

    class Aggregation(models.TextChoices):
        """How the periods of a year make the yearly figure (areas are always summed)."""

        SUM = "sum", _("sum of the periods")
        LAST = "last", _("value of the last period")
        AVERAGE = "average", _("average of the periods")
        MAX = "max", _("largest value of the periods")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    level = models.CharField(_("reported by"), max_length=8, choices=Level.choices)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    min_value = models.DecimalField(
        _("smallest value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    aggregation = models.CharField(
        _("yearly figure"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["campaign", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="campaigns_indicator_code"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="campaigns_indicator_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Target(models.Model):
    """The target of an indicator for one commune (or residential area) and one year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        ResidentialArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "commune", "year"],
                condition=Q(area__isnull=True),
                name="campaigns_target_commune_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "area", "year"],
                condition=Q(area__isnull=False),
                name="campaigns_target_area_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class Submission(models.Model):
    """One commune's figures of one campaign for one period, and their approval state."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being entered")
        SUBMITTED = "submitted", _("submitted, waiting for approval")
        RETURNED = "returned", _("returned for correction")
        APPROVED = "approved", _("approved (locked)")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_by = _user_fk()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = _user_fk()
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["campaign", "period", "commune_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune", "period"], name="campaigns_submission_once"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "year"], name="campaigns_sub_year_idx")]

    def __str__(self) -> str:
        return f"{self.commune} — {self.period}"

    @property
    def locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)


def evidence_path(instance: Value, filename: str) -> str:
    return f"campaigns/evidence/{instance.commune_id}/{instance.period}/{filename}"


class Value(models.Model):
    """One figure: an indicator × a commune (or one of its residential areas) × a period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        ResidentialArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=2, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=18, decimal_places=2, null=True)
    flag = models.BooleanField(_("yes / no"), null=True)
    text = models.TextField(_("text"), blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True, editable=False)
    entered_by = _user_fk()
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "commune", "period"],
                condition=Q(area__isnull=True),
                name="campaigns_value_commune_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "area", "period"],
                condition=Q(area__isnull=False),
                name="campaigns_value_area_once",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "period"], name="campaigns_value_grid_idx"),
            models.Index(fields=["indicator", "year"], name="campaigns_value_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}"

    @property
    def display(self) -> str:
        if self.flag is not None:
            return gettext("Yes") if self.flag else gettext("No")
        if self.numerator is not None and self.denominator:
            return f"{self.numerator.normalize():f}/{self.denominator.normalize():f}"
        if self.number is not None:
            return f"{self.number.normalize():f}"
        return self.text


class ProvinceTotal(models.Model):
    """The official roll-up of one indicator and period over every commune of one province
    (the province's own figures included): sums and counts as ``rollup.AGGREGATES`` computes
    them from the **approved** figures (those whose submission is approved). Never typed:
    the services write it in the transaction of every change of a submission into or out of
    "approved" (``rollup.refresh_submission_totals``), bulk loads rebuild it
    (``rollup.rebuild_province_totals``, ``manage.py campaign_totals``). ``province`` is
    empty for figures of a unit without a province above it."""

    province = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    s_number = models.DecimalField(
        _("sum of the numbers"), max_digits=28, decimal_places=2, null=True
    )
    s_num = models.DecimalField(
        _("sum of the numerators"), max_digits=28, decimal_places=2, null=True
    )
    s_den = models.DecimalField(
        _("sum of the denominators"), max_digits=28, decimal_places=2, null=True
    )
    n_yes = models.PositiveIntegerField(_("answers yes"), default=0)
    n_ans = models.PositiveIntegerField(_("answers given"), default=0)

    class Meta:
        verbose_name = _("province total")
        verbose_name_plural = _("province totals")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "indicator", "period"], name="campaigns_provtotal_once"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period"], name="campaigns_provtotal_ind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.indicator_id} {self.period}"


# --- Emulation clusters and scoring -------------------------------------------------------


class Cluster(models.Model):
    """An emulation cluster or bloc (cụm, khối thi đua) of communes or organizations."""

    class Kind(models.TextChoices):
        COMMUNES = "communes", _("communes")
        ORGANIZATIONS = "organizations", _("organizations")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("members are"), max_length=14, choices=Kind.choices)

    class Meta:
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        ordering = ["cluster", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, organization__isnull=True)
                | Q(unit__isnull=True, organization__isnull=False),
                name="campaigns_member_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Pledge(models.Model):
    """The emulation pledge a member signs at the start of the year."""

    member = models.ForeignKey(ClusterMember, on_delete=models.CASCADE, related_name="pledges")
    year = models.PositiveSmallIntegerField(_("year"))
    signed_on = models.DateField(_("signed on"))
    content = models.TextField(_("content"))

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="campaigns_pledge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"


class ScoringTable(models.Model):
    """The scoring table of a cluster for one year."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="tables")
    year = models.PositiveSmallIntegerField(_("year"))
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("indicators from"),
    )
    base_points = models.DecimalField(_("base points"), max_digits=8, decimal_places=2, default=0)
    total_weight = models.DecimalField(
        _("weights must add up to"), max_digits=8, decimal_places=2, default=Decimal(100)
    )

    class Meta:
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="campaigns_table_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}"


class Criterion(models.Model):
    class Kind(models.TextChoices):
        WEIGHTED = "weighted", _("weighted criterion")
        BONUS = "bonus", _("bonus points")
        PENALTY = "penalty", _("penalty points")

    class Source(models.TextChoices):
        MANUAL = "manual", _("scored by hand")
        INDICATOR = "indicator", _("from an indicator")
        ACTIVITIES = "activities", _("from activities and joint work")

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.WEIGHTED)
    weight = models.DecimalField(_("weight (largest points)"), max_digits=8, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["table", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ManualScore(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(ClusterMember, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=500)
    scored_by = _user_fk()

    class Meta:
        verbose_name = _("score given by hand")
        verbose_name_plural = _("scores given by hand")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "member"], name="campaigns_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


# --- Commendations ------------------------------------------------------------------------


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) in force from a date, with its source."""

    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    valid_from = models.DateField(_("in force from"), unique=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount} ({self.valid_from:%d/%m/%Y})"


class AwardForm(models.Model):
    """A title or form of commendation and its reward, as a multiple of the base salary.

    Rows are versioned by the law in force (``valid_from``/``valid_until``, ``source``);
    ``prerequisite`` names a lower award the nominee must have received within
    ``prerequisite_years`` years before.
    """

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("certificate of merit")
        FLAG = "flag", _("emulation flag")
        TITLE = "title", _("emulation title")
        PAPER = "paper", _("letter of commendation")

    class Nominee(models.TextChoices):
        COLLECTIVE = "collective", _("collective")
        INDIVIDUAL = "individual", _("individual")

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    nominee = models.CharField(
        pgettext_lazy("award nominee", "for"), max_length=10, choices=Nominee.choices
    )
    coefficient = models.DecimalField(
        _("reward (times the base salary)"), max_digits=6, decimal_places=2
    )
    source = models.CharField(_("source"), max_length=300)
    citation = models.CharField(
        _("legal basis (printed in decisions)"),
        max_length=300,
        blank=True,
        help_text=_(
            "The decree as a decision cites it, e.g. “Decree No. 98/2023/ND-CP of the Government”."
        ),
    )
    review_note = models.CharField(_("reviewer's note (never printed)"), max_length=300, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    prerequisite = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requires earlier"),
    )
    prerequisite_years = models.PositiveSmallIntegerField(_("within years"), default=0)

    class Meta:
        verbose_name = _("form of commendation")
        verbose_name_plural = _("forms of commendation")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="campaigns_award_version"),
        ]

    def __str__(self) -> str:
        return self.name


class AwardRecord(models.Model):
    """An award received earlier (history), used to check prerequisites. Kept per office: a
    namesake's award recorded by another office never satisfies a prerequisite here."""

    office = models.ForeignKey(
        JointOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominee_key = models.CharField(max_length=300, db_index=True, editable=False)
    nominee_name = models.CharField(_("nominee"), max_length=300)
    form_code = models.SlugField(_("form"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.CharField(_("decision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("award received")
        verbose_name_plural = _("awards received")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.nominee_name}: {self.form_code} {self.year}"


class Proposal(models.Model):
    """A proposal for a commendation, its council vote and its decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PASSED = "passed", _("passed by the council")
        REJECTED = "rejected", _("not passed")
        DECIDED = "decided", _("decided")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    proposer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposing organization"),
    )
    form = models.ForeignKey(AwardForm, on_delete=models.PROTECT, related_name="+")
    nominee_name = models.CharField(_("nominee"), max_length=300)
    nominee_key = models.CharField(max_length=300, editable=False)
    year = models.PositiveSmallIntegerField(_("year of the achievement"))
    achievement = models.TextField(_("achievement"))
    achievement_key = models.CharField(max_length=400, editable=False, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    amount = models.PositiveBigIntegerField(_("reward (VND)"), default=0)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    council_members = models.PositiveSmallIntegerField(_("council members"), null=True, blank=True)
    voted_on = models.DateField(_("voted on"), null=True, blank=True)
    decision_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("proposed on"))
    created_by = _user_fk()

    class Meta:
        verbose_name = _("commendation proposal")
        verbose_name_plural = _("commendation proposals")
        ordering = ["-year", "nominee_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["achievement_key"],
                condition=~Q(status="rejected"),
                name="campaigns_achievement_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form}: {self.nominee_name} ({self.year})"


class Reminder(models.Model):
    """A reminder sent to a commune that has not reported a period (at most one a day)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=8)
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune", "period", "sent_on"], name="campaigns_remind_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.period} {self.sent_on}"
