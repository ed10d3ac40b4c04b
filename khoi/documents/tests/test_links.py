"""Documents link to plans, activities and meetings through a generic link: the kinds
come from the registry, the other side shows the documents through the registry."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from khoi.audit.models import AuditEntry
from khoi.documents import links, services
from khoi.documents.models import DocumentLink
from khoi.documents.tests.factories import incoming
from khoi.meetings.tests.factories import meeting
from khoi.org.models import JointOffice
from khoi.registry import LINK_KINDS, related_items
from khoi.testing.factories import World
from khoi.work import services as work
from khoi.work.models import Plan
from khoi.work.tests.factories import activity

D = datetime.date


def _plan(world: World, office: JointOffice | None = None) -> Plan:
    return work.do_create_plan(
        None, office or world.office, title="Kế hoạch thực hiện Nghị quyết 11-NQ/TU",
        start_on=D(2017, 1, 10), end_on=D(2017, 12, 31), organization=None,
    )  # fmt: skip


def test_the_link_kinds_are_registered_by_their_apps() -> None:
    assert [(k.key, k.model, k.api_field) for k in LINK_KINDS][:3] == [
        ("plans", "work.plan", "plan_ids"),
        ("activities", "work.activity", "activity_ids"),
        ("meetings", "meetings.meeting", "meeting_ids"),
    ]


def _three(ids: dict[str, list[int]]) -> dict[str, list[int]]:
    """The kinds this test links (later apps register more kinds, e.g. supervisions)."""
    return {k: v for k, v in ids.items() if k in ("plans", "activities", "meetings")}


def test_links_are_set_changed_audited_and_shown_on_both_sides(world: World, as_user) -> None:
    plan, act, m = _plan(world), activity(world, world.women, "Tuyên truyền"), meeting(world)
    staff = world.users["staff"]
    doc = incoming(world, links={"plans": [plan], "activities": [act]})
    assert _three(links.linked_ids(doc)) == {
        "plans": [plan.pk], "activities": [act.pk], "meetings": []
    }  # fmt: skip
    services.do_update_document(staff, doc, links={"activities": [], "meetings": [m]})
    assert _three(links.linked_ids(doc)) == {
        "plans": [plan.pk], "activities": [], "meetings": [m.pk]
    }  # fmt: skip
    entry = AuditEntry.objects.filter(action="document.link").order_by("-seq").first()
    assert entry is not None
    assert entry.changes == {"activities": [[act.pk], []], "meetings": [[], [m.pk]]}
    client = as_user("staff")
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert f"/work/plans/{plan.pk}/" in page and f"/meetings/{m.pk}/" in page
    assert "11-NQ/TU" in client.get(f"/work/plans/{plan.pk}/").content.decode()
    assert "11-NQ/TU" in client.get(f"/meetings/{m.pk}/").content.decode()
    assert [i.title for i in related_items(staff, plan)] == ["11-NQ/TU"]
    assert related_items(world.users["other_staff"], plan) == []
    assert related_items(world.users["outsider"], m) == []


def test_objects_of_another_office_cannot_be_linked(world: World) -> None:
    foreign = _plan(world, world.other_office)
    with pytest.raises(ValidationError) as exc:
        incoming(world, links={"plans": [foreign]})
    assert "plans" in exc.value.message_dict
    with pytest.raises(ValidationError):
        incoming(world, links={"plans": [activity(world, world.women, "Sai loại")]})
    assert DocumentLink.objects.count() == 0


def test_the_form_offers_each_registered_kind(world: World, as_user) -> None:
    plan = _plan(world)
    page = as_user("staff").get("/documents/new/").content.decode()
    for kind in ("plans", "activities", "meetings"):
        assert f'name="{kind}"' in page
    assert plan.title in page
    response = as_user("staff").post(
        "/documents/new/",
        {"office": "quang-yen", "direction": "in", "notation": "11-NQ/TU",
         "issued_on": "20/12/2016", "issuing_body": "Thị ủy", "summary": "Nghị quyết",
         "plans": [plan.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert DocumentLink.objects.get().object_id == plan.pk


def test_linked_objects_are_links_only_for_those_who_open_them(world: World, as_user) -> None:
    plan = work.do_create_plan(
        world.users["staff"], world.office, title="Kế hoạch của Ủy ban MTTQ",
        start_on=datetime.date(2017, 9, 1), end_on=datetime.date(2017, 12, 31),
        organization=world.front,
    )  # fmt: skip
    doc = incoming(world, "05-CT/TU", issued_on=datetime.date(2017, 1, 5), links={"plans": [plan]})
    url = f"/documents/{doc.pk}/"
    staff = as_user("staff").get(url).content.decode()
    assert f'href="/work/plans/{plan.pk}/"' in staff
    leader = as_user("org_leader")
    page = leader.get(url)
    assert page.status_code == 200
    assert "Kế hoạch của Ủy ban MTTQ" in page.content.decode()
    assert f"/work/plans/{plan.pk}/" not in page.content.decode()
    assert leader.get(f"/work/plans/{plan.pk}/").status_code == 404
