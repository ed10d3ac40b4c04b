"""``manage.py move_database --to postgres://…``: copies a town that outgrew SQLite (or any
Khối database) into a new PostgreSQL database, every row with its primary key, then checks
that every table matches and that the audit chain and every chain another app registered
(``khoi.registry.INTEGRITY_CHECKS``: the fund ledgers) hold there. The source is not changed;
point ``KHOI_DATABASE_URL`` at the new database afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from khoi.ops import dbcopy

ALIAS = "move_target"


def add_connection(url: str) -> None:
    conf: dict[str, Any] = dict(dj_database_url.parse(url))
    defaults = {
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": {},
        "TIME_ZONE": None,
        "TEST": {},
    }
    for key, value in defaults.items():
        conf.setdefault(key, value)
    connections.settings[ALIAS] = conf


class Command(BaseCommand):
    help = "Copy this Khối database into a new (empty) database, e.g. from SQLite to PostgreSQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, help="postgres://user:password@host/db")
        parser.add_argument(
            "--force", action="store_true", help="replace a target database that holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        add_connection(options["to"])
        try:
            if not dbcopy.is_empty(ALIAS) and not options["force"]:
                raise CommandError("The target database already holds data; add --force.")
            _migrate_target(options["to"])
            counts = dbcopy.copy_rows("default", ALIAS)
            source, target = dbcopy.table_summary("default"), dbcopy.table_summary(ALIAS)
            differ = [t for t in source if source[t] != target.get(t)]
            if differ:
                raise CommandError(f"These tables differ after the copy: {differ}")
            problems = dbcopy.chain_problems(ALIAS)
            if problems:
                raise CommandError(" ".join(problems))
        finally:
            connections[ALIAS].close()
        self.stdout.write(
            f"Moved {sum(counts.values())} rows in {len(counts)} tables in "
            f"{time.monotonic() - started:.1f}s; every table matches and the audit chain holds"
            f" ({dbcopy.chain_names()}: intact). Now set KHOI_DATABASE_URL to the new database."
        )


def _migrate_target(url: str) -> None:
    """Migrate the new database as the default one of a separate process: data migrations
    (seeded holidays, statutory tables, copied links) then read and write that database,
    never the one being moved."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    env = {**os.environ, "KHOI_DATABASE_URL": url}
    done = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, str(manage), "migrate", "--noinput", "-v0"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise CommandError(done.stderr.strip().splitlines()[-1] if done.stderr else "migrate")
