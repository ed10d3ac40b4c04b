"""The admin site is behind Khối's sign-in and two-factor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings


@pytest.mark.django_db
def test_the_admin_sign_in_page_is_ours(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/org/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Forg%2F"
    # a password posted to the admin's own form is never checked
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_outside_next_is_dropped(client: Client) -> None:
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_the_admin_wants_two_factor_when_required(world: Any, as_user: Any) -> None:
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = as_user("admin")
    with override_settings(KHOI_REQUIRE_2FA=True):
        response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"
    with override_settings(KHOI_REQUIRE_2FA=False):
        assert client.get("/admin/").status_code == 200
