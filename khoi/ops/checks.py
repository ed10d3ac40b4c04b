"""System checks of the production secrets (``KHOI_DEBUG=0``, not the demo).

``KHOI_FIELD_KEYS`` (the Fernet keys of petitioners' identities, households' IDs and phone
numbers) and ``KHOI_AUDIT_KEY`` (the audit chain's HMAC key) must be set, real and not the
placeholders of ``deploy/khoi.env.example``; ``KHOI_SECRET_KEY`` not its placeholder either
(settings.py already refuses an unset one). In every mode, ``KHOI_FORWARDED_ALLOW_IPS`` must
hold addresses or networks (``khoi.E004``), not a word that would fail every request.

The check runs with every ``manage.py`` command (``check --deploy``, ``migrate``,
``runserver``, the timers' commands) and when the WSGI/ASGI application loads
(``khoi/wsgi.py``), so a server without them refuses to start instead of failing on the
first protected identity it meets.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register, run_checks
from django.core.exceptions import ImproperlyConfigured

from khoi.lib import clientaddr

TAG = "khoi_secrets"
# What the example file and the documentation put in place of a secret.
PLACEHOLDERS = ("change-me", "changeme", "<", "…", "...")
AUDIT_KEY_MIN_LENGTH = 32
GENERATE_FERNET = (
    '.venv/bin/python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)
GENERATE_SECRET = '.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))"'  # noqa: S105


def _placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(mark in lowered for mark in PLACEHOLDERS)


def field_key_problems(raw: str) -> list[str]:
    """What is wrong with a ``KHOI_FIELD_KEYS`` value (empty list: nothing)."""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        return ["KHOI_FIELD_KEYS is not set"]
    problems = []
    for number, key in enumerate(keys, start=1):
        if _placeholder(key):
            problems.append(f"KHOI_FIELD_KEYS key {number} is the example's placeholder")
            continue
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            problems.append(f"KHOI_FIELD_KEYS key {number} is not a Fernet key")
    return problems


def audit_key_problems(raw: str) -> list[str]:
    """What is wrong with a ``KHOI_AUDIT_KEY`` value (empty list: nothing)."""
    if not raw.strip():
        return ["KHOI_AUDIT_KEY is not set"]
    if raw.strip().startswith("hex:"):  # a key given as bytes (khoi.audit.models.HEX_PREFIX)
        try:
            size = len(bytes.fromhex(raw.strip()[4:]))
        except ValueError:
            return ["KHOI_AUDIT_KEY starts with hex: but is not hexadecimal"]
        return [] if size >= AUDIT_KEY_MIN_LENGTH else ["KHOI_AUDIT_KEY (hex:) is too short"]
    if _placeholder(raw):
        return ["KHOI_AUDIT_KEY is the example's placeholder"]
    if len(raw.strip()) < AUDIT_KEY_MIN_LENGTH:
        return [f"KHOI_AUDIT_KEY is shorter than {AUDIT_KEY_MIN_LENGTH} characters"]
    return []


@register(Tags.security, TAG)
def check_production_secrets(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if getattr(settings, "KHOI_FIELD_KEYS_REQUIRED", False):
        for problem in field_key_problems(os.environ.get("KHOI_FIELD_KEYS", "")):
            errors.append(
                Error(
                    f"{problem}; it is required with KHOI_DEBUG=0.",
                    hint=f"Make a key with {GENERATE_FERNET} (keep a copy in the office safe).",
                    id="khoi.E001",
                )
            )
    if getattr(settings, "KHOI_AUDIT_KEY_REQUIRED", False):
        for problem in audit_key_problems(getattr(settings, "KHOI_AUDIT_KEY", "")):
            errors.append(
                Error(
                    f"{problem}; it is required with KHOI_DEBUG=0.",
                    hint=f"Make one with {GENERATE_SECRET} and keep it as long as the data.",
                    id="khoi.E002",
                )
            )
    secret = str(settings.SECRET_KEY).lower()
    if getattr(settings, "KHOI_PRODUCTION", False) and (
        "change-me" in secret or "changeme" in secret
    ):
        errors.append(
            Error(
                "KHOI_SECRET_KEY is the example's placeholder.",
                hint=f"Make one with {GENERATE_SECRET}.",
                id="khoi.E003",
            )
        )
    try:
        clientaddr.networks(getattr(settings, "KHOI_FORWARDED_ALLOW_IPS", []))
    except ValueError as exc:
        errors.append(
            Error(
                f"KHOI_FORWARDED_ALLOW_IPS holds something that is no address: {exc}",
                hint="Addresses or networks, comma-separated, e.g. 127.0.0.1,10.0.0.0/24.",
                id="khoi.E004",
            )
        )
    return errors


def refuse_to_start_without_secrets() -> None:
    """Raises ``ImproperlyConfigured`` naming every missing or wrong production secret
    (the web server's start-up: gunicorn does not run the system checks itself)."""
    errors = run_checks(tags=[TAG])
    if errors:
        raise ImproperlyConfigured("; ".join(str(e.msg) for e in errors))
