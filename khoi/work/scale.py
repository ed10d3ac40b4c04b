"""The work app's part of ``manage.py generate_scale`` (``khoi.ops.scale``): activities and
their tasks per commune office, at the densities asked for, reproducibly from the seed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from khoi.lib.vntext import fold, nfc
from khoi.ops.scale import ScaleContext, bulk_insert, maker, register_generator
from khoi.work.models import Activity, Task

BATCH = 5000
TOPICS = [
    "Tuyên truyền pháp luật về đất đai",
    "Vận động ủng hộ Quỹ Vì người nghèo",
    "Tập huấn kỹ năng cho cán bộ chi hội",
    "Giám sát thực hiện chính sách an sinh",
    "Ra quân vệ sinh môi trường khu dân cư",
    "Hội nghị đối thoại với nhân dân",
    "Khảo sát đời sống hộ cận nghèo",
    "Phát động thi đua xây dựng nông thôn mới",
    "Thăm hỏi gia đình chính sách",
    "Hỗ trợ sinh kế cho hội viên",
]
ACTIVITY_KINDS = [
    "propaganda", "mobilisation", "training", "inspection", "supervision",
    "survey", "emulation", "support", "other",
]  # fmt: skip
TASK_VERBS = ["Chuẩn bị", "Tổng hợp", "Báo cáo", "Liên hệ", "Rà soát", "Gửi giấy mời cho"]


def generate_work(ctx: ScaleContext) -> dict[str, int]:
    rng = ctx.rng
    first = dt.date(ctx.year, 1, 1)
    new_activity, new_task = maker(Activity), maker(Task)
    folded: dict[str, tuple[str, str]] = {}  # a commune's ten titles, normalised once
    activities: list[Any] = []
    for commune in ctx.communes:
        office_id = ctx.offices[commune.pk].pk
        org_ids = [o.pk for o in ctx.organizations[commune.pk]]
        for _ in range(ctx.density["activities"]):
            start = first + dt.timedelta(days=rng.randrange(365))
            raw = f"{rng.choice(TOPICS)} tại {commune.name}"
            if raw not in folded:
                title = nfc(raw)
                folded[raw] = (title, fold(title)[:300])
            title, title_folded = folded[raw]
            activities.append(
                new_activity(
                    office_id=office_id,
                    organization_id=rng.choice(org_ids),
                    kind=rng.choice(ACTIVITY_KINDS),
                    title=title,
                    title_folded=title_folded,
                    start_on=start,
                    end_on=start + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 6))),
                    expected_participants=rng.randrange(10, 300),
                    status="done" if start.month < 10 else "planned",
                )
            )
        if len(folded) > 1000:
            folded.clear()
    bulk_insert(Activity, activities)
    per_activity = max(1, ctx.density["tasks"] // max(1, ctx.density["activities"]))
    staff_ids = {ctx.offices[pk].pk: [p.pk for p in people] for pk, people in ctx.staff.items()}
    tasks: list[Any] = []
    total_tasks = 0
    for activity in activities:
        staff = staff_ids[activity.office_id]
        done = activity.status == "done"
        short = activity.title[:200]
        for n in range(per_activity):
            tasks.append(
                new_task(
                    office_id=activity.office_id,
                    title=f"{TASK_VERBS[n % len(TASK_VERBS)]} {short}",
                    activity_id=activity.pk,
                    assignee_id=rng.choice(staff),
                    due_on=activity.start_on - dt.timedelta(days=rng.randrange(0, 10)),
                    priority=rng.randrange(1, 5),
                    status="done" if done else "new",
                    result_note="Đã hoàn thành" if done else "",
                    completed_on=activity.start_on if done else None,
                )
            )
        if len(tasks) >= BATCH * 4:
            total_tasks += bulk_insert(Task, tasks)
            tasks = []
    total_tasks += bulk_insert(Task, tasks)
    return {"work.Activity": len(activities), "work.Task": total_tasks}


def register() -> None:
    register_generator("work", generate_work, after=("org",))
