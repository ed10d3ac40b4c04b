from __future__ import annotations

import datetime
import json

from django.test import Client

from khoi.testing.factories import World
from khoi.work.models import Activity, JointActivity, Task
from khoi.work.tests.factories import activity

D = datetime.date


def _post(client: Client, url: str, data: dict[str, object]):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def _activity(world: World, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "office": world.office.code,
        "organization_id": world.women.pk,
        "kind": "propaganda",
        "title": "Tuyên truyền vệ sinh môi trường",
        "start_on": "2017-10-02",
        "end_on": "2017-10-02",
        "target_unit_ids": [world.commune.pk],
    }
    data.update(kw)
    return data


def test_activities_are_created_and_listed_through_the_api(world: World, as_user) -> None:
    client = as_user("staff")
    created = _post(client, "/api/v1/activities", _activity(world))
    assert created.status_code == 201
    assert created.json()["target_unit_ids"] == [world.commune.pk]
    items = client.get("/api/v1/activities", {"q": "ve sinh"}).json()["items"]
    assert [a["id"] for a in items] == [created.json()["id"]]


def test_bad_activities_are_refused_in_vietnamese_with_the_field(world: World, as_user) -> None:
    client = as_user("staff")
    bad = _post(client, "/api/v1/activities", _activity(world, end_on="2017-09-01"))
    assert bad.status_code == 422 and "end_on" in bad.json()["errors"]
    outside = _post(
        client, "/api/v1/activities", _activity(world, target_unit_ids=[world.other_commune.pk])
    )
    assert outside.status_code == 422 and "target_unit_ids" in outside.json()["errors"]
    leader = _post(
        as_user("org_leader"),
        "/api/v1/activities",
        _activity(world, organization_id=world.front.pk),
    )
    assert leader.status_code == 422 and "organization_id" in leader.json()["errors"]
    assert Activity.objects.count() == 0


def test_overlap_suggestions_for_a_draft(world: World, as_user) -> None:
    other = activity(world, world.women, "Tuyên truyền vệ sinh môi trường tại khu dân cư")
    found = _post(
        as_user("staff"),
        "/api/v1/activities/overlaps",
        _activity(world, organization_id=world.front.pk, title="Tuyen truyen VSMT"),
    ).json()
    assert [s["activity_id"] for s in found] == [other.pk]
    assert found[0]["reasons"]


def test_merge_and_unmerge_through_the_api(world: World, as_user) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền vệ sinh môi trường")
    body = {
        "activity_ids": [a.pk, b.pk],
        "title": "VSMT",
        "lead_id": world.front.pk,
        "start_on": "2017-10-02",
        "end_on": "2017-10-02",
    }
    refused = _post(as_user("viewer"), "/api/v1/joint", body)
    assert refused.status_code == 422
    joint = _post(as_user("office_head"), "/api/v1/joint", body)
    assert joint.status_code == 201 and joint.json()["status"] == "active"
    undone = _post(as_user("office_head"), f"/api/v1/joint/{joint.json()['id']}/unmerge", {})
    assert undone.json()["status"] == "dissolved"
    assert JointActivity.objects.get().activities.count() == 0


def test_tasks_are_assigned_and_followed_through_the_api(world: World, as_user) -> None:
    data = {
        "office": world.office.code,
        "title": "Chuẩn bị tài liệu",
        "due_on": "2017-10-20",
        "assignee_id": world.people["staff"].pk,
    }
    assert _post(as_user("staff"), "/api/v1/tasks", data).status_code == 422
    created = _post(as_user("office_head"), "/api/v1/tasks", data)
    assert created.status_code == 201
    pk = created.json()["id"]
    blocked = _post(as_user("staff"), f"/api/v1/tasks/{pk}/updates", {"status": "blocked"})
    assert blocked.status_code == 422 and "note" in blocked.json()["errors"]
    done = _post(
        as_user("staff"), f"/api/v1/tasks/{pk}/updates", {"status": "done", "note": "Đã in 200 bản"}
    )
    assert done.json()["status"] == "done"
    assert Task.objects.get().result_note == "Đã in 200 bản"
    mine = as_user("staff").get("/api/v1/tasks", {"mine": "true"}).json()["items"]
    assert [t["id"] for t in mine] == [pk]
    assert as_user("other_staff").get(f"/api/v1/tasks/{pk}").status_code == 404
