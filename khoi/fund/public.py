"""Public disclosure ("công khai") of every fund: no login, no personal identifiers.

Shown: each fund's receipts and expenditures of a period (number, date, amount, donor —
"Ẩn danh" for an anonymous donor —, purpose and the household or decision paid), the
period's totals, and an .xlsx download of the same. Never shown: ID numbers, phone
numbers, dates of birth (the ledger holds none), or an anonymous donor's name (the
ledger does not keep it either).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from khoi import clock
from khoi.fund import services
from khoi.fund.models import Entry, Fund, HousingCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: HttpRequest) -> tuple[int, datetime.date, datetime.date]:
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    year = min(max(year, 2000), 2100)
    return year, datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _donor(e: Entry) -> str:
    if e.kind != Entry.Kind.RECEIPT:
        return ""
    if e.is_anonymous or not e.donor_name:
        return _("Anonymous")
    return e.donor_name


def _rows(fund: Fund, start: datetime.date, end: datetime.date) -> Any:
    return (
        Entry.objects.filter(fund=fund, date__gte=start, date__lte=end)
        .only("number", "date", "kind", "sign", "amount", "donor_kind", "donor_name", "purpose",
              "beneficiary", "decision_ref", "fund_id")
        .order_by("seq")
    )  # fmt: skip


def fund_list(request: HttpRequest) -> HttpResponse:
    from khoi.fund.views import search_funds

    funds, q = search_funds(Fund.objects.all(), request)
    page = Paginator(funds.select_related("unit").order_by("name", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "fund/public_list.html", {"page": page, "q": q})


SUPPORTED = [
    HousingCase.Status.DECIDED, HousingCase.Status.TRANCHE1, HousingCase.Status.ACCEPTED,
    HousingCase.Status.TRANCHE2, HousingCase.Status.HANDED_OVER, HousingCase.Status.SETTLED,
]  # fmt: skip


def _supported(fund: Fund, year: int) -> Any:
    """Households given housing support: name, residential area, kind, amount, year only."""
    return (
        HousingCase.objects.filter(fund=fund, year=year, status__in=SUPPORTED)
        .select_related("household__unit")
        .only("kind", "amount", "year", "household__head_name", "household__area_name",
              "household__unit__name")
        .order_by("household__head_name_folded", "pk")
    )  # fmt: skip


def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = Fund.objects.select_related("unit").filter(pk=pk).first()
    if fund is None:
        raise Http404
    year, start, end = _period(request)
    page = Paginator(_rows(fund, start, end), 50).get_page(request.GET.get("page"))
    rows = [{"e": e, "donor": _donor(e)} for e in page.object_list]
    # the supported households are paged on their own (``hpage``), 50 a page like the ledger
    supported = Paginator(_supported(fund, year), 50).get_page(request.GET.get("hpage"))
    return render(
        request,
        "fund/public_detail.html",
        {"fund": fund, "year": year, "page": page, "rows": rows,
         "totals": services.period_balance(fund, start, end),
         "supported": supported},
    )  # fmt: skip


def _text(ws: Any, row: int, col: int, value: str) -> None:
    """User text stays text, never a formula."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    cell.data_type = "s"


def fund_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from openpyxl import Workbook

    fund = Fund.objects.filter(pk=pk).first()
    if fund is None:
        raise Http404
    year, start, end = _period(request)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Receipts and expenditures")[:31]
    headers = [_("Number"), _("Date"), _("Kind"), _("Amount (VND)"), _("Donor"), _("Purpose"),
               _("Household or decision paid")]  # fmt: skip
    ws.append(headers)
    for r, e in enumerate(_rows(fund, start, end).iterator(chunk_size=1000), start=2):
        _text(ws, r, 1, e.number)
        ws.cell(row=r, column=2, value=e.date).number_format = "DD/MM/YYYY"
        _text(ws, r, 3, str(e.get_kind_display()))
        ws.cell(row=r, column=4, value=e.signed_amount).number_format = "#,##0"
        _text(ws, r, 5, _donor(e))
        _text(ws, r, 6, str(e.get_purpose_display()) if e.purpose else "")
        _text(ws, r, 7, e.beneficiary or e.decision_ref)
    sheet = wb.create_sheet(_("Supported households")[:31])
    sheet.append([_("Head of household"), _("Residential area"), _("Kind"), _("Amount (VND)"),
                  _("Year")])  # fmt: skip
    for r, case in enumerate(_supported(fund, year).iterator(chunk_size=500), start=2):
        h = case.household
        _text(sheet, r, 1, h.head_name)
        _text(sheet, r, 2, ", ".join(x for x in (h.area_name, h.unit.name) if x))
        _text(sheet, r, 3, str(case.get_kind_display()))
        sheet.cell(row=r, column=4, value=case.amount).number_format = "#,##0"
        sheet.cell(row=r, column=5, value=case.year)
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cong-khai-quy-{fund.pk}-{year}.xlsx"'
    return response
