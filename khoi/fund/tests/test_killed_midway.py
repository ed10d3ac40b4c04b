"""A household import killed mid-way (the worker or the request ending: SIGKILL, OOM, a
restart, simulated by an exception nothing catches raised after some households were
written) leaves nothing partial, and the same import then registers every row once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.fund import household_import as hi
from khoi.fund import services
from khoi.fund.models import Household, PovertyStatus, Support
from khoi.fund.tests.test_household_import import OTHER, WIFE, xlsx
from khoi.ops.tests.test_killed_midway import Killed, _kill_on_call

pytestmark = pytest.mark.django_db
THIRD = ["Lê Văn Tâm", 1980, "", "0901234567", "Số 9, khu 3", "Khu 3", "", "nghèo",
         "sửa chữa", "20.000.000", ""]  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def test_a_household_import_killed_at_the_third_row_registers_nothing(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = hi.parse_households(xlsx([WIFE, OTHER, THIRD]), unit=world.commune,
                                 organization="Hội LHPN phường", year=2021)  # fmt: skip
    assert parsed.errors == [] and len(parsed.rows) == 3
    before = AuditEntry.objects.count()
    # killed when the third household is written: two households, a status and a support
    # of the first two rows are already in the transaction
    _kill_on_call(monkeypatch, services, "do_create_household", 3)
    with pytest.raises(Killed):
        hi.do_import_households(world.users["staff"], parsed.rows,
                                organization="Hội LHPN phường", year=2021, decisions={})  # fmt: skip
    assert not Household.objects.exists()
    assert not PovertyStatus.objects.exists() and not Support.objects.exists()
    assert AuditEntry.objects.count() == before  # the chain has no entry of a lost row
    monkeypatch.undo()
    again = hi.parse_households(xlsx([WIFE, OTHER, THIRD]), unit=world.commune,
                                organization="Hội LHPN phường", year=2021)  # fmt: skip
    created = hi.do_import_households(world.users["staff"], again.rows,
                                      organization="Hội LHPN phường", year=2021,
                                      decisions={})  # fmt: skip
    assert len(created) == Household.objects.count() == 3
    assert Support.objects.count() == 2
    assert AuditEntry.objects.filter(action="fund.household.import").count() == 1
