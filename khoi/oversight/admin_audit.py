"""Admin edits of the statutory data (legal bases, lead times, periods of social criticism)
go through the audit log like every other change (as the calendar overrides' admin does)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from khoi.audit import services as audit


def _fields(obj: Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key and f.editable]


def audited_save(actor: Any, obj: Model, action_prefix: str) -> None:
    """Save ``obj`` (new or changed) and record the change with its before/after values."""
    names = _fields(obj)
    with transaction.atomic():
        if obj.pk is None:
            audit.create(actor, obj, f"{action_prefix}.create")
            return
        before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk), names)
        audit.check_lengths(obj)
        obj.save()
        changes = audit.diff(before, audit.snapshot(obj, names))
        if changes:
            audit.record(actor, f"{action_prefix}.change", obj, changes)


def audited_delete(actor: Any, obj: Model, action_prefix: str) -> None:
    with transaction.atomic():
        audit.record(
            actor,
            f"{action_prefix}.delete",
            obj,
            {k: [v, None] for k, v in audit.snapshot(obj, _fields(obj)).items()},
        )
        obj.delete()


class AuditedAdmin(admin.ModelAdmin[Any]):
    """``audit_action``: the prefix of the audit actions (``…create``, ``…change``,
    ``…delete``)."""

    audit_action = ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        audited_save(request.user, obj, self.audit_action)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audited_delete(request.user, obj, self.audit_action)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            audited_delete(request.user, obj, self.audit_action)
