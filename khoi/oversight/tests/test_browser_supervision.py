"""In a real browser: a supervision from the yearly programme to an answered
recommendation (Debian's Chromium through Playwright), on the real date."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from khoi import clock
from khoi.oversight.models import Recommendation, Supervision
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


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_a_supervision_from_programme_to_an_answered_recommendation(
    world: Any, browser_page: Page
) -> None:
    page = browser_page
    page.set_default_timeout(60_000)  # the shared machine is often heavily loaded
    today = clock.today()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()

    page.goto("/oversight/")
    page.click("a[href='/oversight/programmes/new/']")
    page.select_option("select[name=organization]", str(world.women.pk))
    page.fill("input[name=year]", str(today.year))
    page.click("button.primary")
    expect(page.locator("h1")).to_contain_text(f"năm {today.year}")

    page.click("a[href*='/oversight/supervisions/new/']")
    page.fill("input[name=subject]", "Giám sát việc chi trả bồi thường giải phóng mặt bằng")
    page.fill("input[name=body]", "UBND phường Hà An")
    page.fill("input[name=planned_from]", _d(datetime.date(today.year, 1, 1)))
    page.fill("input[name=planned_until]", _d(today))
    page.click("button.primary")
    expect(page.locator("h1")).to_contain_text("chi trả bồi thường")
    sup = Supervision.objects.get()
    assert sup.programme is not None and sup.legal_basis is not None

    # a member who is not a current member of the office's organizations is refused
    page.select_option("select[name=member-person]", str(world.people["org_leader"].pk))
    page.select_option("select[name=member-organization]", str(world.front.pk))
    page.click("form:has(input[value=member]) button")
    expect(page.locator("form:has(input[value=member]) .error")).to_contain_text(
        "không phải thành viên"
    )
    page.select_option("select[name=member-organization]", str(world.women.pk))
    page.select_option("select[name=member-role]", "head")
    page.click("form:has(input[value=member]) button")
    expect(page.locator("table").filter(has_text="Vũ Thị Hương")).to_be_visible()

    page.fill("input[name=session-held_on]", _d(today))
    page.fill("input[name=session-place]", "Trụ sở UBND phường")
    page.click("form:has(input[value=session]) button")
    page.select_option("select[name=step-step]", "report")
    page.fill("input[name=step-on]", _d(today))
    page.click("form:has(input[value=step]) button")
    expect(page.locator("dl.details")).to_contain_text("đã hoàn thành")

    page.fill("textarea[name=rec-content]", "Chi trả dứt điểm tiền bồi thường cho 12 hộ.")
    page.click("form:has(input[value=rec]) button")
    page.click("text=Chi trả dứt điểm tiền bồi thường")
    expect(page.locator("h1")).to_contain_text("UBND phường Hà An")

    # an answer dated before the recommendation is refused, in Vietnamese
    page.fill("input[name=answer-answered_on]", _d(today - datetime.timedelta(days=1)))
    page.select_option("select[name=answer-outcome]", "accepted")
    page.click("form:has(input[value=answer]) button")
    expect(page.locator("form:has(input[value=answer]) .error")).to_contain_text("không được trước")
    page.fill("input[name=answer-answered_on]", _d(today))
    page.click("form:has(input[value=answer]) button")
    expect(page.locator("dl.details")).to_contain_text("tiếp thu")
    rec = Recommendation.objects.get()
    assert rec.status == Recommendation.Status.ACCEPTED and rec.supervision_id == sup.pk

    page.goto("/oversight/recommendations/?state=answered")
    expect(page.locator("table").last).to_contain_text("Chi trả dứt điểm")
