"""Importing activities from Excel: template, upload, preview, confirm or cancel.

The uploaded file waits in the default storage under ``imports/<uuid>.xlsx`` between the
preview and the confirmation; the token lives in the session (one pending import per
session). Confirming parses the file again (the office or the user's rights may have changed)
and creates the valid rows in one transaction through ``services.do_create_activity``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.accounts.access import not_found
from khoi.audit import services as audit
from khoi.org.models import JointOffice
from khoi.work import access, importer, services
from khoi.work.models import Plan

SESSION_KEY = "work_import"
MODE_ALL = "all"  # only when every row is valid
MODE_VALID = "valid"  # the valid rows, skipping the rows with errors


class ImportForm(forms.Form):
    office = forms.ModelChoiceField(
        label=gettext_lazy("Joint office"),
        queryset=JointOffice.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the listed offices.")},
    )
    plan = forms.ModelChoiceField(
        label=gettext_lazy("Attach to the plan"),
        queryset=Plan.objects.none(),
        required=False,
        help_text=gettext_lazy("Optional: the imported activities carry out this plan."),
    )
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{importer.XLSX_CONTENT_TYPE}"}),
        error_messages={"required": gettext_lazy("Choose an .xlsx file.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        offices = access.offices_to_work_in(user).select_related("unit").order_by("name")
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        if len(offices) == 1:
            self.fields["office"].widget = forms.HiddenInput()
            self.fields["office"].initial = offices[0].code
        plans = access.plans_for_user(user).filter(office__in=offices).select_related("office")
        self.fields["plan"].queryset = plans.order_by("-start_on", "title")  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > importer.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": importer.MAX_BYTES // (1024 * 1024)}
            )
        return f

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office, plan = data.get("office"), data.get("plan")
        if plan is not None and office is not None:
            if plan.office_id != office.pk:
                self.add_error("plan", _("This plan belongs to another office."))
            elif not access.can_edit_plan(self.user, plan):
                self.add_error("plan", _("You cannot add activities to this plan."))
        return data


def _storage_name(token: str) -> str:
    return f"imports/{token}.xlsx"


def _pending(request: HttpRequest, token: uuid.UUID) -> dict[str, Any]:
    """The pending import of this session, or 404."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != str(token):
        raise not_found()
    return dict(pending)


def _purge_stale(max_age: datetime.timedelta = datetime.timedelta(days=1)) -> None:
    """Delete files of imports abandoned without confirming or cancelling."""
    limit = clock.real_now() - max_age
    try:
        _dirs, files = default_storage.listdir("imports")
        for name in files:
            path = f"imports/{name}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        return


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["file"])


def _load(request: HttpRequest, pending: dict[str, Any]) -> tuple[JointOffice, Plan | None, bytes]:
    """Office, plan and file of a pending import, checked again against the user's rights."""
    office = access.offices_to_work_in(request.user).filter(pk=pending["office"]).first()
    if office is None:
        raise not_found()
    plan = None
    if pending.get("plan"):
        plan = access.get_plan_for_user(request.user, pending["plan"])
        if plan.office_id != office.pk or not access.can_edit_plan(request.user, plan):
            raise not_found()
    try:
        with default_storage.open(pending["file"], "rb") as f:
            data = f.read()
    except (FileNotFoundError, OSError):
        raise not_found() from None
    return office, plan, data


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    offices = access.offices_to_work_in(request.user).select_related("unit").order_by("name")
    code = request.GET.get("office")
    office = offices.filter(code=code).first() if code else offices.first()
    if office is None:
        raise not_found()
    response = HttpResponse(
        importer.build_template(office, request.user), content_type=importer.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="mau-hoat-dong-{office.code}.xlsx"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not access.offices_to_work_in(request.user).exists():
        raise not_found()
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        office, plan = form.cleaned_data["office"], form.cleaned_data["plan"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        problem = importer.check_file_head(data)
        if problem is not None:
            form.add_error("file", problem.message)
        else:
            _discard(request)  # one pending import per session
            _purge_stale()
            token = str(uuid.uuid4())
            name = default_storage.save(_storage_name(token), ContentFile(data))
            request.session[SESSION_KEY] = {
                "token": token,
                "file": name,
                "office": office.pk,
                "plan": plan.pk if plan else None,
                "name": str(upload.name)[:200],
            }
            return redirect("work:import_preview", token=token)
    return render(request, "work/import_upload.html", {"form": form})


def _render_preview(
    request: HttpRequest,
    pending: dict[str, Any],
    office: JointOffice,
    plan: Plan | None,
    result: importer.ImportResult,
    status: int = 200,
) -> HttpResponse:
    errors_by_row: dict[int, list[importer.RowError]] = {}
    for e in result.errors:
        errors_by_row.setdefault(e.row, []).append(e)
    return render(
        request,
        "work/import_preview.html",
        {
            "token": pending["token"],
            "file_name": pending.get("name", ""),
            "office": office,
            "plan": plan,
            "result": result,
            "rows": result.rows,
            "errors": result.errors,
            "errors_by_row": sorted(errors_by_row.items()),
            "n_valid": len(result.rows),
            "n_bad": result.skipped,
            "mode_all": MODE_ALL,
            "mode_valid": MODE_VALID,
        },
        status=status,
    )


@login_required
def import_preview(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    pending = _pending(request, token)
    office, plan, data = _load(request, pending)
    result = importer.parse_workbook(data, office, request.user)
    return _render_preview(request, pending, office, plan, result)


@login_required
@require_POST
def import_confirm(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    pending = _pending(request, token)
    office, plan, data = _load(request, pending)
    result = importer.parse_workbook(data, office, request.user)
    mode = request.POST.get("mode", MODE_ALL)
    expected = request.POST.get("expected", "")
    if result.file_error or not result.rows:
        messages.error(request, _("There is no valid row to import."))
        return _render_preview(request, pending, office, plan, result, status=400)
    if mode != MODE_VALID and result.errors:
        messages.error(
            request, _("Some rows have errors: fix them, or import only the valid rows.")
        )
        return _render_preview(request, pending, office, plan, result, status=400)
    if expected != str(len(result.rows)):
        # The office changed between the preview and the confirmation: show it again.
        messages.error(request, _("The data changed since the preview: check it again."))
        return _render_preview(request, pending, office, plan, result, status=409)
    try:
        with transaction.atomic():
            for row in result.rows:
                try:
                    services.do_create_activity(
                        request.user, office, plan=plan, **row.service_kwargs()
                    )
                except ValidationError as exc:
                    raise _RowFailed(row.row, exc) from exc
            audit.record(
                request.user,
                "activity.import",
                office,
                {
                    "count": len(result.rows),
                    "skipped_rows": result.error_rows,
                    "file": pending.get("name", ""),
                    "plan": plan.pk if plan else None,
                },
                office_id=office.pk,
            )
    except _RowFailed as failed:
        messages.error(
            request,
            _("Nothing was imported: row %(row)d was refused (%(reason)s).")
            % {"row": failed.row, "reason": "; ".join(failed.error.messages)},
        )
        return _render_preview(request, pending, office, plan, result, status=400)
    _discard(request)
    messages.success(request, _("%(n)d activities were imported.") % {"n": len(result.rows)})
    return redirect("work:activity_list")


class _RowFailed(Exception):
    def __init__(self, row: int, error: ValidationError) -> None:
        super().__init__(row)
        self.row = row
        self.error = error


@login_required
@require_POST
def import_cancel(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    _pending(request, token)
    _discard(request)
    messages.info(request, _("The import was cancelled; nothing was imported."))
    return redirect("work:import_upload")
