"""Admin of the statutory periods of social criticism (the site administrator keeps them;
every save and delete audited)."""

from __future__ import annotations

from django.contrib import admin

from khoi.oversight.admin_audit import AuditedAdmin
from khoi.oversight.models.criticism import CriticismRule


@admin.register(CriticismRule)
class CriticismRuleAdmin(AuditedAdmin):
    audit_action = "oversight.criticism_rule"
    list_display = ("kind", "days", "counting", "source", "valid_from", "valid_until")
    list_filter = ("kind",)
    ordering = ("kind", "-valid_from")
