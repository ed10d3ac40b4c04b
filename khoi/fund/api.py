"""API of the Fund for the Poor under /api/v1/fund/. Same access rules as the pages.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at run
time.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import StrictInt

from khoi import clock
from khoi.fund import access, housing, services
from khoi.fund.models import Entry, Fund

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


class CaseOut(Schema):
    id: int
    household_id: int
    fund_id: int
    year: int
    kind: str
    status: str
    amount: int
    score: int | None
    decision_notation: str


def _case_out(case: Any) -> dict[str, Any]:
    return {f: getattr(case, f) for f in CaseOut.model_fields}


@router.get("fund/cases/{case_id}", response=CaseOut)
def get_case(request: HttpRequest, case_id: int) -> Any:
    return _case_out(access.get_case_for_user(request.user, case_id))


@router.post("fund/cases/{case_id}/approve", response={200: CaseOut, 403: ErrorOut, 422: ErrorOut})
def approve_case(request: HttpRequest, case_id: int) -> Any:
    """The standing board approves an appraised case; whoever proposed it never can."""
    case = access.get_case_for_user(request.user, case_id)
    if case.proposed_by_id == request.user.pk:
        return Status(403, {"detail": "Người đề xuất không được phê duyệt hồ sơ của chính mình."})
    if not housing.can_approve(request.user, case):
        return Status(403, {"detail": "Chỉ Ban Thường trực được phê duyệt danh sách hỗ trợ."})
    try:
        case = housing.do_approve_case(request.user, case)
    except DjangoValidationError as exc:
        return Status(422, {"detail": INVALID, "errors": _errors(exc)})
    return _case_out(case)


class TrancheIn(Schema):
    tranche: StrictInt
    date: datetime.date


@router.post(
    "fund/cases/{case_id}/tranches", response={201: EntryOut, 403: ErrorOut, 422: ErrorOut}
)
def pay_tranche(request: HttpRequest, case_id: int, payload: TrancheIn) -> Any:
    """The fund's accountant pays tranche 1 (after the decision) or 2 (after acceptance)."""
    case = access.get_case_for_user(request.user, case_id)
    return _post(
        request,
        case.fund_id,
        lambda fund: housing.do_pay_tranche(
            request.user, case, tranche=payload.tranche, date=payload.date
        ),
    )
