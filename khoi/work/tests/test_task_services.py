"""The task services: who assigns, status moves, notes required, reassigning."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.org import services as org_services
from khoi.org.models import Membership
from khoi.testing.factories import START, World, person
from khoi.work import services
from khoi.work.models import Task, TaskUpdate
from khoi.work.tests.factories import activity

D = datetime.date
TODAY = D(2025, 10, 17)  # a Friday


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(
        datetime.datetime(2025, 10, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )


def _task(world: World, **kw: object) -> Task:
    data: dict[str, object] = {
        "title": "Báo cáo sơ kết quý III",
        "due_on": D(2025, 10, 24),
        "assignee": world.people["staff"],
    }
    data.update(kw)
    return services.do_create_task(world.users["office_head"], world.office, **data)  # type: ignore[arg-type]


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_the_office_head_assigns_a_task_and_it_is_audited(world: World) -> None:
    task = _task(world)
    assert (task.status, task.assigned_by) == (Task.Status.NEW, world.users["office_head"])
    assert AuditEntry.objects.filter(action="task.create", object_id=str(task.pk)).count() == 1


def test_an_organization_leader_assigns_in_their_office_only(world: World) -> None:
    leader = world.users["org_leader"]
    ok = services.do_create_task(
        leader, world.office, title="Vận động quỹ", due_on=D(2025, 11, 1),
        assignee=world.people["staff"],
    )  # fmt: skip
    assert ok.pk is not None
    with pytest.raises(ValidationError):
        services.do_create_task(
            leader, world.other_office, title="Vận động quỹ", due_on=D(2025, 11, 1),
            assignee=world.people["other_staff"],
        )  # fmt: skip


@pytest.mark.parametrize("persona", ["staff", "viewer", "reporter", "outsider", "other_staff"])
def test_people_who_do_not_lead_cannot_assign(world: World, persona: str) -> None:
    with pytest.raises(ValidationError):
        services.do_create_task(
            world.users[persona], world.office, title="Việc", due_on=D(2025, 11, 1),
            assignee=world.people["staff"],
        )  # fmt: skip
    assert not Task.objects.exists()


def test_a_task_needs_an_assignee_and_a_title(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        _task(world, assignee=None)
    assert "assignee" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        _task(world, title="   ")
    assert "title" in _messages(exc)


def test_a_task_cannot_come_from_another_offices_activity(world: World) -> None:
    a = activity(world, world.women, "Tập huấn kỹ năng")
    assert _task(world, activity=a).activity == a
    a.office = world.other_office
    with pytest.raises(ValidationError) as exc:
        _task(world, activity=a)
    assert "activity" in _messages(exc)


def test_blocked_needs_a_reason_and_nothing_changes_without_it(world: World) -> None:
    task = _task(world)
    staff = world.users["staff"]
    with pytest.raises(ValidationError) as exc:
        services.do_update_task(staff, task, status=Task.Status.BLOCKED, note="  ")
    assert "note" in _messages(exc)
    task.refresh_from_db()
    assert task.status == Task.Status.NEW and not TaskUpdate.objects.exists()
    services.do_update_task(staff, task, status=Task.Status.BLOCKED, note="Chờ kinh phí")
    task.refresh_from_db()
    assert (task.status, task.blocked_reason) == (Task.Status.BLOCKED, "Chờ kinh phí")


def test_done_needs_a_result_and_records_the_day(world: World) -> None:
    task = _task(world)
    staff = world.users["staff"]
    with pytest.raises(ValidationError) as exc:
        services.do_update_task(staff, task, status=Task.Status.DONE)
    assert "note" in _messages(exc)
    services.do_update_task(staff, task, status=Task.Status.DONE, note="Đã nộp báo cáo")
    task.refresh_from_db()
    assert (task.status, task.result_note, task.completed_on) == (
        Task.Status.DONE, "Đã nộp báo cáo", TODAY,
    )  # fmt: skip
    services.do_update_task(staff, task, status=Task.Status.IN_PROGRESS, note="Bổ sung số liệu")
    task.refresh_from_db()
    assert task.completed_on is None


def test_an_illegal_move_is_refused_with_a_message_and_nothing_changes(world: World) -> None:
    task = _task(world)
    head = world.users["office_head"]
    services.do_update_task(head, task, status=Task.Status.CANCELLED, note="Không còn cần")
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.do_update_task(head, task, status=Task.Status.DONE, note="Xong")
    message = _messages(exc)["status"][0]
    assert str(Task.Status.CANCELLED.label) in message and str(Task.Status.DONE.label) in message
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    assert AuditEntry.objects.count() == entries
    assert TaskUpdate.objects.count() == 1


def test_every_allowed_move_is_accepted(world: World) -> None:
    head = world.users["office_head"]
    for old, targets in services.ALLOWED_MOVES.items():
        for new in targets:
            task = _task(world)
            Task.objects.filter(pk=task.pk).update(status=old, blocked_reason="x", result_note="x")
            task.refresh_from_db()
            services.do_update_task(head, task, status=new, note="ghi chú")
            task.refresh_from_db()
            assert task.status == new, (old, new)


def test_only_the_assigner_or_leaders_cancel(world: World) -> None:
    task = _task(world)
    with pytest.raises(ValidationError) as exc:
        services.do_update_task(world.users["staff"], task, status=Task.Status.CANCELLED)
    assert "status" in _messages(exc)
    assert Task.objects.get(pk=task.pk).status == Task.Status.NEW


def test_someone_else_cannot_update_the_task(world: World) -> None:
    task = _task(world, assignee=world.people["org_leader"])
    for persona in ("staff", "viewer", "other_staff", "outsider"):
        with pytest.raises(ValidationError):
            services.do_update_task(world.users[persona], task, note="Tôi đã làm")
    assert not TaskUpdate.objects.exists()


def test_sub_committee_members_update_its_tasks(world: World) -> None:
    sub = org_services.do_add_subcommittee(None, world.office, "Tiểu ban tuyên truyền")
    member = person("Hoàng Văn Bình", world.town, "member")
    org_services.do_add_membership(
        None, member, role=Membership.Role.MEMBER, start_on=START, subcommittee=sub
    )
    task = _task(world, assignee=None, assignee_subcommittee=sub)
    assert member.user is not None
    update = services.do_update_task(member.user, task, note="Đã họp tiểu ban")
    assert update.note == "Đã họp tiểu ban"


def test_an_empty_update_is_refused(world: World) -> None:
    task = _task(world)
    with pytest.raises(ValidationError):
        services.do_update_task(world.users["staff"], task, note=" ")


def test_reassigning_resets_the_reminder_and_is_audited(world: World) -> None:
    task = _task(world)
    Task.objects.filter(pk=task.pk).update(reminded_on=TODAY)
    task.refresh_from_db()
    changes = services.do_reassign_task(
        world.users["org_leader"], task, assignee=world.people["org_leader"],
        assignee_subcommittee=None, due_on=D(2025, 10, 31),
    )  # fmt: skip
    task.refresh_from_db()
    assert (task.assignee, task.due_on, task.reminded_on) == (
        world.people["org_leader"], D(2025, 10, 31), None,
    )  # fmt: skip
    assert "assignee" in changes
    assert AuditEntry.objects.filter(action="task.reassign").count() == 1
    with pytest.raises(ValidationError):
        services.do_reassign_task(
            world.users["staff"], task, assignee=world.people["staff"], assignee_subcommittee=None
        )
