from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import links as page_links
from khoi.accounts.access import not_found
from khoi.documents import access, links, reports, services
from khoi.documents.forms import (
    AttachForm,
    CorrectReportForm,
    EditForm,
    IssueForm,
    IssueReportForm,
    NarrativeForm,
    PrepareReportForm,
    RegisterForm,
)
from khoi.documents.models import Attachment, PeriodicReport
from khoi.documents.search import Criteria, parse_day, search
from khoi.http import add_service_errors, message_errors
from khoi.org.models import JointOffice
from khoi.pagination import paginate

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _writable_office(request: HttpRequest) -> JointOffice:
    offices = access.writable_offices(request.user).select_related("unit").order_by("name")
    code = request.GET.get("office") or request.POST.get("office")
    office = offices.filter(code=code).first() if code else offices.first()
    if office is None:
        raise not_found()
    return office


def criteria(request: HttpRequest) -> Criteria:
    g = request.GET
    return Criteria(
        q=g.get("q", ""), issuer=g.get("issuer", ""), direction=g.get("direction", ""),
        date_from=parse_day(g.get("from", "")), date_to=parse_day(g.get("to", "")),
        doc_type=g.get("type", ""),
    )  # fmt: skip


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    if access.readable_offices(request.user).count() == 0:
        raise not_found()
    c = criteria(request)
    documents = search(access.documents_for_user(request.user), c).select_related("office")
    return render(
        request,
        "documents/document_list.html",
        {
            "page": paginate(request, documents.order_by("-issued_on", "-id")),
            "c": c,
            "g": request.GET,
            "can_write": access.writable_offices(request.user).exists(),
        },
    )


@login_required
def document_register(request: HttpRequest) -> HttpResponse:
    office = _writable_office(request)
    form = RegisterForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        try:
            with transaction.atomic():
                chosen = form.pop_links(data)
                document = services.do_register_document(request.user, office, **data, links=chosen)
                if upload:
                    services.do_attach_file(request.user, document, upload)
            if document.incoming_number is not None:
                messages.success(
                    request,
                    _("The document was registered as incoming number %(n)s.")
                    % {"n": document.incoming_label},
                )
            else:
                messages.success(request, _("The document was registered."))
            if not document.notation_recognised:
                messages.warning(request, services.unrecognised_warning(document.notation))
            return redirect("documents:detail", pk=document.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "documents/document_form.html",
        {"form": form, "office": office, "title": _("Register a document")},
    )  # fmt: skip


@login_required
def document_issue(request: HttpRequest) -> HttpResponse:
    office = _writable_office(request)
    form = IssueForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            chosen = form.pop_links(data)
            document = services.do_issue_document(request.user, office, **data, links=chosen)
            messages.success(
                request, _("Document number %(n)s was issued.") % {"n": document.notation}
            )
            return redirect("documents:detail", pk=document.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "documents/document_form.html",
        {"form": form, "office": office, "title": _("Issue a numbered document")},
    )  # fmt: skip


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, pk)
    linked = links.linked_rows(document)
    page_links.prime(request.user, [(kind.model, obj.pk) for kind, obj, _url in linked])
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "attachments": document.attachments.all(),
            "linked": linked,
            "unrecognised_warning": (
                ""
                if document.notation_recognised
                else services.unrecognised_warning(document.notation)
            ),
            "can_write": access.can_write(request.user, document.office_id),
            "attach_form": AttachForm(),
        },
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, pk)
    if not access.can_write(request.user, document.office_id):
        raise not_found()
    initial = {
        "received_on": document.received_on, "issuing_body": document.issuing_body,
        "summary": document.summary, "recipients": document.recipients,
        "signer": document.signer, **links.linked_ids(document),
    }  # fmt: skip
    form = EditForm(request.POST or None, initial=initial, office=document.office)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            chosen = form.pop_links(data)
            services.do_update_document(request.user, document, **data, links=chosen)
            messages.success(request, _("The changes were saved."))
            return redirect("documents:detail", pk=document.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "documents/document_form.html",
        {"form": form, "office": document.office, "title": document.notation,
         "document": document},
    )  # fmt: skip


@login_required
@require_POST
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, pk)
    if not access.can_write(request.user, document.office_id):
        raise not_found()
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.do_attach_file(request.user, document, form.cleaned_data["file"])
            messages.success(request, _("The file was attached."))
        except ValidationError as exc:
            message_errors(request, exc)
    else:
        messages.error(request, _("Choose a file."))
    return redirect("documents:detail", pk=document.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    document = access.get_document_for_user(request.user, pk)
    attachment = Attachment.objects.filter(document=document, pk=attachment_pk).first()
    if attachment is None:
        raise not_found()
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )  # fmt: skip


# --- Periodic reports -----------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if access.readable_offices(request.user).count() == 0:
        raise not_found()
    items = access.reports_for_user(request.user).select_related("office", "document")
    writable = access.writable_offices(request.user).select_related("unit").order_by("name")
    form = PrepareReportForm(request.POST or None)
    if request.method == "POST":
        office = _writable_office(request)
        if form.is_valid():
            try:
                report = services.do_prepare_report(request.user, office, form.period_code())
                return redirect("documents:report_detail", pk=report.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(
        request, "documents/report_list.html",
        {"page": paginate(request, items.order_by("-start_on", "-id")), "form": form,
         "offices": writable},
    )  # fmt: skip


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    sections = reports.sections_for(report)
    can_write = access.can_write(request.user, report.office_id)
    editable = can_write and report.status == PeriodicReport.Status.DRAFT
    correctable = (
        can_write
        and report.status == PeriodicReport.Status.ISSUED
        and not PeriodicReport.objects.filter(corrects=report).exists()
    )
    versions = (
        access.reports_for_user(request.user)
        .filter(office_id=report.office_id, period=report.period)
        .select_related("document")
        .order_by("version")
    )
    return render(
        request,
        "documents/report_detail.html",
        {
            "report": report,
            "sections": [
                (s, NarrativeForm(initial={"text": "\n".join(s.paragraphs)}, prefix=s.key))
                for s in sections
            ],
            "editable": editable,
            "issue_form": IssueReportForm() if editable else None,
            "correct_form": CorrectReportForm() if correctable else None,
            "versions": versions,
            "pdf_unavailable": reports.pdf_unavailable(),
        },
    )


@login_required
@require_POST
def report_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    if not access.can_write(request.user, report.office_id):
        raise not_found()
    form = NarrativeForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.do_edit_narrative(
                request.user, report, key, form.cleaned_data["text"].splitlines()
            )
            messages.success(request, _("The narrative was saved."))
        except ValidationError as exc:
            message_errors(request, exc)
    return redirect("documents:report_detail", pk=report.pk)


@login_required
@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    if not access.can_write(request.user, report.office_id):
        raise not_found()
    form = IssueReportForm(request.POST)
    if form.is_valid():
        try:
            document = services.do_issue_report(
                request.user, report, form.cleaned_data["issued_on"],
                signer=form.cleaned_data["signer"],
            )  # fmt: skip
            messages.success(
                request, _("The report was issued as %(n)s.") % {"n": document.notation}
            )
        except ValidationError as exc:
            message_errors(request, exc)
    else:
        messages.error(request, _("Enter the date and the signer."))
    return redirect("documents:report_detail", pk=report.pk)


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    if not access.can_write(request.user, report.office_id):
        raise not_found()
    form = CorrectReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the correction."))
        return redirect("documents:report_detail", pk=report.pk)
    try:
        correction = services.do_correct_report(request.user, report, form.cleaned_data["reason"])
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("documents:report_detail", pk=report.pk)
    messages.success(
        request,
        _("Correction %(v)s was opened; issue it to replace the report.")
        % {"v": correction.version},
    )
    return redirect("documents:report_detail", pk=correction.pk)


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise not_found()
    try:
        data = reports.render(report, fmt)
    except reports.ConversionError as exc:
        # a clear status (not a redirect to a page that hides why): 503, with the reason
        return render(
            request, "documents/pdf_unavailable.html", {"report": report, "reason": str(exc)},
            status=503,
        )  # fmt: skip
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{report.period}.{fmt}"'
    return response
