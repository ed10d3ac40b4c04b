"""In a real browser: from an Excel plan to joint work and a task followed to done.

The issue's definition of done, walked through by the demo's people (Quảng Yên, 2017):
office staff (``canbo``, Nguyễn Thị Thu Hà) imports two activities of the Women's Union
from the downloaded template, types a Front activity without diacritics and with an
abbreviation and sees the imported one in the live overlap panel (htmx), saves it and
proposes the merge; the office head (``truongkhoi``) approves the joint work and assigns a
task from it to Nguyễn Thị Thu Hà; she finds it in "my tasks" and moves it to in progress,
then done with a result note; the joint work's history lists the proposal and the approval.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's
``live_server``; the ``browser_page`` fixture lives in the root conftest.py. Without the
browser the test is skipped locally and fails in CI (``CI`` set). Screenshots of every
major step go to var/screenshots/work-*.png.

Pages are found by their addresses and form field names, and the Vietnamese words checked
are produced by the same catalogue the server uses (``vi()``), so the test does not depend
on how complete the translation is.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from khoi.audit.models import AuditEntry
from khoi.org.demo import DEMO_PASSWORD, load_demo
from khoi.org.models import JointOffice, Organization, Person
from khoi.work import importer
from khoi.work.labels import ACTION_LABELS
from khoi.work.models import Activity, JointActivity, Task

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

# The two Women's Union activities of the imported plan (October 2017).
IMPORTED_VSMT = "Tuyên truyền vệ sinh môi trường tại khu dân cư"
IMPORTED_TRAINING = "Tập huấn kiến thức nuôi dạy con cho hội viên phụ nữ"
# The Front activity typed the way people type in a hurry: no diacritics, an abbreviation.
TYPED_TITLE = "Tuyen truyen VSMT tai khu dan cu"
JOINT_TITLE = "Tuyên truyền vệ sinh môi trường tại khu dân cư phường Cộng Hòa"
TASK_TITLE = "Chuẩn bị tài liệu tuyên truyền VSMT cho các khu dân cư"
RESULT_NOTE = "Đã in 500 tờ rơi và gửi 12 khu dân cư phường Cộng Hòa."
WARD = "Phường Cộng Hòa"


def vi(text: Any) -> str:
    """A label as the Vietnamese page shows it (English if the catalogue lacks it)."""
    with translation.override("vi"):
        return str(text)


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"work-{name}.png"), full_page=True)


def path_re(url_path: str, tail: str = r"(\?.*)?$") -> re.Pattern[str]:
    return re.compile(re.escape(url_path) + tail)


def sign_in(page: Page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def sign_out(page: Page) -> None:
    page.locator(".usermenu form button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def choose(page: Page, field: str, label: str) -> None:
    """Tick one choice of a multiple-choice field (a checkbox list, or a multiple select)."""
    widget = page.locator(field)
    if widget.evaluate("e => e.tagName") == "SELECT":
        widget.select_option(label=label)
    else:
        widget.get_by_label(label, exact=True).check()


def success_message(page: Page) -> Any:
    return page.locator("ul.messages li.msg-success")


@pytest.fixture
def demo() -> dict[str, Any]:
    """The demo scenario, loaded before the browser starts (outside Playwright's loop)."""
    load_demo()
    office = JointOffice.objects.get(code="quang-yen")
    orgs = {o.kind: o for o in office.organizations.all()}
    return {
        "office": office,
        "front": orgs[Organization.Kind.FRONT],
        "women": orgs[Organization.Kind.WOMEN],
        "thu_ha": Person.objects.get(full_name="Nguyễn Thị Thu Hà"),
        "activities_before": Activity.objects.filter(office=office).count(),
    }


def test_staff_imports_a_plan_merges_an_overlap_and_the_task_is_followed_to_done(
    demo: dict[str, Any], browser_page: Page, tmp_path: Path
) -> None:
    page = browser_page
    office: JointOffice = demo["office"]

    # --- 1. Office staff imports the Women's Union plan from the downloaded template -------
    sign_in(page, "canbo")
    page.locator("nav.mainnav").locator(f"a[href='{reverse('work:activity_list')}']").click()
    page.locator(f"a[href='{reverse('work:import_upload')}']").click()
    expect(page).to_have_url(path_re(reverse("work:import_upload")))
    shoot(page, "01-import-page")

    with page.expect_download() as download_info:
        page.locator(f"a[href^='{reverse('work:import_template')}']").click()
    download = download_info.value
    assert download.suggested_filename == f"mau-hoat-dong-{office.code}.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook[importer.SHEET_NAME]
    header = [c.value for c in sheet[1]]
    assert header == [h for _key, h, _required in importer.COLUMNS]
    column = {key: i for i, (key, _h, _r) in enumerate(importer.COLUMNS)}

    def fill_row(number: int, **cells: Any) -> None:
        """Type into a row of the sheet, as in Excel (the template pre-formats 200 rows)."""
        for key, value in cells.items():
            sheet.cell(row=number, column=column[key] + 1, value=value)

    fill_row(
        2,
        title=IMPORTED_VSMT,
        kind="Tuyên truyền",
        description="Tuyên truyền hội viên phân loại, thu gom rác thải tại gia đình.",
        organization="Hội LHPN",
        targets=WARD,
        start_on="16/10/2017",  # typed as text, as many people do
        end_on="20/10/2017",
        expected_participants=250,
        budget="4.000.000",
    )
    fill_row(
        3,
        title=IMPORTED_TRAINING,
        kind="Tập huấn / hội nghị",
        organization="Hội LHPN",
        targets="toàn địa bàn",
        start_on=datetime.date(2017, 10, 25),  # a real date cell
        end_on=datetime.date(2017, 10, 25),
        expected_participants=120,
        budget=6_000_000,
    )
    filled = tmp_path / "ke-hoach-hoi-phu-nu-thang-10-2017.xlsx"
    workbook.save(filled)

    page.set_input_files("input[name=file]", str(filled))
    page.locator("form.form button[type=submit].primary").click()
    expect(page).to_have_url(re.compile(r"/work/imports/[0-9a-f-]{36}/$"))
    expect(page.locator("#import-errors")).to_have_count(0)
    preview_rows = page.locator("#import-rows tbody tr")
    expect(preview_rows).to_have_count(2)
    expect(preview_rows.nth(0).locator("td").first).to_have_text("2")  # the Excel row number
    expect(preview_rows.nth(0)).to_contain_text(IMPORTED_VSMT)
    expect(preview_rows.nth(0)).to_contain_text(demo["women"].name)
    expect(preview_rows.nth(0)).to_contain_text("16/10/2017")
    expect(preview_rows.nth(0)).to_contain_text("4.000.000")
    expect(preview_rows.nth(1)).to_contain_text(IMPORTED_TRAINING)
    expect(preview_rows.nth(1)).to_contain_text("25/10/2017")
    assert Activity.objects.filter(office=office).count() == demo["activities_before"], (
        "the preview must not import anything"
    )
    shoot(page, "02-import-preview")

    page.locator("button[name=mode]").click()
    expect(page).to_have_url(path_re(reverse("work:activity_list")))
    expect(success_message(page)).to_be_visible()
    expect(page.get_by_role("link", name=IMPORTED_VSMT, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=IMPORTED_TRAINING, exact=True)).to_be_visible()
    imported = Activity.objects.get(office=office, title=IMPORTED_VSMT)
    assert imported.organization == demo["women"]
    assert [u.name for u in imported.target_units.all()] == [WARD]
    assert (imported.start_on, imported.end_on) == (
        datetime.date(2017, 10, 16),
        datetime.date(2017, 10, 20),
    )
    shoot(page, "03-imported")

    # --- 2. A Front activity typed without diacritics: the overlap shows while typing ----
    page.locator(f"a[href='{reverse('work:activity_create')}']").click()
    expect(page).to_have_url(path_re(reverse("work:activity_create")))
    overlaps = page.locator("#overlaps")
    page.select_option("#id_organization", str(demo["front"].pk))
    page.select_option("#id_kind", "propaganda")
    page.fill("#id_start_on", "16/10/2017")
    page.fill("#id_end_on", "20/10/2017")
    choose(page, "#id_target_units", WARD)
    expect(overlaps.locator("a")).to_have_count(0)  # no title yet: nothing to compare
    overlap_link = overlaps.get_by_role("link", name=IMPORTED_VSMT, exact=True)
    with page.expect_response(
        lambda r: (
            r.url.endswith(reverse("work:activity_overlaps"))
            and r.request.method == "POST"
            and r.request.headers.get("hx-request") == "true"
            and parse_qs(r.request.post_data or "").get("title") == [TYPED_TITLE]
        )
    ) as overlap_response:
        page.locator("#id_title").press_sequentially(TYPED_TITLE, delay=20)
    assert overlap_response.value.ok
    expect(overlap_link).to_be_visible()
    suggestion = overlaps.locator("li", has=page.get_by_role("link", name=IMPORTED_VSMT))
    expect(suggestion).to_contain_text(demo["women"].short_name)
    expect(suggestion).to_contain_text("16/10/2017")
    expect(suggestion.locator(".score")).to_contain_text("%")
    expect(page).to_have_url(path_re(reverse("work:activity_create")))  # no page load
    expect(page.locator("#id_title")).to_have_value(TYPED_TITLE)
    shoot(page, "04-overlap-while-typing")

    page.locator("#activity-form button[type=submit].primary").click()
    expect(page).to_have_url(re.compile(r"/work/activities/\d+/$"))
    expect(success_message(page)).to_be_visible()
    expect(page.locator("h1")).to_have_text(TYPED_TITLE)
    front_activity = Activity.objects.get(office=office, title=TYPED_TITLE)
    assert front_activity.organization == demo["front"]
    shoot(page, "05-activity-saved")

    # --- 3. Staff proposes the merge from the activity page -------------------------------
    on_detail = page.locator("ul.overlaps li", has=page.get_by_role("link", name=IMPORTED_VSMT))
    merge_link = on_detail.locator(f"a[href^='{reverse('work:merge')}']")
    expect(merge_link).to_have_attribute(
        "href", f"{reverse('work:merge')}?ids={front_activity.pk},{imported.pk}"
    )
    merge_link.click()
    expect(page).to_have_url(path_re(reverse("work:merge")))
    expect(page.locator("main ul:not(.messages) > li")).to_have_count(2)
    page.fill("#id_title", JOINT_TITLE)
    page.select_option("#id_lead", str(demo["front"].pk))
    expect(page.locator("#id_start_on")).to_have_value("16/10/2017")
    expect(page.locator("#id_end_on")).to_have_value("20/10/2017")
    shoot(page, "06-merge-form")
    page.locator("main form.form button.primary").click()
    expect(page).to_have_url(re.compile(r"/work/joint/\d+/$"))
    joint = JointActivity.objects.get(office=office, title=JOINT_TITLE)
    assert joint.status == JointActivity.Status.PROPOSED
    assert set(joint.activities.values_list("pk", flat=True)) == {front_activity.pk, imported.pk}
    expect(success_message(page)).to_be_visible()
    expect(page.locator("p.notice")).to_contain_text(vi(JointActivity.Status.PROPOSED.label))
    # staff may propose, not approve, and no task is assigned before the approval
    expect(
        page.locator(f"form[action='{reverse('work:joint_approve', args=[joint.pk])}']")
    ).to_have_count(0)
    expect(page.locator(f"a[href^='{reverse('work:task_create')}']")).to_have_count(0)
    shoot(page, "07-merge-proposed")
    sign_out(page)

    # --- 4. The office head approves and assigns a task from the joint work --------------
    sign_in(page, "truongkhoi")
    page.locator("nav.mainnav").locator(f"a[href='{reverse('work:joint_list')}']").click()
    joint_row = page.locator("table tbody tr", has=page.get_by_role("link", name=JOINT_TITLE))
    expect(joint_row).to_contain_text(vi(JointActivity.Status.PROPOSED.label))
    shoot(page, "08-joint-list-head")
    joint_row.get_by_role("link", name=JOINT_TITLE).click()
    joint_url = reverse("work:joint_detail", args=[joint.pk])
    expect(page).to_have_url(path_re(joint_url))
    page.locator(f"form[action='{reverse('work:joint_approve', args=[joint.pk])}'] button").click()
    expect(page).to_have_url(path_re(joint_url))
    expect(success_message(page)).to_be_visible()
    expect(page.locator("p.notice")).to_contain_text(vi(JointActivity.Status.ACTIVE.label))
    joint.refresh_from_db()
    assert joint.status == JointActivity.Status.ACTIVE
    shoot(page, "09-joint-approved")

    page.locator(f"a[href='{reverse('work:task_create')}?joint={joint.pk}']").click()
    expect(page).to_have_url(path_re(reverse("work:task_create")))
    due = timezone.localdate() + datetime.timedelta(days=10)
    page.fill("#id_title", TASK_TITLE)
    page.select_option("#id_assignee", f"p:{demo['thu_ha'].pk}")
    page.fill("#id_due_on", due.isoformat())  # a date input: the browser shows dd/mm/yyyy
    shoot(page, "10-assign-task")
    page.locator("main form button.primary").click()
    expect(page).to_have_url(re.compile(r"/work/tasks/\d+/$"))
    expect(success_message(page)).to_be_visible()
    task = Task.objects.get(joint=joint, title=TASK_TITLE)
    assert task.assignee == demo["thu_ha"]
    assert task.status == Task.Status.NEW
    assert task.due_on == due
    sign_out(page)

    # --- 5. Nguyễn Thị Thu Hà follows her task to done ------------------------------------
    sign_in(page, "canbo")
    page.locator("nav.mainnav").locator(f"a[href='{reverse('work:task_mine')}']").click()
    expect(page).to_have_url(path_re(reverse("work:task_mine")))
    mine_row = page.locator("table tbody tr", has=page.get_by_role("link", name=TASK_TITLE))
    expect(mine_row).to_contain_text(JOINT_TITLE)
    expect(mine_row).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(mine_row).to_contain_text(vi(Task.Status.NEW.label))
    shoot(page, "11-my-tasks")
    mine_row.get_by_role("link", name=TASK_TITLE).click()
    task_url = reverse("work:task_detail", args=[task.pk])
    expect(page).to_have_url(path_re(task_url))
    expect(page.locator("dl.details")).to_contain_text(JOINT_TITLE)

    page.select_option("#id_status", Task.Status.IN_PROGRESS.value)
    page.fill("#id_note", "Đang xin nội dung tờ rơi từ Phòng Tài nguyên và Môi trường.")
    page.locator(f"form[action='{reverse('work:task_update', args=[task.pk])}'] button").click()
    expect(page).to_have_url(path_re(task_url))
    expect(success_message(page)).to_be_visible()
    expect(page.locator("dl.details strong").first).to_have_text(vi(Task.Status.IN_PROGRESS.label))
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    shoot(page, "12-task-in-progress")

    # done without a result note is refused, with the reason next to the note field
    page.select_option("#id_status", Task.Status.DONE.value)
    page.locator(f"form[action='{reverse('work:task_update', args=[task.pk])}'] button").click()
    expect(page.locator(".field.has-error textarea#id_note")).to_be_visible()
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    shoot(page, "13-done-needs-a-note")

    page.select_option("#id_status", Task.Status.DONE.value)
    page.fill("#id_note", RESULT_NOTE)
    page.locator(f"form[action='{reverse('work:task_update', args=[task.pk])}'] button").click()
    expect(page).to_have_url(path_re(task_url))
    expect(success_message(page)).to_be_visible()
    details = page.locator("dl.details")
    expect(details.locator("strong").first).to_have_text(vi(Task.Status.DONE.label))
    expect(details).to_contain_text(RESULT_NOTE)
    expect(details).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    expect(page.locator("ul.plain li")).to_have_count(2)  # two progress updates in the history
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.result_note == RESULT_NOTE
    assert task.completed_on == timezone.localdate()
    shoot(page, "14-task-done")

    page.locator("nav.mainnav").locator(f"a[href='{reverse('work:task_mine')}']").click()
    done_row = page.locator("table tbody tr", has=page.get_by_role("link", name=TASK_TITLE))
    expect(done_row).to_have_class(re.compile(r"\binactive\b"))
    expect(done_row).to_contain_text(vi(Task.Status.DONE.label))
    shoot(page, "15-my-tasks-done")

    # --- 6. The joint work shows the task done, and its history lists the steps ----------
    response = page.goto(joint_url)
    assert response is not None and response.ok, (
        f"the joint work's page answers {response and response.status} once it has a task"
    )
    joint_task = page.locator("table tbody tr", has=page.get_by_role("link", name=TASK_TITLE))
    expect(joint_task).to_contain_text(vi(Task.Status.DONE.label))
    merged = page.locator("table tbody tr", has=page.get_by_role("link", name=IMPORTED_VSMT))
    expect(merged).to_have_count(1)
    shoot(page, "16-joint-with-task-done")
    history_url = reverse("audit:history", args=["work.jointactivity", joint.pk])
    page.locator(f"a[href='{history_url}']").click()
    expect(page).to_have_url(path_re(history_url))
    entries = page.locator("table.audit tbody tr")
    expect(entries).to_have_count(2)
    # newest first: the head's approval, then the staff's proposal
    expect(entries.nth(0)).to_contain_text(vi(ACTION_LABELS["joint.approve"]))
    expect(entries.nth(0)).to_contain_text("Đào Văn Thịnh")  # the head (truongkhoi)
    expect(entries.nth(1)).to_contain_text(vi(ACTION_LABELS["joint.propose"]))
    expect(entries.nth(1)).to_contain_text("Nguyễn Thị Thu Hà")
    shoot(page, "17-joint-history")
    office_actions = list(
        AuditEntry.objects.filter(office_id_ref=office.pk)
        .filter(action__in=["activity.import", "joint.propose", "joint.approve", "task.create"])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert office_actions[-4:] == [
        "activity.import",
        "joint.propose",
        "joint.approve",
        "task.create",
    ]
    task_actions = list(
        AuditEntry.objects.filter(object_type="work.task", object_id=str(task.pk))
        .order_by("seq")
        .values_list("action", "actor_label")
    )
    assert task_actions == [
        ("task.create", "Đào Văn Thịnh"),
        ("task.status", "Nguyễn Thị Thu Hà"),
        ("task.update", "Nguyễn Thị Thu Hà"),
        ("task.status", "Nguyễn Thị Thu Hà"),
        ("task.update", "Nguyễn Thị Thu Hà"),
    ]
