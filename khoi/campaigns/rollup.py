"""Figures read and rolled up: residential area → commune → town (district) → province.

Nothing here is stored: every total is computed from the figures typed once, by the unit
that reports the indicator. Each function runs a fixed number of aggregate queries,
whatever the number of communes, areas or indicators.

Roll-up rules per kind: number → sum; percentage → sum of numerators over sum of
denominators; yes/no → number of "yes" among the answers; text → not rolled up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from khoi.campaigns.models import Campaign, Indicator, Submission, Value
from khoi.lib.figures import percent
from khoi.org.models import AdminUnit


@dataclass
class Total:
    number: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    yes: int = 0
    answers: int = 0

    def value(self, kind: str) -> Decimal | None:
        """The one figure shown for the total (a percentage for percentages)."""
        if kind == Indicator.Kind.PERCENT:
            return percent(self.numerator, self.denominator)
        if kind == Indicator.Kind.YESNO:
            return Decimal(self.yes) if self.answers else None
        return self.number


AGGREGATES = {
    "s_number": Sum("number"),
    "s_num": Sum("numerator"),
    "s_den": Sum("denominator"),
    "n_yes": Count("pk", filter=Q(flag=True)),
    "n_ans": Count("pk", filter=Q(flag__isnull=False)),
}


def _total(row: Any) -> Total:
    def dec(v: Any) -> Decimal | None:
        return None if v is None else Decimal(v)

    return Total(
        dec(row["s_number"]), dec(row["s_num"]), dec(row["s_den"]), row["n_yes"], row["n_ans"]
    )


def commune_totals(
    indicators: Iterable[Indicator],
    periods: Iterable[str],
    communes: QuerySet[AdminUnit] | None = None,
) -> dict[tuple[int, int, str], Total]:
    """``{(indicator, commune, period): Total}``: area figures summed per commune. One query."""
    qs = Value.objects.filter(indicator__in=[i.pk for i in indicators], period__in=list(periods))
    if communes is not None:
        qs = qs.filter(commune__in=communes)
    rows = qs.values("indicator_id", "commune_id", "period").annotate(**AGGREGATES).order_by()
    return {(r["indicator_id"], r["commune_id"], r["period"]): _total(r) for r in rows}


def area_values(
    indicators: Iterable[Indicator], period: str, commune: AdminUnit
) -> dict[tuple[int, int | None], Value]:
    qs = Value.objects.filter(
        indicator__in=[i.pk for i in indicators], period=period, commune=commune
    )
    return {(v.indicator_id, v.area_id): v for v in qs}


def unit_totals(
    indicators: Iterable[Indicator],
    periods: Iterable[str],
    within: AdminUnit | None,
    *,
    approved_only: bool = False,
    campaign: Campaign | None = None,
) -> dict[tuple[int, str], Total]:
    """``{(indicator, period): Total}`` over every commune under ``within`` (a district or a
    province; None = the whole country). One query."""
    qs = Value.objects.filter(indicator__in=[i.pk for i in indicators], period__in=list(periods))
    if within is not None:
        if within.level == AdminUnit.Level.PROVINCE:
            qs = qs.filter(commune__province=within)
        elif within.level == AdminUnit.Level.DISTRICT:
            qs = qs.filter(commune__district=within)
        else:
            qs = qs.filter(commune=within)
    if approved_only:
        # without ``campaign``: each figure's own campaign (indicators of several campaigns)
        qs = qs.filter(
            Exists(
                Submission.objects.filter(
                    campaign=campaign if campaign is not None else OuterRef("indicator__campaign"),
                    commune=OuterRef("commune"),
                    period=OuterRef("period"),
                    status=Submission.Status.APPROVED,
                )
            )
        )
    rows = qs.values("indicator_id", "period").annotate(**AGGREGATES).order_by()
    return {(r["indicator_id"], r["period"]): _total(r) for r in rows}


def completeness(
    campaign: Campaign, periods: Iterable[str], communes: QuerySet[AdminUnit]
) -> dict[tuple[int, str], str]:
    """``{(commune, period): status}`` (missing = not started). One query."""
    rows = Submission.objects.filter(
        campaign=campaign, period__in=list(periods), commune__in=communes
    ).values_list("commune_id", "period", "status")
    return {(c, p): s for c, p, s in rows}


def completeness_counts(
    campaign: Campaign, periods: Iterable[str], communes: QuerySet[AdminUnit]
) -> dict[str, dict[str, int]]:
    """``{period: {status: count}}`` plus ``expected`` communes. Two queries."""
    expected = communes.count()
    out: dict[str, dict[str, int]] = {
        p: {"expected": expected, **dict.fromkeys(Submission.Status.values, 0)} for p in periods
    }
    rows = (
        Submission.objects.filter(campaign=campaign, period__in=list(out), commune__in=communes)
        .values("period", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        out[r["period"]][r["status"]] = r["n"]
    return out


def totals_by_province(
    indicators: Iterable[Indicator], periods: Iterable[str]
) -> dict[tuple[int | None, int, str], Total]:
    """``{(province, indicator, period): Total}`` for every province at once. One query."""
    rows = (
        Value.objects.filter(indicator__in=[i.pk for i in indicators], period__in=list(periods))
        .values("commune__province_id", "indicator_id", "period")
        .annotate(**AGGREGATES)
        .order_by()
    )
    return {(r["commune__province_id"], r["indicator_id"], r["period"]): _total(r) for r in rows}


def sum_values(values: Iterable[Value]) -> Total:
    """The same roll-up as the aggregate queries, over figures already loaded."""
    total = Total()
    for v in values:
        if v.number is not None:
            total.number = (total.number or Decimal(0)) + v.number
        if v.numerator is not None and v.denominator is not None:
            total.numerator = (total.numerator or Decimal(0)) + v.numerator
            total.denominator = (total.denominator or Decimal(0)) + v.denominator
        if v.flag is not None:
            total.answers += 1
            total.yes += int(v.flag)
    return total
