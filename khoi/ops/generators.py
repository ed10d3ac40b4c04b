"""Scale generators for the apps that exist today: org (units, the Front and five
organizations per commune, the joint office, staff) and work (activities and tasks).
The other apps register theirs in their own ``scale.py`` (petitions, documents, fund,
campaigns).

Names are synthetic and plainly so ("Xã Mẫu 00017"); unit codes start with "G" so that they
never collide with the real units of ``load_units``. Rows are written with ``bulk_create``
or ``scale.bulk_insert`` (COPY on PostgreSQL); the derived columns the models' ``save()``
fills (folded names) are filled here the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from khoi.lib.vntext import fold, name_collation_key, nfc
from khoi.ops.scale import ScaleContext, bulk_insert, maker, register_generator

BATCH = 5000
ORG_NAMES = {
    "front": "Ủy ban MTTQ",
    "women": "Hội LHPN",
    "youth": "Đoàn TNCS Hồ Chí Minh",
    "farmers": "Hội Nông dân",
    "veterans": "Hội Cựu chiến binh",
    "labour": "Công đoàn",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hương", "Khánh", "Lan", "Mai", "Nam", "Sơn", "Trà"]
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


def generate_org(ctx: ScaleContext) -> dict[str, int]:
    from khoi.org.models import JointOffice, Organization, Person

    orgs: list[Any] = []
    for commune in ctx.communes:
        for kind, label in ORG_NAMES.items():
            name = nfc(f"{label} {commune.name}")
            orgs.append(Organization(kind=kind, name=name, unit=commune, name_folded=fold(name)))
    Organization.objects.bulk_create(orgs, batch_size=BATCH)
    offices = [
        JointOffice(
            code=f"g-{commune.code.lower()}",
            name=f"Cơ quan Khối {commune.name}",
            unit=commune,
            established_on=dt.date(2025, 7, 1),
        )
        for commune in ctx.communes
    ]
    JointOffice.objects.bulk_create(offices, batch_size=BATCH)
    through = JointOffice.organizations.through
    links = []
    people: list[Any] = []
    for i, (commune, office) in enumerate(zip(ctx.communes, offices, strict=True)):
        ctx.offices[commune.pk] = office
        ctx.organizations[commune.pk] = orgs[i * 6 : i * 6 + 6]
        links += [through(jointoffice=office, organization=o) for o in orgs[i * 6 : i * 6 + 6]]
        for _ in range(6):
            full = nfc(f"{ctx.rng.choice(FAMILY)} {ctx.rng.choice(MIDDLE)} {ctx.rng.choice(GIVEN)}")
            people.append(
                Person(
                    full_name=full,
                    unit=commune,
                    name_key=name_collation_key(full)[:255],
                    name_folded=fold(full),
                )
            )
    through.objects.bulk_create(links, batch_size=BATCH)
    Person.objects.bulk_create(people, batch_size=BATCH)
    for i, commune in enumerate(ctx.communes):
        ctx.staff[commune.pk] = people[i * 6 : i * 6 + 6]
    return {
        "org.Organization": len(orgs),
        "org.JointOffice": len(offices),
        "org.Person": len(people),
    }


def generate_work(ctx: ScaleContext) -> dict[str, int]:
    from khoi.work.models import Activity, Task

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
    register_generator("org", generate_org)
    register_generator("work", generate_work, after=("org",))
