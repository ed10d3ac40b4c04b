from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from khoi.audit.models import AuditEntry
from khoi.org.models import ResidentialArea
from khoi.testing.factories import World


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("khu.xlsx", buf.getvalue())


def test_the_unit_browser_searches_names_without_diacritics(world: World, as_user) -> None:
    body = (
        as_user("viewer")
        .get(reverse("org:unit_list"), {"era": "former", "q": "ha an"})
        .content.decode()
    )
    assert "Phường Hà An" in body


def test_a_commune_page_shows_its_parents(world: World, as_user) -> None:
    body = (
        as_user("viewer").get(reverse("org:unit_detail", args=[world.commune.pk])).content.decode()
    )
    assert "Thị xã Quảng Yên" in body and "Tỉnh Quảng Ninh" in body


def test_staff_add_a_residential_area_and_duplicates_are_refused(world: World, as_user) -> None:
    url = reverse("org:unit_detail", args=[world.commune.pk])
    client = as_user("staff")
    assert client.post(url, {"name": "Khu phố 1", "kind": "quarter"}).status_code == 302
    again = client.post(url, {"name": "khu  phố 1", "kind": "quarter"})
    assert again.status_code == 200
    assert ResidentialArea.objects.filter(commune=world.commune).count() == 1
    assert AuditEntry.objects.filter(action="area.create").count() == 1


def test_the_commune_reporter_adds_areas_in_their_commune_only(world: World, as_user) -> None:
    client = as_user("reporter")
    own = reverse("org:unit_detail", args=[world.commune.pk])
    other = reverse("org:unit_detail", args=[world.commune2.pk])
    assert client.post(own, {"name": "Thôn Cẩm La", "kind": "village"}).status_code == 302
    assert client.post(other, {"name": "Thôn Cẩm La", "kind": "village"}).status_code == 404
    assert as_user("viewer").post(own, {"name": "Thôn 2", "kind": "village"}).status_code == 404


def test_areas_are_imported_from_a_spreadsheet_all_or_nothing(world: World, as_user) -> None:
    url = reverse("org:unit_detail", args=[world.commune.pk])
    client = as_user("staff")
    bad = _xlsx([["Tên", "Loại"], ["Thôn 1", "thôn"], ["", "thôn"], ["Thôn 3", "làng xã"]])
    response = client.post(url, {"file": bad})
    body = response.content.decode()
    assert response.status_code == 200
    assert "3" in body and "4" in body  # the bad rows are named
    assert ResidentialArea.objects.count() == 0
    good = _xlsx(
        [["Tên", "Loại"], ["Thôn 1", "thôn"], ["Khu phố Cửa Lục", "Khu phố"], ["Tổ 5", None]]
    )
    assert client.post(url, {"file": good}).status_code == 302
    kinds = dict(ResidentialArea.objects.values_list("name", "kind"))
    assert kinds == {"Thôn 1": "village", "Khu phố Cửa Lục": "quarter", "Tổ 5": "area"}


def test_a_disguised_file_is_refused(world: World, as_user) -> None:
    url = reverse("org:unit_detail", args=[world.commune.pk])
    fake = SimpleUploadedFile("khu.xlsx", b"%PDF-1.4 not a spreadsheet")
    response = as_user("staff").post(url, {"file": fake})
    assert response.status_code == 200
    assert response.context["import_form"].errors
    assert ResidentialArea.objects.count() == 0


def test_the_template_downloads_as_xlsx(world: World, as_user) -> None:
    response = as_user("staff").get(reverse("org:area_template"))
    assert response.content[:2] == b"PK"


def test_the_api_docs_page_uses_no_cdn(db: None, as_user, world: World) -> None:
    body = as_user("staff").get("/api/v1/docs").content.decode()
    assert "cdn" not in body.lower()
    assert "swagger" in body.lower()
