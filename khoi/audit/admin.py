from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khoi.audit.labels import action_label
from khoi.audit.models import AuditEntry, SensitiveAccess
from khoi.audit.services import SYSTEM_LABEL


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _object_type(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


# What a confidential view was for (the codes services store), as a person reads it.
PURPOSES: dict[str, str | Promise] = {
    "petition page": _("opened on the petition page"),
}


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "when", "who", "what", "kind", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label"]

    @admin.display(description=_("when"), ordering="created_at")
    def when(self, obj: AuditEntry) -> str:
        return date_format(timezone.localtime(obj.created_at), "d/m/Y H:i:s")

    @admin.display(description=_("who"), ordering="actor_label")
    def who(self, obj: AuditEntry) -> str:
        return str(_("system (automatic)")) if obj.actor_label == SYSTEM_LABEL else obj.actor_label

    @admin.display(description=_("action"), ordering="action")
    def what(self, obj: AuditEntry) -> str:
        return action_label(obj.action)

    @admin.display(description=_("kind of record"), ordering="object_type")
    def kind(self, obj: AuditEntry) -> str:
        return _object_type(obj.object_type)


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(ReadOnlyAdmin):
    list_display = ["when", "who", "kind", "record", "purpose_label"]

    @admin.display(description=_("when"), ordering="created_at")
    def when(self, obj: SensitiveAccess) -> str:
        return date_format(timezone.localtime(obj.created_at), "d/m/Y H:i:s")

    @admin.display(description=_("who"), ordering="user")
    def who(self, obj: SensitiveAccess) -> str:
        return obj.user.get_full_name() or obj.user.get_username()

    @admin.display(description=_("kind of record"), ordering="object_type")
    def kind(self, obj: SensitiveAccess) -> str:
        return _object_type(obj.object_type)

    @admin.display(description=_("record no."), ordering="object_id")
    def record(self, obj: SensitiveAccess) -> str:
        return obj.object_id

    @admin.display(description=_("purpose"), ordering="purpose")
    def purpose_label(self, obj: SensitiveAccess) -> str:
        return str(PURPOSES.get(obj.purpose, obj.purpose))
