"""The one clock of Khối.

Every "today" and "now" of a page, service, reminder, deadline or report comes from here;
nothing else calls ``date.today()``, ``timezone.now()`` or ``timezone.localdate()``.
Production and tests use the real clock (tests freeze it with time-machine); the demo
sets the product's date to a day of the seed's October 2017.

``real_now()`` is the wall clock, for what must follow real time whatever the demo says:
sign-in lockout windows, session and token ages, rate limits.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def real_now() -> dt.datetime:
    """The wall clock (aware), for security windows only."""
    return timezone.now()


def _product_date() -> dt.date | None:
    """The date the product is set to, or None for the real date."""
    from django.conf import settings

    value = getattr(settings, "KHOI_CLOCK_DATE", None)
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def now() -> dt.datetime:
    """The product's current moment (aware).

    When the product's date is set, it is that date at the real time of day, so that
    entries made during a demo keep their order within the day.
    """
    real = timezone.now()
    day = _product_date()
    if day is None:
        return real
    local = timezone.localtime(real)
    return local.replace(year=day.year, month=day.month, day=day.day)


def today() -> dt.date:
    """The product's current date in the configured time zone."""
    return timezone.localdate(now())
