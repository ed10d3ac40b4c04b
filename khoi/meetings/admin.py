"""Browsing only; changes go through the pages so they are audited."""

from __future__ import annotations

from django.contrib import admin

from khoi.audit.admin import ReadOnlyAdmin
from khoi.meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "status", "office"]
    list_filter = ["kind", "status"]
    list_select_related = ["office"]
