"""Issue #9 finding 4: staff cannot deactivate their head or the case handler.

Who may change whom is active is a rule of the service, the same on the page and the API:
staff edit people's details; only the office head and the site administrator change who
is active, and never the last head of an office out.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from khoi.org import services
from khoi.testing.factories import World


def test_staff_cannot_deactivate_the_head_through_the_api(world: World, as_user: Any) -> None:
    head = world.people["office_head"]
    response = as_user("staff").patch(
        f"/api/v1/people/{head.pk}", {"is_active": False}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "is_active" in response.json()["errors"]
    head.refresh_from_db()
    assert head.is_active


def test_staff_still_edit_details_through_the_api(world: World, as_user: Any) -> None:
    head = world.people["office_head"]
    response = as_user("staff").patch(
        f"/api/v1/people/{head.pk}", {"phone": "0912345678"}, content_type="application/json"
    )
    assert response.status_code == 200
    head.refresh_from_db()
    assert head.phone == "0912345678" and head.is_active


def test_staff_cannot_deactivate_a_colleague_on_the_page(world: World, as_user: Any) -> None:
    citizen = world.people["commune_citizen"]
    url = reverse("org:person_edit", args=[citizen.pk])
    form = as_user("staff").get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "is_active"}
    data["unit"] = citizen.unit_id
    response = as_user("staff").post(url, data)
    assert response.status_code == 200  # the form again, with the error
    citizen.refresh_from_db()
    assert citizen.is_active


def test_the_head_deactivates_others_but_not_themselves_as_last_head(
    world: World, as_user: Any
) -> None:
    head_user = world.users["office_head"]
    citizen = world.people["commune_citizen"]
    services.do_update_person(head_user, citizen, is_active=False)
    citizen.refresh_from_db()
    assert not citizen.is_active
    with pytest.raises(ValidationError):
        services.do_update_person(head_user, world.people["office_head"], is_active=False)
    response = as_user("office_head").patch(
        f"/api/v1/people/{world.people['office_head'].pk}",
        {"is_active": False},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_the_site_administrator_may_change_who_is_active(world: World) -> None:
    staff = world.people["staff"]
    services.do_update_person(world.users["admin"], staff, is_active=False)
    staff.refresh_from_db()
    assert not staff.is_active
