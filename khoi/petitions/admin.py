"""Admin: the calendar overrides (feeding the working-day calendar) and key projects.

Petitioners are deliberately not registered: their identities are only shown through
``access.reveal_identities``.
"""

from __future__ import annotations

from django.contrib import admin

from khoi.petitions.models import HolidayOverride, KeyProject


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin[HolidayOverride]):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin[KeyProject]):
    list_display = ("name", "office", "status")
    list_filter = ("status",)
    search_fields = ("name",)
    filter_horizontal = ("units",)
