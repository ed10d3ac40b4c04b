"""Fixtures of the oversight tests: frozen time on the demo's day (Monday 20/10/2025; memberships of the test world start in 2020)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

TODAY = datetime.date(2025, 10, 20)


@pytest.fixture(autouse=True)
def _frozen(request: pytest.FixtureRequest, time_machine: TimeMachineFixture) -> None:
    if request.node.get_closest_marker("browser") or "demo" in request.node.name:
        return  # the browser walk runs on the real date, the demo on its own (20/10/2017)
    time_machine.move_to(
        datetime.datetime(2025, 10, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )
