"""The campaigns API under /api/v1/campaigns/ (same access rules as the pages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from khoi.campaigns import access, rollup, scoring, services
from khoi.campaigns.models import Indicator

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    id: int
    kind: str
    title: str
    start_on: str
    end_on: str | None


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: str
    period_kind: str
    unit_of_measure: str
    min_value: str | None
    max_value: str | None


class CellIn(Schema):
    indicator_id: int
    area_id: int | None = None
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    comment: str = ""


class FiguresIn(Schema):
    cells: list[CellIn]
    submit: bool = False


class Problem(Schema):
    detail: str
    errors: dict[str, str] = {}


def _refused(exc: ValidationError) -> tuple[int, dict[str, Any]]:
    return 422, {"detail": " ".join(str(m) for m in exc.messages), "errors": {}}


@router.get("/", response=list[CampaignOut])
def list_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "kind": c.kind,
            "title": c.title,
            "start_on": c.start_on.isoformat(),
            "end_on": c.end_on.isoformat() if c.end_on else None,
        }
        for c in access.campaigns_for_user(request.user)
    ]


@router.get("/{pk}/indicators", response=list[IndicatorOut])
def list_indicators(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    campaign = access.get_campaign_for_user(request.user, pk)
    return [
        {
            "id": i.pk,
            "code": i.code,
            "name": i.name,
            "kind": i.kind,
            "level": i.level,
            "period_kind": i.period_kind,
            "unit_of_measure": i.unit_of_measure,
            "min_value": None if i.min_value is None else str(i.min_value),
            "max_value": None if i.max_value is None else str(i.max_value),
        }
        for i in campaign.indicators.all()
    ]


@router.get("/{pk}/figures/{commune_id}/{period}")
def get_figures(request: HttpRequest, pk: int, commune_id: int, period: str) -> dict[str, Any]:
    campaign = access.get_campaign_for_user(request.user, pk)
    commune = access.get_commune_for_user(request.user, campaign, commune_id)
    per = services.parse_period(period)
    indicators = services.grid_indicators(campaign, per)
    values = rollup.area_values(indicators, per.code, commune)
    sub = services.get_submission(campaign, commune, per)
    return {
        "status": sub.status if sub else "",
        "figures": [
            {"indicator_id": i, "area_id": a, "value": v.display, "comment": v.comment}
            for (i, a), v in values.items()
        ],
    }


@router.put("/{pk}/figures/{commune_id}/{period}", response={200: dict, 422: Problem})
def put_figures(
    request: HttpRequest, pk: int, commune_id: int, period: str, payload: FiguresIn
) -> Any:
    campaign = access.get_campaign_for_user(request.user, pk)
    commune = access.office_communes(campaign.office).filter(pk=commune_id).first()
    if commune is None:
        return 422, {
            "detail": "Xã/phường này không báo cáo cho cơ quan Khối của cuộc vận động.",
            "errors": {},
        }
    cells = [services.CellInput(**c.dict()) for c in payload.cells]
    try:
        saved = services.do_save_figures(request.user, campaign, commune, period, cells)
        if payload.submit:
            services.do_submit_figures(request.user, campaign, commune, period)
    except services.GridRefused as exc:
        return 422, {"detail": " ".join(exc.messages), "errors": exc.errors}
    except ValidationError as exc:
        return _refused(exc)
    return 200, {"saved": saved}


@router.get("/{pk}/totals/{period}")
def totals(request: HttpRequest, pk: int, period: str) -> dict[str, Any]:
    campaign = access.get_campaign_for_user(request.user, pk)
    if not access.reads_all_figures(request.user, campaign.office):
        from khoi.accounts.access import not_found

        raise not_found()
    per = services.parse_period(period)
    indicators = list(campaign.indicators.filter(period_kind=per.kind))
    t = rollup.unit_totals(indicators, [per.code], campaign.office.unit)
    counts = rollup.completeness_counts(
        campaign, [per.code], access.office_communes(campaign.office)
    )[per.code]
    return {
        "totals": {
            i.code: (str(v) if (v := t[(i.pk, per.code)].value(i.kind)) is not None else None)
            for i in indicators
            if (i.pk, per.code) in t and i.kind != Indicator.Kind.TEXT
        },
        "completeness": counts,
    }


@router.get("/clusters/{pk}/ranking/{year}")
def cluster_ranking(request: HttpRequest, pk: int, year: int) -> dict[str, Any]:
    cluster = access.get_cluster_for_user(request.user, pk)
    result = scoring.compute_ranking(cluster, year)
    if result is None:
        return {"rows": []}
    return {
        "criteria": [
            {"id": c.pk, "name": c.name, "kind": c.kind, "weight": str(c.weight)}
            for c in result.criteria
        ],
        "rows": [
            {
                "rank": r.rank,
                "member": r.name,
                "base": str(r.base),
                "total": str(r.total),
                "parts": {str(k): str(v) for k, v in r.parts.items()},
                "tied_with": r.tied_with,
            }
            for r in result.rows
        ],
    }
