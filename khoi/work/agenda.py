"""The work app's proposals for a briefing's agenda (registered in WorkConfig.ready).

Four providers, one query each whatever the size of the office: overdue tasks, blocked
tasks with their reasons, tasks due in the next seven days, joint activities starting
in the next seven days.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from khoi.registry import AgendaSuggestion
from khoi.work.models import JointActivity, Task

HORIZON_DAYS = 7
LIMIT = 30


def _who(task: Task) -> str:
    if task.assignee is not None:
        return task.assignee.full_name
    return task.assignee_subcommittee.name if task.assignee_subcommittee else ""


def _tasks(office: Any) -> Any:
    return Task.objects.filter(office=office, status__in=Task.OPEN).select_related(
        "assignee", "assignee_subcommittee"
    )


def _task_item(source: str, task: Task, title: str, detail: str) -> AgendaSuggestion:
    return AgendaSuggestion(
        source=source, title=title, detail=detail, url=reverse("work:task_detail", args=[task.pk]),
        object_type="work.task", object_id=task.pk,
    )  # fmt: skip


def overdue_tasks(office: Any, day: datetime.date) -> list[AgendaSuggestion]:
    tasks = _tasks(office).filter(due_on__lt=day).order_by("due_on", "id")[:LIMIT]
    return [
        _task_item(
            "work.task.overdue",
            t,
            f"Nhiệm vụ quá hạn: {t.title}",
            f"Hạn {t.due_on:%d/%m/%Y} ({(day - t.due_on).days} ngày trước); {_who(t)}.",
        )
        for t in tasks
    ]


def blocked_tasks(office: Any, day: datetime.date) -> list[AgendaSuggestion]:
    tasks = _tasks(office).filter(status=Task.Status.BLOCKED).order_by("due_on", "id")[:LIMIT]
    return [
        _task_item(
            "work.task.blocked",
            t,
            f"Nhiệm vụ vướng mắc: {t.title}",
            f"Lý do: {t.blocked_reason}; {_who(t)}.",
        )
        for t in tasks
    ]


def tasks_due_soon(office: Any, day: datetime.date) -> list[AgendaSuggestion]:
    until = day + datetime.timedelta(days=HORIZON_DAYS)
    tasks = (
        _tasks(office).filter(due_on__gte=day, due_on__lte=until).order_by("due_on", "id")[:LIMIT]
    )
    return [
        _task_item(
            "work.task.due_soon",
            t,
            f"Nhiệm vụ sắp đến hạn: {t.title}",
            f"Hạn {t.due_on:%d/%m/%Y}; {_who(t)}.",
        )
        for t in tasks
    ]


def joint_starting_soon(office: Any, day: datetime.date) -> list[AgendaSuggestion]:
    until = day + datetime.timedelta(days=HORIZON_DAYS)
    joints = (
        JointActivity.objects.filter(
            office=office,
            start_on__gte=day,
            start_on__lte=until,
            status__in=[JointActivity.Status.ACTIVE, JointActivity.Status.PROPOSED],
        )
        .select_related("lead")
        .order_by("start_on", "id")[:LIMIT]
    )
    return [
        AgendaSuggestion(
            source="work.joint.starting",
            title=f"Việc chung sắp triển khai: {j.title}",
            detail=f"Bắt đầu {j.start_on:%d/%m/%Y}; chủ trì: {j.lead.name}.",
            url=reverse("work:joint_detail", args=[j.pk]),
            object_type="work.jointactivity",
            object_id=j.pk,
        )
        for j in joints
    ]


PROVIDERS = (overdue_tasks, blocked_tasks, tasks_due_soon, joint_starting_soon)
