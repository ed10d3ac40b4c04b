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


def test_figures_never_submitted_count_nowhere_official(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    from khoi.campaigns import providers, scoring

    reporter, staff, campaign = world.users["reporter"], world.users["staff"], c["campaign"]
    for q in ("2017-Q1", "2017-Q2", "2017-Q3"):  # entered, never submitted
        services.do_save_figures(reporter, campaign, world.commune, q, full_cells(c, "9"))
    cluster = services.do_create_cluster(
        staff, world.office, name="Cụm", kind="communes", units=[world.commune, world.commune2]
    )
    services.do_set_scoring_table(
        staff,
        cluster,
        year=2017,
        base_points=Decimal(0),
        campaign=campaign,
        criteria=[
            services.CriterionInput("Tuyên truyền", Decimal(100), "indicator", indicator=c["count"])
        ],
    )
    result = scoring.compute_ranking(cluster, 2017)
    assert result is not None
    assert all(r.total == 0 for r in result.rows)  # not 100 points and rank 1 from drafts
    section = providers.campaign_section(
        world.office, datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)
    )
    assert section is not None and not section.tables  # no official total from drafts
    api = f"/api/v1/campaigns/{campaign.pk}/totals/2017-Q1"
    assert as_user("staff").get(api).json()["totals"] == {}
    # once approved, the quarter counts
    sub = services.do_submit_figures(reporter, campaign, world.commune, "2017-Q1")
    services.do_approve_figures(staff, sub)
    result = scoring.compute_ranking(cluster, 2017)
    assert result is not None
    assert {r.name: r.total for r in result.rows}["Phường Hà An"] == Decimal(100)
    assert as_user("staff").get(api).json()["totals"]["1"] == "9"
