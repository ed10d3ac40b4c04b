"""``manage.py rotate_petition_keys``: re-encrypt every petitioner identity with the first
key of ``KHOI_FIELD_KEYS`` and recompute the blind indexes (see ``khoi.petitions.crypto``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from khoi.petitions.services import rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt petitioners' identities with the current key of KHOI_FIELD_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rotate_keys()
        from khoi.petitions.scans import seal_existing

        scans = seal_existing()
        self.stdout.write(f"Đã mã hóa lại {scans} bản quét gốc của đơn được bảo vệ.")
        self.stdout.write(f"Đã mã hóa lại danh tính của {count} người gửi đơn bằng khóa hiện tại.")
