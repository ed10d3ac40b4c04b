"""The person's scope is read in one query, with the session's user: the same answer as
the model-by-model reading it replaced, for every persona; nothing outlives the request."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khoi import clock
from khoi.accounts.access import (
    OFFICE_STAFF_ROLES,
    Scope,
    _drop_nested,
    full_read_office_ids,
    get_scope,
    load_user_with_scope,
    readable_office_ids,
)
from khoi.org import services
from khoi.org.models import (
    Delegation,
    JointOffice,
    Membership,
    UnitGrant,
    active_q,
    subtree_q,
)
from khoi.testing.factories import START, person, unit

pytestmark = pytest.mark.django_db


def _reference(user: Any) -> dict[str, Any]:
    """The scope as it was read before (memberships, delegations, grants, offices: one
    query each), kept here as the oracle."""
    today = clock.today()
    s = Scope(user_id=user.pk, is_admin=bool(user.is_superuser and user.is_active))
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    roots: dict[int, Any] = {}
    write_roots: dict[int, Any] = {}
    if person is not None and person.is_active:
        s.person_id = person.pk
        deputy: set[int] = set()
        m: Any
        for m in Membership.objects.filter(active_q(day=today), person=person):
            if m.office_id is not None:
                roots[m.office.unit_id] = m.office.unit
                if m.role in OFFICE_STAFF_ROLES:
                    s.staff_office_ids.add(m.office_id)
                    write_roots[m.office.unit_id] = m.office.unit
                if m.role == Membership.Role.OFFICE_HEAD:
                    s.head_office_ids.add(m.office_id)
                if m.role == Membership.Role.OFFICE_DEPUTY:
                    deputy.add(m.office_id)
            elif m.subcommittee_id is not None:
                roots[m.subcommittee.office.unit_id] = m.subcommittee.office.unit
                s.subcommittee_ids.add(m.subcommittee_id)
            else:
                org = m.organization
                s.member_org_ids.add(org.pk)
                roots[org.unit_id] = org.unit
                if m.role == Membership.Role.REPORTER:
                    s.reporter_unit_ids.add(org.unit_id)
                    write_roots[org.unit_id] = org.unit
                elif m.role in Membership.LEADER_ROLES:
                    s.led_org_ids.add(org.pk)
        s.acting_head_office_ids = set(
            Delegation.objects.filter(
                active_q(day=today), deputy=person, office_id__in=deputy
            ).values_list("office_id", flat=True)
        )
        s.head_office_ids |= s.acting_head_office_ids
    for grant in UnitGrant.objects.filter(active_q(day=today), user=user):
        roots[grant.unit_id] = grant.unit
        s.grant_roots.append(grant.unit)
    full: set[int] | None = None
    readable: set[int] | None = None
    if not s.is_admin:
        full = set(s.staff_office_ids)
        for root in s.grant_roots:
            full |= set(
                JointOffice.objects.filter(subtree_q(root, "unit__")).values_list("pk", flat=True)
            )
        readable = full | set(
            JointOffice.objects.filter(organizations__in=s.member_org_ids).values_list(
                "pk", flat=True
            )
        )
    s.roots = _drop_nested(list(roots.values()))
    return _summary(s, s.roots, _drop_nested(list(write_roots.values())), full, readable)


def _summary(s: Scope, roots: Any, write_roots: Any, full: Any, readable: Any) -> dict[str, Any]:
    return {
        "is_admin": s.is_admin, "person": s.person_id, "head": s.head_office_ids,
        "acting": s.acting_head_office_ids, "staff": s.staff_office_ids, "led": s.led_org_ids,
        "member": s.member_org_ids, "reporter": s.reporter_unit_ids,
        "subcommittees": s.subcommittee_ids, "roots": {u.pk for u in roots},
        "write_roots": {u.pk for u in write_roots}, "grant_roots": {u.pk for u in s.grant_roots},
        "full": full, "readable": readable, "personas": s.personas,
    }  # fmt: skip


def _one_query(user: Any) -> dict[str, Any]:
    with CaptureQueriesContext(connection) as ctx:
        loaded = load_user_with_scope(str(user.pk))
    assert len(ctx.captured_queries) == 1
    assert loaded is not None and loaded.pk == user.pk and loaded.password == user.password
    with CaptureQueriesContext(connection) as ctx:
        s = get_scope(loaded)
        full, readable = full_read_office_ids(s), readable_office_ids(loaded)
    assert ctx.captured_queries == []  # everything came with the user
    return _summary(s, s.roots, s.write_roots, full, readable)


def _more_people(world: Any) -> dict[str, Any]:
    """A deputy acting by delegation, one without, a sub-committee member, an ended
    membership, an inactive person, a viewer granted a province and one granted a commune."""
    R = Membership.Role
    out: dict[str, Any] = {}
    for name in ("acting", "deputy", "sub", "ended", "inactive"):
        p = person(f"Người {name}", world.town, name)
        out[name] = p
    services.do_add_membership(
        None, out["acting"], role=R.OFFICE_DEPUTY, start_on=START, office=world.office
    )
    services.do_delegate(None, world.office, out["acting"], start_on=START)
    services.do_add_membership(
        None, out["deputy"], role=R.OFFICE_DEPUTY, start_on=START, office=world.office
    )
    sub = services.do_add_subcommittee(None, world.office, "Tiểu ban tuyên truyền")
    services.do_add_membership(None, out["sub"], role=R.MEMBER, start_on=START, subcommittee=sub)
    m = services.do_add_membership(
        None, out["ended"], role=R.STAFF, start_on=START, office=world.office
    )
    services.do_end_membership(None, m, datetime.date(2020, 6, 30))
    services.do_add_membership(
        None, out["inactive"], role=R.STAFF, start_on=START, office=world.office
    )
    out["inactive"].is_active = False
    out["inactive"].save(update_fields=["is_active"])
    users = {k: p.user for k, p in out.items()}
    province_viewer = person("Thanh tra tỉnh", world.province, "provviewer").user
    services.do_grant_unit(None, province_viewer, world.province)
    users["province_viewer"] = province_viewer
    far = unit("Tỉnh Lạng Sơn", 1)
    far_office = services.do_create_office(
        None,
        code="lang-son",
        name="Cơ quan Khối Lạng Sơn",
        unit=far,
        established_on=None,
        organizations=[],
    )
    commune_viewer = person("Kiểm tra xã", world.commune, "communeviewer").user
    services.do_grant_unit(None, commune_viewer, world.commune)
    users["commune_viewer"] = commune_viewer
    assert far_office.pk
    return users


def test_the_one_query_scope_equals_the_model_by_model_reading_for_every_persona(
    world: Any,
) -> None:
    users = {**world.users, **_more_people(world)}
    for name, user in users.items():
        assert _one_query(user) == _reference(user), name
    assert _one_query(users["acting"])["acting"] == {world.office.pk}
    assert _one_query(users["deputy"])["head"] == set()
    assert _one_query(users["ended"])["staff"] == set()
    assert _one_query(users["inactive"])["person"] is None
    assert world.office.pk in _one_query(users["province_viewer"])["full"]


def test_a_page_reads_session_then_user_and_scope_and_an_ended_membership_counts_next(
    world: Any,
) -> None:
    staff = world.users["staff"]
    client = Client()
    client.force_login(staff)
    url = reverse("documents:list")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert "django_session" in sql[0] and "sc_k" in sql[1]
    assert not any("org_membership" in q or "org_unitgrant" in q for q in sql[2:])
    signed_in: Any = response.wsgi_request.user
    assert signed_in._khoi_scope.staff_office_ids == {world.office.pk}
    m = Membership.objects.get(person__user=staff, office=world.office)
    services.do_end_membership(None, m, clock.today() - datetime.timedelta(days=1))
    signed_in = client.get(reverse("home")).wsgi_request.user
    assert signed_in._khoi_scope.staff_office_ids == set()
    assert load_user_with_scope("not a number") is None
    assert load_user_with_scope(10**9) is None
