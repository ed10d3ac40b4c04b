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
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from khoi.ops import dbcopy

ALIAS = "move_target"


def add_connection(url: str) -> None:
    try:
        conf: dict[str, Any] = dict(dj_database_url.parse(url))
    except (ValueError, KeyError) as exc:
        raise CommandError(
            _("%(url)s is not a database address (postgres://user:password@host/name).")
            % {"url": _without_password(url)}
        ) from exc
    if conf.get("ENGINE") != "django.db.backends.postgresql" or not conf.get("NAME"):
        raise CommandError(
            _("%(url)s is not a database address (postgres://user:password@host/name).")
            % {"url": _without_password(url)}
        )
    defaults = {
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": {"connect_timeout": 10},  # an unreachable server answers in seconds
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
        shown = _without_password(options["to"])
        try:
            try:
                empty = dbcopy.is_empty(ALIAS)
            except DatabaseError as exc:
                raise CommandError(
                    _("Cannot reach the target database %(url)s: %(error)s. Nothing was copied.")
                    % {"url": shown, "error": str(exc).strip().splitlines()[0] if str(exc) else exc}
                ) from exc
            if not empty and not options["force"]:
                raise CommandError(
                    _("The target database already holds data; add --force to replace all of it.")
                )
            _migrate_target(options["to"])
            # one transaction on the target: a copy that fails leaves it as it was
            counts = dbcopy.copy_rows("default", ALIAS)
            source, target = dbcopy.table_summary("default"), dbcopy.table_summary(ALIAS)
            differ = [t for t in source if source[t] != target.get(t)]
            if differ:
                raise CommandError(
                    _("These tables differ after the copy: %(tables)s")
                    % {"tables": ", ".join(differ)}
                )
            problems = dbcopy.chain_problems(ALIAS)
            if problems:
                raise CommandError(" ".join(problems))
        except DatabaseError as exc:
            raise CommandError(
                _("The copy failed: %(error)s. The source database was not changed.")
                % {"error": exc}
            ) from exc
        finally:
            connections[ALIAS].close()
        self.stdout.write(
            _(
                "Moved %(rows)s rows in %(tables)s tables in %(seconds).1fs; every table "
                "matches (%(chains)s: intact). Now set KHOI_DATABASE_URL to the new database."
            )
            % {
                "rows": sum(counts.values()),
                "tables": len(counts),
                "seconds": time.monotonic() - started,
                "chains": dbcopy.chain_names(),
            }
        )


def _without_password(url: str) -> str:
    """The address as it may be shown (a password never goes into a message or a log)."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return parts.geturl()


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
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "migrate"
        raise CommandError(
            _("Cannot prepare the target database (migrate): %(error)s") % {"error": last}
        )
