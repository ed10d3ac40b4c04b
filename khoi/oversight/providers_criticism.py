"""What social criticism and feedback rounds offer the rest of Khối through khoi.registry
(registered by :func:`khoi.oversight.ready_criticism.ready`): report sections (critiques
issued, feedback rounds), agenda suggestions (critiques due this week, answers overdue),
dashboard cards and the timeline of a key project's recommendations source. Each runs a
fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi import clock
from khoi.oversight import access_criticism as access
from khoi.oversight.models.criticism import Critique
from khoi.oversight.models.feedback import FeedbackRound
from khoi.oversight.services import criticism as services
from khoi.registry import AgendaSuggestion, DashboardCard, ReportSection, ReportTable


def _day(d: datetime.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def critiques_section(office: Any, start: datetime.date, end: datetime.date
                      ) -> ReportSection | None:  # fmt: skip
    """Critiques issued in the period (with the points and how they were answered), and the
    drafts received and still open."""
    issued = list(
        Critique.objects.filter(office=office, issued_on__gte=start, issued_on__lte=end)
        .select_related("issued_document")
        .annotate(
            points=Count("comments"),
            accepted=Count("comments", filter=Q(comments__response="accepted")),
            partly=Count("comments", filter=Q(comments__response="partly")),
            rejected=Count("comments", filter=Q(comments__response="not_accepted")),
        )
        .order_by("issued_on", "pk")
    )
    received = Critique.objects.filter(
        office=office, received_on__gte=start, received_on__lte=end
    ).count()
    if not issued and not received:
        return None
    rows = [
        [
            c.title,
            c.drafting_body,
            f"{c.issued_document.notation if c.issued_document else ''}, {_day(c.issued_on)}",
            str(c.points),
            (
                _("%(a)d accepted, %(p)d partly, %(r)d not accepted")
                % {"a": c.accepted, "p": c.partly, "r": c.rejected}
                if c.status == Critique.Status.ANSWERED
                else _("awaiting the answer")
            ),
        ]
        for c in issued
    ]
    paragraphs = [
        _("%(r)d drafts were received for social criticism and %(i)d critiques were issued, "
          "with %(p)d points in all.")
        % {"r": received, "i": len(issued), "p": sum(c.points for c in issued)}
    ]  # fmt: skip
    return ReportSection(
        key="oversight.critiques",
        order=72,
        heading=_("Social criticism"),
        paragraphs=paragraphs,
        tables=[
            ReportTable(
                _("Critiques issued"),
                [_("Draft"), _("Drafting body"), _("Critique"), _("Points"), _("Answer")],
                rows,
                [55, 35, 30, 15, 35],
            )
        ]
        if rows
        else [],
        figures={
            "oversight.drafts_received": received,
            "oversight.critiques_issued": len(issued),
            "oversight.critique_points": sum(c.points for c in issued),
        },
    )


def feedback_section(office: Any, start: datetime.date, end: datetime.date
                     ) -> ReportSection | None:  # fmt: skip
    """Feedback rounds whose collection overlaps the period, with their opinions by source."""
    rounds = list(
        FeedbackRound.objects.filter(office=office, start_on__lte=end, end_on__gte=start)
        .select_related("report_document")
        .annotate(
            residents=Count("opinions", filter=Q(opinions__source_kind="residents")),
            organizations=Count("opinions", filter=Q(opinions__source_kind="organization")),
            citizens=Count("opinions", filter=Q(opinions__source_kind="citizen")),
        )
        .order_by("start_on", "pk")
    )
    if not rounds:
        return None
    rows = [
        [
            r.title,
            f"{_day(r.start_on)} – {_day(r.end_on)}",
            str(r.residents),
            str(r.organizations),
            str(r.citizens),
            f"{r.report_document.notation}, {_day(r.reported_on)}" if r.report_document else "",
        ]
        for r in rounds
    ]
    total = sum(r.residents + r.organizations + r.citizens for r in rounds)
    return ReportSection(
        key="oversight.feedback",
        order=73,
        heading=_("Feedback on building the Party and the government"),
        paragraphs=[
            _("%(n)d feedback rounds collected %(o)d opinions; %(s)d reports were sent up.")
            % {"n": len(rounds), "o": total, "s": sum(1 for r in rounds if r.report_document)}
        ],
        tables=[
            ReportTable(
                _("Feedback rounds"),
                [
                    _("Round"),
                    _("Collecting"),
                    _("Residents' meetings"),
                    _("Organizations"),
                    _("Citizens"),
                    _("Report"),
                ],
                rows,
                [55, 30, 20, 20, 15, 30],
            )
        ],
        figures={"oversight.feedback_rounds": len(rounds), "oversight.feedback_opinions": total},
    )


def _week(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def agenda(office: Any, day: datetime.date) -> list[AgendaSuggestion]:
    """Critiques due this week (or overdue) and drafting bodies' answers overdue."""
    _monday, sunday = _week(day)
    out: list[AgendaSuggestion] = []
    due = Critique.objects.filter(office=office, status=Critique.Status.OPEN, due_on__lte=sunday)
    for c in due.order_by("due_on", "pk")[:20]:
        late = c.due_on < day
        out.append(
            AgendaSuggestion(
                "oversight.critique.due",
                (
                    _("Critique overdue since %(d)s: %(t)s")
                    if late
                    else _("Critique due on %(d)s: %(t)s")
                )
                % {"d": _day(c.due_on), "t": c.title},
                detail=c.drafting_body,
                url=reverse("oversight:critique_detail", args=[c.pk]),
                object_type="oversight.critique",
                object_id=c.pk,
            )
        )
    rules = services.all_rules()
    waiting = Critique.objects.filter(office=office, status=Critique.Status.ISSUED)
    for c in waiting.order_by("issued_on", "pk")[:50]:
        answer_due, _rule = services.answer_due(c, rules)
        if answer_due is not None and answer_due < day:
            out.append(
                AgendaSuggestion(
                    "oversight.critique.answer_overdue",
                    _("%(b)s has not answered the critique of “%(t)s” (due %(d)s)")
                    % {"b": c.drafting_body, "t": c.title, "d": _day(answer_due)},
                    url=reverse("oversight:critique_detail", args=[c.pk]),
                    object_type="oversight.critique",
                    object_id=c.pk,
                )
            )
    return out


def cards(user: Any, offices: list[Any]) -> list[DashboardCard]:
    readable = [o for o in offices if access.reads_all_opinions(user, o)]
    if not readable:
        return []
    today = clock.today()
    counts = Critique.objects.filter(office__in=readable, status=Critique.Status.OPEN).aggregate(
        open=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today))
    )
    return [
        DashboardCard(
            _("drafts awaiting critique"),
            counts["open"] or 0,
            reverse("oversight:critique_list") + "?status=open",
            alert=bool(counts["late"]),
        )
    ]
