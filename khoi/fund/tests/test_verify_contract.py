"""fund_verify's contract (#10) on tampering the existing tests do not try: exit 0 on an
intact ledger, 1 naming the first entry whose amount, order or presence was changed, also
when the one who changed it recomputed the hashes the chain can recompute."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from time_machine import TimeMachineFixture

from khoi.fund.models import Entry, Fund
from khoi.fund.tests.test_ledger import _drop_triggers, _verify, make_fund, receipt, spend
from khoi.testing.factories import unit


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2017, 11, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def _ledger(world: Any, n: int = 4) -> tuple[Fund, list[Entry]]:
    fund = make_fund(world)
    entries = [receipt(fund, 1_000 * (i + 1)) for i in range(n)]
    return fund, entries


def _sql(query: str, *params: Any) -> None:
    with connection.cursor() as cur:
        cur.execute(query, list(params))


def _forge(fund: Fund, seq: int, prev_hash: str, amount: int, number: str) -> Entry:
    """An entry as someone with database access would write it, hash computed right."""
    template = Entry.objects.filter(fund=fund).order_by("seq").first()
    assert template is not None
    forged = Entry(
        fund=fund, seq=seq, kind=template.kind, sign=1, amount=amount, number=number,
        year_seq=99, date=template.date, donor_kind=template.donor_kind,
        donor_name="Người lạ", channel=template.channel, created_at=template.created_at,
        prev_hash=prev_hash,
    )  # fmt: skip
    forged.hash = forged.compute_hash()
    return forged


def _insert(entry: Entry) -> None:
    Entry.objects.bulk_create([entry])  # bypasses Entry.save's guard, as raw SQL would


def test_an_empty_database_and_a_fund_without_entries_are_intact(world: Any, capsys: Any) -> None:
    assert _verify(capsys) == (0, "Sổ quỹ toàn vẹn: 0 bút toán.\n")
    make_fund(world)
    assert _verify(capsys) == (0, "Sổ quỹ toàn vẹn: 0 bút toán.\n")


@pytest.mark.parametrize(("index", "expect"), [(0, "#1 (số 0001/PT-2017) bị sửa"),
                                               (3, "#4 (số 0004/PT-2017) bị sửa")])  # fmt: skip
def test_the_first_and_the_last_entry_changed(
    world: Any, capsys: Any, index: int, expect: str
) -> None:
    _fund, entries = _ledger(world)
    _drop_triggers()
    _sql("UPDATE fund_entry SET amount = amount + 1 WHERE id = %s", entries[index].pk)
    code, err = _verify(capsys)
    assert code == 1 and expect in err, err


def test_an_amount_changed_with_its_hash_recomputed_names_that_entry(
    world: Any, capsys: Any
) -> None:
    _fund, entries = _ledger(world)
    _drop_triggers()
    target = Entry.objects.get(pk=entries[1].pk)
    target.amount = 999_000
    _sql("UPDATE fund_entry SET amount = %s, hash = %s WHERE id = %s",
         999_000, target.compute_hash(), target.pk)  # fmt: skip
    code, err = _verify(capsys)
    assert code == 1 and "#2 (số 0002/PT-2017) bị sửa" in err, err


def test_an_entry_added_after_the_last_one_is_named(world: Any, capsys: Any) -> None:
    fund, entries = _ledger(world)
    _insert(_forge(fund, 5, entries[-1].hash, 5_000_000, "0099/PT-2017"))
    code, err = _verify(capsys)
    assert code == 1 and "#5 (số 0099/PT-2017)" in err and "bị xóa" not in err, err


def test_an_entry_slipped_into_the_middle_is_named(world: Any, capsys: Any) -> None:
    fund, entries = _ledger(world)
    _drop_triggers()
    for e in reversed(entries[2:]):  # make room at seq 3
        _sql("UPDATE fund_entry SET seq = seq + 1 WHERE id = %s", e.pk)
    _insert(_forge(fund, 3, entries[1].hash, 7_000_000, "0098/PT-2017"))
    code, err = _verify(capsys)
    assert code == 1 and "#3 (số 0098/PT-2017)" in err, err


def test_two_distant_entries_swapped_name_the_first_position(world: Any, capsys: Any) -> None:
    _fund, entries = _ledger(world)
    _drop_triggers()
    _sql("UPDATE fund_entry SET seq = 99 WHERE id = %s", entries[0].pk)
    _sql("UPDATE fund_entry SET seq = 1 WHERE id = %s", entries[2].pk)
    _sql("UPDATE fund_entry SET seq = 3 WHERE id = %s", entries[0].pk)
    code, err = _verify(capsys)
    assert code == 1 and "#1 (số 0003/PT-2017) không nối đúng" in err, err


def test_all_entries_of_a_fund_deleted(world: Any, capsys: Any) -> None:
    fund, _entries = _ledger(world)
    _drop_triggers()
    _sql("DELETE FROM fund_entry WHERE fund_id = %s", fund.pk)
    code, err = _verify(capsys)
    assert code == 1 and "#1 bị xóa" in err, err


def test_a_spending_turned_into_a_receipt_is_named(world: Any, capsys: Any) -> None:
    fund, _entries = _ledger(world, 2)
    out = spend(fund, 500)
    _drop_triggers()
    _sql("UPDATE fund_entry SET sign = 1 WHERE id = %s", out.pk)
    code, err = _verify(capsys)
    assert code == 1 and f"#3 (số {out.number}) bị sửa" in err, err


def test_the_first_fund_in_order_is_named_when_two_were_changed(world: Any, capsys: Any) -> None:
    first, a = _ledger(world, 2)
    second = make_fund(world, name="Quỹ thứ hai",
                       unit=unit("Phường thử Q", 3, world.town, world.commune.era))  # fmt: skip
    b = [receipt(second, 10), receipt(second, 20)]
    _drop_triggers()
    _sql("UPDATE fund_entry SET amount = 1 WHERE id = %s", b[0].pk)
    code, err = _verify(capsys)
    assert code == 1 and "Quỹ thứ hai" in err and "#1" in err, err
    _sql("UPDATE fund_entry SET amount = 1 WHERE id = %s", a[1].pk)
    code, err = _verify(capsys)
    assert code == 1 and first.name in err and "#2" in err, err
