"""API of the Fund for the Poor under /api/v1/fund/. Same access rules as the pages.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at run
time.
"""

import datetime
import hashlib
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import StrictInt

from khoi import clock
from khoi.fund import access, documents, household_import, housing, importer, receipts, services
from khoi.fund.models import Entry, Fund, HousingCase, HousingKind, MatchDecision
from khoi.http import DbInt, PageNumberPagination
from khoi.lib.vntext import fold

router = Router(tags=["fund"])
INVALID = "Dữ liệu không hợp lệ."


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class FundOut(Schema):
    id: int
    name: str
    unit_id: int
    level: str
    balance: int


class BalanceOut(Schema):
    start: datetime.date
    end: datetime.date
    opening: int
    receipts: int
    expenditures: int
    closing: int


class EntryOut(Schema):
    id: int
    fund_id: int
    seq: int
    number: str
    kind: str
    amount: int
    signed_amount: int
    date: datetime.date
    donor_kind: str
    donor_name: str
    channel: str
    campaign_id: int | None
    purpose: str
    beneficiary: str
    decision_ref: str
    reverses_id: int | None
    note: str


# StrictInt: JSON true is not 1 đồng, 1.0 and "1000" are not amounts (422, not a receipt)


class ReceiptIn(Schema):
    amount: StrictInt
    date: datetime.date
    donor_kind: str
    donor_name: str = ""
    channel: str = Entry.Channel.CASH
    campaign_id: int | None = None
    note: str = ""


class ExpenditureIn(Schema):
    amount: StrictInt
    date: datetime.date
    purpose: str
    beneficiary: str = ""
    decision_ref: str = ""
    note: str = ""


class ReverseIn(Schema):
    date: datetime.date
    reason: str


def _errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _fund_out(fund: Fund) -> dict[str, Any]:
    return {"id": fund.pk, "name": fund.name, "unit_id": fund.unit_id, "level": fund.level,
            "balance": services.balance(fund)}  # fmt: skip


def _entry_out(e: Entry) -> dict[str, Any]:
    data = {f: getattr(e, f) for f in EntryOut.model_fields if hasattr(e, f)}
    data["signed_amount"] = e.signed_amount
    return data


@router.get("fund/funds", response=list[FundOut])
def list_funds(request: HttpRequest) -> Any:
    return [_fund_out(f) for f in access.funds_for_user(request.user).order_by("name")[:500]]


@router.get("fund/funds/{fund_id}", response=FundOut)
def get_fund(request: HttpRequest, fund_id: int) -> Any:
    return _fund_out(access.get_fund_for_user(request.user, fund_id))


@router.get("fund/funds/{fund_id}/balance", response=BalanceOut)
def get_balance(
    request: HttpRequest,
    fund_id: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Any:
    fund = access.get_fund_for_user(request.user, fund_id)
    today = clock.today()
    start = start or today.replace(month=1, day=1)
    end = end or today
    pb = services.period_balance(fund, start, end)
    return {"start": start, "end": end, **pb.__dict__}


@router.get("fund/funds/{fund_id}/entries", response=list[EntryOut])
@paginate(PageNumberPagination, page_size=50)
def list_entries(
    request: HttpRequest,
    fund_id: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Any:
    fund = access.get_fund_for_user(request.user, fund_id)
    qs = Entry.objects.filter(fund=fund).order_by("-seq")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


def _post(request: HttpRequest, fund_id: int, post: Any) -> Any:
    fund = access.get_fund_for_user(request.user, fund_id)
    if not access.can_post(request.user, fund):
        return Status(403, {"detail": "Chỉ kế toán của quỹ được ghi sổ."})
    try:
        entry = post(fund)
    except DjangoValidationError as exc:
        return Status(422, {"detail": INVALID, "errors": _errors(exc)})
    return Status(201, _entry_out(entry))


@router.post(
    "fund/funds/{fund_id}/receipts", response={201: EntryOut, 403: ErrorOut, 422: ErrorOut}
)
def post_receipt(request: HttpRequest, fund_id: int, payload: ReceiptIn) -> Any:
    def post(fund: Fund) -> Entry:
        campaign = None
        if payload.campaign_id is not None:
            campaign = fund.campaigns.filter(pk=payload.campaign_id).first()
            if campaign is None:
                raise DjangoValidationError(
                    {"campaign_id": _("This campaign does not belong to this fund.")}
                )
        data = payload.dict(exclude={"campaign_id"})
        return services.do_post_receipt(request.user, fund, campaign=campaign, **data)

    return _post(request, fund_id, post)


@router.post(
    "fund/funds/{fund_id}/expenditures", response={201: EntryOut, 403: ErrorOut, 422: ErrorOut}
)
def post_expenditure(request: HttpRequest, fund_id: int, payload: ExpenditureIn) -> Any:
    return _post(
        request,
        fund_id,
        lambda fund: services.do_post_expenditure(request.user, fund, **payload.dict()),
    )


@router.post(
    "fund/entries/{entry_id}/reverse", response={201: EntryOut, 403: ErrorOut, 422: ErrorOut}
)
def reverse_entry(request: HttpRequest, entry_id: int, payload: ReverseIn) -> Any:
    entry = access.get_entry_for_user(request.user, entry_id)
    return _post(
        request,
        entry.fund_id,
        lambda fund: services.do_reverse_entry(
            request.user, entry, date=payload.date, reason=payload.reason
        ),
    )


# --- housing cases ------------------------------------------------------------------------
#
# Every step goes through ``access.case_step_refusal`` (who may take it: 403 with the
# reason) and the service of ``khoi.fund.housing`` (the order of the steps, the
# maker-checker, the tranches, the audit log: 422 naming the field). A case or household
# outside the user's reach is 404, as on the pages.

Year = Annotated[int, Field(ge=1900, le=2100)]
Text = Annotated[str, Field(max_length=200)]


class CaseOut(Schema):
    id: int
    household_id: int
    household_name: str = Field(alias="household.head_name")
    unit_id: int = Field(alias="household.unit_id")
    fund_id: int
    year: int
    kind: str
    status: str
    amount: int
    amount_source: str
    tranche1_amount: int
    tranche2_amount: int
    score: int | None
    checklist: dict[str, bool]
    proposed_by_id: int | None
    approved_by_id: int | None
    decision_notation: str
    decision_date: datetime.date | None
    accepted_on: datetime.date | None
    acceptance_signers: list[str]
    handed_over_on: datetime.date | None
    note: str


class CriterionOut(Schema):
    code: str
    label: str
    points: int


class SigningRoleOut(Schema):
    id: int
    label: str
    required: bool


class PhotoOut(Schema):
    id: int
    stage: str
    content_type: str


class CaseDetailOut(CaseOut):
    actions: list[str]
    criteria: list[CriterionOut]
    signing_roles: list[SigningRoleOut]
    photos: list[PhotoOut] = Field(alias="photo_list")


def _case_detail(user: Any, case_id: int) -> HousingCase:
    """The case (as the user may see it) with what ``CaseDetailOut`` adds."""
    case = access.get_case_for_user(user, case_id)
    extra = {
        "actions": access.case_actions(user, case),
        "criteria": housing.criteria_for(housing._province_id(case.household)),
        "signing_roles": housing.acceptance_roles_for(case),
        "photo_list": list(case.photos.order_by("pk")),
    }
    for name, value in extra.items():
        setattr(case, name, value)
    return case


def _invalid(exc: DjangoValidationError) -> Status:
    return Status(422, {"detail": INVALID, "errors": _errors(exc)})


def _step(request: HttpRequest, case_id: int, step: str, run: Callable[[HousingCase], Any]) -> Any:
    """One step of a case: 404 outside the user's reach, 403 with the reason when their
    role may not take it, 422 (nothing saved) when the service refuses."""
    case = access.get_case_for_user(request.user, case_id)
    refusal = access.case_step_refusal(request.user, case, step)
    if refusal is not None:
        return Status(403, {"detail": refusal})
    try:
        run(case)
    except DjangoValidationError as exc:
        return _invalid(exc)
    return _case_detail(request.user, case.pk)


STEP_RESPONSES = {200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class CaseFilter(Schema):
    fund_id: DbInt | None = None
    year: Year | None = None
    status: HousingCase.Status | None = None
    kind: HousingKind | None = None
    unit_id: DbInt | None = Field(None, description="the household's commune")


@router.get("fund/cases", response=list[CaseOut])
@paginate(PageNumberPagination, page_size=50)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> Any:
    """The cases of the households the user may see (a commune reporter: their commune)."""
    qs = HousingCase.objects.filter(household__in=access.households_for_user(request.user))
    if filters.fund_id is not None:
        qs = qs.filter(fund_id=filters.fund_id)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.unit_id is not None:
        qs = qs.filter(household__unit_id=filters.unit_id)
    return qs.select_related("household").order_by("-year", "-score", "pk")


def _cannot_write_household() -> Status:
    return Status(403, {"detail": _("Only the office staff of the area and the commune's "
                                    "Front officer change this household's records.")})  # fmt: skip


class ProposeIn(Schema):
    fund_id: DbInt
    kind: str
    year: Year | None = None
    note: str = Field("", max_length=500)
    # when the data holds no level for the kind, province and year (or the province's
    # differs): the amount and the document that sets it, as on the page
    amount: DbInt | None = None
    amount_source: str = Field("", max_length=300)


@router.post(
    "fund/households/{household_id}/cases",
    response={201: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def propose_case(request: HttpRequest, household_id: DbInt, payload: ProposeIn) -> Any:
    """Propose a housing case for a household (from the residential-area meeting)."""
    household = access.get_household_for_user(request.user, household_id)
    if not access.can_edit_households(request.user, household.unit):
        return _cannot_write_household()
    fund = access.proposable_funds(request.user, household).filter(pk=payload.fund_id).first()
    if fund is None:
        return _invalid(DjangoValidationError({"fund_id": _("Choose the fund that pays.")}))
    try:
        case = housing.do_propose_case(
            request.user, household, fund, year=payload.year or clock.today().year,
            kind=payload.kind, note=payload.note, amount=payload.amount,
            amount_source=payload.amount_source,
        )  # fmt: skip
    except DjangoValidationError as exc:
        return _invalid(exc)
    return Status(201, _case_detail(request.user, case.pk))


@router.get("fund/cases/{case_id}", response={200: CaseDetailOut, 404: ErrorOut})
def get_case(request: HttpRequest, case_id: DbInt) -> Any:
    """A case with the steps the user may take now, the checklist and the signing roles."""
    return _case_detail(request.user, case_id)


@router.post("fund/cases/{case_id}/verify", response=STEP_RESPONSES)
def verify_case(request: HttpRequest, case_id: DbInt) -> Any:
    """The commune Front verifies the proposal."""
    return _step(request, case_id, "verify", lambda c: housing.do_verify_case(request.user, c))


def _photos(files: list[UploadedFile] | None) -> list[tuple[str, bytes]]:
    # one byte more than a photo may weigh: the service refuses it by its size without
    # the whole upload in memory
    return [(f.name or "anh", f.read(housing.MAX_PHOTO_BYTES + 1)) for f in files or []]


@router.post("fund/cases/{case_id}/appraisal", response=STEP_RESPONSES)
def appraise_case(
    request: HttpRequest,
    case_id: DbInt,
    criteria: Form[list[Annotated[str, Field(max_length=50)]]] = None,  # type: ignore[assignment]
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """On-site appraisal (multipart form, as the page sends it): ``criteria`` repeated for
    each ticked criterion of the checklist, ``photos`` the house as it is. The score is
    the sum of the ticked criteria's points."""

    def run(case: HousingCase) -> Any:
        checklist = dict.fromkeys(criteria or [], True)
        return housing.do_appraise_case(
            request.user, case, checklist=checklist, photos=_photos(photos)
        )

    return _step(request, case_id, "appraise", run)


@router.post("fund/cases/{case_id}/approve", response=STEP_RESPONSES)
def approve_case(request: HttpRequest, case_id: DbInt) -> Any:
    """The standing board approves an appraised case; whoever proposed it never can."""
    return _step(request, case_id, "approve", lambda c: housing.do_approve_case(request.user, c))


class DateIn(Schema):
    date: datetime.date


class DecisionIn(DateIn):
    # the first tranche's share (1–99 %); the case keeps its own (60 % by default) when absent
    tranche1_percent: DbInt | None = None


@router.post("fund/cases/{case_id}/decision", response=STEP_RESPONSES)
def issue_decision(request: HttpRequest, case_id: DbInt, payload: DecisionIn) -> Any:
    """The support decision, numbered in the office's document register."""
    return _step(
        request, case_id, "decide",
        lambda c: housing.do_issue_decision(
            request.user, c, issued_on=payload.date, tranche1_percent=payload.tranche1_percent
        ),
    )  # fmt: skip


@router.post("fund/cases/{case_id}/progress", response=STEP_RESPONSES)
def record_progress(
    request: HttpRequest,
    case_id: DbInt,
    note: Form[Annotated[str, Field(max_length=300)]] = "",
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """Construction progress (multipart form): a ``note`` and ``photos``."""
    return _step(
        request, case_id, "progress",
        lambda c: housing.do_record_progress(request.user, c, note=note, photos=_photos(photos)),
    )  # fmt: skip


class AcceptanceIn(Schema):
    date: datetime.date
    # role id → the name of who signs for it (the roles of GET fund/cases/{id}), or the
    # names in the roles' order (free names when no role is configured)
    signers: dict[DbInt, Text] | list[Text]


@router.post("fund/cases/{case_id}/acceptance", response=STEP_RESPONSES)
def accept_case(request: HttpRequest, case_id: DbInt, payload: AcceptanceIn) -> Any:
    """The acceptance record ("biên bản nghiệm thu"), signed for each configured role."""
    return _step(
        request, case_id, "accept",
        lambda c: housing.do_accept_case(
            request.user, c, accepted_on=payload.date, signers=payload.signers
        ),
    )  # fmt: skip


@router.post("fund/cases/{case_id}/handover", response=STEP_RESPONSES)
def hand_over(request: HttpRequest, case_id: DbInt, payload: DateIn) -> Any:
    return _step(
        request, case_id, "handover",
        lambda c: housing.do_hand_over(request.user, c, date=payload.date),
    )  # fmt: skip


@router.post("fund/cases/{case_id}/settlement", response=STEP_RESPONSES)
def settle_case(request: HttpRequest, case_id: DbInt) -> Any:
    return _step(request, case_id, "settle", lambda c: housing.do_settle_case(request.user, c))


class TrancheIn(Schema):
    tranche: StrictInt
    date: datetime.date


@router.post(
    "fund/cases/{case_id}/tranches",
    response={201: EntryOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def pay_tranche(request: HttpRequest, case_id: DbInt, payload: TrancheIn) -> Any:
    """The fund's accountant pays tranche 1 (after the decision) or 2 (after acceptance)."""
    case = access.get_case_for_user(request.user, case_id)
    return _post(
        request,
        case.fund_id,
        lambda fund: housing.do_pay_tranche(
            request.user, case, tranche=payload.tranche, date=payload.date
        ),
    )


# --- households --------------------------------------------------------------------------
#
# ID and phone numbers are masked everywhere; the full values only through
# ``.../identity`` for the roles ``access.can_see_identity`` allows, each view logged
# (``services.reveal_identity``), as on the pages.


class HouseholdOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    area_name: str
    head_name: str
    head_birth_year: int | None
    address: str
    id_masked: str
    phone_masked: str
    source: str


class HouseholdFilter(Schema):
    q: str = Field("", max_length=200)
    unit_id: DbInt | None = None


@router.get("fund/households", response=list[HouseholdOut])
@paginate(PageNumberPagination, page_size=50)
def list_households(request: HttpRequest, filters: Query[HouseholdFilter]) -> Any:
    """The household register within the user's reach, ID and phone masked."""
    qs = access.households_for_user(request.user).select_related("unit")
    if filters.q.strip():
        qs = qs.filter(head_name_folded__contains=fold(filters.q.strip()))
    if filters.unit_id is not None:
        qs = qs.filter(unit_id=filters.unit_id)
    return qs.order_by("unit__name", "head_name_folded", "pk")


@router.get("fund/households/{household_id}", response={200: HouseholdOut, 404: ErrorOut})
def get_household(request: HttpRequest, household_id: DbInt) -> Any:
    return access.get_household_for_user(request.user, household_id)


class IdentityIn(Schema):
    purpose: str = Field("", max_length=200)


class IdentityOut(Schema):
    id_number: str
    phone: str


@router.post(
    "fund/households/{household_id}/identity",
    response={200: IdentityOut, 403: ErrorOut, 404: ErrorOut},
)
def reveal_identity(request: HttpRequest, household_id: DbInt, payload: IdentityIn) -> Any:
    """The full ID and phone numbers, for the roles that need them; every view is logged
    with its purpose."""
    household = access.get_household_for_user(request.user, household_id)
    if not access.can_see_identity(request.user, household):
        return Status(403, {"detail": _("Your role does not show full ID and phone numbers.")})
    purpose = payload.purpose.strip() or _("checking a support case")
    return services.reveal_identity(request.user, household, purpose)


class SupportOut(Schema):
    year: int
    organization: str
    kind: str
    amount: int


class MatchOut(Schema):
    household: HouseholdOut
    score: float
    reasons: list[str]
    decision: str
    supports: list[SupportOut]


@router.get("fund/households/{household_id}/matches", response={200: list[MatchOut], 404: ErrorOut})
def list_matches(request: HttpRequest, household_id: DbInt) -> Any:
    """Households of other lists judged the same, with the reasons and what they received
    (only households the user may see; identifiers masked)."""
    household = access.get_household_for_user(request.user, household_id)
    matches = access.visible_matches(request.user, services.find_household_matches(household))
    return [
        {
            "household": m.other,
            "score": m.score,
            "reasons": [str(r) for r in m.reasons],
            "decision": m.decision,
            "supports": m.supports,
        }
        for m in matches
    ]


class MatchIn(Schema):
    decision: MatchDecision.Decision
    reasons: list[Text] = Field(default_factory=list, max_length=20)


class MatchDecisionOut(Schema):
    first_id: int
    second_id: int
    decision: str
    reasons: list[str]
    decided_by_id: int | None
    decided_at: datetime.datetime


@router.post(
    "fund/households/{household_id}/matches/{other}",
    response={200: MatchDecisionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def decide_match(request: HttpRequest, household_id: DbInt, other: DbInt, payload: MatchIn) -> Any:
    """Confirm (``same``) or reject (``different``) a match; kept and audited."""
    household = access.get_household_for_user(request.user, household_id)
    other_household = access.get_household_for_user(request.user, other)
    if not access.can_edit_households(request.user, household.unit):
        return _cannot_write_household()
    try:
        row = services.do_decide_match(
            request.user, household, other_household, payload.decision, payload.reasons
        )
    except DjangoValidationError as exc:
        return _invalid(exc)
    return row


# --- documents -----------------------------------------------------------------------------
#
# The same files and the same access as the pages (``views.receipt_print``,
# ``views_cases.case_document``): readers of the fund / of the case; 404 outside their
# reach, for an entry that is no receipt and for a document the case does not have yet.

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("fund/entries/{entry_id}/receipt.docx", response={200: None, 404: ErrorOut})
def receipt_docx(request: HttpRequest, entry_id: DbInt) -> Any:
    """The receipt ("phiếu thu") of a receipt entry, amount in words."""
    entry = access.get_entry_for_user(request.user, entry_id)
    if entry.kind != Entry.Kind.RECEIPT:
        raise access.not_found()
    name = f"phieu-thu-{entry.number.replace('/', '-')}.docx"
    return _file(receipts.receipt_docx(entry), DOCX, name)


@router.get(
    "fund/entries/{entry_id}/receipt.pdf", response={200: None, 404: ErrorOut, 503: ErrorOut}
)
def receipt_pdf(request: HttpRequest, entry_id: DbInt) -> Any:
    """The receipt as PDF (LibreOffice); 503 with the reason when it cannot convert."""
    from khoi.documents.reports import ConversionError, docx_to_pdf

    entry = access.get_entry_for_user(request.user, entry_id)
    if entry.kind != Entry.Kind.RECEIPT:
        raise access.not_found()
    try:
        pdf = docx_to_pdf(receipts.receipt_docx(entry))
    except ConversionError as exc:
        return Status(503, {"detail": str(exc)})
    return _file(pdf, "application/pdf", f"phieu-thu-{entry.number.replace('/', '-')}.pdf")


@router.get("fund/cases/{case_id}/decision.docx", response={200: None, 404: ErrorOut})
def case_decision_docx(request: HttpRequest, case_id: DbInt) -> Any:
    """The support decision (official layout), once it is numbered."""
    case = access.get_case_for_user(request.user, case_id)
    if not case.decision_notation:
        raise access.not_found()
    return _file(documents.decision_docx(case), DOCX, f"decision-{case.pk}.docx")


@router.get("fund/cases/{case_id}/acceptance.docx", response={200: None, 404: ErrorOut})
def case_acceptance_docx(request: HttpRequest, case_id: DbInt) -> Any:
    """The acceptance record ("biên bản nghiệm thu"), once the case is accepted."""
    case = access.get_case_for_user(request.user, case_id)
    if not case.accepted_on:
        raise access.not_found()
    return _file(documents.acceptance_docx(case), DOCX, f"acceptance-{case.pk}.docx")


# --- imports -------------------------------------------------------------------------------
#
# Upload the .xlsx to ``.../import/preview`` (nothing saved): every row, or every error by
# row (as Excel numbers it) and column, and the file's SHA-256. Upload the same file again
# to ``.../import/confirm`` with that ``sha256``: it is checked again and written all or nothing
# (422 with the errors by row and column otherwise, nothing saved). The API keeps no state
# between the two calls. Same roles as the pages: the fund's accountants for donations,
# those who write in the commune for households.

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowErrorOut(Schema):
    row: int
    column: str
    header: str
    code: str
    message: str


class ImportRefusedOut(ErrorOut):
    rows: list[RowErrorOut] = Field(default_factory=list)


class ReceiptRowOut(Schema):
    row: int
    date: datetime.date
    donor_kind: str
    donor_name: str
    amount: int
    channel: str
    campaign_id: int | None
    note: str


class ReceiptPreviewOut(Schema):
    sha256: str
    count: int
    total: int
    rows: list[ReceiptRowOut]
    errors: list[RowErrorOut]


class ReceiptImportOut(Schema):
    count: int
    total: int
    entry_ids: list[int]


def _read_upload(upload: UploadedFile) -> bytes:
    from khoi.work.importer import MAX_BYTES

    return upload.read(MAX_BYTES + 1)  # one byte more: refused by its size, not read whole


def _row_errors(errors: list[Any]) -> list[dict[str, Any]]:
    return [
        {"row": e.row, "column": e.column, "header": e.header, "code": e.code,
         "message": str(e.message)}
        for e in errors
    ]  # fmt: skip


def _refused(detail: str, errors: list[Any] | None = None, **fields: str) -> Status:
    rows = _row_errors(errors or [])
    by_field = {k: [v] for k, v in fields.items()}
    if rows:
        by_field["file"] = [_row_error_text(e) for e in rows]
    return Status(422, {"detail": detail, "errors": by_field, "rows": rows})


def _row_error_text(e: dict[str, Any]) -> str:
    if not e["row"]:
        return str(e["message"])
    if e["column"]:
        return _("Row %(row)s, column %(column)s (%(header)s): %(message)s") % e
    return _("Row %(row)s: %(message)s") % e


def _accountant_fund(user: Any, fund_id: int) -> Fund | Status:
    fund = access.get_fund_for_user(user, fund_id)
    if not access.can_post(user, fund):
        return Status(403, {"detail": _("Only the fund's accountants import donation lists.")})
    return fund


@router.get("fund/funds/{fund_id}/import/template.xlsx", response={200: None, 403: ErrorOut})
def receipt_import_template(request: HttpRequest, fund_id: DbInt) -> Any:
    fund = _accountant_fund(request.user, fund_id)
    if isinstance(fund, Status):
        return fund
    return _file(importer.build_template(fund), XLSX, "mau-danh-sach-ung-ho.xlsx")


@router.post(
    "fund/funds/{fund_id}/import/preview",
    response={200: ReceiptPreviewOut, 403: ErrorOut, 404: ErrorOut},
)
def receipt_import_preview(request: HttpRequest, fund_id: DbInt, file: File[UploadedFile]) -> Any:
    """A donation list checked and shown, nothing saved: ``errors`` by row and column
    (empty when the list can be imported) and ``sha256`` for the confirmation."""
    fund = _accountant_fund(request.user, fund_id)
    if isinstance(fund, Status):
        return fund
    data = _read_upload(file)
    result = importer.parse_workbook(data, fund)
    rows = [
        {**{k: r[k] for k in ("row", "date", "donor_kind", "donor_name", "amount", "channel",
                              "note")},
         "campaign_id": r["campaign"].pk if r["campaign"] else None}
        for r in result.rows
    ]  # fmt: skip
    return {
        "sha256": hashlib.sha256(data).hexdigest(), "count": len(rows), "total": result.total,
        "rows": rows if not result.errors else [], "errors": _row_errors(result.errors),
    }  # fmt: skip


@router.post(
    "fund/funds/{fund_id}/import/confirm",
    response={201: ReceiptImportOut, 403: ErrorOut, 404: ErrorOut, 422: ImportRefusedOut},
)
def receipt_import(
    request: HttpRequest,
    fund_id: DbInt,
    file: File[UploadedFile],
    sha256: Form[Annotated[str, Field(max_length=64)]],
) -> Any:
    """Post every row of the previewed list as a receipt, all or nothing (audited)."""
    fund = _accountant_fund(request.user, fund_id)
    if isinstance(fund, Status):
        return fund
    data = _read_upload(file)
    if hashlib.sha256(data).hexdigest() != sha256.strip().lower():
        return _refused(INVALID, sha256=_("This is not the file that was previewed: preview "
                                          "it again."))  # fmt: skip
    result = importer.parse_workbook(data, fund)
    if result.errors:
        return _refused(_("The file has errors: nothing was imported."), result.errors)
    try:
        posted = services.do_import_receipts(request.user, fund, result.rows)
    except DjangoValidationError as exc:
        return _refused(" ".join(exc.messages))
    return Status(201, {"count": len(posted), "total": sum(e.amount for e in posted),
                        "entry_ids": [e.pk for e in posted]})  # fmt: skip


class CandidateOut(Schema):
    household_id: int | None
    row: int | None
    name: str
    source: str
    unit_name: str
    score: float
    reasons: list[str]
    supports: list[SupportOut]
    decision: str


class HouseholdRowOut(Schema):
    row: int
    head_name: str
    head_birth_year: int | None
    area_name: str
    address: str
    id_masked: str
    phone_masked: str
    status: str
    support_kind: str
    support_amount: int | None
    candidates: list[CandidateOut]


class HouseholdPreviewOut(Schema):
    sha256: str
    count: int
    rows: list[HouseholdRowOut]
    errors: list[RowErrorOut]


class HouseholdImportOut(Schema):
    count: int
    household_ids: list[int]
    match_decisions: int


class MatchChoiceIn(Schema):
    row: DbInt
    household_id: DbInt
    decision: MatchDecision.Decision


def _household_import_target(
    user: Any, unit_id: int, organization: str, year: int
) -> tuple[Any, str] | Status:
    units = access.writable_units(user)
    if not units.exists():
        return Status(403, {"detail": _("Only the office staff of the area and the commune's "
                                        "Front officer import household lists.")})  # fmt: skip
    unit = units.filter(pk=unit_id).first()
    if unit is None:
        raise access.not_found()
    org = organization.strip()
    if not org:
        raise DjangoValidationError(
            {"organization": _("Enter the organization whose list this is.")}
        )
    if not 1990 <= year <= 2100:
        raise DjangoValidationError({"year": _("The year is not valid.")})
    return unit, org


def _household_row_out(row: Any) -> dict[str, Any]:
    data = row.data
    return {
        "row": row.row, "head_name": data.get("head_name", ""),
        "head_birth_year": data.get("head_birth_year"), "area_name": data.get("area_name", ""),
        "address": data.get("address", ""),
        # the file's full numbers stay in the file: masked here as in the register
        "id_masked": services.mask_tail(data.get("id_number", "")),
        "phone_masked": services.mask_tail(data.get("phone", "")),
        "status": row.status, "support_kind": row.support_kind,
        "support_amount": row.support_amount,
        "candidates": [
            c.__dict__ | {"reasons": [str(r) for r in c.reasons],
                          "supports": [{**x, "kind": str(x["kind"])} for x in c.supports]}
            for c in row.candidates
        ],
    }  # fmt: skip


@router.get("fund/households/import/template.xlsx", response={200: None, 403: ErrorOut})
def household_import_template(request: HttpRequest) -> Any:
    if not access.writable_units(request.user).exists():
        return Status(403, {"detail": _("Only the office staff of the area and the commune's "
                                        "Front officer import household lists.")})  # fmt: skip
    return _file(household_import.build_template(), XLSX, "mau-danh-sach-ho.xlsx")


@router.post(
    "fund/households/import/preview",
    response={200: HouseholdPreviewOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def household_import_preview(
    request: HttpRequest,
    file: File[UploadedFile],
    unit_id: Form[DbInt],
    organization: Form[Annotated[str, Field(max_length=150)]],
    year: Form[Year],
) -> Any:
    """A commune's or an organization's household list checked and matched, nothing
    saved: errors by row and column, or each row with the registered households (and the
    rows above it) judged the same, what they received, from whom, when and why."""
    target = _household_import_target(request.user, unit_id, organization, year)
    if isinstance(target, Status):
        return target
    unit, org = target
    data = _read_upload(file)
    result = household_import.parse_households(data, unit=unit, organization=org, year=year)
    return {
        "sha256": hashlib.sha256(data).hexdigest(), "count": len(result.rows),
        "rows": [_household_row_out(r) for r in result.rows] if not result.errors else [],
        "errors": _row_errors(result.errors),
    }  # fmt: skip


@router.post(
    "fund/households/import/confirm",
    response={201: HouseholdImportOut, 403: ErrorOut, 404: ErrorOut, 422: ImportRefusedOut},
)
def household_import_confirm(
    request: HttpRequest,
    file: File[UploadedFile],
    unit_id: Form[DbInt],
    organization: Form[Annotated[str, Field(max_length=150)]],
    year: Form[Year],
    sha256: Form[Annotated[str, Field(max_length=64)]],
    decisions: Form[Annotated[str, Field("[]", max_length=100_000)]] = "[]",
) -> Any:
    """Register every row of the previewed list, all or nothing (audited). ``decisions``:
    a JSON list of ``{"row", "household_id", "decision": "same"|"different"}`` for the
    proposed matches the office decided (the others stay undecided)."""
    from pydantic import TypeAdapter
    from pydantic import ValidationError as PydanticError

    target = _household_import_target(request.user, unit_id, organization, year)
    if isinstance(target, Status):
        return target
    unit, org = target
    try:
        choices = TypeAdapter(list[MatchChoiceIn]).validate_json(decisions or "[]")
    except PydanticError:
        return _refused(INVALID, decisions=_('Write the decisions as a JSON list of {"row", '
                                             '"household_id", "decision"}.'))  # fmt: skip
    data = _read_upload(file)
    if hashlib.sha256(data).hexdigest() != sha256.strip().lower():
        return _refused(INVALID, sha256=_("This is not the file that was previewed: preview "
                                          "it again."))  # fmt: skip
    result = household_import.parse_households(data, unit=unit, organization=org, year=year)
    if result.errors:
        return _refused(_("The file has errors: nothing was imported."), result.errors)
    proposed = {(r.row, c.household_id) for r in result.rows for c in r.candidates}
    chosen: dict[tuple[int, int], str] = {}
    for c in choices:
        if (c.row, c.household_id) not in proposed:
            return _refused(INVALID, decisions=_("Row %(row)s has no proposed match with "
                                                 "household %(id)s.")
                            % {"row": c.row, "id": c.household_id})  # fmt: skip
        chosen[(c.row, c.household_id)] = str(c.decision)
    try:
        created = household_import.do_import_households(
            request.user, result.rows, organization=org, year=year, decisions=chosen
        )
    except DjangoValidationError as exc:
        return _refused(" ".join(exc.messages))
    return Status(201, {"count": len(created), "household_ids": [h.pk for h in created],
                        "match_decisions": len(chosen)})  # fmt: skip
