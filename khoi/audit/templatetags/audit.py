from __future__ import annotations

from typing import Any

from django import template

from khoi.audit.labels import action_label as _action_label
from khoi.audit.services import SYSTEM_LABEL

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)


@register.simple_tag(takes_context=True)
def readable_changes(context: template.Context, entry: object) -> list[tuple[str, str, str]]:
    """Field labels and readable values; one name cache per page."""
    from khoi.audit.readable import readable_changes as readable

    cache: Any = context.get("audit_names")  # primed by the view for its whole page
    if cache is None:
        cache = context.render_context.setdefault("audit_names", {})  # type: ignore[arg-type]
    return readable(entry, cache)


@register.filter
def actor_label(label: str) -> str:
    from django.utils.translation import gettext

    return gettext("system (automatic)") if label == SYSTEM_LABEL else label
