"""The one working calendar of Khối and the changes to its override table.

``work_calendar()`` is Monday–Friday minus the Vietnamese public holidays
(``khoi.lib.workdays``) corrected by the admin's overrides: petitions' statutory clocks,
task reminders and meeting series all count on it. A change to an override is audited and
announced to the apps (``khoi.registry.CALENDAR_LISTENERS``), which recompute what it
touches in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from khoi.audit import services as audit
from khoi.lib.workdays import PACKAGE_SWAP_MAKEUP_DAYS, Override, WorkCalendar
from khoi.registry import CALENDAR_LISTENERS
from khoi.workcalendar.models import HolidayOverride

FIELDS = ("date", "is_working_day", "note")


def work_calendar() -> WorkCalendar:
    """The working-day calendar with the overrides of the admin table.

    Before the database is migrated (e.g. ``manage.py deadline`` on a fresh clone) the
    table does not exist yet: the calendar then uses the overrides the migration seeds.
    """
    try:
        overrides = [
            Override(o.date, o.is_working_day, o.note) for o in HolidayOverride.objects.all()
        ]
    except DatabaseError:
        overrides = list(PACKAGE_SWAP_MAKEUP_DAYS)
    return WorkCalendar(overrides)


def _announce(actor: Any, dates: Iterable[datetime.date]) -> None:
    changed = frozenset(d for d in dates if d is not None)
    if changed:
        for listener in CALENDAR_LISTENERS:
            listener(actor, changed)


@transaction.atomic
def do_save_override(
    actor: Any,
    *,
    date: datetime.date,
    is_working_day: bool,
    note: str = "",
    override: HolidayOverride | None = None,
) -> HolidayOverride:
    """Add an override, or change ``override``; then recompute what the change touches."""
    clash = HolidayOverride.objects.filter(date=date)
    if override is not None and override.pk:
        clash = clash.exclude(pk=override.pk)
    if clash.exists():
        raise ValidationError({"date": [_("This date already has a calendar override.")]})
    note = note.strip()
    if override is None or not override.pk:
        override = HolidayOverride(date=date, is_working_day=is_working_day, note=note)
        audit.create(actor, override, "calendar.override_add")
        _announce(actor, [date])
        return override
    before = HolidayOverride.objects.get(pk=override.pk)
    audit.update_fields(
        actor,
        override,
        {"date": date, "is_working_day": is_working_day, "note": note},
        "calendar.override_change",
    )
    if (before.date, before.is_working_day) != (date, is_working_day):
        _announce(actor, {before.date, date})
    return override


@transaction.atomic
def do_delete_override(actor: Any, override: HolidayOverride) -> None:
    day = override.date
    audit.record(
        actor,
        "calendar.override_delete",
        override,
        {name: [value, None] for name, value in audit.snapshot(override, FIELDS).items()},
    )
    override.delete()
    _announce(actor, [day])
