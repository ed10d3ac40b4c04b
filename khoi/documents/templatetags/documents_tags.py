"""Template filters of the document register and the reports."""

from __future__ import annotations

from typing import Any

from django import template

from khoi.documents.reports import cell

register = template.Library()


@register.filter(name="report_cell")
def report_cell(value: Any) -> str:
    """A report table cell: 12.345 (Vietnamese thousands separator), "—" when unknown."""
    return cell(value)


@register.filter(name="is_number")
def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
