"""PostgreSQL refuses TRUNCATE of the ledger (a BEFORE TRUNCATE statement-level trigger;
row triggers do not see TRUNCATE). Only a flush in development, the demo or the test suite
passes, by setting ``khoi.fund_flush`` for its own transaction (``khoi.fund.dbguard``).
SQLite has no TRUNCATE (its flush runs DELETE, which migration 0002's triggers refuse)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

MESSAGE = "fund_entry is append-only: TRUNCATE is refused"

PG_UP = [
    "CREATE OR REPLACE FUNCTION fund_entry_no_truncate() RETURNS trigger AS $$ BEGIN "
    "IF coalesce(current_setting('khoi.fund_flush', true), '') = 'on' THEN RETURN NULL; "
    f"END IF; RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER fund_entry_no_truncate BEFORE TRUNCATE ON fund_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION fund_entry_no_truncate();",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS fund_entry_no_truncate ON fund_entry;",
    "DROP FUNCTION IF EXISTS fund_entry_no_truncate();",
]


def up(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_UP:
            schema_editor.execute(sql)


def down(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("fund", "0012_case_tranche_entries_fundledger")]

    operations = [migrations.RunPython(up, down)]
