from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from khoi.accounts.access import get_scope


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": get_scope(user)}
