"""Every list page and API list answers in a fixed number of queries whatever the data size.

The routes are read from the URL resolver (``khoi.testing.walk.list_routes``: every page,
export and API endpoint without a path parameter), so a list added tomorrow is measured
without editing this test. Each is fetched as the office's staff, its head and an
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
from khoi.testing.walk import list_routes

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
