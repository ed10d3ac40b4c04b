"""API for petitions: list and detail (always redacted), intake, handling steps.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at run
time. The API never returns a petitioner's identity, whoever asks: the identity page of
the web app (case handler and office head, logged) is the only place it appears.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khoi import clock
from khoi.accounts.access import not_found
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.lib.workdays import rule_version
from khoi.org.models import AdminUnit
from khoi.petitions import access, services
from khoi.petitions.models import Petition
from khoi.petitions.views import filter_petitions

router = Router(tags=["petitions"])


class DeadlineOut(Schema):
    rule: str
    title: str
    start: datetime.date
    due: datetime.date
    extensions: int
    source: str
    period: str
    state: str


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    on: datetime.date
    note: str


class PetitionOut(Schema):
    id: int
    office_id: int
    number: str
    kind: str
    channel: str
    received_on: datetime.date
    subject: str
    status: str
    key_project_id: int | None
    unit_ids: list[int]
    confidential: bool
    anonymous: bool
    signatory_count: int
    petitioners: str
    duplicate_of_id: int | None
    next_due: datetime.date | None
    next_rule: str
    deadline_state: str


class PetitionDetailOut(PetitionOut):
    content: str
    deadlines: list[DeadlineOut]
    events: list[EventOut]
    allowed_actions: list[str]


class PetitionerIn(Schema):
    name: str
    address: str = ""
    phone: str = ""
    id_number: str = ""
    confidential: bool = False


class PetitionIn(Schema):
    office: str
    kind: str
    channel: str
    received_on: datetime.date
    subject: str
    content: str
    petitioners: list[PetitionerIn] = Field(default_factory=list)
    unit_ids: list[DbInt] = Field(default_factory=list)
    key_project_id: DbInt | None = None
    reception_id: DbInt | None = None
    forwarded_by: str = ""
    confidential: bool = False
    signatory_count: DbInt | None = None
    decision_known_on: datetime.date | None = None


class ActionIn(Schema):
    action: str
    on: datetime.date | None = None
    note: str = ""
    kind: str = ""
    authority: str = ""
    letter_number: str = ""
    round: DbInt = 1
    complex: bool = False
    remote: bool = False


def _out(p: Petition, today: datetime.date, unit_ids: list[DbInt] | None = None) -> dict[str, Any]:
    return {
        "id": p.pk,
        "office_id": p.office_id,
        "number": p.label,
        "kind": p.kind,
        "channel": p.channel,
        "received_on": p.received_on,
        "subject": p.subject,
        "status": p.status,
        "key_project_id": p.key_project_id,
        "unit_ids": unit_ids if unit_ids is not None else [u.pk for u in p.units.all()],
        "confidential": p.confidential,
        "anonymous": p.anonymous,
        "signatory_count": p.signatory_count,
        "petitioners": (
            access.REDACTED
            if p.confidential
            else ("Đơn không rõ người gửi" if p.anonymous else "Không hiển thị qua API")
        ),
        "duplicate_of_id": p.duplicate_of_id,
        "next_due": p.next_due,
        "next_rule": p.next_rule,
        "deadline_state": p.deadline_state(today),
    }


def _detail(request: HttpRequest, p: Petition) -> dict[str, Any]:
    today = clock.today()
    deadlines = []
    for d in p.deadlines.all():
        version = rule_version(d.rule, d.start)
        deadlines.append(
            {
                "rule": d.rule,
                "title": d.title,
                "start": d.start,
                "due": d.due,
                "extensions": d.extensions,
                "source": d.source,
                "period": version.period_label if version else "",
                "state": d.state,
            }
        )
    return {
        **_out(p, today),
        "content": p.content,
        "deadlines": deadlines,
        "events": [
            {
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "on": e.on,
                "note": e.note,
            }
            for e in p.events.order_by("on", "id")
        ],
        "allowed_actions": services.allowed_actions(request.user, p),
    }


@router.get("petitions", response=list[PetitionOut])
@paginate(PageNumberPagination, page_size=50)
def list_petitions(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    status: str = "",
    unit: str = "",
    project: str = "",
    deadline: str = "",
) -> Any:
    today = clock.today()
    params = {
        "q": q,
        "kind": kind,
        "status": status,
        "unit": unit,
        "project": project,
        "deadline": deadline,
    }
    qs, _f = filter_petitions(access.petitions_for_user(request.user), params, today)
    qs = qs.prefetch_related("units").order_by("-received_on", "-id")
    return [_out(p, today) for p in qs]


@router.get("petitions/{int:petition_id}", response=PetitionDetailOut)
def get_petition(request: HttpRequest, petition_id: DbInt) -> Any:
    return _detail(request, access.get_petition_for_user(request.user, petition_id))


@router.post("petitions", response={201: PetitionDetailOut, 422: ErrorOut})
def create_petition(request: HttpRequest, payload: PetitionIn) -> Any:
    office = access.intake_offices(request.user).filter(code=payload.office).first()
    if office is None:
        raise not_found()
    units = list(AdminUnit.objects.filter(pk__in=payload.unit_ids))
    errors: dict[str, list[str]] = {}
    if len(units) != len(set(payload.unit_ids)):
        errors["unit_ids"] = [_("A unit does not exist.")]
    project = None
    if payload.key_project_id:
        project = office.key_projects.filter(pk=payload.key_project_id).first()
        if project is None:
            errors["key_project_id"] = [_("The office has no such key project.")]
    reception = None
    if payload.reception_id:
        reception = office.receptions.filter(pk=payload.reception_id).first()
        if reception is None:
            errors["reception_id"] = [_("The office has no such reception session.")]
    if errors:
        raise DjangoValidationError(errors)
    data = services.Intake(
        kind=payload.kind,
        channel=payload.channel,
        received_on=payload.received_on,
        subject=payload.subject,
        content=payload.content,
        petitioners=[services.PetitionerData(**p.model_dump()) for p in payload.petitioners],
        units=units,
        key_project=project,
        reception=reception,
        forwarded_by=payload.forwarded_by,
        confidential=payload.confidential,
        signatory_count=payload.signatory_count,
        decision_known_on=payload.decision_known_on,
    )
    petition = services.do_create_petition(request.user, office, data)
    return Status(201, _detail(request, petition))


@router.post(
    "petitions/{int:petition_id}/transitions", response={200: PetitionDetailOut, 422: ErrorOut}
)
def transition(request: HttpRequest, petition_id: DbInt, payload: ActionIn) -> Any:
    petition = access.get_petition_for_user(request.user, petition_id)
    services.do_action(
        request.user,
        petition,
        payload.action,
        on=payload.on,
        note=payload.note,
        kind=payload.kind,
        authority=payload.authority,
        letter_number=payload.letter_number,
        round=payload.round,
        complex=payload.complex,
        remote=payload.remote,
    )
    return _detail(request, access.get_petition_for_user(request.user, petition_id))


# The land clearance routes live on this router too.
from khoi.petitions import clearance_api as _clearance_api  # noqa: E402, F401
