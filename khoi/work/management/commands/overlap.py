from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from khoi.lib.overlap import DEFAULT_WINDOW_DAYS
from khoi.lib.overlap_cli import run
from khoi.work.overlap import engine_parents_from_db


class Command(BaseCommand):
    help = (
        "Find overlapping activities in a JSON Lines file without touching the activities in "
        "the database (the unit tree is read from it unless --unit-parents is given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", required=True, help="JSONL file of activities ('-' for stdin)"
        )
        parser.add_argument("--output", required=True, help="JSONL file of groups ('-' for stdout)")
        parser.add_argument(
            "--unit-parents", help="JSON file mapping a unit code to its parent's code"
        )
        parser.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["input"] == "-":
                lines = sys.stdin.read().splitlines()
            else:
                lines = Path(options["input"]).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read the input file: %(error)s") % {"error": exc}
            ) from None
        if options["unit_parents"]:
            try:
                parents = json.loads(Path(options["unit_parents"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("Cannot read the --unit-parents file: %(error)s") % {"error": exc}
                ) from None
            if not isinstance(parents, dict):
                raise CommandError(
                    _("The --unit-parents file must be a JSON object {child code: parent code}.")
                )
            parents = {str(k): str(v) for k, v in parents.items()}
        else:
            parents = engine_parents_from_db(_unit_codes(lines))
        if options["window_days"] < 0:
            raise CommandError(_("--window-days cannot be negative."))
        out = sys.stdout if options["output"] == "-" else None
        try:
            handle = out or open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(
                _("Cannot write the output file: %(error)s") % {"error": exc}
            ) from None
        try:
            code = run(lines, handle, sys.stderr, parents, window_days=options["window_days"])
        finally:
            if out is None:
                handle.close()
        if code:
            sys.exit(code)


def _unit_codes(lines: list[str]) -> set[str]:
    codes: set[str] = set()
    for line in lines:
        try:
            units = json.loads(line).get("units", [])
        except (ValueError, AttributeError):
            continue
        if isinstance(units, list):
            codes.update(str(u) for u in units)
    return codes
