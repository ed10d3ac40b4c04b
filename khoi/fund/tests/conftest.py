"""Fixtures shared by the fund tests: the frozen clock and the town fund.

A module sets ``NOW`` (an aware datetime: the frozen clock) and ``D`` (the date of the
fund's opening receipt), and uses ``pytestmark = pytest.mark.usefixtures("fund_clock")``;
``OPENING`` (default 100,000,000 đồng, 0 for none) is the opening receipt. The ``fund``
fixture is the town fund of the test world's office, ``staff`` its accountant, with the
test province's 2021 housing amounts (``test_housing.province_levels``). A module that
defines its own ``fund`` keeps it.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from khoi.fund import services
from khoi.fund.models import Fund, HousingAmount


@pytest.fixture
def fund_clock(
    request: pytest.FixtureRequest, time_machine: TimeMachineFixture, settings: Any, tmp_path: Path
) -> datetime.datetime:
    """The clock frozen at the module's ``NOW``; uploaded photos under ``tmp_path``."""
    now: datetime.datetime = request.module.NOW
    time_machine.move_to(now, tick=False)
    settings.MEDIA_ROOT = str(tmp_path)
    return now


def province_levels(world: Any) -> None:
    """There is no national grant before 2022 (data): the test province sets 40 / 20 million
    for 2021 itself, as an office would in the admin."""
    for kind, value in (("new", 40_000_000), ("repair", 20_000_000)):
        HousingAmount.objects.create(kind=kind, province=world.province, year_from=2021,
                                     year_to=2021, amount=value, source="QĐ tỉnh (thử)")  # fmt: skip


def make_town_fund(world: Any, *, opening: int, on: datetime.date) -> Fund:
    fund = services.do_create_fund(None, name="Quỹ Vì người nghèo thị xã", unit=world.town,
                                   level=Fund.Level.TOWN, office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    if opening:
        services.do_post_receipt(None, fund, amount=opening, date=on,
                                 donor_kind="organization", donor_name="Công ty Than")  # fmt: skip
    province_levels(world)
    return fund


@pytest.fixture
def fund(request: pytest.FixtureRequest, world: Any, fund_clock: datetime.datetime) -> Fund:
    """The town fund, its opening receipt dated the module's ``D``."""
    return make_town_fund(
        world, opening=getattr(request.module, "OPENING", 100_000_000), on=request.module.D
    )
