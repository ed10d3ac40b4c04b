"""Who may see and do what: the scope of a user, shared by every app's access helpers.

A user's reach is derived from two things only: their active memberships
(organization × role, office × role) and the unit subtrees granted to them. An object
out of reach is answered exactly like a missing one (404), never with 403.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404

from khoi import clock
from khoi.org.models import (
    AdminUnit,
    Delegation,
    JointOffice,
    Membership,
    Organization,
    Person,
    SubCommittee,
    UnitGrant,
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
    scope = _compute_scope(user, _scope_rows(user.pk, clock.today()))
    user._khoi_scope = scope
    return scope


def load_user_with_scope(user_id: Any) -> Any | None:
    """The user of a session and their scope, in one query (the session's user is loaded
    once per request: ``backends.UsernameOrEmailBackend.get_user``). None when no such user.

    The scope is computed from the rows of this request's query and kept on the user object,
    which lives for this request only: a revoked membership or grant counts from the next
    request on, as before."""
    from django.contrib.auth import get_user_model

    model: Any = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    global _USER_SCOPE_SQL
    if _USER_SCOPE_SQL is None:
        _USER_SCOPE_SQL = _user_scope_sql(model)
    found: list[Any] = list(model.objects.raw(_USER_SCOPE_SQL, {"user": pk, "day": clock.today()}))
    if not found:
        return None
    names = [f.attname for f in AdminUnit._meta.concrete_fields]
    rows: list[ScopeRow] = []
    for row in found:
        if row.sc_k is None:
            continue
        unit_values = [getattr(row, f"su_{n}") for n in names]
        unit = (
            AdminUnit.from_db(row._state.db, names, unit_values)
            if unit_values[0] is not None
            else None
        )
        rows.append(
            (row.sc_k, row.sc_role, row.sc_office, row.sc_org, row.sc_sub, row.sc_ref, unit)
        )
    user = found[0]
    for extra in [a for a in vars(user) if a.startswith(("sc_", "su_"))]:
        delattr(user, extra)
    user._khoi_scope = _compute_scope(user, rows)
    return user


def _compute_scope(user: Any, rows: list[ScopeRow]) -> Scope:
    """The scope from the rows of one query (:data:`_SCOPE_TEMPLATE`): the person, their
    memberships in force with the unit each reaches, the head's delegations to them, their
    unit grants, and the offices these make readable. Nothing is kept between requests."""
    scope = Scope(user_id=user.pk, is_admin=bool(user.is_superuser and user.is_active))
    roots: dict[int, AdminUnit] = {}
    write_roots: dict[int, AdminUnit] = {}
    deputy_offices: set[int] = set()
    delegated: set[int] = set()
    member_offices: set[int] = set()
    grant_offices: set[int] = set()
    for kind, role, office_id, org_id, sub_id, ref_id, unit in rows:
        if kind == "p":
            scope.person_id = ref_id
        elif kind == "m":
            assert unit is not None
            if office_id is not None:
                roots[unit.pk] = unit
                if role in OFFICE_STAFF_ROLES:
                    scope.staff_office_ids.add(office_id)
                    write_roots[unit.pk] = unit
                if role == Membership.Role.OFFICE_HEAD:
                    scope.head_office_ids.add(office_id)
                if role == Membership.Role.OFFICE_DEPUTY:
                    deputy_offices.add(office_id)
            elif sub_id is not None:
                roots[unit.pk] = unit
                scope.subcommittee_ids.add(sub_id)
            elif org_id is not None:
                scope.member_org_ids.add(org_id)
                roots[unit.pk] = unit
                if role == Membership.Role.REPORTER:
                    scope.reporter_unit_ids.add(unit.pk)
                    write_roots[unit.pk] = unit
                elif role in Membership.LEADER_ROLES:
                    scope.led_org_ids.add(org_id)
        elif kind == "d" and office_id is not None:
            delegated.add(office_id)
        elif kind == "g":
            assert unit is not None
            roots[unit.pk] = unit
            scope.grant_roots.append(unit)
        elif kind == "r" and office_id is not None:
            member_offices.add(office_id)
        elif kind == "f" and office_id is not None:
            grant_offices.add(office_id)
    # a deputy acts for the head where and while the head delegated it
    scope.acting_head_office_ids = delegated & deputy_offices
    scope.head_office_ids |= scope.acting_head_office_ids
    scope.roots = _drop_nested(list(roots.values()))
    scope.write_roots = _drop_nested(list(write_roots.values()))
    if not scope.is_admin:
        scope._full_read = set(scope.staff_office_ids) | grant_offices
        scope._readable = scope._full_read | member_offices
    return scope


# The one query of the scope. Every branch gives (kind, role, office, organization,
# sub-committee, row id, unit); ``%(user)s`` and ``%(day)s`` are parameters, the names in
# braces the models' tables and columns. Kinds: p the person, m a membership in force with
# the unit it reaches, d the head's delegation to the person in force, g a unit grant in
# force, r an office of an organization the person is a member of, f an office inside a
# granted unit.
_SCOPE_TEMPLATE = """
SELECT x.k, x.role, x.office_id, x.org_id, x.sub_id, x.ref_id, {unit_cols}
FROM (
  SELECT 'p' AS k, {null_s} AS role, {null_i} AS office_id, {null_i} AS org_id,
         {null_i} AS sub_id, p.id AS ref_id, {null_i} AS unit_id
  FROM {person} p WHERE p.user_id = %(user)s AND p.is_active
  UNION ALL
  SELECT 'm', m.role, m.office_id, m.organization_id, m.subcommittee_id, m.id,
         COALESCE(o.unit_id, g.unit_id, so.unit_id)
  FROM {membership} m JOIN {person} p ON p.id = m.person_id
  LEFT JOIN {office} o ON o.id = m.office_id
  LEFT JOIN {organization} g ON g.id = m.organization_id
  LEFT JOIN {subcommittee} s ON s.id = m.subcommittee_id
  LEFT JOIN {office} so ON so.id = s.office_id
  WHERE p.user_id = %(user)s AND p.is_active
    AND m.start_on <= %(day)s AND (m.end_on IS NULL OR m.end_on >= %(day)s)
  UNION ALL
  SELECT 'd', {null_s}, d.office_id, {null_i}, {null_i}, d.id, {null_i}
  FROM {delegation} d JOIN {person} p ON p.id = d.deputy_id
  WHERE p.user_id = %(user)s AND p.is_active
    AND d.start_on <= %(day)s AND (d.end_on IS NULL OR d.end_on >= %(day)s)
  UNION ALL
  SELECT 'g', {null_s}, {null_i}, {null_i}, {null_i}, gr.id, gr.unit_id
  FROM {grant} gr
  WHERE gr.user_id = %(user)s
    AND gr.start_on <= %(day)s AND (gr.end_on IS NULL OR gr.end_on >= %(day)s)
  UNION ALL
  SELECT 'r', {null_s}, t.{through_office}, {null_i}, {null_i}, {null_i}, {null_i}
  FROM {through} t JOIN {membership} m ON m.organization_id = t.{through_org}
  JOIN {person} p ON p.id = m.person_id
  WHERE p.user_id = %(user)s AND p.is_active
    AND m.start_on <= %(day)s AND (m.end_on IS NULL OR m.end_on >= %(day)s)
  UNION ALL
  SELECT 'f', {null_s}, o.id, {null_i}, {null_i}, {null_i}, {null_i}
  FROM {grant} gr JOIN {office} o ON o.unit_id = gr.unit_id
  WHERE gr.user_id = %(user)s
    AND gr.start_on <= %(day)s AND (gr.end_on IS NULL OR gr.end_on >= %(day)s)
  UNION ALL
  SELECT 'f', {null_s}, o.id, {null_i}, {null_i}, {null_i}, {null_i}
  FROM {grant} gr
  JOIN {unit} ou ON (ou.province_id = gr.unit_id OR ou.district_id = gr.unit_id)
  JOIN {office} o ON o.unit_id = ou.id
  WHERE gr.user_id = %(user)s
    AND gr.start_on <= %(day)s AND (gr.end_on IS NULL OR gr.end_on >= %(day)s)
) x
LEFT JOIN {unit} u ON u.id = x.unit_id
"""


def _scope_sql() -> str:
    """:data:`_SCOPE_TEMPLATE` with the models' tables and columns."""
    through = JointOffice.organizations.through._meta
    return _SCOPE_TEMPLATE.format(
        unit_cols=", ".join(f"u.{f.column}" for f in AdminUnit._meta.concrete_fields),
        null_i="CAST(NULL AS integer)",
        null_s="CAST(NULL AS varchar(24))",
        person=Person._meta.db_table,
        membership=Membership._meta.db_table,
        office=JointOffice._meta.db_table,
        organization=Organization._meta.db_table,
        subcommittee=SubCommittee._meta.db_table,
        delegation=Delegation._meta.db_table,
        grant=UnitGrant._meta.db_table,
        unit=AdminUnit._meta.db_table,
        through=through.db_table,
        through_office=through.get_field("jointoffice").column,
        through_org=through.get_field("organization").column,
    )


def _user_scope_sql(model: Any) -> str:
    """The user's row joined to every row of their scope (the user's columns by name, the
    scope's prefixed ``sc_``, its units' ``su_``)."""
    unit_cols = ", ".join(
        f"sc.{f.column} AS su_{f.attname}" for f in AdminUnit._meta.concrete_fields
    )
    return (
        "SELECT usr.*, sc.k AS sc_k, sc.role AS sc_role, sc.office_id AS sc_office, "  # noqa: S608 - model tables
        f"sc.org_id AS sc_org, sc.sub_id AS sc_sub, sc.ref_id AS sc_ref, {unit_cols} "
        f"FROM {model._meta.db_table} usr LEFT JOIN ({_scope_sql()}) sc ON 1 = 1 "
        f"WHERE usr.{model._meta.pk.column} = %(user)s"
    )


_SCOPE_SQL: str | None = None
_USER_SCOPE_SQL: str | None = None
ScopeRow = tuple[str, str | None, int | None, int | None, int | None, int | None, AdminUnit | None]


def _scope_rows(user_id: int, today: datetime.date) -> list[ScopeRow]:
    global _SCOPE_SQL
    if _SCOPE_SQL is None:
        _SCOPE_SQL = _scope_sql()
    names = [f.attname for f in AdminUnit._meta.concrete_fields]
    db = router.db_for_read(Membership)
    with connections[db].cursor() as cursor:
        cursor.execute(_SCOPE_SQL, {"user": user_id, "day": today})
        rows = cursor.fetchall()
    out: list[ScopeRow] = []
    for row in rows:
        unit_values = row[6:]
        unit = AdminUnit.from_db(db, names, unit_values) if unit_values[0] is not None else None
        out.append((row[0], row[1], row[2], row[3], row[4], row[5], unit))
    return out


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


class _KnownOffices(QuerySet[JointOffice]):
    """Offices by the ids of a scope. The scope read each id from a row that references the
    office (a foreign key), in this request, so whether there is any is known: ``exists()``
    answers without a query. Any refinement (``filter``, ``order_by``…) is a clone, which
    asks the database as usual."""

    _known: bool | None = None

    def exists(self) -> bool:
        if self._known is not None:
            return self._known
        return super().exists()


def _offices_by_ids(ids: set[int]) -> QuerySet[JointOffice]:
    qs = _KnownOffices(model=JointOffice).filter(pk__in=ids)
    qs._known = bool(ids)
    return qs


def readable_offices(user: Any) -> QuerySet[JointOffice]:
    """The offices of :func:`readable_office_ids`, as a query."""
    ids = readable_office_ids(user)
    return JointOffice.objects.all() if ids is None else _offices_by_ids(ids)


def staff_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices the user works in as staff or head (keeps their register, meetings…)."""
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all()
    return _offices_by_ids(scope.staff_office_ids)


def head_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices the user heads (approves merges, assigns tasks…)."""
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all()
    return _offices_by_ids(scope.head_office_ids)


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
