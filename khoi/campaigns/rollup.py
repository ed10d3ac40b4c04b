"""Figures read and rolled up: residential area → commune → town (district) → province.

Every total is computed from the figures typed once, by the unit that reports the
indicator. Each function runs a fixed number of aggregate queries, whatever the number of
communes, areas or indicators.

The official numbers are the **approved** figures: a figure counts once the office approves
its (campaign, commune, period) submission, and stops counting when it is reopened. One
level of the official numbers is kept as well as computed: ``ProvinceTotal`` holds the same
aggregates per (province, indicator, period) over the approved figures only, written by
:func:`refresh_submission_totals` in the transaction of every change of a submission into
or out of "approved" (the province locked, so two approvals in one province at once cannot
lose each other's figures; a save never changes it, since approved figures cannot be saved)
and rebuilt whole by :func:`rebuild_province_totals` after bulk loads. The national and
provincial approved totals read it (a few thousand rows instead of every figure of the
country); :func:`province_totals_drift` compares it with the approved figures.

Roll-up rules per kind: number → sum; percentage → sum of numerators over sum of
denominators; yes/no → number of "yes" among the answers; text → not rolled up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from khoi.campaigns.models import Campaign, Indicator, ProvinceTotal, Submission, Value
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


def approved_figures(campaign: Campaign | None = None) -> Exists:
    """The condition on ``Value`` that its (campaign, commune, period) submission is
    approved; without ``campaign``, each figure's own campaign (the indicator's)."""
    return Exists(
        Submission.objects.filter(
            campaign=campaign if campaign is not None else OuterRef("indicator__campaign"),
            commune=OuterRef("commune"),
            period=OuterRef("period"),
            status=Submission.Status.APPROVED,
        )
    )


def unit_totals(
    indicators: Iterable[Indicator],
    periods: Iterable[str],
    within: AdminUnit | None,
    *,
    approved_only: bool = False,
    campaign: Campaign | None = None,
) -> dict[tuple[int, str], Total]:
    """``{(indicator, period): Total}`` over every commune under ``within`` (a district or a
    province; None = the whole country). One query.

    ``approved_only`` (the official numbers): the approved figures only, each of its
    indicator's campaign (or of ``campaign``); for the country and a province read from the
    kept ``ProvinceTotal`` (when ``campaign`` is None or owns every indicator), computed
    from the figures otherwise. Without it: every figure, whatever its submission's state,
    always computed from the figures (the kept table holds approved figures only)."""
    indicators = list(indicators)
    ids, codes = [i.pk for i in indicators], list(periods)
    own = campaign is None or all(i.campaign_id == campaign.pk for i in indicators)
    if approved_only and own and (within is None or within.level == AdminUnit.Level.PROVINCE):
        kept = ProvinceTotal.objects.filter(indicator__in=ids, period__in=codes)
        if within is not None:
            kept = kept.filter(province=within)
        sums = kept.values("indicator_id", "period").annotate(**KEPT_SUMS).order_by()
        return {(r["indicator_id"], r["period"]): _kept_total(r) for r in sums}
    qs = Value.objects.filter(indicator__in=ids, period__in=codes)
    if within is not None:
        if within.level == AdminUnit.Level.PROVINCE:
            qs = qs.filter(commune__province=within)
        elif within.level == AdminUnit.Level.DISTRICT:
            qs = qs.filter(commune__district=within)
        else:
            qs = qs.filter(commune=within)
    if approved_only:
        # without ``campaign``: each figure's own campaign (indicators of several campaigns)
        qs = qs.filter(approved_figures(campaign))
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
    """``{(province, indicator, period): Total}`` of the approved figures for every province
    at once, from ``ProvinceTotal``. One query."""
    rows = ProvinceTotal.objects.filter(
        indicator__in=[i.pk for i in indicators], period__in=list(periods)
    ).values_list("province_id", "indicator_id", "period", *AGGREGATES)
    return {(r[0], r[1], r[2]): Total(*r[3:]) for r in rows}


def computed_totals_by_province(
    indicators: Iterable[Indicator] | None, periods: Iterable[str] | None
) -> dict[tuple[int | None, int, str], Total]:
    """The same as :func:`totals_by_province`, computed from the approved figures (every
    indicator and period when None). One query over the figures: what the kept table must
    equal."""
    qs = Value.objects.filter(approved_figures())
    if indicators is not None:
        qs = qs.filter(indicator__in=[i.pk for i in indicators])
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    rows = (
        qs.values("commune__province_id", "indicator_id", "period")
        .annotate(**AGGREGATES)
        .order_by()
    )
    return {(r["commune__province_id"], r["indicator_id"], r["period"]): _total(r) for r in rows}


# The kept table's columns are named like the aggregates; summing them sums the figures.
KEPT_SUMS = {f"k_{name}": Sum(name) for name in AGGREGATES}


def _kept_total(row: Any) -> Total:
    return _total({name: row[f"k_{name}"] for name in AGGREGATES})


def _kept_row(province_id: int | None, indicator_id: int, period: str, t: Total) -> ProvinceTotal:
    return ProvinceTotal(
        province_id=province_id, indicator_id=indicator_id, period=period,
        s_number=t.number, s_num=t.numerator, s_den=t.denominator, n_yes=t.yes, n_ans=t.answers,
    )  # fmt: skip


def refresh_province_totals(
    commune: AdminUnit, indicator_ids: Iterable[int], period_codes: Iterable[str]
) -> None:
    """Recompute the kept totals of ``commune``'s province for these indicators and periods
    from the approved figures, inside the caller's transaction (the one that changed a
    submission's state into or out of "approved").

    The province row is locked first (``FOR NO KEY UPDATE``: rows referring to the province
    are not held up), so a second approval (or reopening) in the province at the same time
    waits and then reads this one's committed state. Three queries and a lock."""
    ids, codes = sorted(set(indicator_ids)), sorted(set(period_codes))
    if not ids or not codes:
        return
    province_id = commune.province_id
    with transaction.atomic():
        if province_id is not None:
            list(
                AdminUnit.objects.select_for_update(no_key=True)
                .filter(pk=province_id)
                .values_list("pk", flat=True)
            )
            where = Q(commune__province_id=province_id)
        else:  # a unit with no province above it: lock its indicators instead
            list(
                Indicator.objects.select_for_update(no_key=True)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
            where = Q(commune__province__isnull=True)
        rows = (
            Value.objects.filter(where, approved_figures(), indicator_id__in=ids, period__in=codes)
            .values("indicator_id", "period")
            .annotate(**AGGREGATES)
            .order_by()
        )
        fresh = [_kept_row(province_id, r["indicator_id"], r["period"], _total(r)) for r in rows]
        ProvinceTotal.objects.filter(
            province_id=province_id, indicator_id__in=ids, period__in=codes
        ).delete()
        ProvinceTotal.objects.bulk_create(fresh)


def refresh_submission_totals(sub: Submission) -> None:
    """Recompute the kept totals that ``sub``'s figures count in (every indicator of its
    campaign, its period, its commune's province), inside the transaction that moved it into
    or out of "approved". Five queries and a lock (six when ``sub.commune`` is not loaded)."""
    ids = Indicator.objects.filter(campaign_id=sub.campaign_id).values_list("pk", flat=True)
    refresh_province_totals(sub.commune, list(ids), [sub.period])


_REBUILD_SQL = """
INSERT INTO {kept} (province_id, indicator_id, period, s_number, s_num, s_den, n_yes, n_ans)
SELECT u.province_id, v.indicator_id, v.period, SUM(v.number), SUM(v.numerator),
       SUM(v.denominator), COUNT(CASE WHEN v.flag THEN 1 END), COUNT(v.flag)
FROM {value} v JOIN {unit} u ON u.id = v.commune_id
JOIN {indicator} i ON i.id = v.indicator_id
JOIN {submission} s ON s.campaign_id = i.campaign_id AND s.commune_id = v.commune_id
     AND s.period = v.period AND s.status = %s
{where}
GROUP BY u.province_id, v.indicator_id, v.period
"""


def rebuild_province_totals(campaign: Campaign | None = None) -> int:
    """Rebuild the kept totals from the approved figures (one campaign, or all): after bulk
    loads (demo, generated data) or a change of the units' provinces. One ``INSERT …
    SELECT`` (the figures joined to their approved submission, one at most by its
    uniqueness) with the aggregates of :data:`AGGREGATES` (the drift check compares them
    with the ORM's own). Returns the rows written."""
    stale = ProvinceTotal.objects.all()
    where = ""
    params: list[Any] = [Submission.Status.APPROVED.value]
    if campaign is not None:
        stale = stale.filter(indicator__campaign=campaign)
        where = "WHERE i.campaign_id = %s"
        params.append(campaign.pk)
    sql = _REBUILD_SQL.format(
        kept=ProvinceTotal._meta.db_table,
        value=Value._meta.db_table,
        unit=AdminUnit._meta.db_table,
        indicator=Indicator._meta.db_table,
        submission=Submission._meta.db_table,
        where=where,
    )
    db = router.db_for_write(ProvinceTotal)
    with transaction.atomic(using=db):
        stale.delete()
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount


def province_totals_drift() -> list[tuple[int | None, int, str]]:
    """The (province, indicator, period) whose kept total differs from the approved
    figures' (empty when in step). Two queries over everything: for checks, not for pages."""
    kept = {
        (r.province_id, r.indicator_id, r.period): Total(
            r.s_number, r.s_num, r.s_den, r.n_yes, r.n_ans
        )
        for r in ProvinceTotal.objects.all()
    }
    computed = computed_totals_by_province(None, None)
    return sorted(
        (k for k in kept.keys() | computed.keys() if kept.get(k) != computed.get(k)),
        key=lambda k: (k[0] or 0, k[1], k[2]),
    )


def rebuild_shard_totals(province_id: int | None) -> int:
    """Rebuild the kept totals of one province (``None``: of the communes in no province)
    from the approved figures, in one transaction: the task per province of
    ``enqueue_batch campaign_totals --rebuild`` (run again, the same rows). Returns the rows
    written."""
    stale = ProvinceTotal.objects.filter(province_id=province_id)
    if province_id is None:
        where = "WHERE u.province_id IS NULL"
        params: list[Any] = [Submission.Status.APPROVED.value]
    else:
        where = "WHERE u.province_id = %s"
        params = [Submission.Status.APPROVED.value, province_id]
    sql = _REBUILD_SQL.format(
        kept=ProvinceTotal._meta.db_table,
        value=Value._meta.db_table,
        unit=AdminUnit._meta.db_table,
        indicator=Indicator._meta.db_table,
        submission=Submission._meta.db_table,
        where=where,
    )
    db = router.db_for_write(ProvinceTotal)
    with transaction.atomic(using=db):
        if province_id is not None:  # a second rebuild of the province waits for this one
            list(
                AdminUnit.objects.select_for_update(no_key=True)
                .filter(pk=province_id)
                .values_list("pk", flat=True)
            )
        stale.delete()
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount


def shard_totals_drift(province_id: int | None) -> list[tuple[int | None, int, str]]:
    """:func:`province_totals_drift` for one province (``None``: the communes in no
    province): the check of the task per province."""
    kept = {
        (r.province_id, r.indicator_id, r.period): Total(
            r.s_number, r.s_num, r.s_den, r.n_yes, r.n_ans
        )
        for r in ProvinceTotal.objects.filter(province_id=province_id)
    }
    rows = (
        Value.objects.filter(approved_figures(), commune__province_id=province_id)
        .values("commune__province_id", "indicator_id", "period")
        .annotate(**AGGREGATES)
        .order_by()
    )
    computed = {
        (r["commune__province_id"], r["indicator_id"], r["period"]): _total(r) for r in rows
    }
    return sorted(
        (k for k in kept.keys() | computed.keys() if kept.get(k) != computed.get(k)),
        key=lambda k: (k[0] or 0, k[1], k[2]),
    )


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
