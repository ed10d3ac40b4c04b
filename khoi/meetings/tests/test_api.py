from __future__ import annotations

import json
from typing import Any

from django.test import Client

from khoi.meetings.tests.factories import meeting
from khoi.testing.factories import World
from khoi.work.models import Task


def _post(client: Client, url: str, data: dict[str, Any] | None = None):
    return client.post(url, json.dumps(data or {}, default=str), content_type="application/json")


def test_a_meeting_runs_through_the_api(world: World, as_user) -> None:
    client = as_user("office_head")
    made = _post(client, "/api/v1/meetings", {
        "office": "quang-yen", "kind": "briefing", "title": "Giao ban",
        "starts_at": "2017-10-09T08:00:00+07:00", "attendee_ids": [world.people["staff"].pk],
    })  # fmt: skip
    assert made.status_code == 201
    mid = made.json()["id"]
    item = _post(client, f"/api/v1/meetings/{mid}/items", {"title": "Báo cáo"}).json()["items"][0]
    minutes = client.put(
        f"/api/v1/meetings/{mid}/items/{item['id']}/minutes",
        json.dumps({"minutes": "Đã bàn."}), content_type="application/json",
    )  # fmt: skip
    assert minutes.json()["items"][0]["minutes"] == "Đã bàn."
    absent = _post(client, f"/api/v1/meetings/{mid}/attendance",
                   {"person_id": world.people["staff"].pk, "status": "absent"})  # fmt: skip
    assert absent.status_code == 422 and "reason" in absent.json()["errors"]
    task = _post(client, f"/api/v1/meetings/{mid}/outcomes", {
        "kind": "task", "text": "Làm báo cáo", "item_id": item["id"],
        "assignee_id": world.people["staff"].pk, "due_on": "2017-10-14",
    })  # fmt: skip
    assert task.status_code == 200
    assert Task.objects.get().pk == task.json()["outcomes"][0]["task_id"]
    assert _post(client, f"/api/v1/meetings/{mid}/close").status_code == 200
    twice = _post(client, f"/api/v1/meetings/{mid}/close")
    assert twice.status_code == 422
    late = _post(client, f"/api/v1/meetings/{mid}/outcomes", {"kind": "decision", "text": "x"})
    assert late.status_code == 422
    fixed = _post(client, f"/api/v1/meetings/{mid}/corrections", {"text": "Đính chính"})
    assert fixed.status_code == 200


def test_meetings_out_of_reach_are_missing_in_the_api(world: World, as_user) -> None:
    m = meeting(world)
    assert as_user("viewer").get(f"/api/v1/meetings/{m.pk}").status_code == 200
    assert _post(as_user("viewer"), f"/api/v1/meetings/{m.pk}/close").status_code == 404
    assert as_user("outsider").get(f"/api/v1/meetings/{m.pk}").status_code == 404
    assert as_user("other_staff").get("/api/v1/meetings").json()["items"] == []
