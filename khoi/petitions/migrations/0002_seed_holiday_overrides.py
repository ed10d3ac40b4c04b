"""Seed the calendar override table with the Saturdays worked in exchange for the swapped
days off that the ``holidays`` package lists (``workdays.PACKAGE_SWAP_MAKEUP_DAYS``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from khoi.lib.workdays import PACKAGE_SWAP_MAKEUP_DAYS

    HolidayOverride = apps.get_model("petitions", "HolidayOverride")
    for o in PACKAGE_SWAP_MAKEUP_DAYS:
        HolidayOverride.objects.get_or_create(
            date=o.date, defaults={"is_working_day": o.is_working_day, "note": o.note}
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    from khoi.lib.workdays import PACKAGE_SWAP_MAKEUP_DAYS

    HolidayOverride = apps.get_model("petitions", "HolidayOverride")
    HolidayOverride.objects.filter(date__in=[o.date for o in PACKAGE_SWAP_MAKEUP_DAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
