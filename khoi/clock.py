"""The one clock of Khối.

Every "today" and "now" of a page, service, reminder, deadline or report comes from here;
nothing else calls ``date.today()``, ``timezone.now()`` or ``timezone.localdate()``
(``khoi/demo/tests/test_one_clock.py`` scans the source). Production and tests use the
real clock (tests freeze it with time-machine); the demo sets the product's date to a
day of the seed's October 2017.

The product's date comes, first match wins, from:

1. ``use_date(day)`` — a context manager for code that must run on a given day (the
   demo loader creates the 2017 office on its own day);
2. the setting ``KHOI_CLOCK_DATE`` (environment variable of the same name):
   - empty (the default): the real date;
   - an ISO date (``2017-10-20``): that date, e.g. for a training copy;
   - ``demo``: the date ``manage.py load_demo`` stored in the database (one row of
     ``khoi.demo.models.ProductDate``), read at most every ``CACHE_SECONDS`` per process;
     the real date when no demo was loaded. ``make run`` serves the demo this way.

``real_now()`` is the wall clock, for what must follow real time whatever the demo says:
sign-in lockout windows, session and token ages, rate limits.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import time
from collections.abc import Iterator

from django.utils import timezone

DEMO_MODE = "demo"
CACHE_SECONDS = 10.0

_forced: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "khoi_clock_forced", default=None
)
_stored: tuple[float, dt.date | None] | None = None  # (read at, value)


def real_now() -> dt.datetime:
    """The wall clock (aware), for security windows only."""
    return timezone.now()


@contextlib.contextmanager
def use_date(day: dt.date) -> Iterator[None]:
    """Run a block as if the product's date were ``day`` (in this thread/context)."""
    token = _forced.set(day)
    try:
        yield
    finally:
        _forced.reset(token)


def clear_cache() -> None:
    """Forget the stored demo date read from the database (after writing it, in tests)."""
    global _stored
    _stored = None


def _stored_date() -> dt.date | None:
    """The date the demo loader stored, cached for ``CACHE_SECONDS``."""
    global _stored
    moment = time.monotonic()
    if _stored is not None and moment - _stored[0] < CACHE_SECONDS:
        return _stored[1]
    from django.db import DatabaseError

    from khoi.demo.models import ProductDate

    try:
        value = ProductDate.objects.filter(pk=1).values_list("date", flat=True).first()
    except DatabaseError:  # not migrated yet
        value = None
    _stored = (moment, value)
    return value


def setting_date() -> dt.date | None:
    """The date the setting asks for (None: the real date)."""
    from django.conf import settings

    value = getattr(settings, "KHOI_CLOCK_DATE", None)
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text == DEMO_MODE:
        return _stored_date()
    return dt.date.fromisoformat(text)


def product_date() -> dt.date | None:
    """The date the product is set to, or None when it follows the real date."""
    forced = _forced.get()
    if forced is not None:
        return forced
    return setting_date()


def now() -> dt.datetime:
    """The product's current moment (aware).

    When the product's date is set, it is that date at the real time of day, so that
    entries made during a demo keep their order within the day. Always in UTC, like
    ``timezone.now()`` (what the database gives back, e.g. for the audit chain's hashes).
    """
    real = timezone.now()
    day = product_date()
    if day is None:
        return real
    local = timezone.localtime(real)
    moved = local.replace(year=day.year, month=day.month, day=day.day)
    return moved.astimezone(dt.UTC)


def today() -> dt.date:
    """The product's current date in the configured time zone."""
    return timezone.localdate(now())
