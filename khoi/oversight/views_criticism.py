"""Pages of social criticism (drafts, comments, the critique, the answer) and of feedback
rounds. Thin: access through ``access_criticism``, changes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock, links
from khoi.accounts.access import not_found
from khoi.http import add_service_errors, message_errors
from khoi.lib.vntext import fold
from khoi.oversight import access_criticism as access
from khoi.oversight.forms_criticism import (
    AddSectionForm,
    AnswerForm,
    CommentForm,
    EditDraftForm,
    IssueForm,
    OpenRoundForm,
    OpinionForm,
    ReceiveDraftForm,
    RecommendForm,
    ReportForm,
    SectionsForm,
)
from khoi.oversight.models.criticism import CriticismRule, Critique, CritiqueComment
from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound
from khoi.oversight.services import criticism as services
from khoi.oversight.services import feedback as feedback_services
from khoi.pagination import paginate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _recommendations(user: Any, kind: str, ids: list[int]) -> list[dict[str, Any]]:
    """The register's recommendations made from these records, with a link only where the
    user may open it."""
    from khoi.oversight.models import Recommendation

    recs = list(Recommendation.objects.filter(source_kind=kind, source_id__in=ids).order_by("pk"))
    ok = links.openable(user, "oversight.recommendation", [r.pk for r in recs])
    today = clock.today()
    return [
        {
            "rec": r,
            "url": links.link_for(user, "oversight.recommendation", r.pk) if r.pk in ok else "",
            "overdue": r.is_overdue(today),
        }
        for r in recs
    ]


def _document_link(user: Any, document: Any) -> str:
    return links.link_for(user, "documents.document", document.pk) if document else ""


# --- Drafts for social criticism ---------------------------------------------------------------


@login_required
def critique_list(request: HttpRequest) -> HttpResponse:
    if not access.critique_offices(request.user).exists():
        raise not_found()
    qs = access.critiques_for_user(request.user).select_related("office", "issued_document")
    q = request.GET.get("q", "").strip()
    if q:
        folded = fold(q)
        qs = qs.filter(Q(title_folded__contains=folded) | Q(drafting_body__icontains=q))
    status = request.GET.get("status", "")
    if status in Critique.Status.values:
        qs = qs.filter(status=status)
    page = paginate(request, qs.annotate(points=Count("comments")).order_by("-received_on", "-pk"))
    rules = services.all_rules()
    rows = [(c, services.lead_check(c, rules)) for c in page.object_list]
    return render(
        request, "oversight/critique_list.html",
        {"page": page, "rows": rows, "q": q, "status": status, "statuses": Critique.Status.choices,
         "can_manage": access.managed_offices(request.user).exists(), "today": clock.today()},
    )  # fmt: skip


@login_required
def critique_create(request: HttpRequest) -> HttpResponse:
    offices = access.managed_offices(request.user)
    if not offices.exists():
        raise not_found()
    form = ReceiveDraftForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        office = data.pop("office")
        try:
            critique = services.do_receive_draft(request.user, office, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft was recorded."))
            check = services.lead_check(critique)
            if check.short:
                messages.warning(request, _short_message(check))
            return redirect("oversight:critique_detail", pk=critique.pk)
    return render(
        request, "oversight/critique_form.html",
        {"form": form, "title": _("Receive a draft for social criticism")},
    )  # fmt: skip


@login_required
def critique_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the draft's record (refused once the critique is issued)."""
    critique = access.get_critique_for_user(request.user, pk)
    if not access.can_manage(request.user, critique.office):
        raise not_found()
    if not critique.accepts_comments:
        messages.error(request, _("The critique was issued; the draft can no longer be changed."))
        return redirect("oversight:critique_detail", pk=critique.pk)
    initial = {name: getattr(critique, name) for name in services.DRAFT_FIELDS}
    form = EditDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.do_update_draft(request.user, critique, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("The changes were saved."))
            check = services.lead_check(critique)
            if check.short:
                messages.warning(request, _short_message(check))
            return redirect("oversight:critique_detail", pk=critique.pk)
    return render(
        request, "oversight/critique_form.html",
        {"form": form, "title": _("Edit the draft received"), "critique": critique},
    )  # fmt: skip


def _short_message(check: services.LeadCheck) -> str:
    assert check.rule is not None
    return _(
        "The draft came with %(given)d days before the critique is due; %(rule)s asks for at "
        "least %(need)d (%(counting)s)."
    ) % {
        "given": check.given_days,
        "need": check.required_days,
        "rule": check.rule.source,
        "counting": check.rule.get_counting_display(),
    }


@login_required
def critique_detail(request: HttpRequest, pk: int) -> HttpResponse:
    critique = access.get_critique_for_user(request.user, pk)
    manager = access.can_manage(request.user, critique.office)
    organizations = access.comment_organizations(request.user, critique.office)
    commenter = critique.accepts_comments and (manager or organizations.exists())
    sections, points = services.ordered_points(critique)
    rules = services.all_rules()
    check = services.lead_check(critique, rules)
    answer_due, answer_rule = services.answer_due(critique, rules)
    by_section: dict[int | None, list[tuple[int, CritiqueComment]]] = {}
    for n, p in enumerate(points, start=1):
        by_section.setdefault(p.section_id, []).append((n, p))
    comment_form = (
        CommentForm(sections=sections, organizations=organizations, manager=manager)
        if commenter
        else None
    )
    return render(
        request, "oversight/critique_detail.html",
        {
            "critique": critique, "manager": manager, "commenter": commenter,
            "sections": [(s, by_section.get(s.pk, [])) for s in sections],
            "general": by_section.get(None, []), "points": points,
            "check": check, "short_message": _short_message(check) if check.short else "",
            "answer_due": answer_due, "answer_rule": answer_rule,
            "answer_overdue": bool(
                answer_due and critique.status == Critique.Status.ISSUED
                and answer_due < clock.today()
            ),
            "comment_form": comment_form,
            "sections_form": SectionsForm() if manager and critique.accepts_comments else None,
            "section_form": AddSectionForm() if manager and critique.accepts_comments else None,
            "issue_form": IssueForm(initial={"issued_on": clock.today()})
            if manager and critique.accepts_comments else None,
            "received_url": _document_link(request.user, critique.received_document),
            "issued_url": _document_link(request.user, critique.issued_document),
            "answer_url": _document_link(request.user, critique.answer_document),
            "recommendations": _recommendations(
                request.user, "criticism", [p.pk for p in points]
            ),
            "overdue": critique.status == Critique.Status.OPEN and critique.due_on < clock.today(),
        },
    )  # fmt: skip


@login_required
@require_POST
def critique_sections(request: HttpRequest, pk: int) -> HttpResponse:
    critique = access.get_critique_for_user(request.user, pk)
    if not access.can_manage(request.user, critique.office):
        raise not_found()
    try:
        if request.POST.get("action") == "add":
            form = AddSectionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter the heading of the section."))
            services.do_add_section(request.user, critique, **form.cleaned_data)
            messages.success(request, _("The section was added."))
        else:
            rows = services.do_set_sections(
                request.user, critique, text=request.POST.get("text", "")
            )
            messages.success(
                request, _("The draft was cut into %(n)d sections.") % {"n": len(rows)}
            )
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect("oversight:critique_detail", pk=critique.pk)


@login_required
def critique_comment(request: HttpRequest, pk: int) -> HttpResponse:
    critique = access.get_critique_for_user(request.user, pk)
    manager = access.can_manage(request.user, critique.office)
    organizations = access.comment_organizations(request.user, critique.office)
    if not (manager or organizations.exists()):
        raise not_found()
    sections = list(critique.sections.order_by("order"))
    form = CommentForm(
        request.POST or None, sections=sections, organizations=organizations, manager=manager
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        section_id = data.pop("section")
        data["section"] = next((s for s in sections if s.pk == section_id), None)
        try:
            comment = services.do_add_comment(request.user, critique, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The comment was recorded."))
            return redirect(f"{critique_url(critique.pk)}#point-{comment.pk}")
    return render(
        request, "oversight/critique_comment.html",
        {"form": form, "critique": critique, "title": _("Comment on the draft")},
    )  # fmt: skip


def critique_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("oversight:critique_detail", args=[pk])


@login_required
@require_POST
def critique_issue(request: HttpRequest, pk: int) -> HttpResponse:
    critique = access.get_critique_for_user(request.user, pk)
    if not access.can_manage(request.user, critique.office):
        raise not_found()
    form = IssueForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("oversight:critique_detail", pk=critique.pk)
    try:
        document = services.do_issue_critique(request.user, critique, **form.cleaned_data)
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(
            request, _("The critique was issued as number %(n)s.") % {"n": document.notation}
        )
    return redirect("oversight:critique_detail", pk=critique.pk)


@login_required
def critique_answer(request: HttpRequest, pk: int) -> HttpResponse:
    critique = access.get_critique_for_user(request.user, pk)
    if not access.can_manage(request.user, critique.office) or critique.status != "issued":
        raise not_found()
    _sections, points = services.ordered_points(critique)
    form = AnswerForm(request.POST or None, points=points)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = {
            p.pk: services.PointAnswer(
                data.get(f"response-{p.pk}") or "", data.get(f"note-{p.pk}") or ""
            )
            for p in points
            if data.get(f"response-{p.pk}")
        }
        try:
            made = services.do_record_answer(
                request.user, critique, answered_on=data["answered_on"], answers=answers,
                summary=data["summary"], letter_notation=data["letter_notation"],
                recommendation_due_on=data["recommendation_due_on"],
                recommend_to=data["recommend_to"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(
                form, exc, aliases={"due_on": "recommendation_due_on", "body": "recommend_to"},
            )  # fmt: skip
        else:
            messages.success(request, _("The drafting body's answer was recorded."))
            if made:
                messages.info(
                    request,
                    _("%(n)d recommendations were added to the register for the points not "
                      "accepted.") % {"n": len(made)},
                )  # fmt: skip
            return redirect("oversight:critique_detail", pk=critique.pk)
    return render(request, "oversight/critique_answer.html", {"form": form, "critique": critique})


@login_required
def critique_docx(request: HttpRequest, pk: int) -> FileResponse:
    critique = access.get_critique_for_user(request.user, pk)
    attachment = (
        critique.issued_document.attachments.filter(original_name__endswith=".docx").last()
        if critique.issued_document
        else None
    )
    if attachment is None:
        raise not_found()
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=DOCX,
    )  # fmt: skip


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    if not access.critique_offices(request.user).exists():
        raise not_found()
    return render(
        request, "oversight/criticism_rules.html",
        {"rules": CriticismRule.objects.all(), "today": clock.today(),
         "admin": request.user.is_superuser and request.user.is_active},
    )  # fmt: skip


# --- Feedback rounds ------------------------------------------------------------------------------


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    if not access.feedback_offices(request.user).exists():
        raise not_found()
    qs = access.rounds_for_user(request.user).select_related("office")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title_folded__contains=fold(q))
    page = paginate(request, qs.order_by("-start_on", "-pk"))
    return render(
        request, "oversight/feedback_list.html",
        {"page": page, "q": q, "can_manage": access.managed_offices(request.user).exists()},
    )  # fmt: skip


@login_required
def feedback_create(request: HttpRequest) -> HttpResponse:
    offices = access.managed_offices(request.user)
    if not offices.exists():
        raise not_found()
    form = OpenRoundForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        office = data.pop("office")
        try:
            round_ = feedback_services.do_open_round(request.user, office, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The feedback round was opened."))
            return redirect("oversight:feedback_detail", pk=round_.pk)
    return render(
        request, "oversight/critique_form.html",
        {"form": form, "title": _("Open a feedback round")},
    )  # fmt: skip


def _opinion_form(request: HttpRequest, round_: FeedbackRound, data: Any = None) -> OpinionForm:
    office = round_.office
    manager = access.can_manage(request.user, office)
    communes = (
        access.office_communes(office)
        if manager
        else access.reporter_communes(request.user, office)
    )
    orgs = access.comment_organizations(request.user, office)
    return OpinionForm(data, organizations=orgs, communes=communes)


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    office = round_.office
    manager = access.can_manage(request.user, office)
    opinion_form = recommend_form = report_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "opinion" and access.can_add_opinion(request.user, office):
            opinion_form = _opinion_form(request, round_, request.POST)
            if opinion_form.is_valid():
                try:
                    feedback_services.do_add_opinion(
                        request.user, round_, **opinion_form.cleaned_data
                    )
                except ValidationError as exc:
                    add_service_errors(opinion_form, exc)
                else:
                    messages.success(request, _("The opinion was recorded."))
                    return redirect("oversight:feedback_detail", pk=round_.pk)
        elif action == "report" and manager:
            report_form = ReportForm(request.POST)
            if report_form.is_valid():
                try:
                    document = feedback_services.do_send_report(
                        request.user, round_, **report_form.cleaned_data
                    )
                except ValidationError as exc:
                    add_service_errors(report_form, exc)
                else:
                    messages.success(
                        request,
                        _("The report was issued as number %(n)s.") % {"n": document.notation},
                    )
                    return redirect("oversight:feedback_detail", pk=round_.pk)
        elif action == "recommend" and manager:
            recommend_form = RecommendForm(request.POST)
            if recommend_form.is_valid():
                try:
                    feedback_services.do_recommend_from_round(
                        request.user, round_, **recommend_form.cleaned_data
                    )
                except ValidationError as exc:
                    add_service_errors(recommend_form, exc)
                else:
                    messages.success(request, _("The recommendation was added to the register."))
                    return redirect("oversight:feedback_detail", pk=round_.pk)
        else:
            raise not_found()
    opinions = access.opinions_for_user(request.user, round_).select_related(
        "commune", "organization"
    )
    is_open = round_.status == FeedbackRound.Status.OPEN
    if opinion_form is None and is_open and access.can_add_opinion(request.user, office):
        opinion_form = _opinion_form(request, round_)
    if manager and report_form is None and is_open:
        report_form = ReportForm(initial={"reported_on": clock.today()})
    if manager and recommend_form is None:
        recommend_form = RecommendForm()
    groups = [
        (label, [o for o in opinions if o.source_kind == kind])
        for kind, label in FeedbackOpinion.SourceKind.choices
    ]
    return render(
        request, "oversight/feedback_detail.html",
        {
            "round": round_, "manager": manager, "groups": groups,
            "count": sum(len(g) for _l, g in groups),
            "all_opinions": access.reads_all_opinions(request.user, office),
            "opinion_form": opinion_form, "report_form": report_form,
            "recommend_form": recommend_form,
            "report_url": _document_link(request.user, round_.report_document),
            "recommendations": _recommendations(request.user, "feedback", [round_.pk])
            if access.reads_all_opinions(request.user, office) else [],
        },
    )  # fmt: skip


@login_required
def feedback_docx(request: HttpRequest, pk: int) -> FileResponse:
    round_ = access.get_round_for_user(request.user, pk)
    if not access.reads_all_opinions(request.user, round_.office):
        raise not_found()
    attachment = (
        round_.report_document.attachments.filter(original_name__endswith=".docx").last()
        if round_.report_document
        else None
    )
    if attachment is None:
        raise not_found()
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=DOCX,
    )  # fmt: skip
