"""The demo shows deadlines on time, near and overdue on its own day (October 2017),
whatever the real date it is loaded on."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from khoi.org.demo import DEMO_DATE, load_demo
from khoi.petitions.demo import LIVE_SUBJECT
from khoi.petitions.models import Petition


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 2, 13, 9, 0, tzinfo=datetime.UTC),  # the Friday before Tết
        datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC),
    ],
)
def test_the_demo_has_a_deadline_in_every_state_on_its_day(
    db: None, moment: datetime.datetime
) -> None:
    with time_machine.travel(moment, tick=False):
        load_demo()
        live = Petition.objects.filter(subject=LIVE_SUBJECT)
        assert {p.received_on.year for p in live} == {2017}
        assert all(p.received_on <= DEMO_DATE for p in live)
        assert sorted(p.deadline_state(DEMO_DATE) for p in live) == [
            "near",
            "on_time",
            "overdue",
        ]
        count = Petition.objects.count()
        load_demo()
        assert Petition.objects.count() == count
