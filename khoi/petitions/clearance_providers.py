"""What land clearance offers through ``khoi.registry``: the key project's timeline (stage
changes, visits and dialogues, obligations of its coordination rules, its petitions), a
report section and briefing agenda suggestions (obligations due this week or overdue,
households in complaint as counts: no name reaches an agenda).
Each provider runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi import clock
from khoi.petitions import access as petition_access
from khoi.petitions import clearance_access as access
from khoi.petitions.models import (
    STAGE_ORDER,
    AffectedHousehold,
    CoordinationRules,
    KeyProject,
    Obligation,
    Stage,
    StageChange,
    Visit,
)
from khoi.registry import (
    AgendaSuggestion,
    DashboardCard,
    ReportSection,
    ReportTable,
    TimelineEntry,
    household_cards,
)

AGENDA_DAYS = 7


def household_names(
    user: Any, project: KeyProject, households: list[AffectedHousehold]
) -> dict[int, str]:
    """The name shown for each household (register's name through the registry; masked for
    those who do not record in its commune)."""
    cards = household_cards(user, [h.register_id for h in households if h.register_id])
    out = {}
    for h in households:
        name = h.head_name
        if h.register_id:
            card = cards.get(h.register_id)
            name = card.head_name if card else _("(household of the register)")
        if (h.register_id and h.register_id not in cards) or access.shows_names(
            user, project, h.unit_id
        ):
            out[h.pk] = name
        else:
            out[h.pk] = access.mask_name(name)
    return out


def _project_url(project: KeyProject) -> str:
    return reverse("petitions:project_detail", args=[project.pk])


def stage_timeline(user: Any, obj: Any) -> list[TimelineEntry]:
    if not isinstance(obj, KeyProject):
        return []
    changes = list(
        StageChange.objects.filter(household__in=access.households_for_user(user, obj))
        .select_related("household", "household__unit")
        .order_by("-on", "-id")[:200]
    )
    households = {c.household_id: c.household for c in changes}
    names = household_names(user, obj, list(households.values()))
    out = []
    for c in changes:
        h = c.household
        detail = f"{h.unit.name}"
        if c.from_stage:
            detail += " · " + _("from “%(stage)s”") % {"stage": Stage(c.from_stage).label}
        if c.reason:
            detail += " · " + _("reason: %(reason)s") % {"reason": c.reason}
        out.append(
            TimelineEntry(
                when=c.on,
                kind=str(_("household stage")),
                title=f"{names.get(h.pk, '')}: {Stage(c.to_stage).label}",
                detail=detail,
                url=reverse("petitions:household_detail", args=[h.pk]),
            )
        )
    return out


def visit_timeline(user: Any, obj: Any) -> list[TimelineEntry]:
    if not isinstance(obj, KeyProject):
        return []
    visits = access.visits_for_user(user, obj).select_related("unit").order_by("-held_on", "-id")
    out = []
    for v in visits[:200]:
        with_whom = v.with_whom if access.shows_names(user, obj, v.unit_id) else access.MASK
        out.append(
            TimelineEntry(
                when=v.held_on,
                kind=str(v.get_kind_display()),
                title=f"{v.unit.name}: {v.by_whom} — {with_whom}",
                detail=v.outcome,
            )
        )
    return out


def obligation_timeline(user: Any, obj: Any) -> list[TimelineEntry]:
    if not isinstance(obj, KeyProject) or not access.reads_whole_project(user, obj):
        return []
    obligations = (
        access.obligations_for_user(user)
        .filter(rules__projects=obj)
        .select_related("rules")
        .order_by("due_on", "id")
    )
    out = []
    today = clock.today()
    for ob in obligations:
        done = ob.status == Obligation.Status.DONE and ob.done_on
        if done:
            kind = _("obligation done")
        elif ob.is_overdue(today):
            kind = _("obligation overdue")
        else:
            kind = _("obligation due")
        out.append(
            TimelineEntry(
                when=ob.done_on if done else ob.due_on,  # type: ignore[arg-type]
                kind=str(kind),
                title=f"{ob.owner}: {ob.content}",
                detail=f"{ob.rules.title} · {ob.get_status_display()}",
                url=reverse("petitions:rules_detail", args=[ob.rules_id]),
            )
        )
    return out


def petition_timeline(user: Any, obj: Any) -> list[TimelineEntry]:
    if not isinstance(obj, KeyProject):
        return []
    petitions = petition_access.petitions_for_user(user).filter(key_project=obj)
    return [
        TimelineEntry(
            when=p.received_on,
            kind=str(_("petition received")),
            title=f"{p.label}: {p.subject}",
            detail=str(p.get_status_display()),
            url=reverse("petitions:petition_detail", args=[p.pk]),
        )
        for p in petitions.order_by("-received_on", "-id")[:200]
    ]


TIMELINE_PROVIDERS = [stage_timeline, visit_timeline, obligation_timeline, petition_timeline]


# --- report and agenda -------------------------------------------------------------------------


def clearance_report_section(
    office: Any, start: datetime.date, end: datetime.date
) -> ReportSection | None:
    households = AffectedHousehold.objects.filter(project__office=office)
    by_stage = dict(households.values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    total = sum(by_stage.values())
    if not total:
        return None
    period = StageChange.objects.filter(
        household__project__office=office, on__gte=start, on__lte=end
    ).aggregate(
        handed=Count("id", filter=Q(to_stage=Stage.HANDED_OVER)),
        paid=Count("id", filter=Q(to_stage=Stage.PAID)),
    )
    visits = Visit.objects.filter(project__office=office, held_on__gte=start, held_on__lte=end)
    v = visits.aggregate(
        visits=Count("id", filter=Q(kind=Visit.Kind.VISIT)),
        dialogues=Count("id", filter=Q(kind=Visit.Kind.DIALOGUE)),
    )
    obligations = Obligation.objects.filter(rules__office=office).aggregate(
        done=Count("id", filter=Q(status=Obligation.Status.DONE, done_on__lte=end)),
        overdue=Count("id", filter=Q(status=Obligation.Status.OPEN, due_on__lt=end)),
    )
    stages = [*STAGE_ORDER, Stage.COMPLAINT]
    table = ReportTable(
        title="Hộ bị ảnh hưởng theo bước GPMB",
        headers=["Bước", "Số hộ"],
        rows=[[str(s.label).capitalize(), by_stage.get(s.value, 0)] for s in stages],
        widths_mm=[110, 40],
    )
    paragraphs = [
        f"Công tác GPMB các dự án trọng điểm: {total} hộ bị ảnh hưởng, "
        f"{by_stage.get(Stage.HANDED_OVER, 0)} hộ đã bàn giao mặt bằng, "
        f"{by_stage.get(Stage.COMPLAINT, 0)} hộ đang khiếu nại. Trong kỳ có "
        f"{period['paid']} hộ nhận tiền bồi thường, {period['handed']} hộ bàn giao mặt bằng; "
        f"Mặt trận và các đoàn thể tổ chức {v['visits']} lượt vận động và {v['dialogues']} "
        f"buổi đối thoại. Quy chế phối hợp với UBND: {obligations['done']} nội dung đã thực "
        f"hiện, {obligations['overdue']} nội dung quá hạn."
    ]
    return ReportSection(
        key="petitions.clearance",
        order=62,
        heading="Công tác phối hợp giải phóng mặt bằng các dự án trọng điểm",
        paragraphs=paragraphs,
        tables=[table],
        figures={
            "clearance.households": total,
            "clearance.handed_over": by_stage.get(Stage.HANDED_OVER, 0),
            "clearance.complaint": by_stage.get(Stage.COMPLAINT, 0),
            "clearance.visits": v["visits"],
            "clearance.dialogues": v["dialogues"],
            "clearance.obligations_done": obligations["done"],
            "clearance.obligations_overdue": obligations["overdue"],
        },
    )


def clearance_agenda(office: Any, meeting_date: datetime.date) -> list[AgendaSuggestion]:
    until = meeting_date + datetime.timedelta(days=AGENDA_DAYS)
    out = []
    obligations = (
        Obligation.objects.filter(
            rules__office=office, status=Obligation.Status.OPEN, due_on__lte=until
        )
        .select_related("rules")
        .order_by("due_on", "id")[:10]
    )
    for ob in obligations:
        late = ob.due_on < meeting_date
        state = "quá hạn" if late else "đến hạn trong tuần"
        out.append(
            AgendaSuggestion(
                source="petitions.clearance.obligation",
                title=f"Quy chế phối hợp GPMB: {ob.owner} — nội dung {state} "
                f"({ob.due_on:%d/%m/%Y})",
                detail=f"{ob.content} ({ob.rules.title})",
                url=reverse("petitions:rules_detail", args=[ob.rules_id]),
                object_type="petitions.coordinationrules",
                object_id=ob.rules_id,
            )
        )
    complaints = (
        AffectedHousehold.objects.filter(project__office=office, stage=Stage.COMPLAINT)
        .values("project_id", "project__name")
        .annotate(n=Count("id"))
        .order_by("project__name")
    )
    for row in complaints:
        out.append(
            AgendaSuggestion(
                source="petitions.clearance.complaint",
                title=f"Dự án {row['project__name']}: {row['n']} hộ đang khiếu nại về GPMB",
                url=reverse("petitions:project_detail", args=[row["project_id"]]),
                object_type="petitions.keyproject",
                object_id=row["project_id"],
            )
        )
    return out


def clearance_cards(user: Any, offices: list[Any]) -> list[DashboardCard]:
    """Home cards for those who read an office's land clearance in full: obligations of the
    coordination rules overdue, households in complaint (two queries)."""
    from khoi.accounts.access import full_read_office_ids, get_scope

    ids = full_read_office_ids(get_scope(user))
    office_ids = [o.pk for o in offices if ids is None or o.pk in ids]
    if not office_ids:
        return []
    today = clock.today()
    overdue = Obligation.objects.filter(
        rules__office_id__in=office_ids, status=Obligation.Status.OPEN, due_on__lt=today
    ).count()
    complaints = AffectedHousehold.objects.filter(
        project__office_id__in=office_ids, stage=Stage.COMPLAINT
    ).count()
    if (
        not overdue
        and not complaints
        and not CoordinationRules.objects.filter(office_id__in=office_ids).exists()
    ):
        return []
    return [
        DashboardCard(
            _("land clearance obligations overdue"),
            overdue,
            reverse("petitions:rules_list"),
            alert=bool(overdue),
        ),
        DashboardCard(
            _("households in land clearance complaint"),
            complaints,
            reverse("petitions:project_list"),
        ),
    ]
