"""API for meetings: agendas, attendance, minutes, outcomes, closing.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at run
time.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khoi.accounts.access import not_found
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.meetings import access, services
from khoi.meetings.models import AgendaItem, Meeting
from khoi.org.models import JointOffice, Person, SubCommittee

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    office_id: int
    kind: str
    title: str
    starts_at: datetime.datetime
    place: str
    chair_id: int | None
    status: str


class ItemOut(Schema):
    id: int
    position: int
    title: str
    detail: str
    source: str
    object_type: str
    object_id: int | None
    minutes: str


class AttendanceOut(Schema):
    person_id: int
    status: str
    reason: str


class OutcomeOut(Schema):
    id: int
    item_id: int | None
    kind: str
    text: str
    task_id: int | None


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut]
    attendances: list[AttendanceOut]
    outcomes: list[OutcomeOut]


class MeetingIn(Schema):
    office: str
    kind: str
    title: str
    starts_at: datetime.datetime
    place: str = ""
    chair_id: DbInt | None = None
    attendee_ids: list[DbInt] = Field(default_factory=list)


class ItemIn(Schema):
    title: str
    detail: str = ""


class MinutesIn(Schema):
    minutes: str


class AttendanceIn(Schema):
    person_id: DbInt
    status: str
    reason: str = ""


class OutcomeIn(Schema):
    kind: str
    text: str
    item_id: DbInt | None = None
    assignee_id: DbInt | None = None
    assignee_subcommittee_id: DbInt | None = None
    due_on: datetime.date | None = None


class CorrectionIn(Schema):
    text: str
    item_id: DbInt | None = None


def _detail(m: Meeting) -> dict[str, Any]:
    return {
        **{f: getattr(m, f) for f in ("id", "office_id", "kind", "title", "starts_at", "place",
                                      "chair_id", "status")},
        "items": list(m.items.order_by("position", "id")),
        "attendances": list(m.attendances.order_by("id")),
        "outcomes": list(m.outcomes.order_by("id")),
    }  # fmt: skip


def _managed(request: HttpRequest, meeting_id: DbInt) -> Meeting:
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if not access.can_manage(request.user, meeting.office_id):
        raise not_found()
    return meeting


def _item(meeting: Meeting, item_id: DbInt | None) -> AgendaItem | None:
    if item_id is None:
        return None
    item = meeting.items.filter(pk=item_id).first()
    if item is None:
        raise DjangoValidationError({"item_id": [_("This item does not belong to the meeting.")]})
    return item


@router.get("meetings", response=list[MeetingOut])
@paginate(PageNumberPagination, page_size=50)
def list_meetings(
    request: HttpRequest, start: datetime.date | None = None, end: datetime.date | None = None
) -> Any:
    qs = access.meetings_for_user(request.user)
    if start:
        qs = qs.filter(starts_at__date__gte=start)
    if end:
        qs = qs.filter(starts_at__date__lte=end)
    return qs.order_by("-starts_at", "id")


@router.get("meetings/{int:meeting_id}", response=MeetingDetailOut)
def get_meeting(request: HttpRequest, meeting_id: DbInt) -> Any:
    return _detail(access.get_meeting_for_user(request.user, meeting_id))


@router.post("meetings", response={201: MeetingDetailOut, 422: ErrorOut})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    office: JointOffice | None = (
        access.managed_offices(request.user).filter(code=payload.office).first()
    )
    if office is None:
        raise not_found()
    people = list(Person.objects.filter(pk__in=payload.attendee_ids, unit=office.unit))
    if len(people) != len(set(payload.attendee_ids)):
        raise DjangoValidationError({"attendee_ids": _("Someone is not of the office's unit.")})
    chair = (
        Person.objects.filter(pk=payload.chair_id, unit=office.unit).first()
        if payload.chair_id
        else None
    )
    meeting = services.do_create_meeting(
        request.user, office, kind=payload.kind, title=payload.title,
        starts_at=payload.starts_at, place=payload.place, chair=chair, attendees=people,
        prefill=payload.kind == Meeting.Kind.BRIEFING,
    )  # fmt: skip
    return Status(201, _detail(meeting))


def _run(request: HttpRequest, meeting_id: DbInt, action: Any) -> Any:
    meeting = _managed(request, meeting_id)
    action(meeting)
    meeting.refresh_from_db()
    return Status(200, _detail(meeting))


@router.post("meetings/{int:meeting_id}/prefill", response={200: MeetingDetailOut, 422: ErrorOut})
def prefill(request: HttpRequest, meeting_id: DbInt) -> Any:
    """Add the agenda items proposed from live data (overdue, blocked, due soon…)."""
    return _run(request, meeting_id, lambda m: services.do_prefill_agenda(request.user, m))


@router.post("meetings/{int:meeting_id}/items", response={200: MeetingDetailOut, 422: ErrorOut})
def add_item(request: HttpRequest, meeting_id: DbInt, payload: ItemIn) -> Any:
    return _run(request, meeting_id, lambda m: services.do_add_agenda_item(
        request.user, m, title=payload.title, detail=payload.detail))  # fmt: skip


@router.put(
    "meetings/{int:meeting_id}/items/{int:item_id}/minutes",
    response={200: MeetingDetailOut, 422: ErrorOut},
)
def record_minutes(
    request: HttpRequest, meeting_id: DbInt, item_id: DbInt, payload: MinutesIn
) -> Any:
    def act(m: Meeting) -> None:
        item = _item(m, item_id)
        assert item is not None
        services.do_record_minutes(request.user, item, payload.minutes)

    return _run(request, meeting_id, act)


@router.post(
    "meetings/{int:meeting_id}/attendance", response={200: MeetingDetailOut, 422: ErrorOut}
)
def set_attendance(request: HttpRequest, meeting_id: DbInt, payload: AttendanceIn) -> Any:
    def act(m: Meeting) -> None:
        person = Person.objects.filter(pk=payload.person_id).first()
        if person is None:
            raise DjangoValidationError({"person_id": [_("No such person.")]})
        services.do_set_attendance(request.user, m, person, status=payload.status,
                                   reason=payload.reason)  # fmt: skip

    return _run(request, meeting_id, act)


@router.post("meetings/{int:meeting_id}/outcomes", response={200: MeetingDetailOut, 422: ErrorOut})
def add_outcome(request: HttpRequest, meeting_id: DbInt, payload: OutcomeIn) -> Any:
    def act(m: Meeting) -> None:
        services.do_add_outcome(
            request.user, m, kind=payload.kind, text=payload.text, item=_item(m, payload.item_id),
            assignee=Person.objects.filter(pk=payload.assignee_id).first()
            if payload.assignee_id else None,
            assignee_subcommittee=SubCommittee.objects.filter(
                pk=payload.assignee_subcommittee_id).first()
            if payload.assignee_subcommittee_id else None,
            due_on=payload.due_on,
        )  # fmt: skip

    return _run(request, meeting_id, act)


@router.post("meetings/{int:meeting_id}/close", response={200: MeetingDetailOut, 422: ErrorOut})
def close(request: HttpRequest, meeting_id: DbInt) -> Any:
    return _run(request, meeting_id, lambda m: services.do_close_meeting(request.user, m))


@router.post(
    "meetings/{int:meeting_id}/corrections", response={200: MeetingDetailOut, 422: ErrorOut}
)
def correct(request: HttpRequest, meeting_id: DbInt, payload: CorrectionIn) -> Any:
    return _run(request, meeting_id, lambda m: services.do_correct_minutes(
        request.user, m, payload.text, item=_item(m, payload.item_id)))  # fmt: skip
