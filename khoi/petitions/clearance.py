"""Land clearance services: coordination rules and obligations, affected households and
their stages, mobilization visits and dialogues. Every change is atomic and audited.

Stages go forward one at a time in ``STAGE_ORDER`` (notified → inventoried → plan posted →
agreed → paid → handed over); a complaint may be recorded at any stage, and leaving it to
the stage the household had reached (or the next one) is going forward. Going back to an
earlier stage needs a reason. Every change is kept in ``StageChange``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.org.models import AdminUnit, JointOffice
from khoi.petitions import clearance_access as access
from khoi.petitions.common import _actor, _refuse
from khoi.petitions.models import (
    STAGE_ORDER,
    AffectedHousehold,
    CoordinationRules,
    KeyProject,
    Obligation,
    Stage,
    StageChange,
    Visit,
)
from khoi.registry import household_cards


def _check_date(field: str, day: datetime.date | None) -> datetime.date:
    if day is None:
        raise _refuse(field, _("Enter the date."))
    if day > clock.today():
        raise _refuse(field, _("The date cannot be in the future."))
    return day


# --- coordination rules and obligations -----------------------------------------------------


def do_create_rules(
    actor: Any, office: JointOffice, *, title: str, counterpart: str,
    signed_on: datetime.date, projects: Sequence[KeyProject] = (), note: str = "",
) -> CoordinationRules:  # fmt: skip
    if not access.can_write_rules(actor, office.pk):
        raise _refuse(None, _("Only the office's staff record coordination rules."))
    if not nfc(title):
        raise _refuse("title", _("Enter the title of the coordination rules."))
    if not nfc(counterpart):
        raise _refuse("counterpart", _("Enter the body the rules were signed with."))
    _check_date("signed_on", signed_on)
    if any(p.office_id != office.pk for p in projects):
        raise _refuse("projects", _("A key project belongs to another office."))
    with transaction.atomic():
        rules = CoordinationRules(
            office=office, title=nfc(title), counterpart=nfc(counterpart), signed_on=signed_on,
            note=note.strip(), created_by=_actor(actor),
        )  # fmt: skip
        audit.create(actor, rules, "clearance.rules_create", office_id=office.pk)
        rules.projects.set(projects)
    return rules


def do_add_obligation(
    actor: Any, rules: CoordinationRules, *, owner: str, content: str,
    due_on: datetime.date | None,
) -> Obligation:  # fmt: skip
    if not access.can_write_rules(actor, rules.office_id):
        raise _refuse(None, _("Only the office's staff record coordination rules."))
    if not nfc(owner):
        raise _refuse("owner", _("Enter the organization or body responsible."))
    if not nfc(content):
        raise _refuse("content", _("Enter what must be done."))
    if due_on is None:
        raise _refuse("due_on", _("Enter the due date."))
    if due_on < rules.signed_on:
        raise _refuse("due_on", _("The due date cannot be before the rules were signed."))
    ob = Obligation(rules=rules, owner=nfc(owner), content=nfc(content), due_on=due_on)
    audit.create(actor, ob, "clearance.obligation_add", office_id=rules.office_id)
    return ob


def do_set_obligation_status(
    actor: Any, ob: Obligation, *, status: str, done_on: datetime.date | None = None
) -> Obligation:
    if not access.can_write_rules(actor, ob.rules.office_id):
        raise _refuse(None, _("Only the office's staff record coordination rules."))
    if status not in Obligation.Status.values:
        raise _refuse("status", _("Choose a valid status."))
    if status == Obligation.Status.DONE:
        _check_date("done_on", done_on)
        assert done_on is not None
        if done_on < ob.rules.signed_on:
            raise _refuse("done_on", _("The date cannot be before the rules were signed."))
    else:
        done_on = None
    audit.update_fields(
        actor, ob, {"status": status, "done_on": done_on}, "clearance.obligation_status",
        office_id=ob.rules.office_id,
    )  # fmt: skip
    return ob


# --- affected households ------------------------------------------------------------------------


def do_add_household(
    actor: Any, project: KeyProject, *, unit: AdminUnit | None, register_id: int | None = None,
    head_name: str = "", area_name: str = "", on: datetime.date | None = None,
) -> AffectedHousehold:  # fmt: skip
    """An affected household, notified on ``on``: a household of the register (by id; the
    user must be able to read it there) or, for one not in the register, the head's name and
    the residential area only."""
    if unit is None:
        raise _refuse("unit", _("Choose the commune or ward."))
    if not project.units.filter(pk=unit.pk).exists():
        raise _refuse("unit", _("The project does not cover this commune or ward."))
    if not access.can_record(actor, project, unit):
        raise _refuse(None, _("You do not record households of this commune or ward."))
    on = _check_date("on", on)
    if register_id is not None:
        if head_name.strip() or area_name.strip():
            raise _refuse(
                "head_name",
                _("A household of the register keeps its name there: leave the name empty."),
            )
        card = household_cards(actor, [register_id]).get(register_id)
        if card is None:
            raise _refuse("register_id", _("No such household in the register."))
        if card.unit_id != unit.pk:
            raise _refuse(
                "register_id", _("This household of the register lives in another commune.")
            )
        if AffectedHousehold.objects.filter(project=project, register_id=register_id).exists():
            raise _refuse("register_id", _("This household is already listed for the project."))
    elif not nfc(head_name):
        raise _refuse("head_name", _("Enter the name of the head of household."))
    with transaction.atomic():
        household = AffectedHousehold(
            project=project, unit=unit, register_id=register_id,
            head_name="" if register_id else nfc(head_name),
            area_name="" if register_id else nfc(area_name),
            stage=Stage.NOTIFIED, progress=Stage.NOTIFIED, stage_on=on, created_by=_actor(actor),
        )  # fmt: skip
        audit.create(actor, household, "clearance.household_add", office_id=project.office_id)
        StageChange.objects.create(
            household=household, from_stage="", to_stage=Stage.NOTIFIED, on=on,
            actor=_actor(actor), created_at=clock.now(),
        )  # fmt: skip
    return household


def stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def _rank(stage: str) -> int:
    return STAGE_ORDER.index(Stage(stage))


def allowed_stages(household: AffectedHousehold) -> tuple[list[str], list[str]]:
    """(forward stages, backward stages) from the household's current stage."""
    if household.stage == Stage.COMPLAINT:
        here = _rank(household.progress)
        forward = [s.value for s in STAGE_ORDER[here : here + 2]]
        backward = [s.value for s in STAGE_ORDER[:here]]
        return forward, backward
    here = _rank(household.stage)
    forward = [s.value for s in STAGE_ORDER[here + 1 : here + 2]] + [Stage.COMPLAINT.value]
    backward = [s.value for s in STAGE_ORDER[:here]]
    return forward, backward


def do_change_stage(
    actor: Any, household: AffectedHousehold, *, to_stage: str, on: datetime.date | None,
    reason: str = "",
) -> StageChange:  # fmt: skip
    with transaction.atomic():
        # the household's row locked and read again: two concurrent changes cannot both
        # pass the order check on the same stale stage
        locked = AffectedHousehold.objects.select_for_update().get(pk=household.pk)
        change = _change_stage(actor, locked, to_stage=to_stage, on=on, reason=reason)
    household.stage, household.progress, household.stage_on = (
        locked.stage, locked.progress, locked.stage_on,
    )  # fmt: skip
    return change


def _change_stage(
    actor: Any, household: AffectedHousehold, *, to_stage: str, on: datetime.date | None,
    reason: str,
) -> StageChange:  # fmt: skip
    project = household.project
    if not access.can_record(actor, project, household.unit_id):
        raise _refuse(None, _("You do not record households of this commune or ward."))
    if to_stage not in Stage.values:
        raise _refuse("to_stage", _("Choose a valid stage."))
    on = _check_date("on", on)
    if on < household.stage_on:
        raise _refuse(
            "on",
            _("The date cannot be before the current stage was reached (%(day)s).")
            % {"day": f"{household.stage_on:%d/%m/%Y}"},
        )
    if to_stage == household.stage:
        raise _refuse("to_stage", _("The household is already at this stage."))
    forward, backward = allowed_stages(household)
    reason = reason.strip()
    going_back = to_stage in backward
    if going_back and not reason:
        raise _refuse(
            "reason",
            _("Going back from “%(from)s” to “%(to)s” needs a reason.")
            % {"from": stage_label(household.stage), "to": stage_label(to_stage)},
        )
    if not going_back and to_stage not in forward:
        nxt = [stage_label(s) for s in forward if s != Stage.COMPLAINT]
        raise _refuse(
            "to_stage",
            _("Stages go in order: the next stage is “%(next)s”.")
            % {"next": nxt[0] if nxt else "—"},
        )
    before = household.stage
    progress = household.progress if to_stage == Stage.COMPLAINT else to_stage
    with transaction.atomic():
        change = StageChange.objects.create(
            household=household, from_stage=before, to_stage=to_stage, on=on,
            backwards=going_back, reason=reason, actor=_actor(actor), created_at=clock.now(),
        )  # fmt: skip
        household.stage = to_stage
        household.progress = progress
        household.stage_on = on
        household.save(update_fields=["stage", "progress", "stage_on"])
        audit.record(
            actor, "clearance.stage", household,
            {"stage": [before, to_stage], "stage_on": [None, on.isoformat()], "reason": reason},
            office_id=project.office_id,
        )  # fmt: skip
    return change


# --- visits and dialogues ----------------------------------------------------------------------


def do_record_visit(
    actor: Any, project: KeyProject, *, kind: str, held_on: datetime.date | None,
    by_whom: str, with_whom: str, outcome: str, unit: AdminUnit | None = None,
    household: AffectedHousehold | None = None,
) -> Visit:  # fmt: skip
    if household is not None:
        if household.project_id != project.pk:
            raise _refuse("household", _("This household is not affected by this project."))
        unit = household.unit
    if unit is None:
        raise _refuse("unit", _("Choose the commune or ward."))
    if not project.units.filter(pk=unit.pk).exists():
        raise _refuse("unit", _("The project does not cover this commune or ward."))
    if not access.can_record(actor, project, unit):
        raise _refuse(None, _("You do not record households of this commune or ward."))
    if kind not in Visit.Kind.values:
        raise _refuse("kind", _("Choose a visit or a dialogue."))
    held_on = _check_date("held_on", held_on)
    if not nfc(by_whom):
        raise _refuse("by_whom", _("Enter who went."))
    if not nfc(with_whom):
        raise _refuse("with_whom", _("Enter who was met."))
    if not nfc(outcome):
        raise _refuse("outcome", _("Enter the outcome."))
    visit = Visit(
        project=project, unit=unit, household=household, kind=kind, held_on=held_on,
        by_whom=nfc(by_whom), with_whom=nfc(with_whom), outcome=nfc(outcome),
        created_by=_actor(actor),
    )  # fmt: skip
    audit.create(actor, visit, "clearance.visit", office_id=project.office_id)
    return visit
