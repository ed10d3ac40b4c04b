"""What campaigns offer the rest of Khối through khoi.registry (registered in apps.ready):
report sections (campaign results with a chart, ranking, models), agenda suggestions
(communes that have not reported, figures waiting for approval) and dashboard cards.
Each provider runs a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi.campaigns import access, charts, demo, rollup, scoring
from khoi.campaigns import periods as P
from khoi.campaigns.models import Campaign, Indicator, ModelHolding, ScoringTable, Submission
from khoi.lib import svgchart
from khoi.lib.figures import fmt, percent
from khoi.lib.vntext import collation_key
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


def _tick(p: P.Period) -> str:
    """A short label of a period under a chart's axis ("T3", "Quý I", "6 tháng đầu")."""
    if p.kind == P.MONTH:
        return _("M%(m)s") % {"m": p.index}
    if p.kind == P.QUARTER:
        return _("Q%(q)s") % {"q": ["I", "II", "III", "IV"][p.index - 1]}
    if p.kind == P.HALF:
        return _("first half") if p.index == 1 else _("second half")
    return str(p.year)


def _main_indicator(indicators: list[Indicator], campaign: Campaign) -> Indicator | None:
    """The campaign's main indicator, charted over time in the report: its first number or
    percentage indicator in the campaign's order (``order``, then creation)."""
    return next(
        (
            i
            for i in indicators
            if i.campaign_id == campaign.pk
            and i.kind in (Indicator.Kind.NUMBER, Indicator.Kind.PERCENT)
        ),
        None,
    )


def _year_until(end: datetime.date, kind: str) -> list[P.Period]:
    """The periods of ``kind`` in ``end``'s year up to the one containing ``end``."""
    current = P.period_containing(end, kind)
    return [p for p in P.periods_of_year(end.year, kind) if p <= current]


def _due(
    campaign: Campaign, kinds: set[str], start: datetime.date, end: datetime.date
) -> list[str]:
    """The reporting periods of ``campaign`` due in the report's window: every period of
    each of its reporting frequencies that ended between ``start`` and ``end``; for a
    frequency none of whose periods ended in the window, the latest one that ended before
    ``end``. Only periods overlapping the campaign's run count."""
    out: list[str] = []
    for kind in sorted(kinds, key=P.KINDS.index):
        ended = [
            p
            for year in range(min(start.year, end.year) - 1, end.year + 1)
            for p in P.periods_of_year(year, kind)
            if p.bounds()[1] <= end
            and p.bounds()[1] >= campaign.start_on
            and (campaign.end_on is None or p.bounds()[0] <= campaign.end_on)
        ]
        inside = [p for p in ended if p.bounds()[1] >= start]
        out.extend(p.code for p in (inside or ended[-1:]))
    return out


def _completion(
    campaigns: list[Campaign],
    all_indicators: list[Indicator],
    communes: list[Any],
    start: datetime.date,
    end: datetime.date,
) -> tuple[list[tuple[Any, int, int]], int, int]:
    """Per commune (in the order given): (commune, approved reports, reports due), and the
    sums. A report is one (campaign, period) submission; one query."""
    kinds: dict[int, set[str]] = {}
    for i in all_indicators:
        kinds.setdefault(i.campaign_id, set()).add(i.period_kind)
    due = {(c.pk, code) for c in campaigns for code in _due(c, kinds.get(c.pk, set()), start, end)}
    approved: dict[int, int] = {}
    if due and communes:
        rows = Submission.objects.filter(
            campaign__in=campaigns,
            period__in=sorted({code for _c, code in due}),
            commune__in=[c.pk for c in communes],
            status=Submission.Status.APPROVED,
        ).values_list("campaign_id", "commune_id", "period")
        for campaign_id, commune_id, period in rows:
            if (campaign_id, period) in due:
                approved[commune_id] = approved.get(commune_id, 0) + 1
    out = [(c, approved.get(c.pk, 0), len(due)) for c in communes]
    return out, sum(a for _c, a, _d in out), len(due) * len(communes)


def campaign_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection | None:
    """The campaign results of the office's area: the latest approved totals of each
    indicator, a bar chart of the percentage indicators, each campaign's main indicator over
    the year up to the report's period (a line chart), and the communes' completion of the
    reports due in the report's window, as a table and as coloured tiles. A fixed number of
    queries (about eight; tested), whatever the number of communes, campaigns or indicators."""
    campaigns = _live(office, start, end)
    if not campaigns:
        return None
    by_pk = {c.pk: c for c in campaigns}
    # Vietnamese alphabetical order (Đ after D, tones after the bare letter)
    communes = sorted(access.office_communes(office), key=lambda c: collation_key(c.name))
    expected = len(communes)
    all_indicators = list(
        Indicator.objects.filter(campaign__in=campaigns).order_by("campaign", "order", "pk")
    )
    indicators = [i for i in all_indicators if i.kind != Indicator.Kind.TEXT]
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
                by_pk[ind.campaign_id].title[:60],
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
    images.extend(_line_images(office, campaigns, indicators, end))
    completion, done, due = _completion(campaigns, all_indicators, communes, start, end)
    tables = []
    if rows:
        tables.append(
            ReportTable(
                _("Indicators of the area (computed)"),
                [_("Campaign"), _("Indicator"), _("Period"), _("Total"), _("Unit of measure")],
                rows,
                [40, 60, 30, 25, 25],
            )
        )
    figures: dict[str, int | float] = {
        "campaigns.live": len(campaigns),
        "campaigns.approved": sum(s.get("approved", 0) for s in status.values()),
    }
    if done:
        # shown once a report due in the window is approved (the section holds official
        # numbers only; with none approved the paragraphs above already say so)
        shares = [(c, a, d, percent(Decimal(a), Decimal(d))) for c, a, d in completion]
        tables.append(
            ReportTable(
                _("Completion of the communes' reports due in the period (approved)"),
                [_("Commune"), _("Reports approved"), _("Completion (%)")],
                [[c.name, f"{a}/{d}", fmt(p) + " %"] for c, a, d, p in shares],
                [80, 35, 35],
            )
        )
        images.append(
            ReportImage(
                charts.completion_tiles_png(
                    [
                        (c.name, fmt(p) + " %", svgchart.completion_colour(a / d))
                        for c, a, d, p in shares
                    ],
                    _("Completion of the communes' reports (approved)"),
                    [
                        (svgchart.completion_colour(1.0), _("all approved")),
                        (svgchart.completion_colour(0.5), _("half or more")),
                        (svgchart.completion_colour(0.01), _("less than half")),
                        (svgchart.completion_colour(0.0), _("none approved")),
                    ],
                ),
                _("Communes coloured by completion of their reports"),
                150,
            )
        )
        figures["campaigns.completion_percent"] = float(percent(Decimal(done), Decimal(due)) or 0)
    return ReportSection(
        key="campaigns.results",
        order=60,
        heading=_("Campaigns and emulation movements"),
        paragraphs=paragraphs,
        tables=tables,
        figures=figures,
        images=images,
    )


def _line_images(
    office: Any, campaigns: list[Campaign], indicators: list[Indicator], end: datetime.date
) -> list[ReportImage]:
    """Each campaign's main indicator (:func:`_main_indicator`) over the periods of the
    report's year up to the report's period, for the office's unit, approved figures only.
    A campaign with no approved figure that year has no chart. One query."""
    mains = [m for c in campaigns if (m := _main_indicator(indicators, c)) is not None]
    if not mains:
        return []
    series = {m.pk: _year_until(end, m.period_kind) for m in mains}
    codes = sorted({p.code for pers in series.values() for p in pers})
    totals = rollup.unit_totals(mains, codes, office.unit, approved_only=True)
    out = []
    for m in mains:
        values = [
            float(v)
            if (t := totals.get((m.pk, p.code))) and (v := t.value(m.kind)) is not None
            else None
            for p in series[m.pk]
        ]
        if all(v is None for v in values):
            continue
        unit = "%" if m.kind == Indicator.Kind.PERCENT else m.unit_of_measure
        title = f"{m.code}. {m.name}" + (f" ({unit})" if unit else "")
        out.append(
            ReportImage(
                charts.line_png([_tick(p) for p in series[m.pk]], values, title[:80]),
                _("%(i)s in %(u)s, %(y)s, up to %(p)s (approved figures)")
                % {
                    "i": m.name,
                    "u": office.unit.name,
                    "y": end.year,
                    "p": series[m.pk][-1].label(),
                },
                150,
            )
        )
    return out


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
