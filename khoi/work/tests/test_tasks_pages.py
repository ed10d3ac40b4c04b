"""Task pages across personas: lists, board, detail, progress updates, files, assigning, export."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from time_machine import TimeMachineFixture

from khoi.org import services as org_services
from khoi.org.models import Membership, SubCommittee
from khoi.testing.factories import START, World, person
from khoi.work import services
from khoi.work.forms_tasks import MAX_ATTACHMENT_BYTES, detect_type
from khoi.work.models import Task, TaskUpdate
from khoi.work.tests.factories import activity

D = datetime.date
TODAY = D(2025, 10, 17)  # a Friday
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(
        datetime.datetime(2025, 10, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )


@dataclass
class Tasks:
    staff: Task  # assigned to the staff member, due next week
    leader: Task  # assigned to the Women's Union chair, overdue by 10 days
    sub: Task  # assigned to a sub-committee, overdue by 3 days
    other: Task  # in the other office
    subcommittee: SubCommittee
    member: Client


@pytest.fixture
def tasks(world: World) -> Tasks:
    head = world.users["office_head"]
    sub = org_services.do_add_subcommittee(None, world.office, "Tiểu ban tuyên truyền")
    member = person("Hoàng Văn Bình", world.town, "member")
    org_services.do_add_membership(
        None, member, role=Membership.Role.MEMBER, start_on=START, subcommittee=sub
    )
    staff = services.do_create_task(
        head, world.office, title="Báo cáo sơ kết quý III", due_on=D(2025, 10, 24),
        assignee=world.people["staff"], priority=Task.Priority.HIGH,
    )  # fmt: skip
    leader = services.do_create_task(
        head, world.office, title="Vận động quỹ Vì người nghèo", due_on=D(2025, 10, 7),
        assignee=world.people["org_leader"],
    )  # fmt: skip
    sub_task = services.do_create_task(
        head, world.office, title="Tuyên truyền bầu cử", due_on=D(2025, 10, 14),
        assignee_subcommittee=sub,
    )  # fmt: skip
    other = services.do_create_task(
        world.users["admin"], world.other_office, title="Kiểm tra khu dân cư",
        due_on=D(2025, 10, 1), assignee=world.people["other_staff"],
    )  # fmt: skip
    client = Client()
    assert member.user is not None
    client.force_login(member.user)
    return Tasks(staff, leader, sub_task, other, sub, client)


def _body(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _xlsx() -> bytes:
    wb = Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- Who sees what --------------------------------------------------------------------------

DETAIL_SEES_STAFF_TASK = {
    "office_head": 200, "org_leader": 404, "staff": 200, "other_staff": 404,
    "reporter": 404, "viewer": 200, "outsider": 404, "admin": 200,
}  # fmt: skip


def test_the_task_page_answers_each_persona(world: World, tasks: Tasks, as_user) -> None:
    url = reverse("work:task_detail", args=[tasks.staff.pk])
    answers = {persona: as_user(persona).get(url).status_code for persona in DETAIL_SEES_STAFF_TASK}
    assert answers == DETAIL_SEES_STAFF_TASK


LIST_SEES = {
    "office_head": {"staff", "leader", "sub"},
    "staff": {"staff", "leader", "sub"},
    "viewer": {"staff", "leader", "sub"},
    "org_leader": {"leader"},
    "other_staff": {"other"},
    "reporter": set(),
    "outsider": set(),
    "admin": {"staff", "leader", "sub", "other"},
}


def test_the_office_list_shows_only_the_tasks_in_reach(world: World, tasks: Tasks, as_user) -> None:
    for persona, seen in LIST_SEES.items():
        body = _body(as_user(persona), reverse("work:task_list"))
        shown = {k for k in ("staff", "leader", "sub", "other") if getattr(tasks, k).title in body}
        assert shown == seen, persona


def test_my_tasks_are_mine_and_my_sub_committees_with_open_ones_first(
    world: World, tasks: Tasks, as_user
) -> None:
    staff = world.users["staff"]
    services.do_update_task(staff, tasks.staff, status=Task.Status.DONE, note="Đã nộp")
    later = services.do_create_task(
        world.users["office_head"], world.office, title="Tổng hợp ý kiến cử tri",
        due_on=D(2025, 11, 20), assignee=world.people["staff"],
    )  # fmt: skip
    body = _body(as_user("staff"), reverse("work:task_mine"))
    assert body.index(later.title) < body.index(tasks.staff.title)
    assert tasks.leader.title not in body and tasks.sub.title not in body
    member = _body(tasks.member, reverse("work:task_mine"))
    assert tasks.sub.title in member and tasks.staff.title not in member


def test_overdue_lists_open_late_tasks_most_overdue_first_with_the_days(
    world: World, tasks: Tasks, as_user
) -> None:
    body = _body(as_user("office_head"), reverse("work:task_overdue"))
    assert body.index(tasks.leader.title) < body.index(tasks.sub.title)
    assert tasks.staff.title not in body
    assert "<strong>10</strong>" in body and "<strong>3</strong>" in body
    services.do_update_task(
        world.users["office_head"], tasks.leader, status=Task.Status.DONE, note="Đã xong"
    )
    assert tasks.leader.title not in _body(as_user("office_head"), reverse("work:task_overdue"))


# --- Filters and export ---------------------------------------------------------------------


def test_the_list_filters_by_status_assignee_dates_overdue_and_text(
    world: World, tasks: Tasks, as_user
) -> None:
    client, url = as_user("office_head"), reverse("work:task_list")

    def titles(**params: object) -> set[str]:
        body = _body(client, url, params)
        return {k for k in ("staff", "leader", "sub") if getattr(tasks, k).title in body}

    assert titles(q="van dong quy") == {"leader"}
    assert titles(q="TUYÊN TRUYỀN") == {"sub"}
    assert titles(overdue="on") == {"leader", "sub"}
    assert titles(assignee=f"p:{world.people['staff'].pk}") == {"staff"}
    assert titles(assignee=f"s:{tasks.subcommittee.pk}") == {"sub"}
    assert titles(due_from="2025-10-10", due_to="2025-10-20") == {"sub"}
    assert titles(organization=world.women.pk) == {"leader"}
    services.do_update_task(
        world.users["staff"], tasks.staff, status=Task.Status.BLOCKED, note="Chờ số liệu"
    )
    assert titles(status="blocked") == {"staff"}
    assert titles(status="open") == {"staff", "leader", "sub"}


def test_the_export_opens_in_excel_with_the_filtered_rows(
    world: World, tasks: Tasks, as_user
) -> None:
    response = as_user("office_head").get(reverse("work:task_export"), {"overdue": "on"})
    assert response.status_code == 200
    assert 'filename="nhiem-vu-2025-10-17.xlsx"' in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Nhiệm vụ", "Người/tiểu ban được giao")
    assert [r[1] for r in rows[1:]] == [tasks.leader.title, tasks.sub.title]
    assert rows[1][5] == datetime.datetime(2025, 10, 7)
    assert ws.cell(row=2, column=6).number_format == "DD/MM/YYYY"
    assert rows[1][7] == "Mới giao"


def test_the_export_of_an_outsider_is_empty(world: World, tasks: Tasks, as_user) -> None:
    response = as_user("outsider").get(reverse("work:task_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None and ws.max_row == 1


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["task_list", "task_mine", "task_overdue", "task_board"])
def test_list_pages_run_a_fixed_number_of_queries(
    world: World, tasks: Tasks, as_user, django_assert_num_queries, name: str
) -> None:
    client = as_user("staff")
    url = reverse(f"work:{name}")
    few = _queries(client, url)
    head = world.users["office_head"]
    for i in range(12):
        a = activity(world, world.women, f"Hoạt động {i}") if i % 3 == 0 else None
        services.do_create_task(
            head, world.office, title=f"Nhiệm vụ {i}", due_on=D(2025, 10, 1 + i),
            assignee=world.people["staff"] if i % 2 else None,
            assignee_subcommittee=None if i % 2 else tasks.subcommittee, activity=a,
        )  # fmt: skip
    with django_assert_num_queries(few):
        client.get(url)


# --- Progress updates -----------------------------------------------------------------------


def test_the_assignee_reports_progress_and_others_cannot(
    world: World, tasks: Tasks, as_user
) -> None:
    url = reverse("work:task_update", args=[tasks.leader.pk])
    assert as_user("staff").post(url, {"note": "Tôi làm thay"}).status_code == 404
    assert as_user("viewer").post(url, {"note": "Tôi làm thay"}).status_code == 404
    assert as_user("other_staff").post(url, {"note": "Tôi làm thay"}).status_code == 404
    assert not TaskUpdate.objects.exists()
    response = as_user("org_leader").post(
        url, {"note": "Đã vận động 12 triệu", "status": "in_progress"}
    )
    assert response.status_code == 302
    tasks.leader.refresh_from_db()
    assert tasks.leader.status == Task.Status.IN_PROGRESS
    body = _body(as_user("org_leader"), reverse("work:task_detail", args=[tasks.leader.pk]))
    assert "Đã vận động 12 triệu" in body


def test_the_update_form_is_shown_only_to_those_who_can_update(
    world: World, tasks: Tasks, as_user
) -> None:
    url = reverse("work:task_detail", args=[tasks.leader.pk])
    action = reverse("work:task_update", args=[tasks.leader.pk])
    assert action in _body(as_user("org_leader"), url)
    assert action in _body(as_user("office_head"), url)
    assert action not in _body(as_user("staff"), url)
    assert action not in _body(as_user("viewer"), url)


def test_blocked_without_a_reason_is_refused_on_the_page(
    world: World, tasks: Tasks, as_user
) -> None:
    url = reverse("work:task_update", args=[tasks.staff.pk])
    response = as_user("staff").post(url, {"status": "blocked", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    tasks.staff.refresh_from_db()
    assert tasks.staff.status == Task.Status.NEW and not TaskUpdate.objects.exists()


def test_an_illegal_move_is_not_offered_and_refused_when_forced(
    world: World, tasks: Tasks, as_user
) -> None:
    head = world.users["office_head"]
    services.do_update_task(head, tasks.staff, status=Task.Status.CANCELLED, note="Thôi")
    url = reverse("work:task_update", args=[tasks.staff.pk])
    response = as_user("office_head").post(url, {"status": "done", "note": "Xong"})
    assert response.status_code == 200 and response.context["form"].errors["status"]
    tasks.staff.refresh_from_db()
    assert tasks.staff.status == Task.Status.CANCELLED


def test_an_attachment_is_saved_and_served_only_to_those_who_see_the_task(
    world: World, tasks: Tasks, as_user
) -> None:
    url = reverse("work:task_update", args=[tasks.staff.pk])
    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    assert as_user("staff").post(url, {"note": "Dự thảo", "attachment": upload}).status_code == 302
    update = TaskUpdate.objects.get()
    file_url = reverse("work:task_attachment", args=[tasks.staff.pk, update.pk])
    assert file_url in _body(as_user("staff"), reverse("work:task_detail", args=[tasks.staff.pk]))
    for persona, code in DETAIL_SEES_STAFF_TASK.items():
        response = as_user(persona).get(file_url)
        assert response.status_code == code, persona
        if code == 200:
            assert b"".join(response.streaming_content) == PDF
            assert "attachment" in response["Content-Disposition"]
    wrong_task = reverse("work:task_attachment", args=[tasks.leader.pk, update.pk])
    assert as_user("office_head").get(wrong_task).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("anh.png", PNG, True),
        ("anh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, True),
        ("bien-ban.docx", _docx(), True),
        ("so-lieu.xlsx", _xlsx(), True),
        ("bao-cao.pdf", PNG, False),  # a picture disguised as a PDF
        ("bien-ban.docx", _xlsx(), False),  # a spreadsheet named .docx
        ("so-lieu.xlsx", b"PK\x03\x04 broken zip", False),
        ("virus.exe", b"MZ\x90\x00", False),
        ("ghi-chu.pdf", b"just text", False),
    ],
)
def test_attachments_are_checked_by_their_content(
    world: World, tasks: Tasks, as_user, name: str, content: bytes, ok: bool
) -> None:
    url = reverse("work:task_update", args=[tasks.staff.pk])
    response = as_user("staff").post(
        url, {"note": "Tệp đính kèm", "attachment": SimpleUploadedFile(name, content)}
    )
    assert (response.status_code == 302) == ok
    assert TaskUpdate.objects.exists() == ok
    if not ok:
        assert response.context["form"].errors["attachment"]


def test_a_file_over_10_mb_is_refused(world: World, tasks: Tasks, as_user) -> None:
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.7\n" + b"0" * MAX_ATTACHMENT_BYTES)
    url = reverse("work:task_update", args=[tasks.staff.pk])
    response = as_user("staff").post(url, {"note": "Tệp lớn", "attachment": big})
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"]
    assert not TaskUpdate.objects.exists()


def test_sniffing_recognises_the_allowed_types() -> None:
    import io
    import zipfile

    def ooxml(part: str) -> io.BytesIO:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr(part, "<x/>")
        buf.seek(0)
        return buf

    assert detect_type(io.BytesIO(PDF)) == "pdf" and detect_type(io.BytesIO(PNG)) == "png"
    assert detect_type(io.BytesIO(b"\xff\xd8\xff\xdb")) == "jpeg"
    assert detect_type(ooxml("word/document.xml")) == "docx"
    assert detect_type(ooxml("xl/workbook.xml")) == "xlsx"
    assert detect_type(ooxml("mimetype")) is None and detect_type(io.BytesIO(b"GIF89a")) is None


# --- Board ----------------------------------------------------------------------------------


def test_the_board_shows_columns_and_hides_cancelled_by_default(
    world: World, tasks: Tasks, as_user
) -> None:
    head = world.users["office_head"]
    services.do_update_task(head, tasks.sub, status=Task.Status.CANCELLED, note="Hoãn")
    body = _body(as_user("office_head"), reverse("work:task_board"))
    assert 'data-status="new"' in body and 'data-status="done"' in body
    assert 'data-status="cancelled"' not in body and tasks.sub.title not in body
    shown = _body(as_user("office_head"), reverse("work:task_board"), {"cancelled": "1"})
    assert 'data-status="cancelled"' in shown and tasks.sub.title in shown


def test_the_board_moves_a_card_with_htmx(world: World, tasks: Tasks, as_user) -> None:
    url = reverse("work:task_move", args=[tasks.staff.pk])
    client = as_user("staff")
    response = client.post(url, {"status": "in_progress"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="board"' in response.content and b"<html" not in response.content
    tasks.staff.refresh_from_db()
    assert tasks.staff.status == Task.Status.IN_PROGRESS


def test_the_board_asks_for_a_result_before_done(world: World, tasks: Tasks, as_user) -> None:
    body = _body(as_user("staff"), reverse("work:task_board"))
    assert 'name="note" rows="2" required' in body
    url = reverse("work:task_move", args=[tasks.staff.pk])
    client = as_user("staff")
    response = client.post(url, {"status": "done"}, headers={"HX-Request": "true"})
    assert b'role="alert"' in response.content
    tasks.staff.refresh_from_db()
    assert tasks.staff.status == Task.Status.NEW
    client.post(url, {"status": "done", "note": "Đã nộp"}, headers={"HX-Request": "true"})
    tasks.staff.refresh_from_db()
    assert (tasks.staff.status, tasks.staff.result_note) == (Task.Status.DONE, "Đã nộp")


def test_the_board_refuses_moves_by_others(world: World, tasks: Tasks, as_user) -> None:
    url = reverse("work:task_move", args=[tasks.leader.pk])
    assert as_user("staff").post(url, {"status": "in_progress"}).status_code == 404
    assert as_user("other_staff").post(url, {"status": "in_progress"}).status_code == 404
    response = as_user("org_leader").post(url, {"status": "in_progress"})
    assert response.status_code == 302
    tasks.leader.refresh_from_db()
    assert tasks.leader.status == Task.Status.IN_PROGRESS


# --- Assigning ------------------------------------------------------------------------------


CREATE = {
    "office_head": 200, "org_leader": 200, "staff": 404, "other_staff": 404,
    "reporter": 404, "viewer": 404, "outsider": 404, "admin": 200,
}  # fmt: skip


def test_only_the_office_head_and_leaders_see_the_assign_form(world: World, as_user) -> None:
    url = reverse("work:task_create")
    answers = {p: as_user(p).get(url, {"office": world.office.pk}).status_code for p in CREATE}
    assert answers == CREATE


def test_a_leader_assigns_from_an_activity_in_their_office_only(
    world: World, tasks: Tasks, as_user
) -> None:
    a = activity(world, world.women, "Tập huấn kỹ năng tuyên truyền")
    client = as_user("org_leader")
    url = reverse("work:task_create") + f"?activity={a.pk}"
    response = client.post(
        url,
        {"title": "Chuẩn bị tài liệu", "assignee": f"s:{tasks.subcommittee.pk}",
         "due_on": "24/10/2025", "priority": "3"},
    )  # fmt: skip
    assert response.status_code == 302
    task = Task.objects.get(title="Chuẩn bị tài liệu")
    assert (task.activity, task.assignee_subcommittee, task.office) == (
        a, tasks.subcommittee, world.office,
    )  # fmt: skip
    assert (
        client.get(reverse("work:task_create"), {"office": world.other_office.pk}).status_code
        == 404
    )


def test_the_assignee_must_be_one_of_the_offices_people(
    world: World, tasks: Tasks, as_user
) -> None:
    url = reverse("work:task_create") + f"?office={world.office.pk}"
    client = as_user("office_head")
    body = _body(client, url)
    assert world.people["staff"].full_name in body and tasks.subcommittee.name in body
    assert world.people["other_staff"].full_name not in body
    assert world.people["commune_citizen"].full_name not in body
    response = client.post(
        url, {"title": "Việc", "assignee": f"p:{world.people['other_staff'].pk}",
              "due_on": "2025-10-24", "priority": "2"},
    )  # fmt: skip
    assert response.status_code == 200 and response.context["form"].errors["assignee"]
    past = client.post(
        url, {"title": "Việc", "assignee": f"p:{world.people['staff'].pk}",
              "due_on": "2025-10-01", "priority": "2"},
    )  # fmt: skip
    assert past.context["form"].errors["due_on"]
    assert Task.objects.count() == 4


def test_an_admin_chooses_the_office_first(world: World, as_user) -> None:
    body = _body(as_user("admin"), reverse("work:task_create"))
    assert f"?office={world.office.pk}" in body and f"?office={world.other_office.pk}" in body


def test_reassigning_is_for_the_office_head_and_leaders(
    world: World, tasks: Tasks, as_user
) -> None:
    url = reverse("work:task_reassign", args=[tasks.staff.pk])
    data = {"assignee": f"p:{world.people['org_leader'].pk}", "due_on": "2025-10-31"}
    assert as_user("staff").post(url, data).status_code == 404
    assert as_user("viewer").get(url).status_code == 404
    assert as_user("other_staff").get(url).status_code == 404
    assert as_user("office_head").post(url, data).status_code == 302
    tasks.staff.refresh_from_db()
    assert (tasks.staff.assignee, tasks.staff.due_on) == (
        world.people["org_leader"],
        D(2025, 10, 31),
    )


def test_a_leader_assigns_a_standalone_task_and_is_not_sent_to_a_404(world: World, as_user) -> None:
    client = as_user("org_leader")
    url = reverse("work:task_create")
    assert _body(client, url).count('name="assignee"') == 1  # one office: no chooser
    response = client.post(
        url,
        {"title": "Tổng hợp danh sách hội viên", "assignee": f"p:{world.people['staff'].pk}",
         "due_on": "2025-10-24", "priority": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    task = Task.objects.get(title="Tổng hợp danh sách hội viên")
    assert task.assigned_by == world.users["org_leader"]
