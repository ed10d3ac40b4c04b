"""Audit changes as a person reads them: field labels, choice labels, names, dd/mm/yyyy."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
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


def _names(model: type[models.Model], ids: list[Any], cache: dict[Any, str]) -> list[str]:
    missing = [i for i in ids if (model, i) not in cache]
    if missing:
        for obj in model._default_manager.filter(pk__in=missing):
            cache[(model, obj.pk)] = str(obj)
    return [cache.get((model, i), f"#{i}") for i in ids]


def _value(field: models.Field[Any, Any] | None, value: Any, cache: dict[Any, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.is_relation and field.related_model is not None:
        related = field.related_model
        if isinstance(related, type) and issubclass(related, models.Model):
            ids = value if isinstance(value, list) else [value]
            return ", ".join(_names(related, ids, cache))
    if field is not None and field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, str):
        return _date(value) or value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def readable_changes(entry: Any, cache: dict[Any, str] | None = None) -> list[tuple[str, str, str]]:
    """[(label, before, after)] for one audit entry."""
    cache = {} if cache is None else cache
    model = _model(entry.object_type)
    out = []
    for name, pair in (entry.changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        field: Any = None
        label = name
        if model is not None:
            try:
                field = model._meta.get_field(name)
                label = str(capfirst(getattr(field, "verbose_name", name)))
            except FieldDoesNotExist:
                field = None
        out.append((label, _value(field, before, cache), _value(field, after, cache)))
    return out
