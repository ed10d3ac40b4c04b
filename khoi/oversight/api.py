"""The oversight API under /api/v1/oversight/ (same access rules as the pages).

Missing and forbidden objects are both 404; a service's refusal is 422 with its Vietnamese
messages per field (``khoi/api.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from khoi import clock
from khoi.accounts.access import not_found
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.org.models import AdminUnit, Organization, Person
from khoi.oversight import access, register
from khoi.oversight import overlap as overlaps
from khoi.oversight.models import LegalBasis, Recommendation, Supervision
from khoi.oversight.models.recommendations import body_key
from khoi.oversight.services import recommendations as rec_services
from khoi.oversight.services import supervision as services

router = Router(tags=["oversight"])
OPEN = Recommendation.Status.OPEN


class SupervisionOut(Schema):
    id: int
    office_id: int
    programme_id: int | None
    organization_id: int
    unit_id: int | None
    subject: str
    body: str
    form: str
    status: str
    planned_from: datetime.date
    planned_until: datetime.date
    legal_basis_id: int | None
    key_project_id: int | None
    decision_on: datetime.date | None
    plan_sent_on: datetime.date | None
    body_report_on: datetime.date | None
    report_on: datetime.date | None


class SupervisionIn(Schema):
    office: DbInt
    organization: DbInt
    subject: str = ""
    body: str = ""
    form: str = "delegation"
    planned_from: datetime.date | None = None
    planned_until: datetime.date | None = None
    programme: DbInt | None = None
    unit: DbInt | None = None
    legal_basis: DbInt | None = None
    key_project: DbInt | None = None


class MemberIn(Schema):
    person: DbInt
    organization: DbInt
    role: str = "member"


class SessionIn(Schema):
    held_on: datetime.date | None = None
    place: str = ""
    minutes: str = ""


class StepIn(Schema):
    step: str
    on: datetime.date | None = None
    summary: str = ""


class RecommendationOut(Schema):
    id: int
    office_id: int
    body: str
    subject: str
    content: str
    source_kind: str
    source_id: int | None
    source_title: str
    supervision_id: int | None
    issued_on: datetime.date
    due_on: datetime.date
    status: str
    answered_on: datetime.date | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Recommendation) -> bool:
        return obj.is_overdue(clock.today())


class RecommendationIn(Schema):
    office: DbInt
    body: str = ""
    content: str = ""
    subject: str = ""
    issued_on: datetime.date | None = None
    due_on: datetime.date | None = None
    supervision: DbInt | None = None
    unit: DbInt | None = None


class AnswerIn(Schema):
    answered_on: datetime.date | None = None
    outcome: str
    explanation: str = ""
    document_ref: str = ""


class FollowUpIn(Schema):
    kind: str
    done_on: datetime.date | None = None
    due_on: datetime.date | None = None
    addressee: str = ""
    note: str = ""


class ByBodyOut(Schema):
    body_key: str
    body: str
    open: int
    overdue: int


class WarningOut(Schema):
    first_id: int
    second_id: int | None  # None: the other organization's supervision the user cannot open
    percent: int
    matched_words: list[str]


def _office(request: HttpRequest, pk: int) -> Any:
    office = access.writable_offices(request.user).filter(pk=pk).first()
    if office is None:
        raise not_found()
    return office


# --- Supervisions ----------------------------------------------------------------------------


@router.get("supervisions", response=list[SupervisionOut])
@paginate(PageNumberPagination, page_size=50)
def list_supervisions(
    request: HttpRequest,
    year: int | None = Query(None, ge=1, le=9999),  # a year a date can hold: 422, not 500
    status: str = "",
) -> Any:
    qs = access.supervisions_for_user(request.user)
    if year:
        qs = qs.filter(planned_from__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-planned_from", "-pk")


@router.get("supervisions/{int:pk}", response=SupervisionOut)
def get_supervision(request: HttpRequest, pk: DbInt) -> Any:
    return access.get_supervision_for_user(request.user, pk)


@router.post("supervisions", response={201: SupervisionOut, 422: ErrorOut})
def plan_supervision(request: HttpRequest, payload: SupervisionIn) -> Any:
    office = _office(request, payload.office)
    org = Organization.objects.filter(pk=payload.organization).first()
    programme = None
    if payload.programme is not None:
        programme = access.get_programme_for_user(request.user, payload.programme)
    unit = AdminUnit.objects.filter(pk=payload.unit).first() if payload.unit else None
    if payload.unit and unit is None:
        return Status(
            422,
            {"detail": _("The data is not valid."), "errors": {"unit": [_("Choose a commune.")]}},
        )
    basis = (
        LegalBasis.objects.filter(pk=payload.legal_basis).first() if payload.legal_basis else None
    )
    sup = services.plan_supervision(
        request.user, office, organization=org, subject=payload.subject, body=payload.body,
        form=payload.form, planned_from=payload.planned_from, planned_until=payload.planned_until,
        programme=programme, unit=unit, legal_basis=basis, key_project_id=payload.key_project,
    )  # fmt: skip
    return Status(201, sup)


def _writable_supervision(request: HttpRequest, pk: int) -> Supervision:
    sup = access.get_supervision_for_user(request.user, pk)
    if not access.can_write_record(request.user, sup):
        raise not_found()
    return sup


@router.post("supervisions/{int:pk}/members", response={201: dict, 404: ErrorOut, 422: ErrorOut})
def add_member(request: HttpRequest, pk: DbInt, payload: MemberIn) -> Any:
    sup = _writable_supervision(request, pk)
    person = Person.objects.filter(pk=payload.person).first()
    org = Organization.objects.filter(pk=payload.organization).first()
    member = services.add_member(
        request.user, sup, person=person, organization=org, role=payload.role
    )
    return Status(201, {"id": member.pk})


@router.post("supervisions/{int:pk}/sessions", response={201: dict, 404: ErrorOut, 422: ErrorOut})
def add_session(request: HttpRequest, pk: DbInt, payload: SessionIn) -> Any:
    sup = _writable_supervision(request, pk)
    session = services.add_session(request.user, sup, **payload.model_dump())
    return Status(201, {"id": session.pk})


@router.post(
    "supervisions/{int:pk}/steps", response={200: SupervisionOut, 404: ErrorOut, 422: ErrorOut}
)
def record_step(request: HttpRequest, pk: DbInt, payload: StepIn) -> Any:
    sup = _writable_supervision(request, pk)
    return services.record_step(
        request.user, sup, payload.step, on=payload.on, summary=payload.summary
    )


@router.get("programmes/{int:pk}/warnings", response=list[WarningOut])
def programme_warnings(request: HttpRequest, pk: DbInt) -> Any:
    """Duplicate-supervision warnings touching this programme."""
    programme = access.get_programme_for_user(request.user, pk)
    warnings = [w for w in overlaps.programme_warnings(programme.office, programme.year)
                if programme.pk in (w.first.programme_id, w.second.programme_id)]  # fmt: skip
    readable = set(
        access.supervisions_for_user(request.user)
        .filter(pk__in=[s.pk for w in warnings for s in (w.first, w.second)])
        .values_list("pk", flat=True)
    )
    out = []
    for w in warnings:
        mine, other = (
            (w.first, w.second) if w.first.programme_id == programme.pk else (w.second, w.first)
        )
        out.append({"first_id": mine.pk, "second_id": other.pk if other.pk in readable else None,
                    "percent": w.percent, "matched_words": list(w.matched_words)})  # fmt: skip
    return out


# --- Recommendations -------------------------------------------------------------------------


def _recs(request: HttpRequest, state: str, body: str, q: str) -> Any:
    qs = access.recommendations_for_user(request.user)
    today = clock.today()
    if state == "open":
        qs = qs.filter(status=OPEN)
    elif state == "overdue":
        qs = qs.filter(status=OPEN, due_on__lt=today)
    elif state == "answered":
        qs = qs.exclude(status__in=[OPEN, Recommendation.Status.WITHDRAWN])
    if body:
        qs = qs.filter(body_key__contains=body_key(body))
    if q:
        from khoi.lib.vntext import fold

        qs = qs.filter(search_folded__contains=fold(q))
    return qs


@router.get("recommendations", response=list[RecommendationOut])
@paginate(PageNumberPagination, page_size=50)
def list_recommendations(request: HttpRequest, state: str = "", body: str = "", q: str = "") -> Any:
    return _recs(request, state, body, q).order_by("due_on", "pk")


@router.get("recommendations/by-body", response=list[ByBodyOut])
def recommendations_by_body(request: HttpRequest, body: str = "", q: str = "") -> Any:
    """The bodies with recommendations awaiting an answer, most overdue first (up to 500):
    open and overdue counts per body, over the open rows only (one query)."""
    summary = register.open_by_body(_recs(request, "", body, q), clock.today(), 500)
    return summary.rows


@router.get("recommendations/{int:pk}", response=RecommendationOut)
def get_recommendation(request: HttpRequest, pk: DbInt) -> Any:
    return access.get_recommendation_for_user(request.user, pk)


@router.post("recommendations", response={201: RecommendationOut, 404: ErrorOut, 422: ErrorOut})
def create_recommendation(request: HttpRequest, payload: RecommendationIn) -> Any:
    office = _office(request, payload.office)
    sup = None
    if payload.supervision is not None:
        sup = access.get_supervision_for_user(request.user, payload.supervision)
    unit = AdminUnit.objects.filter(pk=payload.unit).first() if payload.unit else None
    rec = rec_services.create_recommendation(
        request.user, office, body=payload.body, content=payload.content, subject=payload.subject,
        due_on=payload.due_on, issued_on=payload.issued_on, supervision=sup, unit=unit,
    )  # fmt: skip
    return Status(201, rec)


def _writable_rec(request: HttpRequest, pk: int) -> Recommendation:
    rec = access.get_recommendation_for_user(request.user, pk)
    if not access.can_write_record(request.user, rec):
        raise not_found()
    return rec


@router.post(
    "recommendations/{int:pk}/answers",
    response={201: RecommendationOut, 404: ErrorOut, 422: ErrorOut},
)
def answer(request: HttpRequest, pk: DbInt, payload: AnswerIn) -> Any:
    rec = _writable_rec(request, pk)
    rec_services.answer_recommendation(request.user, rec, **payload.model_dump())
    rec.refresh_from_db()
    return Status(201, rec)


@router.post(
    "recommendations/{int:pk}/follow-ups",
    response={201: RecommendationOut, 404: ErrorOut, 422: ErrorOut},
)
def follow_up(request: HttpRequest, pk: DbInt, payload: FollowUpIn) -> Any:
    rec = _writable_rec(request, pk)
    rec_services.follow_up_recommendation(request.user, rec, **payload.model_dump())
    rec.refresh_from_db()
    return Status(201, rec)


from khoi.oversight.api_criticism import router as criticism_router  # noqa: E402

router.add_router("", criticism_router)
