from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from docx import Document as open_docx

from khoi.audit.models import AuditEntry
from khoi.meetings import export, services
from khoi.meetings.models import Attendance, Meeting, MinutesCorrection, Outcome
from khoi.meetings.tests.factories import meeting
from khoi.testing.factories import World
from khoi.work import services as work
from khoi.work.models import Task
from khoi.work.tests.factories import activity

D = datetime.date


def test_a_meeting_invites_its_chair_secretary_and_attendees(world: World) -> None:
    m = meeting(world)
    assert m.attendances.count() == 3
    assert set(m.attendances.values_list("status", flat=True)) == {"invited"}


def test_a_recurring_schedule_creates_one_meeting_per_week(world: World) -> None:
    series = services.do_schedule_series(
        world.users["staff"], world.office, kind="briefing", title="Giao ban",
        weekday=0, time=datetime.time(8), start_on=D(2017, 10, 1), end_on=D(2017, 10, 31),
    )  # fmt: skip
    days = [m.starts_at.astimezone().date() for m in series.meetings.order_by("starts_at")]
    assert [d.day for d in days] == [2, 9, 16, 23, 30]
    assert all(d.weekday() == 0 for d in days)


def test_the_agenda_is_prefilled_from_live_work_data_once(world: World) -> None:
    head = world.users["office_head"]
    person = world.people["staff"]
    overdue = work.do_create_task(head, world.office, title="Nộp báo cáo quý", due_on=D(2017, 10, 2),
                                  assignee=person)  # fmt: skip
    blocked = work.do_create_task(head, world.office, title="Khảo sát GPMB", due_on=D(2017, 10, 30),
                                  assignee=person)  # fmt: skip
    work.do_update_task(head, blocked, status="blocked", note="Chờ số liệu của phường")
    soon = work.do_create_task(head, world.office, title="Chuẩn bị hội nghị", due_on=D(2017, 10, 12),
                               assignee=person)  # fmt: skip
    work.do_create_task(head, world.office, title="Việc còn xa", due_on=D(2017, 12, 1),
                        assignee=person)  # fmt: skip
    a = activity(world, world.front, "Tuyên truyền VSMT", start=D(2017, 10, 11))
    b = activity(world, world.women, "Tuyên truyền VSMT khu dân cư", start=D(2017, 10, 11))
    joint = work.do_merge(head, [a, b], work.MergeSpec("VSMT chung", world.front, D(2017, 10, 11),
                                                       D(2017, 10, 11)))  # fmt: skip
    m = meeting(world, prefill=True)
    added = list(m.items.all())
    by_source = {(i.source, i.object_id) for i in added}
    assert ("work.task.overdue", overdue.pk) in by_source
    assert ("work.task.blocked", blocked.pk) in by_source
    assert ("work.task.due_soon", soon.pk) in by_source
    assert ("work.joint.starting", joint.pk) in by_source
    assert len(added) == 4
    assert any("Chờ số liệu của phường" in i.detail for i in added)
    assert services.do_prefill_agenda(world.users["staff"], m) == []


def test_attendance_records_absence_with_a_reason(world: World) -> None:
    m = meeting(world)
    staff = world.users["staff"]
    services.do_set_attendance(staff, m, world.people["staff"], status="present")
    with pytest.raises(ValidationError) as exc:
        services.do_set_attendance(staff, m, world.people["org_leader"], status="absent")
    assert "reason" in exc.value.message_dict
    services.do_set_attendance(staff, m, world.people["org_leader"], status="absent",
                               reason="Đi công tác tỉnh")  # fmt: skip
    leader = Attendance.objects.get(meeting=m, person=world.people["org_leader"])
    assert (leader.status, leader.reason) == ("absent", "Đi công tác tỉnh")


def test_a_task_outcome_creates_a_real_task_naming_the_meeting(world: World) -> None:
    m = meeting(world)
    item = services.do_add_agenda_item(world.users["staff"], m, title="Báo cáo tháng 10")
    outcome = services.do_add_outcome(
        world.users["office_head"], m, kind="task", text="Dự thảo báo cáo tháng 10",
        item=item, assignee=world.people["staff"], due_on=D(2017, 10, 14),
    )  # fmt: skip
    assert outcome.task_id is not None
    task = Task.objects.get(pk=outcome.task_id)
    assert task.assignee == world.people["staff"] and task.due_on == D(2017, 10, 14)
    assert task.source_label == "Giao ban Cơ quan Khối ngày 09/10/2017"
    assert outcome.task == task


def test_a_task_outcome_follows_the_work_apps_rules_and_loses_nothing(world: World) -> None:
    m = meeting(world)
    with pytest.raises(ValidationError):
        services.do_add_outcome(world.users["staff"], m, kind="task", text="Việc A",
                                assignee=world.people["staff"], due_on=D(2017, 10, 14))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.do_add_outcome(world.users["office_head"], m, kind="task", text="Việc B",
                                assignee=world.people["staff"])  # fmt: skip
    assert "due_on" in exc.value.message_dict
    assert Outcome.objects.count() == 0 and Task.objects.count() == 0


def test_closing_locks_the_minutes_and_corrections_are_new_audited_entries(world: World) -> None:
    m = meeting(world)
    staff = world.users["staff"]
    item = services.do_add_agenda_item(staff, m, title="Tình hình tháng 10")
    services.do_record_minutes(staff, item, "Các tổ chức báo cáo kết quả.")
    services.do_add_outcome(staff, m, kind="decision", text="Thống nhất tổ chức việc chung VSMT")
    services.do_close_meeting(staff, m)
    m.refresh_from_db()
    assert m.status == Meeting.Status.CLOSED and m.closed_by == staff
    with pytest.raises(ValidationError):
        services.do_close_meeting(staff, m)
    with pytest.raises(ValidationError):
        services.do_record_minutes(staff, item, "Sửa lại")
    with pytest.raises(ValidationError):
        services.do_add_outcome(staff, m, kind="information", text="Thêm")
    with pytest.raises(ValidationError):
        services.do_add_agenda_item(staff, m, title="Thêm")
    item.refresh_from_db()
    assert item.minutes == "Các tổ chức báo cáo kết quả."
    correction = services.do_correct_minutes(staff, m, "Bổ sung: Hội CCB vắng.", item=item)
    assert MinutesCorrection.objects.get() == correction
    assert AuditEntry.objects.filter(action="meeting.correct").count() == 1


def test_corrections_are_only_for_closed_meetings(world: World) -> None:
    with pytest.raises(ValidationError):
        services.do_correct_minutes(world.users["staff"], meeting(world), "x")


def test_only_office_staff_run_meetings(world: World) -> None:
    m = meeting(world)
    for persona in ("org_leader", "viewer", "reporter", "outsider", "other_staff"):
        with pytest.raises(ValidationError):
            services.do_add_agenda_item(world.users[persona], m, title="x")
        with pytest.raises(ValidationError):
            services.do_close_meeting(world.users[persona], m)


def test_the_minutes_and_the_conclusions_notice_export_in_the_official_layout(
    world: World,
) -> None:
    m = meeting(world)
    staff = world.users["staff"]
    item = services.do_add_agenda_item(staff, m, title="Kết quả tuyên truyền")
    services.do_record_minutes(staff, item, "Đã tuyên truyền tại 19 xã, phường.")
    services.do_set_attendance(staff, m, world.people["org_leader"], status="absent",
                               reason="Đi học")  # fmt: skip
    services.do_add_outcome(
        staff, m, kind="decision", text="Thống nhất sơ kết vào 15/11", item=item
    )
    services.do_add_outcome(world.users["office_head"], m, kind="task", text="Chuẩn bị sơ kết",
                            assignee=world.people["staff"], due_on=D(2017, 11, 10))  # fmt: skip
    minutes = open_docx(io.BytesIO(export.minutes_docx(m)))
    text = "\n".join(p.text for p in minutes.paragraphs)
    header = minutes.tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    assert "THỊ XÃ QUẢNG YÊN" in header.cell(0, 0).text
    assert "BIÊN BẢN" in text and "Đã tuyên truyền tại 19 xã, phường." in text
    assert "Vũ Thị Hương (Đi học)" in text
    assert "Chuẩn bị sơ kết (giao: Nguyễn Thị Hà; hạn 10/11/2017)" in text
    notice = open_docx(io.BytesIO(export.notice_docx(m)))
    ntext = "\n".join(p.text for p in notice.paragraphs)
    assert "THÔNG BÁO" in ntext and "Thống nhất sơ kết vào 15/11" in ntext
    assert "Kết luận của đồng chí Lê Đức Trà" in ntext
    section = notice.sections[0]
    assert section.page_width is not None and section.left_margin is not None
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30


@time_machine.travel(datetime.datetime(2021, 10, 8, 12, tzinfo=datetime.UTC), tick=False)
def test_the_calendar_feed_lists_ones_meetings_and_task_deadlines(
    world: World, client: Client
) -> None:
    m = meeting(world, D(2021, 10, 11), title="Giao ban; tuần 41, năm 2021")
    work.do_create_task(world.users["office_head"], world.office, title="Nộp báo cáo",
                        due_on=D(2021, 10, 14), assignee=world.people["org_leader"])  # fmt: skip
    feed = services.do_create_feed(world.users["org_leader"])
    body = client.get(f"/meetings/calendar/{feed.secret}.ics")
    assert body.status_code == 200 and body["Content-Type"].startswith("text/calendar")
    text = body.content.decode()
    assert f"UID:meeting-{m.pk}@" in text and "SUMMARY:Giao ban\\; tuần 41\\, năm 2021" in text
    assert "DTSTART:20211011T010000Z" in text
    assert "DTSTART;VALUE=DATE:20211014" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    new = services.do_revoke_feed(world.users["org_leader"])
    assert client.get(f"/meetings/calendar/{feed.secret}.ics").status_code == 404
    assert client.get(f"/meetings/calendar/{new.secret}.ics").status_code == 200
