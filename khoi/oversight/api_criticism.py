"""API of social criticism (/api/v1/oversight/drafts/…) and feedback rounds
(/api/v1/oversight/feedback/…), with the pages' access rules: what a user may not read is
404, a refused change 422 with the service's Vietnamese messages.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at run
time.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khoi.accounts.access import not_found
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.lib.vntext import fold
from khoi.org.models import JointOffice
from khoi.oversight import access_criticism as access
from khoi.oversight.models.criticism import Critique
from khoi.oversight.services import criticism as services
from khoi.oversight.services import feedback as feedback_services

router = Router(tags=["oversight: social criticism and feedback"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class RuleOut(Schema):
    source: str
    article: str
    days: int
    counting: str
    valid_from: datetime.date
    valid_until: datetime.date | None


class CritiqueOut(Schema):
    id: int
    office_id: int
    title: str
    draft_kind: str
    drafting_body: str
    received_on: datetime.date
    due_on: datetime.date
    form: str
    held_on: datetime.date | None
    status: str
    short_notice: bool
    days_given: int
    days_required: int | None
    issued_on: datetime.date | None
    issued_notation: str | None
    answered_on: datetime.date | None
    points: int


class SectionOut(Schema):
    id: int
    order: int
    heading: str
    text: str


class PointOut(Schema):
    id: int
    number: int
    section_id: int | None
    author_kind: str
    author_name: str
    organization_id: int | None
    content: str
    given_on: datetime.date
    response: str
    response_note: str


class CritiqueDetailOut(CritiqueOut):
    lead_rule: RuleOut | None
    answer_due_on: datetime.date | None
    sections: list[SectionOut]
    points_list: list[PointOut]


class ReceiveIn(Schema):
    office: str = Field(max_length=60)
    title: str = Field(max_length=400)
    draft_kind: str
    drafting_body: str = Field(max_length=250)
    received_on: datetime.date
    due_on: datetime.date
    form: str
    held_on: datetime.date | None = None
    letter_notation: str = Field("", max_length=120)
    letter_date: datetime.date | None = None
    text: str = ""
    note: str = ""


class SectionsIn(Schema):
    text: str = ""
    sections: list[tuple[str, str]] | None = None


class CommentIn(Schema):
    content: str
    author_kind: str
    author_name: str = Field("", max_length=250)
    organization_id: DbInt | None = None
    section_id: DbInt | None = None
    given_on: datetime.date | None = None


class IssueIn(Schema):
    issued_on: datetime.date
    signer: str = Field("", max_length=200)


class PointAnswerIn(Schema):
    point_id: DbInt
    response: str
    note: str = ""


class AnswerIn(Schema):
    answered_on: datetime.date
    answers: list[PointAnswerIn]
    summary: str = ""
    letter_notation: str = Field("", max_length=120)
    recommendation_due_on: datetime.date | None = None
    recommend_to: str = Field("", max_length=250)


def _critique_row(c: Critique, rules: list[Any], points: int) -> dict[str, Any]:
    check = services.lead_check(c, rules)
    return {
        "id": c.pk, "office_id": c.office_id, "title": c.title, "draft_kind": c.draft_kind,
        "drafting_body": c.drafting_body, "received_on": c.received_on, "due_on": c.due_on,
        "form": c.form, "held_on": c.held_on, "status": c.status, "short_notice": check.short,
        "days_given": check.given_days, "days_required": check.required_days,
        "issued_on": c.issued_on,
        "issued_notation": c.issued_document.notation if c.issued_document else None,
        "answered_on": c.answered_on, "points": points,
    }  # fmt: skip


def _rule(rule: Any) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {
        "source": rule.source, "article": rule.article, "days": rule.days,
        "counting": rule.counting, "valid_from": rule.valid_from, "valid_until": rule.valid_until,
    }  # fmt: skip


def _detail(user: Any, pk: int) -> dict[str, Any]:
    c = access.get_critique_for_user(user, pk)
    rules = services.all_rules()
    sections, points = services.ordered_points(c)
    due, _rule_row = services.answer_due(c, rules)
    out = _critique_row(c, rules, len(points))
    out["lead_rule"] = _rule(services.lead_check(c, rules).rule)
    out["answer_due_on"] = due
    out["sections"] = [
        {"id": s.pk, "order": s.order, "heading": s.heading, "text": s.text} for s in sections
    ]
    out["points_list"] = [
        {
            "id": p.pk,
            "number": n,
            "section_id": p.section_id,
            "author_kind": p.author_kind,
            "author_name": p.author_name,
            "organization_id": p.organization_id,
            "content": p.content,
            "given_on": p.given_on,
            "response": p.response,
            "response_note": p.response_note,
        }
        for n, p in enumerate(points, start=1)
    ]
    return out


def _managed_office(request: HttpRequest, code: str) -> JointOffice:
    office = access.managed_offices(request.user).filter(code=code).first()
    if office is None:
        raise not_found()
    return office


@router.get("/drafts/", response=list[CritiqueOut])
@paginate(PageNumberPagination)
def list_drafts(request: HttpRequest, q: str = "", status: str = "") -> list[dict[str, Any]]:
    qs = access.critiques_for_user(request.user).select_related("issued_document")
    if q.strip():
        qs = qs.filter(Q(title_folded__contains=fold(q)) | Q(drafting_body__icontains=q.strip()))
    if status:
        qs = qs.filter(status=status)
    rules = services.all_rules()
    rows = qs.annotate(n=Count("comments")).order_by("-received_on", "-pk")
    return [_critique_row(c, rules, c.n) for c in rows]


@router.post("/drafts/", response={201: CritiqueDetailOut, 404: ErrorOut, 422: ErrorOut})
def receive_draft(request: HttpRequest, payload: ReceiveIn) -> Status:
    data = payload.dict()
    office = _managed_office(request, data.pop("office"))
    critique = services.do_receive_draft(request.user, office, **data)
    return Status(201, _detail(request.user, critique.pk))


@router.get("/drafts/{pk}", response={200: CritiqueDetailOut, 404: ErrorOut})
def get_draft(request: HttpRequest, pk: DbInt) -> dict[str, Any]:
    return _detail(request.user, pk)


def _manager_critique(request: HttpRequest, pk: int) -> Critique:
    critique = access.get_critique_for_user(request.user, pk)
    if not access.can_manage(request.user, critique.office):
        raise not_found()
    return critique


@router.put(
    "/drafts/{pk}/sections", response={200: CritiqueDetailOut, 404: ErrorOut, 422: ErrorOut}
)
def set_sections(request: HttpRequest, pk: DbInt, payload: SectionsIn) -> dict[str, Any]:
    critique = _manager_critique(request, pk)
    services.do_set_sections(request.user, critique, text=payload.text, sections=payload.sections)
    return _detail(request.user, pk)


@router.post("/drafts/{pk}/comments", response={201: PointOut, 404: ErrorOut, 422: ErrorOut})
def add_comment(request: HttpRequest, pk: DbInt, payload: CommentIn) -> Status:
    critique = access.get_critique_for_user(request.user, pk)
    if not access.can_comment(request.user, critique.office):
        raise not_found()
    section = None
    if payload.section_id is not None:
        section = critique.sections.filter(pk=payload.section_id).first()
        if section is None:
            raise ValidationError({"section_id": [_("This section belongs to another draft.")]})
    organization = None
    if payload.organization_id is not None:
        organization = critique.office.organizations.filter(pk=payload.organization_id).first()
        if organization is None:
            raise ValidationError(
                {"organization_id": [_("This organization is not a member of the office.")]}
            )
    p = services.do_add_comment(
        request.user, critique, content=payload.content, author_kind=payload.author_kind,
        author_name=payload.author_name, organization=organization, section=section,
        given_on=payload.given_on,
    )  # fmt: skip
    number = critique.comments.filter(pk__lte=p.pk).count()
    return Status(201, {
        "id": p.pk, "number": number, "section_id": p.section_id, "author_kind": p.author_kind,
        "author_name": p.author_name, "organization_id": p.organization_id,
        "content": p.content, "given_on": p.given_on, "response": p.response,
        "response_note": p.response_note,
    })  # fmt: skip


@router.post("/drafts/{pk}/issue", response={200: CritiqueDetailOut, 404: ErrorOut, 422: ErrorOut})
def issue(request: HttpRequest, pk: DbInt, payload: IssueIn) -> dict[str, Any]:
    critique = _manager_critique(request, pk)
    services.do_issue_critique(
        request.user, critique, issued_on=payload.issued_on, signer=payload.signer
    )
    return _detail(request.user, pk)


@router.get("/drafts/{pk}/critique.docx", response={404: ErrorOut})
def critique_docx(request: HttpRequest, pk: DbInt) -> HttpResponse:
    critique = access.get_critique_for_user(request.user, pk)
    attachment = (
        critique.issued_document.attachments.filter(original_name__endswith=".docx").last()
        if critique.issued_document
        else None
    )
    if attachment is None:
        raise not_found()
    with attachment.file.open("rb") as f:
        response = HttpResponse(f.read(), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{attachment.original_name}"'
    return response


@router.post("/drafts/{pk}/answer", response={200: dict, 404: ErrorOut, 422: ErrorOut})
def answer(request: HttpRequest, pk: DbInt, payload: AnswerIn) -> dict[str, Any]:
    critique = _manager_critique(request, pk)
    made = services.do_record_answer(
        request.user, critique, answered_on=payload.answered_on,
        answers={a.point_id: services.PointAnswer(a.response, a.note) for a in payload.answers},
        summary=payload.summary, letter_notation=payload.letter_notation,
        recommendation_due_on=payload.recommendation_due_on, recommend_to=payload.recommend_to,
    )  # fmt: skip
    return {"draft": _detail(request.user, pk), "recommendation_ids": [r.pk for r in made]}


# --- Feedback rounds ----------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    office_id: int
    title: str
    subject_kind: str
    subject: str
    start_on: datetime.date
    end_on: datetime.date
    send_to: str
    status: str
    reported_on: datetime.date | None
    report_notation: str | None


class OpinionOut(Schema):
    id: int
    source_kind: str
    source_name: str
    organization_id: int | None
    commune_id: int | None
    content: str
    received_on: datetime.date


class RoundDetailOut(RoundOut):
    opinions: list[OpinionOut]


class RoundIn(Schema):
    office: str = Field(max_length=60)
    title: str = Field(max_length=400)
    subject_kind: str
    subject: str = Field(max_length=400)
    start_on: datetime.date
    end_on: datetime.date
    send_to: str = Field(max_length=250)
    note: str = ""


class OpinionIn(Schema):
    source_kind: str
    content: str
    source_name: str = Field("", max_length=250)
    organization_id: DbInt | None = None
    commune_id: DbInt | None = None
    received_on: datetime.date | None = None


class ReportIn(Schema):
    reported_on: datetime.date
    signer: str = Field("", max_length=200)


class RecommendIn(Schema):
    body: str = Field("", max_length=250)
    content: str = ""
    due_on: datetime.date | None = None
    issued_on: datetime.date | None = None


def _round_row(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk, "office_id": r.office_id, "title": r.title, "subject_kind": r.subject_kind,
        "subject": r.subject, "start_on": r.start_on, "end_on": r.end_on, "send_to": r.send_to,
        "status": r.status, "reported_on": r.reported_on,
        "report_notation": r.report_document.notation if r.report_document else None,
    }  # fmt: skip


def _round_detail(user: Any, pk: int) -> dict[str, Any]:
    r = access.get_round_for_user(user, pk)
    out = _round_row(r)
    out["opinions"] = [
        {
            "id": o.pk,
            "source_kind": o.source_kind,
            "source_name": o.source_name,
            "organization_id": o.organization_id,
            "commune_id": o.commune_id,
            "content": o.content,
            "received_on": o.received_on,
        }
        for o in access.opinions_for_user(user, r).order_by("source_kind", "pk")
    ]
    return out


@router.get("/feedback/", response=list[RoundOut])
@paginate(PageNumberPagination)
def list_rounds(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    qs = access.rounds_for_user(request.user).select_related("report_document")
    if q.strip():
        qs = qs.filter(title_folded__contains=fold(q))
    return [_round_row(r) for r in qs.order_by("-start_on", "-pk")]


@router.post("/feedback/", response={201: RoundDetailOut, 404: ErrorOut, 422: ErrorOut})
def open_round(request: HttpRequest, payload: RoundIn) -> Status:
    data = payload.dict()
    office = _managed_office(request, data.pop("office"))
    r = feedback_services.do_open_round(request.user, office, **data)
    return Status(201, _round_detail(request.user, r.pk))


@router.get("/feedback/{pk}", response={200: RoundDetailOut, 404: ErrorOut})
def get_round(request: HttpRequest, pk: DbInt) -> dict[str, Any]:
    return _round_detail(request.user, pk)


@router.post("/feedback/{pk}/opinions", response={201: OpinionOut, 404: ErrorOut, 422: ErrorOut})
def add_opinion(request: HttpRequest, pk: DbInt, payload: OpinionIn) -> Status:
    r = access.get_round_for_user(request.user, pk)
    if not access.can_add_opinion(request.user, r.office):
        raise not_found()
    organization = (
        r.office.organizations.filter(pk=payload.organization_id).first()
        if payload.organization_id is not None
        else None
    )
    commune = (
        access.office_communes(r.office).filter(pk=payload.commune_id).first()
        if payload.commune_id is not None
        else None
    )
    if payload.organization_id is not None and organization is None:
        raise ValidationError(
            {"organization_id": [_("This organization is not a member of the office.")]}
        )
    if payload.commune_id is not None and commune is None:
        raise ValidationError({"commune_id": [_("This commune is not in the office's area.")]})
    o = feedback_services.do_add_opinion(
        request.user, r, source_kind=payload.source_kind, content=payload.content,
        source_name=payload.source_name, organization=organization, commune=commune,
        received_on=payload.received_on,
    )  # fmt: skip
    return Status(201, {
        "id": o.pk, "source_kind": o.source_kind, "source_name": o.source_name,
        "organization_id": o.organization_id, "commune_id": o.commune_id,
        "content": o.content, "received_on": o.received_on,
    })  # fmt: skip


def _manager_round(request: HttpRequest, pk: int) -> Any:
    r = access.get_round_for_user(request.user, pk)
    if not access.can_manage(request.user, r.office):
        raise not_found()
    return r


@router.post("/feedback/{pk}/report", response={200: RoundDetailOut, 404: ErrorOut, 422: ErrorOut})
def send_report(request: HttpRequest, pk: DbInt, payload: ReportIn) -> dict[str, Any]:
    r = _manager_round(request, pk)
    feedback_services.do_send_report(
        request.user, r, reported_on=payload.reported_on, signer=payload.signer
    )
    return _round_detail(request.user, pk)


@router.post("/feedback/{pk}/recommendations", response={201: dict, 404: ErrorOut, 422: ErrorOut})
def recommend(request: HttpRequest, pk: DbInt, payload: RecommendIn) -> Status:
    r = _manager_round(request, pk)
    rec = feedback_services.do_recommend_from_round(
        request.user, r, body=payload.body, content=payload.content, due_on=payload.due_on,
        issued_on=payload.issued_on,
    )  # fmt: skip
    return Status(201, {"id": rec.pk, "body": rec.body, "due_on": rec.due_on.isoformat()})
