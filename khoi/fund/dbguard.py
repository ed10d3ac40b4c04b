"""``manage.py flush`` on SQLite empties the ledger too.

The append-only triggers (migration 0002) refuse every DELETE on ``fund_entry``. Flushing
the whole database is the one operation meant to wipe it (tests between transactional
cases, a developer resetting a demo); on PostgreSQL it uses TRUNCATE, which row triggers do
not see, but on SQLite it runs ``DELETE FROM``. This wraps SQLite's ``sql_flush`` so that a
flush that includes ``fund_entry`` drops the triggers, deletes, and creates them again in
the same statement list. No other path deletes or edits a posted entry.
"""

from __future__ import annotations

import importlib
from typing import Any

_migration = importlib.import_module("khoi.fund.migrations.0002_append_only_triggers")


def install() -> None:
    from django.conf import settings

    if not any("sqlite3" in db.get("ENGINE", "") for db in settings.DATABASES.values()):
        return
    # the backend's base module imports its operations module: import it first
    from django.db.backends.sqlite3 import base  # noqa: F401
    from django.db.backends.sqlite3.operations import DatabaseOperations

    if getattr(DatabaseOperations.sql_flush, "_fund_guard", False):
        return
    original = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = original(self, style, tables, **kwargs)
        if "fund_entry" in tables and statements:
            return [*_migration.SQLITE_DOWN, *statements, *_migration.SQLITE_UP]
        return statements

    sql_flush._fund_guard = True  # type: ignore[attr-defined]
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
