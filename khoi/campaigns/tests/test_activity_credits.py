"""Joint work counts for each co-organizer: work offers the credits through the registry
and a cluster of organizations scores them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from khoi import registry
from khoi.campaigns import scoring, services
from khoi.work import services as work
from khoi.work.tests.factories import activity

pytestmark = pytest.mark.django_db
D = datetime.date


def test_joint_work_is_credited_to_the_lead_and_every_co_organizer(world: Any) -> None:
    a = activity(world, world.front, "Tuyên truyền hàng Việt tại chợ")
    b = activity(world, world.women, "Hội viên ưu tiên dùng hàng Việt")
    activity(world, world.front, "Hội nghị sơ kết", start=D(2017, 11, 2))
    work.do_merge(
        world.users["office_head"], [a, b],
        work.MergeSpec("Tuyên truyền hàng Việt", world.front, D(2017, 10, 2), D(2017, 10, 2)),
    )  # fmt: skip
    credits = registry.activity_credits(
        world.office, [world.front.pk, world.women.pk], D(2017, 1, 1), D(2017, 12, 31)
    )
    assert credits[world.front.pk] == {"own": 1, "joint": 1}
    assert credits[world.women.pk] == {"own": 0, "joint": 1}
    cluster = services.do_create_cluster(
        world.users["staff"], world.office, name="Khối các đoàn thể", kind="organizations",
        organizations=[world.front, world.women],
    )  # fmt: skip
    services.do_set_scoring_table(
        world.users["staff"], cluster, year=2017, base_points=Decimal(0),
        criteria=[services.CriterionInput("Hoạt động", Decimal(100), "activities")],
    )  # fmt: skip
    result = scoring.compute_ranking(cluster, 2017)
    assert result is not None
    rows = {r.name: r for r in result.rows}
    assert rows[world.front.name].total == Decimal(100)  # 2 of the best 2
    assert rows[world.women.name].total == Decimal(50)  # 1 of 2
    member = next(m for m in cluster.members.all() if m.organization_id == world.women.pk)
    assert result.notes[(member.pk, result.criteria[0].pk)] == "0 hoạt động riêng + 1 việc chung"
