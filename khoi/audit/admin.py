from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from khoi.audit.models import AuditEntry, SensitiveAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label"]


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "object_type", "object_id", "purpose"]
