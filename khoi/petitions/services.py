"""Every change to petitions goes through here: intake, attachments and duplicates live in
this module; the handling state machine (``handling``), the statutory clocks (``clocks``),
reception sessions and key projects (``receptions``) and key rotation (``keys``) live
beside it and are re-exported, so callers keep using ``services.do_…``.

Identities are never passed to the audit log: petitioners are audited as a count and
the literal ``[được bảo vệ]``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.lib.workdays import compute_deadline
from khoi.org.models import AdminUnit, JointOffice
from khoi.petitions import access, crypto, duplicates, scans
from khoi.petitions.clocks import (
    FORWARD_RULE,
    INTAKE_RULE,
    _add_deadline,
    _refresh_next_due,
    do_extend_deadline,
    resolve_rule,
    work_calendar,
)
from khoi.petitions.common import AUDIT_REDACTED, _actor, _refuse
from khoi.petitions.handling import (
    ACTIONS,
    HEAD_OR_HANDLER,
    HEAD_ROLES,
    ROLE_LABELS,
    STAFF_ROLES,
    TRANSITIONS,
    allowed_actions,
    do_action,
    do_assign_handler,
    do_classify,
    do_close,
    do_escalate,
    do_file,
    do_forward,
    do_guide,
    do_open_supervision,
    do_record_acceptance,
    do_record_result,
    do_remind,
    do_request_review,
    do_supervise_pending,
)
from khoi.petitions.keys import rotate_keys
from khoi.petitions.models import (
    Channel,
    ContentBand,
    DuplicateLink,
    KeyProject,
    Kind,
    Petition,
    PetitionAttachment,
    Petitioner,
    PetitionEvent,
    ReceptionSession,
    Status,
)
from khoi.petitions.receptions import do_create_key_project, do_create_reception

__all__ = [
    "ACTIONS",
    "AUDIT_REDACTED",
    "FORWARD_RULE",
    "HEAD_OR_HANDLER",
    "HEAD_ROLES",
    "INTAKE_RULE",
    "ROLE_LABELS",
    "STAFF_ROLES",
    "TRANSITIONS",
    "Intake",
    "PetitionerData",
    "allowed_actions",
    "do_action",
    "do_add_attachment",
    "do_assign_handler",
    "do_classify",
    "do_close",
    "do_create_key_project",
    "do_create_petition",
    "do_create_reception",
    "do_decide_duplicate",
    "do_escalate",
    "do_extend_deadline",
    "do_file",
    "do_forward",
    "do_guide",
    "do_open_supervision",
    "do_record_acceptance",
    "do_record_result",
    "do_remind",
    "do_request_review",
    "do_supervise_pending",
    "find_duplicates",
    "propose_duplicates",
    "resolve_rule",
    "rotate_keys",
    "work_calendar",
]  # fmt: skip


# --- Intake -----------------------------------------------------------------------------------


@dataclass
class PetitionerData:
    name: str
    address: str = ""
    phone: str = ""
    id_number: str = ""
    confidential: bool = False
    representative: bool = False  # chosen by the signatories of a group petition

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


# Many people petitioning on one matter choose representatives, at most five (Decree
# 75/2012/NĐ-CP, art. 7, for complaints; the same practice for the other petitions).
MAX_REPRESENTATIVES = 5


def representatives(data: Intake) -> list[PetitionerData]:
    """The named petitioners who represent a group petition: those marked so, or, when none
    is marked, every named petitioner of a petition signed by more people than named."""
    named = [p for p in data.petitioners if nfc(p.name)]
    marked = [p for p in named if p.representative]
    if marked:
        return marked
    return named if (data.signatory_count or 0) > len(named) > 0 else []


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
    if len(representatives(data)) > MAX_REPRESENTATIVES:
        add(
            "petitioners",
            _("A group petition has at most %(n)s representatives.") % {"n": MAX_REPRESENTATIVES},
        )
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
        chosen = representatives(data)
        for position, p in enumerate(named):
            Petitioner.objects.create(
                petition=petition, position=position, identity=crypto.encrypt(p.as_dict()),
                name_index=crypto.blind_index(p.name),
                household_index=crypto.blind_index(p.address),
                confidential=confidential, representative=p in chosen,
            )  # fmt: skip
        audit.record(
            actor, "petition.petitioners", petition,
            {
                "petitioners": [None, len(named)],
                "representatives": [None, len(chosen)],
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
        duplicates.log_person_matches(actor, petition, propose_duplicates(petition, tokens))
    return petition


def _attach(actor: Any, petition: Petition, upload: Any, redacted: Any = None) -> None:
    from khoi.petitions.forms import checked_kind

    kind = checked_kind(upload)
    if redacted is not None:
        checked_kind(redacted)
    att = PetitionAttachment(
        petition=petition, kind=kind, size=upload.size, uploaded_by=_actor(actor)
    )
    scans.store(att, upload, redacted)  # the original of a protected petition is sealed
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
    if (
        not access.can_handle(actor, petition)
        or duplicates.shown_reason(actor, petition, link) is None
    ):
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
