"""The overlap engine on the office's real activities: suggestions, scan, dismissals."""

from __future__ import annotations

import datetime

from khoi.testing.factories import World
from khoi.work import overlap as overlaps
from khoi.work import services
from khoi.work.tests.factories import activity

D = datetime.date


def _draft(world: World, org_id: int, title: str, **kw: object) -> overlaps.Draft:
    args: dict[str, object] = {
        "office": world.office, "organization_id": org_id, "kind": "propaganda", "title": title,
        "description": "", "start_on": D(2017, 10, 5), "end_on": D(2017, 10, 5),
        "unit_ids": (world.commune.pk,),
    }  # fmt: skip
    args.update(kw)
    return overlaps.Draft(**args)  # type: ignore[arg-type]


def test_a_draft_sees_the_same_work_of_another_organization_with_reasons(world: World) -> None:
    other = activity(
        world, world.women, "Tuyên truyền vệ sinh môi trường tại KDC", start=D(2017, 10, 9)
    )
    found = overlaps.suggest(
        _draft(world, world.front.pk, "Tổ chức tuyên truyền về vệ sinh môi trường khu dân cư")
    )
    assert [s.activity for s in found] == [other]
    assert "Phường Hà An" in found[0].text
    assert "môi trường" in found[0].text


def test_the_same_organization_different_topics_far_dates_or_places_are_not_proposed(
    world: World,
) -> None:
    activity(world, world.front, "Tuyên truyền vệ sinh môi trường")  # same organization
    activity(world, world.women, "Tuyên truyền an toàn giao thông")  # other topic
    activity(world, world.women, "Tuyên truyền vệ sinh môi trường", start=D(2017, 12, 1))  # far
    activity(world, world.women, "Tuyên truyền vệ sinh môi trường", units=[world.commune2])
    activity(world, world.women, "Kiểm tra vệ sinh môi trường", kind="inspection")  # other family
    assert overlaps.suggest(_draft(world, world.front.pk, "Tuyên truyền vệ sinh môi trường")) == []


def test_a_unit_containing_the_target_counts_as_the_same_place(world: World) -> None:
    whole_town = activity(
        world, world.women, "Tuyên truyền bảo vệ nguồn lợi thủy sản", units=[world.town]
    )
    found = overlaps.suggest(
        _draft(world, world.front.pk, "Tuyên truyền ngư dân bảo vệ nguồn lợi thuỷ sản")
    )
    assert [s.activity for s in found] == [whole_town]
    assert "thuộc" in found[0].text


def test_the_scan_groups_overlaps_and_forgets_dismissed_pairs(world: World) -> None:
    a = activity(
        world, world.front, "Tuyên truyền cuộc vận động Người Việt Nam ưu tiên dùng hàng Việt Nam"
    )
    b = activity(
        world,
        world.women,
        "Tuyen truyen nguoi Viet Nam uu tien dung hang Viet Nam",
        start=D(2017, 10, 10),
    )
    activity(world, world.women, "Tập huấn an toàn giao thông cho hội viên")
    groups = overlaps.scan(world.office, D(2017, 10, 1), D(2017, 10, 31))
    assert len(groups) == 1
    assert {x.pk for x in groups[0].activities} == {a.pk, b.pk}
    services.do_dismiss_overlap(None, b, a, "Hai đối tượng khác nhau")
    assert overlaps.scan(world.office, D(2017, 10, 1), D(2017, 10, 31)) == []


def test_merged_activities_are_not_proposed_again(world: World) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền vệ sinh môi trường khu dân cư")
    services.do_merge(
        world.users["office_head"], [a, b],
        services.MergeSpec("Tuyên truyền VSMT", world.front, D(2017, 10, 2), D(2017, 10, 2)),
    )  # fmt: skip
    assert overlaps.scan(world.office, D(2017, 10, 1), D(2017, 10, 31)) == []
