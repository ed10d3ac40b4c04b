"""The household register: list (masked), detail with matches across lists, identity view."""

from __future__ import annotations

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
from khoi.fund.forms import HouseholdForm, SupportForm
from khoi.fund.models import MatchDecision
from khoi.fund.views import _service_errors
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
    matches = services.find_household_matches(household)
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
            "funds": access.funds_for_user(request.user).order_by("name")[:50] if can_edit else [],
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
