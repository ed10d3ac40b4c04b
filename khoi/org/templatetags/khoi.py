"""Display helpers for Vietnamese conventions."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def phone(value: str | None) -> str:
    """0912345678 → 0912 345 678; 02033870000 → 0203 387 0000 (landline with area code)."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(digits) == 10:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if len(digits) == 11:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return value or ""


@register.filter
def vnd(value: int | None) -> str:
    """15000000 → 15.000.000 (no decimals, "." between thousands)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")
