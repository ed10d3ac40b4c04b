"""Creating and editing a fund (per unit and level) and its campaigns, audited.

Who: the head of the joint office the fund belongs to (the standing board's office) creates
funds for the office's unit and the communes under it, and changes their settings and
accountants; the head and the fund's accountants create and edit its campaigns. Site
administrators use the admin. Everyone else gets the same 404 as for a missing fund.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khoi import clock
from khoi.accounts.access import can_head_office, get_scope, head_offices
from khoi.fund import access, services
from khoi.fund.forms import CampaignForm, FundCreateForm, FundSettingsForm
from khoi.fund.models import Campaign, Fund
from khoi.fund.views import _service_errors
from khoi.org.models import AdminUnit, JointOffice, active_q


def _managed_offices(user: Any) -> Any:
    if get_scope(user).is_admin:
        return JointOffice.objects.none()  # administrators use the admin
    return head_offices(user).select_related("unit").order_by("name")


def can_manage(user: Any, fund: Fund) -> bool:
    return (
        fund.office_id is not None
        and not get_scope(user).is_admin
        and can_head_office(user, fund.office_id)
    )


def can_run_campaigns(user: Any, fund: Fund) -> bool:
    return can_manage(user, fund) or (
        bool(getattr(user, "pk", None)) and fund.accountants.filter(pk=user.pk).exists()
    )


def _staff_of(offices: Any) -> Any:
    return (
        get_user_model()
        .objects.filter(active_q("person__memberships__", clock.today()),
                        person__memberships__office__in=offices)
        .distinct()
        .order_by("username")
    )  # fmt: skip


def _units_of(offices: Any) -> Any:
    q = None
    for office in offices:
        sub = AdminUnit.objects.subtree(office.unit).filter(level__lte=3)
        q = sub if q is None else q | sub
    return (q if q is not None else AdminUnit.objects.none()).order_by("level", "name")


@login_required
def fund_create(request: HttpRequest) -> HttpResponse:
    offices = _managed_offices(request.user)
    if not offices.exists():
        raise access.not_found()
    form = FundCreateForm(request.POST or None, offices=offices, units=_units_of(offices),
                          staff=_staff_of(offices))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                fund = services.do_create_fund(
                    request.user, name=data["name"], unit=data["unit"], level=data["level"],
                    office=data["office"], requires_donor=data["requires_donor"],
                    requires_campaign=data["requires_campaign"],
                    running_cost_cap_percent=data["running_cost_cap_percent"],
                )  # fmt: skip
                services.do_set_accountants(request.user, fund, list(data["accountants"]))
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Fund created."))
            return redirect("fund:fund_settings", pk=fund.pk)
    return render(request, "fund/fund_form.html", {"form": form, "fund": None})


@login_required
def fund_settings(request: HttpRequest, pk: int) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, pk)
    manage = can_manage(request.user, fund)
    if not manage and not can_run_campaigns(request.user, fund):
        raise access.not_found()
    form = None
    if manage:
        initial = {"name": fund.name, "requires_donor": fund.requires_donor,
                   "requires_campaign": fund.requires_campaign,
                   "running_cost_cap_percent": fund.running_cost_cap_percent,
                   "accountants": list(fund.accountants.all())}  # fmt: skip
        staff = _staff_of(JointOffice.objects.filter(pk=fund.office_id or 0))
        form = FundSettingsForm(request.POST or None, initial=initial, staff=staff)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.do_update_fund(
                        request.user, fund, name=data["name"],
                        requires_donor=data["requires_donor"],
                        requires_campaign=data["requires_campaign"],
                        running_cost_cap_percent=data["running_cost_cap_percent"],
                    )  # fmt: skip
                    services.do_set_accountants(request.user, fund, list(data["accountants"]))
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("fund:fund_settings", pk=fund.pk)
    elif request.method == "POST":
        raise access.not_found()
    return render(
        request,
        "fund/fund_settings.html",
        {"fund": fund, "form": form, "campaigns": fund.campaigns.all(),
         "campaign_form": CampaignForm()},
    )  # fmt: skip


def _campaign_page(request: HttpRequest, fund: Fund, campaign: Campaign | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if campaign is not None:
        initial = {"name": campaign.name, "start_on": campaign.start_on.strftime("%d/%m/%Y"),
                   "end_on": campaign.end_on.strftime("%d/%m/%Y")}  # fmt: skip
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        start: datetime.date = data["start_on"]
        try:
            if campaign is None:
                services.do_create_campaign(request.user, fund, name=data["name"],
                                            start_on=start, end_on=data["end_on"])  # fmt: skip
            else:
                services.do_update_campaign(request.user, campaign, name=data["name"],
                                            start_on=start, end_on=data["end_on"])  # fmt: skip
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("fund:fund_settings", pk=fund.pk)
    return render(request, "fund/campaign_form.html",
                  {"fund": fund, "campaign": campaign, "form": form})  # fmt: skip


@login_required
def campaign_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, pk)
    if not can_run_campaigns(request.user, fund):
        raise access.not_found()
    return _campaign_page(request, fund, None)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = Campaign.objects.select_related("fund").filter(pk=pk).first()
    if campaign is None:
        raise access.not_found()
    fund = access.get_fund_for_user(request.user, campaign.fund_id)
    if not can_run_campaigns(request.user, fund):
        raise access.not_found()
    return _campaign_page(request, fund, campaign)
