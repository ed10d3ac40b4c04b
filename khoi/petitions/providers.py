"""What petitions offer the rest of Khối through ``khoi.registry``: a periodic report
section, briefing agenda suggestions for petitions near or past their deadline, and home
dashboard cards. Each runs a fixed number of queries and never shows an identity.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi import clock
from khoi.accounts.access import get_scope
from khoi.lib.workdays import RULES
from khoi.petitions import access
from khoi.petitions.models import OPEN_STATUSES, Kind, Petition, PetitionDeadline, Status
from khoi.registry import AgendaSuggestion, DashboardCard, ReportSection, ReportTable

NEAR_DAYS = 5
KIND_WORDS = {
    Kind.COMPLAINT: "khiếu nại",
    Kind.DENUNCIATION: "tố cáo",
    Kind.REQUEST: "kiến nghị",
    Kind.REPORT: "phản ánh",
}


def petition_report_section(
    office: Any, start: datetime.date, end: datetime.date
) -> ReportSection | None:
    qs = Petition.objects.filter(office=office, received_on__gte=start, received_on__lte=end)
    papers = Count("id")
    matters = Count("id", filter=Q(duplicate_of__isnull=True))
    rows: dict[str, dict[str, Any]] = {
        r["kind"]: dict(r) for r in qs.values("kind").annotate(papers=papers, matters=matters)
    }
    total = qs.aggregate(
        papers=papers,
        matters=matters,
        forwarded=Count("id", filter=Q(forwardings__isnull=False), distinct=True),
        resolved=Count("id", filter=Q(status__in=[Status.RESOLVED, Status.CLOSED])),
    )
    if not total["papers"]:
        return None
    overdue = Petition.objects.filter(
        office=office, status__in=OPEN_STATUSES, next_due__lt=end
    ).count()
    table = ReportTable(
        title="Tiếp nhận đơn thư",
        headers=["Loại đơn", "Số đơn", "Số vụ việc (không tính đơn trùng)"],
        rows=[
            [KIND_WORDS[Kind(k)].capitalize(), rows[k]["papers"], rows[k]["matters"]]
            for k in Kind.values
            if k in rows
        ],
        widths_mm=[70, 40, 55],
    )
    paragraphs = [
        f"Trong kỳ, Cơ quan Khối tiếp nhận {total['papers']} đơn ({total['matters']} vụ việc, "
        f"sau khi gộp đơn trùng và đơn nhiều người đứng tên); đã chuyển "
        f"{total['forwarded']} đơn đến cơ quan có thẩm quyền; {total['resolved']} đơn đã có kết "
        f"quả giải quyết. Còn {overdue} đơn quá hạn giải quyết cần đôn đốc."
    ]
    return ReportSection(
        key="petitions.summary",
        order=60,
        heading="Công tác tiếp công dân, tiếp nhận và xử lý đơn thư",
        paragraphs=paragraphs,
        tables=[table],
        figures={
            "petitions.papers": total["papers"],
            "petitions.matters": total["matters"],
            "petitions.forwarded": total["forwarded"],
            "petitions.resolved": total["resolved"],
            "petitions.overdue": overdue,
        },
    )


def petition_agenda(office: Any, meeting_date: datetime.date) -> list[AgendaSuggestion]:
    near = meeting_date + datetime.timedelta(days=NEAR_DAYS)
    rows = (
        Petition.objects.filter(office=office, status__in=OPEN_STATUSES, next_due__lte=near)
        .annotate(
            rule_source=Subquery(
                PetitionDeadline.objects.filter(
                    petition=OuterRef("pk"), rule=OuterRef("next_rule"), state="open"
                )
                .order_by("due", "id")
                .values("source")[:1]
            )
        )
        .order_by("next_due", "id")
        .values(
            "pk",
            "number",
            "year",
            "kind",
            "subject",
            "next_due",
            "next_rule",
            "confidential",
            "rule_source",
        )[:10]
    )
    out = []
    # A protected case reaches a briefing (read by organization leaders) only as a count:
    # no number, subject, rule or link (issue #9, finding 7).
    protected: dict[tuple[str, bool], int] = {}
    for r in rows:
        late = r["next_due"] is not None and r["next_due"] < meeting_date
        if r["confidential"]:
            key = (r["kind"], late)
            protected[key] = protected.get(key, 0) + 1
            continue
        rule = RULES.get(r["next_rule"])
        state = "quá hạn" if late else "sắp đến hạn"
        out.append(
            AgendaSuggestion(
                source="petitions.deadline",
                title=f"Đơn {KIND_WORDS[Kind(r['kind'])]} số {r['number']}/{r['year']} {state} "
                f"({r['next_due']:%d/%m/%Y})",
                detail=(f"{rule.title} — {r['rule_source']}. " if rule else "") + r["subject"],
                url=reverse("petitions:petition_detail", args=[r["pk"]]),
                object_type="petitions.petition",
                object_id=r["pk"],
            )
        )
    for (kind, late), n in sorted(protected.items()):
        state = "quá hạn" if late else "sắp đến hạn"
        out.append(
            AgendaSuggestion(
                source="petitions.deadline",
                title=f"{n} đơn {KIND_WORDS[Kind(kind)]} được bảo vệ {state}",
            )
        )
    return out


def petition_cards(user: Any, offices: list[Any]) -> list[DashboardCard]:

    ids = access.read_office_ids(get_scope(user))
    office_ids = [o.pk for o in offices]
    if ids is not None:
        office_ids = [pk for pk in office_ids if pk in ids]
    if not office_ids:
        return []
    today = clock.today()
    agg = Petition.objects.filter(office_id__in=office_ids, status__in=OPEN_STATUSES).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(next_due__lt=today)),
        near=Count(
            "id",
            filter=Q(next_due__gte=today, next_due__lte=today + datetime.timedelta(days=NEAR_DAYS)),
        ),
    )
    return [
        DashboardCard(_("open petitions"), agg["open"], reverse("petitions:petition_list")),
        DashboardCard(
            _("petitions due within 5 days"),
            agg["near"],
            reverse("petitions:petition_list") + "?deadline=near",
        ),
        DashboardCard(
            _("overdue petitions"),
            agg["overdue"],
            reverse("petitions:overdue_list"),
            alert=bool(agg["overdue"]),
        ),
    ]
