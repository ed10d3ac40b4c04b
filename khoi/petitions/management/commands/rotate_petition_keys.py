"""``manage.py rotate_petition_keys``: re-encrypt every petitioner identity with the first
key of ``KHOI_FIELD_KEYS`` and recompute the blind indexes (see ``khoi.petitions.crypto``),
then every other value encrypted with those keys (``khoi.petitions.keys.ROTATORS``: the
fund's household ID and phone numbers)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from khoi.petitions.services import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt petitioners' identities (and every other value encrypted with the same "
        "keys, such as households' ID and phone numbers) with the current key of "
        "KHOI_FIELD_KEYS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rotate_keys()
        from khoi.petitions.scans import seal_existing

        scans = seal_existing()
        self.stdout.write(
            _("Re-sealed %(n)s original scans of protected petitions.") % {"n": scans}
        )
        self.stdout.write(
            _("Re-encrypted the identities of %(n)s petitioners with the current key.")
            % {"n": count}
        )
        from khoi.petitions.keys import ROTATORS

        for rotate, message in ROTATORS:
            self.stdout.write(message(rotate(500, None)))
