from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from khoi.audit.models import AuditEntry
from khoi.testing.factories import World
from khoi.work import services
from khoi.work.models import Activity, JointActivity, OverlapDismissal
from khoi.work.tests.factories import activity

D = datetime.date


def _form(world: World, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "office": world.office.code, "organization": world.women.pk, "kind": "propaganda",
        "title": "Tuyên truyền an toàn giao thông", "origin": "local", "start_on": "02/10/2017",
        "end_on": "05/10/2017", "target_units": [world.commune.pk], "status": "planned",
    }  # fmt: skip
    data.update(kw)
    return data


def test_staff_add_an_activity_for_any_member_organization(world: World, as_user) -> None:
    response = as_user("staff").post(
        reverse("work:activity_create"), _form(world, budget="15000000")
    )
    assert response.status_code == 302
    a = Activity.objects.get()
    assert (a.organization, a.start_on, a.budget) == (world.women, D(2017, 10, 2), 15_000_000)
    assert list(a.target_units.all()) == [world.commune]
    assert (
        AuditEntry.objects.filter(object_type="work.activity", action="activity.create").count()
        == 1
    )


def test_an_organization_leader_adds_activities_of_their_own_organization_only(
    world: World, as_user
) -> None:
    client = as_user("org_leader")
    assert client.post(reverse("work:activity_create"), _form(world)).status_code == 302
    refused = client.post(
        reverse("work:activity_create"), _form(world, organization=world.front.pk)
    )
    assert refused.status_code == 200
    assert "organization" in refused.context["form"].errors
    assert Activity.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_on": "01/10/2017"}, "end_on"),
        ({"start_on": "32/10/2017"}, "start_on"),
        ({"title": ""}, "title"),
        ({"kind": "party"}, "kind"),
        ({"budget": "-5"}, "budget"),
    ],
)
def test_bad_activities_are_refused_with_the_field_named_and_nothing_saved(
    world: World, as_user, changes: dict[str, object], field: str
) -> None:
    response = as_user("staff").post(reverse("work:activity_create"), _form(world, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Tuyên truyền an toàn giao thông" in response.content.decode() or field == "title"
    assert Activity.objects.count() == 0


def test_targets_outside_the_office_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world, world.women, "Tuyên truyền", units=[world.other_commune])
    assert "target_units" in exc.value.message_dict
    assert Activity.objects.count() == 0


def test_the_office_head_merges_at_once_and_each_organization_keeps_its_activity(
    world: World,
) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền VSMT khu dân cư", units=[world.commune2])
    joint = services.do_merge(
        world.users["office_head"], [a, b],
        services.MergeSpec("Tuyên truyền vệ sinh môi trường", world.front, D(2017, 10, 2), D(2017, 10, 3)),
    )  # fmt: skip
    assert joint.status == JointActivity.Status.ACTIVE
    assert set(joint.activities.all()) == {a, b}
    assert list(joint.co_organizers.all()) == [world.women]
    assert set(joint.target_units.all()) == {world.commune, world.commune2}
    a.refresh_from_db()
    assert a.is_merged and Activity.objects.count() == 2
    services.do_unmerge(world.users["office_head"], joint)
    a.refresh_from_db()
    assert a.joint is None
    assert JointActivity.objects.get().status == JointActivity.Status.DISSOLVED


def test_staff_propose_and_the_office_head_approves(world: World) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền vệ sinh môi trường")
    spec = services.MergeSpec("VSMT", world.women, D(2017, 10, 2), D(2017, 10, 2))
    joint = services.do_merge(world.users["staff"], [a, b], spec)
    assert joint.status == JointActivity.Status.PROPOSED
    a.refresh_from_db()
    assert not a.is_merged
    with pytest.raises(ValidationError):
        services.do_approve_merge(world.users["staff"], joint)
    services.do_approve_merge(world.users["office_head"], joint)
    a.refresh_from_db()
    assert a.is_merged


@pytest.mark.parametrize("persona", ["org_leader", "viewer", "other_staff"])
def test_a_merge_by_someone_without_the_right_is_refused(world: World, persona: str) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền vệ sinh môi trường")
    spec = services.MergeSpec("VSMT", world.women, D(2017, 10, 2), D(2017, 10, 2))
    with pytest.raises(ValidationError, match="Chỉ Trưởng Cơ quan Khối"):
        services.do_merge(world.users[persona], [a, b], spec)
    assert JointActivity.objects.count() == 0


def test_a_merge_of_one_organizations_activities_is_refused(world: World) -> None:
    a = activity(world, world.women, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền vệ sinh môi trường")
    with pytest.raises(ValidationError):
        services.do_merge(
            world.users["office_head"], [a, b],
            services.MergeSpec("VSMT", world.women, D(2017, 10, 2), D(2017, 10, 2)),
        )  # fmt: skip
    assert JointActivity.objects.count() == 0
    a.refresh_from_db()
    assert a.joint is None


def test_the_merge_page_proposes_and_the_scan_page_lists_groups(world: World, as_user) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền vệ sinh môi trường khu dân cư")
    scan = as_user("staff").get(
        reverse("work:overlap_scan"), {"start": "01/10/2017", "end": "31/10/2017"}
    )
    assert scan.status_code == 200 and len(scan.context["groups"]) == 1
    page = as_user("staff").get(reverse("work:merge"), {"ids": f"{a.pk},{b.pk}"})
    assert page.status_code == 200
    response = as_user("staff").post(
        reverse("work:merge"),
        {"activities": [a.pk, b.pk], "title": "VSMT chung", "lead": world.women.pk,
         "start_on": "02/10/2017", "end_on": "02/10/2017"},
    )  # fmt: skip
    joint = JointActivity.objects.get()
    assert response.status_code == 302 and joint.status == JointActivity.Status.PROPOSED
    assert (
        as_user("office_head").post(reverse("work:joint_approve", args=[joint.pk])).status_code
        == 302
    )
    joint.refresh_from_db()
    assert joint.status == JointActivity.Status.ACTIVE


def test_not_an_overlap_is_remembered(world: World, as_user) -> None:
    a = activity(world, world.front, "Tuyên truyền vệ sinh môi trường")
    b = activity(world, world.women, "Tuyên truyền vệ sinh môi trường")
    as_user("staff").post(reverse("work:dismiss_overlap"), {"activities": [b.pk, a.pk]})
    assert OverlapDismissal.objects.filter(first=a, second=b).exists()
    detail = as_user("staff").get(reverse("work:activity_detail", args=[a.pk]))
    assert detail.context["suggestions"] == []


def test_the_overlap_panel_updates_while_typing(world: World, as_user) -> None:
    activity(world, world.women, "Tuyên truyền vệ sinh môi trường", start=D(2017, 10, 9))
    response = as_user("staff").post(
        reverse("work:activity_overlaps"),
        _form(world, organization=world.front.pk, title="Tuyen truyen ve sinh moi truong"),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Tuyên truyền vệ sinh môi trường" in body


PAGES = ["work:activity_list", "work:activity_calendar", "work:plan_list", "work:programme_list",
         "work:joint_list", "work:overlap_scan"]  # fmt: skip


@pytest.mark.parametrize(
    "persona", ["office_head", "org_leader", "staff", "reporter", "viewer", "admin"]
)
def test_work_pages_open_for_every_persona_that_has_an_office(
    world: World, as_user, persona: str
) -> None:
    client = as_user(persona)
    for name in PAGES:
        status = client.get(reverse(name)).status_code
        assert status in (200, 404), name
        if persona != "reporter":
            assert status == 200, name


def test_activities_of_another_office_are_answered_like_missing(world: World, as_user) -> None:
    a = activity(world, world.women, "Tuyên truyền vệ sinh môi trường")
    for persona in ["other_staff", "outsider"]:
        assert as_user(persona).get(reverse("work:activity_detail", args=[a.pk])).status_code == 404
    for persona in ["office_head", "staff", "org_leader", "viewer", "admin"]:
        assert as_user(persona).get(reverse("work:activity_detail", args=[a.pk])).status_code == 200
    assert as_user("viewer").get(reverse("work:activity_edit", args=[a.pk])).status_code == 404
