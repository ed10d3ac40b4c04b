"""Admin: the fund's reference data (funds, campaigns, poverty standards, housing amounts,
appraisal criteria, acceptance roles) is editable, and every add, change and delete made
here goes through the audit log (``oversight.admin_audit.AuditedAdmin``). Ledger entries
and housing cases are read-only: no add, change or delete (the ledger is append-only; a
case moves only through the workflow's services, which check the order and the roles and
write the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from khoi.audit import services as audit
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
from khoi.oversight.admin_audit import AuditedAdmin


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Listed and viewable only: no add, no change, no delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Fund)
class FundAdmin(AuditedAdmin):
    audit_action = "fund.admin.fund"
    list_display = ["name", "unit", "level", "office", "running_cost_cap_percent"]
    readonly_fields = ["last_seq", "last_hash"]
    filter_horizontal = ["accountants"]
    raw_id_fields = ["unit", "office"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a fund holds a ledger: it is never deleted

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The accountants chosen here are audited one by one, as ``do_set_accountants``
        audits them on the fund's settings page."""
        fund = form.instance
        with transaction.atomic():
            before = set(fund.accountants.values_list("pk", flat=True)) if change else set()
            super().save_related(request, form, formsets, change)
            after = set(fund.accountants.values_list("pk", flat=True))
            for pk in sorted(after - before):
                audit.record(request.user, "fund.accountant.add", fund, {"user": pk},
                             office_id=fund.office_id)  # fmt: skip
            for pk in sorted(before - after):
                audit.record(request.user, "fund.accountant.remove", fund, {"user": pk},
                             office_id=fund.office_id)  # fmt: skip


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    audit_action = "fund.admin.campaign"
    list_display = ["name", "fund", "start_on", "end_on"]
    raw_id_fields = ["fund"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["number", "fund", "kind", "amount", "date"]
    list_filter = ["kind"]
    raw_id_fields = ["fund"]


@admin.register(PovertyStandard)
class PovertyStandardAdmin(AuditedAdmin):
    audit_action = "fund.admin.poverty_standard"
    list_display = ["name", "source", "valid_from", "valid_to", "verified"]


@admin.register(HousingAmount)
class HousingAmountAdmin(AuditedAdmin):
    audit_action = "fund.admin.housing_amount"
    list_display = ["kind", "province", "year_from", "year_to", "amount", "source", "verified"]
    raw_id_fields = ["province"]


@admin.register(AppraisalCriterion)
class AppraisalCriterionAdmin(AuditedAdmin):
    audit_action = "fund.admin.criterion"
    list_display = ["label", "province", "points", "order"]
    raw_id_fields = ["province"]


@admin.register(AcceptanceRole)
class AcceptanceRoleAdmin(AuditedAdmin):
    """Who signs the acceptance record: per office, per province, or the national default."""

    audit_action = "fund.admin.acceptance_role"
    list_display = ["label", "required", "office", "province", "order"]
    list_filter = ["required"]
    raw_id_fields = ["province", "office"]


@admin.register(HousingCase)
class HousingCaseAdmin(ReadOnlyAdmin):
    """Read-only: a case is proposed, approved, paid and handed over only through the
    workflow (``khoi.fund.housing``), never created, edited or deleted here."""

    list_display = ["household", "year", "kind", "status", "score"]
    list_filter = ["status", "kind"]
