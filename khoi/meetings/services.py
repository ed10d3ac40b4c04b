"""Every change to meetings, agendas, attendance, minutes and outcomes goes through here.

Closing a meeting locks its minutes, attendance and outcomes; later corrections are new
:class:`MinutesCorrection` entries, each audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.lib.workdays import WorkCalendar
from khoi.meetings import access
from khoi.meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    MinutesCorrection,
    Outcome,
)
from khoi.org.models import AdminUnit, JointOffice, Person, SubCommittee
from khoi.registry import AGENDA_PROVIDERS
from khoi.workcalendar.services import work_calendar

MAX_OCCURRENCES = 120


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _check_manager(actor: Any, office: JointOffice | int) -> None:
    if not access.can_manage(actor, office):
        raise _refuse(None, _("Only the office's staff prepare meetings and keep the minutes."))


def _check_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise _refuse(
            None,
            _("The meeting is closed and its minutes are locked; add a correction instead."),
        )


def _check_people(office: JointOffice, people: Sequence[Person | None], field: str) -> None:
    """Everyone named in a meeting is one of the office's people (its unit), whatever sent
    the ids: the page's form or the API (issue #8)."""
    named = [p for p in people if p is not None]
    if not named:
        return
    units = {p.unit_id for p in named}
    inside = AdminUnit.objects.subtree(office.unit).filter(pk__in=units).count()
    if inside != len(units) or not all(p.is_active for p in named):
        raise _refuse(field, _("Someone is not of the office's unit."))


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def do_create_meeting(
    actor: Any,
    office: JointOffice,
    *,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    chair: Person | None = None,
    secretary: Person | None = None,
    attendees: Sequence[Person] = (),
    series: MeetingSeries | None = None,
    prefill: bool = False,
) -> Meeting:
    """Schedule a meeting and invite people; ``prefill`` fills the agenda from live data."""
    _check_manager(actor, office)
    _check_people(office, [chair], "chair")
    _check_people(office, [secretary], "secretary")
    _check_people(office, list(attendees), "attendees")
    if kind not in Meeting.Kind.values:
        raise _refuse("kind", _("Choose the kind of meeting."))
    if not title.strip():
        raise _refuse("title", _("Enter the title of the meeting."))
    with transaction.atomic():
        meeting = Meeting(
            office=office, series=series, kind=kind, title=nfc(title.strip()),
            starts_at=starts_at, place=nfc(place.strip()), chair=chair, secretary=secretary,
            created_by=_user(actor),
        )  # fmt: skip
        audit.create(actor, meeting, "meeting.create", office_id=office.pk)
        people = {p.pk: p for p in [*attendees, *(x for x in (chair, secretary) if x)]}
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, person=p) for p in people.values()]
        )
        if prefill:
            do_prefill_agenda(actor, meeting)
    return meeting


def occurrences(series: MeetingSeries, calendar: WorkCalendar | None = None) -> list[datetime.date]:
    """The dates of a schedule: its weekday, every ``every_weeks`` weeks, within its dates.

    A date that is not a working day of the product's calendar (a public holiday, an
    announced day off) moves to the next working day before the following occurrence;
    when there is none within the schedule, that occurrence is dropped.
    """
    cal = calendar or work_calendar()
    first = series.start_on + datetime.timedelta(
        days=(series.weekday - series.start_on.weekday()) % 7
    )
    step = datetime.timedelta(weeks=series.every_weeks)
    out: list[datetime.date] = []
    day = first
    while day <= series.end_on and len(out) < MAX_OCCURRENCES:
        held = cal.next_working_day(day)
        if held < day + step and held <= series.end_on:
            out.append(held)
        day += step
    return out


def do_schedule_series(
    actor: Any,
    office: JointOffice,
    *,
    kind: str,
    title: str,
    weekday: int,
    time: datetime.time,
    start_on: datetime.date,
    end_on: datetime.date,
    every_weeks: int = 1,
    place: str = "",
    chair: Person | None = None,
    attendees: Sequence[Person] = (),
) -> MeetingSeries:
    """A recurring schedule and its meetings (at most 120 of them)."""
    _check_manager(actor, office)
    if end_on < start_on:
        raise _refuse("end_on", _("The end date cannot be before the start date."))
    if not 0 <= weekday <= 6:
        raise _refuse("weekday", _("Choose a day of the week."))
    if every_weeks < 1:
        raise _refuse("every_weeks", _("Enter a number of weeks of at least 1."))
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        series = MeetingSeries(
            office=office, kind=kind, title=nfc(title.strip()), weekday=weekday, time=time,
            every_weeks=every_weeks, place=place, start_on=start_on, end_on=end_on,
        )  # fmt: skip
        audit.create(actor, series, "meeting.schedule", office_id=office.pk)
        for day in occurrences(series):
            do_create_meeting(
                actor, office, kind=kind, title=f"{series.title} ngày {day:%d/%m/%Y}",
                starts_at=datetime.datetime.combine(day, time, tzinfo=tz), place=place,
                chair=chair, attendees=attendees, series=series,
            )  # fmt: skip
    return series


def do_prefill_agenda(actor: Any, meeting: Meeting) -> list[AgendaItem]:
    """Add the items the registry's providers propose (each only once)."""
    _check_manager(actor, meeting.office_id)
    _check_open(meeting)
    day = timezone.localtime(meeting.starts_at).date()
    present = set(meeting.items.values_list("source", "object_type", "object_id"))
    position = meeting.items.aggregate(m=Max("position"))["m"] or 0
    added: list[AgendaItem] = []
    with transaction.atomic():
        for provider in AGENDA_PROVIDERS:
            for s in provider(meeting.office, day):
                if (s.source, s.object_type, s.object_id) in present:
                    continue
                present.add((s.source, s.object_type, s.object_id))
                position += 1
                added.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=s.title[:300],
                        detail=s.detail,
                        source=s.source[:60],
                        object_type=s.object_type[:80],
                        object_id=s.object_id,
                        url=s.url[:300],
                    )
                )
        AgendaItem.objects.bulk_create(added)
        if added:
            audit.record(
                actor, "meeting.prefill", meeting,
                {"items": [None, [a.title for a in added]]}, office_id=meeting.office_id,
            )  # fmt: skip
    return added


def do_add_agenda_item(actor: Any, meeting: Meeting, *, title: str, detail: str = "") -> AgendaItem:
    _check_manager(actor, meeting.office_id)
    _check_open(meeting)
    if not title.strip():
        raise _refuse("title", _("Enter the agenda item."))
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem(
        meeting=meeting, position=position, title=nfc(title.strip()), detail=nfc(detail.strip()),
        source="staff",
    )  # fmt: skip
    audit.create(actor, item, "meeting.add_item", office_id=meeting.office_id)
    return item


def do_set_attendance(actor: Any, meeting: Meeting, person: Person, *, status: str,
                      reason: str = "") -> Attendance:  # fmt: skip
    _check_manager(actor, meeting.office_id)
    _check_open(meeting)
    _check_people(meeting.office, [person], "person")
    if status not in Attendance.Status.values:
        raise _refuse("status", _("Choose present or absent."))
    reason = nfc(reason.strip())
    if status == Attendance.Status.ABSENT and not reason:
        raise _refuse("reason", _("Give the reason for the absence."))
    with transaction.atomic():
        attendance, _created = Attendance.objects.get_or_create(meeting=meeting, person=person)
        audit.update_fields(
            actor, attendance,
            {"status": status, "reason": reason if status == Attendance.Status.ABSENT else ""},
            "meeting.attendance", office_id=meeting.office_id,
        )  # fmt: skip
    return attendance


def do_record_minutes(actor: Any, item: AgendaItem, text: str) -> dict[str, list[Any]]:
    meeting = item.meeting
    _check_manager(actor, meeting.office_id)
    _check_open(meeting)
    return audit.update_fields(
        actor, item, {"minutes": nfc(text.strip())}, "meeting.minutes",
        office_id=meeting.office_id,
    )  # fmt: skip


def source_label(meeting: Meeting) -> str:
    """Names the meeting on the tasks it gives: "Giao ban ngày 09/10/2017"."""
    day = f"{timezone.localtime(meeting.starts_at).date():%d/%m/%Y}"
    label = meeting.title if day in meeting.title else f"{meeting.title} ngày {day}"
    return label[:200]


def do_add_outcome(
    actor: Any,
    meeting: Meeting,
    *,
    kind: str,
    text: str,
    item: AgendaItem | None = None,
    assignee: Person | None = None,
    assignee_subcommittee: SubCommittee | None = None,
    due_on: datetime.date | None = None,
) -> Outcome:
    """Record an outcome; a task outcome creates a real task through the work app."""
    from khoi.work.services import do_create_task

    _check_manager(actor, meeting.office_id)
    _check_open(meeting)
    if kind not in Outcome.Kind.values:
        raise _refuse("kind", _("Choose information, decision or task."))
    text = nfc(text.strip())
    if not text:
        raise _refuse("text", _("Write the outcome."))
    if item is not None and item.meeting_id != meeting.pk:
        raise _refuse("item", _("This agenda item belongs to another meeting."))
    with transaction.atomic():
        task = None
        if kind == Outcome.Kind.TASK:
            if due_on is None:
                raise _refuse("due_on", _("A task needs a due date."))
            task = do_create_task(
                actor, meeting.office, title=text[:300], description=text, due_on=due_on,
                assignee=assignee, assignee_subcommittee=assignee_subcommittee,
                source_label=source_label(meeting),
            )  # fmt: skip
        outcome = Outcome(meeting=meeting, item=item, kind=kind, text=text, task=task)
        audit.create(actor, outcome, "meeting.outcome", office_id=meeting.office_id)
    return outcome


def do_close_meeting(actor: Any, meeting: Meeting) -> None:
    _check_manager(actor, meeting.office_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_closed:
            raise _refuse(None, _("This meeting was already closed."))
        audit.update_fields(
            actor, meeting,
            {"status": Meeting.Status.CLOSED, "closed_at": clock.now(),
             "closed_by": _user(actor)},
            "meeting.close", office_id=meeting.office_id,
        )  # fmt: skip


def do_correct_minutes(actor: Any, meeting: Meeting, text: str,
                       item: AgendaItem | None = None) -> MinutesCorrection:  # fmt: skip
    _check_manager(actor, meeting.office_id)
    if not meeting.is_closed:
        raise _refuse(None, _("The meeting is still open: edit the minutes directly."))
    text = nfc(text.strip())
    if not text:
        raise _refuse("text", _("Write the correction."))
    if item is not None and item.meeting_id != meeting.pk:
        raise _refuse("item", _("This agenda item belongs to another meeting."))
    correction = MinutesCorrection(meeting=meeting, item=item, text=text, author=_user(actor))
    audit.create(actor, correction, "meeting.correct", office_id=meeting.office_id)
    return correction


# --- Calendar feed ---------------------------------------------------------------------------


def live_feed(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at=None).first()


def do_create_feed(user: Any) -> CalendarFeed:
    """The user's feed (a new secret address if none is live).

    A new feed carries its secret in ``feed.secret``, to be shown once; only its digest is
    stored and audited as a fingerprint.
    """
    existing = live_feed(user)
    if existing is not None:
        return existing
    return _new_feed(user)


def _new_feed(user: Any) -> CalendarFeed:
    feed, secret = CalendarFeed.with_new_secret(user)
    with transaction.atomic():
        feed.save()
        audit.record(user, "calendar.create", feed, {"fingerprint": [None, feed.fingerprint]})
    feed.secret = secret
    return feed


def do_revoke_feed(user: Any) -> CalendarFeed:
    """Revoke the live address and return a new one: old subscriptions stop working."""
    with transaction.atomic():
        feed = live_feed(user)
        if feed is not None:
            audit.update_fields(user, feed, {"revoked_at": clock.real_now()}, "calendar.revoke")
        new = _new_feed(user)
    return new
