"""Every page of the org app, for every persona: seen, or answered like a missing page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from khoi.testing.factories import World

OK, MISSING = 200, 404


def urls(world: World) -> dict[str, str]:
    return {
        "office": reverse("org:office_detail", args=[world.office.code]),
        "other_office": reverse("org:office_detail", args=[world.other_office.code]),
        "org": reverse("org:organization_detail", args=[world.women.pk]),
        "person_town": reverse("org:person_detail", args=[world.people["commune_citizen"].pk]),
        "person_other": reverse("org:person_detail", args=[world.people["other_person"].pk]),
        "edit_person": reverse("org:person_edit", args=[world.people["commune_citizen"].pk]),
        "new_person": reverse("org:person_create"),
        "audit_log": reverse("audit:log"),
        "history_person": reverse(
            "audit:history", args=["org.person", world.people["commune_citizen"].pk]
        ),
    }


# persona → page → expected status
EXPECTED = {
    "office_head": dict(office=OK, other_office=MISSING, org=OK, person_town=OK, person_other=MISSING,
                        edit_person=OK, new_person=OK, audit_log=OK, history_person=OK),
    "org_leader": dict(office=OK, other_office=MISSING, org=OK, person_town=OK, person_other=MISSING,
                       edit_person=MISSING, new_person=MISSING, audit_log=MISSING, history_person=OK),
    "staff": dict(office=OK, other_office=MISSING, org=OK, person_town=OK, person_other=MISSING,
                  edit_person=OK, new_person=OK, audit_log=MISSING, history_person=OK),
    "other_staff": dict(office=MISSING, other_office=OK, org=MISSING, person_town=MISSING,
                        person_other=OK, edit_person=MISSING, new_person=OK, audit_log=MISSING,
                        history_person=MISSING),
    "reporter": dict(office=MISSING, other_office=MISSING, org=MISSING, person_town=MISSING,
                     person_other=MISSING, edit_person=MISSING, new_person=MISSING, audit_log=MISSING,
                     history_person=MISSING),
    "viewer": dict(office=OK, other_office=MISSING, org=OK, person_town=OK, person_other=MISSING,
                   edit_person=MISSING, new_person=MISSING, audit_log=MISSING, history_person=OK),
    "outsider": dict(office=MISSING, other_office=MISSING, org=MISSING, person_town=MISSING,
                     person_other=MISSING, edit_person=MISSING, new_person=MISSING, audit_log=MISSING,
                     history_person=MISSING),
    "admin": dict(office=OK, other_office=OK, org=OK, person_town=OK, person_other=OK, edit_person=OK,
                  new_person=OK, audit_log=OK, history_person=OK),
}  # fmt: skip


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_sees_exactly_the_pages_in_its_reach(
    world: World, as_user, persona: str
) -> None:
    client: Client = as_user(persona)
    got = {name: client.get(url).status_code for name, url in urls(world).items()}
    assert got == EXPECTED[persona]


def test_a_forbidden_object_is_answered_exactly_like_a_missing_one(world: World, as_user) -> None:
    client = as_user("reporter")
    forbidden = client.get(reverse("org:person_detail", args=[world.people["other_person"].pk]))
    missing = client.get(reverse("org:person_detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_the_reporter_sees_the_people_of_their_own_commune_only(world: World, as_user) -> None:
    client = as_user("reporter")
    own = world.people["reporter"]
    assert client.get(reverse("org:person_detail", args=[own.pk])).status_code == 200
    page = client.get(reverse("org:person_list")).content.decode()
    assert own.full_name in page
    assert world.people["commune_citizen"].full_name not in page


@pytest.mark.parametrize(
    "name", ["home", "org:office_list", "org:organization_list", "org:person_list", "org:unit_list"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_list_pages_open_for_every_persona(world: World, as_user, persona: str) -> None:
    client = as_user(persona)
    for name in [
        "home",
        "org:office_list",
        "org:organization_list",
        "org:person_list",
        "org:unit_list",
    ]:
        assert client.get(reverse(name)).status_code == 200, name


def test_only_the_office_head_adds_sub_committees(world: World, as_user) -> None:
    url = reverse("org:office_detail", args=[world.office.code])
    assert as_user("staff").post(url, {"name": "Tiểu ban Tuyên truyền"}).status_code == 404
    response = as_user("office_head").post(url, {"name": "Tiểu ban Tuyên truyền"})
    assert response.status_code == 302
    assert world.office.subcommittees.filter(name="Tiểu ban Tuyên truyền").exists()


def test_memberships_are_managed_by_the_office_head_only(world: World, as_user) -> None:
    target = world.people["commune_citizen"]
    url = reverse("org:person_detail", args=[target.pk])
    data = {"role": "staff", "target": f"office:{world.office.pk}", "start_on": "01/10/2017"}
    assert as_user("staff").post(url, data).status_code == 404
    assert as_user("office_head").post(url, data).status_code == 302
    membership = target.memberships.get()
    assert membership.office == world.office
    end_url = reverse("org:membership_end", args=[membership.pk])
    assert as_user("org_leader").post(end_url).status_code == 404
    assert as_user("office_head").post(end_url).status_code == 302
    membership.refresh_from_db()
    assert membership.end_on is not None
