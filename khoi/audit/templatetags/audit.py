from __future__ import annotations

from django import template

from khoi.audit.labels import action_label as _action_label
from khoi.audit.services import SYSTEM_LABEL

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)


@register.filter
def actor_label(label: str) -> str:
    from django.utils.translation import gettext

    return gettext("system (automatic)") if label == SYSTEM_LABEL else label
