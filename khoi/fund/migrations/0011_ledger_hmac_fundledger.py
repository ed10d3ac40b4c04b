"""The ledger's chain becomes keyed: HMAC-SHA256 with ``models.ledger_key`` (from the
environment, never in the database) instead of a plain SHA-256 anyone with database access
could recompute.

Forwards, fund by fund: the old unkeyed chain is verified first (sequence, links, every
hash, the fund's head); if any fund's old chain is already broken the migration stops and
names the fund and the entry — nothing is re-sealed, since sealing a changed ledger would
hide the change (restore the ledger or investigate with the previous release's
``fund_verify`` first). Then every entry is re-sealed in order and the fund's head follows.
The append-only trigger is set aside for these UPDATEs only (the same transaction).
Backwards: the same, from the keyed chain to the unkeyed one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.db import migrations

_guard = importlib.import_module("khoi.fund.migrations.0002_append_only_triggers")

COLUMNS = (
    "fund_id", "seq", "kind", "sign", "amount", "number", "date", "donor_kind", "donor_name",
    "channel", "campaign_id", "purpose", "beneficiary", "decision_ref", "reverses_id", "note",
    "created_by_id", "created_at",
)  # fmt: skip


class BrokenLedger(RuntimeError):
    pass


def _payload(row: tuple[Any, ...]) -> dict[str, Any]:
    from khoi.fund.models import entry_payload

    values = list(row)
    values[6] = values[6].isoformat()
    values[17] = values[17].isoformat()
    return entry_payload(*values)


def _set_guard(connection: Any, on: bool) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for sql in _guard.SQLITE_UP if on else _guard.SQLITE_DOWN:
                cur.execute(sql)
        elif connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign-key checks are pending
            # in the transaction: run them now, then defer again
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            verb = "ENABLE" if on else "DISABLE"
            cur.execute(f"ALTER TABLE fund_entry {verb} TRIGGER fund_entry_append_only")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")


def _fund_updates(
    Entry: Any,
    fund: Any,
    old: Callable[[str, dict[str, Any]], str],
    new: Callable[[str, dict[str, Any]], str] | None,
) -> list[tuple[int, str, str]]:
    """Verify one fund's chain with ``old``; its entries re-sealed with ``new`` (if given)."""
    from khoi.fund.models import GENESIS_HASH

    rows = (
        Entry.objects.filter(fund_id=fund.pk)
        .order_by("seq")
        .values_list("pk", *COLUMNS, "prev_hash", "hash")
    )
    expected_seq, prev, new_prev = 1, GENESIS_HASH, GENESIS_HASH
    updates: list[tuple[int, str, str]] = []
    for pk, *values, prev_hash, stored in rows.iterator(chunk_size=5000):
        payload = _payload(tuple(values))
        if values[1] != expected_seq or prev_hash != prev or old(prev_hash, payload) != stored:
            raise BrokenLedger(
                f"Sổ quỹ «{fund.name}» (mã {fund.pk}): bút toán #{expected_seq} "
                f"(số {values[5]}) không khớp chuỗi băm cũ — không niêm phong lại. "
                f"The old chain of fund {fund.pk} is broken at entry #{expected_seq}: "
                "nothing was re-sealed; investigate before migrating."
            )
        if new is not None:
            sealed = new(new_prev, payload)
            updates.append((pk, new_prev, sealed))
            new_prev = sealed
        expected_seq, prev = expected_seq + 1, stored
    if fund.last_seq != expected_seq - 1 or fund.last_hash != prev:
        raise BrokenLedger(
            f"Sổ quỹ «{fund.name}» (mã {fund.pk}): đầu chuỗi không khớp bút toán cuối "
            f"(#{fund.last_seq}) — không niêm phong lại. The head of fund {fund.pk} does "
            "not match its last entry: nothing was re-sealed."
        )
    return updates


def reseal(
    apps: Any,
    connection: Any,
    old: Callable[[str, dict[str, Any]], str],
    new: Callable[[str, dict[str, Any]], str],
) -> int:
    """Verify every fund's chain with ``old`` (all funds first), then re-seal each with
    ``new``; the number of entries re-sealed. Raises ``BrokenLedger`` (nothing changed)
    when an old chain is broken."""
    from khoi.fund.models import GENESIS_HASH

    Entry = apps.get_model("fund", "Entry")
    Fund = apps.get_model("fund", "Fund")
    funds = list(Fund.objects.order_by("pk"))
    for fund in funds:
        _fund_updates(Entry, fund, old, None)
    total = 0
    _set_guard(connection, False)
    try:
        for fund in funds:
            updates = _fund_updates(Entry, fund, old, new)
            for i in range(0, len(updates), 2000):
                batch = [Entry(pk=pk, prev_hash=p, hash=h) for pk, p, h in updates[i : i + 2000]]
                Entry.objects.bulk_update(batch, ["prev_hash", "hash"])
            head = updates[-1][2] if updates else GENESIS_HASH
            Fund.objects.filter(pk=fund.pk).update(last_hash=head)
            total += len(updates)
    finally:
        _set_guard(connection, True)
    return total


def forwards(apps: Any, schema_editor: Any) -> None:
    from khoi.fund.models import chain_hash, ledger_key, unkeyed_chain_hash

    key = ledger_key()
    reseal(apps, schema_editor.connection, unkeyed_chain_hash,
           lambda prev, payload: chain_hash(prev, payload, key))  # fmt: skip


def backwards(apps: Any, schema_editor: Any) -> None:
    from khoi.fund.models import chain_hash, ledger_key, unkeyed_chain_hash

    key = ledger_key()
    reseal(apps, schema_editor.connection,
           lambda prev, payload: chain_hash(prev, payload, key), unkeyed_chain_hash)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("fund", "0010_housing_amount_recheck")]

    operations = [migrations.RunPython(forwards, backwards)]
