from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.accounts.access import get_scope, not_found
from khoi.http import add_service_errors, message_errors
from khoi.lib.vntext import fold
from khoi.org import access, services
from khoi.org.forms import (
    AreaForm,
    AreaImportForm,
    MembershipForm,
    PeopleFilterForm,
    PersonForm,
    SubCommitteeForm,
)
from khoi.org.models import (
    AdminUnit,
    JointOffice,
    Membership,
    Organization,
    Person,
    active_q,
)
from khoi.pagination import paginate

# --- Offices ---------------------------------------------------------------------------------


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    offices = (
        access.offices_for_user(request.user)
        .select_related("unit")
        .annotate(n_orgs=Count("organizations", distinct=True))
        .order_by("name")
    )
    return render(request, "org/office_list.html", {"page": paginate(request, offices)})


@login_required
def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    office = access.get_office_for_user(request.user, code)
    orgs = office.organizations.select_related("unit").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(active_q())
            .filter(role__in=Membership.LEADER_ROLES)
            .select_related("person"),
            to_attr="leaders",
        )
    )
    members = (
        Membership.objects.filter(active_q(), office=office)
        .select_related("person")
        .order_by("role", "person__name_key")
    )
    subcommittees = office.subcommittees.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(active_q()).select_related("person"),
            to_attr="active_members",
        )
    )
    form = SubCommitteeForm()
    can_manage = access.can_manage_office(request.user, office)
    if request.method == "POST":
        if not can_manage:
            raise not_found()
        form = SubCommitteeForm(request.POST)
        if form.is_valid():
            try:
                services.do_add_subcommittee(
                    request.user,
                    office,
                    form.cleaned_data["name"],
                    form.cleaned_data["description"],
                )
                messages.success(request, _("The sub-committee was added."))
                return redirect("org:office_detail", code=office.code)
            except ValidationError as exc:
                add_service_errors(form, exc)
    units = AdminUnit.objects.subtree(office.unit)
    figures = {
        "organizations": len(orgs),
        "staff": sum(1 for m in members),
        "subcommittees": len(subcommittees),
        "communes": units.filter(level=AdminUnit.Level.COMMUNE).count(),
        "people": Person.objects.filter(unit__in=units, is_active=True).count(),
    }
    return render(
        request,
        "org/office_detail.html",
        {
            "office": office,
            "orgs": orgs,
            "members": members,
            "subcommittees": subcommittees,
            "figures": figures,
            "form": form,
            "can_manage": can_manage,
        },
    )


# --- Organizations -----------------------------------------------------------------------------


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    orgs = access.organizations_for_user(request.user).select_related("unit", "parent")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q:
        orgs = orgs.filter(
            Q(name_folded__contains=fold(q)) | Q(unit__name_folded__contains=fold(q))
        )
    if kind in Organization.Kind.values:
        orgs = orgs.filter(kind=kind)
    orgs = orgs.order_by("unit__level", "unit__name_folded", "kind")
    return render(
        request,
        "org/organization_list.html",
        {"page": paginate(request, orgs), "q": q, "kind": kind, "kinds": Organization.Kind.choices},
    )


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    members = (
        Membership.objects.filter(active_q(), organization=org)
        .select_related("person")
        .order_by("role", "person__name_key")
    )
    return render(
        request,
        "org/organization_detail.html",
        {"org": org, "members": members, "offices": org.offices.all()},
    )


# --- People --------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    orgs = access.organizations_for_user(request.user).order_by("unit__level", "kind")
    form = PeopleFilterForm(request.GET or None, organizations=orgs)
    people = access.people_for_user(request.user).select_related("unit")
    q = ""
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            for word in fold(q).split():
                people = people.filter(name_folded__contains=word)
        if form.cleaned_data["organization"]:
            people = people.filter(
                Q(memberships__organization=form.cleaned_data["organization"])
                & active_q("memberships__")
            ).distinct()
    page = paginate(request, people.order_by("name_key", "id"))
    template = (
        "org/_person_rows.html" if request.headers.get("HX-Request") else "org/person_list.html"
    )
    return render(
        request,
        template,
        {"page": page, "form": form, "q": q, "can_create": access.can_edit_person(request.user)},
    )


def _person_units(user: Any) -> QuerySet[AdminUnit]:
    scope = get_scope(user)
    return AdminUnit.objects.filter(scope.units_q(write=True)).order_by("level", "name_folded")


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not access.can_edit_person(request.user):
        raise not_found()
    units = _person_units(request.user)
    form = PersonForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        if not access.can_edit_person(request.user, unit=form.cleaned_data["unit"]):
            raise not_found()
        person = services.do_create_person(request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
        return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk)
    if not access.can_edit_person(request.user, person):
        raise not_found()
    form = PersonForm(
        request.POST or None,
        instance=Person.objects.get(pk=person.pk),
        units=_person_units(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_person(request.user, person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})


def _membership_targets(user: Any) -> dict[str, Any]:
    """The organizations, offices and sub-committees the user manages memberships of."""
    scope = get_scope(user)
    offices = (
        JointOffice.objects.all()
        if scope.is_admin
        else JointOffice.objects.filter(pk__in=scope.head_office_ids)
    )
    targets: dict[str, Any] = {}
    for office in offices.prefetch_related("organizations", "subcommittees"):
        targets[f"office:{office.pk}"] = office
        for org in office.organizations.all():
            targets[f"org:{org.pk}"] = org
        for sub in office.subcommittees.all():
            targets[f"sub:{sub.pk}"] = sub
        for org in Organization.objects.filter(
            unit__in=AdminUnit.objects.subtree(office.unit).filter(level=AdminUnit.Level.COMMUNE),
            kind=Organization.Kind.FRONT,
        ):
            targets[f"org:{org.pk}"] = org
    return targets


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk)
    memberships = person.memberships.select_related(
        "organization", "office", "subcommittee", "organization__unit"
    ).order_by("-start_on")
    targets = _membership_targets(request.user)
    form = MembershipForm(targets=[(k, str(v)) for k, v in targets.items()])
    if request.method == "POST":
        if not targets:
            raise not_found()
        form = MembershipForm(request.POST, targets=[(k, str(v)) for k, v in targets.items()])
        if form.is_valid():
            data = form.cleaned_data
            target = targets[data["target"]]
            kwargs: dict[str, Any] = {
                "office": target if data["target"].startswith("office:") else None,
                "organization": target if data["target"].startswith("org:") else None,
                "subcommittee": target if data["target"].startswith("sub:") else None,
            }
            try:
                services.do_add_membership(
                    request.user,
                    person,
                    role=data["role"],
                    start_on=data["start_on"],
                    end_on=data["end_on"],
                    title=data["title"],
                    **kwargs,
                )
                messages.success(request, _("The position was added."))
                return redirect("org:person_detail", pk=person.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_edit": access.can_edit_person(request.user, person),
            "can_manage_memberships": bool(targets),
            "membership_form": form,
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = Membership.objects.select_related("person").filter(pk=pk).first()
    if membership is None:
        raise not_found()
    person = access.get_person_for_user(request.user, membership.person_id)
    targets = _membership_targets(request.user)
    key = (
        f"office:{membership.office_id}"
        if membership.office_id
        else f"org:{membership.organization_id}"
        if membership.organization_id
        else f"sub:{membership.subcommittee_id}"
    )
    if key not in targets:
        raise not_found()
    try:
        services.do_end_membership(request.user, membership, clock.today())
        messages.success(request, _("The position was ended today."))
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect("org:person_detail", pk=person.pk)


# --- Units ---------------------------------------------------------------------------------------


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    era = request.GET.get("era", AdminUnit.Era.CURRENT)
    if era not in AdminUnit.Era.values:
        era = AdminUnit.Era.CURRENT
    q = request.GET.get("q", "").strip()
    units = access.units_for_user(request.user).filter(era=era)
    if q:
        units = units.filter(name_folded__contains=fold(q)).select_related("parent")
    else:
        units = units.filter(level=AdminUnit.Level.PROVINCE)
    units = units.order_by("level", "name_folded")
    return render(
        request,
        "org/unit_list.html",
        {"page": paginate(request, units, 50), "era": era, "q": q, "eras": AdminUnit.Era.choices},
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, pk)
    children = unit.children.order_by("name_folded")
    successors = unit.successors.select_related("current", "current__province")
    predecessors = unit.predecessors.select_related("former", "former__district")
    can_edit = access.can_edit_areas(request.user, unit)
    area_form = AreaForm()
    import_form = AreaImportForm()
    import_errors: list[services.RowError] = []
    if request.method == "POST":
        if not can_edit:
            raise not_found()
        if "file" in request.FILES:
            import_form = AreaImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                import_errors = _import_areas(request, unit, import_form)
                if not import_errors:
                    return redirect("org:unit_detail", pk=unit.pk)
        else:
            area_form = AreaForm(request.POST)
            if area_form.is_valid():
                try:
                    services.do_add_residential_area(
                        request.user,
                        unit,
                        area_form.cleaned_data["name"],
                        area_form.cleaned_data["kind"],
                    )
                    messages.success(request, _("The residential area was added."))
                    return redirect("org:unit_detail", pk=unit.pk)
                except ValidationError as exc:
                    add_service_errors(area_form, exc)
    scope = get_scope(request.user)
    counts = {
        "organizations": Organization.objects.filter(scope.units_q("unit__"))
        .filter(unit__in=AdminUnit.objects.subtree(unit))
        .count(),
    }
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "page": paginate(request, children, 50),
            "successors": successors,
            "predecessors": predecessors,
            "areas": unit.residential_areas.all(),
            "can_edit": can_edit,
            "area_form": area_form,
            "import_form": import_form,
            "import_errors": import_errors,
            "counts": counts,
        },
    )


def _import_areas(
    request: HttpRequest, unit: AdminUnit, form: AreaImportForm
) -> list[services.RowError]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(
            io.BytesIO(form.cleaned_data["file"].read()), read_only=True, data_only=True
        )
        sheet = wb.worksheets[0]
        rows, errors = services.parse_area_rows(sheet.iter_rows(values_only=True))
    except Exception:  # a broken or disguised file
        return [services.RowError(0, "", _("The file cannot be read as an .xlsx spreadsheet."))]
    if errors:
        return errors
    added = services.do_import_residential_areas(request.user, unit, rows)
    messages.success(request, _("%(n)d residential area(s) were added.") % {"n": added})
    return []


@login_required
def area_template(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Khu dân cư"
    ws.append([_("Name"), _("Kind")])
    ws.append(["Thôn 1", "thôn"])
    ws.append(["Khu phố Cửa Lục", "khu phố"])
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 20
    from khoi.lib.sheets import to_bytes

    response = HttpResponse(
        to_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-khu-dan-cu.xlsx"'
    return response
