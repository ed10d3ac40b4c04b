"""Rotating the key of the protected identities (``manage.py rotate_petition_keys``).

Each batch is re-encrypted and audited in one transaction (action ``petition.rotate_keys``:
how many identities, the fingerprint of the key now in use — never a key nor an identity).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import transaction

from khoi.audit import services as audit
from khoi.petitions import crypto
from khoi.petitions.common import AUDIT_REDACTED
from khoi.petitions.models import Petitioner

# Other apps whose data is encrypted with the same field keys (``KHOI_FIELD_KEYS``) register
# here: ``rotate_petition_keys`` re-encrypts theirs too, so the old key can then be dropped.
# A rotator takes (batch, actor) and returns how many values it re-encrypted; the message
# function turns that count into the command's line of output.
ROTATORS: list[tuple[Callable[[int, Any], int], Callable[[int], str]]] = []


def register_rotator(rotate: Callable[[int, Any], int], message: Callable[[int], str]) -> None:
    if all(r is not rotate for r, _m in ROTATORS):
        ROTATORS.append((rotate, message))


def key_fingerprint() -> str:
    """The first 12 hex digits of the SHA-256 of the current key (safe to log)."""
    return hashlib.sha256(crypto.keys()[0]).hexdigest()[:12]


def rotate_keys(batch: int = 500, actor: Any = None) -> int:
    """Re-encrypt every identity with the current key and recompute the blind indexes."""
    done = 0
    last = 0
    fingerprint = key_fingerprint()
    while True:
        rows = list(Petitioner.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return done
        with transaction.atomic():
            for p in rows:
                ident = crypto.decrypt(p.identity)
                p.identity = crypto.rotate(p.identity)
                p.name_index = crypto.blind_index(ident.get("name", ""))
                p.household_index = crypto.blind_index(ident.get("address", ""))
            Petitioner.objects.bulk_update(rows, ["identity", "name_index", "household_index"])
            audit.record(
                actor,
                "petition.rotate_keys",
                rows[0],
                {
                    "identities": [None, len(rows)],
                    "identity": [AUDIT_REDACTED, AUDIT_REDACTED],
                    "key": [None, fingerprint],
                    "petitioners": [rows[0].pk, rows[-1].pk],
                },
            )
        done += len(rows)
        last = rows[-1].pk
