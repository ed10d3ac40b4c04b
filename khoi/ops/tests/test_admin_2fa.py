"""The admin site is behind Khối's sign-in and two-factor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from khoi.clock import real_now

ROOT = Path(__file__).resolve().parents[3]


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


@pytest.mark.django_db
def test_in_production_the_admin_wants_two_factor_even_with_the_setting_off(
    world: Any, as_user: Any
) -> None:
    """Finding 14: ``KHOI_REQUIRE_2FA=0`` must not open /admin/ with a password alone when
    ``KHOI_DEBUG=0`` (settings make KHOI_ADMIN_REQUIRE_2FA true there, whatever it says)."""
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = as_user("admin")
    with override_settings(KHOI_REQUIRE_2FA=False, KHOI_ADMIN_REQUIRE_2FA=True):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/setup/"
        admin.totp_confirmed_at = real_now()
        admin.save(update_fields=["totp_confirmed_at"])
        assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"KHOI_DEBUG": "0", "KHOI_REQUIRE_2FA": "0"}, "True False"),
        ({"KHOI_DEBUG": "0"}, "True True"),
        ({"KHOI_DEBUG": "1", "KHOI_REQUIRE_2FA": "0"}, "False False"),
        ({"KHOI_DEBUG": "1", "KHOI_REQUIRE_2FA": "1"}, "True True"),
    ],
)
def test_production_settings_always_put_the_admin_behind_two_factor(
    env: dict[str, str], expected: str, tmp_path: Path
) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
    base.update(KHOI_SECRET_KEY="s" * 60, KHOI_VAR_DIR=str(tmp_path), **env)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.KHOI_ADMIN_REQUIRE_2FA, s.KHOI_REQUIRE_2FA)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
        env={**base, "DJANGO_SETTINGS_MODULE": "khoi.settings"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
