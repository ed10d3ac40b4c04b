"""The Front's handling of a petition: the state machine (action → from → to, roles), each
step's service, and the case handler's assignment."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.org.models import AdminUnit
from khoi.petitions import access
from khoi.petitions.access import ROLE_HANDLER, ROLE_HEAD, ROLE_STAFF
from khoi.petitions.clocks import (
    FORWARD_RULE,
    INTAKE_RULE,
    _add_deadline,
    _close_deadlines,
    _refresh_next_due,
    resolve_rule,
)
from khoi.petitions.common import _actor, _refuse
from khoi.petitions.models import (
    CaseAssignment,
    Forwarding,
    Kind,
    Petition,
    PetitionDeadline,
    Petitioner,
    PetitionEvent,
    Status,
)

S = Status
STAFF_ROLES = frozenset({ROLE_STAFF, ROLE_HEAD, ROLE_HANDLER})
HEAD_ROLES = frozenset({ROLE_HEAD})
HEAD_OR_HANDLER = frozenset({ROLE_HEAD, ROLE_HANDLER})

# The Front's path for a petition: action → (from statuses, to status, allowed roles).
# A step whose target is None keeps the status (a letter or a supervision along the way).
PENDING = (S.FORWARDED, S.ACCEPTED)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None, frozenset[str]]] = {
    "classify": ((S.RECEIVED,), S.CLASSIFIED, STAFF_ROLES),
    "forward": ((S.CLASSIFIED,), S.FORWARDED, STAFF_ROLES),
    "guide": ((S.CLASSIFIED,), S.GUIDED, STAFF_ROLES),
    "file": ((S.RECEIVED, S.CLASSIFIED), S.FILED, HEAD_OR_HANDLER),
    "accept": ((S.FORWARDED,), S.ACCEPTED, STAFF_ROLES),
    "resolve": ((S.ACCEPTED, S.FORWARDED), S.RESOLVED, STAFF_ROLES),
    "supervise": ((S.RESOLVED, S.CLOSED), S.SUPERVISED, HEAD_ROLES),
    "close": ((S.RESOLVED, S.GUIDED, S.FILED, S.SUPERVISED), S.CLOSED, HEAD_ROLES),
    # the Front's part while the authority handles the case
    "supervise_pending": (PENDING, None, HEAD_ROLES),
    "remind": (PENDING, None, STAFF_ROLES),
    "escalate": (PENDING, None, HEAD_ROLES),
    "request_review": ((S.RESOLVED, S.SUPERVISED), S.FORWARDED, HEAD_ROLES),
}
ROLE_LABELS = {
    ROLE_HEAD: "trưởng Cơ quan Khối",
    ROLE_STAFF: "cán bộ Cơ quan Khối",
    ROLE_HANDLER: "cán bộ được giao xử lý",
}

# --- Handling ---------------------------------------------------------------------------------


def allowed_actions(user: Any, petition: Petition) -> list[str]:
    r = access.roles(user, petition)
    return [
        name
        for name, (sources, _to, allowed) in TRANSITIONS.items()
        if petition.status in sources and r & allowed
    ]


def _check_move(actor: Any, petition: Petition, action: str) -> str:
    """The status after ``action`` (the same one for a step that keeps it), or a refusal."""
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise _refuse(None, _("Unknown step."))
    sources, target, allowed = spec
    if petition.status not in sources:
        if target is None:
            raise _refuse(
                None,
                _("This step is possible only while the authority handles the petition."),
            )
        raise _refuse(
            None,
            _("A petition cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(petition.status).label, "new": Status(target).label},
        )
    if not access.roles(actor, petition) & allowed:
        raise _refuse(
            None,
            _("Only %(roles)s can take this step.")
            % {"roles": ", ".join(ROLE_LABELS[r] for r in sorted(allowed))},
        )
    return target or petition.status


def _move(
    actor: Any, petition: Petition, action: str, on: datetime.date, note: str,
    extra: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    target = _check_move(actor, petition, action)
    old = petition.status
    data: dict[str, Any] = {"status": target, **(extra or {})}
    if note:
        data["status_note"] = note
    audit.update_fields(actor, petition, data, f"petition.{action}", office_id=petition.office_id)
    PetitionEvent.objects.create(
        petition=petition, action=action, from_status=old, to_status=target, on=on, note=note,
        actor=_actor(actor),
    )  # fmt: skip


def _check_on(on: datetime.date | None, petition: Petition) -> datetime.date:
    today = clock.today()
    on = on or today
    if on > today:
        raise _refuse("on", _("The date cannot be in the future."))
    if on < petition.received_on:
        raise _refuse("on", _("The date cannot be before the petition was received."))
    return on


def do_classify(
    actor: Any, petition: Petition, *, kind: str | None = None, note: str = "",
    on: datetime.date | None = None,
) -> None:  # fmt: skip
    on = _check_on(on, petition)
    extra: dict[str, Any] = {}
    if kind and kind != petition.kind:
        if kind not in Kind.values:
            raise _refuse("kind", _("Unknown kind of petition."))
        if kind == Kind.COMPLAINT and petition.anonymous:
            raise _refuse("kind", _("A complaint must name at least one petitioner."))
        extra["kind"] = kind
        if kind == Kind.DENUNCIATION:
            extra["confidential"] = True
    with transaction.atomic():
        _move(actor, petition, "classify", on, note, extra)
        if "confidential" in extra:
            Petitioner.objects.filter(petition=petition).update(confidential=True)
        if kind and "kind" in extra and not petition.anonymous:
            # the intake clock follows the kind: replace a running intake deadline
            old_rules = set(INTAKE_RULE.values()) - {INTAKE_RULE[Kind(kind)]}
            running = PetitionDeadline.objects.filter(
                petition=petition, state=PetitionDeadline.State.OPEN, rule__in=old_rules
            )
            if running.exists():
                running.update(state=PetitionDeadline.State.CANCELLED, met_on=on)
                _add_deadline(petition, INTAKE_RULE[Kind(kind)], petition.received_on)
            _refresh_next_due(petition)


def do_forward(
    actor: Any, petition: Petition, *, authority: str, letter_number: str,
    letter_date: datetime.date, authority_unit: AdminUnit | None = None, note: str = "",
) -> Forwarding:  # fmt: skip
    letter_date = _check_on(letter_date, petition)
    if not nfc(authority):
        raise _refuse("authority", _("Name the competent authority."))
    if not nfc(letter_number):
        raise _refuse("letter_number", _("Enter the number of the forwarding letter."))
    with transaction.atomic():
        _move(actor, petition, "forward", letter_date, note)
        fwd = Forwarding(
            petition=petition, authority=nfc(authority), authority_unit=authority_unit,
            letter_number=nfc(letter_number), letter_date=letter_date, note=note,
            created_by=_actor(actor),
        )  # fmt: skip
        audit.create(actor, fwd, "petition.forwarding", office_id=petition.office_id)
        _close_deadlines(petition, letter_date)
        rule = FORWARD_RULE.get(Kind(petition.kind))
        if rule:
            _add_deadline(petition, rule, letter_date)
        _refresh_next_due(petition)
    return fwd


def do_guide(actor: Any, petition: Petition, *, note: str, on: datetime.date | None = None) -> None:
    on = _check_on(on, petition)
    if not note.strip():
        raise _refuse("note", _("Write the guidance given to the citizen."))
    with transaction.atomic():
        _move(actor, petition, "guide", on, note.strip())
        _close_deadlines(petition, on)
        _refresh_next_due(petition)


def do_file(
    actor: Any, petition: Petition, *, reason: str, on: datetime.date | None = None
) -> None:
    on = _check_on(on, petition)
    if not reason.strip():
        raise _refuse(
            "note",
            _(
                "Give the reason for keeping it on file (e.g. an anonymous denunciation is "
                "not handled: Law on Denunciation 2018, art. 25)."
            ),
        )
    with transaction.atomic():
        _move(actor, petition, "file", on, reason.strip())
        _close_deadlines(petition, on)
        _refresh_next_due(petition)


def do_record_acceptance(
    actor: Any, petition: Petition, *, accepted_on: datetime.date, round_: int = 1,
    complex_: bool = False, remote: bool = False, note: str = "",
) -> None:  # fmt: skip
    accepted_on = _check_on(accepted_on, petition)
    with transaction.atomic():
        _move(actor, petition, "accept", accepted_on, note, {"accepted_on": accepted_on})
        _close_deadlines(petition, accepted_on)
        if petition.kind in (Kind.COMPLAINT, Kind.DENUNCIATION):
            _add_deadline(
                petition, resolve_rule(petition.kind, round_, complex_, remote), accepted_on
            )
        _refresh_next_due(petition)


def do_record_result(
    actor: Any, petition: Petition, *, result: str, result_on: datetime.date | None = None
) -> None:
    result_on = _check_on(result_on, petition)
    if not result.strip():
        raise _refuse("note", _("Describe the authority's result."))
    first_round = (
        petition.deadlines.filter(rule__startswith="complaint-resolve-1")
        .order_by("-start", "-id")
        .values_list("rule", flat=True)
        .first()
    )
    with transaction.atomic():
        _move(
            actor, petition, "resolve", result_on, result.strip(),
            {"result": result.strip(), "result_on": result_on},
        )  # fmt: skip
        _close_deadlines(petition, result_on)
        if petition.kind == Kind.COMPLAINT and first_round:
            # the citizen's window for a second complaint or a lawsuit (Law on Complaints
            # 2011, art. 33): 30 days from the first-instance decision, 45 in remote areas
            remote = "-remote" in first_round
            _add_deadline(
                petition, "complaint-second-remote" if remote else "complaint-second", result_on
            )
        _refresh_next_due(petition)


def do_open_supervision(
    actor: Any, petition: Petition, *, note: str = "", on: datetime.date | None = None
) -> None:
    on = _check_on(on, petition)
    with transaction.atomic():
        _move(actor, petition, "supervise", on, note)


def do_close(
    actor: Any, petition: Petition, *, note: str = "", on: datetime.date | None = None
) -> None:
    on = _check_on(on, petition)
    with transaction.atomic():
        _move(actor, petition, "close", on, note)
        _close_deadlines(petition, on)
        _refresh_next_due(petition)


# --- The Front's part while the authority handles the case ----------------------------------


def _letter(
    actor: Any, petition: Petition, purpose: str, *, authority: str, letter_number: str,
    on: datetime.date, note: str,
) -> Forwarding:  # fmt: skip
    if not nfc(letter_number):
        raise _refuse("letter_number", _("Enter the number of the letter."))
    fwd = Forwarding(
        petition=petition, purpose=purpose, authority=nfc(authority),
        letter_number=nfc(letter_number), letter_date=on, note=note, created_by=_actor(actor),
    )  # fmt: skip
    audit.create(actor, fwd, "petition.letter", office_id=petition.office_id)
    return fwd


def _last_authority(petition: Petition) -> str:
    last = (
        petition.forwardings.filter(
            purpose__in=[Forwarding.Purpose.FORWARD, Forwarding.Purpose.REVIEW]
        )
        .order_by("-letter_date", "-id")
        .first()
    )
    return last.authority if last else ""


def do_supervise_pending(
    actor: Any, petition: Petition, *, note: str, on: datetime.date | None = None
) -> None:
    """Supervision of the handling while the authority still has the case (Decision
    217-QĐ/TW): recorded in the history; the status and the clocks stay."""
    on = _check_on(on, petition)
    if not note.strip():
        raise _refuse("note", _("Write what the supervision covers or found."))
    with transaction.atomic():
        _move(actor, petition, "supervise_pending", on, note.strip())


def do_remind(
    actor: Any, petition: Petition, *, letter_number: str, on: datetime.date | None = None,
    note: str = "",
) -> Forwarding:  # fmt: skip
    """A reminder letter (công văn đôn đốc) to the authority that missed its deadline."""
    on = _check_on(on, petition)
    missed = petition.deadlines.filter(state=PetitionDeadline.State.OPEN, due__lt=on).exists()
    if not missed:
        raise _refuse(
            None,
            _("The authority's deadline has not passed: a reminder is sent once it is missed."),
        )
    with transaction.atomic():
        _move(actor, petition, "remind", on, note.strip())
        return _letter(
            actor, petition, Forwarding.Purpose.REMIND, authority=_last_authority(petition),
            letter_number=letter_number, on=on, note=note.strip(),
        )  # fmt: skip


def do_escalate(
    actor: Any, petition: Petition, *, authority: str, letter_number: str,
    on: datetime.date | None = None, note: str = "",
) -> Forwarding:  # fmt: skip
    """A petition to the authority's superior when a reminder went unanswered."""
    on = _check_on(on, petition)
    if not petition.forwardings.filter(purpose=Forwarding.Purpose.REMIND).exists():
        raise _refuse(None, _("Send a reminder to the authority before going to its superior."))
    if not nfc(authority):
        raise _refuse("authority", _("Name the superior authority."))
    with transaction.atomic():
        _move(actor, petition, "escalate", on, note.strip())
        return _letter(
            actor, petition, Forwarding.Purpose.ESCALATE, authority=authority,
            letter_number=letter_number, on=on, note=note.strip(),
        )  # fmt: skip


def do_request_review(
    actor: Any, petition: Petition, *, letter_number: str, note: str,
    on: datetime.date | None = None, authority: str = "",
) -> Forwarding:  # fmt: skip
    """The Front asks the authority to re-examine its result (the case is pending again)."""
    on = _check_on(on, petition)
    if not note.strip():
        raise _refuse("note", _("Give the reasons for asking to re-examine the result."))
    with transaction.atomic():
        _move(actor, petition, "request_review", on, note.strip())
        return _letter(
            actor, petition, Forwarding.Purpose.REVIEW,
            authority=nfc(authority) or _last_authority(petition), letter_number=letter_number,
            on=on, note=note.strip(),
        )  # fmt: skip


ACTIONS: dict[str, Any] = {}  # filled below: action → callable(actor, petition, **fields)


def do_action(actor: Any, petition: Petition, action: str, **fields: Any) -> None:
    """Dispatch one step by name (pages and API)."""
    _check_move(actor, petition, action)
    fn = ACTIONS[action]
    fn(actor, petition, **fields)


def _a_classify(actor: Any, p: Petition, **f: Any) -> None:
    do_classify(actor, p, kind=f.get("kind") or None, note=f.get("note", ""), on=f.get("on"))


def _a_forward(actor: Any, p: Petition, **f: Any) -> None:
    do_forward(
        actor, p, authority=f.get("authority", ""), letter_number=f.get("letter_number", ""),
        letter_date=f.get("on") or clock.today(), authority_unit=f.get("authority_unit"),
        note=f.get("note", ""),
    )  # fmt: skip


def _a_accept(actor: Any, p: Petition, **f: Any) -> None:
    do_record_acceptance(
        actor, p, accepted_on=f.get("on") or clock.today(), round_=f.get("round") or 1,
        complex_=bool(f.get("complex")), remote=bool(f.get("remote")), note=f.get("note", ""),
    )  # fmt: skip


def _a_guide(actor: Any, p: Petition, **f: Any) -> None:
    do_guide(actor, p, note=f.get("note", ""), on=f.get("on"))


def _a_file(actor: Any, p: Petition, **f: Any) -> None:
    do_file(actor, p, reason=f.get("note", ""), on=f.get("on"))


def _a_resolve(actor: Any, p: Petition, **f: Any) -> None:
    do_record_result(actor, p, result=f.get("note", ""), result_on=f.get("on"))


def _a_supervise(actor: Any, p: Petition, **f: Any) -> None:
    do_open_supervision(actor, p, note=f.get("note", ""), on=f.get("on"))


def _a_close(actor: Any, p: Petition, **f: Any) -> None:
    do_close(actor, p, note=f.get("note", ""), on=f.get("on"))


def _a_supervise_pending(actor: Any, p: Petition, **f: Any) -> None:
    do_supervise_pending(actor, p, note=f.get("note", ""), on=f.get("on"))


def _a_remind(actor: Any, p: Petition, **f: Any) -> None:
    do_remind(
        actor, p, letter_number=f.get("letter_number", ""), on=f.get("on"),
        note=f.get("note", ""),
    )  # fmt: skip


def _a_escalate(actor: Any, p: Petition, **f: Any) -> None:
    do_escalate(
        actor, p, authority=f.get("authority", ""), letter_number=f.get("letter_number", ""),
        on=f.get("on"), note=f.get("note", ""),
    )  # fmt: skip


def _a_request_review(actor: Any, p: Petition, **f: Any) -> None:
    do_request_review(
        actor, p, letter_number=f.get("letter_number", ""), note=f.get("note", ""),
        on=f.get("on"), authority=f.get("authority", ""),
    )  # fmt: skip


ACTIONS.update(
    classify=_a_classify, forward=_a_forward, guide=_a_guide, file=_a_file, accept=_a_accept,
    resolve=_a_resolve, supervise=_a_supervise, close=_a_close,
    supervise_pending=_a_supervise_pending, remind=_a_remind, escalate=_a_escalate,
    request_review=_a_request_review,
)  # fmt: skip


def do_assign_handler(actor: Any, petition: Petition, handler: Any) -> CaseAssignment:
    if not access.can_assign(actor, petition):
        raise _refuse(None, _("Only the office head assigns the case handler."))
    from khoi.accounts.access import get_scope

    if petition.office_id not in get_scope(handler).staff_office_ids:
        raise _refuse("handler", _("The case handler must be a staff member of the office."))
    with transaction.atomic():
        for old in CaseAssignment.objects.filter(petition=petition, ended_at__isnull=True):
            audit.update_fields(
                actor, old, {"ended_at": clock.now()}, "petition.unassign",
                office_id=petition.office_id,
            )  # fmt: skip
        assignment = CaseAssignment(petition=petition, handler=handler, assigned_by=_actor(actor))
        audit.create(actor, assignment, "petition.assign", office_id=petition.office_id)
        PetitionEvent.objects.create(
            petition=petition, action="assign", on=clock.today(), actor=_actor(actor),
            note=handler.get_full_name() or handler.get_username(),
        )  # fmt: skip
    if hasattr(petition, "_handler_id"):
        del petition._handler_id
    return assignment
