"""The database itself refuses UPDATE and DELETE on posted ledger entries.

SQLite: BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT). PostgreSQL: one
trigger function raising an exception, fired BEFORE UPDATE OR DELETE for each row.
(TRUNCATE, which tests use to empty tables, is a different statement and not refused.)
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

MESSAGE = "fund_entry is append-only: posted entries cannot be changed or deleted"

SQLITE_UP = [
    f"CREATE TRIGGER fund_entry_no_update BEFORE UPDATE ON fund_entry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER fund_entry_no_delete BEFORE DELETE ON fund_entry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS fund_entry_no_update;",
    "DROP TRIGGER IF EXISTS fund_entry_no_delete;",
]
PG_UP = [
    "CREATE OR REPLACE FUNCTION fund_entry_append_only() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER fund_entry_append_only BEFORE UPDATE OR DELETE ON fund_entry "
    "FOR EACH ROW EXECUTE FUNCTION fund_entry_append_only();",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS fund_entry_append_only ON fund_entry;",
    "DROP FUNCTION IF EXISTS fund_entry_append_only();",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for sql in statements:
        schema_editor.execute(sql)


def up(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)
    elif vendor == "postgresql":
        _run(schema_editor, PG_UP)


def down(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)
    elif vendor == "postgresql":
        _run(schema_editor, PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [migrations.RunPython(up, down)]
