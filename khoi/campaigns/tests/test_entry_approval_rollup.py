"""A commune enters its grid, submits; the office approves, returns, reopens; roll-up."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from khoi.audit.models import AuditEntry
from khoi.campaigns import importer, rollup, services
from khoi.campaigns.models import Submission, Value
from khoi.campaigns.tests.factories import full_cells, setup_campaign

pytestmark = pytest.mark.django_db
Q = "2017-Q3"


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def test_the_reporter_saves_the_grid_and_the_commune_total_is_computed(
    world: Any, c: dict[str, Any]
) -> None:
    saved = services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c)
    )
    assert saved == 5
    totals = rollup.commune_totals([c["pct"], c["yes"]], [Q])
    pct = totals[(c["pct"].pk, world.commune.pk, Q)]
    assert (pct.numerator, pct.denominator) == (Decimal(110), Decimal(150))
    assert pct.value("percent") == Decimal("73.33")  # 110 / 150 by hand
    assert totals[(c["yes"].pk, world.commune.pk, Q)].value("yesno") == 1


def test_one_bad_cell_refuses_the_whole_grid_with_vietnamese_messages(
    world: Any, c: dict[str, Any]
) -> None:
    cells = full_cells(c)
    cells[0].value = "150"  # above 100
    cells[2].numerator = "60"  # 60 > 50
    with pytest.raises(services.GridRefused) as exc:
        services.do_save_figures(world.users["reporter"], c["campaign"], world.commune, Q, cells)
    text = " ".join(exc.value.messages)
    assert "lớn hơn mức cao nhất cho phép (100)" in text
    assert "Tử số (60) lớn hơn mẫu số (50)" in text
    assert Value.objects.count() == 0 and Submission.objects.count() == 0


def test_a_reporter_cannot_enter_another_communes_figures(world: Any, c: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="xã, phường mình"):
        services.do_save_figures(world.users["reporter"], c["campaign"], world.commune2, Q, [])
    with pytest.raises(ValidationError):
        services.do_save_figures(
            world.users["staff"], c["campaign"], world.commune, Q, full_cells(c)
        )


def test_an_evidence_file_is_checked_by_its_content(world: Any, c: dict[str, Any]) -> None:
    cells = full_cells(c)
    cells[0].evidence = SimpleUploadedFile("anh.png", b"MZ\x90\x00 not a picture")
    with pytest.raises(services.GridRefused):
        services.do_save_figures(world.users["reporter"], c["campaign"], world.commune, Q, cells)
    cells[0].evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung")
    services.do_save_figures(world.users["reporter"], c["campaign"], world.commune, Q, cells)
    assert Value.objects.get(indicator=c["count"]).evidence_type == "application/pdf"


def test_submit_approve_lock_reopen_and_return(world: Any, c: dict[str, Any]) -> None:
    reporter, staff = world.users["reporter"], world.users["staff"]
    services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c)[:1])
    with pytest.raises(ValidationError, match="ô chưa nhập"):
        services.do_submit_figures(reporter, c["campaign"], world.commune, Q)
    services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c))
    sub = services.do_submit_figures(reporter, c["campaign"], world.commune, Q)
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c, "6"))
    with pytest.raises(ValidationError):
        services.do_approve_figures(reporter, sub)
    services.do_approve_figures(staff, sub)
    with pytest.raises(ValidationError, match="đã được duyệt và đã khóa"):
        services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c, "6"))
    with pytest.raises(ValidationError, match="Nêu lý do"):
        services.do_reopen_figures(staff, sub, "  ")
    services.do_reopen_figures(staff, sub, "Sai số buổi tuyên truyền")
    assert AuditEntry.objects.filter(
        action="figures.reopen", changes__reason__1="Sai số buổi tuyên truyền"
    ).exists()
    services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c, "6"))
    services.do_submit_figures(reporter, c["campaign"], world.commune, Q)
    sub.refresh_from_db()
    services.do_return_figures(staff, sub, "Thiếu minh chứng")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.RETURNED and sub.reason == "Thiếu minh chứng"


def test_town_and_province_totals_equal_the_hand_computed_sum(
    world: Any, c: dict[str, Any]
) -> None:
    services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c, "7")
    )
    Value.objects.create(
        indicator=c["count"], commune=world.commune2, period=Q, year=2017, number=Decimal(4)
    )
    Value.objects.create(
        indicator=c["count"], commune=world.other_commune, period=Q, year=2017, number=Decimal(100)
    )
    rollup.rebuild_province_totals(c["campaign"])  # the two figures above skipped the services
    town = rollup.unit_totals([c["count"]], [Q], world.town)
    province = rollup.unit_totals([c["count"]], [Q], world.province)
    assert town[(c["count"].pk, Q)].number == Decimal(11)
    assert province[(c["count"].pk, Q)].number == Decimal(111)


def test_the_import_reads_the_template_back_and_names_row_and_column(
    world: Any, c: dict[str, Any]
) -> None:
    from khoi.campaigns import periods as P

    data = importer.build_template(c["campaign"], world.commune, P.parse(Q))
    wb = load_workbook(io.BytesIO(data))
    ws = wb[importer.SHEET_NAME]
    ws["B2"] = 12
    ws["C3"], ws["D3"] = 40, 50
    ws["E3"] = "Có"
    ws["C4"], ws["D4"] = 60, 50
    buffer = io.BytesIO()
    wb.save(buffer)
    _cells, problems = importer.parse_workbook(
        buffer.getvalue(), c["campaign"], world.commune, P.parse(Q)
    )
    assert problems == ["Dòng 4, cột C–D (Khu 2, chỉ tiêu 2): Tử số (60) lớn hơn mẫu số (50)."]
    ws["B3"] = 5
    ws["C4"] = 20
    buffer = io.BytesIO()
    wb.save(buffer)
    _cells, problems = importer.parse_workbook(
        buffer.getvalue(), c["campaign"], world.commune, P.parse(Q)
    )
    assert problems == ["Dòng 3, cột B: chỉ tiêu 1 không báo cáo ở cấp này."]


def test_the_grid_page_saves_refuses_and_runs_a_fixed_number_of_queries(
    world: Any, c: dict[str, Any], as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user("reporter")
    url = reverse("campaigns:entry", args=[c["campaign"].pk, world.commune.pk, Q])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    key = f"{c['count'].pk}-0"
    response = client.post(url, {f"v-{key}": "500", "action": "save"})
    assert "lớn hơn mức cao nhất" in response.content.decode()
    response = client.post(url, {f"v-{key}": "5", "action": "save"})
    assert response.status_code == 302
    assert Value.objects.get(indicator=c["count"]).number == 5
    services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c)
    )
    with django_assert_max_num_queries(8):
        body = client.get(url).content.decode()
    assert "<strong>73,33</strong>" in body  # the commune total of 80/100 and 30/50, computed


@pytest.mark.parametrize(
    ("persona", "detail", "grid"),
    [
        ("office_head", 200, 200),
        ("staff", 200, 200),
        ("viewer", 200, 200),
        ("reporter", 200, 200),
        ("org_leader", 200, 404),
        ("other_staff", 404, 404),
        ("outsider", 404, 404),
        ("admin", 200, 200),
    ],
)
def test_pages_per_persona(
    world: Any, c: dict[str, Any], as_user: Any, persona: str, detail: int, grid: int
) -> None:
    client = as_user(persona)
    assert client.get(reverse("campaigns:detail", args=[c["campaign"].pk])).status_code == detail
    url = reverse("campaigns:entry", args=[c["campaign"].pk, world.commune.pk, Q])
    assert client.get(url).status_code == grid
    other = reverse("campaigns:entry", args=[c["campaign"].pk, world.commune2.pk, Q])
    assert client.get(other).status_code == (404 if persona == "reporter" else grid)


def test_the_api_refuses_a_unit_outside_the_reporters_scope(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    client = as_user("reporter")
    base = f"/api/v1/campaigns/{c['campaign'].pk}/figures"
    body = {"cells": [{"indicator_id": c["count"].pk, "value": "3"}]}
    bad = client.put(f"{base}/{world.commune2.pk}/{Q}", body, content_type="application/json")
    assert bad.status_code == 422 and "xã" in bad.json()["detail"]
    ok = client.put(f"{base}/{world.commune.pk}/{Q}", body, content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"saved": 1}
    assert (
        as_user("outsider").get(f"/api/v1/campaigns/{c['campaign'].pk}/indicators").status_code
        == 404
    )
