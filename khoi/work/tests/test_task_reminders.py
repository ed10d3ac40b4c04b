"""Email reminders before the due date: working days, once a day, sub-committees, Vietnamese."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.org import services as org_services
from khoi.org.models import Membership, Person, SubCommittee
from khoi.testing.factories import START, World, person
from khoi.work import services
from khoi.work.models import Task
from khoi.work.reminders import send_due_reminders
from khoi.work.tasks import send_task_reminders

D = datetime.date
FRIDAY = D(2025, 10, 17)


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(
        datetime.datetime(2025, 10, 17, 7, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )


@pytest.fixture
def staff(world: World) -> Person:
    p = world.people["staff"]
    p.email = "ha.nguyen@example.org"
    p.save()
    return p


def _task(world: World, due: datetime.date, **kw: object) -> Task:
    data: dict[str, object] = {"title": "Báo cáo sơ kết quý III", "assignee": world.people["staff"]}
    data.update(kw)
    return services.do_create_task(world.users["office_head"], world.office, due_on=due, **data)  # type: ignore[arg-type]


def test_a_task_due_in_two_working_days_across_the_weekend_is_reminded(
    world: World, staff: Person
) -> None:
    tuesday = _task(world, D(2025, 10, 21), title="Nộp báo cáo thứ Ba")
    wednesday = _task(world, D(2025, 10, 22), title="Nộp báo cáo thứ Tư")
    assert send_due_reminders(FRIDAY, days_before=2) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ha.nguyen@example.org"]
    assert message.subject == "[Khối] Nhiệm vụ sắp đến hạn: Nộp báo cáo thứ Ba"
    assert "21/10/2025" in message.body and "Nộp báo cáo thứ Ba" in message.body
    assert f"/work/tasks/{tuesday.pk}/" in message.body
    assert "còn 2 ngày làm việc" in message.body
    tuesday.refresh_from_db()
    wednesday.refresh_from_db()
    assert (tuesday.reminded_on, wednesday.reminded_on) == (FRIDAY, None)


def test_a_reminder_is_sent_at_most_once_a_day(world: World, staff: Person) -> None:
    task = _task(world, D(2025, 10, 20))
    assert send_due_reminders(FRIDAY) == 1
    assert send_due_reminders(FRIDAY) == 0
    assert len(mail.outbox) == 1
    assert send_due_reminders(D(2025, 10, 20)) == 1
    assert len(mail.outbox) == 2
    entries = AuditEntry.objects.filter(action="task.remind", object_id=str(task.pk))
    assert entries.count() == 2 and all(e.actor_id is None for e in entries)
    assert "ha.nguyen" not in str(entries.first().changes)  # type: ignore[union-attr]


def test_overdue_tasks_are_reminded_and_done_or_cancelled_ones_are_not(
    world: World, staff: Person
) -> None:
    late = _task(world, D(2025, 10, 10), title="Việc trễ hạn")
    done = _task(world, D(2025, 10, 20), title="Việc đã xong")
    cancelled = _task(world, D(2025, 10, 20), title="Việc đã hủy")
    blocked = _task(world, D(2025, 10, 20), title="Việc vướng mắc")
    head = world.users["office_head"]
    services.do_update_task(head, done, status=Task.Status.DONE, note="Xong")
    services.do_update_task(head, cancelled, status=Task.Status.CANCELLED, note="Hủy")
    services.do_update_task(head, blocked, status=Task.Status.BLOCKED, note="Chờ")
    assert send_due_reminders(FRIDAY) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "[Khối] Nhiệm vụ sắp đến hạn: Việc vướng mắc",
        "[Khối] Nhiệm vụ đã quá hạn: Việc trễ hạn",
    ]
    late_mail = next(m for m in mail.outbox if "trễ hạn" in m.subject)
    assert "quá hạn 7 ngày" in late_mail.body and "10/10/2025" in late_mail.body
    assert late.pk


def test_the_active_members_of_a_sub_committee_receive_it_each_separately(
    world: World,
) -> None:
    sub = org_services.do_add_subcommittee(None, world.office, "Tiểu ban tuyên truyền")
    addresses = []
    for i, (name, start, end) in enumerate(
        [
            ("Hoàng Văn Bình", START, None),
            ("Phạm Thị Lan", START, None),
            ("Đỗ Văn Cũ", START, D(2024, 12, 31)),  # left the sub-committee
        ]
    ):
        p = person(name, world.town)
        p.email = f"member{i}@example.org"
        p.save()
        org_services.do_add_membership(
            None, p, role=Membership.Role.MEMBER, start_on=start, end_on=end, subcommittee=sub
        )
        addresses.append(p.email)
    _task(world, D(2025, 10, 17), assignee=None, assignee_subcommittee=sub, title="Treo băng rôn")
    assert send_due_reminders(FRIDAY) == 1
    assert sorted(tuple(m.to) for m in mail.outbox) == [(addresses[0],), (addresses[1],)]
    assert "đến hạn hôm nay" in mail.outbox[0].body
    assert isinstance(sub, SubCommittee)


def test_a_task_without_any_address_is_skipped_and_stays_eligible(world: World) -> None:
    task = _task(world, D(2025, 10, 20))
    assert send_due_reminders(FRIDAY) == 0
    task.refresh_from_db()
    assert task.reminded_on is None and not mail.outbox


def test_the_background_task_and_the_command_send_the_reminders(
    world: World, staff: Person
) -> None:
    _task(world, D(2025, 10, 20))
    result = send_task_reminders.enqueue("2025-10-17", 2)
    assert result.return_value == 1
    _task(world, D(2025, 10, 21), title="Việc khác")
    out = io.StringIO()
    call_command("task_reminders", "--date", "2025-10-20", "--days-before", "1", stdout=out)
    assert "Đã gửi nhắc hạn cho 2 nhiệm vụ" in out.getvalue()
    assert len(mail.outbox) == 3
