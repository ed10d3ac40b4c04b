"""Overlap pages: one certainty, the other activity's own words, what a user may read,
merged activities in the scan and "add to joint work X"."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from khoi.audit.models import AuditEntry
from khoi.testing.factories import World
from khoi.work import overlap as overlaps
from khoi.work import services
from khoi.work.models import Activity, JointActivity, JointAddition
from khoi.work.tests.factories import activity

D = datetime.date


def _form(world: World, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "office": world.office.code, "organization": world.front.pk, "kind": "propaganda",
        "title": "Tuyên truyền an toàn giao thông", "origin": "local", "start_on": "02/10/2017",
        "end_on": "02/10/2017", "target_units": [world.commune.pk], "status": "planned",
    }  # fmt: skip
    data.update(kw)
    return data


def _merged(world: World) -> tuple[Activity, Activity, JointActivity]:
    a = activity(world, world.front, "Tuyên truyền phòng chống sốt xuất huyết")
    b = activity(world, world.women, "Tuyên truyền phòng, chống dịch sốt xuất huyết")
    joint = services.do_merge(
        world.users["office_head"], [a, b],
        services.MergeSpec("Phòng chống SXH", world.front, D(2017, 10, 2), D(2017, 10, 2)),
    )  # fmt: skip
    return a, b, joint


# -- certainty and spelling --------------------------------------------------------------


def test_the_certainty_is_the_same_on_the_form_and_on_the_saved_page(world: World, as_user):
    activity(world, world.women, "Tuyên truyền vệ sinh môi trường khu dân cư", start=D(2017, 10, 4))
    activity(world, world.women, "Tập huấn kỹ thuật nuôi hàu cho hội viên")
    title = "Tổ chức ra quân vệ sinh môi trường, thu gom rác thải"
    client = as_user("staff")
    typed = client.post(reverse("work:activity_overlaps"), _form(world, title=title))
    (on_form,) = typed.context["suggestions"]
    saved = activity(world, world.front, title)
    page = client.get(reverse("work:activity_detail", args=[saved.pk]))
    (on_page,) = page.context["suggestions"]
    assert on_form.percent == on_page.percent
    assert on_form.score == on_page.score
    assert f"{on_page.percent}%" in page.content.decode()
    assert f"{on_form.percent}%" in typed.content.decode()


def test_matched_words_are_the_other_activitys_own_words(world: World):
    activity(world, world.women, "Tuyên truyền về dân quân tự vệ cho hội viên")
    draft = overlaps.Draft(
        office=world.office, organization_id=world.front.pk, kind="propaganda",
        title="tuyen truyen dan quan tu ve", description="", start_on=D(2017, 10, 2),
        end_on=D(2017, 10, 2), unit_ids=(world.commune.pk,),
    )  # fmt: skip
    (found,) = overlaps.suggest(draft)
    assert "dân quân tự vệ" in found.reason.matched_words
    assert "dân quân tự vệ" in found.text


# -- what a user may read ----------------------------------------------------------------


def test_the_panel_never_shows_the_title_of_an_activity_the_user_cannot_open(world: World, as_user):
    secret = activity(world, world.front, "Tuyên truyền phòng chống bạo lực gia đình")
    mine = activity(world, world.women, "Truyền thông phòng, chống bạo lực gia đình")
    leader = as_user("org_leader")
    assert leader.get(reverse("work:activity_detail", args=[secret.pk])).status_code == 404
    page = leader.get(reverse("work:activity_detail", args=[mine.pk]))
    body = page.content.decode()
    assert page.context["suggestions"] == [] and page.context["hidden"] == 1
    assert secret.title not in body and "hidden-matches" in body
    typed = leader.post(
        reverse("work:activity_overlaps"),
        _form(world, organization=world.women.pk, title="Tuyên truyền phòng chống BLGĐ"),
    )
    assert typed.context["hidden"] == 1 and secret.title not in typed.content.decode()
    # Office staff read both: the title is shown.
    staff = as_user("staff").get(reverse("work:activity_detail", args=[mine.pk]))
    assert secret.title in staff.content.decode() and staff.context["hidden"] == 0


# -- the scan and "add to joint work" ----------------------------------------------------


def test_the_scan_shows_merged_activities_and_offers_to_add_to_their_joint_work(
    world: World, as_user
):
    _a, _b, joint = _merged(world)
    c = activity(world, world.front, "Ra quân diệt bọ gậy phòng chống sốt xuất huyết",
                 kind="mobilisation", start=D(2017, 10, 5))  # fmt: skip
    (group,) = overlaps.scan(world.office, D(2017, 10, 1), D(2017, 10, 31))
    assert group.joints == [joint] and [x.pk for x in group.free] == [c.pk]
    page = as_user("staff").get(reverse("work:overlap_scan"), {"start": "01/10/2017",
                                                                "end": "31/10/2017"})  # fmt: skip
    body = page.content.decode()
    assert reverse("work:joint_add", args=[joint.pk]) + f"?ids={c.pk}" in body
    assert reverse("work:merge") + "?ids=" not in body
    # Once c is proposed for the joint work, nothing is left to offer.
    services.do_add_to_joint(world.users["staff"], joint, [c])
    assert overlaps.scan(world.office, D(2017, 10, 1), D(2017, 10, 31)) == []


def test_staff_propose_an_addition_and_the_head_approves_it(world: World, as_user):
    _a, _b, joint = _merged(world)
    c = activity(world, world.front, "Tuyên truyền phòng chống SXH ở khu dân cư",
                 start=D(2017, 10, 20), units=[world.commune2])  # fmt: skip
    staff = as_user("staff")
    url = reverse("work:joint_add", args=[joint.pk])
    assert staff.get(url, {"ids": str(c.pk)}).status_code == 200
    response = staff.post(url, {"activities": [c.pk]})
    assert response.status_code == 302
    addition = JointAddition.objects.get()
    c.refresh_from_db()
    assert addition.status == JointAddition.Status.PROPOSED and c.joint_id is None
    # Staff cannot approve; the head can.
    decide = reverse("work:joint_addition_decide", args=[joint.pk, addition.pk])
    staff.post(decide, {"decision": "approve"})
    addition.refresh_from_db()
    assert addition.status == JointAddition.Status.PROPOSED
    detail = as_user("office_head").get(reverse("work:joint_detail", args=[joint.pk]))
    assert c.title in detail.content.decode()
    as_user("office_head").post(decide, {"decision": "approve"})
    addition.refresh_from_db()
    c.refresh_from_db()
    joint.refresh_from_db()
    assert addition.status == JointAddition.Status.APPROVED and c.joint_id == joint.pk
    assert joint.end_on == D(2017, 10, 20)
    assert set(joint.target_units.all()) == {world.commune, world.commune2}
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"joint.add_propose", "joint.add_approve", "joint.extend"} <= actions


def test_the_head_adds_at_once_and_bad_additions_are_refused(world: World):
    a, _b, joint = _merged(world)
    c = activity(world, world.front, "Phòng chống sốt xuất huyết", start=D(2017, 10, 3))
    head = world.users["office_head"]
    (addition,) = services.do_add_to_joint(head, joint, [c])
    c.refresh_from_db()
    assert addition.status == JointAddition.Status.APPROVED and c.joint_id == joint.pk
    with pytest.raises(ValidationError, match="đã thuộc một việc chung"):
        services.do_add_to_joint(head, joint, [a])
    d = activity(world, world.women, "Phòng chống SXH", start=D(2017, 10, 3))
    with pytest.raises(ValidationError):
        services.do_add_to_joint(world.users["org_leader"], joint, [d])
    services.do_add_to_joint(world.users["staff"], joint, [d])
    with pytest.raises(ValidationError, match="đang chờ phê duyệt"):
        services.do_add_to_joint(world.users["staff"], joint, [d])
    services.do_unmerge(head, joint)
    joint.refresh_from_db()
    e = activity(world, world.women, "Diệt bọ gậy", start=D(2017, 10, 3))
    with pytest.raises(ValidationError, match="đã được phê duyệt"):
        services.do_add_to_joint(head, joint, [e])


@pytest.mark.parametrize("persona", ["reporter", "org_leader", "viewer", "outsider", "other_staff"])
def test_only_office_staff_and_the_head_open_add_to_joint_work(world: World, as_user, persona: str):
    _a, _b, joint = _merged(world)
    c = activity(world, world.front, "Phòng chống SXH", start=D(2017, 10, 3))
    client = as_user(persona)
    url = reverse("work:joint_add", args=[joint.pk])
    assert client.get(url, {"ids": str(c.pk)}).status_code == 404
    assert client.post(url, {"activities": [c.pk]}).status_code == 404
    assert not JointAddition.objects.exists()


def test_the_api_adds_to_joint_work_and_approves(world: World, as_user):
    _a, _b, joint = _merged(world)
    c = activity(world, world.front, "Phòng chống SXH", start=D(2017, 10, 3))
    staff, head = as_user("staff"), as_user("office_head")
    url = f"/api/v1/joint/{joint.pk}/add"
    response = staff.post(url, {"activity_ids": [c.pk]}, content_type="application/json")
    assert response.status_code == 201
    (out,) = response.json()
    assert out["status"] == "proposed"
    approve = f"/api/v1/joint/{joint.pk}/additions/{out['id']}/approve"
    assert staff.post(approve).status_code == 422
    assert head.post(approve).json()["status"] == "approved"
    assert Activity.objects.get(pk=c.pk).joint_id == joint.pk
    again = staff.post(url, {"activity_ids": [c.pk]}, content_type="application/json")
    assert again.status_code == 422
    outsider = as_user("outsider").post(
        url, {"activity_ids": [c.pk]}, content_type="application/json"
    )
    assert outsider.status_code == 404
