"""Who may see and do what: the scope of a user, shared by every app's access helpers.

A user's reach is derived from two things only: their active memberships
(organization × role, office × role) and the unit subtrees granted to them. An object
out of reach is answered exactly like a missing one (404), never with 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from khoi import clock
from khoi.org.models import (
    AdminUnit,
    Delegation,
    JointOffice,
    Membership,
    UnitGrant,
    active_q,
    subtree_q,
)

# Office roles that make a person one of the office's staff (the deputy acts for the head
# only where and while a ``Delegation`` says so).
OFFICE_STAFF_ROLES = frozenset(
    {Membership.Role.OFFICE_HEAD, Membership.Role.OFFICE_DEPUTY, Membership.Role.STAFF}
)


@dataclass
class Scope:
    """What one user can reach, computed once per request."""

    user_id: int | None
    is_admin: bool = False
    head_office_ids: set[int] = field(default_factory=set)  # heads, and deputies acting
    acting_head_office_ids: set[int] = field(default_factory=set)  # deputies by delegation
    staff_office_ids: set[int] = field(default_factory=set)
    led_org_ids: set[int] = field(default_factory=set)
    member_org_ids: set[int] = field(default_factory=set)
    reporter_unit_ids: set[int] = field(default_factory=set)
    roots: list[AdminUnit] = field(default_factory=list)
    write_roots: list[AdminUnit] = field(default_factory=list)
    grant_roots: list[AdminUnit] = field(default_factory=list)
    subcommittee_ids: set[int] = field(default_factory=set)
    person_id: int | None = None
    _full_read: set[int] | None = field(default=None, repr=False)
    _readable: set[int] | None = field(default=None, repr=False)

    @property
    def is_outsider(self) -> bool:
        return not self.is_admin and not self.roots

    @property
    def personas(self) -> list[str]:
        """Persona codes, for display and for tests."""
        out = []
        if self.is_admin:
            out.append("admin")
        if self.head_office_ids:
            out.append("office_head")
        if self.staff_office_ids - self.head_office_ids:
            out.append("office_staff")
        if self.led_org_ids:
            out.append("org_leader")
        if self.reporter_unit_ids:
            out.append("unit_reporter")
        if not out and self.roots:
            out.append("viewer")
        return out

    def units_q(self, prefix: str = "", *, write: bool = False) -> Q:
        """Q on a unit relation (``prefix`` like ``"unit__"``) within this scope."""
        if self.is_admin:
            return Q()
        roots = self.write_roots if write else self.roots
        if not roots:
            return Q(pk__in=[])
        q = Q()
        for root in roots:
            q |= subtree_q(root, prefix)
        return q

    def reaches(self, unit: AdminUnit, *, write: bool = False) -> bool:
        if self.is_admin:
            return True
        ids = {unit.pk, unit.province_id, unit.district_id}
        roots = self.write_roots if write else self.roots
        return any(root.pk in ids for root in roots)


def get_scope(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope(user_id=None)
    cached = getattr(user, "_khoi_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._khoi_scope = scope
    return scope


def _compute_scope(user: Any) -> Scope:
    today = clock.today()
    scope = Scope(user_id=user.pk, is_admin=bool(user.is_superuser and user.is_active))
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    roots: dict[int, AdminUnit] = {}
    write_roots: dict[int, AdminUnit] = {}
    if person is not None and person.is_active:
        scope.person_id = person.pk
        active = Membership.objects.filter(active_q(day=today), person=person).select_related(
            "organization__unit__province",
            "organization__unit__district",
            "office__unit",
            "subcommittee__office__unit",
        )
        deputy_offices: set[int] = set()
        for m in active:
            if m.office_id is not None and m.office is not None:
                roots[m.office.unit_id] = m.office.unit
                if m.role in OFFICE_STAFF_ROLES:
                    scope.staff_office_ids.add(m.office_id)
                    write_roots[m.office.unit_id] = m.office.unit
                if m.role == Membership.Role.OFFICE_HEAD:
                    scope.head_office_ids.add(m.office_id)
                if m.role == Membership.Role.OFFICE_DEPUTY:
                    deputy_offices.add(m.office_id)
            elif m.subcommittee_id is not None and m.subcommittee is not None:
                roots[m.subcommittee.office.unit_id] = m.subcommittee.office.unit
                scope.subcommittee_ids.add(m.subcommittee_id)
            elif m.organization is not None:
                org = m.organization
                scope.member_org_ids.add(org.pk)
                if m.role == Membership.Role.REPORTER:
                    scope.reporter_unit_ids.add(org.unit_id)
                    roots[org.unit_id] = org.unit
                    write_roots[org.unit_id] = org.unit
                else:
                    if m.role in Membership.LEADER_ROLES:
                        scope.led_org_ids.add(org.pk)
                    roots[org.unit_id] = org.unit
        if deputy_offices:
            # a deputy acts for the head where and while the head delegated it
            acting = Delegation.objects.filter(
                active_q(day=today), deputy=person, office_id__in=deputy_offices
            ).values_list("office_id", flat=True)
            scope.acting_head_office_ids = set(acting)
            scope.head_office_ids |= scope.acting_head_office_ids
    for grant in UnitGrant.objects.filter(active_q(day=today), user=user).select_related("unit"):
        roots[grant.unit_id] = grant.unit
        scope.grant_roots.append(grant.unit)
    scope.roots = _drop_nested(list(roots.values()))
    scope.write_roots = _drop_nested(list(write_roots.values()))
    return scope


def _drop_nested(units: list[AdminUnit]) -> list[AdminUnit]:
    ids = {u.pk for u in units}
    return [u for u in units if not ({u.province_id, u.district_id} & ids)]


def full_read_office_ids(scope: Scope) -> set[int] | None:
    """Offices whose whole work the user reads; None means every office (admin).

    Office staff and heads read their offices; viewers every office inside a granted unit.
    Computed once per request (one query when the user has grants).
    """
    if scope.is_admin:
        return None
    if scope._full_read is None:
        ids = set(scope.staff_office_ids)
        if scope.grant_roots:
            q = Q(pk__in=[])
            for root in scope.grant_roots:
                q |= subtree_q(root, "unit__")
            ids |= set(JointOffice.objects.filter(q).values_list("pk", flat=True))
        scope._full_read = ids
    return set(scope._full_read)


# --- Which offices: the one place that answers it ----------------------------------------------


def _office_pk(office: JointOffice | int) -> int:
    return office if isinstance(office, int) else office.pk


def readable_office_ids(user: Any) -> set[int] | None:
    """Offices whose records (register, reports, meetings, plans) the user reads at all;
    None means every office (admin).

    Office staff and heads read their offices, viewers every office inside a granted unit
    (:func:`full_read_office_ids`), and members of an organization (leaders included) the
    offices their organization belongs to. Computed once per request.
    """
    scope = get_scope(user)
    if scope.is_admin:
        return None
    if scope._readable is None:
        ids = full_read_office_ids(scope) or set()
        if scope.member_org_ids:
            ids |= set(
                JointOffice.objects.filter(organizations__in=scope.member_org_ids).values_list(
                    "pk", flat=True
                )
            )
        scope._readable = ids
    return set(scope._readable)


def readable_offices(user: Any) -> QuerySet[JointOffice]:
    """The offices of :func:`readable_office_ids`, as a query."""
    ids = readable_office_ids(user)
    return JointOffice.objects.all() if ids is None else JointOffice.objects.filter(pk__in=ids)


def staff_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices the user works in as staff or head (keeps their register, meetings…)."""
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all()
    return JointOffice.objects.filter(pk__in=scope.staff_office_ids)


def head_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices the user heads (approves merges, assigns tasks…)."""
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all()
    return JointOffice.objects.filter(pk__in=scope.head_office_ids)


def assignable_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices where the user assigns tasks: those they head, and those one of the
    organizations they lead belongs to."""
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all()
    ids = JointOffice.objects.filter(
        Q(pk__in=scope.head_office_ids) | Q(organizations__in=scope.led_org_ids)
    ).values("pk")
    return JointOffice.objects.filter(pk__in=ids)


def can_read_office(user: Any, office: JointOffice | int) -> bool:
    ids = readable_office_ids(user)
    return ids is None or _office_pk(office) in ids


def can_staff_office(user: Any, office: JointOffice | int) -> bool:
    scope = get_scope(user)
    return scope.is_admin or _office_pk(office) in scope.staff_office_ids


def can_head_office(user: Any, office: JointOffice | int) -> bool:
    scope = get_scope(user)
    return scope.is_admin or _office_pk(office) in scope.head_office_ids


def can_assign_in(user: Any, office: JointOffice | int) -> bool:
    """The office head and the leaders of the office's member organizations assign tasks."""
    scope = get_scope(user)
    if scope.is_admin or _office_pk(office) in scope.head_office_ids:
        return True
    if not scope.led_org_ids:
        return False
    return JointOffice.objects.filter(
        pk=_office_pk(office), organizations__in=scope.led_org_ids
    ).exists()


def not_found() -> Http404:
    """The one answer for both missing and forbidden objects."""
    return Http404("Không tìm thấy hoặc bạn không có quyền xem.")


def is_office_head(user: Any, office: JointOffice | int) -> bool:
    return can_head_office(user, office)


def is_office_staff(user: Any, office: JointOffice | int) -> bool:
    return can_staff_office(user, office)
