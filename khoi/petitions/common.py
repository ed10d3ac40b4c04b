"""What the petition services share: refusals, the actor as stored, the audit's stand-in for
a protected identity."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

AUDIT_REDACTED = "[được bảo vệ]"


def _refuse(field_name: str | None, message: str) -> ValidationError:
    return ValidationError({field_name: [message]} if field_name else [message])


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
