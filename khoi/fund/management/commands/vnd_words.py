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

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def parse_args(args: Any = None, namespace: Any = None) -> argparse.Namespace:
            # "-abc" or "-1x" look like options to argparse, which would refuse them with
            # its own English usage text: they are amounts to refuse with our reason.
            known, unknown = parser.parse_known_args(args, namespace)
            known.amount = [*unknown, *known.amount]
            return known

        parser.parse_args = parse_args  # type: ignore[method-assign,assignment]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        # REMAINDER: "-5" or "--" must reach our own check (and its Vietnamese reason)
        # instead of argparse's option handling.
        parser.add_argument("amount", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        code = run(options["amount"], sys.stdout, sys.stderr)
        if code:
            sys.exit(code)
