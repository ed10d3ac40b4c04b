"""The campaigns API under /api/v1/campaigns/ (same access rules as the pages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from khoi.accounts.access import not_found
from khoi.campaigns import access, rollup, scoring, services
from khoi.campaigns.models import Indicator
from khoi.lib.vntext import collation_key

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


class ReasonIn(Schema):
    reason: str = ""


def _refused(exc: ValidationError) -> Status:
    return Status(422, {"detail": " ".join(str(m) for m in exc.messages), "errors": {}})


def _period(text: str) -> Any:
    try:
        return services.parse_period(text)
    except ValidationError as exc:
        raise HttpError(422, " ".join(str(m) for m in exc.messages)) from None


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
    per = _period(period)
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
        detail = _("This commune does not report to this campaign's office.")
        return Status(422, {"detail": detail, "errors": {}})
    cells = [services.CellInput(**c.dict()) for c in payload.cells]
    try:
        saved = services.do_save_figures(request.user, campaign, commune, period, cells)
        if payload.submit:
            services.do_submit_figures(request.user, campaign, commune, period)
    except services.GridRefused as exc:
        return Status(422, {"detail": " ".join(exc.messages), "errors": exc.errors})
    except ValidationError as exc:
        return _refused(exc)
    return Status(200, {"saved": saved})


@router.get("/{pk}/totals/{period}")
def totals(request: HttpRequest, pk: int, period: str) -> dict[str, Any]:
    campaign = access.get_campaign_for_user(request.user, pk)
    if not access.reads_all_figures(request.user, campaign.office):
        raise not_found()
    per = _period(period)
    indicators = list(campaign.indicators.filter(period_kind=per.kind))
    t = rollup.unit_totals(
        indicators, [per.code], campaign.office.unit, approved_only=True, campaign=campaign
    )
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


def _decide(request: HttpRequest, sub_pk: int, action: str, reason: str) -> Status:
    sub = access.get_submission_for_user(request.user, sub_pk)
    try:
        if action == "approve":
            services.do_approve_figures(request.user, sub)
        elif action == "return":
            services.do_return_figures(request.user, sub, reason)
        else:
            services.do_reopen_figures(request.user, sub, reason)
    except ValidationError as exc:
        return _refused(exc)
    sub.refresh_from_db()
    return Status(200, {"id": sub.pk, "status": sub.status, "reason": sub.reason})


@router.post("/submissions/{sub_pk}/approve", response={200: dict, 422: Problem})
def approve(request: HttpRequest, sub_pk: int) -> Status:
    return _decide(request, sub_pk, "approve", "")


@router.post("/submissions/{sub_pk}/return", response={200: dict, 422: Problem})
def return_figures(request: HttpRequest, sub_pk: int, payload: ReasonIn) -> Status:
    return _decide(request, sub_pk, "return", payload.reason)


@router.post("/submissions/{sub_pk}/reopen", response={200: dict, 422: Problem})
def reopen(request: HttpRequest, sub_pk: int, payload: ReasonIn) -> Status:
    return _decide(request, sub_pk, "reopen", payload.reason)


@router.get("/{pk}/completeness/{period}")
def completeness(request: HttpRequest, pk: int, period: str) -> dict[str, Any]:
    """Every commune of the office with the state of its figures for the period."""
    campaign = access.get_campaign_for_user(request.user, pk)
    if not access.reads_all_figures(request.user, campaign.office):
        raise not_found()
    per = _period(period)
    communes = access.office_communes(campaign.office).order_by("name")
    status = rollup.completeness(campaign, [per.code], communes)
    rows = sorted(communes.values_list("pk", "name"), key=lambda r: collation_key(r[1]))
    return {
        "period": per.code,
        "communes": [
            {"id": pk_, "name": name, "status": status.get((pk_, per.code), "")}
            for pk_, name in rows
        ],
    }
