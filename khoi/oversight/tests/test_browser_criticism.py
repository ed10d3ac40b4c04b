"""In a real browser: a critique from the draft received to the drafting body's answer.

Office staff receive the draft (pasted, cut into sections), comment on a section; the
Women's Union chair comments for her organization; the staff issue the critique (numbered
in the register, .docx), the late comment is refused, and the drafting body's answer is
recorded point by point, the point not accepted becoming a recommendation of the register.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from khoi import clock
from khoi.oversight.models.criticism import Critique
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
TEXT = "Lời mở đầu.\nI. MỤC ĐÍCH, YÊU CẦU\nQuán triệt.\nII. NHIỆM VỤ\nKiểm tra, giám sát."


def _login(page: Page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _logout(page: Page) -> None:
    page.locator(".usermenu form button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_critique_from_the_draft_to_the_drafting_body_s_answer(
    world: Any, browser_page: Page
) -> None:
    from django.apps import apps

    from khoi.oversight.criticism_rules import load
    from khoi.oversight.models import Recommendation

    # the default periods come with migrate; another transactional test's flush may have
    # emptied them in this worker's database
    load(apps)
    page = browser_page  # on the real date (the app's browser tests run unfrozen)
    today = clock.today()

    def day(offset: int) -> str:
        return (today + datetime.timedelta(days=offset)).strftime("%d/%m/%Y")

    _login(page, "staff")
    page.goto(reverse("oversight:critique_create"))
    page.fill("#id_title", "Dự thảo Chương trình hành động thực hiện Nghị quyết 04-NQ/TW")
    page.select_option("#id_draft_kind", "programme")
    page.fill("#id_drafting_body", "Ban Thường vụ Thị ủy")
    page.fill("#id_received_on", day(-10))
    page.fill("#id_due_on", day(0))
    page.select_option("#id_form", "conference")
    page.fill("#id_text", TEXT)
    page.locator("form.form button.primary").click()
    expect(page.locator("#short-notice")).to_contain_text("75/2015/QH13")  # 10 days < 15
    expect(page.locator("h3")).to_have_count(3)
    critique = Critique.objects.get()
    first = critique.sections.get(heading="I. MỤC ĐÍCH, YÊU CẦU")
    form = page.locator("#comment-form")
    form.locator("#id_section").select_option(str(first.pk))
    form.locator("#id_author_kind").select_option("member")
    form.locator("#id_content").fill("Bổ sung yêu cầu lấy ý kiến nơi cư trú.")
    form.locator("button.primary").click()
    expect(page.locator(".errors, .error").first).to_contain_text("Nhập tên thành viên")
    form = page.locator("form.form")
    form.locator("#id_author_name").fill("Nguyễn Văn Hùng")
    form.locator("button.primary").click()
    expect(page.locator(f"#section-{first.pk}")).to_contain_text("Nguyễn Văn Hùng")
    _logout(page)

    _login(page, "leader")
    page.goto(reverse("oversight:critique_detail", args=[critique.pk]))
    expect(page.locator("#issue-form")).to_have_count(0)
    form = page.locator("#comment-form")
    form.locator("#id_organization").select_option(str(world.women.pk))
    form.locator("#id_content").fill("Cụ thể hóa cơ chế giám sát người đứng đầu.")
    form.locator("button.primary").click()
    expect(page.locator("#section-general")).to_contain_text("Hội LHPN thị xã")
    _logout(page)

    _login(page, "staff")
    page.goto(reverse("oversight:critique_detail", args=[critique.pk]))
    page.locator("#issue-form #id_signer").fill("Nguyễn Văn Hùng")
    page.locator("#issue-form button.primary").click()
    expect(page.locator("#status")).to_contain_text("đã ban hành")
    expect(page.locator("#critique")).to_contain_text("01/BC-MTTQ")
    expect(page.locator("#critique-docx")).to_be_visible()
    expect(page.locator("#comment-form")).to_have_count(0)
    expect(page.locator("#comments-closed")).to_be_visible()

    page.locator("#record-answer").click()
    points = [p.pk for p in critique.comments.order_by("pk")]
    page.fill("#id_answered_on", day(0))
    page.select_option(f"#id_response-{points[0]}", "accepted")
    page.select_option(f"#id_response-{points[1]}", "not_accepted")
    page.locator("#answer-form button.primary").click()
    expect(page.locator("#answer-form")).to_contain_text("giải trình")
    page.fill(f"#id_note-{points[1]}", "Cơ chế đã có trong quy định của Tỉnh ủy.")
    page.fill("#id_recommendation_due_on", day(30))
    page.locator("#answer-form button.primary").click()
    expect(page.locator("#status")).to_contain_text("đã trả lời")
    expect(page.locator("#recommendations")).to_contain_text("Ban Thường vụ Thị ủy")
    expect(page.locator(f"#point-{points[1]}")).to_contain_text("không tiếp thu")
    rec = Recommendation.objects.get()
    assert rec.source_kind == "criticism" and rec.source_id == points[1]
    critique.refresh_from_db()
    assert critique.status == "answered" and critique.issued_document is not None
