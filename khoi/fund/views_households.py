"""The household register: list (masked), detail with matches across lists, identity view."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.fund import access, services
from khoi.fund import household_import as hh_import
from khoi.fund.forms import HouseholdForm, HouseholdImportForm, SupportForm
from khoi.fund.models import MatchDecision
from khoi.fund.views import _service_errors, open_upload, seal_upload
from khoi.lib.vntext import fold


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    qs = access.households_for_user(request.user).select_related("unit")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(head_name_folded__contains=fold(q))
    page = Paginator(qs.order_by("unit__name", "head_name_folded", "pk"), 50).get_page(
        request.GET.get("page")
    )
    can_add = access.writable_units(request.user).exists()
    return render(request, "fund/household_list.html", {"page": page, "q": q, "can_add": can_add})


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    units = access.writable_units(request.user)
    if not units.exists():
        raise access.not_found()
    form = HouseholdForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.do_create_household(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            return redirect("fund:household_detail", pk=household.pk)
    return render(request, "fund/household_form.html", {"form": form})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = access.get_household_for_user(request.user, pk)
    can_edit = access.can_edit_households(request.user, household.unit)
    form = SupportForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise access.not_found()
        if form.is_valid():
            try:
                services.do_add_support(request.user, household, **form.cleaned_data)
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, _("Support recorded."))
                return redirect("fund:household_detail", pk=household.pk)
    matches = access.visible_matches(request.user, services.find_household_matches(household))
    return render(
        request,
        "fund/household_detail.html",
        {
            "household": household,
            "statuses": household.statuses.select_related("standard").order_by("-year"),
            "supports": household.supports.all(),
            "matches": matches,
            "form": form,
            "can_edit": can_edit,
            "can_see_identity": access.can_see_identity(request.user, household),
            "funds": access.proposable_funds(request.user, household).order_by("level", "name"),
            "this_year": clock.today().year,
        },
    )


@login_required
@require_POST
def household_identity(request: HttpRequest, pk: int) -> HttpResponse:
    household = access.get_household_for_user(request.user, pk)
    if not access.can_see_identity(request.user, household):
        raise access.not_found()
    purpose = request.POST.get("purpose", "").strip() or _("checking a support case")
    identity = services.reveal_identity(request.user, household, purpose)
    return render(
        request, "fund/household_identity.html", {"household": household, "identity": identity}
    )


@login_required
@require_POST
def household_match(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    household = access.get_household_for_user(request.user, pk)
    other_household = access.get_household_for_user(request.user, other)
    if not access.can_edit_households(request.user, household.unit):
        raise access.not_found()
    decision = request.POST.get("decision", "")
    try:
        services.do_decide_match(
            request.user, household, other_household, decision, request.POST.getlist("reason")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if decision == MatchDecision.Decision.SAME:
            messages.success(request, _("Confirmed: the same household."))
        else:
            messages.success(request, _("Rejected: different households."))
    return redirect("fund:household_detail", pk=household.pk)


IMPORT_SESSION_KEY = "fund_household_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def household_import_template(request: HttpRequest) -> HttpResponse:
    if not access.writable_units(request.user).exists():
        raise access.not_found()
    response = HttpResponse(hh_import.build_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-ho.xlsx"'
    return response


@login_required
def household_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview: errors by row and column, or every row with the households the
    register already holds that look the same (what they received, from whom, when, why)."""
    units = access.writable_units(request.user)
    if not units.exists():
        raise access.not_found()
    form = HouseholdImportForm(
        request.POST or None, request.FILES or None, units=units,
        initial={"year": clock.today().year},
    )  # fmt: skip
    result = None
    digest = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        unit, org, year = (form.cleaned_data[k] for k in ("unit", "organization", "year"))
        result = hh_import.parse_households(data, unit=unit, organization=org.strip(), year=year)
        if not result.errors:
            digest = hashlib.sha256(data).hexdigest()
            # the file holds full ID and phone numbers: the session row gets it sealed with
            # the field keys (``crypto.seal_bytes``), never in clear; removed on confirm
            # or cancel, and replaced by the next upload
            request.session[IMPORT_SESSION_KEY] = {
                "data": seal_upload(data), "sha": digest, "unit": unit.pk,
                "organization": org.strip(), "year": year,
            }  # fmt: skip
    return render(
        request,
        "fund/household_import.html",
        {"form": form, "result": result, "digest": digest},
    )


@login_required
@require_POST
def household_import_confirm(request: HttpRequest) -> HttpResponse:
    units = access.writable_units(request.user)
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if request.POST.get("cancel"):
        messages.info(request, _("The import was cancelled; nothing was imported."))
        return redirect("fund:household_import")
    if not pending or pending.get("sha") != request.POST.get("sha"):
        messages.error(request, _("The file to import is no longer available: upload it again."))
        return redirect("fund:household_import")
    unit = units.filter(pk=pending["unit"]).first()
    if unit is None:
        raise access.not_found()
    org, year = pending["organization"], pending["year"]
    result = hh_import.parse_households(
        open_upload(pending["data"]), unit=unit, organization=org, year=year
    )
    decisions: dict[tuple[int, int], str] = {}
    for row in result.rows:
        for c in row.candidates:
            value = request.POST.get(f"match-{row.row}-{c.household_id}", "")
            if c.household_id and value in MatchDecision.Decision.values:
                decisions[(row.row, c.household_id)] = value
    try:
        if result.errors:
            raise ValidationError(_("The file has errors: nothing was imported."))
        created = hh_import.do_import_households(
            request.user, result.rows, organization=org, year=year, decisions=decisions
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("fund:household_import")
    messages.success(
        request,
        _("%(n)d households imported; %(d)d match decisions kept.")
        % {"n": len(created), "d": len(decisions)},
    )
    return redirect("fund:household_list")
