from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from khoi import clock


def product_clock(request: HttpRequest) -> dict[str, Any]:
    """``demo_date`` for the banner of base.html when the product's date is not the real one."""
    day = clock.product_date()
    if day is None or day == clock.real_now().date():
        return {}
    return {"demo_date": day}
