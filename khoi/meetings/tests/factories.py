from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from khoi.meetings import services
from khoi.meetings.models import Meeting
from khoi.testing.factories import World


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def meeting(world: World, day: datetime.date = datetime.date(2017, 10, 9), **kw: Any) -> Meeting:
    data: dict[str, Any] = {
        "kind": Meeting.Kind.BRIEFING,
        "title": "Giao ban Cơ quan Khối",
        "starts_at": at(day),
        "place": "Phòng họp số 1",
        "chair": world.people["office_head"],
        "secretary": world.people["staff"],
        "attendees": [world.people["org_leader"]],
    }
    data.update(kw)
    return services.do_create_meeting(world.users["office_head"], world.office, **data)
