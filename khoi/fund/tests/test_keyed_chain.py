"""The ledger's chain is keyed (HMAC, key from the environment): someone with database
access who changes an entry and recomputes the chain without the key is caught and named
(the reviewer's tamper scenario); the migration re-seals old unkeyed ledgers only when
their old chain is intact."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import override_settings
from time_machine import TimeMachineFixture

from khoi.fund import services
from khoi.fund.models import Entry, Fund, chain_hash, unkeyed_chain_hash
from khoi.fund.tests.test_ledger import _drop_triggers, _verify, make_fund, receipt, spend

migration = importlib.import_module("khoi.fund.migrations.0011_ledger_hmac_fundledger")
DEPLOYMENT_KEY = "the-deployments-own-key-kept-in-its-environment"


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2017, 11, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def _rehash(fund: Fund, hasher: Any) -> None:
    """/tmp/rev10/tamper.py: every entry's hash and the fund's head recomputed in order."""
    prev = None
    with connection.cursor() as cur:
        for e in Entry.objects.filter(fund=fund).order_by("seq"):
            if prev is not None:
                e.prev_hash = prev
            h = hasher(e.prev_hash, e.payload())
            cur.execute("UPDATE fund_entry SET prev_hash=%s, hash=%s WHERE id=%s",
                        [e.prev_hash, h, e.pk])  # fmt: skip
            prev = h
        cur.execute("UPDATE fund_fund SET last_hash=%s WHERE id=%s", [prev, fund.pk])


@pytest.mark.parametrize("attacker", ["sha256", "another key"])
def test_a_chain_recomputed_without_the_key_is_caught_and_the_changed_entry_named(
    world: Any, capsys: Any, attacker: str
) -> None:
    with override_settings(KHOI_AUDIT_KEY=DEPLOYMENT_KEY):
        fund = make_fund(world)
        entries = [receipt(fund, 1_000 * (i + 1)) for i in range(4)]
        assert _verify(capsys) == (0, "Sổ quỹ toàn vẹn: 4 bút toán.\n")
    # the reviewer's scenario: trigger dropped, entry #2's amount changed, the chain and
    # the fund's head recomputed — by someone who holds the database, not the key
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE fund_entry SET amount = 1000 WHERE id = %s", [entries[1].pk])
    if attacker == "sha256":
        _rehash(fund, unkeyed_chain_hash)
    else:
        with override_settings(KHOI_AUDIT_KEY="a-key-the-attacker-guessed"):
            _rehash(fund, chain_hash)
    with override_settings(KHOI_AUDIT_KEY=DEPLOYMENT_KEY):
        code, err = _verify(capsys)
    assert code == 1, err
    assert "#2 (số 0002/PT-2017) bị sửa" in err and "từ bút toán #1" in err, err
    assert "(altered)" not in err and "altered" not in err


def test_the_key_is_not_in_the_database_and_a_changed_key_breaks_every_seal(
    world: Any, capsys: Any
) -> None:
    with override_settings(KHOI_AUDIT_KEY=DEPLOYMENT_KEY):
        fund = make_fund(world)
        receipt(fund, 5_000)
        assert _verify(capsys)[0] == 0
    with override_settings(KHOI_AUDIT_KEY="another-deployment"):
        code, err = _verify(capsys)
    assert code == 1 and "#1 (số 0001/PT-2017) bị sửa" in err, err


def _to_unkeyed(fund: Fund) -> None:
    """The ledger as the release before this one sealed it (guard set aside, then back)."""
    migration._set_guard(connection, False)
    _rehash(fund, unkeyed_chain_hash)
    migration._set_guard(connection, True)


def _reseal() -> int:
    return int(migration.reseal(apps, connection, unkeyed_chain_hash,
                                lambda p, payload: chain_hash(p, payload)))  # fmt: skip


def test_the_migration_reseals_an_intact_unkeyed_ledger(world: Any, capsys: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 9_000)
    out = spend(fund, 2_000)
    services.do_reverse_entry(None, out, date=out.date, reason="ghi nhầm")
    _to_unkeyed(fund)  # the ledger as the release before this one left it
    assert _verify(capsys)[0] == 1
    assert _reseal() == 3
    assert _verify(capsys) == (0, "Sổ quỹ toàn vẹn: 3 bút toán.\n")
    # the guard is back after the migration
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(fund=fund).update(amount=1)


def test_the_migration_refuses_a_ledger_whose_old_chain_is_already_broken(world: Any) -> None:
    fund = make_fund(world)
    entries = [receipt(fund, 1_000), receipt(fund, 2_000)]
    _to_unkeyed(fund)
    migration._set_guard(connection, False)
    with connection.cursor() as cur:
        cur.execute("UPDATE fund_entry SET amount = 7 WHERE id = %s", [entries[1].pk])
    migration._set_guard(connection, True)
    before = list(Entry.objects.order_by("pk").values_list("hash", flat=True))
    with pytest.raises(migration.BrokenLedger, match=r"#2 \(số 0002/PT-2017\)"):
        _reseal()
    assert list(Entry.objects.order_by("pk").values_list("hash", flat=True)) == before


def test_the_migration_functions_run_through_a_schema_editor_stand_in(world: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000)
    _to_unkeyed(fund)
    migration.forwards(apps, SimpleNamespace(connection=connection))
    assert services.verify_ledgers() == (1, None)
    migration.backwards(apps, SimpleNamespace(connection=connection))
    assert services.verify_ledgers()[1] is not None  # unkeyed again: the keyed check fails
    migration.forwards(apps, SimpleNamespace(connection=connection))
    assert services.verify_ledgers() == (1, None)
