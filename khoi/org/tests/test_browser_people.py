"""In a real browser: the office head signs in and finds a colleague without typing diacritics.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's
``live_server``; the ``browser_page`` fixture lives in the root conftest.py. Without the
browser the test is skipped locally and fails in CI (``CI`` set).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from khoi.org.demo import DEMO_PASSWORD, load_demo
from khoi.org.models import Person

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=(
            f"{CHROMIUM} is not installed (apt-get install chromium); "
            "with CI set this test fails instead of being skipped"
        ),
    ),
]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.fixture
def demo_person_id() -> int:
    """The demo scenario, loaded before the browser starts; Lê Đức Trà's id.

    Requested before ``browser_page``, so the database work runs outside Playwright's
    event loop, on the test's ordinary connection.
    """
    load_demo()
    return Person.objects.get(full_name="Lê Đức Trà").pk


def test_office_head_finds_a_colleague_by_typing_his_name_without_diacritics(
    demo_person_id: int, browser_page: Page
) -> None:
    page = browser_page

    page.goto(reverse("accounts:login"))
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.locator("h1")).to_have_text("Đăng nhập")

    page.fill("input[name=username]", "truongkhoi")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.locator("nav.mainnav").get_by_role("link", name="Cán bộ", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("org:person_list")) + r"$"))
    rows = page.locator("#people tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 1, "the demo office should list several people before the search"

    search = page.locator("#people-search")
    with page.expect_response(
        lambda r: (
            query(r.url).get("q") == ["le duc tra"]
            and r.request.headers.get("hx-request") == "true"
        )
    ):
        search.press_sequentially("le duc tra", delay=30)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link")).to_have_text("Lê Đức Trà")
    # the filtered list has its own address, so it can be bookmarked or sent to a colleague
    expect(page).to_have_url(re.compile(r"[?&]q=le(%20|\+)duc(%20|\+)tra(&|$)"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "people.png"), full_page=True)

    rows.get_by_role("link", name="Lê Đức Trà", exact=True).click()
    detail = reverse("org:person_detail", args=[demo_person_id])
    expect(page).to_have_url(re.compile(re.escape(detail) + r"$"))
    expect(page.locator("h1")).to_have_text("Lê Đức Trà")
    positions = page.locator("section.panel table")  # the "Chức vụ" (positions) table
    expect(
        positions.get_by_role("cell", name=re.compile(r"^Phó Chủ tịch Thường trực"))
    ).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)
