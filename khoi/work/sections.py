"""The work app's sections of the periodic report (registered in WorkConfig.ready).

Each provider runs a fixed number of aggregate queries, whatever the size of the office.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Max, Q, Sum

from khoi.registry import ReportSection, ReportTable, period_moments
from khoi.work.models import Activity, JointActivity, Kind, Task

JOINT_ROWS = 30


def _n(value: int | float | None) -> str:
    return f"{round(value or 0):,}".replace(",", ".")


def _in_period(start: datetime.date, end: datetime.date) -> Q:
    return Q(start_on__lte=end, end_on__gte=start)


# The local midnights that bound a report's dates.
moments = period_moments


def activities_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection:
    """Activities by kind and by organization (2 queries)."""
    qs = Activity.objects.filter(_in_period(start, end), office=office).exclude(
        status=Activity.Status.CANCELLED
    )
    by_org = list(
        qs.values("organization__name", "organization__kind")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=Activity.Status.DONE)),
            people=Sum("expected_participants"),
            budget=Sum("budget"),
        )
        .order_by("organization__kind", "organization__name")
    )
    by_kind = {r["kind"]: r["n"] for r in qs.values("kind").annotate(n=Count("pk")).order_by()}
    total = sum(r["n"] for r in by_org)
    done = sum(r["done"] for r in by_org)
    people = sum(r["people"] or 0 for r in by_org)
    budget = sum(r["budget"] or 0 for r in by_org)
    kinds = [(label, by_kind[value]) for value, label in Kind.choices if by_kind.get(value)]
    paragraphs = [
        f"Trong kỳ, MTTQ và các tổ chức chính trị - xã hội tổ chức {_n(total)} hoạt động, "
        f"đã hoàn thành {_n(done)}, thu hút khoảng {_n(people)} lượt người tham gia; "
        f"kinh phí dự kiến {_n(budget)} đồng.",
    ]
    if kinds:
        paragraphs.append(
            "Theo loại hoạt động: " + "; ".join(f"{label} {_n(n)}" for label, n in kinds) + "."
        )
    return ReportSection(
        key="work.activities",
        order=10,
        heading="Kết quả tổ chức các hoạt động",
        paragraphs=paragraphs,
        tables=[
            ReportTable(
                "Hoạt động theo tổ chức",
                ["Tổ chức", "Số hoạt động", "Đã hoàn thành", "Lượt người", "Kinh phí (đồng)"],
                [
                    # an organization none of whose activities gives the figure: unknown
                    [r["organization__name"], r["n"], r["done"], r["people"], r["budget"]]
                    for r in by_org
                ],
                [60, 22, 22, 25, 36],
            ),
            ReportTable(
                "Hoạt động theo loại",
                ["Loại hoạt động", "Số hoạt động"],
                [[str(label), n] for label, n in kinds],
                [100, 65],
            ),
        ],
        figures={
            "Số hoạt động": total,
            "Hoạt động đã hoàn thành": done,
            "Lượt người tham gia": people,
            "Kinh phí dự kiến (đồng)": budget,
            **{f"Hoạt động: {label}": n for label, n in kinds},
        },
    )


def joint_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection:
    """Joint activities and what merging saved (1 query).

    Estimate: a joint activity replaces its merged activities by one event, so it saves
    (merged − 1) events and the budgets of all merged activities but the largest.
    """
    rows = (
        JointActivity.objects.filter(
            _in_period(start, end),
            office=office,
            status__in=[JointActivity.Status.ACTIVE, JointActivity.Status.DONE],
        )
        .annotate(
            merged=Count("activities", distinct=True),
            total=Sum("activities__budget"),
            largest=Max("activities__budget"),
            people=Sum("activities__expected_participants"),
        )
        .values("title", "lead__name", "start_on", "merged", "total", "largest")
        .order_by("start_on", "id")
    )
    joints: list[dict[str, Any]] = [dict(r) for r in rows]
    for j in joints:
        # no budget known for any merged activity: the saving is unknown, not 0
        j["saved"] = None if j["total"] is None else j["total"] - (j["largest"] or 0)
    saved_events = sum(max(j["merged"] - 1, 0) for j in joints)
    saved_budget = sum(j["saved"] or 0 for j in joints)
    listed = sorted(joints, key=lambda j: (-(j["saved"] or 0), j["start_on"]))[:JOINT_ROWS]
    return ReportSection(
        key="work.joint",
        order=20,
        heading="Thực hiện việc chung, khắc phục trùng lặp",
        paragraphs=[
            f"Cơ quan Khối hợp nhất {_n(len(joints))} việc chung từ các hoạt động trùng lặp "
            f"của các tổ chức, giảm được {_n(saved_events)} cuộc tổ chức riêng lẻ, tiết kiệm "
            f"ước tính {_n(saved_budget)} đồng kinh phí.",
        ],
        tables=[
            ReportTable(
                f"Các việc chung tiết kiệm nhiều nhất (tối đa {JOINT_ROWS})",
                [
                    "Việc chung",
                    "Tổ chức chủ trì",
                    "Bắt đầu",
                    "Số hoạt động gộp",
                    "Tiết kiệm (đồng)",
                ],
                [
                    [
                        j["title"],
                        j["lead__name"],
                        j["start_on"].strftime("%d/%m/%Y"),
                        j["merged"],
                        j["saved"],
                    ]
                    for j in listed
                ],
                [55, 36, 27, 20, 27],
            )
        ],
        figures={
            "Số việc chung": len(joints),
            "Số cuộc tổ chức riêng lẻ giảm được": saved_events,
            "Kinh phí tiết kiệm ước tính (đồng)": saved_budget,
        },
    )


def tasks_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection:
    """Tasks assigned, done and overdue (2 queries)."""
    tasks = Task.objects.filter(office=office)
    open_at_end = Q(status__in=Task.OPEN) | Q(completed_on__gt=end)
    first, after = moments(start, end)
    figures = tasks.aggregate(
        assigned=Count("pk", filter=Q(created_at__gte=first, created_at__lt=after)),
        done=Count("pk", filter=Q(status=Task.Status.DONE, completed_on__range=(start, end))),
        done_late=Count(
            "pk",
            filter=Q(status=Task.Status.DONE, completed_on__range=(start, end))
            & Q(completed_on__gt=F("due_on")),
        ),
        overdue=Count("pk", filter=Q(due_on__lt=end) & open_at_end & ~Q(status="cancelled")),
    )
    overdue = list(
        tasks.filter(Q(due_on__lt=end) & open_at_end & ~Q(status="cancelled"))
        .values("title", "due_on", "assignee__full_name", "assignee_subcommittee__name")
        .order_by("due_on", "id")[:20]
    )
    return ReportSection(
        key="work.tasks",
        order=30,
        heading="Thực hiện nhiệm vụ được giao",
        paragraphs=[
            f"Trong kỳ giao {_n(figures['assigned'])} nhiệm vụ; hoàn thành "
            f"{_n(figures['done'])} nhiệm vụ (trong đó {_n(figures['done_late'])} nhiệm vụ "
            f"hoàn thành chậm); đến cuối kỳ còn {_n(figures['overdue'])} nhiệm vụ quá hạn.",
        ],
        tables=[
            ReportTable(
                "Nhiệm vụ quá hạn (tối đa 20)",
                ["Nhiệm vụ", "Hạn", "Người / bộ phận thực hiện"],
                [
                    [
                        t["title"],
                        t["due_on"].strftime("%d/%m/%Y"),
                        t["assignee__full_name"] or t["assignee_subcommittee__name"] or "",
                    ]
                    for t in overdue
                ],
                [90, 27, 48],
            )
        ],
        figures={
            "Nhiệm vụ giao trong kỳ": figures["assigned"],
            "Nhiệm vụ hoàn thành": figures["done"],
            "Nhiệm vụ hoàn thành chậm": figures["done_late"],
            "Nhiệm vụ quá hạn cuối kỳ": figures["overdue"],
        },
    )


PROVIDERS = (activities_section, joint_section, tasks_section)
