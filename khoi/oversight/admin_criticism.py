"""Admin of the statutory periods of social criticism (the site administrator keeps them)."""

from __future__ import annotations

from django.contrib import admin

from khoi.oversight.models.criticism import CriticismRule


@admin.register(CriticismRule)
class CriticismRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "days", "counting", "source", "valid_from", "valid_until")
    list_filter = ("kind",)
    ordering = ("kind", "-valid_from")
