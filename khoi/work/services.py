"""Every change to programmes, plans, activities, joint work and tasks goes through here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.org.models import (
    AdminUnit,
    JointOffice,
    Membership,
    Organization,
    Person,
    ResidentialArea,
    SubCommittee,
    active_q,
)
from khoi.registry import key_project_choices
from khoi.work import access
from khoi.work.models import (
    Activity,
    JointActivity,
    JointAddition,
    OverlapDismissal,
    Plan,
    Programme,
    Task,
    TaskUpdate,
)

ACTIVITY_FIELDS = (
    "plan", "organization", "kind", "title", "description", "origin", "start_on", "end_on",
    "expected_participants", "budget", "status", "key_project_id",
)  # fmt: skip
PLAN_FIELDS = (
    "programme", "organization", "subcommittee", "number", "title", "directive", "start_on",
    "end_on", "description", "status",
)  # fmt: skip


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _check_key_project(actor: Any, office: JointOffice, project_id: int | None) -> None:
    """A key project the activity is carried out for: one of the office's projects the
    actor may open (offered by the project directory of ``khoi.registry``)."""
    if project_id is None:
        return
    user = actor if getattr(actor, "pk", None) else None
    if project_id not in {pk for pk, _name in key_project_choices(user, office.pk)}:
        raise _refuse("key_project_id", _("Choose one of the office's key projects you may open."))


def _check_dates(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end < start:
        raise _refuse("end_on", _("The end date cannot be before the start date."))


def _check_targets(
    office: JointOffice, units: Iterable[AdminUnit], areas: Iterable[ResidentialArea]
) -> None:
    inside = AdminUnit.objects.subtree(office.unit)
    unit_ids = {u.pk for u in units}
    if unit_ids and inside.filter(pk__in=unit_ids).count() != len(unit_ids):
        raise _refuse("target_units", _("A target unit is outside the office's area."))
    area_units = {a.commune_id for a in areas}
    if area_units and inside.filter(pk__in=area_units).count() != len(area_units):
        raise _refuse("target_areas", _("A residential area is outside the office's area."))


def _check_org(office: JointOffice, org: Organization, field: str = "organization") -> None:
    if not office.organizations.filter(pk=org.pk).exists():
        raise _refuse(field, _("This organization is not a member of the office."))


def _check_participants(office: JointOffice, orgs: Iterable[Organization]) -> None:
    ids = {o.pk for o in orgs}
    if ids and office.organizations.filter(pk__in=ids).count() != len(ids):
        raise _refuse("participants", _("This organization is not a member of the office."))


def _check_assignee(office: JointOffice, person: Person) -> None:
    """The assignee of a task is one of the office's people: an active position in the
    office, one of its organizations or sub-committees, or a person of its area."""
    members = Membership.objects.filter(active_q()).filter(
        Q(office=office) | Q(organization__offices=office) | Q(subcommittee__office=office)
    )
    inside = AdminUnit.objects.subtree(office.unit).filter(pk=person.unit_id).exists()
    ok = person.is_active and (inside or members.filter(person=person).exists())
    if not ok:
        raise _refuse("assignee", _("This person is not one of the office's people."))


# --- Programmes and plans ------------------------------------------------------------------


def do_create_programme(
    actor: Any, office: JointOffice, *, year: int, title: str,
    organization: Organization | None = None, description: str = "",
) -> Programme:  # fmt: skip
    if organization is not None:
        _check_org(office, organization)
    exists = Programme.objects.filter(office=office, organization=organization, year=year)
    if exists.exists():
        raise _refuse("year", _("A programme for this year already exists."))
    programme = Programme(
        office=office,
        organization=organization,
        year=year,
        title=nfc(title),
        description=description,
    )
    audit.create(actor, programme, "programme.create", office_id=office.pk)
    return programme


def do_create_plan(actor: Any, office: JointOffice, **data: Any) -> Plan:
    clean = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    _check_dates(clean.get("start_on"), clean.get("end_on"))
    if clean.get("organization") is not None:
        _check_org(office, clean["organization"])
    if clean.get("organization") is not None and clean.get("subcommittee") is not None:
        raise _refuse(
            "subcommittee", _("A plan belongs to an organization or a sub-committee, not both.")
        )
    if clean.get("subcommittee") is not None and clean["subcommittee"].office_id != office.pk:
        raise _refuse("subcommittee", _("This sub-committee is not part of the office."))
    clean["title"] = nfc(clean.get("title", ""))
    plan = Plan(office=office, created_by=actor if getattr(actor, "pk", None) else None, **clean)
    audit.create(actor, plan, "plan.create", office_id=office.pk)
    return plan


def do_update_plan(actor: Any, plan: Plan, **data: Any) -> dict[str, list[Any]]:
    clean = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    _check_dates(clean.get("start_on", plan.start_on), clean.get("end_on", plan.end_on))
    return audit.update_fields(actor, plan, clean, "plan.update", office_id=plan.office_id)


# --- Activities ------------------------------------------------------------------------------


def do_create_activity(
    actor: Any,
    office: JointOffice,
    *,
    target_units: Sequence[AdminUnit] = (),
    target_areas: Sequence[ResidentialArea] = (),
    participants: Sequence[Organization] = (),
    **data: Any,
) -> Activity:
    clean = {k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    _check_dates(clean.get("start_on"), clean.get("end_on"))
    _check_org(office, clean["organization"])
    _check_targets(office, target_units, target_areas)
    _check_participants(office, participants)
    if clean.get("plan") is not None and clean["plan"].office_id != office.pk:
        raise _refuse("plan", _("This plan belongs to another office."))
    _check_key_project(actor, office, clean.get("key_project_id"))
    clean["title"] = nfc(clean["title"])
    with transaction.atomic():
        activity = Activity(
            office=office, created_by=actor if getattr(actor, "pk", None) else None, **clean
        )
        audit.create(actor, activity, "activity.create", office_id=office.pk)
        activity.target_units.set(target_units)
        activity.target_areas.set(target_areas)
        activity.participants.set([p for p in participants if p.pk != activity.organization_id])
        audit.record(
            actor,
            "activity.set_targets",
            activity,
            {
                "target_units": [[], sorted(u.pk for u in target_units)],
                "target_areas": [[], sorted(a.pk for a in target_areas)],
                "participants": [[], sorted(p.pk for p in participants)],
            },
            office_id=office.pk,
        )
    return activity


def do_update_activity(
    actor: Any,
    activity: Activity,
    *,
    target_units: Sequence[AdminUnit] | None = None,
    target_areas: Sequence[ResidentialArea] | None = None,
    participants: Sequence[Organization] | None = None,
    **data: Any,
) -> dict[str, list[Any]]:
    clean = {k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    office = activity.office
    _check_dates(clean.get("start_on", activity.start_on), clean.get("end_on", activity.end_on))
    if "organization" in clean:
        _check_org(office, clean["organization"])
    _check_targets(office, target_units or (), target_areas or ())
    _check_participants(office, participants or ())
    if "key_project_id" in clean and clean["key_project_id"] != activity.key_project_id:
        _check_key_project(actor, office, clean["key_project_id"])
    if "title" in clean:
        clean["title"] = nfc(clean["title"])
    with transaction.atomic():
        changes = audit.update_fields(
            actor, activity, clean, "activity.update", office_id=office.pk
        )
        relations: dict[str, list[Any]] = {}
        for name, values in (
            ("target_units", target_units),
            ("target_areas", target_areas),
            ("participants", participants),
        ):
            if values is None:
                continue
            manager = getattr(activity, name)
            before = sorted(manager.values_list("pk", flat=True))
            after = sorted(v.pk for v in values)
            if before != after:
                manager.set(values)
                relations[name] = [before, after]
        if relations:
            audit.record(actor, "activity.set_targets", activity, relations, office_id=office.pk)
            changes.update(relations)
    return changes


# --- Joint work (merge) -----------------------------------------------------------------------


@dataclass(frozen=True)
class MergeSpec:
    title: str
    lead: Organization
    start_on: datetime.date
    end_on: datetime.date
    description: str = ""
    kind: str = ""


def do_merge(actor: Any, activities: Sequence[Activity], spec: MergeSpec) -> JointActivity:
    """Turn overlapping activities into joint work.

    The office head merges at once; office staff propose, and the merge takes effect when
    the office head approves it. The originals stay, linked, so each organization keeps
    its credit.
    """
    if len(activities) < 2:
        raise _refuse(None, _("Choose at least two activities to merge."))
    office = activities[0].office
    if any(a.office_id != office.pk for a in activities):
        raise _refuse(None, _("The activities belong to different offices."))
    orgs = {a.organization_id for a in activities}
    if len(orgs) < 2:
        raise _refuse(
            None, _("The activities all belong to one organization: there is nothing to merge.")
        )
    for a in activities:
        if (
            a.joint_id is not None
            and a.joint is not None
            and a.joint.status != JointActivity.Status.DISSOLVED
        ):
            raise _refuse(
                None, _("“%(title)s” is already part of joint work.") % {"title": a.title}
            )
    if spec.lead.pk not in orgs:
        raise _refuse(
            "lead", _("The lead organization must be one of the merged activities' organizations.")
        )
    _check_dates(spec.start_on, spec.end_on)
    if not spec.title.strip():
        raise _refuse("title", _("Give the joint activity a title."))
    head = access.can_approve_merge(actor, office)
    if not head and not access.can_propose_merge(actor, office):
        raise _refuse(
            None,
            _(
                "Only the office head, or office staff with the head's approval, "
                "can merge activities."
            ),
        )
    kinds = [a.kind for a in activities]
    status = JointActivity.Status.ACTIVE if head else JointActivity.Status.PROPOSED
    with transaction.atomic():
        joint = JointActivity(
            office=office,
            title=nfc(spec.title),
            description=spec.description,
            kind=spec.kind or max(set(kinds), key=kinds.count),
            lead=spec.lead,
            start_on=spec.start_on,
            end_on=spec.end_on,
            status=status,
            proposed_by=actor,
            approved_by=actor if head else None,
            approved_at=clock.now() if head else None,
        )
        audit.create(actor, joint, "joint.merge" if head else "joint.propose", office_id=office.pk)
        joint.co_organizers.set(
            [a.organization for a in activities if a.organization_id != spec.lead.pk]
        )
        units = {u for a in activities for u in a.target_units.all()}
        areas = {r for a in activities for r in a.target_areas.all()}
        joint.target_units.set(units)
        joint.target_areas.set(areas)
        for a in activities:
            audit.update_fields(actor, a, {"joint": joint}, "activity.merge", office_id=office.pk)
    return joint


def do_approve_merge(actor: Any, joint: JointActivity) -> None:
    if not access.can_approve_merge(actor, joint.office):
        raise _refuse(None, _("Only the office head approves joint work."))
    if joint.status != JointActivity.Status.PROPOSED:
        raise _refuse(None, _("This joint work is not awaiting approval."))
    audit.update_fields(
        actor,
        joint,
        {
            "status": JointActivity.Status.ACTIVE,
            "approved_by": actor,
            "approved_at": clock.now(),
        },
        "joint.approve",
        office_id=joint.office_id,
    )


def do_unmerge(actor: Any, joint: JointActivity) -> None:
    """Undo a merge (or reject a proposal): the activities become separate again."""
    if joint.status == JointActivity.Status.DISSOLVED:
        raise _refuse(None, _("This joint work was already unmerged."))
    allowed = access.can_approve_merge(actor, joint.office) or (
        joint.status == JointActivity.Status.PROPOSED
        and joint.proposed_by_id == getattr(actor, "pk", None)
    )
    if not allowed:
        raise _refuse(None, _("Only the office head can unmerge joint work."))
    with transaction.atomic():
        for a in joint.activities.all():
            audit.update_fields(
                actor, a, {"joint": None}, "activity.unmerge", office_id=joint.office_id
            )
        audit.update_fields(
            actor,
            joint,
            {"status": JointActivity.Status.DISSOLVED},
            "joint.unmerge",
            office_id=joint.office_id,
        )


def _in_joint(a: Activity) -> bool:
    return (
        a.joint_id is not None
        and a.joint is not None
        and a.joint.status != JointActivity.Status.DISSOLVED
    )


def _apply_addition(actor: Any, joint: JointActivity, a: Activity) -> None:
    """Link an activity to joint work: its organization co-organizes, its targets and
    dates widen the joint work's."""
    audit.update_fields(actor, a, {"joint": joint}, "activity.merge", office_id=joint.office_id)
    if a.organization_id != joint.lead_id:
        joint.co_organizers.add(a.organization)
    joint.target_units.add(*a.target_units.all())
    joint.target_areas.add(*a.target_areas.all())
    start, end = min(joint.start_on, a.start_on), max(joint.end_on, a.end_on)
    if (start, end) != (joint.start_on, joint.end_on):
        audit.update_fields(
            actor, joint, {"start_on": start, "end_on": end}, "joint.extend",
            office_id=joint.office_id,
        )  # fmt: skip


def do_add_to_joint(
    actor: Any, joint: JointActivity, activities: Sequence[Activity]
) -> list[JointAddition]:
    """Add activities to existing joint work (the scan offers it for an activity that
    overlaps one already merged). The office head adds at once; office staff propose and
    the addition takes effect when the head approves it."""
    office = joint.office
    head = access.can_approve_merge(actor, office)
    if not head and not access.can_propose_merge(actor, office):
        raise _refuse(
            None,
            _(
                "Only the office head, or office staff with the head's approval, "
                "can add activities to joint work."
            ),
        )
    if joint.status != JointActivity.Status.ACTIVE:
        raise _refuse(None, _("Activities can only be added to approved joint work."))
    if not activities:
        raise _refuse(None, _("Choose the activities to add."))
    for a in activities:
        if a.office_id != office.pk:
            raise _refuse(None, _("The activities belong to different offices."))
        if _in_joint(a):
            raise _refuse(
                None, _("“%(title)s” is already part of joint work.") % {"title": a.title}
            )
        if JointAddition.objects.filter(activity=a, status=JointAddition.Status.PROPOSED).exists():
            raise _refuse(
                None,
                _("Adding “%(title)s” to joint work is already awaiting approval.")
                % {"title": a.title},
            )
    out = []
    with transaction.atomic():
        for a in activities:
            addition = JointAddition(
                joint=joint,
                activity=a,
                status=JointAddition.Status.APPROVED if head else JointAddition.Status.PROPOSED,
                proposed_by=actor,
                decided_by=actor if head else None,
                decided_at=clock.now() if head else None,
            )
            audit.create(
                actor, addition, "joint.add" if head else "joint.add_propose", office_id=office.pk
            )
            if head:
                _apply_addition(actor, joint, a)
            out.append(addition)
    return out


def do_decide_joint_addition(actor: Any, addition: JointAddition, approve: bool) -> None:
    """The office head approves or rejects a proposed addition (the proposer may
    withdraw it, which rejects it)."""
    joint = addition.joint
    head = access.can_approve_merge(actor, joint.office)
    proposer = addition.proposed_by_id == getattr(actor, "pk", None)
    if not head and not (proposer and not approve):
        raise _refuse(None, _("Only the office head approves joint work."))
    if addition.status != JointAddition.Status.PROPOSED:
        raise _refuse(None, _("This addition is not awaiting approval."))
    activity = addition.activity
    if approve:
        if joint.status != JointActivity.Status.ACTIVE:
            raise _refuse(None, _("Activities can only be added to approved joint work."))
        if _in_joint(activity):
            raise _refuse(
                None, _("“%(title)s” is already part of joint work.") % {"title": activity.title}
            )
    with transaction.atomic():
        audit.update_fields(
            actor,
            addition,
            {
                "status": JointAddition.Status.APPROVED
                if approve
                else JointAddition.Status.REJECTED,
                "decided_by": actor,
                "decided_at": clock.now(),
            },
            "joint.add_approve" if approve else "joint.add_reject",
            office_id=joint.office_id,
        )
        if approve:
            _apply_addition(actor, joint, activity)


def do_dismiss_overlap(actor: Any, a: Activity, b: Activity, reason: str = "") -> OverlapDismissal:
    if a.pk == b.pk:
        raise _refuse(None, _("Choose two different activities."))
    first, second = sorted([a, b], key=lambda x: x.pk)
    existing = OverlapDismissal.objects.filter(first=first, second=second).first()
    if existing is not None:
        return existing
    dismissal = OverlapDismissal(first=first, second=second, reason=reason, dismissed_by=actor)
    audit.create(actor, dismissal, "overlap.dismiss", office_id=a.office_id)
    return dismissal


# --- Tasks -----------------------------------------------------------------------------------


def do_create_task(
    actor: Any,
    office: JointOffice,
    *,
    title: str,
    due_on: datetime.date,
    assignee: Person | None = None,
    assignee_subcommittee: SubCommittee | None = None,
    activity: Activity | None = None,
    joint: JointActivity | None = None,
    description: str = "",
    priority: int = Task.Priority.NORMAL,
    source_label: str = "",
) -> Task:
    if not access.can_assign(actor, office):
        raise _refuse(None, _("Only the office head and organization leaders assign tasks."))
    if assignee is None and assignee_subcommittee is None:
        raise _refuse("assignee", _("Choose who the task is assigned to."))
    if assignee_subcommittee is not None and assignee_subcommittee.office_id != office.pk:
        raise _refuse("assignee_subcommittee", _("This sub-committee is not part of the office."))
    if assignee is not None:
        _check_assignee(office, assignee)
    if activity is not None and activity.office_id != office.pk:
        raise _refuse("activity", _("This activity belongs to another office."))
    if joint is not None and joint.office_id != office.pk:
        raise _refuse("joint", _("This joint activity belongs to another office."))
    if not title.strip():
        raise _refuse("title", _("Enter what has to be done."))
    task = Task(
        office=office, title=nfc(title), description=description, due_on=due_on,
        assignee=assignee, assignee_subcommittee=assignee_subcommittee, activity=activity,
        joint=joint, priority=priority, source_label=source_label,
        assigned_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit.create(actor, task, "task.create", office_id=office.pk)
    return task


ALLOWED_MOVES: dict[str, set[str]] = {
    Task.Status.NEW: {
        Task.Status.IN_PROGRESS,
        Task.Status.BLOCKED,
        Task.Status.DONE,
        Task.Status.CANCELLED,
    },
    Task.Status.IN_PROGRESS: {Task.Status.BLOCKED, Task.Status.DONE, Task.Status.CANCELLED},
    Task.Status.BLOCKED: {Task.Status.IN_PROGRESS, Task.Status.DONE, Task.Status.CANCELLED},
    Task.Status.DONE: {Task.Status.IN_PROGRESS},
    Task.Status.CANCELLED: {Task.Status.NEW},
}


def do_update_task(
    actor: Any,
    task: Task,
    *,
    note: str = "",
    status: str | None = None,
    attachment: Any = None,
    today: datetime.date | None = None,
) -> TaskUpdate:
    """A progress update, possibly moving the task to another status."""
    if not access.can_update_task(actor, task):
        raise _refuse(None, _("You cannot update this task."))
    note = note.strip()
    changes: dict[str, Any] = {}
    if status and status != task.status:
        if status not in Task.Status.values:
            raise _refuse("status", _("Unknown status."))
        if status not in ALLOWED_MOVES.get(task.status, set()):
            raise _refuse(
                "status",
                _("A task cannot go from “%(old)s” to “%(new)s”.")
                % {"old": task.get_status_display(), "new": Task.Status(status).label},
            )
        if status == Task.Status.CANCELLED and not (
            access.can_assign(actor, task.office)
            or task.assigned_by_id == getattr(actor, "pk", None)
        ):
            raise _refuse("status", _("Only the person who assigned a task can cancel it."))
        if status == Task.Status.BLOCKED and not note:
            raise _refuse("note", _("Say why the task is blocked."))
        if status == Task.Status.DONE and not note:
            raise _refuse("note", _("Describe the result of the task."))
        changes["status"] = status
        if status == Task.Status.BLOCKED:
            changes["blocked_reason"] = note
        if status == Task.Status.DONE:
            changes["result_note"] = note
            changes["completed_on"] = today or clock.today()
        elif task.status == Task.Status.DONE:
            changes["completed_on"] = None
    elif not note and attachment is None:
        raise _refuse("note", _("Write a note, attach a file or change the status."))
    with transaction.atomic():
        if changes:
            audit.update_fields(actor, task, changes, "task.status", office_id=task.office_id)
        update = TaskUpdate(
            task=task, author=actor if getattr(actor, "pk", None) else None, note=note,
            status=changes.get("status", ""),
        )  # fmt: skip
        if attachment is not None:
            update.attachment = attachment
        update.save()
        audit.record(
            actor, "task.update", task,
            {"note": [None, note], "attachment": [None, update.attachment.name or None]},
            office_id=task.office_id,
        )  # fmt: skip
    return update


def do_reassign_task(
    actor: Any, task: Task, *, assignee: Person | None, assignee_subcommittee: SubCommittee | None,
    due_on: datetime.date | None = None,
) -> dict[str, list[Any]]:  # fmt: skip
    if not access.can_assign(actor, task.office):
        raise _refuse(None, _("Only the office head and organization leaders assign tasks."))
    if assignee is None and assignee_subcommittee is None:
        raise _refuse("assignee", _("Choose who the task is assigned to."))
    data: dict[str, Any] = {"assignee": assignee, "assignee_subcommittee": assignee_subcommittee}
    if due_on is not None:
        data["due_on"] = due_on
        data["reminded_on"] = None
    return audit.update_fields(actor, task, data, "task.reassign", office_id=task.office_id)
