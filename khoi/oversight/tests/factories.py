from __future__ import annotations

import datetime
from typing import Any

from khoi.oversight.models import Programme, Supervision
from khoi.oversight.services import supervision as services

D = datetime.date


def programme(world: Any, org: Any = None, year: int = 2026) -> Programme:
    return services.create_programme(
        world.users["staff"], world.office, organization=org or world.front, year=year
    )


def supervision(world: Any, **kw: Any) -> Supervision:
    args: dict[str, Any] = {
        "organization": world.front,
        "subject": "Giám sát công tác bồi thường, hỗ trợ, tái định cư khi thu hồi đất",
        "body": "UBND phường Hà An",
        "form": Supervision.Form.DELEGATION,
        "planned_from": D(2025, 9, 1),
        "planned_until": D(2025, 10, 31),
    }
    args.update(kw)
    actor = args.pop("actor", world.users["staff"])
    return services.plan_supervision(actor, world.office, **args)
