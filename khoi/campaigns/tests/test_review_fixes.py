"""Regression tests for the reviewer's findings on the campaigns app (session 4)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from khoi.campaigns import services
from khoi.campaigns.models import Reminder
from khoi.campaigns.reminders import send_missing_reminders
from khoi.campaigns.tests.factories import full_cells, setup_campaign
from khoi.org import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def test_no_reminder_for_a_period_starting_after_the_campaign_ended(
    world: Any, c: dict[str, Any]
) -> None:
    org_services.do_update_person(None, world.people["reporter"], email="mai@example.org")
    campaign = c["campaign"]
    campaign.end_on = datetime.date(2020, 6, 30)
    campaign.save(update_fields=["end_on"])
    # 2020-Q3 (due on 10/10/2020) begins after the campaign ended on 30/06/2020
    assert send_missing_reminders(datetime.date(2020, 10, 10)) == 0
    assert not Reminder.objects.exists()
    # 2020-Q2 (due in July) is still inside the campaign
    assert send_missing_reminders(datetime.date(2020, 7, 10)) == 1
