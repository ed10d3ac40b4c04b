"""Issue #8: every id in a form or API payload is resolved through the office's scope in
the service — an activity's participants and residential areas, a task's assignee and a
meeting's attendees cannot come from anywhere in the database.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from khoi.meetings import services as meetings
from khoi.org import services as org_services
from khoi.org.models import Organization
from khoi.testing.factories import World
from khoi.work import services
from khoi.work.tests.factories import activity

D = datetime.date


@pytest.fixture
def far(world: World) -> dict[str, Any]:
    """Things of the other town: an organization, a residential area, a person."""
    org = Organization.objects.exclude(offices=world.office).filter(unit=world.other_town).first()
    area = org_services.do_add_residential_area(None, world.other_commune, "Tổ 9", "tổ")
    return {"org": org, "area": area, "person": world.people["other_person"]}


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_activity_participants_and_areas_through_the_api(
    world: World, far: dict[str, Any], as_user: Any
) -> None:
    base = {"office": "quang-yen", "organization_id": world.front.pk, "kind": "propaganda",
            "title": "Tuyên truyền", "start_on": "2030-01-01", "end_on": "2030-01-02"}  # fmt: skip
    head = as_user("office_head")
    r = _post(head, "/api/v1/activities", {**base, "participant_ids": [far["org"].pk]})
    assert r.status_code == 422 and "participants" in r.json()["errors"]
    r = _post(head, "/api/v1/activities", {**base, "target_area_ids": [far["area"].pk]})
    assert r.status_code == 422 and "target_areas" in r.json()["errors"]
    assert _post(head, "/api/v1/activities", base).status_code == 201


def test_activity_participants_through_the_service(world: World, far: dict[str, Any]) -> None:
    head = world.users["office_head"]
    with pytest.raises(ValidationError):
        activity(world, world.front, "Tuyên truyền", participants=[far["org"]])
    a = activity(world, world.front, "Tuyên truyền", participants=[world.women])
    with pytest.raises(ValidationError):
        services.do_update_activity(head, a, participants=[far["org"]])


def test_task_assignee_through_the_api_and_the_service(
    world: World, far: dict[str, Any], as_user: Any
) -> None:
    head = world.users["office_head"]
    with pytest.raises(ValidationError) as exc:
        services.do_create_task(head, world.office, title="Việc", due_on=D(2030, 1, 1),
                                assignee=far["person"])  # fmt: skip
    assert "assignee" in exc.value.message_dict
    body = {"office": "quang-yen", "title": "Việc", "due_on": "2030-01-01",
            "assignee_id": far["person"].pk}  # fmt: skip
    r = _post(as_user("office_head"), "/api/v1/tasks", body)
    assert r.status_code == 422 and "assignee" in r.json()["errors"]
    body["assignee_id"] = world.people["staff"].pk
    assert _post(as_user("office_head"), "/api/v1/tasks", body).status_code == 201


def test_meeting_attendees_through_the_api_and_the_service(
    world: World, far: dict[str, Any], as_user: Any
) -> None:
    from khoi.meetings.tests.factories import at

    head = world.users["office_head"]
    with pytest.raises(ValidationError):
        meetings.do_create_meeting(head, world.office, kind="briefing", title="Giao ban",
                                   starts_at=at(D(2030, 1, 7)), attendees=[far["person"]])  # fmt: skip
    with pytest.raises(ValidationError):
        meetings.do_create_meeting(head, world.office, kind="briefing", title="Giao ban",
                                   starts_at=at(D(2030, 1, 7)), chair=far["person"])  # fmt: skip
    body = {"office": "quang-yen", "kind": "briefing", "title": "Giao ban",
            "starts_at": "2030-01-07T08:00:00+07:00", "attendee_ids": [far["person"].pk]}  # fmt: skip
    assert _post(as_user("office_head"), "/api/v1/meetings", body).status_code == 422
