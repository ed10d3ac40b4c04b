"""Admin: key projects (the calendar overrides are in ``khoi.workcalendar``).

Petitioners are deliberately not registered: their identities are only shown through
``access.reveal_identities``.
"""

from __future__ import annotations

from django.contrib import admin

from khoi.petitions.models import KeyProject


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin[KeyProject]):
    list_display = ("name", "office", "status")
    list_filter = ("status",)
    search_fields = ("name",)
    filter_horizontal = ("units",)
