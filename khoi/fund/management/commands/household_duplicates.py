"""``manage.py household_duplicates --input F.jsonl --output G.jsonl [--units U.json]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from khoi.lib.households_cli import InputError, decode_lines, load_units, run


def _why(exc: Exception) -> str:
    """The reason a file could not be used, in Vietnamese where the system's is English."""
    if isinstance(exc, FileNotFoundError):
        return _("no such file: %(path)s") % {"path": exc.filename}
    if isinstance(exc, IsADirectoryError):
        return _("this is a folder, not a file: %(path)s") % {"path": exc.filename}
    if isinstance(exc, PermissionError):
        return _("permission denied: %(path)s") % {"path": exc.filename}
    if isinstance(exc, json.JSONDecodeError):
        return _("not valid JSON (line %(line)s, column %(col)s)") % {
            "line": exc.lineno,
            "col": exc.colno,
        }
    if isinstance(exc, UnicodeDecodeError):
        return _("not UTF-8 text (bad byte at position %(pos)s)") % {"pos": exc.start + 1}
    if isinstance(exc, RecursionError):
        return _("JSON nested too deep")
    return str(exc)


class Command(BaseCommand):
    help = (
        "Find the records of a JSON Lines file that are the same household (several "
        "organizations' lists); bad lines are reported on stderr and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="JSONL of records ('-' for stdin)")
        parser.add_argument("--output", required=True, help="JSONL of groups ('-' for stdout)")
        parser.add_argument("--units", help="JSON unit tree with the 2025 successions")

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(message + "\n")
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["input"] == "-":
                data = sys.stdin.buffer.read()
            else:
                data = Path(options["input"]).read_bytes()
            lines = decode_lines(data)
        except (OSError, InputError) as exc:
            self._fail(_("Cannot read the input file: %(e)s") % {"e": _why(exc)})
        units = None
        if options["units"]:
            try:
                raw = Path(options["units"]).read_bytes().decode("utf-8-sig")
                units = load_units(json.loads(raw))
            except (OSError, ValueError, RecursionError) as exc:
                self._fail(_("Cannot read the --units file: %(e)s") % {"e": _why(exc)})
        if options["output"] == "-":
            run(lines, sys.stdout, sys.stderr, units)
            return
        try:
            handle = open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            self._fail(_("Cannot write the output file: %(e)s") % {"e": _why(exc)})
        with handle:
            run(lines, handle, sys.stderr, units)
