"""Who may read which audit entries."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from khoi.accounts.access import get_scope, not_found
from khoi.audit.models import AuditEntry

# object_type → function(user, pk) that raises 404 when the object is out of reach.
OBJECT_GETTERS: dict[str, Any] = {}


def register_object_getter(label: str, getter: Any) -> None:
    """Apps register their access helper so that an object's history follows its rules."""
    OBJECT_GETTERS[label] = getter


def entries_for_user(user: Any) -> QuerySet[AuditEntry]:
    """The office-wide log: office heads see their offices, administrators everything."""
    scope = get_scope(user)
    if scope.is_admin:
        return AuditEntry.objects.all()
    if not scope.head_office_ids:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(Q(office_id_ref__in=scope.head_office_ids))


def history_for_user(user: Any, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    getter = OBJECT_GETTERS.get(object_type)
    if getter is None:
        raise not_found()
    try:
        model = apps.get_model(object_type)
        pk = model._meta.pk.to_python(object_id)
    except Exception:
        raise not_found() from None
    getter(user, pk)
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(pk)).select_related(
        "actor"
    )
