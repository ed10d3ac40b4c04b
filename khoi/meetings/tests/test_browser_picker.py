"""In a real browser: staff invite people by typing part of a name (without accents), create
the meeting and see it confirmed; closing asks first."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from khoi.meetings.models import Meeting
from khoi.org.demo import DEMO_PASSWORD, load_demo

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); CI fails instead",
    ),
]


@pytest.fixture
def demo() -> None:
    load_demo()


def test_staff_pick_invitees_by_typing_and_the_meeting_is_confirmed(
    demo: None, browser_page: Page
) -> None:
    page = browser_page
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "canbo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto("/meetings/new/?office=quang-yen")
    picker = page.locator("[data-picker]").last  # the invitees
    search = picker.locator(".picker-search")
    expect(search).to_be_visible()  # shown once the script runs
    options = picker.locator(".picker-option")
    total = options.count()
    assert total > 3
    search.press_sequentially("le duc tra", delay=20)
    visible = picker.locator(".picker-option:visible")
    expect(visible).to_have_count(1)
    expect(visible.first).to_contain_text("Lê Đức Trà")
    visible.first.locator("input").check()
    expect(picker.locator(".picker-count")).to_contain_text("1")
    search.fill("")
    search.press("Enter")  # filtering, not sending the form
    expect(page).to_have_url(re.compile(r"/meetings/new/"))
    expect(picker.locator(".picker-option:visible")).to_have_count(total)

    page.select_option("select[name=kind]", "conference")
    page.fill("input[name=title]", "Hội nghị thử")
    page.fill("input[name=starts_at]", "20/10/2017 08:00")
    page.locator("form.form button.primary").click()
    expect(page.locator(".messages")).to_contain_text("đã được lên lịch")
    meeting = Meeting.objects.get(title="Hội nghị thử")
    assert meeting.attendances.filter(person__full_name="Lê Đức Trà").exists()

    page.get_by_role("link", name="Kết thúc cuộc họp").click()
    expect(page.locator("[role=alert]")).to_contain_text("Chưa ghi nhận điểm danh")
