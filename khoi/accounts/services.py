"""Account changes: lockout bookkeeping, two-factor, API tokens."""

from __future__ import annotations

import datetime
from typing import Any

import pyotp
from django.conf import settings
from django.db import transaction

from khoi import clock
from khoi.accounts.models import ApiToken, LoginFailure, User
from khoi.audit import services as audit
from khoi.lib.vntext import fold

TOTP_ISSUER = "Khối"


def _identifier(raw: str) -> str:
    return fold(raw)[:254]


def lockout_remaining(raw_identifier: str) -> datetime.timedelta | None:
    """Time left on a lockout for this identifier, or None when it may try."""
    window = datetime.timedelta(minutes=settings.KHOI_LOGIN_LOCKOUT_MINUTES)
    since = clock.real_now() - window
    recent = LoginFailure.objects.filter(
        identifier=_identifier(raw_identifier), created_at__gte=since
    ).order_by("-created_at")
    times = list(recent.values_list("created_at", flat=True)[: settings.KHOI_LOGIN_MAX_FAILURES])
    if len(times) < settings.KHOI_LOGIN_MAX_FAILURES:
        return None
    return times[0] + window - clock.real_now()


def note_login_failure(raw_identifier: str, ip: str | None) -> None:
    LoginFailure.objects.create(identifier=_identifier(raw_identifier), ip_address=ip)


def clear_login_failures(raw_identifier: str, user: User) -> None:
    LoginFailure.objects.filter(
        identifier__in={_identifier(raw_identifier), _identifier(user.username)}
    ).delete()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def check_totp(secret: str, code: str, user: User | None = None) -> bool:
    """Accept the current code (±1 step); a code is never accepted twice."""
    code = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now = clock.real_now()
    for offset in (0, -1, 1):
        at = now + datetime.timedelta(seconds=30 * offset)
        if totp.verify(code, for_time=at, valid_window=0):
            step = int(at.timestamp()) // 30
            if user is not None:
                if step <= user.totp_last_step:
                    return False
                user.totp_last_step = step
                user.save(update_fields=["totp_last_step"])
            return True
    return False


def do_enable_2fa(actor: User, secret: str) -> None:
    with transaction.atomic():
        actor.totp_secret = secret
        actor.totp_confirmed_at = clock.real_now()
        actor.save(update_fields=["totp_secret", "totp_confirmed_at"])
        audit.record(actor, "user.2fa_enable", actor, {"two_factor": [False, True]})


def do_disable_2fa(actor: User, user: User) -> None:
    with transaction.atomic():
        user.totp_secret = ""
        user.totp_confirmed_at = None
        user.save(update_fields=["totp_secret", "totp_confirmed_at"])
        audit.record(actor, "user.2fa_disable", user, {"two_factor": [True, False]})


def do_create_api_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is shown once and only its hash is kept."""
    key = ApiToken.new_key()
    token = ApiToken(user=actor, name=name, prefix=key[5:13], key_hash=ApiToken.hash_key(key))
    audit.create(actor, token, "token.create")
    return token, key


def do_revoke_api_token(actor: User, token: ApiToken) -> None:
    audit.update_fields(actor, token, {"revoked_at": clock.real_now()}, "token.revoke")


def do_create_user(
    actor: Any, *, username: str, email: str = "", password: str, first_name: str = "",
    last_name: str = "", is_superuser: bool = False,
) -> User:  # fmt: skip
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit.record(
            actor,
            "user.create",
            user,
            {"username": [None, username], "is_superuser": [None, is_superuser]},
        )
    return user


def do_change_password(actor: User, user: User, password: str) -> None:
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor, "user.password_change", user, {"password": ["***", "***"]})


def client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def needs_2fa_setup(user: Any) -> bool:
    """Office heads and administrators must enable two-factor when it is required."""
    from khoi.accounts.access import get_scope

    if not settings.KHOI_REQUIRE_2FA or not user.is_authenticated or user.has_2fa:
        return False
    scope = get_scope(user)
    return scope.is_admin or bool(scope.head_office_ids)
