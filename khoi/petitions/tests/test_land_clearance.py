"""Land clearance of key projects: coordination rules and obligations, affected households
and their stages, visits, the one timeline, the export, the API, and who sees what."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from khoi.audit.models import AuditEntry
from khoi.lib import sheets
from khoi.petitions import clearance as services
from khoi.petitions import services as petition_services
from khoi.petitions.clearance_providers import clearance_agenda, clearance_report_section
from khoi.petitions.models import (
    AffectedHousehold,
    CoordinationRules,
    KeyProject,
    Obligation,
    Stage,
    StageChange,
)
from khoi.petitions.tests.conftest import TODAY, intake
from khoi.registry import timeline
from khoi.testing.factories import World

D = datetime.date


@dataclass
class Land:
    world: World
    project: KeyProject
    rules: CoordinationRules
    ha_an: AffectedHousehold  # in the reporter's commune
    tien_phong: AffectedHousehold  # in another commune


@pytest.fixture
def land(world: World) -> Land:
    staff = world.users["staff"]
    project = petition_services.do_create_key_project(
        staff, world.office, name="Khu công nghiệp cảng biển", units=[world.commune, world.commune2]
    )
    rules = services.do_create_rules(
        staff, world.office, title="Quy chế phối hợp GPMB", counterpart="UBND thị xã",
        signed_on=D(2025, 3, 1), projects=[project],
    )  # fmt: skip
    ha_an = services.do_add_household(
        staff, project, unit=world.commune, head_name="Nguyễn Văn Thắng", area_name="Khu 3",
        on=D(2025, 3, 10),
    )  # fmt: skip
    tien_phong = services.do_add_household(
        staff, project, unit=world.commune2, head_name="Trần Thị Lụa", area_name="Thôn 2",
        on=D(2025, 3, 10),
    )  # fmt: skip
    return Land(world, project, rules, ha_an, tien_phong)


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


# --- stages ------------------------------------------------------------------------------------


def test_stages_go_forward_one_at_a_time_and_keep_their_history(land: Land) -> None:
    staff, h = land.world.users["staff"], land.ha_an
    for stage, day in [
        ("inventoried", D(2025, 4, 1)),
        ("plan_posted", D(2025, 5, 2)),
        ("agreed", D(2025, 6, 3)),
        ("paid", D(2025, 7, 4)),
        ("handed_over", D(2025, 8, 5)),
    ]:
        services.do_change_stage(staff, h, to_stage=stage, on=day)
    h.refresh_from_db()
    assert (h.stage, h.stage_on) == (Stage.HANDED_OVER, D(2025, 8, 5))
    history = list(h.changes.values_list("to_stage", flat=True))
    assert history == ["notified", "inventoried", "plan_posted", "agreed", "paid", "handed_over"]
    assert AuditEntry.objects.filter(action="clearance.stage", object_id=str(h.pk)).count() == 5


def test_skipping_a_stage_is_refused_in_vietnamese(land: Land) -> None:
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.do_change_stage(
            land.world.users["staff"], land.ha_an, to_stage="paid", on=D(2025, 4, 1)
        )
    assert "bước tiếp theo là “đã kiểm đếm”" in _message(exc)


def test_going_back_without_a_reason_is_refused_and_nothing_is_saved(land: Land) -> None:
    staff, h = land.world.users["staff"], land.ha_an
    services.do_change_stage(staff, h, to_stage="inventoried", on=D(2025, 4, 1))
    services.do_change_stage(staff, h, to_stage="plan_posted", on=D(2025, 5, 1))
    changes, audits = StageChange.objects.count(), AuditEntry.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.do_change_stage(staff, h, to_stage="inventoried", on=D(2025, 5, 5))
    assert "phải ghi rõ lý do" in _message(exc)
    h.refresh_from_db()
    assert h.stage == Stage.PLAN_POSTED
    assert (StageChange.objects.count(), AuditEntry.objects.count()) == (changes, audits)
    change = services.do_change_stage(
        staff, h, to_stage="inventoried", on=D(2025, 5, 5), reason="Kiểm đếm lại diện tích"
    )
    assert change.backwards and change.reason == "Kiểm đếm lại diện tích"
    h.refresh_from_db()
    assert (h.stage, h.progress) == (Stage.INVENTORIED, Stage.INVENTORIED)
    entry = AuditEntry.objects.filter(action="clearance.stage").latest("seq")
    assert entry.changes["reason"] == "Kiểm đếm lại diện tích"


def test_a_complaint_comes_at_any_stage_and_resumes_where_it_was(land: Land) -> None:
    staff, h = land.world.users["staff"], land.ha_an
    services.do_change_stage(staff, h, to_stage="inventoried", on=D(2025, 4, 1))
    services.do_change_stage(staff, h, to_stage="complaint", on=D(2025, 4, 10))
    h.refresh_from_db()
    assert (h.stage, h.progress) == (Stage.COMPLAINT, Stage.INVENTORIED)
    with pytest.raises(ValidationError):  # back before the stage reached: a reason is needed
        services.do_change_stage(staff, h, to_stage="notified", on=D(2025, 5, 1))
    with pytest.raises(ValidationError):  # two stages ahead
        services.do_change_stage(staff, h, to_stage="agreed", on=D(2025, 5, 1))
    services.do_change_stage(staff, h, to_stage="plan_posted", on=D(2025, 5, 1))
    h.refresh_from_db()
    assert h.stage == Stage.PLAN_POSTED


def test_dates_of_stages_are_refused_in_the_future_or_before_the_current_stage(
    land: Land,
) -> None:
    staff, h = land.world.users["staff"], land.ha_an
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.do_change_stage(staff, h, to_stage="inventoried", on=D(2025, 3, 1))
    assert "10/03/2025" in _message(exc)
    with pytest.raises(ValidationError):
        services.do_change_stage(staff, h, to_stage="inventoried", on=TODAY + datetime.timedelta(1))
    with pytest.raises(ValidationError):
        services.do_change_stage(staff, h, to_stage="notified", on=TODAY)  # already there


# --- households and the register ----------------------------------------------------------------


def _register_household(world: World, unit: Any, name: str) -> Any:
    from khoi.fund import services as fund_services

    return fund_services.do_create_household(
        world.users["staff"], unit=unit, head_name=name, area_name="Khu 9"
    )


def test_a_household_of_the_register_is_linked_not_copied(land: Land) -> None:
    world, staff = land.world, land.world.users["staff"]
    registered = _register_household(world, world.commune, "Phạm Thị Register")
    linked = services.do_add_household(
        staff, land.project, unit=world.commune, register_id=registered.pk, on=D(2025, 4, 1)
    )
    assert (linked.head_name, linked.area_name) == ("", "")
    page = Client()
    page.force_login(staff)
    body = page.get(reverse("petitions:project_detail", args=[land.project.pk])).content.decode()
    assert "Phạm Thị Register" in body
    detail = page.get(reverse("petitions:household_detail", args=[linked.pk])).content.decode()
    assert reverse("fund:household_detail", args=[registered.pk]) in detail
    # searching finds it through the register's name
    found = page.get(reverse("petitions:project_detail", args=[land.project.pk]) + "?q=register")
    table = found.content.decode().split('id="households"')[1].split("</section>")[0]
    assert "Phạm Thị Register" in table
    assert "Trần Thị Lụa" not in table
    with pytest.raises(ValidationError):  # once per project
        services.do_add_household(
            staff, land.project, unit=world.commune, register_id=registered.pk, on=D(2025, 4, 1)
        )


def test_bad_households_are_refused(land: Land) -> None:
    world, staff = land.world, land.world.users["staff"]
    other = _register_household(world, world.commune2, "Hộ Xã Khác")
    with translation.override("vi"):
        cases: list[tuple[dict[str, Any], str]] = [
            ({"unit": world.commune, "register_id": other.pk}, "xã, phường khác"),
            ({"unit": world.commune, "register_id": 999999}, "Không có hộ này"),
            ({"unit": world.commune, "head_name": "  "}, "Nhập họ tên chủ hộ"),
            ({"unit": world.other_commune, "head_name": "A"}, "không có trên địa bàn"),
            ({"unit": None, "head_name": "A"}, "Chọn xã, phường"),
        ]
        before = AffectedHousehold.objects.count()
        for kwargs, words in cases:
            with pytest.raises(ValidationError) as exc:
                services.do_add_household(staff, land.project, on=D(2025, 4, 1), **kwargs)
            assert words in _message(exc), kwargs
    assert AffectedHousehold.objects.count() == before


# --- obligations -------------------------------------------------------------------------------


def test_obligations_are_refused_without_a_due_date_or_before_signing(land: Land) -> None:
    staff = land.world.users["staff"]
    with translation.override("vi"):
        with pytest.raises(ValidationError) as exc:
            services.do_add_obligation(staff, land.rules, owner="UBND", content="X", due_on=None)
        assert "hạn" in _message(exc).lower()
        with pytest.raises(ValidationError) as exc:
            services.do_add_obligation(
                staff, land.rules, owner="UBND", content="X", due_on=D(2025, 1, 1)
            )
        assert "trước ngày ký" in _message(exc)
        with pytest.raises(ValidationError):
            services.do_add_obligation(staff, land.rules, owner="", content="X", due_on=TODAY)
    ob = services.do_add_obligation(
        staff, land.rules, owner="UBND thị xã", content="Đối thoại", due_on=D(2025, 9, 1)
    )
    assert ob.is_overdue(TODAY)
    services.do_set_obligation_status(staff, ob, status="done", done_on=D(2025, 9, 5))
    ob.refresh_from_db()
    assert (ob.status, ob.done_on, ob.is_overdue(TODAY)) == ("done", D(2025, 9, 5), False)
    with pytest.raises(ValidationError):
        services.do_add_obligation(
            land.world.users["reporter"], land.rules, owner="A", content="B", due_on=TODAY
        )


def test_the_home_cards_count_overdue_obligations_and_complaints(land: Land) -> None:
    from khoi.petitions.clearance_providers import clearance_cards

    world, staff = land.world, land.world.users["staff"]
    services.do_add_obligation(
        staff, land.rules, owner="UBND thị xã", content="Niêm yết", due_on=D(2025, 5, 1)
    )
    services.do_change_stage(staff, land.ha_an, to_stage="complaint", on=D(2025, 4, 1))
    cards = clearance_cards(staff, [world.office])
    assert [c.value for c in cards] == [1, 1] and cards[0].alert
    for persona in ("reporter", "org_leader"):
        assert clearance_cards(world.users[persona], [world.office]) == []
    client = _client(world, "viewer")
    for card in clearance_cards(world.users["viewer"], [world.office]):
        assert client.get(card.url).status_code == 200


def test_the_agenda_and_the_report_show_obligations_due_and_complaints(land: Land) -> None:
    staff = land.world.users["staff"]
    services.do_add_obligation(
        staff, land.rules, owner="UBND thị xã", content="Trả lời kiến nghị",
        due_on=TODAY + datetime.timedelta(days=3),
    )  # fmt: skip
    services.do_add_obligation(
        staff, land.rules, owner="UBND thị xã", content="Việc xa", due_on=D(2026, 1, 1)
    )
    services.do_change_stage(staff, land.ha_an, to_stage="complaint", on=D(2025, 4, 1))
    items = clearance_agenda(land.world.office, TODAY)
    titles = [i.title for i in items]
    assert any("UBND thị xã" in t and "đến hạn trong tuần" in t for t in titles)
    assert not any("Việc xa" in i.detail for i in items)
    assert any("1 hộ đang khiếu nại" in t for t in titles)
    assert not any("Nguyễn Văn Thắng" in t + i.detail for i in items for t in [i.title])
    section = clearance_report_section(land.world.office, D(2025, 1, 1), TODAY)
    assert section is not None
    assert section.figures["clearance.households"] == 2
    assert section.figures["clearance.complaint"] == 1


# --- who sees what -------------------------------------------------------------------------------


def _client(world: World, persona: str) -> Client:
    c = Client()
    c.force_login(world.users[persona])
    return c


def _links(body: str) -> list[str]:
    return [
        u
        for u in re.findall(r'href="(/[^"]*)"', body)
        if not u.startswith(("/static/", "/accounts/logout"))
    ]


@pytest.mark.parametrize("persona", ["staff", "office_head", "viewer", "reporter", "admin"])
def test_every_link_on_the_project_page_opens_for_who_sees_it(land: Land, persona: str) -> None:
    world = land.world
    staff = world.users["staff"]
    services.do_record_visit(
        staff, land.project, kind="visit", held_on=D(2025, 4, 2), by_whom="MTTQ phường",
        with_whom="Ông Thắng", outcome="Đồng ý kiểm đếm", household=land.ha_an,
    )  # fmt: skip
    services.do_add_obligation(
        staff, land.rules, owner="UBND thị xã", content="Niêm yết", due_on=D(2025, 5, 1)
    )
    petition_services.do_create_petition(
        staff, world.office, intake(units=[world.commune], key_project=land.project)
    )
    client = _client(world, persona)
    page = client.get(reverse("petitions:project_detail", args=[land.project.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    links = set(_links(body))
    assert links
    for url in links:
        assert client.get(url).status_code == 200, (persona, url)


def test_a_commune_reporter_sees_and_records_only_its_commune(land: Land) -> None:
    world = land.world
    reporter = world.users["reporter"]
    client = _client(world, "reporter")
    body = client.get(reverse("petitions:project_detail", args=[land.project.pk])).content.decode()
    assert "Nguyễn Văn Thắng" in body
    assert "Trần Thị Lụa" not in body
    assert "Quy chế phối hợp GPMB" not in body
    assert (
        client.get(reverse("petitions:household_detail", args=[land.tien_phong.pk])).status_code
        == 404
    )
    assert client.get(reverse("petitions:rules_detail", args=[land.rules.pk])).status_code == 404
    response = client.post(
        reverse("petitions:household_stage", args=[land.ha_an.pk]),
        {"to_stage": "inventoried", "on": "2025-04-01"},
    )
    assert response.status_code == 302
    land.ha_an.refresh_from_db()
    assert land.ha_an.stage == Stage.INVENTORIED
    assert (
        client.post(
            reverse("petitions:household_stage", args=[land.tien_phong.pk]),
            {"to_stage": "inventoried", "on": "2025-04-01"},
        ).status_code
        == 404
    )
    with pytest.raises(ValidationError):
        services.do_change_stage(reporter, land.tien_phong, to_stage="inventoried", on=TODAY)
    with pytest.raises(ValidationError):
        services.do_add_household(
            reporter, land.project, unit=world.commune2, head_name="X", on=TODAY
        )
    api = client.get(f"/api/v1/petitions/projects/{land.project.pk}/households").json()
    assert [h["id"] for h in api["items"]] == [land.ha_an.pk]


def test_names_are_masked_keeping_a_note_in_brackets() -> None:
    from khoi.petitions.clearance_access import mask_name

    assert mask_name("Nguyễn Văn Thắng") == "N. V. T***"
    assert mask_name("Hoàng Văn Khánh (minh họa)") == "H. V. K*** (minh họa)"
    assert mask_name("") == ""


def test_a_viewer_reads_masked_names_and_records_nothing(land: Land) -> None:
    world = land.world
    client = _client(world, "viewer")
    body = client.get(reverse("petitions:project_detail", args=[land.project.pk])).content.decode()
    assert "Nguyễn Văn Thắng" not in body and "N. V. T***" in body
    assert "Quy chế phối hợp GPMB" in body
    for url in (
        reverse("petitions:household_create", args=[land.project.pk]),
        reverse("petitions:visit_create", args=[land.project.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("petitions:household_stage", args=[land.ha_an.pk]),
            {"to_stage": "inventoried", "on": "2025-04-01"},
        ).status_code
        == 302
    )
    land.ha_an.refresh_from_db()
    assert land.ha_an.stage == Stage.NOTIFIED
    response = client.post(
        f"/api/v1/petitions/projects/{land.project.pk}/households/{land.ha_an.pk}/stages",
        {"to_stage": "inventoried", "on": "2025-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["org_leader", "outsider", "other_staff"])
def test_others_get_404_on_pages_and_api(land: Land, persona: str) -> None:
    client = _client(land.world, persona)
    pk = land.project.pk
    for url in (
        reverse("petitions:project_detail", args=[pk]),
        reverse("petitions:project_export", args=[pk]),
        reverse("petitions:household_detail", args=[land.ha_an.pk]),
        reverse("petitions:rules_detail", args=[land.rules.pk]),
        f"/api/v1/petitions/projects/{pk}",
        f"/api/v1/petitions/projects/{pk}/households",
        f"/api/v1/petitions/projects/{pk}/timeline",
        f"/api/v1/petitions/coordination-rules/{land.rules.pk}",
    ):
        assert client.get(url).status_code == 404, url


# --- the timeline ------------------------------------------------------------------------------


def test_the_project_timeline_gathers_stages_visits_obligations_and_petitions(land: Land) -> None:
    world, staff = land.world, land.world.users["staff"]
    services.do_change_stage(staff, land.ha_an, to_stage="inventoried", on=D(2025, 4, 1))
    services.do_change_stage(staff, land.tien_phong, to_stage="complaint", on=D(2025, 4, 3))
    services.do_record_visit(
        staff, land.project, kind="dialogue", held_on=D(2025, 4, 5), unit=world.commune2,
        by_whom="MTTQ thị xã", with_whom="12 hộ thôn 2", outcome="Tiếp thu kiến nghị",
    )  # fmt: skip
    services.do_add_obligation(
        staff, land.rules, owner="UBND thị xã", content="Niêm yết phương án", due_on=D(2025, 5, 1)
    )
    petition = petition_services.do_create_petition(
        staff, world.office, intake(units=[world.commune2], key_project=land.project)
    )
    with translation.override("vi"):
        entries = timeline(staff, land.project)
        kinds = {e.kind for e in entries}
        assert {
            "bước GPMB của hộ",
            "đối thoại",
            "nội dung phối hợp quá hạn",
            "tiếp nhận đơn",
        } <= kinds
        assert entries == sorted(entries, key=lambda e: (e.when, e.kind, e.title), reverse=True)
        assert any(petition.subject in e.title for e in entries)
        mine = timeline(world.users["reporter"], land.project)
    assert all("Trần Thị Lụa" not in e.title for e in mine)
    assert not any("phối hợp" in e.kind or e.kind == "tiếp nhận đơn" for e in mine)
    assert not any(e.kind == "đối thoại" for e in mine)  # held in the other commune
    assert timeline(staff, world.office) == [] or all(
        "Trần Thị Lụa" not in e.title for e in timeline(staff, world.office)
    )
    api = _client(world, "staff").get(f"/api/v1/petitions/projects/{land.project.pk}/timeline")
    assert len(api.json()) == len(entries)


# --- the export -----------------------------------------------------------------------------


def test_the_household_export_opens_with_the_rows_each_persona_may_read(land: Land) -> None:
    world = land.world
    staff = world.users["staff"]
    services.do_change_stage(staff, land.ha_an, to_stage="inventoried", on=D(2025, 4, 1))
    services.do_add_household(
        staff, land.project, unit=world.commune, head_name='=HYPERLINK("http://x")', on=TODAY
    )
    url = reverse("petitions:project_export", args=[land.project.pk])
    data = _client(world, "staff").get(url).content
    assert sheets.formulas(data) == []
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][0] == land.project.name
    names = {r[2]: r for r in rows[2:]}
    assert set(names) == {"Nguyễn Văn Thắng", "Trần Thị Lụa", '=HYPERLINK("http://x")'}
    assert names["Nguyễn Văn Thắng"][4] == "đã kiểm đếm"
    assert names["Nguyễn Văn Thắng"][5] == "01/04/2025"
    reporter_rows = list(
        load_workbook(io.BytesIO(_client(world, "reporter").get(url).content)).active.iter_rows(
            values_only=True
        )
    )[2:]
    assert {r[1] for r in reporter_rows} == {world.commune.name}
    viewer_rows = list(
        load_workbook(io.BytesIO(_client(world, "viewer").get(url).content)).active.iter_rows(
            values_only=True
        )
    )[2:]
    assert "Nguyễn Văn Thắng" not in {r[2] for r in viewer_rows}
    assert "N. V. T***" in {r[2] for r in viewer_rows}
    filtered = _client(world, "staff").get(url + "?stage=inventoried").content
    assert len(list(load_workbook(io.BytesIO(filtered)).active.iter_rows())) == 3


# --- pages and API for recording --------------------------------------------------------------


def test_staff_record_households_visits_and_obligations_through_pages_and_api(land: Land) -> None:
    world = land.world
    client = _client(world, "staff")
    pk = land.project.pk
    response = client.post(
        reverse("petitions:household_create", args=[pk]),
        {"unit": world.commune.pk, "head_name": "Lê Văn Mới", "area_name": "Khu 1",
         "on": "2025-04-01"},
    )  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        reverse("petitions:visit_create", args=[pk]),
        {"kind": "visit", "unit": world.commune.pk, "household": land.ha_an.pk,
         "held_on": "2025-04-02", "by_whom": "MTTQ phường", "with_whom": "Chủ hộ",
         "outcome": "Đồng ý"},
    )  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        reverse("petitions:rules_detail", args=[land.rules.pk]),
        {"owner": "UBND thị xã", "content": "Niêm yết", "due_on": "2025-05-01"},
    )
    assert response.status_code == 302
    ob = Obligation.objects.get(content="Niêm yết")
    client.post(
        reverse("petitions:obligation_status", args=[ob.pk]),
        {"status": "done", "done_on": "2025-05-02"},
    )
    ob.refresh_from_db()
    assert ob.status == "done"
    api = client.post(
        f"/api/v1/petitions/projects/{pk}/households/{land.ha_an.pk}/stages",
        {"to_stage": "plan_posted", "on": "2025-04-01"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "bước tiếp theo" in str(api.json())
    api = client.post(
        f"/api/v1/petitions/projects/{pk}/households/{land.ha_an.pk}/stages",
        {"to_stage": "inventoried", "on": "2025-04-01"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["stage"] == "inventoried"
    detail = client.get(f"/api/v1/petitions/projects/{pk}").json()
    assert detail["coordination_rule_ids"] == [land.rules.pk]
    total = sum(row["total"] for row in detail["stages"])
    assert total == 3
    rules = client.get(f"/api/v1/petitions/coordination-rules/{land.rules.pk}").json()
    assert rules["obligations"][0]["status"] == "done"


def test_the_project_page_runs_a_fixed_number_of_queries(
    land: Land, django_assert_max_num_queries: Any
) -> None:
    staff = land.world.users["staff"]
    client = _client(land.world, "staff")
    url = reverse("petitions:project_detail", args=[land.project.pk])
    client.get(url)
    for i in range(15):
        h = services.do_add_household(
            staff, land.project, unit=land.world.commune, head_name=f"Hộ {i}", on=TODAY
        )
        services.do_record_visit(
            staff, land.project, kind="visit", held_on=TODAY, by_whom="A", with_whom="B",
            outcome="C", household=h,
        )  # fmt: skip
    with django_assert_max_num_queries(17):  # 16 + the activities on the timeline
        assert client.get(url).status_code == 200


def test_the_signed_rules_link_to_the_document_register(land: Land) -> None:
    from khoi.documents import services as documents

    world = land.world
    document = documents.do_register_document(
        world.users["office_head"], world.office, direction="in", notation="25/QC-UBND",
        issued_on=D(2025, 3, 1), issuing_body="UBND thị xã", summary="Quy chế phối hợp GPMB",
        links={"coordination_rules": [land.rules], "key_projects": [land.project]},
    )  # fmt: skip
    staff = _client(world, "staff")
    body = staff.get(reverse("petitions:rules_detail", args=[land.rules.pk])).content.decode()
    assert reverse("documents:detail", args=[document.pk]) in body
    doc_page = staff.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert reverse("petitions:rules_detail", args=[land.rules.pk]) in doc_page
    assert land.project.name in doc_page
    leader_page = _client(world, "org_leader").get(reverse("documents:detail", args=[document.pk]))
    if leader_page.status_code == 200:  # the leader reads the register, not the rules
        assert reverse("petitions:rules_detail", args=[land.rules.pk]) not in (
            leader_page.content.decode()
        )


@pytest.mark.django_db
def test_the_2017_demo_has_the_coordination_rules_households_and_visits() -> None:
    from khoi.accounts.models import User
    from khoi.documents.models import DocumentLink
    from khoi.org.demo import load_demo
    from khoi.petitions.models import Visit

    load_demo()
    load_demo()  # idempotent
    rules = CoordinationRules.objects.get()
    assert rules.title.startswith("Quy chế phối hợp giữa UBND thị xã với Cơ quan Khối")
    assert rules.projects.count() == 2
    assert rules.obligations.filter(status="done").count() == 2
    assert DocumentLink.objects.filter(object_id=rules.pk).exists()
    households = AffectedHousehold.objects.all()
    assert households.count() == 13
    assert all(h.head_name.endswith("(minh họa)") for h in households)
    assert {h.unit.name for h in households} == {
        "Xã Tiền Phong", "Xã Liên Hòa", "Phường Yên Giang", "Phường Quảng Yên",
    }  # fmt: skip
    stages = set(households.values_list("stage", flat=True))
    assert {"handed_over", "paid", "complaint", "notified"} <= stages
    assert StageChange.objects.filter(backwards=True).exclude(reason="").count() == 1
    assert set(Visit.objects.values_list("kind", flat=True)) == {"visit", "dialogue"}
    for login in ("canbo", "thanhtra"):
        client = Client()
        client.force_login(User.objects.get(username=login))
        for project in KeyProject.objects.all():
            page = client.get(reverse("petitions:project_detail", args=[project.pk]))
            assert page.status_code == 200
            for url in set(_links(page.content.decode())):
                assert client.get(url).status_code == 200, (login, url)


def test_coordination_rules_are_recorded_by_staff_and_bad_ones_refused(land: Land) -> None:
    world = land.world
    client = _client(world, "staff")
    response = client.post(
        reverse("petitions:rules_create"),
        {"office": world.office.code, "title": "Quy chế phối hợp số 2", "counterpart": "UBND",
         "signed_on": "2025-06-01", "projects": [land.project.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    rules = CoordinationRules.objects.get(title="Quy chế phối hợp số 2")
    assert list(rules.projects.all()) == [land.project]
    assert AuditEntry.objects.filter(action="clearance.rules_create", object_id=str(rules.pk))
    other = petition_services.do_create_key_project(
        world.users["other_staff"], world.other_office, name="Dự án khác"
    )
    staff = world.users["staff"]
    with translation.override("vi"):
        cases: list[tuple[dict[str, Any], str]] = [
            ({"title": " ", "counterpart": "UBND", "signed_on": TODAY}, "Nhập tên quy chế"),
            ({"title": "A", "counterpart": "", "signed_on": TODAY}, "cơ quan cùng ký"),
            ({"title": "A", "counterpart": "B", "signed_on": TODAY + datetime.timedelta(1)},
             "sau ngày hôm nay"),
            ({"title": "A", "counterpart": "B", "signed_on": TODAY, "projects": [other]},
             "Cơ quan Khối khác"),
        ]  # fmt: skip
        for kwargs, words in cases:
            with pytest.raises(ValidationError) as exc:
                services.do_create_rules(staff, world.office, **kwargs)
            assert words in _message(exc), kwargs
    assert CoordinationRules.objects.count() == 2
    for persona in ("viewer", "reporter", "org_leader"):
        assert _client(world, persona).get(reverse("petitions:rules_create")).status_code == 404
    viewer_page = _client(world, "viewer").get(reverse("petitions:rules_list")).content.decode()
    assert reverse("petitions:rules_create") not in viewer_page
    assert "Quy chế phối hợp số 2" in viewer_page
    assert "Quy chế phối hợp số 2" not in (
        _client(world, "reporter").get(reverse("petitions:rules_list")).content.decode()
    )
