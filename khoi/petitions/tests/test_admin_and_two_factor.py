"""Issue #9, findings 2 and 3: administrators never reach identities; two-factor holds on
the API and for API keys.

Attack 2: the site administrator resets the case handler's (or head's) password in the
admin, signs in as them and opens the identity page. Attack 3: with KHOI_REQUIRE_2FA, a head
signed in with only a password uses the API through the session, creates an API key on
the profile page and changes petitions with it.
"""

from __future__ import annotations

from typing import Any

import pyotp
from django.core import mail
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from khoi.accounts import services as account_services
from khoi.accounts.models import ApiToken, User
from khoi.audit.models import AuditEntry, SensitiveAccess
from khoi.audit.services import verify_chain
from khoi.petitions.tests.conftest import SECRET_NAME, Case
from khoi.testing.factories import PASSWORD

NEW_PASSWORD = "mat-khau-moi-cua-quan-tri-2025"


def _admin_resets(case: Case, victim: User) -> None:
    admin = Client()
    admin.force_login(case.world.users["admin"])
    url = reverse("admin:auth_user_password_change", args=[victim.pk])
    response = admin.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _sign_in(username: str, password: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response


def _identity(client: Client, case: Case) -> Any:
    return client.get(reverse("petitions:petition_identity", args=[case.denunciation.pk]))


def test_an_administrators_password_reset_closes_the_identity_page(case: Case) -> None:
    handler = case.handler
    mail.outbox.clear()
    _admin_resets(case, handler)
    handler.refresh_from_db()
    assert handler.identity_locked_at is not None
    # the administrator signs in as the handler with the new password...
    client, _r = _sign_in(handler.username, NEW_PASSWORD)
    response = _identity(client, case)
    assert response.status_code == 404
    assert SECRET_NAME not in response.content.decode()
    assert not SensitiveAccess.objects.filter(user=handler).exists()
    # ...the change is in the hash-chained log and the handler is told
    entry = AuditEntry.objects.get(action="user.admin_reset", object_id=str(handler.pk))
    assert entry.actor == case.world.users["admin"]
    assert verify_chain() is None
    assert [m.to for m in mail.outbox] == [[handler.email]]
    assert "Quản trị viên (admin)" in mail.outbox[0].body


def test_the_head_with_two_factor_reopens_identities_by_a_fresh_sign_in(
    case: Case, time_machine: Any
) -> None:
    head = case.world.users["office_head"]
    secret = pyotp.random_base32()
    account_services.do_enable_2fa(head, secret)
    time_machine.shift(60)
    _admin_resets(case, head)
    # the administrator cannot get past the second factor
    client, response = _sign_in(head.username, NEW_PASSWORD)
    assert response["Location"].startswith(reverse("accounts:2fa_verify"))
    assert _identity(client, case).status_code == 302  # not signed in
    # the head, with their own factor enrolled before the reset, can
    time_machine.shift(60)
    ok = client.post(reverse("accounts:2fa_verify"), {"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    head.refresh_from_db()
    assert head.identity_locked_at is None
    assert SECRET_NAME in _identity(client, case).content.decode()
    assert AuditEntry.objects.filter(action="user.identity_unlock").exists()


def test_a_factor_enrolled_after_the_reset_does_not_reopen(case: Case, time_machine: Any) -> None:
    handler = case.handler
    _admin_resets(case, handler)
    time_machine.shift(60)
    secret = pyotp.random_base32()
    handler.refresh_from_db()
    account_services.do_enable_2fa(handler, secret)  # the administrator, as the handler
    time_machine.shift(60)
    client, _r = _sign_in(handler.username, NEW_PASSWORD)
    client.post(reverse("accounts:2fa_verify"), {"code": pyotp.TOTP(secret).now()})
    handler.refresh_from_db()
    assert handler.identity_locked_at is not None
    assert _identity(client, case).status_code == 404


def test_changing_the_email_in_the_admin_counts_as_a_reset(case: Case) -> None:
    mail.outbox.clear()
    admin = Client()
    admin.force_login(case.world.users["admin"])
    handler = case.handler
    url = reverse("admin:accounts_user_change", args=[handler.pk])
    assert admin.get(url).status_code == 200
    data = {
        "username": handler.username, "email": "attacker@example.org", "is_active": "on",
        "first_name": handler.first_name, "last_name": handler.last_name,
        "date_joined_0": "17/10/2025", "date_joined_1": "09:00:00",
    }  # fmt: skip
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    handler.refresh_from_db()
    assert handler.email == "attacker@example.org"
    assert handler.identity_locked_at is not None
    assert "handler@example.org" in [m.to[0] for m in mail.outbox]


@override_settings(KHOI_REQUIRE_2FA=True)
def test_case_handlers_must_use_two_factor_to_see_identities(case: Case) -> None:
    client, _r = _sign_in(case.handler.username, PASSWORD)
    assert client.get("/")["Location"] == reverse("accounts:2fa_setup")
    assert _identity(client, case).status_code == 302
    assert account_services.needs_2fa_setup(case.handler)


@override_settings(KHOI_REQUIRE_2FA=True)
def test_without_the_second_factor_the_session_reaches_no_api_and_creates_no_key(
    case: Case,
) -> None:
    head = case.world.users["office_head"]
    client, _r = _sign_in(head.username, PASSWORD)
    pk = case.complaint.pk
    assert client.get("/api/v1/petitions").status_code == 403
    assert client.get(f"/api/v1/petitions/{pk}").status_code == 403
    response = client.post(f"/api/v1/petitions/{pk}/transitions", {"action": "classify"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403
    assert response.json()["detail"] == "Cần bật xác thực hai lớp trước."
    # the profile page (where keys are made) is out of reach too
    assert client.post(reverse("accounts:profile"), {"name": "x"}).status_code == 302
    assert not ApiToken.objects.filter(user=head).exists()


def test_a_key_of_a_user_who_must_use_two_factor_works_only_once_it_is_set_up(
    case: Case,
) -> None:
    head = case.world.users["office_head"]
    _token, key = account_services.do_create_api_token(head, "báo cáo")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/petitions").status_code == 200
    with override_settings(KHOI_REQUIRE_2FA=True):
        assert api.get("/api/v1/petitions").status_code == 401
        response = api.post(
            f"/api/v1/petitions/{case.complaint.pk}/transitions", {"action": "classify"},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 401
        try:
            account_services.do_create_api_token(head, "khác")
        except Exception as exc:
            assert "two-factor" in str(exc) or "hai lớp" in str(exc)
        else:
            raise AssertionError("a key was created without two-factor")
        account_services.do_enable_2fa(head, pyotp.random_base32())
        assert api.get("/api/v1/petitions").status_code == 200
