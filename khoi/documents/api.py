"""API for the document register and the periodic reports.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at run
time.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khoi.accounts.access import not_found
from khoi.documents import access, reports, services
from khoi.documents.search import Criteria, search
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.lib import docnumber
from khoi.org.models import JointOffice
from khoi.registry import LINK_KINDS

router = Router(tags=["documents"])
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class NotationOut(Schema):
    system: str
    number: int
    year: int | None
    type: str | None
    issuer: str
    canonical: str


class DocumentOut(Schema):
    id: int
    office_id: int
    direction: str
    notation: str
    notation_raw: str
    notation_recognised: bool
    system: str
    number: int | None
    incoming_number: int | None
    incoming_year: int | None
    year: int | None
    doc_type: str
    issuer_code: str
    issued_on: datetime.date
    received_on: datetime.date | None
    issuing_body: str
    summary: str
    recipients: str
    signer: str


class LinksIn(Schema):
    plan_ids: list[DbInt] = Field(default_factory=list)
    activity_ids: list[DbInt] = Field(default_factory=list)
    meeting_ids: list[DbInt] = Field(default_factory=list)
    coordination_rule_ids: list[DbInt] = Field(default_factory=list)
    key_project_ids: list[DbInt] = Field(default_factory=list)


class RegisterIn(LinksIn):
    office: str
    direction: str
    notation: str
    issued_on: datetime.date
    issuing_body: str
    summary: str
    received_on: datetime.date | None = None
    recipients: str = ""
    signer: str = ""


class IssueIn(LinksIn):
    office: str
    system: str = "state"
    doc_type: str | None = None
    issuer_code: str
    issued_on: datetime.date
    issuing_body: str
    summary: str
    recipients: str = ""
    signer: str = ""


class TableOut(Schema):
    title: str
    headers: list[str]
    rows: list[list[Any]]


class SectionOut(Schema):
    key: str
    heading: str
    paragraphs: list[str]
    tables: list[TableOut]
    figures: dict[str, float]


class ReportOut(Schema):
    id: int
    office_id: int
    period: str
    start_on: datetime.date
    end_on: datetime.date
    title: str
    status: str
    notation: str | None
    version: int
    corrects_id: int | None
    correction_reason: str
    frozen: bool


class ReportIn(Schema):
    office: str
    period: str


class NarrativeIn(Schema):
    paragraphs: list[str]


def _office(request: HttpRequest, code: str) -> JointOffice:
    office = access.writable_offices(request.user).filter(code=code).first()
    if office is None:
        raise not_found()
    return office


def _links(office: JointOffice, payload: LinksIn) -> dict[str, Any]:
    """The objects behind ``plan_ids``, ``activity_ids``, ``meeting_ids``…: the kinds are
    those registered in :data:`khoi.registry.LINK_KINDS`, each id within the office."""
    found: dict[str, list[Any]] = {}
    for kind in LINK_KINDS:
        ids = list(getattr(payload, kind.api_field, None) or [])
        objs = list(kind.choices(office).filter(pk__in=ids))
        if len(objs) != len(set(ids)):
            raise DjangoValidationError(
                {kind.api_field: [_("Some of these items do not belong to the joint office.")]}
            )
        found[kind.key] = objs
    return found


def _report_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk, "office_id": r.office_id, "period": r.period, "start_on": r.start_on,
        "end_on": r.end_on, "title": r.title, "status": r.status,
        "notation": r.document.notation if r.document_id else None,
        "version": r.version, "corrects_id": r.corrects_id,
        "correction_reason": r.correction_reason, "frozen": r.snapshot is not None,
    }  # fmt: skip


@router.get("documents/notation", response={200: NotationOut, 422: ErrorOut})
def parse_notation(request: HttpRequest, text: str) -> Any:
    """Parse a typed notation into its canonical parts (nothing is saved)."""
    try:
        parsed = docnumber.parse(text)
    except docnumber.NotationError as exc:
        raise DjangoValidationError({"text": exc.message}) from None
    return {**parsed.to_dict(), "canonical": docnumber.format(parsed)}


@router.get("documents", response=list[DocumentOut])
@paginate(PageNumberPagination, page_size=50)
def list_documents(
    request: HttpRequest,
    q: str = "",
    issuer: str = "",
    direction: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Any:
    c = Criteria(q=q, issuer=issuer, direction=direction, date_from=date_from, date_to=date_to)
    return search(access.documents_for_user(request.user), c).order_by("-issued_on", "-id")


@router.get("documents/{int:document_id}", response=DocumentOut)
def get_document(request: HttpRequest, document_id: DbInt) -> Any:
    return access.get_document_for_user(request.user, document_id)


@router.post("documents", response={201: DocumentOut, 422: ErrorOut})
def register_document(request: HttpRequest, payload: RegisterIn) -> Any:
    office = _office(request, payload.office)
    data = payload.model_dump(exclude={"office", *LinksIn.model_fields})
    document = services.do_register_document(
        request.user, office, **data, links=_links(office, payload)
    )
    return Status(201, document)


@router.post("documents/issue", response={201: DocumentOut, 422: ErrorOut})
def issue_document(request: HttpRequest, payload: IssueIn) -> Any:
    """Issue an outgoing document with the next number of its series."""
    office = _office(request, payload.office)
    data = payload.model_dump(exclude={"office", *LinksIn.model_fields})
    document = services.do_issue_document(
        request.user, office, **data, links=_links(office, payload)
    )
    return Status(201, document)


@router.get("reports", response=list[ReportOut])
@paginate(PageNumberPagination, page_size=50)
def list_reports(request: HttpRequest) -> Any:
    qs = access.reports_for_user(request.user).select_related("document")
    return [_report_out(r) for r in qs.order_by("-start_on", "-version", "-id")]


@router.post("reports", response={201: ReportOut, 422: ErrorOut})
def prepare_report(request: HttpRequest, payload: ReportIn) -> Any:
    office = _office(request, payload.office)
    report = services.do_prepare_report(request.user, office, payload.period)
    return Status(201, _report_out(report))


@router.get("reports/{int:report_id}", response=ReportOut)
def get_report(request: HttpRequest, report_id: DbInt) -> Any:
    return _report_out(access.get_report_for_user(request.user, report_id))


@router.get("reports/{int:report_id}/sections", response=list[SectionOut])
def report_sections(request: HttpRequest, report_id: DbInt) -> Any:
    report = access.get_report_for_user(request.user, report_id)
    return [
        {
            "key": s.key,
            "heading": s.heading,
            "paragraphs": s.paragraphs,
            "tables": [
                {
                    "title": t.title,
                    "headers": t.headers,
                    "rows": [
                        [v if v is None or isinstance(v, int | float) else str(v) for v in row]
                        for row in t.rows
                    ],
                }
                for t in s.tables
            ],
            "figures": s.figures,
        }
        for s in reports.sections_for(report)
    ]


@router.put("reports/{int:report_id}/sections/{key}", response={200: ReportOut, 422: ErrorOut})
def edit_section(request: HttpRequest, report_id: DbInt, key: str, payload: NarrativeIn) -> Any:
    report = access.get_report_for_user(request.user, report_id)
    if not access.can_write(request.user, report.office_id):
        raise not_found()
    services.do_edit_narrative(request.user, report, key, payload.paragraphs)
    return Status(200, _report_out(report))


@router.get("reports/{int:report_id}/file")
def report_file(request: HttpRequest, report_id: DbInt, format: str = "docx") -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id)
    if format not in CONTENT_TYPES:
        raise not_found()
    try:
        data = reports.render(report, format)
    except reports.ConversionError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{report.period}.{format}"'
    return response
