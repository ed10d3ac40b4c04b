"""In a real browser: a housing case walked from proposal to handover (demo, Quảng Yên 2017).

Office staff (``canbo``, the fund's accountant) adds a household to the register, proposes
new-build support from the town fund, verifies it and records the on-site appraisal with a
photo; the office head (``truongkhoi``) approves; the staff issue the decision (numbered in
the document register), pay the first tranche, record progress with a photo and the
acceptance, pay the second tranche and record the handover. Each step's result is read
back from the database: two ledger expenditures, the case handed over.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from khoi.fund.demo import demo_photo
from khoi.fund.models import Entry, Fund, Household, HousingCase
from khoi.org.demo import DEMO_PASSWORD, load_demo

CHROMIUM = Path("/usr/bin/chromium")
PNG = demo_photo()  # a real PNG: photos are decoded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium)",
    ),
]


def sign_in(page: Page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def sign_out(page: Page) -> None:
    page.locator(".usermenu form button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def step(page: Page, action: str, **fields: Any) -> None:
    form = page.locator(f"form[action$='/do/{action}/']")
    for name, value in fields.items():
        if name == "photos":
            form.locator("input[name=photos]").set_input_files(value)
        elif name == "signers":  # one name a signing role, in the roles' order
            inputs = form.locator("input[name^=signer-]")
            for i, line in enumerate(value.splitlines()):
                inputs.nth(i).fill(line)
        elif name == "criteria":
            for code in value:
                form.locator(f"input[name=criteria][value={code}]").check()
        else:
            form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Fund:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_demo()
    return Fund.objects.get(name="Quỹ Vì người nghèo thị xã Quảng Yên")


def test_a_housing_case_from_proposal_to_handover(
    demo: Fund, browser_page: Page, tmp_path: Path
) -> None:
    page = browser_page
    photo = tmp_path / "nha.png"
    photo.write_bytes(PNG)
    sign_in(page, "canbo")
    page.goto(reverse("fund:household_create"))
    page.locator("#id_unit").select_option(index=1)
    page.fill("#id_head_name", "Hoàng Văn Thử (tên minh họa)")
    page.fill("#id_head_birth_year", "1950")
    page.fill("#id_area_name", "Khu 6")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fund/households/\d+/$"))
    household = Household.objects.get(head_name="Hoàng Văn Thử (tên minh họa)")
    propose = page.locator(f"form[action$='/households/{household.pk}/cases/new/']")
    propose.locator("select[name=fund]").select_option(str(demo.pk))
    propose.locator("select[name=kind]").select_option("new")
    propose.locator("input[name=year]").fill("2017")
    propose.locator("button").click()
    expect(page).to_have_url(re.compile(r"/fund/cases/\d+/$"))
    case = HousingCase.objects.get(household=household)
    step(page, "verify")
    step(page, "appraise", criteria=["poverty", "house_state", "land"], photos=str(photo))
    expect(page.locator("#case-status")).to_have_text("đã thẩm định thực tế")
    assert page.locator("form[action$='/do/approve/']").count() == 0  # the proposer cannot
    sign_out(page)

    sign_in(page, "truongkhoi")
    page.goto(reverse("fund:case_detail", args=[case.pk]))
    step(page, "approve")
    expect(page.locator("#case-status")).to_have_text("Ban Thường trực đã phê duyệt")
    sign_out(page)

    sign_in(page, "canbo")
    page.goto(reverse("fund:case_detail", args=[case.pk]))
    step(page, "decide", date="10/11/2017")
    step(page, "tranche1", date="13/11/2017")
    step(page, "progress", note="Đã xây xong tường", photos=str(photo))
    step(
        page, "accept", date="20/12/2017", signers="Cán bộ MTTQ\nCán bộ UBND\nTrưởng khu 6\nChủ hộ"
    )
    step(page, "tranche2", date="22/12/2017")
    step(page, "handover", date="25/12/2017")
    expect(page.locator("#case-status")).to_have_text("đã bàn giao")
    case.refresh_from_db()
    assert case.status == "handed_over" and case.decision_notation.endswith("/QĐ-MTTQ")
    paid = Entry.objects.filter(fund=demo, decision_ref=case.decision_notation)
    assert sorted(e.amount for e in paid) == [10_000_000, 15_000_000]  # Quảng Ninh 2016: 25 M
    if os.environ.get("KHOI_SCREENSHOTS"):
        page.screenshot(path=str(Path(settings.BASE_DIR) / "var" / "fund-case.png"))
