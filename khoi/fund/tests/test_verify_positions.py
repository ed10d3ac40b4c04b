"""fund_verify (#10) with three funds, tampering with the first, a middle or the last entry
of the fund in the middle (and of the first and last funds): amount, created timestamp,
sequence (order) and presence. Exit 1 names that fund and that entry; the other funds are
not blamed. Runs on SQLite and PostgreSQL (KHOI_DATABASE_URL)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from khoi.fund.models import Entry, Fund
from khoi.fund.tests.test_ledger import _drop_triggers, _verify, make_fund, receipt, spend
from khoi.testing.factories import unit

NOW = datetime.datetime(2017, 11, 1, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("fund_clock")
NAMES = ("Quỹ A đầu", "Quỹ B giữa", "Quỹ C cuối")


def _sql(query: str, *params: Any) -> None:
    with connection.cursor() as cur:
        cur.execute(query, list(params))


def _three_funds(world: Any) -> list[tuple[Fund, list[Entry]]]:
    out = []
    for i, name in enumerate(NAMES):
        where = world.commune if i == 0 else unit(f"Phường thử {i}", 3, world.town,
                                                   world.commune.era)  # fmt: skip
        fund = make_fund(world, name=name, unit=where)
        entries = [receipt(fund, 1_000_000 * (k + 1)) for k in range(3)]
        entries.append(spend(fund, 500_000))
        entries.append(receipt(fund, 70_000))
        out.append((fund, entries))
    return out


POSITIONS = {"first": 0, "middle": 2, "last": 4}


def _tamper(entries: list[Entry], how: str, index: int) -> str:
    """Change the entry at ``index`` the way someone with the database would; the text
    fund_verify must print about it."""
    target = entries[index]
    seq = index + 1
    if how == "amount":
        _sql("UPDATE fund_entry SET amount = amount + 1000 WHERE id = %s", target.pk)
        return f"#{seq} (số {target.number}) bị sửa"
    if how == "created":
        _sql("UPDATE fund_entry SET created_at = %s WHERE id = %s",
             target.created_at - datetime.timedelta(days=3), target.pk)  # fmt: skip
        return f"#{seq} (số {target.number}) bị sửa"
    if how == "delete":
        _sql("DELETE FROM fund_entry WHERE id = %s", target.pk)
        return f"#{seq} bị xóa"
    assert how == "order"
    # swapped with its neighbour (the one before it, for the last entry)
    other = entries[index + 1] if index + 1 < len(entries) else entries[index - 1]
    first = min(seq, other.seq)
    _sql("UPDATE fund_entry SET seq = 999 WHERE id = %s", target.pk)
    _sql("UPDATE fund_entry SET seq = %s WHERE id = %s", target.seq, other.pk)
    _sql("UPDATE fund_entry SET seq = %s WHERE id = %s", other.seq, target.pk)
    return f"#{first} "


def test_three_intact_funds_and_an_empty_ledger_exit_0(world: Any, capsys: Any) -> None:
    assert _verify(capsys) == (0, "Sổ quỹ toàn vẹn: 0 bút toán.\n")
    _three_funds(world)
    assert _verify(capsys) == (0, "Sổ quỹ toàn vẹn: 15 bút toán.\n")


@pytest.mark.parametrize("how", ["amount", "created", "delete", "order"])
@pytest.mark.parametrize("position", list(POSITIONS))
def test_the_fund_in_the_middle(world: Any, capsys: Any, how: str, position: str) -> None:
    funds = _three_funds(world)
    _drop_triggers()
    expect = _tamper(funds[1][1], how, POSITIONS[position])
    code, err = _verify(capsys)
    assert code == 1, err
    assert NAMES[1] in err and expect in err, err
    assert NAMES[0] not in err and NAMES[2] not in err, err


@pytest.mark.parametrize("fund_index", [0, 2])
@pytest.mark.parametrize("position", ["first", "last"])
@pytest.mark.parametrize("how", ["amount", "delete"])
def test_the_first_and_the_last_fund(
    world: Any, capsys: Any, fund_index: int, position: str, how: str
) -> None:
    funds = _three_funds(world)
    _drop_triggers()
    expect = _tamper(funds[fund_index][1], how, POSITIONS[position])
    code, err = _verify(capsys)
    assert code == 1 and NAMES[fund_index] in err and expect in err, err
