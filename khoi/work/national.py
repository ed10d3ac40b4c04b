"""What the work app offers the national overlap scan (``khoi.ops``: one task per province on
the queue) through ``khoi.registry.OverlapSource``, registered in ``WorkConfig.ready``: the
provinces to scan, and one province's records for the overlap engine."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from khoi.org.models import AdminUnit, JointOffice
from khoi.registry import OverlapSource
from khoi.work.models import Activity
from khoi.work.overlap import records, unit_key, with_targets


def current_provinces() -> list[int]:
    """The current provinces (34 since 1 July 2025), by code."""
    return list(
        AdminUnit.objects.filter(era=AdminUnit.Era.CURRENT, level=AdminUnit.Level.PROVINCE)
        .order_by("code")
        .values_list("pk", flat=True)
    )


def province_records(
    province_id: int, start: dt.date, end: dt.date
) -> tuple[list[Any], dict[str, str]]:
    """The engine's records of every office in the province whose activities touch the period
    (cancelled ones left out), and the province's unit tree; a fixed number of queries."""
    offices = {
        o.pk: o
        for o in JointOffice.objects.filter(unit__province_id=province_id)
        | JointOffice.objects.filter(unit_id=province_id)
    }
    per_office: dict[int, list[Activity]] = defaultdict(list)
    activities = with_targets(
        Activity.objects.filter(office_id__in=offices, start_on__lte=end, end_on__gte=start)
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("pk")
    )
    for activity in activities:
        per_office[activity.office_id].append(activity)
    recs = [
        r
        for office_id, acts in sorted(per_office.items())
        for r in records(acts, offices[office_id])
    ]
    parents = {
        unit_key(pk): unit_key(parent)
        for pk, parent in AdminUnit.objects.filter(province_id=province_id)
        .exclude(parent_id=None)
        .values_list("pk", "parent_id")
    }
    return recs, parents


SOURCE = OverlapSource("work.activities", current_provinces, province_records)
