"""``manage.py vnd_words AMOUNT``: the amount in Vietnamese words, as JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khoi.lib.vndwords_cli import run


class Command(BaseCommand):
    help = (
        'Print {"amount": N, "words": "..."} for an amount of VND given as digits, optionally '
        "grouped with dots (1.250.000); exit 2 with the reason on stderr otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # REMAINDER: "-5" or "--" must reach our own check (and its Vietnamese reason)
        # instead of argparse's option handling.
        parser.add_argument("amount", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        code = run(options["amount"], sys.stdout, sys.stderr)
        if code:
            sys.exit(code)
