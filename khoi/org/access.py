"""Access helpers for units, organizations, offices and people.

Every object loaded from a URL goes through one of the ``get_*_for_user`` functions,
which answer a missing and a forbidden object the same way (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from khoi.accounts.access import get_scope, not_found
from khoi.org.models import AdminUnit, JointOffice, Organization, Person


def units_for_user(user: Any) -> QuerySet[AdminUnit]:
    """Administrative units are public reference data: every signed-in user sees them."""
    if not getattr(user, "is_authenticated", False):
        return AdminUnit.objects.none()
    return AdminUnit.objects.all()


def get_unit_for_user(user: Any, pk: int) -> AdminUnit:
    unit = (
        units_for_user(user).select_related("parent", "province", "district").filter(pk=pk).first()
    )
    if unit is None:
        raise not_found()
    return unit


def people_for_user(user: Any) -> QuerySet[Person]:
    scope = get_scope(user)
    return Person.objects.filter(scope.units_q("unit__"))


def get_person_for_user(user: Any, pk: int) -> Person:
    person = people_for_user(user).select_related("unit", "user").filter(pk=pk).first()
    if person is None:
        raise not_found()
    return person


def can_edit_person(user: Any, person: Person | None = None, unit: AdminUnit | None = None) -> bool:
    """Office staff and heads edit the people of their office's unit subtree."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    if not scope.staff_office_ids:
        return False
    target = unit or (person.unit if person else None)
    if target is None:
        return True
    office_roots = [r for r in scope.write_roots if r.pk not in scope.reporter_unit_ids]
    ids = {target.pk, target.province_id, target.district_id}
    return any(r.pk in ids for r in office_roots)


def organizations_for_user(user: Any) -> QuerySet[Organization]:
    scope = get_scope(user)
    return Organization.objects.filter(scope.units_q("unit__"))


def get_organization_for_user(user: Any, pk: int) -> Organization:
    org = (
        organizations_for_user(user)
        .select_related("unit", "parent", "parent__unit")
        .filter(pk=pk)
        .first()
    )
    if org is None:
        raise not_found()
    return org


def offices_for_user(user: Any) -> QuerySet[JointOffice]:
    scope = get_scope(user)
    return JointOffice.objects.filter(scope.units_q("unit__"))


def get_office_for_user(user: Any, code: str) -> JointOffice:
    office = offices_for_user(user).select_related("unit").filter(code=code).first()
    if office is None:
        raise not_found()
    return office


def can_manage_office(user: Any, office: JointOffice) -> bool:
    """The office head (or a site administrator) manages memberships and sub-committees."""
    scope = get_scope(user)
    return scope.is_admin or office.pk in scope.head_office_ids


def can_edit_areas(user: Any, commune: AdminUnit) -> bool:
    """Staff of the covering office and the commune's own reporter add residential areas."""
    scope = get_scope(user)
    if commune.level != AdminUnit.Level.COMMUNE:
        return False
    return scope.is_admin or scope.reaches(commune, write=True)
