"""Links only to what opens: every menu entry a persona sees opens for that persona."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khoi import links
from khoi.testing.factories import World

PERSONAS = [
    "office_head",
    "org_leader",
    "staff",
    "other_staff",
    "reporter",
    "viewer",
    "outsider",
    "admin",
]

NAV = re.compile(r'<nav class="mainnav">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_entry_opens_for_the_persona(world: World, as_user, persona: str) -> None:
    client = as_user(persona)
    home = client.get("/")
    assert home.status_code == 200
    nav = NAV.search(home.content.decode())
    assert nav is not None
    hrefs = HREF.findall(nav.group(1))
    assert hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, (persona, href)


def test_the_reporter_is_not_offered_the_register_or_the_reports(world: World, as_user) -> None:
    nav = NAV.search(as_user("reporter").get("/").content.decode())
    assert nav is not None
    assert "/documents/" not in nav.group(1)
    assert "/documents/reports/" not in nav.group(1)
    staff_nav = NAV.search(as_user("staff").get("/").content.decode())
    assert staff_nav is not None and "/documents/" in staff_nav.group(1)


def test_only_the_site_administrator_gets_the_admin_link(world: World, as_user) -> None:
    for persona in PERSONAS:
        nav = NAV.search(as_user(persona).get("/").content.decode())
        assert nav is not None
        assert ('href="/admin/"' in nav.group(1)) is (persona == "admin"), persona


def test_object_links_are_answered_in_one_query_per_type(world: World) -> None:
    from khoi.work import services as work

    head = world.users["office_head"]
    tasks = [
        work.do_create_task(
            head, world.office, title=f"Việc {i}", due_on=datetime.date(2030, 1, i + 1),
            assignee=world.people["staff"],
        )
        for i in range(5)
    ]  # fmt: skip
    leader = world.users["org_leader"]
    with CaptureQueriesContext(connection) as ctx:
        found = links.openable(leader, "work.task", [t.pk for t in tasks])
        for t in tasks:
            assert links.link_for(leader, "work.task", t.pk) == ""
    assert found == set()
    assert len(ctx.captured_queries) <= 2  # the scope (one query), at most, then one for the tasks
    staff = world.users["staff"]
    assert links.openable(staff, "work.task", [t.pk for t in tasks]) == {t.pk for t in tasks}
    assert links.link_for(staff, "work.task", tasks[0].pk) == f"/work/tasks/{tasks[0].pk}/"


def test_partition_splits_what_opens_from_the_rest(world: World) -> None:
    from khoi.work import services as work

    head = world.users["office_head"]
    task = work.do_create_task(
        head, world.office, title="Việc", due_on=datetime.date(2030, 1, 1),
        assignee=world.people["staff"],
    )  # fmt: skip
    assert links.partition(world.users["staff"], "work.task", [task]) == ([task], [])
    assert links.partition(world.users["org_leader"], "work.task", [task]) == ([], [task])
