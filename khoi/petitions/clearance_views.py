"""Land clearance pages: a key project's page (counts per stage and commune, the affected
households with search and pages, the one timeline), the household list as .xlsx, a
household's stages, visits and dialogues, coordination rules and their obligations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.accounts.access import not_found
from khoi.http import add_service_errors, message_errors
from khoi.lib import sheets
from khoi.lib.vntext import fold
from khoi.pagination import paginate
from khoi.petitions import clearance as services
from khoi.petitions import clearance_access as access
from khoi.petitions.clearance_forms import (
    HouseholdForm,
    ObligationForm,
    ObligationStatusForm,
    RulesForm,
    StageForm,
    VisitForm,
)
from khoi.petitions.clearance_providers import household_names
from khoi.petitions.models import STAGE_ORDER, AffectedHousehold, KeyProject, Stage
from khoi.petitions.views import _pick_office
from khoi.registry import household_search, related_items, timeline

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAGES = [*STAGE_ORDER, Stage.COMPLAINT]


def filter_households(
    user: Any, project: KeyProject, params: Any
) -> tuple[QuerySet[AffectedHousehold], dict[str, str]]:
    """The households the user reads, filtered by ``q`` (head's name, accent-insensitive,
    also in the register), ``unit`` and ``stage``."""
    f = {k: str(params.get(k, "")).strip() for k in ("q", "unit", "stage")}
    qs = access.households_for_user(user, project)
    if f["q"]:
        q = Q(head_name_folded__contains=fold(f["q"]))
        unit_ids = list(project.units.values_list("pk", flat=True))
        for found in household_search(user, f["q"], unit_ids):
            q |= Q(register_id__in=found)
        qs = qs.filter(q)
    if f["unit"].isdigit():
        qs = qs.filter(unit_id=int(f["unit"]))
    if f["stage"] in Stage.values:
        qs = qs.filter(stage=f["stage"])
    return qs.select_related("unit").order_by("unit__name", "head_name_folded", "id"), f


def stage_counts(user: Any, project: KeyProject) -> tuple[list[dict[str, Any]], list[int]]:
    """Per commune the user reads: the count of households at each stage (one query)."""
    rows = (
        access.households_for_user(user, project)
        .values("unit_id", "unit__name", "stage")
        .annotate(n=Count("id"))
    )
    table: dict[int, dict[str, Any]] = {}
    for r in rows:
        row = table.setdefault(
            r["unit_id"], {"unit": r["unit__name"], "counts": dict.fromkeys(STAGES, 0)}
        )
        row["counts"][Stage(r["stage"])] = r["n"]
    out = []
    totals = [0] * len(STAGES)
    for row in sorted(table.values(), key=lambda r: fold(r["unit"])):
        cells = [row["counts"][s] for s in STAGES]
        totals = [a + b for a, b in zip(totals, cells, strict=True)]
        out.append({"unit": row["unit"], "cells": cells, "total": sum(cells)})
    return out, totals


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = access.get_project_for_user(user, pk)
    qs, f = filter_households(user, project, request.GET)
    page = paginate(request, qs)
    households = list(page.object_list)
    names = household_names(user, project, households)
    rows, totals = stage_counts(user, project)
    whole = access.reads_whole_project(user, project)
    rules = (
        access.rules_for_user(user).filter(projects=project).order_by("-signed_on") if whole else []
    )
    return render(
        request,
        "petitions/clearance/project_detail.html",
        {
            "project": project,
            "page": page,
            "households": [(h, names.get(h.pk, "")) for h in households],
            "f": f,
            "stages": STAGES,
            "stage_rows": rows,
            "stage_totals": totals,
            "grand_total": sum(totals),
            "units": project.units.all().order_by("name"),
            "timeline": timeline(user, project),
            "rules": rules,
            "whole": whole,
            "can_record": access.can_record(user, project),
        },
    )


@login_required
def project_export(request: HttpRequest, pk: int) -> HttpResponse:
    from openpyxl import Workbook

    user = request.user
    project = access.get_project_for_user(user, pk)
    qs, _f = filter_households(user, project, request.GET)
    households = list(qs)
    names = household_names(user, project, households)
    wb = Workbook()
    ws: Any = wb.active
    ws.title = _("Households")
    ws.append([project.name])
    ws.append(
        [
            _("No."),
            _("Commune or ward"),
            _("Head of household"),
            _("In the household register"),
            _("Stage"),
            _("Stage reached on"),
        ]
    )
    for i, h in enumerate(households, 1):
        ws.append(
            [
                i,
                h.unit.name,
                names.get(h.pk, ""),
                _("yes") if h.register_id else _("no"),
                str(Stage(h.stage).label),
                h.stage_on.strftime("%d/%m/%Y"),
            ]
        )
    response = HttpResponse(sheets.to_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ho-gpmb-{project.pk}.xlsx"'
    return response


@login_required
def household_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = access.get_project_for_user(user, pk)
    units = access.recordable_units(user, project)
    if not units.exists():
        raise not_found()
    form = HouseholdForm(request.POST or None, units=units, initial={"on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            household = services.do_add_household(
                user, project, unit=d["unit"], register_id=d["register_id"],
                head_name=d["head_name"], area_name=d["area_name"], on=d["on"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The household was added."))
            return redirect("petitions:household_detail", pk=household.pk)
    return render(
        request, "petitions/clearance/household_form.html", {"form": form, "project": project}
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    household = access.get_household_for_user(user, pk)
    project = household.project
    if not access.households_for_user(user, project).filter(pk=pk).exists():
        raise not_found()
    names = household_names(user, project, [household])
    can_record = access.can_record(user, project, household.unit_id)
    forward, backward = services.allowed_stages(household)
    form = StageForm(initial={"on": clock.today()}) if can_record else None
    if form is not None:
        choices = [(s, services.stage_label(s)) for s in forward + backward]
        form.fields["to_stage"].choices = choices  # type: ignore[attr-defined]
    card_url = ""
    if household.register_id:
        from khoi.registry import household_cards

        card = household_cards(user, [household.register_id]).get(household.register_id)
        card_url = card.url if card else ""
    show = access.shows_names(user, project, household.unit_id)
    visits = household.visits.order_by("-held_on", "-id")
    return render(
        request,
        "petitions/clearance/household_detail.html",
        {
            "household": household,
            "project": project,
            "name": names.get(household.pk, ""),
            "card_url": card_url,
            "changes": household.changes.select_related("actor").order_by("on", "id"),
            "visits": [(v, v.with_whom if show else access.MASK) for v in visits],
            "form": form,
        },
    )


@login_required
@require_POST
def household_stage(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    household = access.get_household_for_user(user, pk)
    if not access.households_for_user(user, household.project).filter(pk=pk).exists():
        raise not_found()
    form = StageForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for e in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {e}" if label else str(e))
        return redirect("petitions:household_detail", pk=pk)
    d = form.cleaned_data
    try:
        services.do_change_stage(
            user, household, to_stage=d["to_stage"], on=d["on"], reason=d["reason"]
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, _("The stage was recorded."))
    return redirect("petitions:household_detail", pk=pk)


@login_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = access.get_project_for_user(user, pk)
    units = access.recordable_units(user, project)
    if not units.exists():
        raise not_found()
    households = (
        access.households_for_user(user, project).filter(unit__in=units).select_related("unit")
    )
    names = household_names(user, project, list(households))
    form = VisitForm(
        request.POST or None, units=units, households=households, names=names,
        initial={"held_on": clock.today()},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_record_visit(user, project, **d)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("petitions:project_detail", pk=project.pk)
    return render(
        request, "petitions/clearance/visit_form.html", {"form": form, "project": project}
    )


# --- coordination rules ---------------------------------------------------------------------


@login_required
def rules_list(request: HttpRequest) -> HttpResponse:
    rules = (
        access.rules_for_user(request.user)
        .select_related("office")
        .annotate(
            n=Count("obligations"),
            open_n=Count("obligations", filter=Q(obligations__status="open")),
        )
        .order_by("-signed_on", "-id")
    )
    return render(
        request,
        "petitions/clearance/rules_list.html",
        {
            "page": paginate(request, rules),
            "can_create": bool(request.user.is_authenticated)
            and _writable_offices(request.user).exists(),
        },
    )


def _writable_offices(user: Any) -> Any:
    from khoi.petitions.access import intake_offices

    return intake_offices(user)


@login_required
def rules_create(request: HttpRequest) -> HttpResponse:
    office = _pick_office(request, _writable_offices(request.user))
    if office is None:
        raise not_found()
    projects = KeyProject.objects.filter(office=office).order_by("name")
    form = RulesForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rules = services.do_create_rules(
                request.user, office, title=d["title"], counterpart=d["counterpart"],
                signed_on=d["signed_on"], projects=list(d["projects"]), note=d["note"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The coordination rules were recorded."))
            return redirect("petitions:rules_detail", pk=rules.pk)
    return render(request, "petitions/clearance/rules_form.html", {"form": form, "office": office})


@login_required
def rules_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    rules = access.get_rules_for_user(user, pk)
    can_write = access.can_write_rules(user, rules.office_id)
    form = ObligationForm(request.POST or None) if can_write else None
    if request.method == "POST":
        if form is None:
            raise not_found()
        if form.is_valid():
            try:
                services.do_add_obligation(user, rules, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The obligation was added."))
                return redirect("petitions:rules_detail", pk=pk)
    today = clock.today()
    obligations = [(ob, ob.is_overdue(today)) for ob in rules.obligations.order_by("due_on", "id")]
    return render(
        request,
        "petitions/clearance/rules_detail.html",
        {
            "rules": rules,
            "projects": access.projects_for_user(user).filter(coordination_rules=rules),
            "obligations": obligations,
            "form": form,
            "status_form": ObligationStatusForm(initial={"done_on": today}) if can_write else None,
            "related": related_items(user, rules),
        },
    )


@login_required
@require_POST
def obligation_status(request: HttpRequest, pk: int) -> HttpResponse:
    ob = access.get_obligation_for_user(request.user, pk)
    if not access.can_write_rules(request.user, ob.rules.office_id):
        raise not_found()
    form = ObligationStatusForm(request.POST)
    if form.is_valid():
        try:
            services.do_set_obligation_status(request.user, ob, **form.cleaned_data)
        except ValidationError as exc:
            message_errors(request, exc)
        else:
            messages.success(request, _("The obligation was updated."))
    else:
        messages.error(request, _("Choose a valid status and date."))
    return redirect("petitions:rules_detail", pk=ob.rules_id)
