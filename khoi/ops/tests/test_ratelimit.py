"""Rate limits on sign-in, password reset and the API per token."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings

from khoi.ops import ratelimit

LIMITS = {"login": 3, "password_reset": 2, "api": 4}


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # one window for the whole test: a slow machine must not cross a minute's boundary
    moment = datetime.datetime(2026, 3, 2, 9, 0, 10, tzinfo=datetime.UTC)
    monkeypatch.setattr(ratelimit, "real_now", lambda: moment)
    cache.clear()
    with override_settings(KHOI_RATE_LIMITS=LIMITS):
        yield
    cache.clear()


@pytest.mark.django_db
def test_sign_in_is_limited_per_address(client: Client) -> None:
    codes = [
        client.post("/accounts/login/", {"username": f"u{i}", "password": "x"}).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/accounts/login/", {"username": "u", "password": "x"}).status_code == 200
    assert client.get("/accounts/login/").status_code == 200  # reading the form is free


@pytest.mark.django_db
def test_password_reset_is_limited(client: Client) -> None:
    codes = [
        client.post("/accounts/password/reset/", {"email": "a@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]


@pytest.mark.django_db
def test_the_api_is_limited_per_token(world: Any) -> None:
    from khoi.accounts import services

    key = services.do_create_api_token(world.users["staff"], "test")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    codes = [client.get("/api/v1/meetings").status_code for _ in range(6)]
    assert codes[:4] == [200] * 4 and codes[4:] == [429, 429]
    other = Client(HTTP_AUTHORIZATION="Bearer another-token")
    assert other.get("/api/v1/meetings").status_code == 401


@pytest.mark.django_db
def test_behind_nginx_the_real_address_counts(client: Client) -> None:
    # the test client's peer is 127.0.0.1: the default KHOI_FORWARDED_ALLOW_IPS (our nginx)
    for _ in range(3):
        client.post(
            "/accounts/login/", {"username": "u", "password": "x"}, HTTP_X_REAL_IP="1.1.1.1"
        )
    blocked = client.post(
        "/accounts/login/", {"username": "u", "password": "x"}, HTTP_X_REAL_IP="1.1.1.1"
    )
    free = client.post(
        "/accounts/login/", {"username": "u", "password": "x"}, HTTP_X_REAL_IP="2.2.2.2"
    )
    assert (blocked.status_code, free.status_code) == (429, 200)


@pytest.mark.django_db
def test_a_caller_that_is_not_the_proxy_cannot_spoof_its_address() -> None:
    """Finding 16: gunicorn reachable on the LAN; a caller sends a new X-Real-IP (and
    X-Forwarded-For) with every sign-in attempt and is still counted by its own address."""
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    codes = [
        attacker.post(
            "/accounts/login/",
            {"username": "u", "password": "x"},
            HTTP_X_REAL_IP=f"203.0.113.{i}",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    with override_settings(KHOI_FORWARDED_ALLOW_IPS=["10.0.0.0/24"]):  # a proxy on the LAN
        proxied = Client(REMOTE_ADDR="10.0.0.66")
        response = proxied.post(
            "/accounts/login/", {"username": "u", "password": "x"}, HTTP_X_REAL_IP="203.0.113.99"
        )
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_per_address_lockout_reads_the_same_address() -> None:
    from khoi.accounts.services import client_ip

    spoofed = Client(REMOTE_ADDR="10.0.0.66").get("/accounts/login/", HTTP_X_REAL_IP="1.1.1.1")
    assert client_ip(spoofed.wsgi_request) == "10.0.0.66"
    proxied = Client().get("/accounts/login/", HTTP_X_REAL_IP="1.1.1.1")
    assert client_ip(proxied.wsgi_request) == "1.1.1.1"
