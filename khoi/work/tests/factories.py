from __future__ import annotations

import datetime
from typing import Any

from khoi.org.models import AdminUnit, Organization
from khoi.testing.factories import World
from khoi.work import services
from khoi.work.models import Activity


def activity(
    world: World,
    org: Organization,
    title: str,
    *,
    kind: str = "propaganda",
    start: datetime.date = datetime.date(2017, 10, 2),
    end: datetime.date | None = None,
    units: list[AdminUnit] | None = None,
    description: str = "",
    **extra: Any,
) -> Activity:
    return services.do_create_activity(
        None,
        world.office,
        organization=org,
        kind=kind,
        title=title,
        description=description,
        start_on=start,
        end_on=end or start,
        target_units=units if units is not None else [world.commune],
        **extra,
    )
