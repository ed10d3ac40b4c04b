from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock, links
from khoi.accounts.access import not_found
from khoi.http import add_service_errors, message_errors
from khoi.meetings import access, export, ical, services
from khoi.meetings.forms import (
    AttendanceForm,
    CorrectionForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    SeriesForm,
)
from khoi.meetings.models import AgendaItem, Attendance, CalendarFeed, Meeting, token_digest
from khoi.org.models import JointOffice
from khoi.pagination import paginate
from khoi.registry import related_items

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _managed_office(request: HttpRequest) -> JointOffice:
    offices = access.managed_offices(request.user).select_related("unit").order_by("name")
    code = request.GET.get("office") or request.POST.get("office")
    office = offices.filter(code=code).first() if code else offices.first()
    if office is None:
        raise not_found()
    return office


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = access.meetings_for_user(request.user).select_related("office", "chair")
    when = request.GET.get("when", "")
    now = clock.now()
    if when == "upcoming":
        meetings = meetings.filter(starts_at__gte=now).order_by("starts_at", "id")
    else:
        meetings = meetings.order_by("-starts_at", "id")
    return render(
        request,
        "meetings/meeting_list.html",
        {"page": paginate(request, meetings), "when": when,
         "can_create": access.managed_offices(request.user).exists()},
    )  # fmt: skip


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    office = _managed_office(request)
    form = MeetingForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            meeting = services.do_create_meeting(
                request.user, office, **data, prefill=data["kind"] == Meeting.Kind.BRIEFING
            )
            messages.success(
                request,
                _("The meeting “%(title)s” was scheduled; %(n)s people are invited.")
                % {"title": meeting.title, "n": meeting.attendances.count()},
            )
            return redirect("meetings:detail", pk=meeting.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "meetings/meeting_form.html",
        {"form": form, "office": office, "title": _("New meeting")},
    )  # fmt: skip


@login_required
def series_create(request: HttpRequest) -> HttpResponse:
    office = _managed_office(request)
    form = SeriesForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.do_schedule_series(request.user, office, **form.cleaned_data)
            messages.success(
                request, _("%(n)s meetings were scheduled.") % {"n": series.meetings.count()}
            )
            return redirect("meetings:list")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "meetings/meeting_form.html",
        {"form": form, "office": office, "title": _("Recurring schedule")},
    )  # fmt: skip


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    manage = access.can_manage(request.user, meeting.office_id)
    items = list(meeting.items.prefetch_related("corrections").order_by("position", "id"))
    outcomes = list(
        meeting.outcomes.select_related("task__assignee", "task__assignee_subcommittee")
    )
    for item in items:
        item.outcome_list = [o for o in outcomes if o.item_id == item.pk]  # type: ignore[attr-defined]
        item.form = MinutesForm(initial={"minutes": item.minutes}, prefix=f"i{item.pk}")  # type: ignore[attr-defined]
    open_ = manage and not meeting.is_closed
    links.prime(
        request.user,
        [(i.object_type, i.object_id) for i in items]
        + [("work.task", o.task_id) for o in outcomes if o.task_id],
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "general": [o for o in outcomes if o.item_id is None],
            "attendances": meeting.attendances.select_related("person").order_by("id"),
            "corrections": meeting.corrections.filter(item=None),
            "related": related_items(request.user, meeting),
            "manage": manage,
            "open": open_,
            "item_form": ItemForm() if open_ else None,
            "attendance_form": AttendanceForm(office=meeting.office) if open_ else None,
            "outcome_form": OutcomeForm(meeting=meeting) if open_ else None,
            "correction_form": CorrectionForm(meeting=meeting)
            if manage and meeting.is_closed
            else None,
        },
    )


def _managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_manage(request.user, meeting.office_id):
        raise not_found()
    return meeting


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    try:
        added = services.do_prefill_agenda(request.user, meeting)
        messages.success(request, _("%(n)s items were added to the agenda.") % {"n": len(added)})
    except ValidationError as exc:
        message_errors(request, exc)
    return _back(meeting)


@login_required
@require_POST
def meeting_add_item(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.do_add_agenda_item(request.user, meeting, **form.cleaned_data)
        except ValidationError as exc:
            message_errors(request, exc)
    else:
        messages.error(request, _("Enter the agenda item."))
    return _back(meeting)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_pk).first()
    if item is None:
        raise not_found()
    form = MinutesForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        try:
            services.do_record_minutes(request.user, item, form.cleaned_data["minutes"])
            messages.success(request, _("The minutes were saved."))
        except ValidationError as exc:
            message_errors(request, exc)
    return _back(meeting)


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = AttendanceForm(request.POST, office=meeting.office)
    if form.is_valid():
        try:
            services.do_set_attendance(
                request.user, meeting, form.cleaned_data["person"],
                status=form.cleaned_data["status"], reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            message_errors(request, exc)
    else:
        messages.error(request, _("Choose a person and their attendance."))
    return _back(meeting)


@login_required
@require_POST
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = OutcomeForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.do_add_outcome(request.user, meeting, **form.cleaned_data)
            messages.success(request, _("The outcome was recorded."))
        except ValidationError as exc:
            message_errors(request, exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    return _back(meeting)


@login_required
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing asks first (a page of its own, so it works without JavaScript) and warns when
    no attendance was recorded or some invitees have none."""
    meeting = _managed_meeting(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.do_close_meeting(request.user, meeting)
            messages.success(request, _("The meeting was closed; its minutes are locked."))
        except ValidationError as exc:
            message_errors(request, exc)
        return _back(meeting)
    if meeting.is_closed:
        return _back(meeting)
    statuses = list(meeting.attendances.values_list("status", flat=True))
    recorded = sum(1 for s in statuses if s != Attendance.Status.INVITED)
    return render(
        request, "meetings/meeting_close.html",
        {"meeting": meeting, "recorded": recorded, "unrecorded": len(statuses) - recorded,
         "no_attendance": recorded == 0},
    )  # fmt: skip


@login_required
@require_POST
def meeting_correct(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = CorrectionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.do_correct_minutes(
                request.user, meeting, form.cleaned_data["text"], item=form.cleaned_data["item"]
            )
            messages.success(request, _("The correction was added."))
        except ValidationError as exc:
            message_errors(request, exc)
    else:
        messages.error(request, _("Write the correction."))
    return _back(meeting)


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def meeting_minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    return _docx(export.minutes_docx(meeting), f"bien-ban-{meeting.pk}.docx")


@login_required
def meeting_notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    return _docx(export.notice_docx(meeting), f"thong-bao-ket-luan-{meeting.pk}.docx")


# --- Calendar feed ---------------------------------------------------------------------------


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed = services.live_feed(request.user)
    url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feed = services.do_revoke_feed(request.user)
            messages.success(request, _("The old address no longer works; here is a new one."))
        else:
            feed = services.do_create_feed(request.user)
        secret = getattr(feed, "secret", "")
        # The address is shown this once: only a fingerprint of it is kept.
        url = request.build_absolute_uri(reverse("meetings:feed", args=[secret])) if secret else ""
    response = render(request, "meetings/calendar.html", {"feed": feed, "url": url})
    response["Cache-Control"] = "no-store"
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: no session, the secret token is the key (revocable)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token_digest(token), revoked_at=None, user__is_active=True)
        .first()
    )
    if feed is None:
        raise not_found()
    body: Any = ical.feed(feed.user, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
