from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khoi.lib.docnumber_cli import run


class Command(BaseCommand):
    help = 'Parse a document notation and print its parts as JSON: docnumber "217-QĐ/TW".'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", nargs="*", help="the number and notation, e.g. 15/KH-UBND")

    def handle(self, *args: Any, **options: Any) -> None:
        code = run(options["text"], self.stdout, self.stderr)  # type: ignore[arg-type]
        if code:
            sys.exit(code)
