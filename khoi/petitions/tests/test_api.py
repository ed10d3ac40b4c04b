"""The petitions API: redacted list and detail, intake, transitions, per persona."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from khoi.petitions.models import Petition
from khoi.petitions.tests.conftest import SECRET_NAME, Case

PERSONAS = ["office_head", "org_leader", "staff", "other_staff", "reporter", "viewer", "outsider",
            "admin"]  # fmt: skip
READERS = {"office_head", "staff", "viewer", "admin"}


def _post(client: Any, url: str, data: Mapping[str, object]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_and_detail_follow_the_persona_and_are_redacted(
    case: Case,
    as_user,
    persona: str,
) -> None:
    client = as_user(persona)
    listing = client.get("/api/v1/petitions")
    assert listing.status_code == 200
    ids = {p["id"] for p in listing.json()["items"]}
    assert (case.denunciation.pk in ids) == (persona in READERS)
    detail = client.get(f"/api/v1/petitions/{case.denunciation.pk}")
    assert detail.status_code == (200 if persona in READERS else 404)
    if detail.status_code == 200:
        body = detail.json()
        assert body["petitioners"] == "[Danh tính được bảo vệ]"
        assert body["deadlines"][0]["rule"] == "denunciation-forward"
        assert "Luật Tố cáo 2018" in body["deadlines"][0]["source"]
    assert SECRET_NAME not in listing.content.decode() + detail.content.decode()


def test_the_api_refuses_anonymous_callers(client) -> None:
    assert client.get("/api/v1/petitions").status_code == 401


def test_staff_create_a_petition_and_bad_input_gets_vietnamese_errors(case: Case, as_user) -> None:
    client = as_user("staff")
    good = {
        "office": "quang-yen", "kind": "request", "channel": "post",
        "received_on": "2025-10-16", "subject": "Đèn đường", "content": "Lắp đèn đường thôn 3.",
        "petitioners": [{"name": "Lý Văn Phúc"}], "unit_ids": [case.world.commune.pk],
    }  # fmt: skip
    response = _post(client, "/api/v1/petitions", good)
    assert response.status_code == 201, response.content
    assert response.json()["deadlines"][0]["rule"] == "reception-reply"
    before = Petition.objects.count()
    bad = _post(
        client, "/api/v1/petitions",
        {**good, "kind": "complaint", "petitioners": [], "received_on": "2026-01-01"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) >= {"received_on", "petitioners"}
    assert Petition.objects.count() == before
    outsider = _post(as_user("viewer"), "/api/v1/petitions", good)
    assert outsider.status_code == 404


def test_transitions_through_the_api(case: Case, as_user) -> None:
    url = f"/api/v1/petitions/{case.complaint.pk}/transitions"
    staff = as_user("staff")
    ok = _post(staff, url, {"action": "classify"})
    assert ok.status_code == 200 and ok.json()["status"] == "classified"
    assert "forward" in ok.json()["allowed_actions"]
    wrong = _post(staff, url, {"action": "close"})
    assert wrong.status_code == 422
    role = _post(as_user("viewer"), url, {"action": "guide", "note": "x"})
    assert role.status_code == 422
    assert _post(as_user("outsider"), url, {"action": "guide"}).status_code == 404
