"""Writing and checking the audit log. Every `do_*` service calls `record()`."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit.models import GENESIS_HASH, AuditEntry, AuditHead, SensitiveAccess

SYSTEM_LABEL = "system"


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (foreign keys as ids), JSON-ready."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _json_value(getattr(obj, attname))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def _actor_label(user: Any) -> str:
    """The name people know: the linked person's full name, else the login."""
    if user is None:
        return SYSTEM_LABEL
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    name = person.full_name if person is not None else user.get_full_name()
    return (name or user.get_username())[:200]


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    *,
    office_id: int | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        user = actor if getattr(actor, "pk", None) else None
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=clock.now(),
            actor=user,
            actor_label=_actor_label(user),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            changes=_json_value(changes or {}),
            office_id_ref=office_id,
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        head.last_seq = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


SENSITIVE_ACTION = "sensitive.view"


def log_sensitive(user: Any, object_type: str, object_id: Any, purpose: str) -> SensitiveAccess:
    """Log a view of confidential data (an identity, an original scan, a match on a person).

    The row is also an entry of the hash chain, so deleting identity-view rows is caught by
    ``audit_verify`` (``verify_sensitive``)."""
    with transaction.atomic():
        row = SensitiveAccess.objects.create(
            user=user, object_type=object_type, object_id=str(object_id), purpose=purpose[:200]
        )
        record(
            user, SENSITIVE_ACTION, row,
            {"object": [None, f"{object_type}:{object_id}"], "purpose": [None, purpose[:200]]},
        )  # fmt: skip
    return row


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    reason: str


def verify_chain(batch_size: int = 2000) -> ChainProblem | None:
    """Recompute the chain; return the first problem, or None when intact."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    last_seen: AuditEntry | None = None
    for entry in _iter_entries(batch_size):
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, "missing")
        if entry.prev_hash != expected_prev:
            return ChainProblem(entry.seq, "broken-link")
        if entry.compute_hash() != entry.hash:
            return ChainProblem(entry.seq, "altered")
        expected_prev = entry.hash
        expected_seq += 1
        last_seen = entry
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None:
        last_seq = last_seen.seq if last_seen else 0
        if head.last_seq != last_seq:
            return ChainProblem(last_seq + 1, "missing")
        if head.last_hash != (last_seen.hash if last_seen else GENESIS_HASH):
            return ChainProblem(last_seq, "altered")
    return None


def verify_sensitive() -> ChainProblem | None:
    """Every identity view logged in the chain still has its ``SensitiveAccess`` row."""
    rows = set(SensitiveAccess.objects.values_list("pk", flat=True))
    logged = AuditEntry.objects.filter(
        action=SENSITIVE_ACTION, object_type=SensitiveAccess._meta.label_lower
    ).values_list("seq", "object_id")
    for seq, object_id in logged.order_by("seq").iterator():
        if int(object_id) not in rows:
            return ChainProblem(seq, "access-deleted")
    return None


def _iter_entries(batch_size: int) -> Iterator[AuditEntry]:
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def check_lengths(obj: models.Model, names: Iterable[str] | None = None) -> None:
    """Refuse text longer than its column (the API validates lengths like the forms: a
    100,000-character title is a 422, never a database error)."""
    errors: dict[str, str] = {}
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        limit = getattr(field, "max_length", None)
        value = getattr(obj, field.attname, None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors[field.name] = _("At most %(n)d characters (this has %(len)d).") % {
                "n": limit,
                "len": len(value),
            }
    if errors:
        raise ValidationError(errors)


def update_fields(
    actor: Any,
    obj: models.Model,
    data: dict[str, Any],
    action: str,
    *,
    office_id: int | None = None,
) -> dict[str, list[Any]]:
    """Set ``data`` on ``obj``, save only what changed, and audit it. Returns the diff."""
    before = snapshot(obj, data)
    for name, value in data.items():
        setattr(obj, name, value)
    after = snapshot(obj, data)
    changes = diff(before, after)
    if changes:
        check_lengths(obj, changes)
        with transaction.atomic():
            obj.save(update_fields=list(changes))
            record(actor, action, obj, changes, office_id=office_id)
    return changes


def create(
    actor: Any, obj: models.Model, action: str, *, office_id: int | None = None
) -> models.Model:
    """Save a new ``obj`` and audit all its concrete fields as the 'after' values."""
    check_lengths(obj)
    with transaction.atomic():
        obj.save()
        names = [
            f.name
            for f in obj._meta.concrete_fields
            if not f.primary_key and getattr(f, "editable", True)
        ]
        after = snapshot(obj, names)
        record(actor, action, obj, {k: [None, v] for k, v in after.items()}, office_id=office_id)
    return obj
