"""One working calendar: the override table reaches petition clocks (recomputed, audited),
task reminders and meeting series."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.meetings import services as meetings
from khoi.petitions import services as petitions
from khoi.petitions.models import Channel, Kind, PetitionDeadline
from khoi.testing.factories import World
from khoi.work import services as work
from khoi.work.reminders import send_due_reminders
from khoi.workcalendar import services
from khoi.workcalendar.models import HolidayOverride

D = datetime.date


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(
        datetime.datetime(2025, 10, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )


def _request(world: World) -> PetitionDeadline:
    petition = petitions.do_create_petition(
        world.users["staff"],
        world.office,
        petitions.Intake(
            kind=Kind.REQUEST,
            channel=Channel.POST,
            received_on=D(2025, 10, 13),
            subject="Kiến nghị về đường giao thông",
            content="Đề nghị sửa đường khu 3.",
            petitioners=[petitions.PetitionerData("Phạm Văn Bảy", "Khu 3")],
        ),
    )
    return petition.deadlines.get()


def test_a_day_off_added_moves_the_open_clock_that_spans_it(world: World) -> None:
    deadline = _request(world)
    assert deadline.due == D(2025, 10, 27)  # 10 working days after Monday 13/10
    services.do_save_override(
        world.users["admin"], date=D(2025, 10, 20), is_working_day=False, note="Nghỉ bù"
    )
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 28)
    entry = AuditEntry.objects.filter(action="petition.recompute").get()
    assert entry.changes["due"] == ["2025-10-27", "2025-10-28"]
    event = deadline.petition.events.get(action="recompute")
    assert "27/10/2025 → 28/10/2025" in event.note and "20/10/2025" in event.note
    deadline.petition.refresh_from_db()
    assert deadline.petition.next_due == D(2025, 10, 28)
    assert AuditEntry.objects.filter(action="calendar.override_add").count() == 1


def test_changing_or_removing_the_day_moves_the_clock_back(world: World) -> None:
    deadline = _request(world)
    override = services.do_save_override(
        None, date=D(2025, 10, 20), is_working_day=False, note="Nghỉ bù"
    )
    services.do_save_override(
        None, date=D(2025, 10, 20), is_working_day=True, note="Đi làm", override=override
    )
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 27)
    services.do_save_override(None, date=D(2025, 10, 24), is_working_day=False, override=override)
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 28)
    services.do_delete_override(None, override)
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 27)
    assert AuditEntry.objects.filter(action="petition.recompute").count() == 4


def test_a_day_outside_the_clock_or_a_met_clock_is_left_alone(world: World) -> None:
    deadline = _request(world)
    services.do_save_override(None, date=D(2025, 11, 3), is_working_day=False)
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 27)
    PetitionDeadline.objects.filter(pk=deadline.pk).update(state="met")
    services.do_save_override(None, date=D(2025, 10, 21), is_working_day=False)
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 27)
    assert not AuditEntry.objects.filter(action="petition.recompute").exists()


def test_the_admin_saves_through_the_service(world: World) -> None:
    deadline = _request(world)
    client = Client()
    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/workcalendar/holidayoverride/add/",
        {"date": "20/10/2025", "note": "Nghỉ bù"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidayOverride.objects.filter(date=D(2025, 10, 20), is_working_day=False).exists()
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 28)


def test_task_reminders_count_on_the_override_table(world: World) -> None:
    person = world.people["staff"]
    person.email = "ha.nguyen@example.org"
    person.save()
    work.do_create_task(
        world.users["office_head"], world.office, title="Nộp báo cáo", due_on=D(2025, 10, 21),
        assignee=person,
    )  # fmt: skip
    # Friday 17/10, one working day ahead = Monday 20/10: the Tuesday task is not yet due…
    assert send_due_reminders(D(2025, 10, 17), days_before=1) == 0
    # …unless Monday is an announced day off: then one working day ahead is Tuesday.
    services.do_save_override(None, date=D(2025, 10, 20), is_working_day=False)
    assert send_due_reminders(D(2025, 10, 17), days_before=1) == 1
    assert len(mail.outbox) == 1


def test_briefing_series_avoid_public_holidays_and_days_off(world: World) -> None:
    series = meetings.do_schedule_series(
        world.users["staff"], world.office, kind="briefing", title="Giao ban",
        weekday=0, time=datetime.time(8), start_on=D(2017, 1, 1), end_on=D(2017, 12, 31),
    )  # fmt: skip
    days = [m.starts_at.astimezone().date() for m in series.meetings.order_by("starts_at")]
    holidays = {D(2017, 1, 2), D(2017, 1, 30), D(2017, 5, 1), D(2017, 9, 4)}
    assert not holidays & set(days)
    # 30/4/2017 was a Sunday: its compensatory day off is Tuesday 2/5
    assert {D(2017, 1, 3), D(2017, 2, 2), D(2017, 5, 3), D(2017, 9, 5)} <= set(days)
    assert len(days) == 52
    services.do_save_override(None, date=D(2018, 1, 8), is_working_day=False, note="Nghỉ")
    later = meetings.do_schedule_series(
        world.users["staff"], world.office, kind="briefing", title="Giao ban 2018",
        weekday=0, time=datetime.time(8), start_on=D(2018, 1, 8), end_on=D(2018, 1, 15),
    )  # fmt: skip
    assert [m.starts_at.astimezone().date() for m in later.meetings.order_by("starts_at")] == [
        D(2018, 1, 9),
        D(2018, 1, 15),
    ]
