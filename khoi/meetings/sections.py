"""The meetings' section of the periodic report: meetings held and decisions taken."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from khoi.meetings.models import Meeting, Outcome
from khoi.registry import ReportSection, ReportTable, period_moments


def meetings_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection:
    """Meetings held by kind, decisions and tasks given (2 queries)."""
    first, after = period_moments(start, end)
    held = Meeting.objects.filter(
        office=office, status=Meeting.Status.CLOSED,
        starts_at__gte=first, starts_at__lt=after,
    )  # fmt: skip
    counts = {
        r["kind"]: r for r in held.values("kind").annotate(
            n=Count("pk", distinct=True),
            decisions=Count("outcomes", filter=Q(outcomes__kind=Outcome.Kind.DECISION)),
            tasks=Count("outcomes", filter=Q(outcomes__kind=Outcome.Kind.TASK)),
        ).order_by()
    }  # fmt: skip
    decisions = list(
        Outcome.objects.filter(meeting__in=held, kind=Outcome.Kind.DECISION)
        .values("text", "meeting__starts_at")
        .order_by("meeting__starts_at", "id")[:40]
    )
    total = sum(r["n"] for r in counts.values())
    n_decisions = sum(r["decisions"] for r in counts.values())
    n_tasks = sum(r["tasks"] for r in counts.values())
    rows = [
        [str(label), counts[value]["n"], counts[value]["decisions"], counts[value]["tasks"]]
        for value, label in Meeting.Kind.choices
        if value in counts
    ]
    return ReportSection(
        key="meetings.held",
        order=40,
        heading="Công tác giao ban, hội họp",
        paragraphs=[
            f"Trong kỳ, Cơ quan Khối tổ chức {total} cuộc họp (giao ban, họp Ban Thường trực, "
            f"hội nghị), thống nhất {n_decisions} nội dung kết luận và giao {n_tasks} nhiệm vụ."
        ],
        tables=[
            ReportTable(
                "Các cuộc họp trong kỳ",
                ["Loại cuộc họp", "Số cuộc", "Kết luận", "Nhiệm vụ giao"],
                rows,
                [75, 30, 30, 30],
            ),
            ReportTable(
                "Các nội dung kết luận",
                ["Ngày họp", "Nội dung kết luận"],
                [
                    [f"{timezone.localtime(d['meeting__starts_at']):%d/%m/%Y}", d["text"]]
                    for d in decisions
                ],
                [30, 135],
            ),
        ],
        figures={
            "Số cuộc họp": total,
            "Số kết luận": n_decisions,
            "Nhiệm vụ giao tại cuộc họp": n_tasks,
        },
    )
