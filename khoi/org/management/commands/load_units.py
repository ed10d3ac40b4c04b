from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

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
                    _(
                        "There is no province “%(province)s” in the current list (give a code "
                        "such as 22 or a name such as quang_ninh). Nothing was changed."
                    )
                    % {"province": options["province"]}
                ) from None
        started = time.perf_counter()
        result = do_load_units(None, code)
        self.stdout.write(
            _(
                "Loaded %(provinces)s provinces, %(districts)s (former) districts, "
                "%(communes)s communes and %(successions)s succession links in %(seconds)s "
                "seconds."
            )
            % {
                "provinces": result.provinces, "districts": result.districts,
                "communes": result.communes, "successions": result.successions,
                "seconds": f"{time.perf_counter() - started:.1f}".replace(".", ","),
            }
        )  # fmt: skip
