"""Admin: reference data is editable (poverty standards, housing amounts, criteria, funds);
ledger entries are read-only (no add, change or delete: the ledger is append-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from khoi.fund.models import (
    AcceptanceRole,
    AppraisalCriterion,
    Campaign,
    Entry,
    Fund,
    HousingAmount,
    HousingCase,
    PovertyStandard,
)


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin[Fund]):
    list_display = ["name", "unit", "level", "office", "running_cost_cap_percent"]
    readonly_fields = ["last_seq", "last_hash"]
    filter_horizontal = ["accountants"]
    raw_id_fields = ["unit", "office"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ["name", "fund", "start_on", "end_on"]
    raw_id_fields = ["fund"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin[Entry]):
    list_display = ["number", "fund", "kind", "amount", "date"]
    list_filter = ["kind"]
    raw_id_fields = ["fund"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PovertyStandard)
class PovertyStandardAdmin(admin.ModelAdmin[PovertyStandard]):
    list_display = ["name", "source", "valid_from", "valid_to", "verified"]


@admin.register(HousingAmount)
class HousingAmountAdmin(admin.ModelAdmin[HousingAmount]):
    list_display = ["kind", "province", "year_from", "year_to", "amount", "source", "verified"]
    raw_id_fields = ["province"]


@admin.register(AppraisalCriterion)
class AppraisalCriterionAdmin(admin.ModelAdmin[AppraisalCriterion]):
    list_display = ["label", "province", "points", "order"]
    raw_id_fields = ["province"]


@admin.register(AcceptanceRole)
class AcceptanceRoleAdmin(admin.ModelAdmin[AcceptanceRole]):
    """Who signs the acceptance record: per office, per province, or the national default."""

    list_display = ["label", "required", "office", "province", "order"]
    list_filter = ["required"]
    raw_id_fields = ["province", "office"]


@admin.register(HousingCase)
class HousingCaseAdmin(admin.ModelAdmin[HousingCase]):
    list_display = ["household", "year", "kind", "status", "score"]
    list_filter = ["status", "kind"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the workflow's services change cases (audited), not the admin
