"""Fund for the Poor: funds, campaigns and the append-only ledger, chained by a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khoi.org.models import AdminUnit, JointOffice

GENESIS_HASH = "0" * 64


class Fund(models.Model):
    """The Fund for the Poor of one unit at one level, with the head of its ledger chain."""

    class Level(models.TextChoices):
        COMMUNE = "commune", _("commune")
        TOWN = "town", _("town / district")
        PROVINCE = "province", _("province")

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    office = models.ForeignKey(
        JointOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="funds"
    )
    accountants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="fund_accountant_of"
    )
    requires_donor = models.BooleanField(_("receipts must name a donor"), default=False)
    requires_campaign = models.BooleanField(_("receipts must name a campaign"), default=False)
    running_cost_cap_percent = models.PositiveSmallIntegerField(
        _("running costs cap (percentage of the year's receipts)"), default=5
    )
    # head of the hash chain: locked (select_for_update) while an entry is appended
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level"], name="fund_one_per_unit_level"),
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A drive of the fund (the peak month 17/10–18/11, a relief drive…)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="fund_campaign_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The fields the hash covers, in the order ``entry_payload`` takes them (``fund_verify``
# reads exactly these columns, without building model instances).
HASHED_FIELDS = (
    "fund_id", "seq", "kind", "sign", "amount", "number", "date", "donor_kind", "donor_name",
    "channel", "campaign_id", "purpose", "beneficiary", "decision_ref", "reverses_id", "note",
    "created_by_id", "created_at",
)  # fmt: skip


def entry_payload(
    fund: int, seq: int, kind: str, sign: int, amount: int, number: str, date: str,
    donor_kind: str, donor_name: str, channel: str, campaign: int | None, purpose: str,
    beneficiary: str, decision_ref: str, reverses: int | None, note: str,
    created_by: int | None, created_at: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "fund": fund, "seq": seq, "kind": kind, "sign": sign, "amount": amount,
        "date": date, "number": number, "donor_kind": donor_kind, "donor_name": donor_name,
        "channel": channel, "campaign": campaign, "purpose": purpose,
        "beneficiary": beneficiary, "decision_ref": decision_ref, "reverses": reverses,
        "note": note, "created_by": created_by, "created_at": created_at,
    }  # fmt: skip


def ledger_key() -> bytes:
    """The key of the ledger chain's HMAC, never stored in the database: derived from the
    audit log's key source (``khoi.audit.models.chain_key``: ``KHOI_AUDIT_KEY`` from the
    environment, with the same development fallback and the same production rule), for the
    ledger's own use only. Someone who can write the database but does not hold the key
    cannot recompute a chain ``fund_verify`` accepts. Changing the key means re-sealing
    the ledgers (as migration 0011 did from the unkeyed chain)."""
    from khoi.audit.models import chain_key

    return hmac.new(chain_key(), b"khoi-fund-ledger-chain", hashlib.sha256).digest()


def entry_body(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def chain_hash(prev_hash: str, payload: dict[str, Any], key: bytes | None = None) -> str:
    """HMAC-SHA256 (key: ``ledger_key``) of the previous hash and the entry's content."""
    body = entry_body(payload)
    return hmac.new(key or ledger_key(), (prev_hash + body).encode(), hashlib.sha256).hexdigest()


def unkeyed_chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    """The chain before migration 0011 (plain SHA-256, no key): only to check old ledgers
    before they are re-sealed."""
    return hashlib.sha256((prev_hash + entry_body(payload)).encode()).hexdigest()


class Entry(models.Model):
    """One posted ledger entry. Never updated or deleted (the database refuses it too).

    ``amount`` is always positive; ``sign`` is +1 for money in, -1 for money out. A
    reversal carries the opposite sign of the entry it names in ``reverses``.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        EXPENDITURE = "expenditure", _("expenditure")
        REVERSAL = "reversal", _("reversal")

    class DonorKind(models.TextChoices):
        # the donor's kind, with its own context: "person" and "anonymous" have other
        # Vietnamese words elsewhere (a staff member, an anonymous petition)
        PERSON = "person", pgettext_lazy("donor", "person")
        ORGANIZATION = "organization", pgettext_lazy("donor", "organization")
        ANONYMOUS = "anonymous", pgettext_lazy("donor", "anonymous")

    class Channel(models.TextChoices):
        CASH = "cash", _("cash")
        TRANSFER = "transfer", _("bank transfer")

    class Purpose(models.TextChoices):
        HOUSING_NEW = "housing_new", _("housing: new build")
        HOUSING_REPAIR = "housing_repair", _("housing: repair")
        LIVELIHOOD = "livelihood", _("livelihood")
        SCHOOLING = "schooling", _("schooling")
        HEALTH = "health", _("health")
        HARDSHIP = "hardship", _("sudden hardship")
        RUNNING = "running", _("running costs")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sign = models.SmallIntegerField()
    amount = models.BigIntegerField(_("amount (VND)"))
    date = models.DateField(_("date"))
    year_seq = models.PositiveIntegerField(default=0)
    number = models.CharField(_("number"), max_length=40)
    donor_kind = models.CharField(max_length=12, choices=DonorKind.choices, blank=True)
    donor_name = models.CharField(_("donor"), max_length=200, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    beneficiary = models.CharField(_("household or decision paid"), max_length=300, blank=True)
    decision_ref = models.CharField(_("decision reference"), max_length=100, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["fund", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "seq"], name="fund_entry_seq_unique"),
            models.UniqueConstraint(fields=["fund", "number"], name="fund_entry_number_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_entry_amount_pos"),
            models.CheckConstraint(condition=models.Q(sign__in=[1, -1]), name="fund_entry_sign"),
        ]
        indexes = [models.Index(fields=["fund", "date"], name="fund_entry_date_idx")]

    def __str__(self) -> str:
        # Vietnamese grouping ("-10.000.000"): this text is what the audit log shows
        return f"{self.number} ({self.signed_amount:+,})".replace(",", ".")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Posted ledger entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Posted ledger entries cannot be deleted.")

    @property
    def signed_amount(self) -> int:
        return self.sign * self.amount

    @property
    def is_anonymous(self) -> bool:
        return self.donor_kind == self.DonorKind.ANONYMOUS

    def payload(self) -> dict[str, Any]:
        """What the hash covers: everything that makes the entry what it is."""
        values: list[Any] = [getattr(self, f) for f in HASHED_FIELDS]
        values[6] = self.date.isoformat()
        values[17] = self.created_at.isoformat()
        return entry_payload(*values)

    def compute_hash(self, key: bytes | None = None) -> str:
        return chain_hash(self.prev_hash, self.payload(), key)


# --- Households ---------------------------------------------------------------------------


class PovertyStandard(models.Model):
    """A poverty standard ("chuẩn nghèo") with its source and the years it is in force."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    verified = models.BooleanField(_("checked against the source text"), default=False)

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household of a commune's register. ID number and phone are encrypted at rest."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    area_name = models.CharField(_("residential area"), max_length=200, blank=True)
    head_name = models.CharField(_("head of household"), max_length=200)
    head_name_folded = models.CharField(max_length=200, db_index=True)
    head_birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.JSONField(_("members"), default=list, blank=True)
    identity_token = models.TextField(blank=True)  # crypto.encrypt({"id_number", "phone"})
    id_masked = models.CharField(max_length=20, blank=True)
    phone_masked = models.CharField(max_length=20, blank=True)
    source = models.CharField(_("list it came from"), max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["unit", "head_name_folded"]
        indexes = [
            models.Index(fields=["unit", "head_name_folded"], name="fund_household_unit_idx")
        ]

    def __str__(self) -> str:
        return self.head_name


class PovertyStatus(models.Model):
    class Status(models.TextChoices):
        POOR = "poor", _("poor")
        NEAR_POOR = "near_poor", _("near-poor")
        ESCAPED = "escaped", _("escaped poverty")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="statuses")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    standard = models.ForeignKey(PovertyStandard, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("poverty status")
        verbose_name_plural = _("poverty statuses")
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="fund_status_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}: {self.status}"


class Support(models.Model):
    """A support a household received, from any organization."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="supports")
    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.CharField(_("organization"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Entry.Purpose.choices)
    amount = models.BigIntegerField(_("amount (VND)"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField()
    # the fund's own payment this support records (a housing tranche): reversing the entry
    # removes the support with it
    entry = models.ForeignKey(
        "Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ledger entry"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fund_support_amount")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year} {self.kind}"


class MatchDecision(models.Model):
    """The office's decision on a proposed match of two households (kept, audited)."""

    class Decision(models.TextChoices):
        SAME = "same", _("same household")
        DIFFERENT = "different", _("different households")

    first = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reasons = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("household match decision")
        verbose_name_plural = _("household match decisions")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="fund_match_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="fund_match_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}~{self.second_id}: {self.decision}"


# --- Housing support ("nhà Đại đoàn kết") ------------------------------------------------------


class HousingKind(models.TextChoices):
    NEW = "new", _("new build")
    REPAIR = "repair", _("repair")


class HousingAmount(models.Model):
    """The support amount for one kind of house, in a province (or nationally) and years."""

    kind = models.CharField(_("kind"), max_length=10, choices=HousingKind.choices)
    province = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (VND)"))
    # which programme and which households the level is for (a level of one programme is not
    # the level of another: e.g. "Project 5, poor households of poor districts")
    programme = models.CharField(_("programme and beneficiaries"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300)  # the citation only, printed
    # what was and was not checked, and where (not printed on the case or the decision)
    note = models.TextField(_("verification note"), blank=True)
    verified = models.BooleanField(_("checked against the source text"), default=False)

    class Meta:
        verbose_name = _("housing support amount")
        verbose_name_plural = _("housing support amounts")
        ordering = ["kind", "-year_from"]

    def __str__(self) -> str:
        return f"{self.kind} {self.year_from}: {self.amount}"


class AppraisalCriterion(models.Model):
    """One criterion of the on-site appraisal checklist, per province (or national)."""

    province = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField()
    label = models.CharField(_("criterion"), max_length=300)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("appraisal criterion")
        verbose_name_plural = _("appraisal criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class AcceptanceRole(models.Model):
    """One signing role of the acceptance record ("biên bản nghiệm thu").

    Data, not constants: the roles of an office if it set its own, else of the province,
    else the national defaults (migration ``0007``). Edited in the admin.
    """

    province = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        JointOffice, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(_("signing role"), max_length=200)
    required = models.BooleanField(_("must sign"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("acceptance record signing role")
        verbose_name_plural = _("acceptance record signing roles")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class HousingCase(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed by the residential area")
        VERIFIED = "verified", _("verified by the commune Front")
        APPRAISED = "appraised", _("appraised on site")
        APPROVED = "approved", _("approved by the standing board")
        DECIDED = "decided", _("decision issued")
        TRANCHE1 = "tranche1", _("first tranche paid")
        ACCEPTED = "accepted", _("construction accepted")
        TRANCHE2 = "tranche2", _("second tranche paid")
        HANDED_OVER = "handed_over", _("handed over")
        SETTLED = "settled", _("settled")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cases")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=HousingKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    amount = models.BigIntegerField(_("amount (VND)"))
    amount_source = models.CharField(max_length=300)
    tranche1_percent = models.PositiveSmallIntegerField(default=60)
    checklist = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("appraisal score"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_notation = models.CharField(max_length=60, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    # the ledger entries that paid the tranches (a reversed tranche is unlinked and the case
    # steps back: ``housing.on_entry_reversal``)
    tranche1_entry = models.OneToOneField(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="tranche1_of"
    )
    tranche2_entry = models.OneToOneField(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="tranche2_of"
    )
    acceptance_signers = models.JSONField(default=list, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    handed_over_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("housing support case")
        verbose_name_plural = _("housing support cases")
        ordering = ["-year", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="fund_case_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.household} ({self.year})"

    @property
    def tranche1_amount(self) -> int:
        return self.amount * self.tranche1_percent // 100

    @property
    def tranche2_amount(self) -> int:
        return self.amount - self.tranche1_amount


def case_photo_path(instance: CasePhoto, filename: str) -> str:
    return f"fund/cases/{instance.case_id}/{instance.stage}-{filename}"


class CasePhoto(models.Model):
    class Stage(models.TextChoices):
        APPRAISAL = "appraisal", _("appraisal")
        PROGRESS = "progress", _("construction progress")

    case = models.ForeignKey(HousingCase, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    file = models.FileField(upload_to=case_photo_path)
    content_type = models.CharField(max_length=40)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")

    def __str__(self) -> str:
        return str(self.file.name)
