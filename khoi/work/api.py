"""API for programmes, plans, activities, overlap suggestions, joint work and tasks.

No ``from __future__ import annotations`` here: django-ninja reads the annotations of
query parameters at run time (dates would stay unresolved strings).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khoi import clock
from khoi.accounts.access import not_found
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.lib.vntext import fold
from khoi.org.models import (
    AdminUnit,
    JointOffice,
    Organization,
    Person,
    ResidentialArea,
    SubCommittee,
)
from khoi.work import access, services
from khoi.work import overlap as overlaps
from khoi.work.models import Activity, JointActivity, JointAddition, Kind, Task

router = Router(tags=["work"])


class ProgrammeOut(Schema):
    id: int
    office_id: int
    organization_id: int | None
    year: int
    title: str
    status: str


class PlanOut(Schema):
    id: int
    office_id: int
    organization_id: int | None
    subcommittee_id: int | None
    number: str
    title: str
    directive: str
    start_on: datetime.date
    end_on: datetime.date
    status: str


class ActivityOut(Schema):
    id: int
    office_id: int
    plan_id: int | None
    organization_id: int
    participant_ids: list[int]
    kind: str
    title: str
    description: str
    origin: str
    target_unit_ids: list[int]
    target_area_ids: list[int]
    start_on: datetime.date
    end_on: datetime.date
    expected_participants: int | None
    budget: int | None
    status: str
    joint_id: int | None
    key_project_id: int | None


class ActivityIn(Schema):
    office: str
    organization_id: DbInt
    kind: str
    title: str
    start_on: datetime.date
    end_on: datetime.date
    description: str = ""
    origin: str = Activity.Origin.LOCAL
    target_unit_ids: list[DbInt] = Field(default_factory=list)
    target_area_ids: list[DbInt] = Field(default_factory=list)
    participant_ids: list[DbInt] = Field(default_factory=list)
    plan_id: DbInt | None = None
    expected_participants: DbInt | None = None
    budget: DbInt | None = None
    status: str = Activity.Status.PLANNED
    key_project_id: DbInt | None = None


class SuggestionOut(Schema):
    activity_id: int
    organization_id: int
    title: str
    score: float
    percent: int  # the certainty as the pages show it
    reasons: str
    shared_units: list[str]
    matched_words: list[str]


class JointAddIn(Schema):
    activity_ids: list[int]


class JointAdditionOut(Schema):
    id: int
    joint_id: int
    activity_id: int
    status: str


class JointOut(Schema):
    id: int
    office_id: int
    title: str
    kind: str
    lead_id: int
    co_organizer_ids: list[int]
    activity_ids: list[int]
    start_on: datetime.date
    end_on: datetime.date
    status: str


class MergeIn(Schema):
    activity_ids: list[DbInt]
    title: str
    lead_id: DbInt
    start_on: datetime.date
    end_on: datetime.date
    description: str = ""


class TaskOut(Schema):
    id: int
    office_id: int
    title: str
    activity_id: int | None
    joint_id: int | None
    assignee_id: int | None
    assignee_subcommittee_id: int | None
    due_on: datetime.date
    priority: int
    status: str
    blocked_reason: str
    result_note: str


class TaskIn(Schema):
    office: str
    title: str
    due_on: datetime.date
    assignee_id: DbInt | None = None
    assignee_subcommittee_id: DbInt | None = None
    activity_id: DbInt | None = None
    joint_id: DbInt | None = None
    description: str = ""
    priority: DbInt = Task.Priority.NORMAL


class TaskUpdateIn(Schema):
    note: str = ""
    status: str | None = None


def _activity_out(a: Activity) -> dict[str, Any]:
    return {
        **{
            f: getattr(a, f)
            for f in (
                "id",
                "office_id",
                "plan_id",
                "organization_id",
                "kind",
                "title",
                "description",
                "origin",
                "start_on",
                "end_on",
                "expected_participants",
                "budget",
                "status",
                "joint_id",
                "key_project_id",
            )
        },
        "participant_ids": [o.pk for o in a.participants.all()],
        "target_unit_ids": [u.pk for u in a.target_units.all()],
        "target_area_ids": [r.pk for r in a.target_areas.all()],
    }


def _joint_out(j: JointActivity) -> dict[str, Any]:
    return {
        **{
            f: getattr(j, f)
            for f in ("id", "office_id", "title", "kind", "lead_id", "start_on", "end_on", "status")
        },
        "co_organizer_ids": [o.pk for o in j.co_organizers.all()],
        "activity_ids": [a.pk for a in j.activities.all()],
    }


def _office(request: HttpRequest, code: str) -> JointOffice:
    office = access.offices_to_work_in(request.user).filter(code=code).first()
    if office is None:
        raise not_found()
    return office


@router.get("programmes", response=list[ProgrammeOut])
@paginate(PageNumberPagination, page_size=50)
def list_programmes(request: HttpRequest, year: DbInt | None = None) -> Any:
    qs = access.programmes_for_user(request.user)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "id")


@router.get("plans", response=list[PlanOut])
@paginate(PageNumberPagination, page_size=50)
def list_plans(request: HttpRequest, q: str = "") -> Any:
    qs = access.plans_for_user(request.user)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-start_on", "id")


@router.get("plans/{int:plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: DbInt) -> Any:
    return access.get_plan_for_user(request.user, plan_id)


@router.get("activities", response=list[ActivityOut])
@paginate(PageNumberPagination, page_size=50)
def list_activities(
    request: HttpRequest,
    q: str = "",
    organization_id: DbInt | None = None,
    kind: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Any:
    qs = access.activities_for_user(request.user)
    for word in fold(q).split():
        qs = qs.filter(title_folded__contains=word)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if kind:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(end_on__gte=start)
    if end:
        qs = qs.filter(start_on__lte=end)
    qs = qs.prefetch_related("participants", "target_units", "target_areas").order_by(
        "start_on", "id"
    )
    return [_activity_out(a) for a in qs]


@router.get("activities/{int:activity_id}", response=ActivityOut)
def get_activity(request: HttpRequest, activity_id: DbInt) -> Any:
    return _activity_out(access.get_activity_for_user(request.user, activity_id))


def _resolve(office: JointOffice, payload: ActivityIn) -> dict[str, Any]:
    inside = AdminUnit.objects.subtree(office.unit)
    units = list(AdminUnit.objects.filter(pk__in=payload.target_unit_ids))
    areas = list(ResidentialArea.objects.filter(pk__in=payload.target_area_ids))
    errors: dict[str, list[str]] = {}
    if len(units) != len(set(payload.target_unit_ids)) or inside.filter(
        pk__in=[u.pk for u in units]
    ).count() != len(units):
        errors["target_unit_ids"] = [_("A unit does not exist or is outside the office's area.")]
    if len(areas) != len(set(payload.target_area_ids)):
        errors["target_area_ids"] = [_("A residential area does not exist.")]
    if payload.kind not in Kind.values:
        errors["kind"] = [_("Unknown kind of activity.")]
    org = Organization.objects.filter(pk=payload.organization_id).first()
    if org is None:
        errors["organization_id"] = [_("No such organization.")]
    if errors:
        raise DjangoValidationError(errors)
    return {
        "organization": org,
        "kind": payload.kind,
        "title": payload.title,
        "description": payload.description,
        "origin": payload.origin,
        "start_on": payload.start_on,
        "end_on": payload.end_on,
        "expected_participants": payload.expected_participants,
        "budget": payload.budget,
        "status": payload.status,
        "key_project_id": payload.key_project_id,
        "target_units": units,
        "target_areas": areas,
        "participants": list(Organization.objects.filter(pk__in=payload.participant_ids)),
        "plan": office.plans.filter(pk=payload.plan_id).first() if payload.plan_id else None,
    }


@router.post("activities", response={201: ActivityOut, 422: ErrorOut})
def create_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    office = _office(request, payload.office)
    data = _resolve(office, payload)
    if (
        not access.writable_organizations(request.user, office)
        .filter(pk=payload.organization_id)
        .exists()
    ):
        raise DjangoValidationError(
            {"organization_id": _("You cannot add activities for this organization.")}
        )
    activity = services.do_create_activity(request.user, office, **data)
    return Status(201, _activity_out(activity))


@router.post("activities/overlaps", response={200: list[SuggestionOut], 422: ErrorOut})
def suggest_overlaps(
    request: HttpRequest, payload: ActivityIn, activity_id: DbInt | None = None
) -> Any:
    """Overlapping activities of other organizations for a draft (nothing is saved)."""
    office = _office(request, payload.office)
    if payload.end_on < payload.start_on:
        raise DjangoValidationError({"end_on": _("The end date cannot be before the start date.")})
    if payload.kind not in Kind.values:
        raise DjangoValidationError({"kind": _("Unknown kind of activity.")})
    if activity_id is not None:
        access.get_activity_for_user(request.user, activity_id)
    draft = overlaps.Draft(
        office=office,
        organization_id=payload.organization_id,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        start_on=payload.start_on,
        end_on=payload.end_on,
        unit_ids=tuple(payload.target_unit_ids),
        area_ids=tuple(payload.target_area_ids),
        activity_id=activity_id,
    )
    visible = set(
        access.activities_for_user(request.user).filter(office=office).values_list("pk", flat=True)
    )
    return [
        {
            "activity_id": s.activity.pk,
            "organization_id": s.activity.organization_id,
            "title": s.activity.title,
            "score": round(s.score, 4),
            "percent": s.percent,
            "reasons": s.text,
            "shared_units": s.units,
            "matched_words": list(s.reason.matched_words),
        }
        for s in overlaps.suggest(draft)
        if s.activity.pk in visible
    ]


@router.get("joint", response=list[JointOut])
@paginate(PageNumberPagination, page_size=50)
def list_joint(request: HttpRequest, status: str = "") -> Any:
    qs = access.joints_for_user(request.user).prefetch_related("co_organizers", "activities")
    if status:
        qs = qs.filter(status=status)
    return [_joint_out(j) for j in qs.order_by("-start_on", "id")]


@router.get("joint/{int:joint_id}", response=JointOut)
def get_joint(request: HttpRequest, joint_id: DbInt) -> Any:
    return _joint_out(access.get_joint_for_user(request.user, joint_id))


@router.post("joint", response={201: JointOut, 422: ErrorOut})
def merge(request: HttpRequest, payload: MergeIn) -> Any:
    ids = set(payload.activity_ids)
    chosen = list(
        access.activities_for_user(request.user)
        .filter(pk__in=ids)
        .select_related("office", "joint")
    )
    if len(chosen) != len(ids):
        raise not_found()
    lead = Organization.objects.filter(pk=payload.lead_id).first()
    if lead is None:
        raise DjangoValidationError({"lead_id": _("No such organization.")})
    joint = services.do_merge(
        request.user,
        chosen,
        services.MergeSpec(
            payload.title, lead, payload.start_on, payload.end_on, payload.description
        ),
    )
    return Status(201, _joint_out(joint))


@router.post("joint/{int:joint_id}/approve", response={200: JointOut, 422: ErrorOut})
def approve(request: HttpRequest, joint_id: DbInt) -> Any:
    joint = access.get_joint_for_user(request.user, joint_id)
    services.do_approve_merge(request.user, joint)
    return Status(200, _joint_out(joint))


def _addition_out(x: JointAddition) -> dict[str, Any]:
    return {"id": x.pk, "joint_id": x.joint_id, "activity_id": x.activity_id, "status": x.status}


@router.post("joint/{int:joint_id}/add", response={201: list[JointAdditionOut], 422: ErrorOut})
def add_to_joint(request: HttpRequest, joint_id: int, payload: JointAddIn) -> Any:
    """Add activities to existing joint work (the head adds, staff propose)."""
    joint = access.get_joint_for_user(request.user, joint_id)
    ids = set(payload.activity_ids)
    chosen = list(
        access.activities_for_user(request.user)
        .filter(pk__in=ids)
        .select_related("office", "joint")
    )
    if len(chosen) != len(ids):
        raise not_found()
    additions = services.do_add_to_joint(request.user, joint, chosen)
    return Status(201, [_addition_out(x) for x in additions])


def _decide(request: HttpRequest, joint_id: int, addition_id: int, approve: bool) -> Any:
    joint = access.get_joint_for_user(request.user, joint_id)
    addition = (
        joint.additions.select_related("activity__joint", "joint__office")
        .filter(pk=addition_id)
        .first()
    )
    if addition is None:
        raise not_found()
    services.do_decide_joint_addition(request.user, addition, approve)
    return Status(200, _addition_out(addition))


@router.post(
    "joint/{int:joint_id}/additions/{int:addition_id}/approve",
    response={200: JointAdditionOut, 422: ErrorOut},
)
def approve_addition(request: HttpRequest, joint_id: int, addition_id: int) -> Any:
    return _decide(request, joint_id, addition_id, True)


@router.post(
    "joint/{int:joint_id}/additions/{int:addition_id}/reject",
    response={200: JointAdditionOut, 422: ErrorOut},
)
def reject_addition(request: HttpRequest, joint_id: int, addition_id: int) -> Any:
    return _decide(request, joint_id, addition_id, False)


@router.post("joint/{int:joint_id}/unmerge", response={200: JointOut, 422: ErrorOut})
def unmerge(request: HttpRequest, joint_id: DbInt) -> Any:
    joint = access.get_joint_for_user(request.user, joint_id)
    services.do_unmerge(request.user, joint)
    joint.refresh_from_db()
    return Status(200, _joint_out(joint))


@router.get("tasks", response=list[TaskOut])
@paginate(PageNumberPagination, page_size=50)
def list_tasks(
    request: HttpRequest, status: str = "", mine: bool = False, overdue: bool = False
) -> Any:

    from khoi.accounts.access import get_scope

    qs = access.tasks_for_user(request.user)
    if status:
        qs = qs.filter(status=status)
    if mine:
        scope = get_scope(request.user)
        qs = qs.filter(assignee_id=scope.person_id) if scope.person_id else qs.none()
    if overdue:
        qs = qs.filter(status__in=Task.OPEN, due_on__lt=clock.today())
    return qs.order_by("due_on", "id")


@router.get("tasks/{int:task_id}", response=TaskOut)
def get_task(request: HttpRequest, task_id: DbInt) -> Any:
    return access.get_task_for_user(request.user, task_id)


@router.post("tasks", response={201: TaskOut, 422: ErrorOut})
def create_task(request: HttpRequest, payload: TaskIn) -> Any:
    office = access.offices_to_work_in(request.user).filter(code=payload.office).first()
    if office is None:
        from khoi.work.views import visible_offices

        office = visible_offices(request.user).filter(code=payload.office).first()
    if office is None:
        raise not_found()
    task = services.do_create_task(
        request.user,
        office,
        title=payload.title,
        due_on=payload.due_on,
        assignee=Person.objects.filter(pk=payload.assignee_id).first()
        if payload.assignee_id
        else None,
        assignee_subcommittee=(
            SubCommittee.objects.filter(pk=payload.assignee_subcommittee_id).first()
            if payload.assignee_subcommittee_id
            else None
        ),
        activity=access.get_activity_for_user(request.user, payload.activity_id)
        if payload.activity_id
        else None,
        joint=access.get_joint_for_user(request.user, payload.joint_id)
        if payload.joint_id
        else None,
        description=payload.description,
        priority=payload.priority,
    )
    return Status(201, task)


@router.post("tasks/{int:task_id}/updates", response={200: TaskOut, 422: ErrorOut})
def update_task(request: HttpRequest, task_id: DbInt, payload: TaskUpdateIn) -> Any:
    task = access.get_task_for_user(request.user, task_id)
    services.do_update_task(request.user, task, note=payload.note, status=payload.status)
    task.refresh_from_db()
    return Status(200, task)
