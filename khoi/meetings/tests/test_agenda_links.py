"""An agenda links an item only for those who may open it; fixed queries per page."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from khoi.meetings.models import AgendaItem
from khoi.meetings.tests.factories import meeting
from khoi.testing.factories import World
from khoi.work import services as work


def _items(world: World, m, n: int) -> list[int]:
    pks = []
    for i in range(n):
        task = work.do_create_task(
            world.users["office_head"], world.office, title=f"Việc quá hạn {i}",
            due_on=datetime.date(2030, 1, 1), assignee=world.people["staff"],
        )  # fmt: skip
        AgendaItem.objects.create(
            meeting=m, position=i + 1, title=f"Nhiệm vụ quá hạn: {task.title}",
            source="work.task.overdue", object_type="work.task", object_id=task.pk,
            url=f"/work/tasks/{task.pk}/",
        )  # fmt: skip
        pks.append(task.pk)
    return pks


def test_the_agenda_links_tasks_only_for_those_who_open_them(world: World, as_user) -> None:
    m = meeting(world)
    (pk,) = _items(world, m, 1)
    url = f"/meetings/{m.pk}/"
    staff = as_user("staff").get(url).content.decode()
    assert f'href="/work/tasks/{pk}/"' in staff
    leader = as_user("org_leader")
    page = leader.get(url)
    assert page.status_code == 200
    assert f"/work/tasks/{pk}/" not in page.content.decode()
    assert "Nhiệm vụ quá hạn" in page.content.decode()  # the item itself stays
    assert leader.get(f"/work/tasks/{pk}/").status_code == 404  # …which is why


def test_the_agenda_answers_its_links_in_a_fixed_number_of_queries(world: World, as_user) -> None:
    m = meeting(world)
    _items(world, m, 1)
    client = as_user("org_leader")
    client.get(f"/meetings/{m.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/meetings/{m.pk}/")
    _items(world, m, 6)
    with CaptureQueriesContext(connection) as seven:
        client.get(f"/meetings/{m.pk}/")
    assert len(seven.captured_queries) == len(one.captured_queries)
