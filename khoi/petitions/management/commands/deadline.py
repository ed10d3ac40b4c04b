"""``manage.py deadline --rule RULE --start YYYY-MM-DD [--extensions N]`` and ``--list-rules``.

A thin wrapper of ``khoi.lib.deadline_cli.run`` with the working-day calendar corrected by
the admin's override table (``HolidayOverride``). Prints one JSON object and exits 0; bad
input prints a Vietnamese reason on stderr and exits 2.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from khoi.lib.deadline_cli import run


class Command(BaseCommand):
    help = "Compute a statutory deadline (complaints, denunciations, citizen reception)."

    def run_from_argv(self, argv: list[str]) -> None:
        """Hand the arguments to ``deadline_cli.run`` untouched (it has its own parser)."""
        from django.db import connections

        try:
            code = self.run_cli(argv[2:])
        finally:
            connections.close_all()
        if code:
            sys.exit(code)

    def run_cli(self, args: list[str]) -> int:
        from khoi.petitions.services import work_calendar

        return run(args, sys.stdout, sys.stderr, work_calendar())

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("cli_args", nargs="*", help="--rule RULE --start YYYY-MM-DD …")

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - via call_command
        code = self.run_cli(list(options.get("cli_args") or []))
        if code:
            sys.exit(code)
