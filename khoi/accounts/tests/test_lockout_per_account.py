"""Issue #9 finding 5: the sign-in lockout counts per account, and per address.

The attack: five wrong passwords on the username, four more on the e-mail address, then
the right password signed in. Both identifiers now count against the one account.
"""

from __future__ import annotations

from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from khoi.testing.factories import PASSWORD, World

LOGIN = reverse("accounts:login")


def test_username_and_email_failures_count_against_the_same_account(
    world: World, client: Client
) -> None:
    for ident in ["staff", "STAFF", "staff@example.org", "Staff@Example.org", "staff"]:
        client.post(LOGIN, {"username": ident, "password": "wrong"})
    for ident in ("staff", "staff@example.org"):
        response = client.post(LOGIN, {"username": ident, "password": PASSWORD})
        assert response.status_code == 200
        assert "tạm khóa" in response.content.decode()


def test_a_lockout_of_one_account_does_not_lock_another(world: World) -> None:
    attacker = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        attacker.post(LOGIN, {"username": "staff", "password": "wrong"})
    other = Client(REMOTE_ADDR="10.0.0.10")
    assert other.post(LOGIN, {"username": "head", "password": PASSWORD}).status_code == 302


@override_settings(KHOI_LOGIN_MAX_FAILURES_PER_IP=8)
def test_one_address_trying_many_accounts_is_slowed_down(world: World) -> None:
    attacker = Client(REMOTE_ADDR="10.0.0.9")
    for name in ["a", "b", "c", "d", "e", "f", "g", "h"]:
        attacker.post(LOGIN, {"username": name, "password": "wrong"})
    response = attacker.post(LOGIN, {"username": "head", "password": PASSWORD})
    assert response.status_code == 200 and "tạm khóa" in response.content.decode()
    elsewhere = Client(REMOTE_ADDR="10.0.0.10")
    assert elsewhere.post(LOGIN, {"username": "head", "password": PASSWORD}).status_code == 302
