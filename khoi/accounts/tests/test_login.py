from __future__ import annotations

import datetime

import pyotp
import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from time_machine import TimeMachineFixture

from khoi.accounts import services
from khoi.testing.factories import PASSWORD, World

LOGIN = "/accounts/login/"


def test_the_login_page_is_in_vietnamese(client: Client, db: None) -> None:
    body = client.get(LOGIN).content.decode()
    assert 'lang="vi"' in body
    assert "Đăng nhập" in body


@pytest.mark.parametrize("ident", ["staff", "STAFF", "staff@example.org", "Staff@Example.org"])
def test_sign_in_with_username_or_email(world: World, client: Client, ident: str) -> None:
    response = client.post(LOGIN, {"username": ident, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_says_so_in_vietnamese(world: World, client: Client) -> None:
    response = client.post(LOGIN, {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_repeated_failures_lock_the_account_with_a_clear_message(
    world: World, client: Client
) -> None:
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        for _ in range(5):
            client.post(LOGIN, {"username": "staff", "password": "wrong"})
        response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
        body = response.content.decode()
        assert response.status_code == 200
        assert "tạm khóa" in body and "15" in body
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 16, tzinfo=datetime.UTC), tick=False):
        response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
        assert response.status_code == 302


def test_unknown_names_are_locked_too_so_accounts_cannot_be_probed(
    db: None, client: Client
) -> None:
    for _ in range(5):
        client.post(LOGIN, {"username": "nobody", "password": "x"})
    assert (
        "tạm khóa" in client.post(LOGIN, {"username": "nobody", "password": "x"}).content.decode()
    )


def test_two_factor_sign_in_asks_for_the_code(world: World, client: Client) -> None:
    user = world.users["staff"]
    secret = pyotp.random_base32()
    services.do_enable_2fa(user, secret)
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:2fa_verify"))
    assert client.get("/").status_code == 302  # not signed in yet
    bad = client.post(reverse("accounts:2fa_verify"), {"code": "000000"})
    assert "hết hạn" in bad.content.decode() or "sai" in bad.content.decode()
    ok = client.post(reverse("accounts:2fa_verify"), {"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(world: World) -> None:
    user = world.users["staff"]
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).now()
    assert services.check_totp(secret, code, user)
    assert not services.check_totp(secret, code, user)


def test_office_heads_must_set_up_two_factor_when_required(world: World, as_user) -> None:
    with override_settings(KHOI_REQUIRE_2FA=True):
        head = as_user("office_head")
        assert head.get("/").url == reverse("accounts:2fa_setup")
        leader = as_user("org_leader")  # sees no identity: two-factor is not forced
        assert leader.get("/").status_code == 200


def test_setting_up_two_factor_turns_it_on(world: World, as_user) -> None:
    client = as_user("office_head")
    client.get(reverse("accounts:2fa_setup"))
    secret = client.session["khoi_2fa_setup_secret"]
    response = client.post(reverse("accounts:2fa_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    world.users["office_head"].refresh_from_db()
    assert world.users["office_head"].has_2fa


def test_password_reset_sends_an_email_in_vietnamese(world: World, client: Client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "staff@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert "mật khẩu" in mail.outbox[0].subject.lower()


def test_sessions_expire_after_idle_time_and_are_written_at_most_once_a_minute(
    settings, world: World, as_user, time_machine: TimeMachineFixture
) -> None:
    """The idle timeout moves on with use, without a session write on every request."""
    from django.contrib.sessions.models import Session

    settings.KHOI_SESSION_TOUCH_SECONDS = 60
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    client = as_user("staff")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("home")).status_code == 200
    first = Session.objects.get(session_key=key).expire_date
    assert first == start + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    time_machine.move_to(start + datetime.timedelta(seconds=30), tick=False)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]
                and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]  # fmt: skip
    assert Session.objects.get(session_key=key).expire_date == first

    later = start + datetime.timedelta(seconds=90)
    time_machine.move_to(later, tick=False)
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == later + datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE
    )

    # idle longer than the timeout: signed out
    time_machine.move_to(later + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    assert client.get(reverse("home")).status_code == 302


def test_api_tokens_are_shown_once_and_can_be_revoked(world: World, as_user) -> None:
    client = as_user("staff")
    body = client.post(reverse("accounts:profile"), {"name": "Công cụ báo cáo"}).content.decode()
    token = world.users["staff"].api_tokens.get()
    assert "khoi_" in body
    assert token.key_hash not in body
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
