"""Activity credits per organization, offered to other apps through khoi.registry.

An organization is credited with its own activities (not merged into joint work) and with
every joint activity it led or co-organized, so joint work counts once for each
co-organizer. Two aggregate queries, whatever the number of organizations.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count

from khoi.work.models import Activity, JointActivity


def activity_credits(
    office: Any, organization_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {pk: {"own": 0, "joint": 0} for pk in organization_ids}
    own = (
        Activity.objects.filter(
            office=office,
            organization_id__in=organization_ids,
            joint__isnull=True,
            start_on__lte=end,
            end_on__gte=start,
        )
        .exclude(status=Activity.Status.CANCELLED)
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    for row in own:
        out[row["organization_id"]]["own"] = row["n"]
    live = (JointActivity.Status.ACTIVE, JointActivity.Status.DONE)
    joints = JointActivity.objects.filter(
        office=office, status__in=live, start_on__lte=end, end_on__gte=start
    )
    credited: dict[int, set[int]] = {pk: set() for pk in organization_ids}
    rows = joints.filter(co_organizers__in=organization_ids).values_list("pk", "co_organizers")
    for joint_id, org_id in rows:
        credited[org_id].add(joint_id)
    for joint_id, org_id in joints.filter(lead_id__in=organization_ids).values_list(
        "pk", "lead_id"
    ):
        credited[org_id].add(joint_id)
    for pk, ids in credited.items():
        out[pk]["joint"] = len(ids)
    return out
