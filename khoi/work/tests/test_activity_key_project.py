"""An activity carried out for a key project: the project is picked among those the user
may open (offered through ``khoi.registry``, work never imports petitions' models), shown on
the activity's page, and the activity is on the project's one timeline for those who may
open it, never across offices."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from khoi.audit.models import AuditEntry
from khoi.petitions import services as petition_services
from khoi.petitions.models import KeyProject
from khoi.registry import key_project_choices, timeline
from khoi.testing.factories import World
from khoi.work import access, services
from khoi.work.models import Activity
from khoi.work.tests.factories import activity

D = datetime.date
PERSONAS = ["office_head", "org_leader", "staff", "other_staff", "reporter", "viewer",
            "outsider", "admin"]  # fmt: skip


@pytest.fixture
def project(world: World) -> KeyProject:
    return petition_services.do_create_key_project(
        world.users["staff"], world.office, name="Khu công nghiệp cảng biển",
        units=[world.commune],
    )  # fmt: skip


@pytest.fixture
def other_project(world: World) -> KeyProject:
    return petition_services.do_create_key_project(
        world.users["other_staff"], world.other_office, name="Dự án Uông Bí"
    )


def _is_activity(url: str) -> bool:
    return url.startswith(reverse("work:activity_list"))


def _form(world: World, **extra: object) -> dict[str, object]:
    return {
        "organization": world.front.pk,
        "kind": "supervision",
        "title": "Giám sát công tác GPMB dự án cảng biển",
        "origin": "local",
        "start_on": "06/11/2017",
        "end_on": "10/11/2017",
        "status": "planned",
        **extra,
    }


def test_staff_link_an_activity_to_a_project_and_its_page_shows_it(
    world: World, project: KeyProject, as_user
) -> None:
    client = as_user("staff")
    form = client.get(reverse("work:activity_create")).content.decode()
    assert "Khu công nghiệp cảng biển" in form
    response = client.post(reverse("work:activity_create"), _form(world, key_project_id=project.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    a = Activity.objects.get()
    assert a.key_project_id == project.pk
    assert AuditEntry.objects.filter(action="activity.create", object_id=str(a.pk)).exists()
    page = client.get(reverse("work:activity_detail", args=[a.pk])).content.decode()
    assert reverse("petitions:project_detail", args=[project.pk]) in page
    assert "Khu công nghiệp cảng biển" in page


def test_a_project_of_another_office_is_neither_offered_nor_accepted(
    world: World, project: KeyProject, other_project: KeyProject, as_user
) -> None:
    client = as_user("staff")
    assert "Dự án Uông Bí" not in client.get(reverse("work:activity_create")).content.decode()
    response = client.post(
        reverse("work:activity_create"), _form(world, key_project_id=other_project.pk)
    )
    assert response.status_code == 200
    assert "Chọn một dự án trọng điểm trong danh sách." in response.content.decode()
    assert not Activity.objects.exists()
    with pytest.raises(ValidationError) as exc:
        activity(world, world.front, "Giám sát", key_project_id=other_project.pk)
    assert "key_project_id" in exc.value.message_dict
    assert not Activity.objects.exists()
    # another office's staff cannot pick ours either
    assert key_project_choices(world.users["other_staff"], world.office.pk) == []
    assert key_project_choices(world.users["outsider"], world.office.pk) == []


def test_editing_keeps_a_project_the_editor_cannot_open_without_naming_it(
    world: World, project: KeyProject, as_user
) -> None:
    a = activity(world, world.women, "Tuyên truyền GPMB", key_project_id=project.pk)
    leader = world.users["org_leader"]
    assert access.can_edit_activity(leader, a)
    # the precondition of this test: the leader may edit the activity but not open the project
    assert project.pk not in {pk for pk, _n in key_project_choices(leader, world.office.pk)}
    client = as_user("org_leader")
    page = client.get(reverse("work:activity_edit", args=[a.pk])).content.decode()
    assert "Khu công nghiệp cảng biển" not in page
    data = _form(world, organization=world.women.pk, title="Tuyên truyền GPMB (sửa)",
                 key_project_id=project.pk)  # fmt: skip
    assert client.post(reverse("work:activity_edit", args=[a.pk]), data).status_code == 302
    a.refresh_from_db()
    assert a.title == "Tuyên truyền GPMB (sửa)" and a.key_project_id == project.pk
    # and the leader may not move it to a project they cannot open
    with pytest.raises(ValidationError):
        services.do_update_activity(leader, a, key_project_id=project.pk + 1000)


def test_the_change_of_project_is_audited(world: World, project: KeyProject) -> None:
    a = activity(world, world.front, "Giám sát GPMB")
    services.do_update_activity(world.users["staff"], a, key_project_id=project.pk)
    entry = AuditEntry.objects.filter(action="activity.update", object_id=str(a.pk)).get()
    assert entry.changes["key_project_id"] == [None, project.pk]
    services.do_update_activity(world.users["staff"], a, key_project_id=None)
    a.refresh_from_db()
    assert a.key_project_id is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_project_timeline_shows_the_activities_each_persona_may_open(
    world: World, project: KeyProject, other_project: KeyProject, persona: str
) -> None:
    front = activity(world, world.front, "Giám sát GPMB dự án cảng biển",
                     key_project_id=project.pk, start=D(2017, 11, 6))  # fmt: skip
    women = activity(world, world.women, "Vận động hộ dân bàn giao mặt bằng",
                     key_project_id=project.pk, start=D(2017, 11, 8))  # fmt: skip
    activity(world, world.front, "Hoạt động khác", start=D(2017, 11, 9))
    # an activity of the other office pointing at our project (written around the service):
    # it never reaches our project's timeline, not even for the site administrator
    stray = Activity.objects.create(
        office=world.other_office, organization=world.other_office.organizations.get(),
        kind="survey", title="Không được lộ", start_on=D(2017, 11, 7), end_on=D(2017, 11, 7),
        key_project_id=project.pk,
    )  # fmt: skip
    user = world.users[persona]
    entries = [e for e in timeline(user, project) if _is_activity(e.url)]
    readable = set(access.activities_for_user(user).values_list("pk", flat=True))
    expected = {a.title for a in (front, women) if a.pk in readable}
    assert {e.title for e in entries} == expected
    assert all(stray.title not in e.title for e in timeline(user, project))
    if persona in ("staff", "office_head"):
        assert expected == {front.title, women.title}
        urls = {e.url for e in entries}
        assert reverse("work:activity_detail", args=[front.pk]) in urls
    if persona in ("other_staff", "outsider"):
        assert entries == []
    # the other office's project has nothing of ours
    assert [e for e in timeline(user, other_project) if _is_activity(e.url)] == []


def test_the_project_page_shows_the_activity_in_its_timeline(
    world: World, project: KeyProject, as_user
) -> None:
    a = activity(world, world.front, "Giám sát GPMB dự án cảng biển", key_project_id=project.pk)
    page = as_user("staff").get(reverse("petitions:project_detail", args=[project.pk]))
    text = page.content.decode()
    assert "Giám sát GPMB dự án cảng biển" in text
    assert reverse("work:activity_detail", args=[a.pk]) in text
    assert (
        as_user("other_staff")
        .get(reverse("petitions:project_detail", args=[project.pk]))
        .status_code
        == 404
    )


def test_the_api_takes_and_gives_the_key_project(
    world: World, project: KeyProject, other_project: KeyProject, as_user
) -> None:
    client = as_user("staff")
    payload = {
        "office": world.office.code, "organization_id": world.front.pk, "kind": "supervision",
        "title": "Giám sát GPMB", "start_on": "2017-11-06", "end_on": "2017-11-10",
        "key_project_id": project.pk,
    }  # fmt: skip
    r = client.post("/api/v1/activities", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["key_project_id"] == project.pk
    payload["key_project_id"] = other_project.pk
    r = client.post("/api/v1/activities", payload, content_type="application/json")
    assert r.status_code == 422
    assert Activity.objects.count() == 1
