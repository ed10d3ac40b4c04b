"""Programmes, supervisions, delegations and working sessions (every change audited).

Refusals name the field in Vietnamese and save nothing (each function is atomic)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.org.models import AdminUnit, JointOffice, Membership, Organization, Person
from khoi.oversight import access, statutory
from khoi.oversight.models import (
    DelegationMember,
    LegalBasis,
    Programme,
    Supervision,
    WorkingSession,
)


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check(
    actor: Any, office: JointOffice, organization_id: int | None, unit_id: int | None
) -> None:
    if actor is not None and not access.can_write(actor, office, organization_id, unit_id):
        raise _refuse(None, _("You may not record supervisions for this organization."))


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- Programmes ------------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    actor: Any, office: JointOffice, *, organization: Organization, year: int, title: str = ""
) -> Programme:
    """The yearly programme of one organization (built in the last quarter of the year
    before). A programme for a past year is refused; one per organization and year."""
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if year < today.year:
        errors["year"] = [_("A programme for a past year cannot be created.")]
    elif year > today.year + 1:
        errors["year"] = [_("A programme is built for the next year at the latest.")]
    if not office.organizations.filter(pk=organization.pk).exists():
        errors["organization"] = [_("This organization is not a member of the office.")]
    elif Programme.objects.filter(office=office, organization=organization, year=year).exists():
        errors["organization"] = [_("This organization already has a programme for that year.")]
    if errors:
        raise ValidationError(errors)
    _check(actor, office, organization.pk, None)
    programme = Programme(
        office=office,
        organization=organization,
        year=year,
        title=nfc(title).strip()
        or _("Supervision and social criticism programme %(year)s of %(org)s")
        % {"year": year, "org": organization.name},
        created_by=_user(actor),
    )
    audit.create(actor, programme, "oversight.programme.create", office_id=office.pk)
    return programme


@transaction.atomic
def adopt_programme(
    actor: Any, programme: Programme, adopted_on: datetime.date | None
) -> Programme:
    if adopted_on is None:
        raise _refuse("adopted_on", _("Give the date the programme was adopted."))
    if adopted_on > clock.today():
        raise _refuse("adopted_on", _("The adoption date is in the future."))
    _check(actor, programme.office, programme.organization_id, None)
    audit.update_fields(
        actor,
        programme,
        {"status": Programme.Status.ADOPTED, "adopted_on": adopted_on},
        "oversight.programme.adopt",
        office_id=programme.office_id,
    )
    return programme


# --- Supervisions ----------------------------------------------------------------------------

# what the plan says: fixed once the supervision is done (its report recorded) or cancelled
PLAN_FIELDS = ("subject", "body", "form", "legal_basis", "planned_from", "planned_until")
EDITABLE = ("subject", "body", "form", "legal_basis", "planned_from", "planned_until",
            "key_project_id", "summary", "status")  # fmt: skip


def _validate_plan(
    office: JointOffice,
    *,
    organization: Organization | None,
    subject: str,
    body: str,
    form: str,
    planned_from: datetime.date | None,
    planned_until: datetime.date | None,
    programme: Programme | None,
    unit: AdminUnit | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if organization is None:
        errors["organization"] = [_("Choose the organization leading the supervision.")]
    if not subject:
        errors["subject"] = [_("Write the subject of the supervision.")]
    if not body:
        errors["body"] = [_("Name the supervised body.")]
    if form not in Supervision.Form.values:
        errors["form"] = [_("Choose the form of supervision.")]
    if planned_from is None:
        errors["planned_from"] = [_("Give the planned start.")]
    if planned_until is None:
        errors["planned_until"] = [_("Give the planned end.")]
    elif planned_from is not None and planned_until < planned_from:
        errors["planned_until"] = [_("The planned end is before the planned start.")]
    if programme is not None:
        if programme.office_id != office.pk:
            errors["programme"] = [_("This programme belongs to another office.")]
        elif organization is not None and programme.organization_id != organization.pk:
            errors["programme"] = [_("This programme is another organization's.")]
        elif planned_from is not None and planned_from.year != programme.year:
            errors["planned_from"] = [
                _("A supervision of the %(year)s programme is planned in %(year)s.")
                % {"year": programme.year}
            ]
    if unit is not None and unit.level != AdminUnit.Level.COMMUNE:
        errors["unit"] = [_("Choose a commune.")]
    elif unit is not None and office.unit_id not in (unit.district_id, unit.province_id):
        errors["unit"] = [
            _("%(unit)s is not in the area of %(office)s.")
            % {"unit": unit.name, "office": office.name}
        ]
    if organization is not None and not (
        office.organizations.filter(pk=organization.pk).exists()
        or (unit is not None and organization.unit_id == unit.pk)
    ):
        errors["organization"] = [
            _("%(org)s is not an organization of %(office)s (nor of the commune supervised).")
            % {"org": organization.name, "office": office.name}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_supervision(
    actor: Any,
    office: JointOffice,
    *,
    organization: Organization | None,
    subject: str,
    body: str,
    form: str,
    planned_from: datetime.date | None,
    planned_until: datetime.date | None,
    programme: Programme | None = None,
    unit: AdminUnit | None = None,
    legal_basis: LegalBasis | None = None,
    key_project_id: int | None = None,
) -> Supervision:
    """A supervision planned (in a programme, or on its own). Without a legal basis, the
    Party rule in force on the planned start is taken."""
    subject, body = nfc(subject or "").strip(), nfc(body or "").strip()
    _validate_plan(
        office, organization=organization, subject=subject, body=body, form=form,
        planned_from=planned_from, planned_until=planned_until, programme=programme, unit=unit,
    )  # fmt: skip
    assert organization is not None and planned_from is not None and planned_until is not None
    _check(actor, office, organization.pk, unit.pk if unit else None)
    if key_project_id is not None:
        _check_key_project(office, key_project_id)
    if legal_basis is None:
        legal_basis = statutory.legal_basis_on(planned_from)
    sup = Supervision(
        office=office,
        programme=programme,
        organization=organization,
        unit=unit,
        subject=subject,
        body=body,
        form=form,
        legal_basis=legal_basis,
        planned_from=planned_from,
        planned_until=planned_until,
        key_project_id=key_project_id,
        created_by=_user(actor),
    )
    audit.create(actor, sup, "oversight.supervision.create", office_id=office.pk)
    return sup


def _check_key_project(office: JointOffice, key_project_id: int) -> None:
    from django.apps import apps

    model = apps.get_model("petitions", "KeyProject")
    if not model.objects.filter(pk=key_project_id, office=office).exists():
        raise _refuse("key_project", _("No such key project in this office."))


@transaction.atomic
def update_supervision(actor: Any, sup: Supervision, **data: Any) -> dict[str, list[Any]]:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise _refuse(None, _("These fields cannot be changed here."))
    _check(actor, sup.office, sup.organization_id, sup.unit_id)
    for key in ("subject", "body", "summary"):
        if key in data:
            data[key] = nfc(data[key] or "").strip()
    merged = {name: data.get(name, getattr(sup, name)) for name in EDITABLE}
    _validate_plan(
        sup.office, organization=sup.organization, subject=merged["subject"], body=merged["body"],
        form=merged["form"], planned_from=merged["planned_from"],
        planned_until=merged["planned_until"], programme=sup.programme, unit=sup.unit,
    )  # fmt: skip
    if "status" in data and data["status"] not in Supervision.Status.values:
        raise _refuse("status", _("Unknown status."))
    closed = sup.status in (Supervision.Status.DONE, Supervision.Status.CANCELLED)
    if closed and any(name in data and data[name] != getattr(sup, name) for name in PLAN_FIELDS):
        raise _refuse(
            None,
            _("The supervision is done or cancelled: its plan can no longer be changed "
              "(the findings and the key project still can)."),
        )  # fmt: skip
    if data.get("key_project_id") is not None:
        _check_key_project(sup.office, data["key_project_id"])
    return audit.update_fields(
        actor, sup, data, "oversight.supervision.update", office_id=sup.office_id
    )


STEPS = {
    "decision": ("decision_on", "decision_document"),
    "plan": ("plan_sent_on", "plan_document"),
    "body_report": ("body_report_on", "body_report_document"),
    "report": ("report_on", "report_document"),
}


@transaction.atomic
def record_step(
    actor: Any,
    sup: Supervision,
    step: str,
    *,
    on: datetime.date | None,
    document: Any = None,
    summary: str = "",
) -> Supervision:
    """The decision setting up the delegation, the plan sent to the body, the body's own
    report, the delegation's report: each with its date and its document of the register.
    The decision starts the supervision; the delegation's report closes it."""
    if step not in STEPS:
        raise _refuse("step", _("Unknown step of a supervision."))
    date_field, doc_field = STEPS[step]
    if on is None:
        raise _refuse(date_field, _("Give the date of this step."))
    if on > clock.today():
        raise _refuse(date_field, _("This step's date is in the future."))
    if document is not None and document.office_id != sup.office_id:
        raise _refuse(doc_field, _("This document belongs to another office's register."))
    if step == "report":
        first = sup.sessions.order_by("held_on").first()
        if sup.form == Supervision.Form.DELEGATION and first is None:
            raise _refuse(
                date_field, _("Record the working sessions before the delegation's report.")
            )
        if first is not None and on < first.held_on:
            raise _refuse(
                date_field,
                _(
                    "The delegation's report (%(day)s) is before its first working session "
                    "(%(session)s)."
                )
                % {"day": _fmt(on), "session": _fmt(first.held_on)},
            )
    if step == "plan" and sup.decision_on is not None and on < sup.decision_on:
        raise _refuse(
            date_field, _("The plan cannot be sent before the decision setting up the delegation.")
        )
    _check(actor, sup.office, sup.organization_id, sup.unit_id)
    data: dict[str, Any] = {date_field: on, doc_field: document}
    if summary.strip():
        data["summary"] = nfc(summary).strip()
    if step == "report":
        data["status"] = Supervision.Status.DONE
    elif sup.status == Supervision.Status.PLANNED:
        data["status"] = Supervision.Status.UNDER_WAY
    audit.update_fields(actor, sup, data, "oversight.supervision.step", office_id=sup.office_id)
    return sup


def allowed_member_organizations(sup: Supervision) -> list[int]:
    """Organizations a delegation member may come from: the office's member organizations,
    and for a commune's supervision the organizations of that commune."""
    ids = list(sup.office.organizations.values_list("pk", flat=True))
    if sup.unit_id is not None:
        ids += list(Organization.objects.filter(unit_id=sup.unit_id).values_list("pk", flat=True))
    return ids


@transaction.atomic
def add_member(
    actor: Any, sup: Supervision, *, person: Person | None, organization: Organization | None,
    role: str = DelegationMember.Role.MEMBER,
) -> DelegationMember:  # fmt: skip
    """A member of the delegation: refused unless the person is, on the decision date (before
    the decision: the planned start if still ahead, else today), a member of that
    organization, and the organization is one of the office's (or of the commune's)."""
    if person is None:
        raise _refuse("person", _("Choose the member of the delegation."))
    if organization is None:
        raise _refuse("organization", _("Choose the member's organization."))
    if role not in DelegationMember.Role.values:
        raise _refuse("role", _("Unknown role in the delegation."))
    if organization.pk not in allowed_member_organizations(sup):
        raise _refuse(
            "organization",
            _("%(org)s is not an organization of this office.") % {"org": organization.name},
        )
    # membership on the day the delegation is set up: its decision's date; before the
    # decision, the planned start if still ahead, else today (it is being set up now)
    on = sup.decision_on or max(sup.planned_from, clock.today())
    current = Membership.objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=on),
        person=person, organization=organization, start_on__lte=on,
    ).exists()  # fmt: skip
    if not current:
        raise _refuse(
            "person",
            _("%(person)s is not a member of %(org)s on %(day)s, the day the delegation is set up.")
            % {
                "person": person.full_name,
                "org": organization.name,
                "day": on.strftime("%d/%m/%Y"),
            },
        )
    if sup.members.filter(person=person).exists():
        raise _refuse(
            "person", _("%(person)s is already in the delegation.") % {"person": person.full_name}
        )
    if role == DelegationMember.Role.HEAD and sup.members.filter(role=role).exists():
        raise _refuse("role", _("The delegation already has a head."))
    _check(actor, sup.office, sup.organization_id, sup.unit_id)
    member = DelegationMember(supervision=sup, person=person, organization=organization, role=role)
    audit.create(actor, member, "oversight.member.add", office_id=sup.office_id)
    return member


@transaction.atomic
def remove_member(actor: Any, member: DelegationMember) -> None:
    sup = member.supervision
    _check(actor, sup.office, sup.organization_id, sup.unit_id)
    audit.record(actor, "oversight.member.remove", sup, {"person": [member.person_id, None]},
                 office_id=sup.office_id)  # fmt: skip
    member.delete()


@transaction.atomic
def add_session(
    actor: Any, sup: Supervision, *, held_on: datetime.date | None, place: str = "",
    minutes: str = "", minutes_document: Any = None,
) -> WorkingSession:  # fmt: skip
    if held_on is None:
        raise _refuse("held_on", _("Give the date of the working session."))
    if held_on > clock.today():
        raise _refuse("held_on", _("A working session is recorded once held."))
    if minutes_document is not None and minutes_document.office_id != sup.office_id:
        raise _refuse("minutes_document", _("This document belongs to another office's register."))
    _check(actor, sup.office, sup.organization_id, sup.unit_id)
    session = WorkingSession(
        supervision=sup, held_on=held_on, place=nfc(place).strip(), minutes=nfc(minutes).strip(),
        minutes_document=minutes_document, created_by=_user(actor),
    )  # fmt: skip
    audit.create(actor, session, "oversight.session.create", office_id=sup.office_id)
    if sup.status == Supervision.Status.PLANNED:
        audit.update_fields(actor, sup, {"status": Supervision.Status.UNDER_WAY},
                            "oversight.supervision.update", office_id=sup.office_id)  # fmt: skip
    return session


# --- Lead times ------------------------------------------------------------------------------


def due_dates(sup: Supervision, today: datetime.date | None = None) -> list[statutory.Due]:
    """Each lead time applied to the supervision, on the working-day calendar, with its
    source; overdue when the step is not done by its due date."""
    from khoi.workcalendar.services import work_calendar

    today = today or clock.today()
    sessions = list(sup.sessions.order_by("held_on"))
    first = sessions[0].held_on if sessions else sup.planned_from
    last = sessions[-1].held_on if sessions else None
    leads = statutory.lead_times_on(first)
    cal = work_calendar()
    out: list[statutory.Due] = []

    def add(
        key: str, anchor: datetime.date | None, before: bool, done: datetime.date | None
    ) -> None:
        lead = leads.get(key)
        if lead is None or anchor is None:
            return
        due = statutory.shift(anchor, lead, before=before, calendar=cal)
        late = (done is None and due < today) or (done is not None and done > due)
        out.append(statutory.Due(key, str(lead.get_key_display()), lead.days, lead.working_days,
                                 due, done, late, lead.source))  # fmt: skip

    if sup.form != Supervision.Form.DOCUMENTS:
        add("plan_before", first, True, sup.plan_sent_on)
        add("body_report_before", first, True, sup.body_report_on)
    add("report_after", last, False, sup.report_on)
    return out
