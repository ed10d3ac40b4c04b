"""``manage.py household_duplicates --input F.jsonl --output G.jsonl [--units U.json]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from khoi.lib.households_cli import load_units, run


class Command(BaseCommand):
    help = (
        "Find the records of a JSON Lines file that are the same household (several "
        "organizations' lists); bad lines are reported on stderr and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="JSONL of records ('-' for stdin)")
        parser.add_argument("--output", required=True, help="JSONL of groups ('-' for stdout)")
        parser.add_argument("--units", help="JSON unit tree with the 2025 successions")

    def _fail(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["input"] == "-":
                lines = sys.stdin.read().splitlines()
            else:
                lines = Path(options["input"]).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(_("Cannot read the input file: %(e)s") % {"e": exc})
        units = None
        if options["units"]:
            try:
                units = load_units(json.loads(Path(options["units"]).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                self._fail(_("Cannot read the --units file: %(e)s") % {"e": exc})
        if options["output"] == "-":
            run(lines, sys.stdout, sys.stderr, units)
            return
        try:
            handle = open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            self._fail(_("Cannot write the output file: %(e)s") % {"e": exc})
        with handle:
            run(lines, handle, sys.stderr, units)
