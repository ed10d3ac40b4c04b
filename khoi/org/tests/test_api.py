from __future__ import annotations

import json

from django.test import Client

from khoi.accounts import services as account_services
from khoi.org.models import Person
from khoi.testing.factories import World


def test_the_openapi_schema_is_published(db: None, client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/people" in schema["paths"]


def test_the_api_needs_a_login_or_a_token(db: None, client: Client) -> None:
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_a_bearer_token_reads_people_within_reach(world: World) -> None:
    _, key = account_services.do_create_api_token(world.users["reporter"], "tool")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    names = [p["full_name"] for p in client.get("/api/v1/people").json()["items"]]
    assert names == ["Lê Thị Mai"]
    other = world.people["other_person"].pk
    assert client.get(f"/api/v1/people/{other}").status_code == 404


def test_a_revoked_token_is_refused(world: World) -> None:
    token, key = account_services.do_create_api_token(world.users["staff"], "tool")
    account_services.do_revoke_api_token(world.users["staff"], token)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/people").status_code == 401


def test_people_search_ignores_diacritics(world: World, as_user) -> None:
    data = as_user("office_head").get("/api/v1/people", {"q": "le duc"}).json()
    assert [p["full_name"] for p in data["items"]] == ["Lê Đức Trà"]


def test_units_organizations_and_offices_follow_the_same_rules(world: World, as_user) -> None:
    leader = as_user("org_leader")
    assert leader.get(f"/api/v1/offices/{world.office.code}").json()["code"] == "quang-yen"
    assert leader.get(f"/api/v1/offices/{world.other_office.code}").status_code == 404
    orgs = leader.get("/api/v1/organizations").json()["items"]
    assert {o["unit_id"] for o in orgs} <= {world.town.pk, world.commune.pk}
    assert leader.get(f"/api/v1/units/{world.other_commune.pk}").status_code == 200


def _post(client: Client, url: str, data: dict[str, object], method: str = "post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_staff_create_and_update_people_through_the_api(world: World, as_user) -> None:
    client = as_user("staff")
    created = _post(
        client, "/api/v1/people", {"full_name": "Mai Văn Tiến", "unit_id": world.commune.pk}
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    changed = _post(client, f"/api/v1/people/{pk}", {"phone": "0912345678"}, "patch")
    assert changed.status_code == 200
    assert Person.objects.get(pk=pk).phone == "0912345678"


def test_bad_api_input_names_the_field_in_vietnamese(world: World, as_user) -> None:
    client = as_user("staff")
    before = Person.objects.count()
    response = _post(client, "/api/v1/people", {"full_name": "", "unit_id": world.other_commune.pk})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"full_name", "unit_id"}
    missing = _post(client, "/api/v1/people", {"unit_id": "abc"})
    assert missing.status_code == 422
    assert "bắt buộc" in json.dumps(missing.json(), ensure_ascii=False)
    assert Person.objects.count() == before


def test_people_outside_the_writers_reach_cannot_be_changed(world: World, as_user) -> None:
    client = as_user("org_leader")
    pk = world.people["commune_citizen"].pk
    assert (
        _post(client, f"/api/v1/people/{pk}", {"phone": "0912345678"}, "patch").status_code == 404
    )
    assert (
        _post(client, "/api/v1/people", {"full_name": "A B", "unit_id": world.town.pk}).status_code
        == 404
    )
