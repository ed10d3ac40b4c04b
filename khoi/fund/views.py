from __future__ import annotations

import base64
import datetime
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.fund import access, importer, receipts, services
from khoi.fund.forms import ExpenditureForm, ImportForm, ReceiptForm, ReverseForm
from khoi.fund.models import Entry
from khoi.lib.vntext import fold

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _service_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def fund_list(request: HttpRequest) -> HttpResponse:
    from khoi.fund.views_manage import _managed_offices

    funds, q = search_funds(access.funds_for_user(request.user), request)
    page = Paginator(funds.select_related("unit").order_by("name", "pk"), 50).get_page(
        request.GET.get("page")
    )
    can_create = _managed_offices(request.user).exists()
    return render(request, "fund/fund_list.html", {"page": page, "q": q, "can_create": can_create})


def search_funds(funds: Any, request: HttpRequest) -> tuple[Any, str]:
    """The funds whose commune, town or province name holds the words searched (accents and
    case ignored): a province or the whole country holds thousands of funds."""
    q = request.GET.get("q", "").strip()
    if q:
        funds = funds.filter(unit__name_folded__contains=fold(q))
    return funds, q


def _year(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("year") or clock.today().year), 2000), 2100)
    except ValueError:
        return clock.today().year


@login_required
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from khoi.fund.views_manage import can_manage

    fund = access.get_fund_for_user(request.user, pk)
    year = _year(request)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    entries = (
        Entry.objects.filter(fund=fund, date__gte=start, date__lte=end)
        .annotate(is_reversed=Exists(Entry.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-seq")
    )
    # the period's totals also count its entries: the paginator needs no COUNT query
    totals = services.period_balance(fund, start, end)
    paginator = Paginator(entries, 50)
    paginator.count = totals.entries  # a cached_property: set once, never counted
    page = paginator.get_page(request.GET.get("page"))
    # annotated on the fund's query: the accountants post entries and run the campaigns
    is_accountant = bool(getattr(fund, "user_is_accountant", False))
    can_post = is_accountant  # roles only (no site-administrator bypass)
    # the rows' links from one reversed prefix each (not three ``{% url %}`` a row)
    receipt_url = reverse("fund:receipt_print", args=[0, "docx"]).removesuffix("0/receipt.docx")
    rows = [(e, f"{receipt_url}{e.pk}/receipt.", f"{receipt_url}{e.pk}/reverse/") for e in page]
    return render(
        request,
        "fund/fund_detail.html",
        {
            "fund": fund,
            "year": year,
            "page": page,
            "rows": rows,
            "totals": totals,
            "balance": totals.current,
            "can_post": can_post,
            "can_configure": is_accountant or can_manage(request.user, fund),
        },
    )


def _post_view(request: HttpRequest, pk: int, form_class: Any, kind: str) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, pk)
    if not access.can_post(request.user, fund):
        raise access.not_found()
    extra = {"fund": fund} if form_class is ReceiptForm else {}
    form = form_class(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "receipt":
                entry = services.do_post_receipt(request.user, fund, **form.cleaned_data)
            else:
                entry = services.do_post_expenditure(request.user, fund, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Entry %(n)s posted.") % {"n": entry.number})
            return redirect("fund:fund_detail", pk=fund.pk)
    title = _("New receipt") if kind == "receipt" else _("New expenditure")
    return render(request, "fund/entry_form.html", {"fund": fund, "form": form, "title": title})


@login_required
def receipt_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_view(request, pk, ReceiptForm, "receipt")


@login_required
def expenditure_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_view(request, pk, ExpenditureForm, "expenditure")


@login_required
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """One page per reversal (the ledger list links here instead of carrying a form a row)."""
    entry = access.get_entry_for_user(request.user, pk)
    if not access.can_post(request.user, entry.fund) or entry.kind == Entry.Kind.REVERSAL:
        raise access.not_found()
    from khoi.fund.housing import case_paid_by

    case = case_paid_by(entry)  # a tranche: its case steps back with the reversal
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rev = services.do_reverse_entry(request.user, entry, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Entry %(n)s posted.") % {"n": rev.number})
            if case is not None:
                case.refresh_from_db(fields=["status"])
                back = _(
                    "The housing case of household %(head)s is back at «%(status)s»: the "
                    "reversed tranche counts as not paid."
                )
                head = case.household.head_name
                messages.info(request, back % {"head": head, "status": case.get_status_display()})
            return redirect("fund:fund_detail", pk=entry.fund_id)
    return render(request, "fund/entry_reverse.html", {"fund": entry.fund, "entry": entry,
                                                       "form": form})  # fmt: skip


@login_required
def receipt_print(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    entry = access.get_entry_for_user(request.user, pk)
    if entry.kind != Entry.Kind.RECEIPT:
        raise access.not_found()
    data = receipts.receipt_docx(entry)
    name = f"phieu-thu-{entry.number.replace('/', '-')}"
    if fmt == "pdf":
        from khoi.documents.reports import ConversionError, docx_to_pdf

        try:
            pdf = docx_to_pdf(data)
        except ConversionError as exc:
            messages.error(request, str(exc))
            return redirect("fund:fund_detail", pk=entry.fund_id)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


def _accountant_fund(request: HttpRequest, pk: int) -> Any:
    fund = access.get_fund_for_user(request.user, pk)
    if not access.can_post(request.user, fund):
        raise access.not_found()
    return fund


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _accountant_fund(request, pk)
    response = HttpResponse(importer.build_template(fund), content_type=importer_xlsx())
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-ung-ho.xlsx"'
    return response


def importer_xlsx() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def seal_upload(data: bytes) -> str:
    """An uploaded file kept in the session between preview and confirm, sealed with the
    field keys (``khoi.petitions.crypto``): the session table never holds it in clear."""
    from khoi.petitions import crypto

    return base64.b64encode(crypto.seal_bytes(data)).decode()


def open_upload(kept: str) -> bytes:
    from khoi.petitions import crypto

    return crypto.open_bytes(base64.b64decode(kept))


def _session_key(fund_pk: int) -> str:
    return f"fund_import_{fund_pk}"


@login_required
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (every row, or every error by row and column); nothing is saved."""
    fund = _accountant_fund(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    digest = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = importer.parse_workbook(data, fund)
        if not result.errors:
            digest = hashlib.sha256(data).hexdigest()
            request.session[_session_key(fund.pk)] = {
                "data": seal_upload(data),  # donors' names: sealed too
                "sha": digest,
            }
    return render(
        request,
        "fund/import.html",
        {"fund": fund, "form": form, "result": result, "digest": digest},
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _accountant_fund(request, pk)
    pending = request.session.pop(_session_key(fund.pk), None)
    if not pending or pending.get("sha") != request.POST.get("sha"):
        messages.error(request, _("The file to import is no longer available: upload it again."))
        return redirect("fund:import_upload", pk=fund.pk)
    result = importer.parse_workbook(open_upload(pending["data"]), fund)
    try:
        if result.errors:
            raise ValidationError(_("The file has errors: nothing was imported."))
        posted = services.do_import_receipts(request.user, fund, result.rows)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("fund:import_upload", pk=fund.pk)
    messages.success(request, _("%(n)d receipts imported.") % {"n": len(posted)})
    return redirect("fund:fund_detail", pk=fund.pk)
