"""The ranking of a cluster for a year, computed from its scoring table (fixed queries).

Fractions of weighted criteria: from an indicator, the member's yearly figure over its
target for the year (capped at 1), or, without a target, over the best member's figure;
from activities (clusters of organizations), the member's credited activities (own plus
joint work it led or co-organized, via ``khoi.registry.activity_credits``) over the best
member's; by hand, the points given over the weight. Bonus and penalty points are given
by hand (or from an indicator: the figure itself, capped at the criterion's weight).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from khoi import registry
from khoi.campaigns.models import (
    Cluster,
    ClusterMember,
    Criterion,
    ManualScore,
    ScoringTable,
    Submission,
    Target,
    Value,
)
from khoi.lib import ranking
from khoi.lib.vntext import name_collation_key


@dataclass
class Ranking:
    table: ScoringTable
    criteria: list[Criterion]
    rows: list[ranking.Row]
    notes: dict[tuple[int, int], str]


def _indicator_figures(
    criteria: list[Criterion], members: list[ClusterMember], year: int
) -> dict[tuple[int, int], Decimal]:
    """``{(indicator, unit): yearly figure}`` from approved figures only (a draft or a returned
    report does not count). The areas of a period are summed (percentages: Σnum/Σden×100,
    yes/no: any "yes"); the periods of the year are then combined by the indicator's rule
    (sum, last value, average, largest; see ``yearly_figure``). One query."""
    indicators = {c.indicator_id for c in criteria if c.indicator_id}
    units = [m.unit_id for m in members if m.unit_id]
    if not indicators or not units:
        return {}
    rows = (
        Value.objects.filter(indicator__in=indicators, commune__in=units, year=year)
        .filter(approved_q())
        .values("indicator_id", "commune_id", "period", "indicator__kind", "indicator__aggregation")
        .annotate(
            n=Sum("number"),
            a=Sum("numerator"),
            b=Sum("denominator"),
            y=Count("pk", filter=Q(flag=True)),
            f=Count("pk", filter=Q(flag__isnull=False)),
        )
        .order_by()
    )
    parts: dict[tuple[int, int], list[tuple[str, PeriodFigure]]] = {}
    rules: dict[int, tuple[str, str]] = {}
    for r in rows:
        rules[r["indicator_id"]] = (r["indicator__kind"], r["indicator__aggregation"])
        figure = PeriodFigure(_dec(r["n"]), _dec(r["a"]), _dec(r["b"]), int(r["y"]), int(r["f"]))
        parts.setdefault((r["indicator_id"], r["commune_id"]), []).append((r["period"], figure))
    out: dict[tuple[int, int], Decimal] = {}
    for key, periods in parts.items():
        kind, rule = rules[key[0]]
        out[key] = yearly_figure(kind, rule, [f for _p, f in sorted(periods, key=lambda x: x[0])])
    return out


@dataclass
class PeriodFigure:
    """One unit's figure of one period (its areas already summed)."""

    number: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    yes: int = 0
    answers: int = 0

    def value(self, kind: str) -> Decimal:
        if kind == "percent":
            if not self.denominator:
                return Decimal(0)
            return (self.numerator or Decimal(0)) * 100 / self.denominator
        if kind == "yesno":
            return Decimal(1) if self.yes else Decimal(0)
        return self.number or Decimal(0)


def yearly_figure(kind: str, rule: str, periods: list[PeriodFigure]) -> Decimal:
    """The yearly figure of one unit from its periods (in order) by the indicator's rule:
    ``sum`` (percentages: Σnum/Σden×100 over the year; yes/no: any "yes"), ``last`` (the
    last period reported), ``average`` (of the periods' values), ``max``."""
    if not periods:
        return Decimal(0)
    if rule == "last":
        return periods[-1].value(kind)
    if rule == "average":
        values = [p.value(kind) for p in periods]
        return sum(values, Decimal(0)) / len(values)
    if rule == "max":
        return max(p.value(kind) for p in periods)
    total = PeriodFigure(
        sum((p.number or Decimal(0) for p in periods), Decimal(0)),
        sum((p.numerator or Decimal(0) for p in periods), Decimal(0)),
        sum((p.denominator or Decimal(0) for p in periods), Decimal(0)),
        sum(p.yes for p in periods),
        sum(p.answers for p in periods),
    )
    return total.value(kind)


def _dec(v: object) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def approved_q() -> Exists:
    """Figures whose commune's report of the period was approved by the office."""
    return Exists(
        Submission.objects.filter(
            campaign=OuterRef("indicator__campaign"),
            commune=OuterRef("commune"),
            period=OuterRef("period"),
            status=Submission.Status.APPROVED,
        )
    )


def compute_ranking(cluster: Cluster, year: int) -> Ranking | None:
    table = ScoringTable.objects.filter(cluster=cluster, year=year).first()
    if table is None:
        return None
    criteria = list(table.criteria.select_related("indicator").order_by("order", "pk"))
    members = list(cluster.members.select_related("unit", "organization").order_by("name", "pk"))
    raw: dict[tuple[int, int], Decimal] = {}
    notes: dict[tuple[int, int], str] = {}
    figures = _indicator_figures(criteria, members, year)
    targets = {
        (t.indicator_id, t.commune_id): t.value
        for t in Target.objects.filter(
            indicator__in=[c.indicator_id for c in criteria if c.indicator_id],
            commune__in=[m.unit_id for m in members if m.unit_id],
            year=year,
            area__isnull=True,
        )
    }
    credits: dict[int, dict[str, int]] = {}
    if any(c.source == Criterion.Source.ACTIVITIES for c in criteria):
        org_ids = [m.organization_id for m in members if m.organization_id]
        credits = registry.activity_credits(
            cluster.office, org_ids, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        )
    by_pk = {c.pk: c for c in criteria}
    scores = ManualScore.objects.filter(criterion__table=table).values_list(
        "member_id", "criterion_id", "points", "note"
    )
    for member_id, criterion_id, points, note in scores:
        criterion = by_pk[criterion_id]
        raw[(member_id, criterion_id)] = (
            points / criterion.weight
            if criterion.kind == Criterion.Kind.WEIGHTED and criterion.weight
            else points
        )
        notes[(member_id, criterion_id)] = note
    for c in criteria:
        if c.source == Criterion.Source.INDICATOR and c.indicator_id:
            values = {
                m.pk: figures.get((c.indicator_id, m.unit_id or 0), Decimal(0)) for m in members
            }
            best = max(values.values(), default=Decimal(0))
            for m in members:
                v = values[m.pk]
                target = targets.get((c.indicator_id, m.unit_id or 0))
                if c.kind != Criterion.Kind.WEIGHTED:
                    raw[(m.pk, c.pk)] = v
                    notes[(m.pk, c.pk)] = f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",")
                elif target:
                    raw[(m.pk, c.pk)] = min(v / target, Decimal(1))
                    notes[(m.pk, c.pk)] = _("%(v)s / target %(t)s") % {
                        "v": _vn(v),
                        "t": _vn(target),
                    }
                else:
                    raw[(m.pk, c.pk)] = v / best if best else Decimal(0)
                    notes[(m.pk, c.pk)] = _("%(v)s / best %(b)s") % {"v": _vn(v), "b": _vn(best)}
        elif c.source == Criterion.Source.ACTIVITIES:
            counts = {m.pk: sum(credits.get(m.organization_id or 0, {}).values()) for m in members}
            most = max(counts.values(), default=0)
            for m in members:
                own = credits.get(m.organization_id or 0, {})
                raw[(m.pk, c.pk)] = Decimal(counts[m.pk]) / most if most else Decimal(0)
                notes[(m.pk, c.pk)] = _("%(own)s own activities + %(joint)s joint") % {
                    "own": own.get("own", 0),
                    "joint": own.get("joint", 0),
                }
    specs = [ranking.CriterionSpec(c.pk, c.name, c.kind, c.weight) for c in criteria]
    rows = ranking.rank(
        [(m.pk, m.name, name_collation_key(m.name)) for m in members], specs, table.base_points, raw
    )
    return Ranking(table, criteria, rows, notes)


def _vn(d: Decimal) -> str:
    return f"{d:.2f}".rstrip("0").rstrip(".").replace(".", ",")
