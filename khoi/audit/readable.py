"""Audit changes as a person reads them: field labels, choice labels, names, dd/mm/yyyy.

Total by design: an entry written by any version of any service renders. Ids are looked up
only under a forward relation and only when they are valid keys; anything else (titles,
counts, nested data, a payload that is not ``{field: [before, after]}``) is shown as plain
text, so a page of the log never fails on what an older or newer service stored.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from khoi.audit.labels import FIELD_LABELS, HIDDEN_KEYS

logger = logging.getLogger(__name__)


def _model(object_type: Any) -> type[models.Model] | None:
    try:
        return apps.get_model(str(object_type))
    except (LookupError, ValueError):
        return None


def _date(value: str) -> str | None:
    try:
        if "T" in value:
            moment = datetime.datetime.fromisoformat(value)
            return date_format(moment, "d/m/Y H:i")
        return date_format(datetime.date.fromisoformat(value), "d/m/Y")
    except ValueError:
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A Vietnamese label for a changed key: the field's translated verbose name, else the
    shared label for that key, else the related model's translated name, else "Detail"."""
    field = _field(model, name)
    verbose = getattr(field, "verbose_name", None)
    explicit = isinstance(verbose, Promise) or (verbose and verbose != name.replace("_", " "))
    if field is not None and not isinstance(field, ForeignObjectRel) and explicit:
        return str(capfirst(verbose))
    if name in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[name]))
    related: Any = getattr(field, "related_model", None)
    if isinstance(related, type) and isinstance(related._meta.verbose_name, Promise):  # type: ignore[attr-defined]
        return capfirst(str(related._meta.verbose_name))  # type: ignore[attr-defined]
    return _("Detail")


def _forward_relation(field: Any) -> type[models.Model] | None:
    """The target model of a foreign key or many-to-many field; None for anything else
    (reverse relations hold counts or titles in the log, never ids to look up)."""
    if field is None or isinstance(field, ForeignObjectRel) or not field.is_relation:
        return None
    related = field.related_model
    if isinstance(related, type) and issubclass(related, models.Model):
        return related
    return None


def _keys(model: type[models.Model], values: list[Any]) -> list[Any] | None:
    """The values as primary keys of ``model``, or None when any is not one."""
    out = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | str):
            return None
        try:
            out.append(model._meta.pk.to_python(value))
        except (ValidationError, ValueError, TypeError):
            return None
    return out


def _names(model: type[models.Model], ids: list[Any], cache: dict[Any, str]) -> list[str]:
    missing = [i for i in ids if (model, i) not in cache]
    if missing:
        for obj in model._default_manager.filter(pk__in=missing):
            full_name = getattr(obj, "get_full_name", None)  # a login: the person's name
            cache[(model, obj.pk)] = (full_name() if callable(full_name) else "") or str(obj)
    return [cache.get((model, i), _("(deleted) no. %(id)s") % {"id": i}) for i in ids]


def prime_names(entries: Any, cache: dict[Any, str]) -> dict[Any, str]:
    """Look up, for a page of entries, every object their changes name: one query per
    model, whatever the number of entries (instead of one per entry and field)."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for entry in entries:
        changes = getattr(entry, "changes", None)
        if not isinstance(changes, dict):
            continue
        model = _model(getattr(entry, "object_type", ""))
        for name, raw in changes.items():
            if name in HIDDEN_KEYS:
                continue
            related = _forward_relation(_field(model, str(name)))
            if related is None:
                continue
            for value in _pair(raw):
                if value is None or value == "" or value == []:
                    continue
                keys = _keys(related, value if isinstance(value, list) else [value])
                if keys:
                    wanted.setdefault(related, set()).update(keys)
    for related, ids in wanted.items():
        try:
            _names(related, sorted(ids, key=str), cache)
        except Exception:  # a value this code does not understand: each entry shows it as text
            logger.exception("audit names of %s could not be read", related._meta.label)
    return cache


def _plain(value: Any) -> str:
    """Any JSON value as text a person can read."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return _date(value) or value
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(None, str(k))}: {_plain(v)}" for k, v in value.items())
    return str(value)


def _is_amount(field: Any, name: str) -> bool:
    """A sum of money (VND) or a file's size: shown with "." between thousands, as
    everywhere else."""
    name = name or getattr(field, "name", "") or ""
    return "amount" in name or name in GROUPED or name.endswith("_size")


# the other fields that hold sums of money (VND) or sizes
GROUPED = frozenset({"budget", "funds_raised", "size", "balance"})


# a file's type as people name it, not its MIME code
FILE_KINDS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/msword": "Word (.doc)",
    "application/vnd.ms-excel": "Excel (.xls)",
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}


def _value(field: Any, value: Any, cache: dict[Any, str], name: str = "") -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and _is_amount(field, name):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, str) and value in FILE_KINDS:
        return FILE_KINDS[value]
    related = _forward_relation(field)
    if related is not None:
        ids = _keys(related, value if isinstance(value, list) else [value])
        if ids is not None:
            return ", ".join(_names(related, ids, cache))
        return _plain(value)
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices and isinstance(value, str | int):
        labels = {str(k): v for k, v in choices}
        return str(labels.get(str(value), value))
    return _plain(value)


def _pair(raw: Any) -> tuple[Any, Any]:
    if isinstance(raw, list) and len(raw) == 2:
        return raw[0], raw[1]
    return None, raw


def readable_changes(entry: Any, cache: dict[Any, str] | None = None) -> list[tuple[str, str, str]]:
    """[(label, before, after)] for one audit entry; never raises."""
    cache = {} if cache is None else cache
    changes = getattr(entry, "changes", None)
    if changes in (None, {}, []):
        return []
    if not isinstance(changes, dict):
        return [(_("Detail"), "—", _plain(changes))]
    model = _model(getattr(entry, "object_type", ""))
    out = []
    for name, raw in changes.items():
        if name in HIDDEN_KEYS:
            continue
        before, after = _pair(raw)
        try:
            field = _field(model, str(name))
            out.append(
                (
                    field_label(model, str(name)),
                    _value(field, before, cache, str(name)),
                    _value(field, after, cache, str(name)),
                )
            )
        except Exception:  # a stored value this code does not understand: show it as text
            seq = getattr(entry, "seq", "?")
            logger.exception("audit entry %s: unreadable change %r", seq, name)
            out.append((field_label(None, str(name)), _plain(before), _plain(after)))
    return out
