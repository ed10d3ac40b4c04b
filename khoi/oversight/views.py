"""Pages of supervision and the recommendation register (thin: services do the work)."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khoi import clock, links
from khoi.accounts.access import not_found
from khoi.http import add_service_errors, query_int
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, JointOffice, Person
from khoi.oversight import access, exports, register
from khoi.oversight import overlap as overlaps
from khoi.oversight.forms import (
    AnswerForm,
    FollowUpForm,
    MemberForm,
    NewRecommendationForm,
    ProgrammeForm,
    RecommendationForm,
    SessionForm,
    StepForm,
    SupervisionEditForm,
    SupervisionForm,
)
from khoi.oversight.models import (
    LegalBasis,
    Recommendation,
    Supervision,
)
from khoi.oversight.services import recommendations as rec_services
from khoi.oversight.services import supervision as services
from khoi.pagination import page_number, paginate

OPEN = Recommendation.Status.OPEN


def _documents(office: JointOffice) -> QuerySet[Any]:
    model = apps.get_model("documents", "Document")
    return model.objects.filter(office=office).order_by("-issued_on", "-id")


def _projects(office: JointOffice) -> list[tuple[int, str]]:
    model = apps.get_model("petitions", "KeyProject")
    return list(model.objects.filter(office=office).order_by("name").values_list("pk", "name"))


def _writable_office(request: HttpRequest) -> JointOffice:
    offices = access.writable_offices(request.user).select_related("unit").order_by("name")
    wanted = query_int(request, "office")
    office = (offices.filter(pk=wanted) if wanted else offices).first()
    if office is None:
        raise not_found()
    return office


def _units_for(user: Any, office: JointOffice) -> QuerySet[AdminUnit]:
    mine = access.writable_units(user)
    communes = AdminUnit.objects.filter(
        Q(district_id=office.unit_id) | Q(province_id=office.unit_id) | Q(parent_id=office.unit_id),
        level=AdminUnit.Level.COMMUNE,
    ).order_by("name")
    return communes if mine is None else communes.filter(pk__in=mine)


# --- The overview: programmes and supervisions -----------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not access.opens_app(request.user):
        raise not_found()
    qs = access.supervisions_for_user(request.user).select_related("organization", "unit", "office")
    year = query_int(request, "year")
    if year:
        qs = qs.filter(planned_from__year=year)
    status = request.GET.get("status", "")
    if status in Supervision.Status.values:
        qs = qs.filter(status=status)
    text = (request.GET.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(subject_folded__contains=fold(text)) | Q(body_key__contains=fold(text)))
    page = paginate(request, qs.order_by("-planned_from", "-pk"))
    programmes = access.programmes_for_user(request.user).select_related("organization", "office")
    programmes = programmes.annotate(n=Count("supervisions")).order_by(
        "-year", "organization__name"
    )
    writable = access.writable_offices(request.user).exists()
    can_programme = writable and access.writable_units(request.user) is None
    return render(request, "oversight/index.html", {
        "page": page, "programmes": programmes[:50], "statuses": Supervision.Status.choices,
        "status": status, "year": year or "", "q": text, "can_create": writable,
        "can_programme": can_programme,
    })  # fmt: skip


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    office = _writable_office(request)
    if access.writable_units(request.user) is not None:
        raise not_found()
    orgs = access.writable_organizations(request.user, office).order_by("name")
    initial = {"year": clock.today().year + 1}
    form = ProgrammeForm(request.POST or None, organizations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(request.user, office, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("oversight:programme_detail", pk=programme.pk)
    return render(request, "oversight/form.html", {
        "form": form, "title": _("New supervision programme"),
        "help": _("The programme is built in the last quarter of the year for the next year."),
    })  # fmt: skip


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access.get_programme_for_user(request.user, pk)
    if request.method == "POST":
        if not access.can_write_record(request.user, programme):
            raise not_found()
        try:
            services.adopt_programme(request.user, programme, clock.today())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("oversight:programme_detail", pk=programme.pk)
    sups = list(
        programme.supervisions.select_related("organization").order_by("planned_from", "pk")
    )
    warnings = [w for w in overlaps.programme_warnings(programme.office, programme.year)
                if programme.pk in (w.first.programme_id, w.second.programme_id)]  # fmt: skip
    others = [w.second if w.first.programme_id == programme.pk else w.first for w in warnings]
    openable = links.openable(request.user, "oversight.supervision", [o.pk for o in others])
    rows = []
    for w, other in zip(warnings, others, strict=True):
        mine = w.first if other is w.second else w.second
        rows.append({"mine": mine, "other": other, "open": other.pk in openable, "w": w})
    return render(request, "oversight/programme_detail.html", {
        "programme": programme, "supervisions": sups, "warnings": rows,
        "can_write": access.can_write_record(request.user, programme),
    })  # fmt: skip


# --- Supervisions ----------------------------------------------------------------------------


@login_required
def supervision_create(request: HttpRequest) -> HttpResponse:
    office = _writable_office(request)
    programme = None
    if (pid := query_int(request, "programme")) is not None:
        programme = access.get_programme_for_user(request.user, pid)
        if programme.office_id != office.pk or not access.can_write_record(request.user, programme):
            raise not_found()
    orgs = access.writable_organizations(request.user, office).order_by("name")
    if programme is not None:
        orgs = orgs.filter(pk=programme.organization_id)
    initial: dict[str, Any] = {"form": Supervision.Form.DELEGATION}
    if programme is not None:
        initial["organization"] = programme.organization_id
    form = SupervisionForm(
        request.POST or None, organizations=orgs, units=_units_for(request.user, office),
        bases=LegalBasis.objects.filter(scope=LegalBasis.Scope.SUPERVISION),
        projects=_projects(office), initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["key_project_id"] = data.pop("key_project", None)
        try:
            sup = services.plan_supervision(request.user, office, programme=programme, **data)
        except ValidationError as exc:
            add_service_errors(form, exc, {"key_project": "key_project"})
        else:
            warnings = overlaps.warnings_for(sup)
            if warnings:
                messages.warning(request, _(
                    "Another organization plans a similar supervision of the same body in the "
                    "same months: see the warnings below."))  # fmt: skip
            return redirect("oversight:supervision_detail", pk=sup.pk)
    return render(request, "oversight/form.html", {
        "form": form, "title": _("Plan a supervision"), "programme": programme,
    })  # fmt: skip


@login_required
def supervision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a supervision's plan, findings and key project (the plan is fixed once the
    supervision is done or cancelled)."""
    sup = access.get_supervision_for_user(request.user, pk)
    if not access.can_write_record(request.user, sup):
        raise not_found()
    closed = sup.status in (Supervision.Status.DONE, Supervision.Status.CANCELLED)
    initial = {
        "subject": sup.subject, "body": sup.body, "form": sup.form,
        "planned_from": sup.planned_from, "planned_until": sup.planned_until,
        "legal_basis": sup.legal_basis_id, "key_project": sup.key_project_id,
        "summary": sup.summary,
    }  # fmt: skip
    form = SupervisionEditForm(
        request.POST or None, initial=initial, closed=closed, projects=_projects(sup.office),
        bases=LegalBasis.objects.filter(scope=LegalBasis.Scope.SUPERVISION),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "key_project" in data:
            data["key_project_id"] = data.pop("key_project")
        data["summary"] = data.get("summary") or ""
        try:
            changes = services.update_supervision(request.user, sup, **data)
        except ValidationError as exc:
            add_service_errors(form, exc, {"key_project_id": "key_project"})
        else:
            if changes:
                messages.success(request, _("The changes were saved."))
            if overlaps.warnings_for(sup):
                messages.warning(request, _(
                    "Another organization plans a similar supervision of the same body in the "
                    "same months: see the warnings below."))  # fmt: skip
            return redirect("oversight:supervision_detail", pk=sup.pk)
    help_text = (
        _("The supervision is done or cancelled: its plan can no longer be changed "
          "(the findings and the key project still can).")
        if closed else ""
    )  # fmt: skip
    return render(request, "oversight/form.html", {
        "form": form, "title": _("Edit the supervision"), "help": help_text,
    })  # fmt: skip


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sup = access.get_supervision_for_user(request.user, pk)
    can_write = access.can_write_record(request.user, sup)
    office = sup.office
    docs = _documents(office)
    allowed = services.allowed_member_organizations(sup)
    orgs = apps.get_model("org", "Organization").objects.filter(pk__in=allowed).order_by("name")
    people = Person.objects.filter(
        is_active=True, memberships__organization_id__in=allowed
    ).distinct().order_by("name_key")  # fmt: skip
    forms_: dict[str, Any] = {
        "step": StepForm(documents=docs, prefix="step"),
        "member": MemberForm(people=people, organizations=orgs, prefix="member"),
        "session": SessionForm(prefix="session"),
        "rec": RecommendationForm(
            prefix="rec",
            initial={
                "body": sup.body,
                "subject": sup.subject,
                "issued_on": clock.today(),
                "due_on": rec_services.default_due_on(clock.today()),
            },
        ),
    }
    if request.method == "POST":
        if not can_write:
            raise not_found()
        action = request.POST.get("action", "")
        f: Any = None
        try:
            if action == "step":
                f = forms_["step"] = StepForm(request.POST, documents=docs, prefix="step")
                if f.is_valid():
                    data = f.cleaned_data
                    services.record_step(
                        request.user, sup, data["step"], on=data["on"],
                        document=data["document"], summary=data["summary"] or "",
                    )  # fmt: skip
                    return redirect("oversight:supervision_detail", pk=sup.pk)
            elif action == "member":
                f = forms_["member"] = MemberForm(
                    request.POST, people=people, organizations=orgs, prefix="member"
                )
                if f.is_valid():
                    services.add_member(request.user, sup, **f.cleaned_data)
                    return redirect("oversight:supervision_detail", pk=sup.pk)
            elif action == "session":
                f = forms_["session"] = SessionForm(request.POST, prefix="session")
                if f.is_valid():
                    services.add_session(request.user, sup, **f.cleaned_data)
                    return redirect("oversight:supervision_detail", pk=sup.pk)
            elif action == "rec":
                f = forms_["rec"] = RecommendationForm(request.POST, prefix="rec")
                if f.is_valid():
                    rec_services.create_recommendation(
                        request.user, office, supervision=sup, **f.cleaned_data
                    )
                    return redirect("oversight:supervision_detail", pk=sup.pk)
            else:
                raise not_found()
        except ValidationError as exc:
            add_service_errors(f, exc)
    members = sup.members.select_related("person", "organization")
    warnings = overlaps.warnings_for(sup)
    openable = links.openable(
        request.user, "oversight.supervision", [w.second.pk for w in warnings]
    )
    doc_ids = [d for d in (sup.decision_document_id, sup.plan_document_id,
                           sup.body_report_document_id, sup.report_document_id) if d]  # fmt: skip
    links.prime(request.user, [("documents.document", d) for d in doc_ids])
    steps = [
        (_("Decision setting up the delegation"), sup.decision_on, sup.decision_document),
        (_("Plan sent to the body"), sup.plan_sent_on, sup.plan_document),
        (_("The body's own report"), sup.body_report_on, sup.body_report_document),
        (_("The delegation's report"), sup.report_on, sup.report_document),
    ]
    step_rows = [
        {"label": label, "on": on, "doc": doc,
         "url": links.link_for(request.user, "documents.document", doc.pk) if doc else ""}
        for label, on, doc in steps
    ]  # fmt: skip
    return render(request, "oversight/supervision_detail.html", {
        "sup": sup, "can_write": can_write, "forms": forms_, "members": members,
        "sessions": sup.sessions.all(), "steps": step_rows,
        "dues": services.due_dates(sup),
        "recommendations": sup.recommendations.order_by("-issued_on", "-pk"),
        "warnings": [(w, w.second.pk in openable) for w in warnings],
        "today": clock.today(),
    })  # fmt: skip


# --- The register of recommendations ---------------------------------------------------------


def _filtered_recommendations(
    request: HttpRequest,
) -> tuple[QuerySet[Recommendation], dict[str, Any]]:
    base, params = _searched_recommendations(request)
    return _in_state(base, params["state"]), params


def _in_state(qs: QuerySet[Recommendation], state: str) -> QuerySet[Recommendation]:
    today = clock.today()
    if state == "open":
        return qs.filter(status=Recommendation.Status.OPEN)
    if state == "overdue":
        return qs.filter(status=Recommendation.Status.OPEN, due_on__lt=today)
    if state == "answered":
        return qs.filter(status__in=[Recommendation.Status.ACCEPTED, Recommendation.Status.PARTLY,
                                     Recommendation.Status.REJECTED])  # fmt: skip
    return qs


def _searched_recommendations(
    request: HttpRequest,
) -> tuple[QuerySet[Recommendation], dict[str, Any]]:
    """The user's recommendations narrowed by the page's filters other than the state."""
    qs = access.recommendations_for_user(request.user)
    state = request.GET.get("state", "")
    if state not in ("open", "overdue", "answered"):
        state = ""
    body = (request.GET.get("body") or "").strip()
    if body:
        from khoi.oversight.models.recommendations import body_key

        qs = qs.filter(body_key__contains=body_key(body))
    subject = (request.GET.get("subject") or "").strip()
    if subject:
        qs = qs.filter(subject__icontains=subject)
    text = (request.GET.get("q") or "").strip()
    if text:
        qs = qs.filter(search_folded__contains=fold(text))
    source = request.GET.get("source", "")
    if source in Recommendation.SourceKind.values:
        qs = qs.filter(source_kind=source)
    params = {"state": state, "body": body, "subject": subject, "q": text, "source": source}
    return qs, params


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    if not access.opens_app(request.user):
        raise not_found()
    base, params = _searched_recommendations(request)
    today = clock.today()
    # the bodies to chase (open rows only) and, with them, the number of open and overdue
    # rows: the list of those needs no count query of its own
    summary = register.open_by_body(base, today, 15)
    known = {"open": summary.total_open, "overdue": summary.total_overdue}.get(params["state"])
    qs = _in_state(base, params["state"])
    paginator = Paginator(
        qs.select_related("organization", "unit").order_by("due_on", "pk"), settings.KHOI_PAGE_SIZE
    )
    if known is not None:
        paginator.__dict__["count"] = known  # Paginator.count is a cached property
    page = paginator.page(page_number(request.GET.get("page"), paginator.num_pages))
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    half = 1 if today.month <= 6 else 2
    return render(request, "oversight/recommendation_list.html", {
        "page": page, "params": params, "summary": summary.rows, "today": today, "query": query,
        "states": [("", _("All")), ("open", _("Awaiting answer")), ("overdue", _("Overdue")),
                   ("answered", _("Answered"))],
        "sources": Recommendation.SourceKind.choices,
        "offices": access.readable_offices(request.user).order_by("name")[:20],
        "year": today.year, "half": half,
        "can_create": access.records_anywhere(request.user),
    })  # fmt: skip


@login_required
def recommendation_export(request: HttpRequest) -> HttpResponse:
    if not access.opens_app(request.user):
        raise not_found()
    qs, _params = _filtered_recommendations(request)
    data = exports.register_xlsx(qs.select_related("organization", "unit").order_by("due_on", "pk"))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="so-kien-nghi.xlsx"'
    return response


@login_required
def recommendation_create(request: HttpRequest) -> HttpResponse:
    office = _writable_office(request)
    today = clock.today()
    orgs = access.writable_organizations(request.user, office).order_by("name")
    initial: dict[str, Any] = {"issued_on": today, "due_on": rec_services.default_due_on(today)}
    if len(choices := list(orgs[:2])) == 1:
        initial["organization"] = choices[0].pk
    form = NewRecommendationForm(request.POST or None, organizations=orgs, initial=initial)
    units = _units_for(request.user, office)
    mine = access.writable_units(request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization", None)
        unit = units.first() if mine is not None else None
        if org is None and unit is not None:
            org = orgs.filter(unit_id=unit.pk).first()
        try:
            rec = rec_services.create_recommendation(
                request.user, office, unit=unit, organization=org, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("oversight:recommendation_detail", pk=rec.pk)
    return render(request, "oversight/form.html", {"form": form, "title": _("New recommendation")})


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = access.get_recommendation_for_user(request.user, pk)
    can_write = access.can_write_record(request.user, rec)
    answer_form = AnswerForm(prefix="answer", initial={"answered_on": clock.today()})
    follow_form = FollowUpForm(prefix="follow", initial={"done_on": clock.today()})
    if request.method == "POST":
        if not can_write:
            raise not_found()
        action = request.POST.get("action")
        form: Any
        if action == "answer":
            form = answer_form = AnswerForm(request.POST, prefix="answer")
        elif action == "follow":
            form = follow_form = FollowUpForm(request.POST, prefix="follow")
        else:
            raise not_found()
        if form.is_valid():
            try:
                if action == "answer":
                    rec_services.answer_recommendation(request.user, rec, **form.cleaned_data)
                else:
                    rec_services.follow_up_recommendation(request.user, rec, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("oversight:recommendation_detail", pk=rec.pk)
    source_url = ""
    if rec.supervision_id:
        source_url = links.link_for(request.user, "oversight.supervision", rec.supervision_id)
    elif rec.source_url and rec.source_kind != Recommendation.SourceKind.OTHER:
        source_url = rec.source_url
    return render(request, "oversight/recommendation_detail.html", {
        "rec": rec, "can_write": can_write, "answer_form": answer_form, "follow_form": follow_form,
        "answers": rec.answers.all(), "follow_ups": rec.follow_ups.all(),
        "source_url": source_url, "overdue": rec.is_overdue(clock.today()),
    })  # fmt: skip


@login_required
def summary_docx(request: HttpRequest) -> HttpResponse:
    """The six-monthly summary for the People's Council and People's Committee (.docx)."""
    offices = access.readable_offices(request.user)
    office = (
        offices.filter(pk=query_int(request, "office") or 0).first()
        or offices.order_by("name").first()
    )
    if office is None or not access.opens_app(request.user):
        raise not_found()
    today = clock.today()
    year = query_int(request, "year", today.year) or today.year
    half = 2 if request.GET.get("half") == "2" else 1
    if not 2000 <= year <= 2100:
        year = today.year
    start = datetime.date(year, 1 if half == 1 else 7, 1)
    end = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
    recs = access.recommendations_for_user(request.user).filter(office=office)
    data = exports.summary_docx(office, recs, start, end, half)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="tong-hop-kien-nghi-{year}-{half}.docx"'
    )
    return response
