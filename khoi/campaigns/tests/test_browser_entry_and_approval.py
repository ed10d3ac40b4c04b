"""In a real browser: a commune reporter enters and submits a quarter; the office head
approves it and sees the ranking chart (Debian's Chromium through Playwright)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from khoi.campaigns import services
from khoi.campaigns.models import Submission
from khoi.campaigns.tests.factories import setup_campaign
from khoi.testing.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium)",
    ),
]
Q = "2017-Q3"


def _login(page: Page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()


def test_a_reporter_submits_a_quarter_and_the_office_approves_and_sees_the_ranking(
    world: Any, browser_page: Page
) -> None:
    c = setup_campaign(world)
    cluster = services.do_create_cluster(
        world.users["staff"],
        world.office,
        name="Cụm 1",
        kind="communes",
        units=[world.commune, world.commune2],
    )
    services.do_set_scoring_table(
        world.users["staff"],
        cluster,
        year=2017,
        base_points=Decimal(0),
        campaign=c["campaign"],
        criteria=[
            services.CriterionInput("Tuyên truyền", Decimal(100), "indicator", indicator=c["count"])
        ],
    )
    page = browser_page
    a1, a2 = c["areas"]
    _login(page, "reporter")
    page.goto(reverse("campaigns:entry", args=[c["campaign"].pk, world.commune.pk, Q]))
    page.fill(f"input[name='v-{c['count'].pk}-0']", "12")
    for area, (num, den) in ((a1, ("80", "100")), (a2, ("30", "50"))):
        page.fill(f"input[name='n-{c['pct'].pk}-{area.pk}']", num)
        page.fill(f"input[name='d-{c['pct'].pk}-{area.pk}']", den)
        page.select_option(f"select[name='v-{c['yes'].pk}-{area.pk}']", "Có")
    page.fill(f"input[name='n-{c['pct'].pk}-{a2.pk}']", "60")
    page.click("button[value=submit]")
    expect(page.locator(".errors").first).to_contain_text("Tử số (60) lớn hơn mẫu số (50)")
    assert not Submission.objects.exists()
    page.fill(f"input[name='n-{c['pct'].pk}-{a2.pk}']", "30")
    page.click("button[value=submit]")
    expect(page.locator("#status")).to_contain_text("chờ duyệt")
    page.context.clear_cookies()
    _login(page, "head")
    page.goto(reverse("campaigns:entry", args=[c["campaign"].pk, world.commune.pk, Q]))
    page.click("button[value=approve]")
    expect(page.locator("#status")).to_contain_text("đã duyệt")
    assert Submission.objects.get().status == Submission.Status.APPROVED
    page.goto(reverse("campaigns:cluster_detail", args=[cluster.pk]) + "?year=2017")
    expect(page.locator("#ranking-chart svg")).to_be_visible()
    expect(page.locator("#ranking")).to_contain_text("Phường Hà An")
