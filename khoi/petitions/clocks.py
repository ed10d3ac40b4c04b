"""The statutory clocks of a petition: which rule starts with which step, computing,
closing, extending and recomputing deadlines on the one working calendar
(``khoi.workcalendar``), the version of the law in force on the start date applying."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.workdays import DeadlineError, WorkCalendar, compute_deadline
from khoi.petitions import access
from khoi.petitions.common import _actor, _refuse
from khoi.petitions.models import Kind, Petition, PetitionDeadline, PetitionEvent
from khoi.workcalendar.services import work_calendar

# Deadlines that start with each step (rule ids of khoi.lib.workdays.RULES).
INTAKE_RULE = {
    Kind.COMPLAINT: "reception-reply",
    Kind.REQUEST: "reception-reply",
    Kind.REPORT: "reception-reply",
    Kind.DENUNCIATION: "denunciation-forward",
}
FORWARD_RULE = {Kind.COMPLAINT: "complaint-accept", Kind.DENUNCIATION: "denunciation-process"}


def _add_deadline(
    petition: Petition,
    rule: str,
    start: datetime.date,
    calendar: WorkCalendar | None = None,
    extensions: int = 0,
) -> PetitionDeadline:
    try:
        d = compute_deadline(rule, start, extensions, calendar or work_calendar())
    except DeadlineError as exc:
        raise _refuse(None, exc.message) from None
    return PetitionDeadline.objects.create(
        petition=petition, rule=d.rule, title=d.title, start=d.start, due=d.due,
        extensions=extensions, source=d.source, explanation=d.explanation,
    )  # fmt: skip


def _close_deadlines(petition: Petition, on: datetime.date) -> None:
    PetitionDeadline.objects.filter(petition=petition, state=PetitionDeadline.State.OPEN).update(
        state=PetitionDeadline.State.MET, met_on=on
    )


def _refresh_next_due(petition: Petition) -> None:
    nxt = (
        PetitionDeadline.objects.filter(petition=petition, state=PetitionDeadline.State.OPEN)
        .order_by("due", "id")
        .values_list("due", "rule")
        .first()
    )
    due, rule = nxt if nxt else (None, "")
    if (petition.next_due, petition.next_rule) != (due, rule):
        petition.next_due, petition.next_rule = due, rule
        petition.save(update_fields=["next_due", "next_rule"])


def resolve_rule(kind: str, round_: int = 1, complex_: bool = False, remote: bool = False) -> str:
    if kind == Kind.DENUNCIATION:
        return "denunciation-resolve"
    rule = f"complaint-resolve-{2 if round_ == 2 else 1}"
    if remote:
        rule += "-remote"
    if complex_:
        rule += "-complex"
    return rule


def do_extend_deadline(actor: Any, petition: Petition) -> PetitionDeadline:
    """One more extension of the running deadline, as the law version in force on its start
    allows (Law on Denunciation 2011: once, 30 or 60 days; 2018: twice, 30 days each)."""
    if not access.can_handle(actor, petition):
        raise _refuse(None, _("You cannot change this petition."))
    current = petition.deadlines.filter(state=PetitionDeadline.State.OPEN).order_by("due").first()
    if current is None:
        raise _refuse(None, _("No deadline is running."))
    try:
        d = compute_deadline(current.rule, current.start, current.extensions + 1, work_calendar())
    except DeadlineError as exc:
        raise _refuse(None, exc.message) from None
    with transaction.atomic():
        audit.update_fields(
            actor, current,
            {"extensions": d.extensions, "due": d.due, "explanation": d.explanation},
            "petition.extend", office_id=petition.office_id,
        )  # fmt: skip
        PetitionEvent.objects.create(
            petition=petition, action="extend", on=clock.today(), actor=_actor(actor),
            note=f"Gia hạn lần {d.extensions}: hạn mới {d.due:%d/%m/%Y}",
        )  # fmt: skip
        _refresh_next_due(petition)
    return current


def recompute_open_clocks(actor: Any, dates: frozenset[datetime.date]) -> int:
    """After a change of the working calendar on ``dates``: recompute every open deadline
    whose counting spans one of them (start < date <= due); each moved due date is audited
    (old and new) and noted in the petition's history. Returns how many moved."""
    if not dates:
        return 0
    calendar = work_calendar()
    first, last = min(dates), max(dates)
    touched = (
        PetitionDeadline.objects.filter(
            state=PetitionDeadline.State.OPEN, start__lt=last, due__gte=first
        )
        .select_related("petition")
        .order_by("petition_id", "id")
    )
    moved = 0
    for deadline in touched:
        if not any(deadline.start < day <= deadline.due for day in dates):
            continue
        try:
            d = compute_deadline(deadline.rule, deadline.start, deadline.extensions, calendar)
        except DeadlineError:
            continue
        if d.due == deadline.due:
            continue
        old = deadline.due
        petition = deadline.petition
        with transaction.atomic():
            audit.update_fields(
                actor, deadline, {"due": d.due, "explanation": d.explanation},
                "petition.recompute", office_id=petition.office_id,
            )  # fmt: skip
            days = ", ".join(f"{day:%d/%m/%Y}" for day in sorted(dates))
            PetitionEvent.objects.create(
                petition=petition, action="recompute", on=clock.today(), actor=_actor(actor),
                note=f"Lịch ngày nghỉ thay đổi ({days}): hạn «{deadline.title}» "
                f"{old:%d/%m/%Y} → {d.due:%d/%m/%Y}.",
            )  # fmt: skip
            _refresh_next_due(petition)
        moved += 1
    return moved
