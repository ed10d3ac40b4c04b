"""Citizen reception sessions and the locality's key projects."""

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
from khoi.petitions import access
from khoi.petitions.common import _actor, _refuse
from khoi.petitions.models import KeyProject, ReceptionSession

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
