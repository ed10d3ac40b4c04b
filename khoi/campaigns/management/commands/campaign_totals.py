"""``manage.py campaign_totals [--rebuild]``: check (or rebuild) the kept province totals.

``ProvinceTotal`` holds the province totals of the approved figures; the services keep it
in step on every approval and reopening. Run this after loading figures or submissions in
bulk outside them, or after units changed province. Exits with an error when a kept total
differs from the approved figures' (``--rebuild`` first rebuilds them).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from khoi.campaigns import rollup


class Command(BaseCommand):
    help = (
        "Check the kept province totals of the campaigns against the approved figures, or"
        " rebuild them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="rebuild them first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            n = rollup.rebuild_province_totals()
            self.stdout.write(_("Province totals rebuilt: %(n)s rows.") % {"n": n})
        drift = rollup.province_totals_drift()
        if drift:
            raise CommandError(
                _("%(n)s province totals differ from the figures, for example %(first)s.")
                % {"n": len(drift), "first": drift[0]}
            )
        self.stdout.write(_("The province totals equal the figures."))
