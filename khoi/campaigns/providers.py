"""What campaigns offer the rest of Khối through khoi.registry (registered in apps.ready):
report sections (campaign results with a chart, ranking, models), agenda suggestions
(communes that have not reported, figures waiting for approval) and dashboard cards.
Each provider runs a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi.campaigns import access, charts, demo, rollup, scoring
from khoi.campaigns import periods as P
from khoi.campaigns.models import Campaign, Indicator, ModelHolding, ScoringTable, Submission
from khoi.lib.figures import fmt
from khoi.registry import (
    AgendaSuggestion,
    DashboardCard,
    ReportImage,
    ReportSection,
    ReportTable,
)


def _live(office: Any, start: datetime.date, end: datetime.date) -> list[Campaign]:
    return list(
        Campaign.objects.filter(office=office, start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
        .order_by("start_on", "pk")
    )


def _periods_in(start: datetime.date, end: datetime.date, kind: str) -> list[str]:
    out = []
    for year in range(start.year, end.year + 1):
        for p in P.periods_of_year(year, kind):
            a, b = p.bounds()
            if a <= end and b >= start:
                out.append(p.code)
    return out


def campaign_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection | None:
    campaigns = _live(office, start, end)
    if not campaigns:
        return None
    communes = access.office_communes(office)
    expected = communes.count()
    indicators = list(
        Indicator.objects.filter(campaign__in=campaigns)
        .exclude(kind="text")
        .order_by("campaign", "order")
    )
    codes = sorted({c for kind in P.KINDS for c in _periods_in(start, end, kind)})
    totals = rollup.unit_totals(indicators, codes, office.unit, approved_only=True)
    subs = (
        Submission.objects.filter(campaign__in=campaigns, period__in=codes)
        .values("campaign_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    status: dict[int, dict[str, int]] = {}
    for r in subs:
        status.setdefault(r["campaign_id"], {})[r["status"]] = r["n"]
    rows = []
    chart_labels, chart_values = [], []
    for ind in indicators:
        periods = [c for c in codes if P.parse(c).kind == ind.period_kind]
        shown = [(c, totals.get((ind.pk, c))) for c in periods]
        last = next(((c, t) for c, t in reversed(shown) if t is not None), None)
        if last is None:
            continue
        value = last[1].value(ind.kind)
        rows.append(
            [
                ind.campaign.title[:60],
                f"{ind.code}. {ind.name}",
                P.parse(last[0]).label(),
                fmt(value) + (" %" if ind.kind == "percent" else ""),
                ind.unit_of_measure,
            ]
        )
        if ind.kind == Indicator.Kind.PERCENT and value is not None:
            chart_labels.append(f"{ind.code}. {ind.name}"[:40])
            chart_values.append(float(value))
    paragraphs = []
    for c in campaigns:
        st = status.get(c.pk, {})
        paragraphs.append(
            _(
                "%(t)s: %(a)s reports approved, %(s)s waiting for approval, %(e)s communes report to the office."  # noqa: E501
            )
            % {"t": c.title, "a": st.get("approved", 0), "s": st.get("submitted", 0), "e": expected}
        )
    paragraphs.append(_("Figures computed from the communes' approved reports."))
    if any(demo.ILLUSTRATIVE in c.description for c in campaigns):
        # only the demo's campaigns carry the demo's mark (khoi.campaigns.demo)
        paragraphs.append(_("These are the demo's illustrative figures, not real ones."))
    images = []
    if chart_labels:
        images.append(
            ReportImage(
                charts.bar_png(chart_labels, chart_values, _("Percentage indicators (%)")),
                _("Percentage indicators of the area"),
                150,
            )
        )
    return ReportSection(
        key="campaigns.results",
        order=60,
        heading=_("Campaigns and emulation movements"),
        paragraphs=paragraphs,
        tables=[
            ReportTable(
                _("Indicators of the area (computed)"),
                [_("Campaign"), _("Indicator"), _("Period"), _("Total"), _("Unit of measure")],
                rows,
                [40, 60, 30, 25, 25],
            )
        ]
        if rows
        else [],
        figures={
            "campaigns.live": len(campaigns),
            "campaigns.approved": sum(s.get("approved", 0) for s in status.values()),
        },
        images=images,
    )


def ranking_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection | None:
    tables = list(
        ScoringTable.objects.filter(cluster__office=office, year=end.year).select_related("cluster")
    )
    if not tables:
        return None
    out_tables, images = [], []
    for t in tables:
        result = scoring.compute_ranking(t.cluster, t.year)
        if result is None:
            continue
        out_tables.append(
            ReportTable(
                _("Ranking of %(c)s, %(y)s") % {"c": t.cluster.name, "y": t.year},
                [_("Rank"), _("Member"), _("Total")],
                [[str(r.rank), r.name, fmt(r.total)] for r in result.rows],
                [15, 80, 25],
            )
        )
        images.append(
            ReportImage(
                charts.bar_png(
                    [r.name for r in result.rows],
                    [float(r.total) for r in result.rows],
                    t.cluster.name,
                ),
                _("Ranking of %(c)s") % {"c": t.cluster.name},
                150,
            )
        )
    return ReportSection(
        key="campaigns.ranking",
        order=61,
        heading=_("Emulation ranking"),
        tables=out_tables,
        images=images,
    )


def models_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection | None:
    rows = (
        ModelHolding.objects.filter(model__office=office, recognised_on__lte=end)
        .values("model__name")
        .annotate(
            n=Count("pk"),
            new=Count("pk", filter=Q(recognised_on__gte=start)),
            again=Count("pk", filter=Q(re_recognised_on__gte=start, re_recognised_on__lte=end)),
        )
        .order_by("model__name")
    )
    data = [[r["model__name"], str(r["n"]), str(r["new"]), str(r["again"])] for r in rows]
    if not data:
        return None
    return ReportSection(
        key="campaigns.models",
        order=62,
        heading=_("Practice models"),
        tables=[
            ReportTable(
                _("Practice models"),
                [_("Model"), _("Holding"), _("New"), _("Re-recognised")],
                data,
                [70, 20, 20, 25],
            )
        ],
    )


def agenda(office: Any, day: datetime.date) -> list[AgendaSuggestion]:
    out: list[AgendaSuggestion] = []
    campaigns = _live(office, day, day)
    if not campaigns:
        return out
    communes = access.office_communes(office)
    expected = communes.count()
    kinds: dict[int, str] = {}
    for campaign_id, kind in Indicator.objects.filter(campaign__in=campaigns).values_list(
        "campaign_id", "period_kind"
    ):
        # the shortest reporting period of the campaign is the one communes miss first
        if campaign_id not in kinds or P.KINDS.index(kind) < P.KINDS.index(kinds[campaign_id]):
            kinds[campaign_id] = kind
    done = {
        (r["campaign_id"], r["period"]): r["n"]
        for r in Submission.objects.filter(
            campaign__in=campaigns, status__in=["submitted", "approved"]
        )
        .values("campaign_id", "period")
        .annotate(n=Count("pk"))
        .order_by()
    }
    waiting = dict(
        Submission.objects.filter(campaign__in=campaigns, status="submitted")
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
        .order_by()
    )
    for c in campaigns:
        shortest = kinds.get(c.pk)
        if shortest:
            current = P.period_containing(day, shortest)
            a, _b = current.bounds()
            previous = P.period_containing(a - datetime.timedelta(days=1), shortest)
            missing = expected - done.get((c.pk, previous.code), 0)
            if missing > 0:
                out.append(
                    AgendaSuggestion(
                        "campaigns.not_reported",
                        _("%(n)s communes have not reported %(p)s for “%(t)s”")
                        % {"n": missing, "p": previous.label(), "t": c.title},
                        url=reverse("campaigns:detail", args=[c.pk]) + f"?period={previous.code}",
                        object_type="campaigns.campaign",
                        object_id=c.pk,
                    )
                )
        if waiting.get(c.pk):
            out.append(
                AgendaSuggestion(
                    "campaigns.waiting",
                    _("%(n)s reports wait for approval in “%(t)s”")
                    % {"n": waiting[c.pk], "t": c.title},
                    url=reverse("campaigns:detail", args=[c.pk]),
                    object_type="campaigns.campaign",
                    object_id=c.pk,
                )
            )
    return out


def cards(user: Any, offices: list[Any]) -> list[DashboardCard]:
    scope_units = access.reporter_communes(user)
    out = []
    managed = [o for o in offices if access.can_manage(user, o)]
    if managed:
        n = Submission.objects.filter(campaign__office__in=managed, status="submitted").count()
        out.append(
            DashboardCard(
                _("figures waiting for approval"), n, reverse("campaigns:list"), alert=n > 0
            )
        )
    if scope_units:
        n = Submission.objects.filter(commune__in=scope_units, status="returned").count()
        out.append(
            DashboardCard(
                _("figures returned to my commune"), n, reverse("campaigns:list"), alert=n > 0
            )
        )
    return out
