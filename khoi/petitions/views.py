"""Petition pages: list (filters, accent-insensitive search), intake, detail with the
timeline and deadlines, handling steps, the protected identity page, forwarding letters,
scans, reception sessions, key projects, the overdue list and statistics.

Pages never show a petitioner's identity except ``petition_identity`` (handler and office
head only for protected identities; every view logged).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.accounts.access import get_scope, not_found
from khoi.http import add_service_errors, message_errors
from khoi.lib.vntext import fold
from khoi.lib.workdays import RULES, rule_version
from khoi.org.models import AdminUnit, JointOffice, active_q
from khoi.pagination import paginate
from khoi.petitions import access, duplicates, letters, scans, services
from khoi.petitions.forms import (
    DEADLINE_STATES,
    ActionForm,
    AssignForm,
    KeyProjectForm,
    PetitionForm,
    ReceptionForm,
)
from khoi.petitions.labels import event_label
from khoi.petitions.models import (
    OPEN_STATUSES,
    KeyProject,
    Kind,
    Petition,
    PetitionAttachment,
    Status,
)

NEAR_DAYS = 5
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def _pick_office(request: HttpRequest, offices: QuerySet[JointOffice]) -> JointOffice | None:
    code = request.GET.get("office") or request.POST.get("office")
    if code:
        office = offices.filter(code=code).first()
        if office is None:
            raise not_found()
        return office
    return offices.select_related("unit").first()


def deadline_q(state: str, today: datetime.date) -> Q:
    near = today + datetime.timedelta(days=NEAR_DAYS)
    open_q = Q(status__in=OPEN_STATUSES)
    if state == "overdue":
        return open_q & Q(next_due__lt=today)
    if state == "near":
        return open_q & Q(next_due__gte=today, next_due__lte=near)
    if state == "on_time":
        return open_q & Q(next_due__gt=near)
    if state == "none":
        return Q(next_due__isnull=True) | ~open_q
    return Q()


def filter_petitions(
    qs: QuerySet[Petition], params: Any, today: datetime.date
) -> tuple[QuerySet[Petition], dict[str, str]]:
    f = {
        k: str(params.get(k, "")).strip()
        for k in ("q", "kind", "status", "unit", "project", "deadline", "office")
    }
    for word in fold(f["q"]).split():
        qs = qs.filter(search_folded__contains=word)
    if f["kind"] in Kind.values:
        qs = qs.filter(kind=f["kind"])
    if f["status"] in Status.values:
        qs = qs.filter(status=f["status"])
    if f["project"].isdigit():
        qs = qs.filter(key_project_id=int(f["project"]))
    if f["office"]:
        qs = qs.filter(office__code=f["office"])
    if f["unit"].isdigit():
        unit = AdminUnit.objects.filter(pk=int(f["unit"])).first()
        if unit is not None:
            through = Petition.units.through.objects.filter(
                adminunit__in=AdminUnit.objects.subtree(unit)
            )
            qs = qs.filter(pk__in=through.values("petition_id"))
    if f["deadline"] in {s for s, _label in DEADLINE_STATES}:
        qs = qs.filter(deadline_q(f["deadline"], today))
    return qs, f


def _filter_choices(user: Any) -> dict[str, Any]:
    offices = list(access.offices_for_user(user)[:5])
    units = AdminUnit.objects.none()
    for office in offices[:3]:
        units = units | AdminUnit.objects.subtree(office.unit).filter(level=AdminUnit.Level.COMMUNE)
    return {
        "offices": offices,
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "deadline_states": DEADLINE_STATES,
        "units": units.order_by("name_folded"),
        "projects": access.projects_for_user(user).order_by("name"),
    }


def _annotate_states(petitions: list[Petition], today: datetime.date) -> list[Petition]:
    for p in petitions:
        p.deadline_flag = p.deadline_state(today, NEAR_DAYS)  # type: ignore[attr-defined]
        rule = RULES.get(p.next_rule)
        p.rule_source = rule.title if rule else ""  # type: ignore[attr-defined]
    return petitions


# --- Lists -----------------------------------------------------------------------------------


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    qs, f = filter_petitions(access.petitions_for_user(request.user), request.GET, today)
    qs = qs.select_related("key_project", "office").order_by("-received_on", "-id")
    page = paginate(request, qs)
    _annotate_states(list(page.object_list), today)
    return render(
        request,
        "petitions/petition_list.html",
        {
            "page": page,
            "f": f,
            **_filter_choices(request.user),
            "can_create": access.intake_offices(request.user).exists(),
            "today": today,
        },
    )


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    qs = (
        access.petitions_for_user(request.user)
        .filter(deadline_q("overdue", today) | deadline_q("near", today))
        .select_related("key_project", "office")
        .order_by("next_due", "id")
    )
    page = paginate(request, qs)
    _annotate_states(list(page.object_list), today)
    return render(request, "petitions/overdue_list.html", {"page": page, "today": today})


def statistics_for(qs: QuerySet[Petition]) -> dict[str, Any]:
    """Counts by kind, status, key project, unit and month: papers and matters.

    One grouped query over the covering index ``petitions_stats_idx`` gives them all; a
    petition related to several units is counted once, under its first unit
    (``Petition.unit``).
    """
    groups = (
        qs.values("kind", "status", "key_project_id", "unit_id", "month")
        .annotate(papers=Count("*"), matters=Count("month", filter=Q(duplicate_of__isnull=True)))
        .order_by()
    )
    tallies: dict[str, dict[Any, list[int]]] = {
        k: {} for k in ("kind", "status", "project", "unit")
    }
    months: dict[int, list[int]] = {}
    total = [0, 0]
    for g in groups:
        pair = (g["papers"], g["matters"])
        for name, key in (
            ("kind", g["kind"]),
            ("status", g["status"]),
            ("project", g["key_project_id"]),
            ("unit", g["unit_id"]),
        ):
            slot = tallies[name].setdefault(key, [0, 0])
            slot[0] += pair[0]
            slot[1] += pair[1]
        slot = months.setdefault(g["month"], [0, 0])
        slot[0] += pair[0]
        slot[1] += pair[1]
        total[0] += pair[0]
        total[1] += pair[1]
    names = dict(
        KeyProject.objects.filter(pk__in=[k for k in tallies["project"] if k]).values_list(
            "pk", "name"
        )
    )

    def rows(name: str, label: Any) -> list[dict[str, Any]]:
        out = [
            {"key": k, "label": label(k), "papers": v[0], "matters": v[1]}
            for k, v in tallies[name].items()
        ]
        return sorted(out, key=lambda r: (-r["papers"], str(r["label"])))

    unit_names = dict(
        AdminUnit.objects.filter(pk__in=[k for k in tallies["unit"] if k]).values_list("pk", "name")
    )
    by_month = [
        {
            "label": f"{m % 100:02d}/{m // 100}",
            "month": datetime.date(m // 100, m % 100, 1),
            "papers": v[0],
            "matters": v[1],
        }
        for m, v in sorted(months.items())
        if m
    ]
    return {
        "total": {"papers": total[0], "matters": total[1]},
        "by_kind": rows("kind", lambda k: Kind(k).label),
        "by_status": rows("status", lambda k: Status(k).label),
        "by_project": rows("project", lambda k: names.get(k, "—")),
        "by_unit": rows("unit", lambda k: unit_names.get(k, "—")),
        "by_month": by_month,
    }


def month_range(start: datetime.date, end: datetime.date) -> Q:
    return Q(month__gte=start.year * 100 + start.month, month__lte=end.year * 100 + end.month)


def _period(request: HttpRequest, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    try:
        start = datetime.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = datetime.date(today.year, 1, 1)
    try:
        end = datetime.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = datetime.date(today.year, 12, 31)
    return start, end


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    start, end = _period(request, today)
    qs, f = filter_petitions(access.petitions_for_user(request.user), request.GET, today)
    qs = qs.filter(month_range(start, end))
    return render(
        request,
        "petitions/statistics.html",
        {"stats": statistics_for(qs), "start": start, "end": end, "f": f},
    )


# --- Intake ----------------------------------------------------------------------------------


@login_required
def petition_create(request: HttpRequest) -> HttpResponse:
    office = _pick_office(request, access.intake_offices(request.user))
    if office is None:
        raise not_found()
    initial: dict[str, Any] = {"received_on": clock.today()}
    reception_id = request.GET.get("reception", "")
    if reception_id.isdigit():
        session = office.receptions.filter(pk=int(reception_id)).first()
        if session is not None:
            initial.update(reception=session, channel="reception", received_on=session.held_on)
    form = PetitionForm(request.POST or None, request.FILES or None, office=office, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d.get("attachment")
        data = services.Intake(
            kind=d["kind"], channel=d["channel"], received_on=d["received_on"],
            subject=d["subject"], content=d["content"],
            petitioners=[
                services.PetitionerData(
                    r["name"], r["address"], r["phone"], representative=r["representative"]
                )
                for r in form.petitioner_rows()
            ],
            units=list(d["units"]), key_project=d.get("key_project"),
            reception=d.get("reception"), forwarded_by=d.get("forwarded_by", ""),
            confidential=d.get("confidential", False), signatory_count=d.get("signatory_count"),
            decision_known_on=d.get("decision_known_on"),
            attachments=[(upload, d.get("redacted"))] if upload else [],
        )  # fmt: skip
        try:
            petition = services.do_create_petition(request.user, office, data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Petition %(label)s was recorded.") % {"label": petition.label}
            )
            return redirect("petitions:petition_detail", pk=petition.pk)
    return render(request, "petitions/petition_form.html", {"form": form, "office": office})


# --- One petition -----------------------------------------------------------------------------


def _handlers(petition: Petition) -> QuerySet[Any]:
    User = get_user_model()
    today = clock.today()
    # One filter(): the office and the dates must hold for the same membership.
    return (
        User.objects.filter(
            active_q("person__memberships__", today), person__memberships__office=petition.office
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@login_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = access.get_petition_for_user(request.user, pk)
    today = clock.today()
    deadlines = list(petition.deadlines.all())
    for d in deadlines:
        version = rule_version(d.rule, d.start)
        d.period_label = version.period_label if version else ""  # type: ignore[attr-defined]
        d.can_extend = bool(  # type: ignore[attr-defined]
            version and d.state == "open" and d.extensions < version.max_extensions
        )
        d.flag = (  # type: ignore[attr-defined]
            "" if d.state != "open" else ("overdue" if d.due < today else
            ("near" if (d.due - today).days <= NEAR_DAYS else "on_time"))
        )  # fmt: skip
    actions = services.allowed_actions(request.user, petition)
    handler = petition.assignments.filter(ended_at__isnull=True).select_related("handler").first()
    can_handle = access.can_handle(request.user, petition)
    links = duplicates.visible_links(request.user, petition) if can_handle else []
    attachments = [
        (a, access.attachment_for_user(request.user, a)) for a in petition.attachments.all()
    ]
    return render(
        request,
        "petitions/petition_detail.html",
        {
            "petition": petition,
            "deadlines": deadlines,
            "events": _labelled(petition.events.select_related("actor").order_by("on", "id")),
            "forwardings": petition.forwardings.all(),
            "units": petition.units.all(),
            "actions": actions,
            "action_form": ActionForm(),
            "action_labels": ACTION_LABELS,
            "handler": handler,
            "assign_form": (
                AssignForm(handlers=_handlers(petition))
                if access.can_assign(request.user, petition)
                else None
            ),
            "can_handle": can_handle,
            "can_see_identity": access.can_see_identity(request.user, petition),
            "redacted": access.redacted_petitioners(petition),
            "n_representatives": petition.petitioners.filter(representative=True).count(),
            "links": links,
            "repeats": petition.repeats.all() if can_handle else [],
            "attachments": attachments,
            "can_extend": can_handle and any(d.can_extend for d in deadlines),  # type: ignore[attr-defined]
        },
    )


EVENT_LABELS = {
    "receive": _("Received"),
    "assign": _("Case handler assigned"),
    "extend": _("Deadline extended"),
    "limitation": _("Received after the time limit for complaints"),
    "recompute": _("Deadline recomputed after a calendar change"),
    "supervise_pending": _("Supervision of the handling"),
    "remind": _("Reminder sent to the authority"),
    "escalate": _("Petition to the superior authority"),
    "request_review": _("Request to re-examine the result"),
}


def _labelled(events: Any) -> list[Any]:
    """Each history step with its Vietnamese name (never the internal action code)."""
    out = list(events)
    for e in out:
        label: Any = EVENT_LABELS.get(e.action)
        if label is None and e.to_status in Status.values:
            label = Status(e.to_status).label
        e.label = label or ACTION_LABELS.get(e.action) or event_label(e.action)
    return out


ACTION_LABELS = {
    "classify": _("Classify"),
    "forward": _("Forward to the competent authority"),
    "guide": _("Guidance given to the citizen"),
    "file": _("Keep on file"),
    "accept": _("Record the authority's acceptance"),
    "resolve": _("Record the authority's result"),
    "supervise": _("Open a supervision of the resolution"),
    "close": _("Close"),
    "supervise_pending": _("Supervise the handling (the case is pending)"),
    "remind": _("Remind the authority that missed its deadline"),
    "escalate": _("Petition the authority's superior"),
    "request_review": _("Ask the authority to re-examine its result"),
}


@login_required
@require_POST
def petition_action(request: HttpRequest, pk: int) -> HttpResponse:
    petition = access.get_petition_for_user(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("petitions:petition_detail", pk=pk)
    d = form.cleaned_data
    unit = None
    try:
        services.do_action(
            request.user, petition, d["action"], on=d.get("on"), note=d.get("note", ""),
            kind=d.get("kind", ""), authority=d.get("authority", ""),
            letter_number=d.get("letter_number", ""), authority_unit=unit,
            round=d.get("round") or 1, complex=d.get("complex"), remote=d.get("remote"),
        )  # fmt: skip
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, _("The step was recorded."))
    return redirect("petitions:petition_detail", pk=pk)


@login_required
@require_POST
def petition_assign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = access.get_petition_for_user(request.user, pk)
    if not access.can_assign(request.user, petition):
        raise not_found()
    form = AssignForm(request.POST, handlers=_handlers(petition))
    if form.is_valid():
        try:
            services.do_assign_handler(request.user, petition, form.cleaned_data["handler"])
            messages.success(request, _("The case handler was assigned."))
        except ValidationError as exc:
            message_errors(request, exc)
    else:
        messages.error(request, _("Choose a staff member of the office."))
    return redirect("petitions:petition_detail", pk=pk)


@login_required
@require_POST
def petition_extend(request: HttpRequest, pk: int) -> HttpResponse:
    petition = access.get_petition_for_user(request.user, pk)
    try:
        services.do_extend_deadline(request.user, petition)
        messages.success(request, _("The deadline was extended."))
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect("petitions:petition_detail", pk=pk)


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    petition = access.get_petition_for_user(request.user, pk)
    link = petition.duplicate_links.select_related("original").filter(pk=link_pk).first()
    if (
        link is None
        or not access.can_handle(request.user, petition)
        or duplicates.shown_reason(request.user, petition, link) is None
    ):
        raise not_found()
    try:
        services.do_decide_duplicate(
            request.user, link, confirm=request.POST.get("decision") == "confirm"
        )
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect("petitions:petition_detail", pk=pk)


@login_required
def petition_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The petitioners in clear: handler and office head (or staff if unprotected); logged."""
    petition = access.get_petition_for_user(request.user, pk)
    people = access.reveal_identities(request.user, petition, "petition page")
    response = render(
        request, "petitions/petition_identity.html", {"petition": petition, "people": people}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def forwarding_letter(request: HttpRequest, pk: int, fwd_pk: int) -> HttpResponse:
    petition = access.get_petition_for_user(request.user, pk)
    if not access.can_handle(request.user, petition):
        raise not_found()
    forwarding = petition.forwardings.filter(pk=fwd_pk).first()
    if forwarding is None:
        raise not_found()
    people: list[dict[str, str]] = []
    if not petition.confidential and not petition.anonymous:
        # the letter names the petitioner, who receives a copy (Nơi nhận)
        people = access.reveal_identities(request.user, petition, "forwarding letter")
    body = letters.forwarding_letter(petition, forwarding, people)
    response = HttpResponse(body, content_type=DOCX)
    prefix = letters.FILE_PREFIX[letters.P(forwarding.purpose)]
    name = f"{prefix}-{petition.number}-{petition.year}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def attachment_download(request: HttpRequest, pk: int, att_pk: int) -> FileResponse:
    petition = access.get_petition_for_user(request.user, pk)
    attachment = PetitionAttachment.objects.filter(petition=petition, pk=att_pk).first()
    if attachment is None:
        raise not_found()
    attachment.petition = petition
    data, filename = scans.download(request.user, attachment)
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    petition = access.get_petition_for_user(request.user, pk)
    upload = request.FILES.get("attachment")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return redirect("petitions:petition_detail", pk=pk)
    try:
        services.do_add_attachment(request.user, petition, upload, request.FILES.get("redacted"))
        messages.success(request, _("The scan was attached."))
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect("petitions:petition_detail", pk=pk)


# --- Reception sessions and key projects -------------------------------------------------------


@login_required
def reception_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        access.receptions_for_user(request.user)
        .select_related("office")
        .annotate(n_petitions=Count("petitions"))
        .order_by("-held_on", "-id")
    )
    return render(
        request,
        "petitions/reception_list.html",
        {
            "page": paginate(request, sessions),
            "can_create": access.intake_offices(request.user).exists(),
        },
    )


@login_required
def reception_create(request: HttpRequest) -> HttpResponse:
    office = _pick_office(request, access.intake_offices(request.user))
    if office is None:
        raise not_found()
    form = ReceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.do_create_reception(request.user, office, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The reception session was recorded."))
            return redirect("petitions:reception_detail", pk=session.pk)
    return render(request, "petitions/reception_form.html", {"form": form, "office": office})


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_reception_for_user(request.user, pk)
    petitions = access.petitions_for_user(request.user).filter(reception=session)
    return render(
        request,
        "petitions/reception_detail.html",
        {
            "session": session,
            "petitions": petitions.order_by("number"),
            "can_create": access.can_intake(request.user, session.office),
        },
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    from khoi.petitions import clearance_access

    user = request.user
    readable = access.projects_for_user(user).values("pk")
    projects = (
        clearance_access.projects_for_user(user)
        .select_related("office")
        .annotate(
            papers=Count("petitions", filter=Q(pk__in=readable), distinct=True),
            matters=Count(
                "petitions",
                filter=Q(pk__in=readable, petitions__duplicate_of__isnull=True),
                distinct=True,
            ),
            n_households=Count(
                "households", filter=clearance_access.household_count_q(user), distinct=True
            ),
        )
        .order_by("name")
    )
    return render(
        request,
        "petitions/project_list.html",
        {
            "projects": projects,
            "can_create": access.intake_offices(user).exists(),
            "sees_petitions": scope_has_petitions(user),
        },
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    office = _pick_office(request, access.intake_offices(request.user))
    if office is None:
        raise not_found()
    form = KeyProjectForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_create_key_project(
                request.user, office, name=d["name"], units=list(d["units"]),
                status=d["status"], description=d["description"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The key project was added."))
            return redirect("petitions:project_list")
    return render(request, "petitions/project_form.html", {"form": form, "office": office})


def scope_has_petitions(user: Any) -> bool:
    scope = get_scope(user)
    return bool(scope.is_admin or access.read_office_ids(scope))
