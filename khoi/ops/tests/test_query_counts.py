"""Every list page and API list answers in a fixed number of queries whatever the data size.

The routes are read from the URL resolver (``khoi.testing.walk.list_routes``: every page,
export and API endpoint without a path parameter; ``param_routes``: every one with
parameters, filled with the ids of the first objects by ``route_samples``), so a list added
tomorrow is measured without editing this test, and a route with parameters that no sample
fills makes the test fail until it is filled or exempted with a reason. Each is fetched as the office's staff, its head and an
organization leader with one batch of data in every app (plans, activities, tasks,
meetings, documents, petitions, fund entries and households, campaigns), then with three
batches; the counts must be equal.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from khoi import clock
from khoi.testing.factories import World
from khoi.testing.walk import NOT_SAMPLED, WRITE_ONLY, list_routes, param_routes, route_samples

DAY = datetime.date(2020, 3, 2)
PERSONAS = ["staff", "office_head", "org_leader", "reporter"]
# Routes whose count may grow with the data, each with the reason.
EXEMPT: dict[str, str] = {}


def _batch(world: World, n: int, fund: Any) -> None:
    from khoi.campaigns import services as campaigns
    from khoi.documents.tests.factories import incoming, outgoing
    from khoi.fund import services as fund_services
    from khoi.meetings.tests.factories import meeting
    from khoi.petitions import services as petitions
    from khoi.petitions.models import Channel, Kind
    from khoi.work import services as work
    from khoi.work.tests.factories import activity

    head, staff = world.users["office_head"], world.users["staff"]
    with clock.use_date(DAY):
        work.do_create_plan(
            staff, world.office, title=f"Kế hoạch số {n}", organization=world.women,
            start_on=datetime.date(2020, 3, 1), end_on=datetime.date(2020, 3, 31),
        )  # fmt: skip
        act = activity(
            world, world.women, f"Tuyên truyền đợt {n}", start=datetime.date(2020, 3, n + 2),
            units=[world.commune, world.commune2],
        )  # fmt: skip
        for i in range(2):
            work.do_create_task(
                head, world.office, title=f"Việc {n}.{i}", due_on=datetime.date(2020, 3, 20 + i),
                assignee=world.people["staff"], activity=act,
            )  # fmt: skip
        meeting(world, day=datetime.date(2020, 3, n + 2), title=f"Giao ban tuần {n}")
        incoming(world, notation=f"{n}-NQ/TU")
        outgoing(world)
        petitions.do_create_petition(
            staff, world.office,
            petitions.Intake(
                kind=Kind.COMPLAINT, channel=Channel.POST, received_on=datetime.date(2020, 2, 20 + n),
                subject=f"Đơn số {n} về bồi thường đất", content="Đề nghị xem xét lại.",
                petitioners=[petitions.PetitionerData(f"Người gửi {n}", "Khu 5")],
                units=[world.commune],
            ),
        )  # fmt: skip
        campaigns.do_create_campaign(
            staff, world.office, kind="movement", title=f"Phong trào {n}",
            start_on=datetime.date(2020, 1, 1), organizations=[world.front, world.women],
        )  # fmt: skip
        fund_services.do_post_receipt(
            None, fund, amount=100_000 * n, date=datetime.date(2020, 2, n), donor_kind="person",
            donor_name=f"Nhà hảo tâm {n}",
        )  # fmt: skip
        fund_services.do_create_household(
            None, unit=world.commune, head_name=f"Chủ hộ số {n}", head_birth_year=1960 + n,
            address=f"Số {n} khu 3",
        )  # fmt: skip


def _counts(clients: dict[str, Client], routes: list[str]) -> dict[tuple[str, str], int]:
    out = {}
    with clock.use_date(DAY):
        for persona, client in clients.items():
            for path in routes:
                connection.queries_log.clear()  # the log keeps 9,000 queries at most
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path)
                if response.status_code == 200:
                    out[(persona, path)] = len(ctx.captured_queries)
    return out


@pytest.mark.django_db
def test_every_list_answers_in_the_same_number_of_queries_at_two_sizes(world: World) -> None:
    from khoi.fund import services as fund_services
    from khoi.fund.models import Fund

    fund = fund_services.do_create_fund(
        None, name="Quỹ Vì người nghèo phường Hà An", unit=world.commune,
        level=Fund.Level.COMMUNE, office=world.office,
    )  # fmt: skip
    fund_services.do_add_accountant(None, fund, world.users["staff"])
    _batch(world, 1, fund)
    clients = {}
    for persona in PERSONAS:
        client = Client()
        client.force_login(world.users[persona])
        clients[persona] = client
    routes = [path for path, _name in list_routes() if path not in EXEMPT]
    _counts(clients, routes)  # warm the per-process caches (calendars, content types)
    small = _counts(clients, routes)
    _batch(world, 2, fund)
    _batch(world, 3, fund)
    large = _counts(clients, routes)
    assert len(small) > 80, "most lists open for these personas"
    grew = [
        f"{persona} {path}: {small[(persona, path)]} → {large[(persona, path)]}"
        for persona, path in sorted(small)
        if (persona, path) in large and large[(persona, path)] != small[(persona, path)]
    ]
    assert not grew, "\n".join(grew)
    heavy = [f"{p} {path}: {n}" for (p, path), n in sorted(large.items()) if n > 60]
    assert not heavy, heavy


# --- routes with parameters ----------------------------------------------------------------------

# Routes with parameters whose count may grow with the data, each with the reason.
PARAM_EXEMPT: dict[str, str] = {}


def _grow(world: World, objects: dict[str, Any], n: int) -> None:
    """A batch that adds rows under the FIRST object of each kind (the one the walk opens;
    after the first batch every such list holds a row, so that the two sizes compare
    lists that hold rows, not an empty list with a full one):
    campaign figures of a new commune and an indicator, a cluster member, households and
    visits of the key project, a supervision of the programme, receipts of the fund, a
    person in the office and in the organization, an edit of the activity (its history)."""
    from khoi.campaigns import services as campaigns
    from khoi.campaigns.models import Cluster, ClusterMember, Indicator, Submission, Value
    from khoi.fund import services as fund_services
    from khoi.org import services as org
    from khoi.org.models import Membership, Organization
    from khoi.oversight.tests.factories import supervision
    from khoi.petitions import clearance
    from khoi.testing.factories import person, unit
    from khoi.work import services as work

    staff = world.users["staff"]
    campaign = objects["campaign"]
    with clock.use_date(DAY):
        commune = unit(f"Phường số {n}", 3, world.town)
        count = campaign.indicators.get(code="1")
        Value.objects.create(
            indicator=count, commune=commune, period="2020-Q1", year=2020, number=n
        )
        Submission.objects.create(
            campaign=campaign, commune=commune, period="2020-Q1", year=2020,
            status=Submission.Status.SUBMITTED,
        )  # fmt: skip
        campaigns.do_add_indicator(
            staff, campaign, code=f"9{n}", name=f"Chỉ tiêu số {n}", kind="number",
            level="commune", period_kind=Indicator.PeriodKind.QUARTER,
        )  # fmt: skip
        org_n = org.do_create_organization(
            None, kind=Organization.Kind.YOUTH, name=f"Đoàn thanh niên số {n}", unit=commune
        )
        cluster: Cluster = objects["cluster"]
        ClusterMember.objects.create(cluster=cluster, organization=org_n, name=org_n.name)
        for i in range(2):
            h = clearance.do_add_household(
                staff, objects["project"], unit=world.commune, head_name=f"Hộ {n}.{i}", on=DAY
            )
            clearance.do_record_visit(
                staff, objects["project"], kind="visit", held_on=DAY, by_whom="A",
                with_whom="B", outcome="C", household=h,
            )  # fmt: skip
        supervision(
            world, programme=objects["programme"], subject=f"Giám sát chuyên đề số {n}",
            planned_from=datetime.date(2020, 4, n), planned_until=datetime.date(2020, 5, n),
        )  # fmt: skip
        fund_services.do_post_receipt(
            None, objects["fund"], amount=50_000 * n, date=datetime.date(2020, 2, 10 + n),
            donor_kind="person", donor_name=f"Người góp số {n}",
        )  # fmt: skip
        # a household of the register in the same commune: the first one's likely matches
        fund_services.do_create_household(
            None, unit=world.commune, head_name=f"Hộ nghèo số {n}", head_birth_year=1950 + n,
            address=f"Số {n} khu 7",
        )  # fmt: skip
        p = person(f"Cán bộ số {n}", world.town)
        org.do_add_membership(
            None, p, role=Membership.Role.STAFF, start_on=DAY, office=world.office
        )
        q = person(f"Hội viên số {n}", world.town)
        org.do_add_membership(
            None, q, role=Membership.Role.MEMBER, start_on=DAY, organization=world.women
        )
        work.do_update_activity(staff, objects["activity"], title=f"Tuyên truyền, sửa lần {n}")


def _firsts(world: World) -> dict[str, Any]:
    """The first object of each kind (lowest id: the walk opens it at both sizes)."""
    from decimal import Decimal

    from khoi.campaigns import services as campaigns
    from khoi.campaigns.tests.factories import full_cells, setup_campaign
    from khoi.fund import services as fund_services
    from khoi.fund.models import Fund
    from khoi.oversight.tests.factories import programme
    from khoi.petitions import services as petitions
    from khoi.work.tests.factories import activity

    staff = world.users["staff"]
    with clock.use_date(DAY):
        c = setup_campaign(world)
        campaigns.do_save_figures(
            world.users["reporter"], c["campaign"], world.commune, "2020-Q1", full_cells(c)
        )
        cluster = campaigns.do_create_cluster(
            staff, world.office, name="Cụm thi đua các đoàn thể", kind="organizations",
            organizations=[world.front, world.women],
        )  # fmt: skip
        campaigns.do_set_scoring_table(
            staff, cluster, year=2020, base_points=Decimal(0),
            criteria=[campaigns.CriterionInput("Hoạt động", Decimal(100), "activities")],
        )  # fmt: skip
        fund = fund_services.do_create_fund(
            None, name="Quỹ Vì người nghèo phường Hà An", unit=world.commune,
            level=Fund.Level.COMMUNE, office=world.office,
        )  # fmt: skip
        fund_services.do_add_accountant(None, fund, staff)
        return {
            "campaign": c["campaign"],
            "cluster": cluster,
            "fund": fund,
            "project": petitions.do_create_key_project(
                staff, world.office, name="Khu công nghiệp cảng biển", units=[world.commune]
            ),
            "programme": programme(world, year=2020),
            "activity": activity(world, world.women, "Tuyên truyền pháp luật"),
        }


def _param_urls() -> tuple[dict[str, list[str]], list[str]]:
    """(url name → the URLs measured, routes that no sample fills)."""
    from django.apps import apps

    def rows(label: str) -> Any:
        return apps.get_model(label)._default_manager.all()

    urls: dict[str, list[str]] = {}
    unfilled = []
    for r in param_routes():
        if r.name in NOT_SAMPLED or r.name in WRITE_ONLY or r.name in PARAM_EXEMPT:
            continue
        samples = route_samples(r, rows, 1)
        if samples is None:
            unfilled.append(f"{r.name} {r.route}")
        else:
            urls.setdefault(r.name, []).extend(samples)
    return urls, unfilled


@pytest.mark.django_db
def test_every_route_with_parameters_answers_in_the_same_number_of_queries_at_two_sizes(
    world: World,
) -> None:
    """The lists under one object (a fund's entries, a project's households, a campaign's
    totals and completeness for a period, a cluster's ranking, a programme's supervisions,
    an office's people, an object's history...) and every other route with parameters,
    filled with the ids of the first objects, at one and at three batches of rows under
    those objects."""
    objects = _firsts(world)
    _grow(world, objects, 1)
    _batch(world, 1, objects["fund"])  # an object of every other app, for their detail routes
    clients = {}
    for persona in PERSONAS:
        client = Client()
        client.force_login(world.users[persona])
        clients[persona] = client
    by_name, unfilled = _param_urls()
    assert not unfilled, f"routes no sample fills (add them to walk.MULTI): {unfilled}"
    routes = [u for urls in by_name.values() for u in urls]
    _counts(clients, routes)  # warm the per-process caches
    small = _counts(clients, routes)
    for n in (2, 3):
        _grow(world, objects, n)
        _batch(world, n, objects["fund"])
    large = _counts(clients, routes)
    measured = {
        name
        for name, urls in by_name.items()
        if any((p, u) in small for p in PERSONAS for u in urls)
    }
    # the lists the review named are measured (answer 200 to one persona at least)
    named = {
        "api:list_entries", "api:list_households", "api:project_timeline", "api:list_indicators",
        "api:totals", "api:completeness", "api:cluster_ranking", "api:programme_warnings",
        "audit:history", "campaigns:detail", "oversight:programme_detail", "org:office_detail",
        "org:unit_detail", "petitions:project_detail", "public:fund_detail",
    }  # fmt: skip
    grew = [
        f"{persona} {path}: {small[(persona, path)]} → {large[(persona, path)]}"
        for persona, path in sorted(small)
        if (persona, path) in large and large[(persona, path)] != small[(persona, path)]
    ]
    assert not grew, "\n".join(grew)
    assert named <= measured, sorted(named - measured)
    assert len(measured) > 60, (len(measured), sorted(set(by_name) - measured))
