from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khoi.org.services import UnknownProvince, do_load_units, resolve_province


class Command(BaseCommand):
    help = (
        "Import Vietnam's administrative units (current tree from 1 July 2025, former tree, "
        "and the succession between them) from the vietnam-provinces package."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            help="Only this current province (code such as 22, or codename such as quang_ninh) "
            "and the former provinces that merged into it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = None
        if options["province"]:
            try:
                code = resolve_province(options["province"])
            except UnknownProvince:
                raise CommandError(
                    f"Không có tỉnh/thành phố “{options['province']}” trong danh mục hiện hành "
                    "(nhập mã như 22 hoặc tên như quang_ninh). Không có gì thay đổi."
                ) from None
        started = time.perf_counter()
        result = do_load_units(None, code)
        self.stdout.write(
            f"Đã nạp {result.provinces} tỉnh/thành, {result.districts} huyện (cũ), "
            f"{result.communes} xã/phường, {result.successions} liên kết kế thừa "
            f"trong {time.perf_counter() - started:.1f} giây."
        )
