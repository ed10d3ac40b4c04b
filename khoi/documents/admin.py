"""Browsing only; changes go through the pages so they are audited and numbered."""

from __future__ import annotations

from django.contrib import admin

from khoi.audit.admin import ReadOnlyAdmin
from khoi.documents.models import Document, NumberCounter, PeriodicReport


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "notation",
        "issued_on",
        "direction",
        "incoming_number",
        "issuing_body",
        "office",
    ]
    list_filter = ["direction", "system"]
    search_fields = ["notation", "summary_folded", "issuing_body"]
    list_select_related = ["office"]


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ["key", "last_number", "office"]


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "period", "version", "status", "office"]
