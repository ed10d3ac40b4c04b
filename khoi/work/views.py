from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.accounts.access import get_scope, not_found, readable_offices
from khoi.http import MAX_YEAR, MIN_YEAR, add_service_errors, message_errors, parse_int, query_int
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, JointOffice, Organization
from khoi.pagination import paginate
from khoi.registry import ProjectCard, key_project_cards, key_project_choices, related_items
from khoi.work import access, services
from khoi.work import overlap as overlaps
from khoi.work.forms import ActivityForm, MergeForm, PeriodForm, PlanForm, ProgrammeForm
from khoi.work.models import Activity, JointActivity, JointAddition, Kind, Plan


def visible_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices whose work the user can see at all (answered in khoi.accounts.access)."""
    return readable_offices(user).order_by("name")


def _pick_office(request: HttpRequest, offices: QuerySet[JointOffice]) -> JointOffice | None:
    code = request.GET.get("office") or request.POST.get("office")
    if code:
        office = offices.filter(code=code).first()
        if office is None:
            raise not_found()
        return office
    return offices.select_related("unit").first()


def _with_targets(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return overlaps.with_targets(qs).prefetch_related("participants")


# --- Programmes and plans ----------------------------------------------------------------------


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = access.programmes_for_user(request.user).select_related("organization", "office")
    programmes = programmes.annotate(n_plans=Count("plans")).order_by(
        "-year", "organization__kind", "id"
    )
    can_create = access.offices_to_work_in(request.user).exists()
    return render(
        request,
        "work/programme_list.html",
        {"page": paginate(request, programmes), "can_create": can_create},
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    office = _pick_office(request, access.offices_to_work_in(request.user))
    if office is None:
        raise not_found()
    scope = get_scope(request.user)
    writable = access.writable_organizations(request.user, office)
    is_staff = scope.is_admin or office.pk in scope.staff_office_ids
    form = ProgrammeForm(request.POST or None, writable=writable, allow_office=is_staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not is_staff and data.get("organization") is None:
            form.add_error("organization", _("Choose your organization."))
        else:
            try:
                services.do_create_programme(
                    request.user,
                    office,
                    year=data["year"],
                    title=data["title"],
                    organization=data.get("organization"),
                    description=data["description"],
                )
                messages.success(request, _("The work programme was created."))
                return redirect("work:programme_list")
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(request, "work/programme_form.html", {"form": form, "office": office})


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = access.plans_for_user(request.user).select_related(
        "organization", "subcommittee", "office"
    )
    q = request.GET.get("q", "").strip()
    for word in fold(q).split():  # with or without diacritics, NFC or NFD
        plans = plans.filter(search_folded__contains=word)
    plans = plans.annotate(n_activities=Count("activities")).order_by("-start_on", "title")
    can_create = access.offices_to_work_in(request.user).exists()
    return render(
        request,
        "work/plan_list.html",
        {"page": paginate(request, plans), "q": q, "can_create": can_create},
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    office = _pick_office(request, access.offices_to_work_in(request.user))
    if office is None:
        raise not_found()
    writable = access.writable_organizations(request.user, office)
    form = PlanForm(request.POST or None, office=office, writable=writable)
    scope = get_scope(request.user)
    is_staff = scope.is_admin or office.pk in scope.staff_office_ids
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not is_staff and data.get("organization") is None:
            form.add_error("organization", _("Choose your organization."))
        else:
            try:
                plan = services.do_create_plan(request.user, office, **data)
                messages.success(request, _("The plan was created."))
                return redirect("work:plan_detail", pk=plan.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(request, "work/plan_form.html", {"form": form, "office": office, "plan": None})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    activities = _with_targets(access.activities_for_user(request.user).filter(plan=plan)).order_by(
        "start_on"
    )
    return render(
        request,
        "work/plan_detail.html",
        {
            "plan": plan,
            "activities": activities,
            "related": related_items(request.user, plan),
            "can_edit": access.can_edit_plan(request.user, plan),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    if not access.can_edit_plan(request.user, plan):
        raise not_found()
    writable = access.writable_organizations(request.user, plan.office)
    form = PlanForm(
        request.POST or None,
        instance=Plan.objects.get(pk=plan.pk),
        office=plan.office,
        writable=writable,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_plan(request.user, plan, **form.cleaned_data)
            messages.success(request, _("The changes were saved."))
            return redirect("work:plan_detail", pk=plan.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "work/plan_form.html", {"form": form, "office": plan.office, "plan": plan}
    )


# --- Activities ----------------------------------------------------------------------------------


def _filtered_activities(request: HttpRequest) -> tuple[QuerySet[Activity], dict[str, Any]]:
    activities = access.activities_for_user(request.user)
    f = {
        "q": request.GET.get("q", "").strip(),
        "organization": request.GET.get("organization", ""),
        "kind": request.GET.get("kind", ""),
        "status": request.GET.get("status", ""),
        "unit": request.GET.get("unit", ""),
    }
    for word in fold(f["q"]).split():
        activities = activities.filter(title_folded__contains=word)
    if f["organization"].isdigit():
        org_id = parse_int(f["organization"], "organization")
        activities = activities.filter(
            Q(organization_id=org_id) | Q(participants=org_id)
        ).distinct()
    if f["kind"] in Kind.values:
        activities = activities.filter(kind=f["kind"])
    if f["status"] in Activity.Status.values:
        activities = activities.filter(status=f["status"])
    if f["unit"].isdigit():
        unit = AdminUnit.objects.filter(pk=parse_int(f["unit"], "unit")).first()
        if unit is not None:
            activities = activities.filter(
                Q(target_units__in=AdminUnit.objects.subtree(unit)) | Q(target_areas__commune=unit)
            ).distinct()
    return activities, f


def _filter_choices(request: HttpRequest) -> dict[str, Any]:
    offices = list(visible_offices(request.user).select_related("unit"))
    orgs = Organization.objects.filter(offices__in=offices).distinct().order_by("kind")
    units = AdminUnit.objects.none()
    for office in offices[:3]:
        units = units | AdminUnit.objects.subtree(office.unit).filter(level=AdminUnit.Level.COMMUNE)
    return {
        "organizations": orgs,
        "units": units.order_by("name_folded"),
        "kinds": Kind.choices,
        "statuses": Activity.Status.choices,
    }


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities, f = _filtered_activities(request)
    activities = activities.select_related("organization", "joint").order_by("-start_on", "id")
    return render(
        request,
        "work/activity_list.html",
        {
            "page": paginate(request, activities),
            "f": f,
            **_filter_choices(request),
            "can_create": access.offices_to_work_in(request.user).exists(),
        },
    )


@login_required
def activity_calendar(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    year = query_int(request, "year", today.year, minimum=MIN_YEAR, maximum=MAX_YEAR)
    month = query_int(request, "month", today.month, minimum=1, maximum=12)
    first = datetime.date(year or today.year, month or today.month, 1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    activities, f = _filtered_activities(request)
    activities = activities.filter(start_on__lte=last, end_on__gte=first).select_related(
        "organization"
    )
    by_day: dict[datetime.date, list[Activity]] = defaultdict(list)
    for a in activities.order_by("start_on", "id"):
        day = max(a.start_on, first)
        while day <= min(a.end_on, last):
            by_day[day].append(a)
            day += datetime.timedelta(days=1)
    weeks = [
        [(d, by_day.get(d, []), d.month == first.month) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = last + datetime.timedelta(days=1)
    query = "&".join(f"{k}={v}" for k, v in f.items() if v)
    return render(
        request,
        "work/activity_calendar.html",
        {
            "weeks": weeks,
            "first": first,
            "prev": prev_month,
            "next": next_month,
            "f": f,
            "query": query,
            "today": today,
            **_filter_choices(request),
        },
    )


def _form_for(
    request: HttpRequest,
    office: JointOffice,
    data: Any = None,
    initial: Any = None,
    activity: Activity | None = None,
) -> ActivityForm:
    writable = access.writable_organizations(request.user, office)
    projects = key_project_choices(request.user, office.pk)
    current = activity.key_project_id if activity is not None else None
    if current and all(pk != current for pk, _name in projects):
        # linked by someone who may open it: kept as it is, its name not shown
        projects = [(current, _("(a key project you cannot open)")), *projects]
    return ActivityForm(data, office=office, writable=writable, initial=initial, projects=projects)


def _activity_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "target_units": list(data.pop("target_units", [])),
        "target_areas": list(data.pop("target_areas", [])),
        "participants": list(data.pop("participants", [])),
        **data,
    }


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    office = _pick_office(request, access.offices_to_work_in(request.user))
    if office is None:
        raise not_found()
    initial = {"plan": request.GET.get("plan")} if request.GET.get("plan") else None
    form = _form_for(request, office, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.do_create_activity(
                request.user, office, **_activity_kwargs(dict(form.cleaned_data))
            )
            messages.success(request, _("The activity was added."))
            return redirect("work:activity_detail", pk=activity.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "work/activity_form.html", {"form": form, "office": office, "activity": None}
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, pk)
    if not access.can_edit_activity(request.user, activity):
        raise not_found()
    initial = {
        "organization": activity.organization_id,
        "kind": activity.kind,
        "title": activity.title,
        "description": activity.description,
        "origin": activity.origin,
        "start_on": activity.start_on,
        "end_on": activity.end_on,
        "target_units": list(activity.target_units.all()),
        "target_areas": list(activity.target_areas.all()),
        "participants": list(activity.participants.all()),
        "plan": activity.plan_id,
        "expected_participants": activity.expected_participants,
        "budget": activity.budget,
        "status": activity.status,
        "key_project_id": activity.key_project_id,
    }
    form = _form_for(request, activity.office, request.POST or None, initial, activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_activity(
                request.user, activity, **_activity_kwargs(dict(form.cleaned_data))
            )
            messages.success(request, _("The changes were saved."))
            return redirect("work:activity_detail", pk=activity.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "work/activity_form.html",
        {"form": form, "office": activity.office, "activity": activity},
    )


@login_required
@require_POST
def activity_overlaps(request: HttpRequest) -> HttpResponse:
    """The htmx partial shown while an activity is typed: overlapping activities and why."""
    office = _pick_office(request, access.offices_to_work_in(request.user))
    if office is None:
        raise not_found()
    form = _form_for(request, office, request.POST)
    form.is_valid()
    data = form.cleaned_data
    needed = ("organization", "kind", "title", "start_on", "end_on")
    suggestions: list[overlaps.Suggestion] = []
    ready = all(data.get(k) for k in needed) and data["end_on"] >= data["start_on"]
    if ready:
        activity_id = request.POST.get("activity_id")
        if activity_id and activity_id.isdigit():
            access.get_activity_for_user(request.user, int(activity_id))
        draft = overlaps.Draft(
            office=office,
            organization_id=data["organization"].pk,
            kind=data["kind"],
            title=data["title"],
            description=data.get("description", ""),
            start_on=data["start_on"],
            end_on=data["end_on"],
            unit_ids=tuple(u.pk for u in data.get("target_units", [])),
            area_ids=tuple(a.pk for a in data.get("target_areas", [])),
            activity_id=int(activity_id) if activity_id and activity_id.isdigit() else None,
        )
        suggestions = overlaps.suggest(draft)
    shown, hidden = _readable_suggestions(request.user, office, suggestions)
    return render(
        request,
        "work/_overlap_suggestions.html",
        {"suggestions": shown, "hidden": hidden, "ready": ready},
    )


def _readable_suggestions(
    user: Any, office: JointOffice, suggestions: list[overlaps.Suggestion]
) -> tuple[list[overlaps.Suggestion], int]:
    """The suggestions the user may open, and how many others exist (shown only as "a
    matching activity of another organization exists", never by title)."""
    if not suggestions:
        return [], 0
    visible = set(
        access.activities_for_user(user)
        .filter(pk__in=[s.activity.pk for s in suggestions])
        .values_list("pk", flat=True)
    )
    shown = [s for s in suggestions if s.activity.pk in visible]
    return shown, len(suggestions) - len(shown)


def _key_project(user: Any, activity: Activity) -> ProjectCard | None:
    """The card of the activity's key project when the user may open it."""
    pid = activity.key_project_id
    return key_project_cards(user, [pid]).get(pid) if pid else None


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, pk)
    tasks = activity.tasks.select_related("assignee", "assignee_subcommittee").order_by("due_on")
    draft = overlaps.Draft(
        office=activity.office,
        organization_id=activity.organization_id,
        kind=activity.kind,
        title=activity.title,
        description=activity.description,
        start_on=activity.start_on,
        end_on=activity.end_on,
        unit_ids=tuple(activity.target_units.values_list("pk", flat=True)),
        area_ids=tuple(activity.target_areas.values_list("pk", flat=True)),
        activity_id=activity.pk,
    )
    suggestions, hidden = _readable_suggestions(
        request.user,
        activity.office,
        [s for s in overlaps.suggest(draft) if not overlaps._same_joint(activity, s.activity)],
    )
    return render(
        request,
        "work/activity_detail.html",
        {
            "activity": activity,
            "tasks": tasks,
            "suggestions": suggestions,
            "hidden": hidden,
            "key_project": _key_project(request.user, activity),
            "can_edit": access.can_edit_activity(request.user, activity),
            "can_merge": access.can_propose_merge(request.user, activity.office),
            "can_assign": access.can_assign(request.user, activity.office),
        },
    )


# --- Joint work -----------------------------------------------------------------------------------


@login_required
def joint_list(request: HttpRequest) -> HttpResponse:
    joints = access.joints_for_user(request.user).select_related("lead", "office")
    status = request.GET.get("status", "")
    if status in JointActivity.Status.values:
        joints = joints.filter(status=status)
    else:
        joints = joints.exclude(status=JointActivity.Status.DISSOLVED)
    joints = joints.annotate(n_activities=Count("activities", distinct=True)).order_by(
        "-start_on", "id"
    )
    return render(
        request,
        "work/joint_list.html",
        {
            "page": paginate(request, joints),
            "status": status,
            "statuses": JointActivity.Status.choices,
        },
    )


@login_required
def joint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    joint = access.get_joint_for_user(request.user, pk)
    activities = joint.activities.select_related("organization").order_by("start_on")
    tasks = joint.tasks.select_related("assignee", "assignee_subcommittee").order_by("due_on")
    pending = joint.additions.filter(status=JointAddition.Status.PROPOSED).select_related(
        "activity__organization"
    )
    return render(
        request,
        "work/joint_detail.html",
        {
            "joint": joint,
            "pending": pending,
            "activities": activities,
            "co_organizers": joint.co_organizers.all(),
            "target_units": joint.target_units.all(),
            "tasks": tasks,
            "can_approve": access.can_approve_merge(request.user, joint.office),
            "can_assign": access.can_assign(request.user, joint.office),
            "is_proposer": joint.proposed_by_id == request.user.pk,
        },
    )


@login_required
@require_POST
def joint_approve(request: HttpRequest, pk: int) -> HttpResponse:
    joint = access.get_joint_for_user(request.user, pk)
    try:
        services.do_approve_merge(request.user, joint)
        messages.success(request, _("The joint work was approved."))
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect("work:joint_detail", pk=joint.pk)


@login_required
def joint_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add activities (``ids``) to existing joint work: confirm, then propose or add."""
    joint = access.get_joint_for_user(request.user, pk)
    if not access.can_propose_merge(request.user, joint.office):
        raise not_found()
    raw = request.POST.getlist("activities") or [
        part for value in request.GET.getlist("ids") for part in value.split(",")
    ]
    chosen = _activities_from_ids(request, [x for x in raw if x])
    if not chosen:
        raise not_found()
    errors: list[str] = []
    if request.method == "POST":
        try:
            additions = services.do_add_to_joint(request.user, joint, chosen)
            if additions and additions[0].status == JointAddition.Status.PROPOSED:
                messages.success(
                    request,
                    _(
                        "The addition was proposed; it takes effect when the office head "
                        "approves it."
                    ),
                )
            else:
                messages.success(request, _("The activities were added to the joint work."))
            return redirect("work:joint_detail", pk=joint.pk)
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "work/joint_add_form.html",
        {
            "joint": joint,
            "chosen": chosen,
            "errors": errors,
            "is_head": access.can_approve_merge(request.user, joint.office),
        },
    )


@login_required
@require_POST
def joint_addition_decide(request: HttpRequest, pk: int, addition_pk: int) -> HttpResponse:
    """The office head approves or rejects a proposed addition; the proposer may withdraw."""
    joint = access.get_joint_for_user(request.user, pk)
    addition = (
        joint.additions.select_related("activity__joint", "joint__office")
        .filter(pk=addition_pk)
        .first()
    )
    if addition is None:
        raise not_found()
    approve = request.POST.get("decision") == "approve"
    try:
        services.do_decide_joint_addition(request.user, addition, approve)
        messages.success(
            request,
            _("The activity was added to the joint work.")
            if approve
            else _("The addition was rejected."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("work:joint_detail", pk=joint.pk)


@login_required
@require_POST
def joint_unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    joint = access.get_joint_for_user(request.user, pk)
    try:
        services.do_unmerge(request.user, joint)
        messages.success(request, _("The activities are separate again."))
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect("work:joint_detail", pk=joint.pk)


@login_required
def overlap_scan(request: HttpRequest) -> HttpResponse:
    offices = visible_offices(request.user)
    office = _pick_office(request, offices)
    if office is None:
        raise not_found()
    today = clock.today()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    default = {
        "start": quarter_start,
        "end": (quarter_start + datetime.timedelta(days=92)).replace(day=1)
        - datetime.timedelta(days=1),
    }
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    groups: list[overlaps.Group] = []
    readable_joints: set[int] = set()
    period = default
    if form.is_bound:
        period = form.cleaned_data if form.is_valid() else {}
    if period:
        visible = set(
            access.activities_for_user(request.user)
            .filter(office=office)
            .values_list("pk", flat=True)
        )
        groups = [
            g
            for g in overlaps.scan(office, period["start"], period["end"])
            if all(a.pk in visible for a in g.activities)
        ]
        readable_joints = set(
            access.joints_for_user(request.user)
            .filter(pk__in={j.pk for g in groups for j in g.joints})
            .values_list("pk", flat=True)
        )
    return render(
        request,
        "work/overlap_scan.html",
        {
            "form": form,
            "office": office,
            "offices": offices,
            "groups": groups,
            "readable_joints": readable_joints,
            "period": period,
            "can_merge": access.can_propose_merge(request.user, office),
        },
    )


def _activities_from_ids(request: HttpRequest, raw: list[str]) -> list[Activity]:
    ids = sorted({int(x) for x in raw if str(x).isdigit()})
    found = list(
        access.activities_for_user(request.user)
        .filter(pk__in=ids)
        .select_related("office", "joint", "organization")
    )
    if len(found) != len(ids):
        raise not_found()
    return found


@login_required
def merge(request: HttpRequest) -> HttpResponse:
    raw = request.POST.getlist("activities") or [
        part for value in request.GET.getlist("ids") for part in value.split(",")
    ]
    chosen = _activities_from_ids(request, [x for x in raw if x])
    if not chosen:
        raise not_found()
    office = chosen[0].office
    if not access.can_propose_merge(request.user, office):
        raise not_found()
    qs = Activity.objects.filter(pk__in=[a.pk for a in chosen])
    first = min(chosen, key=lambda a: a.start_on)
    initial = {
        "activities": chosen,
        "title": first.title,
        "lead": first.organization_id,
        "start_on": min(a.start_on for a in chosen),
        "end_on": max(a.end_on for a in chosen),
    }
    form = MergeForm(request.POST or None, activities=qs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            joint = services.do_merge(
                request.user,
                chosen,
                services.MergeSpec(
                    title=data["title"],
                    lead=data["lead"],
                    start_on=data["start_on"],
                    end_on=data["end_on"],
                    description=data["description"],
                ),
            )
            if joint.status == JointActivity.Status.PROPOSED:
                messages.success(
                    request,
                    _("The merge was proposed; it takes effect when the office head approves it."),
                )
            else:
                messages.success(request, _("The activities were merged into joint work."))
            return redirect("work:joint_detail", pk=joint.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "work/merge_form.html",
        {
            "form": form,
            "chosen": chosen,
            "office": office,
            "is_head": access.can_approve_merge(request.user, office),
        },
    )


@login_required
@require_POST
def dismiss_overlap(request: HttpRequest) -> HttpResponse:
    chosen = _activities_from_ids(request, request.POST.getlist("activities"))
    if len(chosen) != 2 or not access.can_propose_merge(request.user, chosen[0].office):
        raise not_found()
    try:
        services.do_dismiss_overlap(
            request.user, chosen[0], chosen[1], request.POST.get("reason", "")
        )
        messages.success(request, _("Noted: these two activities will not be proposed again."))
    except ValidationError as exc:
        message_errors(request, exc)
    back = request.POST.get("next", "")
    return redirect(
        back if back.startswith("/") and not back.startswith("//") else reverse("work:overlap_scan")
    )
