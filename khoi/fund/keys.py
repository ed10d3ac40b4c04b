"""Rotating the key of the household identities (ID and phone numbers).

Households are encrypted with the petitions' field keys (``KHOI_FIELD_KEYS``, see
``khoi.petitions.crypto``), so ``manage.py rotate_petition_keys`` must re-encrypt them too
before the old key is dropped: ``FundConfig.ready`` registers ``rotate_household_keys``
with ``khoi.petitions.keys.register_rotator``. Each batch is re-encrypted and audited in
one transaction (action ``fund.household.rotate_keys``: how many identities, the
fingerprint of the key now in use, the first and last household — never a key nor an
identity).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khoi.audit import services as audit
from khoi.fund.models import Household
from khoi.petitions import crypto
from khoi.petitions.keys import key_fingerprint


def rotate_household_keys(batch: int = 500, actor: Any = None) -> int:
    """Re-encrypt every household identity with the current key; the number re-encrypted."""
    done = 0
    last = 0
    fingerprint = key_fingerprint()
    while True:
        rows = list(
            Household.objects.filter(pk__gt=last)
            .exclude(identity_token="")
            .order_by("pk")
            .only("pk", "identity_token")[:batch]
        )
        if not rows:
            return done
        with transaction.atomic():
            for h in rows:
                h.identity_token = crypto.rotate(h.identity_token)
            Household.objects.bulk_update(rows, ["identity_token"])
            audit.record(
                actor,
                "fund.household.rotate_keys",
                rows[0],
                {
                    "identities": [None, len(rows)],
                    "key": [None, fingerprint],
                    "households": [rows[0].pk, rows[-1].pk],
                },
            )
        done += len(rows)
        last = rows[-1].pk


def rotation_message(count: int) -> str:
    return _("Re-encrypted the ID and phone numbers of %(n)s households with the current key.") % {
        "n": count
    }
