"""The campaign list: the offices a user reads campaigns of are small subqueries (not an ORed
condition over every office joined to its organizations with DISTINCT), the same offices as
the rule says, and the page runs a fixed number of queries whatever the number of offices,
campaigns and clusters (at national size the former condition read every office and its
links four times per page: bench/README.md, "Session 6")."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from khoi.accounts.access import full_read_office_ids, get_scope
from khoi.campaigns import access
from khoi.campaigns import services as campaign_services
from khoi.campaigns.models import Campaign, Cluster
from khoi.org import services as org_services
from khoi.org.models import AdminUnit, JointOffice, Membership, Organization
from khoi.testing.factories import START, person, unit

pytestmark = pytest.mark.django_db
PERSONAS = ["reporter", "org_leader", "staff", "office_head", "viewer", "other_staff"]


def _rule(user: Any) -> set[int]:
    """The rule as the list applied it before (an ORed condition, DISTINCT)."""
    scope = get_scope(user)
    ids = full_read_office_ids(scope)
    assert ids is not None
    q = Q(pk__in=ids)
    if scope.member_org_ids:
        q |= Q(organizations__in=scope.member_org_ids)
    if scope.reporter_unit_ids:
        mine = AdminUnit.objects.filter(pk__in=scope.reporter_unit_ids)
        q |= Q(unit__in=mine.values("district_id")) | Q(unit__in=mine.values("province_id"))
    return set(JointOffice.objects.filter(q).distinct().values_list("pk", flat=True))


def _grow(world: Any, n: int) -> None:
    """More of everything the list reads: offices in the province (one at the province's own
    level, whose campaigns a commune reporter reads), offices the women's union belongs to,
    campaigns and clusters in each."""
    staff = world.users["staff"]
    for i in range(n):
        town = unit(f"Thị xã Thêm {n}-{i}", 2, world.province)
        org = org_services.do_create_organization(
            None, kind=Organization.Kind.FRONT, name=f"Ủy ban MTTQ thêm {n}-{i}", unit=town
        )
        office = org_services.do_create_office(
            None, code=f"them-{n}-{i}", name=f"Cơ quan Khối thêm {n}-{i}", unit=town,
            established_on=None, organizations=[org, world.women],
        )  # fmt: skip
        manager = person(f"Cán bộ thêm {n}-{i}", town, f"them{n}{i}")
        org_services.do_add_membership(
            None, manager, role=Membership.Role.STAFF, start_on=START, office=office
        )
        campaign_services.do_create_campaign(
            manager.user, office, kind=Campaign.Kind.CAMPAIGN, title=f"Cuộc vận động {n}-{i}",
            start_on=datetime.date(2017, 1, 1),
        )  # fmt: skip
        Cluster.objects.create(office=office, name=f"Cụm {n}-{i}", kind=Cluster.Kind.COMMUNES)
    province_office = JointOffice.objects.filter(unit=world.province).first()
    if province_office is None:
        province_office = org_services.do_create_office(
            None, code="tinh", name="Cơ quan Khối tỉnh", unit=world.province,
            established_on=None, organizations=[],
        )  # fmt: skip
    Campaign.objects.create(
        office=province_office, kind=Campaign.Kind.MOVEMENT, title=f"Phong trào tỉnh {n}",
        start_on=datetime.date(2017, 1, 1),
    )  # fmt: skip
    campaign_services.do_create_campaign(
        staff, world.office, kind=Campaign.Kind.CAMPAIGN, title=f"Cuộc vận động Quảng Yên {n}",
        start_on=datetime.date(2017, 1, 1),
    )  # fmt: skip
    Cluster.objects.create(office=world.office, name=f"Cụm Quảng Yên {n}", kind="communes")


def _list(world: Any, persona: str) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users[persona])
    client.get("/campaigns/")  # the session's first touch is not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/campaigns/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_offices_are_the_rule_s_and_asked_once(world: Any) -> None:
    _grow(world, 2)
    for persona in PERSONAS:
        fresh = type(world.users[persona]).objects.get(pk=world.users[persona].pk)
        assert access.office_ids_for_user(fresh) == _rule(fresh), persona
        with CaptureQueriesContext(connection) as ctx:
            list(access.offices_for_user(fresh))
            list(access.campaigns_for_user(fresh))
            list(access.clusters_for_user(fresh))
        # one query each (the offices as subqueries), none joining offices to their links
        assert len(ctx.captured_queries) == 3, persona
        assert not [q["sql"] for q in ctx.captured_queries if "DISTINCT" in q["sql"]], persona
    # the reporter reads its town's and its province's campaigns, not the other towns'
    reporter = world.users["reporter"]
    seen = set(access.campaigns_for_user(reporter).values_list("title", flat=True))
    assert {"Cuộc vận động Quảng Yên 2", "Phong trào tỉnh 2"} <= seen
    assert not [t for t in seen if t.startswith("Cuộc vận động 2-")]
    # the women's union's leader reads the campaigns of every office it belongs to
    leader = set(
        access.campaigns_for_user(world.users["org_leader"]).values_list("title", flat=True)
    )
    assert {"Cuộc vận động 2-0", "Cuộc vận động 2-1"} <= leader


def test_the_list_runs_a_fixed_number_of_queries(world: Any) -> None:
    _grow(world, 1)
    few = {p: _list(world, p)[0] for p in PERSONAS}
    _grow(world, 4)
    more = {p: _list(world, p) for p in PERSONAS}
    assert {p: n for p, (n, _) in more.items()} == few
    assert max(few.values()) <= 12
    # the added campaigns are on the page of those who read them
    assert "Phong trào tỉnh 4" in more["reporter"][1]
    assert "Cuộc vận động 4-3" in more["org_leader"][1]
    assert "Cuộc vận động 4-3" not in more["staff"][1]
