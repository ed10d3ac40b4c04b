"""Permissions per persona on pages and in the API; every link shown opens; exports and
the six-monthly summary opened and read; report, agenda, dashboard and timeline."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from khoi.lib import sheets
from khoi.oversight.models import Recommendation, Supervision
from khoi.oversight.services import recommendations as recs
from khoi.oversight.services import supervision as services
from khoi.oversight.tests.factories import programme, supervision
from khoi.registry import AGENDA_PROVIDERS, REPORT_SECTIONS, timeline

D = datetime.date
PERSONAS = ["office_head", "org_leader", "staff", "other_staff", "reporter", "viewer",
            "outsider", "admin"]  # fmt: skip


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    staff = world.users["staff"]
    p = programme(world)
    office_sup = supervision(world, programme=p, planned_from=D(2026, 3, 1),
                             planned_until=D(2026, 3, 31))  # fmt: skip
    done = supervision(world)
    services.add_session(staff, done, held_on=D(2025, 9, 15))
    services.record_step(staff, done, "report", on=D(2025, 9, 26))
    overdue = recs.create_recommendation(
        staff, world.office, body="UBND phường Hà An", content="Công khai phương án bồi thường",
        issued_on=D(2025, 9, 26), due_on=D(2025, 10, 10), supervision=done,
    )  # fmt: skip
    answered = recs.create_recommendation(
        staff, world.office, body="UBND thị xã", content="Chỉ đạo chi trả dứt điểm",
        issued_on=D(2025, 9, 26), due_on=D(2025, 10, 30), supervision=done,
    )  # fmt: skip
    recs.answer_recommendation(staff, answered, answered_on=D(2025, 10, 15), outcome="accepted")
    due_week = recs.create_recommendation(
        staff, world.office, body="UBND xã Tiền Phong", content="Đối thoại với các hộ",
        issued_on=D(2025, 10, 1), due_on=D(2025, 10, 24),
    )  # fmt: skip
    reporter_sup = supervision(
        world, actor=world.users["reporter"], organization=world.commune_front,
        unit=world.commune, subject="Giám sát bình xét hộ nghèo", body="UBND phường Hà An",
        form=Supervision.Form.INSPECTION_BOARD,
    )  # fmt: skip
    reporter_rec = recs.create_recommendation(
        world.users["reporter"], world.office, body="UBND phường Hà An",
        content="Công khai danh sách hộ nghèo", due_on=D(2025, 11, 20), supervision=reporter_sup,
    )  # fmt: skip
    return {"programme": p, "office_sup": office_sup, "done": done, "overdue": overdue,
            "answered": answered, "due_week": due_week, "reporter_sup": reporter_sup,
            "reporter_rec": reporter_rec}  # fmt: skip


def _client(world: Any, persona: str) -> Client:
    c = Client()
    c.force_login(world.users[persona])
    return c


def test_the_commune_reporter_sees_only_their_commune(world: Any, data: dict[str, Any]) -> None:
    c = _client(world, "reporter")
    page = c.get(reverse("oversight:index")).content.decode()
    assert "Giám sát bình xét hộ nghèo" in page and "tái định cư" not in page
    assert c.get(reverse("oversight:supervision_detail", args=[data["done"].pk])).status_code == 404
    assert (
        c.get(reverse("oversight:supervision_detail", args=[data["reporter_sup"].pk])).status_code
        == 200
    )
    assert (
        c.get(reverse("oversight:recommendation_detail", args=[data["overdue"].pk])).status_code
        == 404
    )
    api = c.get("/api/v1/oversight/recommendations").json()
    assert [r["id"] for r in api["items"]] == [data["reporter_rec"].pk]
    r = c.post("/api/v1/oversight/supervisions", {
        "office": world.office.pk, "organization": world.commune_front.pk,
        "unit": world.commune2.pk, "subject": "Giám sát", "body": "UBND xã Tiền Phong",
        "planned_from": "2025-11-01", "planned_until": "2025-11-30"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 422
    assert Supervision.objects.filter(unit=world.commune2).count() == 0


def test_viewer_reads_everything_and_changes_nothing(world: Any, data: dict[str, Any]) -> None:
    c = _client(world, "viewer")
    url = reverse("oversight:recommendation_detail", args=[data["overdue"].pk])
    page = c.get(url)
    assert page.status_code == 200 and b'name="action"' not in page.content
    assert c.post(url, {"action": "answer", "answer-answered_on": "15/10/2025",
                        "answer-outcome": "accepted"}).status_code == 404  # fmt: skip
    r = c.post(f"/api/v1/oversight/recommendations/{data['overdue'].pk}/answers",
               {"answered_on": "2025-10-15", "outcome": "accepted"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 404
    data["overdue"].refresh_from_db()
    assert data["overdue"].status == Recommendation.Status.OPEN


def test_other_office_and_outsider_see_nothing(world: Any, data: dict[str, Any]) -> None:
    for persona in ("other_staff", "outsider"):
        c = _client(world, persona)
        assert (
            c.get(reverse("oversight:supervision_detail", args=[data["done"].pk])).status_code
            == 404
        )
        assert c.get(f"/api/v1/oversight/supervisions/{data['done'].pk}").status_code == 404
        assert c.get("/api/v1/oversight/recommendations").json()["items"] == []


def test_api_refusals_are_vietnamese_and_save_nothing(world: Any, data: dict[str, Any]) -> None:
    c = _client(world, "staff")
    r = c.post("/api/v1/oversight/recommendations", {"office": world.office.pk, "body": "",
               "content": "x"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert "cơ quan" in errors["body"][0] and "hạn trả lời" in errors["due_on"][0].lower()
    r = c.post(f"/api/v1/oversight/recommendations/{data['overdue'].pk}/answers",
               {"answered_on": "2025-09-01", "outcome": "accepted"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and "answered_on" in r.json()["errors"]
    r = c.post(f"/api/v1/oversight/supervisions/{data['done'].pk}/members",
               {"person": world.people["staff"].pk, "organization": world.front.pk},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and "person" in r.json()["errors"]
    assert Recommendation.objects.count() == 4


def test_every_link_on_the_pages_opens_for_each_persona(world: Any, data: dict[str, Any]) -> None:
    href = re.compile(r'href="(/(?:oversight|api)/[^"#]*)"')
    for persona in PERSONAS:
        c = _client(world, persona)
        home = c.get("/").content.decode()
        start = [u.replace("&amp;", "&") for u in href.findall(home)]
        seen: set[str] = set()
        queue = [*start, reverse("oversight:index"), reverse("oversight:recommendation_list")]
        menu_shown = "/oversight/" in home
        for url in queue[:80]:
            if url in seen:
                continue
            seen.add(url)
            r = c.get(url)
            if url in start or menu_shown:
                assert r.status_code == 200, (persona, url, r.status_code)
            if r.status_code == 200 and r.get("Content-Type", "").startswith("text/html"):
                queue += [u.replace("&amp;", "&") for u in href.findall(r.content.decode())]
        if not menu_shown:
            assert c.get(reverse("oversight:index")).status_code == 404, persona


def test_the_register_filters_and_exports(world: Any, data: dict[str, Any]) -> None:
    c = _client(world, "staff")
    page = c.get(reverse("oversight:recommendation_list") + "?state=overdue").content.decode()
    assert "Công khai phương án bồi thường" in page and "Chỉ đạo chi trả" not in page
    page = c.get(reverse("oversight:recommendation_list") + "?q=chi+tra").content.decode()
    assert "Chỉ đạo chi trả" in page and "Đối thoại" not in page
    r = c.get(reverse("oversight:recommendation_export") + "?state=overdue")
    assert r.status_code == 200 and not sheets.formulas(r.content)
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert len(rows) == 2 and rows[1][1] == "UBND phường Hà An"


def test_the_six_monthly_summary_is_a_real_document(world: Any, data: dict[str, Any]) -> None:
    c = _client(world, "staff")
    r = c.get(reverse("oversight:summary_docx") + f"?office={world.office.pk}&year=2025&half=2")
    assert r.status_code == 200
    from docx import Document

    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "6 tháng cuối năm 2025" in text
    assert "đã gửi 4 kiến nghị" in text and "1 tiếp thu" in text
    assert "Công khai phương án bồi thường" in cells  # the overdue one, listed
    assert "UBND thị xã" in cells


def test_report_agenda_dashboard_and_query_counts(
    world: Any, data: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    sections = [
        s for p in REPORT_SECTIONS if (s := p(world.office, D(2025, 7, 1), D(2025, 12, 31)))
    ]
    keys = {s.key: s for s in sections}
    assert keys["oversight.supervisions"].figures["supervisions_done"] == 1
    assert keys["oversight.recommendations"].figures["recommendations_overdue"] == 1
    agenda = [a for p in AGENDA_PROVIDERS for a in p(world.office, D(2025, 10, 20))]
    sources = {a.source for a in agenda}
    assert {"oversight.recommendation.overdue", "oversight.recommendation.due"} <= sources
    c = _client(world, "staff")
    with django_assert_max_num_queries(9):
        assert c.get(reverse("oversight:recommendation_list")).status_code == 200


def test_a_key_projects_timeline_shows_its_supervisions(world: Any, data: dict[str, Any]) -> None:
    from khoi.petitions.models import KeyProject

    project = KeyProject.objects.create(office=world.office, name="Trung tâm Y tế")
    services.update_supervision(world.users["staff"], data["done"], key_project_id=project.pk)
    kinds = {e.kind for e in timeline(world.users["staff"], project)}
    assert {"Dự kiến giám sát", "Báo cáo giám sát", "Kiến nghị", "Kiến nghị được trả lời"} <= kinds
    assert timeline(world.users["other_staff"], project) == [] or all(
        "giám sát" not in e.kind.lower() for e in timeline(world.users["other_staff"], project)
    )
