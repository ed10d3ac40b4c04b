"""Encryption at rest of petitioners' identities (whistle-blower protection).

Keys come from the environment variable ``KHOI_FIELD_KEYS``: comma-separated Fernet keys
(``Fernet.generate_key()``), the first one current. New values are encrypted with the
first key; every listed key can decrypt, so a rotation is:

1. put a new key in front: ``KHOI_FIELD_KEYS=<new>,<old>``;
2. run ``python manage.py rotate_petition_keys`` (re-encrypts every identity with the
   new key and recomputes the blind indexes, then the other apps' values encrypted with
   these keys — the fund's household ID and phone numbers — see ``keys.ROTATORS``);
3. drop the old key from the variable.

Without ``KHOI_FIELD_KEYS`` (development, tests) a key is derived from ``SECRET_KEY``
and a warning is logged once; with ``KHOI_DEBUG=0`` the variable is required.

The *blind indexes* (``blind_index``) are keyed HMAC-SHA256 digests of the folded name
or address: they let the duplicate finder see "same petitioner" or "same household"
without any clear text in the database. Their key is derived from the current Fernet key,
so they are recomputed by the rotation command.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from khoi.lib.vntext import fold

logger = logging.getLogger(__name__)

ENV_VAR = "KHOI_FIELD_KEYS"
_cache: dict[str, Any] = {}


def _derived_dev_key() -> bytes:
    digest = hashlib.sha256(b"khoi-field-key:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def keys() -> list[bytes]:
    """The configured keys, current first."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw:
        return [k.strip().encode() for k in raw.split(",") if k.strip()]
    if settings.KHOI_FIELD_KEYS_REQUIRED:
        raise ImproperlyConfigured(f"{ENV_VAR} must be set when KHOI_DEBUG=0")
    if not _cache.get("warned"):
        logger.warning(
            "%s is not set: petitioners' identities are encrypted with a key derived from "
            "SECRET_KEY (development only; set %s in production).",
            ENV_VAR,
            ENV_VAR,
        )
        _cache["warned"] = True
    return [_derived_dev_key()]


def _fernet() -> MultiFernet:
    ks = keys()
    cache_key = "|".join(k.decode() for k in ks)
    cached = _cache.get("fernet")
    if cached is not None and cached[0] == cache_key:
        return cached[1]
    try:
        multi = MultiFernet([Fernet(k) for k in ks])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{ENV_VAR} holds a key that is not a Fernet key") from exc
    _cache["fernet"] = (cache_key, multi)
    return multi


def encrypt(data: dict[str, Any]) -> str:
    """A JSON-able dict → an encrypted token (text)."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return _fernet().encrypt(body).decode()


def decrypt(token: str) -> dict[str, Any]:
    try:
        body = _fernet().decrypt(token.encode())
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            f"An identity cannot be decrypted with the keys in {ENV_VAR}."
        ) from exc
    value: dict[str, Any] = json.loads(body)
    return value


def rotate(token: str) -> str:
    """Re-encrypt a token with the current key."""
    return _fernet().rotate(token.encode()).decode()


def blind_index(text: str) -> str:
    """A keyed digest of the folded text ("" for an empty text)."""
    folded = fold(text)
    if not folded:
        return ""
    key = hashlib.sha256(b"khoi-blind-index:" + keys()[0]).digest()
    return hmac.new(key, folded.encode(), hashlib.sha256).hexdigest()[:40]


# --- Scans of protected petitions ------------------------------------------------------------
#
# The original scan of a protected petition shows the petitioner's name, signature and
# address: it is stored encrypted with the same keys (issue #9, finding 8). A sealed file
# starts with ``FILE_MAGIC``; files without it (redacted copies, unprotected petitions,
# scans stored before) are read as they are.

FILE_MAGIC = b"KHOI-FERNET-1\n"


def seal_bytes(data: bytes) -> bytes:
    return FILE_MAGIC + _fernet().encrypt(data)


def is_sealed(data: bytes) -> bool:
    return data.startswith(FILE_MAGIC)


def open_bytes(data: bytes) -> bytes:
    """The clear content of a stored file, sealed or not."""
    if not is_sealed(data):
        return data
    try:
        return _fernet().decrypt(data[len(FILE_MAGIC) :])
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            f"A scan cannot be decrypted with the keys in {ENV_VAR}."
        ) from exc


def reseal_bytes(data: bytes) -> bytes:
    """A stored file sealed with the current key (sealing a clear one)."""
    if not is_sealed(data):
        return seal_bytes(data)
    return FILE_MAGIC + _fernet().rotate(data[len(FILE_MAGIC) :])
