"""What supervision offers the rest of Khối through khoi.registry (registered in
apps.ready): report sections (supervisions done, recommendations answered and overdue),
agenda suggestions (recommendations overdue, answers due this week, delegations this
week), dashboard cards, a key project's timeline entries, and the supervisions a document
of the register may be linked to. Each provider runs a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi import clock
from khoi.oversight import access, asof
from khoi.oversight.models import Recommendation, Supervision, WorkingSession
from khoi.registry import AgendaSuggestion, DashboardCard, ReportSection, ReportTable, TimelineEntry

OPEN = Recommendation.Status.OPEN
ANSWERED = (
    Recommendation.Status.ACCEPTED,
    Recommendation.Status.PARTLY,
    Recommendation.Status.REJECTED,
)


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _week(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


# --- Periodic report -------------------------------------------------------------------------


def supervisions_section(
    office: Any, start: datetime.date, end: datetime.date
) -> ReportSection | None:
    done = list(
        Supervision.objects.filter(
            office=office, status=Supervision.Status.DONE, report_on__gte=start, report_on__lte=end
        )
        .select_related("organization")
        .annotate(n_rec=Count("recommendations"))
        .order_by("report_on", "pk")
    )
    planned = (
        Supervision.objects.filter(office=office, planned_from__lte=end, planned_until__gte=start)
        .exclude(status=Supervision.Status.CANCELLED)
        .count()
    )
    if not done and not planned:
        return None
    rows = [
        [s.subject, s.body, str(s.organization), s.get_form_display(), _d(s.report_on), s.n_rec]
        for s in done
    ]
    return ReportSection(
        key="oversight.supervisions",
        order=60,
        heading=_("Supervision"),
        paragraphs=[
            _("%(done)d supervisions were completed in the period (%(planned)d planned).")
            % {"done": len(done), "planned": planned}
        ],
        tables=[
            ReportTable(
                _("Supervisions completed"),
                [
                    _("Subject"),
                    _("Supervised body"),
                    _("Lead organization"),
                    _("Form"),
                    _("Report dated"),
                    _("Recommendations"),
                ],
                rows,
            )
        ]
        if rows
        else [],
        figures={"supervisions_done": len(done), "supervisions_planned": planned},
    )


def recommendations_section(
    office: Any, start: datetime.date, end: datetime.date
) -> ReportSection | None:
    # the state at the period's end from the answers' dates, never today's status
    rows = asof.at_end(Recommendation.objects.filter(office=office), end)
    c = asof.conditions(start, end)
    made = rows.filter(c["made"]).count()
    by_outcome = dict(
        rows.filter(c["answered"])  # type: ignore[misc]  # outcome_at: asof.at_end's annotation
        .order_by()
        .values("outcome_at")
        .annotate(n=Count("pk"))
        .values_list("outcome_at", "n")
    )
    late = rows.filter(c["overdue"])
    overdue = list(late.order_by("due_on", "pk")[:50])
    n_overdue = late.count()
    if not made and not by_outcome and not n_overdue:
        return None
    n_answered = sum(by_outcome.values())
    return ReportSection(
        key="oversight.recommendations",
        order=61,
        heading=_("Recommendations and their answers"),
        paragraphs=[
            _(
                "%(made)d recommendations were made; %(answered)d were answered (%(acc)d accepted, "
                "%(partly)d partly, %(rej)d not accepted); %(overdue)d are overdue."
            )
            % {
                "made": made,
                "answered": n_answered,
                "acc": by_outcome.get(Recommendation.Status.ACCEPTED, 0),
                "partly": by_outcome.get(Recommendation.Status.PARTLY, 0),
                "rej": by_outcome.get(Recommendation.Status.REJECTED, 0),
                "overdue": n_overdue,
            }
        ],
        tables=[
            ReportTable(
                _("Recommendations overdue"),
                [_("Body"), _("Content"), _("Answer due on")],
                [[r.body, r.content[:200], _d(r.due_on)] for r in overdue],
            )
        ]
        if overdue
        else [],
        figures={
            "recommendations_made": made,
            "recommendations_answered": n_answered,
            "recommendations_overdue": n_overdue,
        },
    )


# --- Briefing agenda -------------------------------------------------------------------------


def agenda(office: Any, day: datetime.date) -> list[AgendaSuggestion]:
    out: list[AgendaSuggestion] = []
    qs = Recommendation.objects.filter(office=office, status=OPEN)
    overdue = qs.filter(due_on__lt=day)
    n = overdue.count()
    if n:
        out.append(
            AgendaSuggestion(
                source="oversight.recommendation.overdue",
                title=_("%(n)d recommendations overdue for an answer") % {"n": n},
                detail=", ".join(sorted({r.body for r in overdue.order_by("due_on")[:5]})),
                url=reverse("oversight:recommendation_list") + "?state=overdue",
            )
        )
    start, end = _week(day)
    for r in qs.filter(due_on__gte=day, due_on__lte=end).order_by("due_on", "pk")[:10]:
        out.append(
            AgendaSuggestion(
                source="oversight.recommendation.due",
                title=_("Answer due %(day)s: %(body)s") % {"day": _d(r.due_on), "body": r.body},
                detail=r.content[:200],
                url=reverse("oversight:recommendation_detail", args=[r.pk]),
                object_type="oversight.recommendation",
                object_id=r.pk,
            )
        )
    sessions = (
        WorkingSession.objects.filter(
            supervision__office=office, held_on__gte=start, held_on__lte=end
        )
        .select_related("supervision")
        .order_by("held_on", "pk")[:10]
    )
    seen: set[int] = set()
    for s in sessions:
        seen.add(s.supervision_id)
        out.append(_delegation_item(s.supervision, s.held_on))
    planned = (
        Supervision.objects.filter(
            office=office, form=Supervision.Form.DELEGATION,
            planned_from__lte=end, planned_from__gte=start,
        ).exclude(status__in=[Supervision.Status.DONE, Supervision.Status.CANCELLED])
        .exclude(pk__in=seen).order_by("planned_from", "pk")[:10]
    )  # fmt: skip
    out.extend(_delegation_item(s, s.planned_from) for s in planned)
    return out


def _delegation_item(sup: Supervision, day: datetime.date) -> AgendaSuggestion:
    return AgendaSuggestion(
        source="oversight.delegation.week",
        title=_("Supervision delegation %(day)s: %(body)s") % {"day": _d(day), "body": sup.body},
        detail=sup.subject,
        url=reverse("oversight:supervision_detail", args=[sup.pk]),
        object_type="oversight.supervision",
        object_id=sup.pk,
    )


# --- Dashboard -------------------------------------------------------------------------------


def cards(user: Any, offices: list[Any]) -> list[DashboardCard]:
    if not access.opens_app(user):
        return []
    today = clock.today()
    recs = access.recommendations_for_user(user)
    n_overdue = recs.filter(status=OPEN, due_on__lt=today).count()
    _s, end = _week(today)
    n_week = recs.filter(status=OPEN, due_on__gte=today, due_on__lte=end).count()
    url = reverse("oversight:recommendation_list")
    return [
        DashboardCard(
            _("recommendations overdue"), n_overdue, url + "?state=overdue", alert=n_overdue > 0
        ),
        DashboardCard(_("answers due this week"), n_week, url + "?state=open"),
    ]


# --- A key project's timeline ----------------------------------------------------------------


def timeline(user: Any, obj: Any) -> list[TimelineEntry]:
    if getattr(obj, "_meta", None) is None or obj._meta.label_lower != "petitions.keyproject":
        return []
    sups = list(access.supervisions_for_user(user).filter(key_project_id=obj.pk).order_by("pk"))
    out: list[TimelineEntry] = []
    for s in sups:
        url = reverse("oversight:supervision_detail", args=[s.pk])
        out.append(TimelineEntry(s.planned_from, _("Supervision planned"), s.subject, s.body, url))
        if s.report_on:
            out.append(TimelineEntry(s.report_on, _("Supervision report"), s.subject, s.body, url))
    recs: QuerySet[Recommendation] = access.recommendations_for_user(user).filter(
        supervision__key_project_id=obj.pk
    )
    for r in recs.order_by("pk"):
        url = reverse("oversight:recommendation_detail", args=[r.pk])
        out.append(TimelineEntry(r.issued_on, _("Recommendation"), r.content[:120], r.body, url))
        if r.answered_on:
            out.append(TimelineEntry(r.answered_on, _("Recommendation answered"), r.content[:120],
                                     r.get_status_display(), url))  # fmt: skip
    return out


# --- Documents of the register linked to supervisions ----------------------------------------


def linkable_supervisions(office: Any) -> QuerySet[Supervision]:
    return Supervision.objects.filter(office=office).exclude(status=Supervision.Status.CANCELLED)


def describe_supervision(sup: Any) -> str:
    return f"{sup.subject} — {sup.body}"
