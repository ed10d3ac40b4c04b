"""``manage.py flush`` and the ledger's database guard.

The database refuses every UPDATE and DELETE of a posted entry (migration 0002: row
triggers) and, on PostgreSQL, every TRUNCATE of ``fund_entry`` (migration 0013: a BEFORE
TRUNCATE statement-level trigger). Flushing the whole database is meant to wipe it only in
development, the demo and the test suite (the reset between transactional tests):
``flush_may_empty_ledger``. There, and only there, the flush lifts the guard for its own
statements:

- SQLite runs ``DELETE FROM``: the triggers are dropped, the tables emptied and the
  triggers created again in the same statement list;
- PostgreSQL runs ``TRUNCATE``: the flush sets ``khoi.fund_flush`` for its own transaction
  (``SET LOCAL``), which the TRUNCATE trigger lets through.

Anywhere else (``KHOI_DEBUG=0``, not the demo, not the tests) the flush is left as Django
writes it, so the guard refuses it and the whole flush is rolled back: a production ledger
is never emptied by ``flush``. No other path deletes or edits a posted entry.
"""

from __future__ import annotations

import importlib
from typing import Any

_migration = importlib.import_module("khoi.fund.migrations.0002_append_only_triggers")

PG_ALLOW = "SET LOCAL khoi.fund_flush = 'on';"


def flush_may_empty_ledger() -> bool:
    """Development, the demo, or the test suite (Django's test environment is set up)."""
    from django.conf import settings
    from django.test import utils

    return bool(
        settings.DEBUG
        or getattr(settings, "KHOI_DEMO", False)
        or hasattr(utils._TestState, "saved_data")
    )


def install() -> None:
    from django.conf import settings

    engines = {db.get("ENGINE", "") for db in settings.DATABASES.values()}
    if any("sqlite3" in e for e in engines):
        _install_sqlite()
    if any("postgresql" in e for e in engines):
        _install_postgresql()


def _install_sqlite() -> None:
    # the backend's base module imports its operations module: import it first
    from django.db.backends.sqlite3 import base  # noqa: F401
    from django.db.backends.sqlite3.operations import DatabaseOperations

    if getattr(DatabaseOperations.sql_flush, "_fund_guard", False):
        return
    original = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = original(self, style, tables, **kwargs)
        if "fund_entry" in tables and statements and flush_may_empty_ledger():
            return [*_migration.SQLITE_DOWN, *statements, *_migration.SQLITE_UP]
        return statements

    sql_flush._fund_guard = True  # type: ignore[attr-defined]
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


def _install_postgresql() -> None:
    from django.db.backends.postgresql import base  # noqa: F401
    from django.db.backends.postgresql.operations import DatabaseOperations

    if getattr(DatabaseOperations.sql_flush, "_fund_guard", False):
        return
    original = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = original(self, style, tables, **kwargs)
        if "fund_entry" in tables and statements and flush_may_empty_ledger():
            return [PG_ALLOW, *statements]
        return statements

    sql_flush._fund_guard = True  # type: ignore[attr-defined]
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
