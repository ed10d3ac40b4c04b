"""A document links the plans, activities and meetings it concerns only for readers who may
open them (members of an organization read the register, not every plan)."""

from __future__ import annotations

import datetime

from khoi.documents.tests.factories import incoming
from khoi.testing.factories import World
from khoi.work import services as work


def test_linked_objects_are_links_only_for_those_who_open_them(world: World, as_user) -> None:
    plan = work.do_create_plan(
        world.users["staff"], world.office, title="Kế hoạch của Ủy ban MTTQ",
        start_on=datetime.date(2017, 9, 1), end_on=datetime.date(2017, 12, 31),
        organization=world.front,
    )  # fmt: skip
    doc = incoming(world, "05-CT/TU", issued_on=datetime.date(2017, 1, 5), plans=[plan])
    url = f"/documents/{doc.pk}/"
    staff = as_user("staff").get(url).content.decode()
    assert f'href="/work/plans/{plan.pk}/"' in staff
    leader = as_user("org_leader")
    page = leader.get(url)
    assert page.status_code == 200
    assert "Kế hoạch của Ủy ban MTTQ" in page.content.decode()
    assert f"/work/plans/{plan.pk}/" not in page.content.decode()
    assert leader.get(f"/work/plans/{plan.pk}/").status_code == 404
