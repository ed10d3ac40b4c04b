"""Account changes: lockout bookkeeping, two-factor, API tokens."""

from __future__ import annotations

import datetime
from typing import Any

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.accounts.models import ApiToken, LoginFailure, User
from khoi.audit import services as audit
from khoi.lib import clientaddr
from khoi.lib.vntext import fold

TOTP_ISSUER = "Khối"


def _identifier(raw: str) -> str:
    """What failures are counted against: the account when the identifier names one (its
    username or e-mail address, so that both count together), else the folded text typed."""
    from django.db.models import Q

    ident = raw.strip()
    if ident:
        ids = list(
            User.objects.filter(Q(username__iexact=ident) | Q(email__iexact=ident)).values_list(
                "pk", flat=True
            )[:2]
        )
        if len(ids) == 1:
            return f"user:{ids[0]}"
    return fold(raw)[:254]


def lockout_remaining(raw_identifier: str, ip: str | None = None) -> datetime.timedelta | None:
    """Time left on a lockout of this account (or unknown identifier), or of this address
    (``KHOI_LOGIN_MAX_FAILURES_PER_IP`` failures, whatever was typed); None when it may try."""
    from khoi.clock import real_now

    window = datetime.timedelta(minutes=settings.KHOI_LOGIN_LOCKOUT_MINUTES)
    now = real_now()
    since = now - window
    checks = [({"identifier": _identifier(raw_identifier)}, settings.KHOI_LOGIN_MAX_FAILURES)]
    if ip:
        checks.append(({"ip_address": ip}, settings.KHOI_LOGIN_MAX_FAILURES_PER_IP))
    for condition, limit in checks:
        times = list(
            LoginFailure.objects.filter(created_at__gte=since, **condition)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            return times[0] + window - now
    return None


def note_login_failure(raw_identifier: str, ip: str | None) -> None:
    LoginFailure.objects.create(identifier=_identifier(raw_identifier), ip_address=ip)


def clear_login_failures(raw_identifier: str, user: User) -> None:
    LoginFailure.objects.filter(
        identifier__in={_identifier(raw_identifier), f"user:{user.pk}", fold(user.username)[:254]}
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
    """Returns the token and its key; the key is shown once and only its hash is kept.

    Only a fully signed-in user creates keys: someone who must use two-factor and has not
    set it up cannot (issue #9, finding 3).
    """
    if needs_2fa_setup(actor):
        raise ValidationError(_("Set up two-factor sign-in before creating an API key."))
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
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        do_admin_reset_password(actor, user)  # someone else set it: identities close


def do_admin_reset_password(
    actor: Any, user: User, *, what: str = "password", notify: str = ""
) -> None:
    """Record that someone else (an administrator) set ``user``'s password or e-mail.

    The user's protected identities close until a fresh sign-in with a second factor the
    user enrolled before now (``note_two_factor_sign_in``); a hash-chained audit entry is
    written and the user is told by e-mail (at the address known before the change).
    """
    from khoi.clock import real_now

    if actor is not None and getattr(actor, "pk", None) == user.pk:
        return
    notify_to = notify or user.email
    with transaction.atomic():
        user.identity_locked_at = real_now()
        user.save(update_fields=["identity_locked_at"])
        audit.record(
            actor, "user.admin_reset", user,
            {what: ["***", "***"], "identity_locked": [False, True]},
        )  # fmt: skip
    for address in {notify_to, user.email} - {""}:
        send_mail(
            _("Khối: your sign-in was changed by an administrator"),
            _(
                "The %(what)s of your account %(username)s was changed by an administrator "
                "(%(actor)s). Protected identities stay closed to your account until you sign "
                "in again with your two-factor code. If you did not ask for this, tell your "
                "office head at once."
            )
            % {
                "what": _("password") if what == "password" else _("e-mail address"),
                "username": user.username,
                "actor": str(actor) if actor is not None else "—",
            },
            None,
            [address],
            fail_silently=True,
        )


def note_two_factor_sign_in(user: User) -> None:
    """A fresh sign-in with a second factor enrolled before the lock reopens identities."""
    locked = user.identity_locked_at
    if locked is None or user.totp_confirmed_at is None or user.totp_confirmed_at >= locked:
        return
    with transaction.atomic():
        user.identity_locked_at = None
        user.save(update_fields=["identity_locked_at"])
        audit.record(user, "user.identity_unlock", user, {"identity_locked": [True, False]})


def identity_open(user: Any) -> bool:
    """May this account be shown protected identities at all (whatever the petition)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "identity_locked_at", None) is not None:
        return False
    return not (settings.KHOI_REQUIRE_2FA and not user.has_2fa)


def client_ip(request: Any) -> str | None:
    """The person's address (behind nginx: the one it names; see ``khoi.lib.clientaddr``)."""
    return clientaddr.client_address(request.META, settings.KHOI_FORWARDED_ALLOW_IPS) or None


def needs_2fa_setup(user: Any) -> bool:
    """Who must enable two-factor when it is required: administrators and everyone who can
    see an identity (office heads, office staff — case handlers are office staff)."""
    from khoi.accounts.access import get_scope

    if not settings.KHOI_REQUIRE_2FA or not user.is_authenticated or user.has_2fa:
        return False
    scope = get_scope(user)
    return scope.is_admin or bool(scope.head_office_ids) or bool(scope.staff_office_ids)
