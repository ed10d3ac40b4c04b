#!/usr/bin/env python
"""Django's command-line utility for Khối."""

from __future__ import annotations

import os
import sys


def process_kind(argv: list[str]) -> str:
    """The kind of process: "web" for the development server, "command" for every other
    command (no statement timeout: migrate, backup, restore, batch jobs may rightly run long)."""
    return "web" if argv[1:2] == ["runserver"] else "command"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    os.environ["KHOI_PROCESS"] = process_kind(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
