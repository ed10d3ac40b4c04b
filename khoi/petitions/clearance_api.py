"""API for land clearance under ``/api/v1/petitions/``: key projects (counts per stage and
commune, the one timeline), affected households (paged, searchable, names masked as on the
pages), stage changes, visits and dialogues, coordination rules and obligations. The same
access rules as the pages (``clearance_access``); a refusal is a 422 with the Vietnamese
message, a project or household out of reach a 404.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at run
time.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.pagination import paginate

from khoi.accounts.access import not_found
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.org.models import AdminUnit
from khoi.petitions import clearance as services
from khoi.petitions import clearance_access as access
from khoi.petitions.api import router
from khoi.petitions.clearance_providers import household_names
from khoi.petitions.clearance_views import STAGES, filter_households, stage_counts
from khoi.petitions.models import AffectedHousehold, KeyProject
from khoi.registry import timeline


class StageRowOut(Schema):
    unit: str
    counts: dict[str, int]
    total: int


class ProjectOut(Schema):
    id: int
    office_id: int
    name: str
    status: str
    unit_ids: list[int]


class ProjectDetailOut(ProjectOut):
    stages: list[StageRowOut]
    coordination_rule_ids: list[int]


class HouseholdOut(Schema):
    id: int
    project_id: int
    unit_id: int
    unit: str
    head_name: str
    in_register: bool
    register_id: int | None
    area_name: str
    stage: str
    stage_on: datetime.date


class HouseholdIn(Schema):
    unit_id: DbInt
    register_id: DbInt | None = None
    head_name: str = ""
    area_name: str = ""
    on: datetime.date


class StageIn(Schema):
    to_stage: str
    on: datetime.date
    reason: str = ""


class VisitIn(Schema):
    kind: str = "visit"
    held_on: datetime.date
    by_whom: str
    with_whom: str
    outcome: str
    unit_id: DbInt | None = None
    household_id: DbInt | None = None


class VisitOut(Schema):
    id: int
    kind: str
    held_on: datetime.date
    unit_id: int
    household_id: int | None


class TimelineOut(Schema):
    when: datetime.date
    kind: str
    title: str
    detail: str
    url: str


class ObligationOut(Schema):
    id: int
    owner: str
    content: str
    due_on: datetime.date
    status: str
    done_on: datetime.date | None
    overdue: bool


class RulesOut(Schema):
    id: int
    office_id: int
    title: str
    counterpart: str
    signed_on: datetime.date
    project_ids: list[int]
    obligations: list[ObligationOut]


class ObligationIn(Schema):
    owner: str
    content: str
    due_on: datetime.date | None = None


class ObligationStatusIn(Schema):
    status: str
    done_on: datetime.date | None = None


def _project_out(p: KeyProject) -> dict[str, Any]:
    return {
        "id": p.pk,
        "office_id": p.office_id,
        "name": p.name,
        "status": p.status,
        "unit_ids": sorted(u.pk for u in p.units.all()),
    }


def _households_out(
    request: HttpRequest, project: KeyProject, rows: list[AffectedHousehold]
) -> list[dict[str, Any]]:
    names = household_names(request.user, project, rows)
    return [
        {
            "id": h.pk,
            "project_id": h.project_id,
            "unit_id": h.unit_id,
            "unit": h.unit.name,
            "head_name": names.get(h.pk, ""),
            "in_register": bool(h.register_id),
            "register_id": h.register_id,
            "area_name": h.area_name,
            "stage": h.stage,
            "stage_on": h.stage_on,
        }
        for h in rows
    ]


@router.get("petitions/projects", response=list[ProjectOut])
def list_projects(request: HttpRequest) -> Any:
    projects = access.projects_for_user(request.user).prefetch_related("units").order_by("name")
    return [_project_out(p) for p in projects]


@router.get("petitions/projects/{int:project_id}", response=ProjectDetailOut)
def get_project(request: HttpRequest, project_id: DbInt) -> Any:
    project = access.get_project_for_user(request.user, project_id)
    rows, _totals = stage_counts(request.user, project)
    rules: list[int] = []
    if access.reads_whole_project(request.user, project):
        rules = list(
            access.rules_for_user(request.user)
            .filter(projects=project)
            .values_list("pk", flat=True)
        )
    return {
        **_project_out(project),
        "stages": [
            {
                "unit": r["unit"],
                "counts": {s.value: n for s, n in zip(STAGES, r["cells"], strict=True)},
                "total": r["total"],
            }
            for r in rows
        ],
        "coordination_rule_ids": sorted(rules),
    }


@router.get("petitions/projects/{int:project_id}/households", response=list[HouseholdOut])
@paginate(PageNumberPagination, page_size=50)
def list_households(
    request: HttpRequest, project_id: DbInt, q: str = "", unit: str = "", stage: str = ""
) -> Any:
    project = access.get_project_for_user(request.user, project_id)
    qs, _f = filter_households(request.user, project, {"q": q, "unit": unit, "stage": stage})
    return _LazyHouseholds(request, project, qs)


class _LazyHouseholds:
    """The filtered households, turned into output one page at a time (the paginator
    slices it; names are read once per page)."""

    def __init__(self, request: HttpRequest, project: KeyProject, qs: Any) -> None:
        self.request, self.project, self.qs = request, project, qs

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return _households_out(self.request, self.project, list(self.qs[key]))


@router.post(
    "petitions/projects/{int:project_id}/households",
    response={201: HouseholdOut, 422: ErrorOut},
)
def add_household(request: HttpRequest, project_id: DbInt, payload: HouseholdIn) -> Any:
    project = access.get_project_for_user(request.user, project_id)
    unit = AdminUnit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise DjangoValidationError({"unit_id": [_("A unit does not exist.")]})
    household = services.do_add_household(
        request.user, project, unit=unit, register_id=payload.register_id,
        head_name=payload.head_name, area_name=payload.area_name, on=payload.on,
    )  # fmt: skip
    return Status(201, _households_out(request, project, [household])[0])


def _household(request: HttpRequest, project: KeyProject, household_id: int) -> AffectedHousehold:
    household = (
        access.households_for_user(request.user, project)
        .select_related("unit", "project")
        .filter(pk=household_id)
        .first()
    )
    if household is None:
        raise not_found()
    return household


@router.post(
    "petitions/projects/{int:project_id}/households/{int:household_id}/stages",
    response={200: HouseholdOut, 422: ErrorOut},
)
def change_stage(
    request: HttpRequest, project_id: DbInt, household_id: DbInt, payload: StageIn
) -> Any:
    project = access.get_project_for_user(request.user, project_id)
    household = _household(request, project, household_id)
    services.do_change_stage(
        request.user, household, to_stage=payload.to_stage, on=payload.on, reason=payload.reason
    )
    return _households_out(request, project, [household])[0]


@router.post("petitions/projects/{int:project_id}/visits", response={201: VisitOut, 422: ErrorOut})
def record_visit(request: HttpRequest, project_id: DbInt, payload: VisitIn) -> Any:
    project = access.get_project_for_user(request.user, project_id)
    household = _household(request, project, payload.household_id) if payload.household_id else None
    unit = AdminUnit.objects.filter(pk=payload.unit_id).first() if payload.unit_id else None
    visit = services.do_record_visit(
        request.user, project, kind=payload.kind, held_on=payload.held_on,
        by_whom=payload.by_whom, with_whom=payload.with_whom, outcome=payload.outcome,
        unit=unit, household=household,
    )  # fmt: skip
    return Status(
        201,
        {
            "id": visit.pk,
            "kind": visit.kind,
            "held_on": visit.held_on,
            "unit_id": visit.unit_id,
            "household_id": visit.household_id,
        },
    )


@router.get("petitions/projects/{int:project_id}/timeline", response=list[TimelineOut])
def project_timeline(request: HttpRequest, project_id: DbInt) -> Any:
    project = access.get_project_for_user(request.user, project_id)
    return [
        {"when": e.when, "kind": e.kind, "title": e.title, "detail": e.detail, "url": e.url}
        for e in timeline(request.user, project)
    ]


def _rules_out(rules: Any) -> dict[str, Any]:
    from khoi import clock

    today = clock.today()
    return {
        "id": rules.pk,
        "office_id": rules.office_id,
        "title": rules.title,
        "counterpart": rules.counterpart,
        "signed_on": rules.signed_on,
        "project_ids": sorted(p.pk for p in rules.projects.all()),
        "obligations": [
            {
                "id": ob.pk,
                "owner": ob.owner,
                "content": ob.content,
                "due_on": ob.due_on,
                "status": ob.status,
                "done_on": ob.done_on,
                "overdue": ob.is_overdue(today),
            }
            for ob in rules.obligations.order_by("due_on", "id")
        ],
    }


@router.get("petitions/coordination-rules", response=list[RulesOut])
def list_rules(request: HttpRequest) -> Any:
    rules = (
        access.rules_for_user(request.user)
        .prefetch_related("projects", "obligations")
        .order_by("-signed_on", "-id")
    )
    return [_rules_out(r) for r in rules]


@router.get("petitions/coordination-rules/{int:rules_id}", response=RulesOut)
def get_rules(request: HttpRequest, rules_id: DbInt) -> Any:
    return _rules_out(access.get_rules_for_user(request.user, rules_id))


@router.post(
    "petitions/coordination-rules/{int:rules_id}/obligations",
    response={201: RulesOut, 422: ErrorOut},
)
def add_obligation(request: HttpRequest, rules_id: DbInt, payload: ObligationIn) -> Any:
    rules = access.get_rules_for_user(request.user, rules_id)
    services.do_add_obligation(
        request.user, rules, owner=payload.owner, content=payload.content, due_on=payload.due_on
    )
    return Status(201, _rules_out(rules))


@router.post(
    "petitions/obligations/{int:obligation_id}/status", response={200: RulesOut, 422: ErrorOut}
)
def set_obligation_status(
    request: HttpRequest, obligation_id: DbInt, payload: ObligationStatusIn
) -> Any:
    ob = access.get_obligation_for_user(request.user, obligation_id)
    services.do_set_obligation_status(
        request.user, ob, status=payload.status, done_on=payload.done_on
    )
    return _rules_out(ob.rules)
