"""Every change to petitions goes through here: intake, the handling state machine,
statutory deadlines, duplicates, reception sessions and key projects.

Identities are never passed to the audit log: petitioners are audited as a count and
the literal ``[được bảo vệ]``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.lib.workdays import (
    PACKAGE_SWAP_MAKEUP_DAYS,
    DeadlineError,
    Override,
    WorkCalendar,
    compute_deadline,
)
from khoi.org.models import AdminUnit, JointOffice
from khoi.petitions import access, crypto, duplicates
from khoi.petitions.access import ROLE_HANDLER, ROLE_HEAD, ROLE_STAFF
from khoi.petitions.models import (
    CaseAssignment,
    Channel,
    ContentBand,
    DuplicateLink,
    Forwarding,
    HolidayOverride,
    KeyProject,
    Kind,
    Petition,
    PetitionAttachment,
    PetitionDeadline,
    Petitioner,
    PetitionEvent,
    ReceptionSession,
    Status,
)

AUDIT_REDACTED = "[được bảo vệ]"
S = Status
STAFF_ROLES = frozenset({ROLE_STAFF, ROLE_HEAD, ROLE_HANDLER})
HEAD_ROLES = frozenset({ROLE_HEAD})
HEAD_OR_HANDLER = frozenset({ROLE_HEAD, ROLE_HANDLER})

# The Front's path for a petition: action → (from statuses, to status, allowed roles).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, frozenset[str]]] = {
    "classify": ((S.RECEIVED,), S.CLASSIFIED, STAFF_ROLES),
    "forward": ((S.CLASSIFIED,), S.FORWARDED, STAFF_ROLES),
    "guide": ((S.CLASSIFIED,), S.GUIDED, STAFF_ROLES),
    "file": ((S.RECEIVED, S.CLASSIFIED), S.FILED, HEAD_OR_HANDLER),
    "accept": ((S.FORWARDED,), S.ACCEPTED, STAFF_ROLES),
    "resolve": ((S.ACCEPTED, S.FORWARDED), S.RESOLVED, STAFF_ROLES),
    "supervise": ((S.RESOLVED, S.CLOSED), S.SUPERVISED, HEAD_ROLES),
    "close": ((S.RESOLVED, S.GUIDED, S.FILED, S.SUPERVISED), S.CLOSED, HEAD_ROLES),
}
ROLE_LABELS = {
    ROLE_HEAD: "trưởng Cơ quan Khối",
    ROLE_STAFF: "cán bộ Cơ quan Khối",
    ROLE_HANDLER: "cán bộ được giao xử lý",
}

# Deadlines that start with each step (rule ids of khoi.lib.workdays.RULES).
INTAKE_RULE = {
    Kind.COMPLAINT: "reception-reply",
    Kind.REQUEST: "reception-reply",
    Kind.REPORT: "reception-reply",
    Kind.DENUNCIATION: "denunciation-forward",
}
FORWARD_RULE = {Kind.COMPLAINT: "complaint-accept", Kind.DENUNCIATION: "denunciation-process"}


def _refuse(field_name: str | None, message: str) -> ValidationError:
    return ValidationError({field_name: [message]} if field_name else [message])


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- Calendar -------------------------------------------------------------------------------


def work_calendar() -> WorkCalendar:
    """The working-day calendar with the overrides of the admin table.

    Before the database is migrated (e.g. ``manage.py deadline`` on a fresh clone) the
    table does not exist yet: the calendar then uses the overrides the migration seeds.
    """
    try:
        overrides = [
            Override(o.date, o.is_working_day, o.note) for o in HolidayOverride.objects.all()
        ]
    except DatabaseError:
        overrides = list(PACKAGE_SWAP_MAKEUP_DAYS)
    return WorkCalendar(overrides)


# --- Intake -----------------------------------------------------------------------------------


@dataclass
class PetitionerData:
    name: str
    address: str = ""
    phone: str = ""
    id_number: str = ""
    confidential: bool = False

    def as_dict(self) -> dict[str, str]:
        return {
            "name": nfc(self.name),
            "address": nfc(self.address),
            "phone": self.phone.strip(),
            "id_number": self.id_number.strip(),
        }


@dataclass
class Intake:
    kind: str
    channel: str
    received_on: datetime.date
    subject: str
    content: str
    petitioners: Sequence[PetitionerData] = ()
    units: Sequence[AdminUnit] = ()
    key_project: KeyProject | None = None
    reception: ReceptionSession | None = None
    forwarded_by: str = ""
    confidential: bool = False
    signatory_count: int | None = None
    decision_known_on: datetime.date | None = None
    attachments: Sequence[tuple[Any, Any]] = field(default_factory=list)  # (file, redacted)


def _check_intake(office: JointOffice, data: Intake, today: datetime.date) -> None:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in Kind.values:
        add(
            "kind",
            _("Unknown kind of petition: choose complaint, denunciation, request or report."),
        )
    if data.channel not in Channel.values:
        add("channel", _("Unknown channel."))
    if data.received_on is None:
        add("received_on", _("Enter the date the petition was received."))
    elif data.received_on > today:
        add("received_on", _("The received date cannot be in the future."))
    if not nfc(data.subject):
        add("subject", _("Enter the subject: the decision, act or person concerned."))
    if not nfc(data.content):
        add("content", _("Enter the content of the petition."))
    named = [p for p in data.petitioners if nfc(p.name)]
    if data.kind == Kind.COMPLAINT and not named:
        add("petitioners", _("A complaint must name at least one petitioner."))
    if data.signatory_count is not None and data.signatory_count < max(1, len(named)):
        add("signatory_count", _("The number of signatories is smaller than the petitioners."))
    if data.key_project is not None and data.key_project.office_id != office.pk:
        add("key_project", _("This key project belongs to another office."))
    if data.reception is not None and data.reception.office_id != office.pk:
        add("reception", _("This reception session belongs to another office."))
    if data.channel == Channel.RECEPTION and data.reception is None:
        pass  # a petition handed in at an unrecorded session is still accepted
    if data.decision_known_on and data.received_on and data.decision_known_on > data.received_on:
        add("decision_known_on", _("The decision cannot be known after the petition came in."))
    units = list(data.units)
    if units:
        inside = AdminUnit.objects.subtree(office.unit).filter(pk__in=[u.pk for u in units])
        if inside.count() != len({u.pk for u in units}):
            add("units", _("A related unit is outside the office's area."))
    if errors:
        raise ValidationError(errors)


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


def do_create_petition(
    actor: Any, office: JointOffice, data: Intake, *, today: datetime.date | None = None
) -> Petition:
    if not access.can_intake(actor, office):
        raise _refuse(None, _("Only the office's staff record petitions."))
    today = today or clock.today()
    _check_intake(office, data, today)
    named = [p for p in data.petitioners if nfc(p.name)]
    confidential = (
        data.kind == Kind.DENUNCIATION or data.confidential or any(p.confidential for p in named)
    )
    tokens = duplicates.content_tokens(data.subject, data.content)
    with transaction.atomic():
        last = (
            Petition.objects.select_for_update()
            .filter(office=office, year=data.received_on.year)
            .aggregate(m=Max("number"))["m"]
        )
        petition = Petition(
            office=office, year=data.received_on.year, number=(last or 0) + 1, kind=data.kind,
            channel=data.channel, received_on=data.received_on, reception=data.reception,
            forwarded_by=nfc(data.forwarded_by), subject=nfc(data.subject),
            content=data.content.strip(), key_project=data.key_project,
            unit=min(data.units, key=lambda u: u.pk) if data.units else None,
            confidential=confidential, anonymous=not named,
            signatory_count=data.signatory_count or max(1, len(named)),
            decision_known_on=data.decision_known_on, content_tokens=" ".join(tokens),
            created_by=_actor(actor),
        )  # fmt: skip
        audit.create(actor, petition, "petition.create", office_id=office.pk)
        petition.units.set(data.units)
        for position, p in enumerate(named):
            Petitioner.objects.create(
                petition=petition, position=position, identity=crypto.encrypt(p.as_dict()),
                name_index=crypto.blind_index(p.name),
                household_index=crypto.blind_index(p.address),
                confidential=confidential,
            )  # fmt: skip
        audit.record(
            actor, "petition.petitioners", petition,
            {
                "petitioners": [None, len(named)],
                "identity": [None, AUDIT_REDACTED if named else None],
                "units": [[], sorted(u.pk for u in data.units)],
            },
            office_id=office.pk,
        )  # fmt: skip
        for upload, redacted in data.attachments:
            _attach(actor, petition, upload, redacted)
        calendar = work_calendar()
        if not petition.anonymous:
            _add_deadline(petition, INTAKE_RULE[Kind(data.kind)], data.received_on, calendar)
        if data.kind == Kind.COMPLAINT and data.decision_known_on:
            limit = compute_deadline("complaint-limitation", data.decision_known_on, 0, calendar)
            if data.received_on > limit.due:
                PetitionEvent.objects.create(
                    petition=petition, action="limitation", on=data.received_on,
                    note=f"Đơn nhận sau thời hiệu khiếu nại (hạn {limit.due:%d/%m/%Y}, "
                    f"{limit.source}).", actor=_actor(actor),
                )  # fmt: skip
        PetitionEvent.objects.create(
            petition=petition, action="receive", to_status=Status.RECEIVED,
            on=data.received_on, actor=_actor(actor),
            note=f"{Kind(data.kind).label} — {Channel(data.channel).label}",
        )  # fmt: skip
        _refresh_next_due(petition)
        _index_content(petition, tokens)
        propose_duplicates(petition, tokens)
    return petition


def _attach(actor: Any, petition: Petition, upload: Any, redacted: Any = None) -> None:
    from khoi.petitions.forms import checked_kind

    kind = checked_kind(upload)
    if redacted is not None:
        checked_kind(redacted)
    att = PetitionAttachment(
        petition=petition, kind=kind, size=upload.size, uploaded_by=_actor(actor)
    )
    att.file.save(upload.name, upload, save=False)
    if redacted is not None:
        att.redacted.save(f"redacted-{redacted.name}", redacted, save=False)
    att.save()
    audit.record(
        actor, "petition.attach", petition,
        {"attachment": [None, att.pk], "redacted_copy": [None, bool(redacted)]},
        office_id=petition.office_id,
    )  # fmt: skip


def do_add_attachment(actor: Any, petition: Petition, upload: Any, redacted: Any = None) -> None:
    if not access.can_handle(actor, petition):
        raise _refuse(None, _("You cannot change this petition."))
    with transaction.atomic():
        _attach(actor, petition, upload, redacted)


# --- Duplicates -------------------------------------------------------------------------------


def _index_content(petition: Petition, tokens: Sequence[str]) -> None:
    ContentBand.objects.bulk_create(
        ContentBand(petition=petition, office_id_ref=petition.office_id, band=b)
        for b in duplicates.bands(duplicates.shingle_set(tokens))
    )


def find_duplicates(petition: Petition, tokens: Sequence[str]) -> list[duplicates.Candidate]:
    """Earlier petitions of the office this one may repeat (not yet proposed)."""
    office_id = petition.office_id
    by_person: dict[int, str] = {}
    mine = Petitioner.objects.filter(petition=petition)
    names = {p.name_index for p in mine if p.name_index}
    homes = {p.household_index for p in mine if p.household_index}
    if names or homes:
        rows = (
            Petitioner.objects.filter(petition__office_id=office_id)
            .exclude(petition=petition)
            .filter(models_q(names, homes))
            .order_by("-petition_id")
            .values_list("petition_id", "name_index")[: duplicates.MAX_CANDIDATES]
        )
        for pk, name_index in rows:
            reason = "petitioner" if name_index in names else "household"
            if by_person.get(pk) != "petitioner":
                by_person[pk] = reason
    band_values = duplicates.bands(duplicates.shingle_set(tokens))
    ids = set(by_person)
    if band_values:
        ids |= set(
            ContentBand.objects.filter(office_id_ref=office_id, band__in=band_values)
            .exclude(petition_id=petition.pk)
            .values("petition_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "-petition_id")
            .values_list("petition_id", flat=True)[: duplicates.MAX_CANDIDATES]
        )
    if not ids:
        return []
    stored = dict(
        Petition.objects.filter(pk__in=ids, pk__lt=petition.pk).values_list("pk", "content_tokens")
    )
    return duplicates.rank(tokens, stored, by_person)


def models_q(names: set[str], homes: set[str]) -> Any:
    from django.db.models import Q

    q = Q(pk__in=[])
    if names:
        q |= Q(name_index__in=names)
    if homes:
        q |= Q(household_index__in=homes)
    return q


def propose_duplicates(petition: Petition, tokens: Sequence[str]) -> list[DuplicateLink]:
    found = find_duplicates(petition, tokens)
    links = []
    for c in found:
        link, _created = DuplicateLink.objects.get_or_create(
            petition=petition,
            original_id=c.petition_id,
            defaults={"reason": c.reason, "score": c.score},
        )
        links.append(link)
    return links


def _root(petition: Petition) -> Petition:
    seen = {petition.pk}
    while petition.duplicate_of_id is not None and petition.duplicate_of is not None:
        petition = petition.duplicate_of
        if petition.pk in seen:
            break
        seen.add(petition.pk)
    return petition


def do_decide_duplicate(actor: Any, link: DuplicateLink, *, confirm: bool) -> None:
    petition = link.petition
    if not access.can_handle(actor, petition):
        raise _refuse(None, _("You cannot change this petition."))
    if link.state != DuplicateLink.State.PROPOSED:
        raise _refuse(None, _("This proposal was already decided."))
    with transaction.atomic():
        state = DuplicateLink.State.CONFIRMED if confirm else DuplicateLink.State.DISMISSED
        audit.update_fields(
            actor, link,
            {"state": state, "decided_by": _actor(actor), "decided_at": clock.now()},
            "petition.duplicate_confirm" if confirm else "petition.duplicate_dismiss",
            office_id=petition.office_id,
        )  # fmt: skip
        if confirm:
            root = _root(link.original)
            if root.pk == petition.pk:
                raise _refuse(None, _("A petition cannot repeat itself."))
            audit.update_fields(
                actor, petition, {"duplicate_of": root}, "petition.update",
                office_id=petition.office_id,
            )  # fmt: skip


# --- Handling ---------------------------------------------------------------------------------


def allowed_actions(user: Any, petition: Petition) -> list[str]:
    r = access.roles(user, petition)
    return [
        name
        for name, (sources, _to, allowed) in TRANSITIONS.items()
        if petition.status in sources and r & allowed
    ]


def _check_move(actor: Any, petition: Petition, action: str) -> str:
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise _refuse(None, _("Unknown step."))
    sources, target, allowed = spec
    if petition.status not in sources:
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
    return target


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


def resolve_rule(kind: str, round_: int = 1, complex_: bool = False, remote: bool = False) -> str:
    if kind == Kind.DENUNCIATION:
        return "denunciation-resolve"
    rule = f"complaint-resolve-{2 if round_ == 2 else 1}"
    if remote:
        rule += "-remote"
    if complex_:
        rule += "-complex"
    return rule


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


def do_extend_deadline(actor: Any, petition: Petition) -> PetitionDeadline:
    """One more 30-day extension of the running deadline (denunciations: at most 2)."""
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


def do_record_result(
    actor: Any, petition: Petition, *, result: str, result_on: datetime.date | None = None
) -> None:
    result_on = _check_on(result_on, petition)
    if not result.strip():
        raise _refuse("note", _("Describe the authority's result."))
    with transaction.atomic():
        _move(
            actor, petition, "resolve", result_on, result.strip(),
            {"result": result.strip(), "result_on": result_on},
        )  # fmt: skip
        _close_deadlines(petition, result_on)
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


ACTIONS.update(
    classify=_a_classify, forward=_a_forward, guide=_a_guide, file=_a_file, accept=_a_accept,
    resolve=_a_resolve, supervise=_a_supervise, close=_a_close,
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


# --- Reception sessions and key projects -----------------------------------------------------


def do_create_reception(
    actor: Any, office: JointOffice, *, held_on: datetime.date, place: str, officials: str,
    citizens_count: int, summary: str,
) -> ReceptionSession:  # fmt: skip
    if not access.can_intake(actor, office):
        raise _refuse(None, _("Only the office's staff record reception sessions."))
    if held_on > clock.today():
        raise _refuse("held_on", _("The date cannot be in the future."))
    if citizens_count < 1:
        raise _refuse("citizens_count", _("At least one citizen was received."))
    session = ReceptionSession(
        office=office, held_on=held_on, place=nfc(place), officials=officials.strip(),
        citizens_count=citizens_count, summary=summary.strip(), created_by=_actor(actor),
    )  # fmt: skip
    audit.create(actor, session, "reception.create", office_id=office.pk)
    return session


def do_create_key_project(
    actor: Any, office: JointOffice, *, name: str, units: Sequence[AdminUnit] = (),
    status: str = KeyProject.Status.CLEARANCE, description: str = "",
) -> KeyProject:  # fmt: skip
    if not access.can_intake(actor, office):
        raise _refuse(None, _("Only the office's staff record key projects."))
    if not nfc(name):
        raise _refuse("name", _("Enter the name of the project."))
    if KeyProject.objects.filter(office=office, name=nfc(name)).exists():
        raise _refuse("name", _("This key project already exists."))
    with transaction.atomic():
        project = KeyProject(office=office, name=nfc(name), status=status, description=description)
        audit.create(actor, project, "keyproject.create", office_id=office.pk)
        project.units.set(units)
    return project


# --- Key rotation -----------------------------------------------------------------------------


def rotate_keys(batch: int = 500) -> int:
    """Re-encrypt every identity with the current key and recompute the blind indexes."""
    done = 0
    last = 0
    while True:
        rows = list(Petitioner.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return done
        with transaction.atomic():
            for p in rows:
                ident = crypto.decrypt(p.identity)
                p.identity = crypto.rotate(p.identity)
                p.name_index = crypto.blind_index(ident.get("name", ""))
                p.household_index = crypto.blind_index(ident.get("address", ""))
            Petitioner.objects.bulk_update(rows, ["identity", "name_index", "household_index"])
        done += len(rows)
        last = rows[-1].pk
