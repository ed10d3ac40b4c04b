"""Register and report pages across personas (404 for anything out of reach)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as open_docx

from khoi.documents import services
from khoi.documents.models import Attachment, Document, PeriodicReport
from khoi.documents.tests.factories import PDF, incoming, outgoing
from khoi.testing.factories import World

D = datetime.date
READERS = {"office_head": 200, "staff": 200, "org_leader": 200, "viewer": 200, "admin": 200,
           "reporter": 404, "outsider": 404, "other_staff": 404}  # fmt: skip
WRITERS = {"office_head": 200, "staff": 200, "admin": 200, "org_leader": 404, "viewer": 404,
           "reporter": 404, "outsider": 404, "other_staff": 404}  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_a_document_is_read_by_the_office_and_its_organizations_only(
    world: World, as_user, persona: str, status: int
) -> None:
    doc = incoming(world)
    services.do_attach_file(world.users["staff"], doc, SimpleUploadedFile("nq.pdf", PDF))
    client = as_user(persona)
    assert client.get(f"/documents/{doc.pk}/").status_code == status
    file = Attachment.objects.get()
    assert client.get(f"/documents/{doc.pk}/files/{file.pk}/").status_code == status


@pytest.mark.parametrize(("persona", "status"), WRITERS.items())
def test_only_office_staff_register_issue_and_edit(
    world: World, as_user, persona: str, status: int
) -> None:
    doc = incoming(world)
    client = as_user(persona)
    assert client.get("/documents/new/?office=quang-yen").status_code == status
    assert client.get("/documents/issue/?office=quang-yen").status_code == status
    assert client.get(f"/documents/{doc.pk}/edit/").status_code in (status, 404)
    if status == 404:
        posted = client.post(
            f"/documents/{doc.pk}/attach/", {"file": SimpleUploadedFile("a.pdf", PDF)}
        )
        assert posted.status_code == 404 and Attachment.objects.count() == 0


def test_the_register_list_is_searchable_and_hidden_from_outsiders(world: World, as_user) -> None:
    incoming(world)
    incoming(world, "217-QĐ/TW", issued_on=D(2014, 1, 12), received_on=None,
             issuing_body="Bộ Chính trị",
             summary="Quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc")  # fmt: skip
    outgoing(world)
    client = as_user("org_leader")

    def found(**params: str) -> list[str]:
        page = client.get("/documents/", params)
        assert page.status_code == 200
        return [d.notation for d in page.context["page"]]

    assert found(q="217 - qđ/tw") == ["217-QĐ/TW"]
    assert found(q="giam sat phan bien") == ["217-QĐ/TW"]
    assert found(q="giám sát") == ["217-QĐ/TW"]
    assert found(issuer="bộ chính trị") == ["217-QĐ/TW"]
    assert found(issuer="TU") == ["11-NQ/TU"]
    assert found(**{"from": "01/01/2017", "to": "31/01/2017"}) == ["11-NQ/TU"]
    assert found(direction="out") == ["01/KH-MTTQ"]
    assert as_user("outsider").get("/documents/").status_code == 404
    assert as_user("reporter").get("/documents/").status_code == 404
    assert found() == ["01/KH-MTTQ", "11-NQ/TU", "217-QĐ/TW"]
    assert as_user("other_staff").get("/documents/").context["page"].object_list.count() == 0


def test_the_register_list_runs_a_fixed_number_of_queries(world: World, as_user) -> None:
    client = as_user("staff")
    incoming(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/documents/").status_code == 200
        return len(ctx.captured_queries)

    first = count()
    for n in range(10):
        outgoing(world, summary=f"Kế hoạch {n}")
    assert count() == first


def test_registering_through_the_page_with_a_file(world: World, as_user) -> None:
    client = as_user("staff")
    page = client.post("/documents/new/", {
        "office": "quang-yen", "direction": "in", "notation": "Số: 04-NQ/TW",
        "issued_on": "30/10/2016", "received_on": "05/11/2016",
        "issuing_body": "Ban Chấp hành Trung ương", "summary": "Nghị quyết Hội nghị Trung ương 4",
        "file": SimpleUploadedFile("nq04.pdf", PDF),
    })  # fmt: skip
    doc = Document.objects.get()
    assert page.status_code == 302 and doc.notation == "04-NQ/TW"
    assert doc.attachments.get().content_type == "application/pdf"


def test_a_bad_notation_or_file_on_the_page_keeps_the_input_and_saves_nothing(
    world: World, as_user
) -> None:
    client = as_user("staff")
    data = {
        "office": "quang-yen", "direction": "out", "notation": "NQ/TW", "issued_on": "30/10/2016",
        "issuing_body": "BCH TW", "summary": "Nghị quyết",
    }  # fmt: skip
    page = client.post("/documents/new/", data)  # an outgoing notation must be well formed
    assert page.status_code == 200 and page.context["form"].errors["notation"]
    data["notation"], data["direction"] = "04-NQ/TW", "in"
    bad = client.post("/documents/new/", {**data, "file": SimpleUploadedFile("a.pdf", b"MZ...")})
    assert bad.status_code == 200 and "file" in bad.context["form"].errors
    assert Document.objects.count() == 0


def test_issuing_through_the_page_gives_the_next_number(world: World, as_user) -> None:
    client = as_user("staff")
    data = {"office": "quang-yen", "system": "state", "doc_type": "tb", "issuer_code": "MTTQ",
            "issued_on": "13/10/2017", "issuing_body": "Ủy ban MTTQ thị xã",
            "summary": "Thông báo kết luận giao ban"}  # fmt: skip
    client.post("/documents/issue/", data)
    client.post("/documents/issue/", data)
    assert sorted(Document.objects.values_list("notation", flat=True)) == [
        "01/TB-MTTQ", "02/TB-MTTQ"
    ]  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_reports_are_read_like_the_register(
    world: World, as_user, persona: str, status: int
) -> None:
    report = services.do_prepare_report(world.users["staff"], world.office, "2017-10")
    client = as_user(persona)
    assert client.get(f"/documents/reports/{report.pk}/").status_code == status
    got = client.get(f"/documents/reports/{report.pk}/download.docx")
    assert got.status_code == status
    if status == 200:
        assert open_docx(io.BytesIO(got.content)).paragraphs


def test_staff_prepare_edit_and_issue_a_report_through_the_pages(world: World, as_user) -> None:
    client = as_user("staff")
    page = client.post("/documents/reports/", {"office": "quang-yen", "kind": "10", "year": "2017"})
    report = PeriodicReport.objects.get()
    assert page.status_code == 302
    assert client.post("/documents/reports/", {"office": "quang-yen", "kind": "13", "year": "2017"}
                       ).context["form"].errors["kind"]  # fmt: skip
    client.post(f"/documents/reports/{report.pk}/sections/work.activities/",
                {"work.activities-text": "Dòng một\nDòng hai"})  # fmt: skip
    report.refresh_from_db()
    assert report.narrative["work.activities"] == ["Dòng một", "Dòng hai"]
    assert as_user("viewer").post(
        f"/documents/reports/{report.pk}/sections/work.activities/", {"work.activities-text": "x"}
    ).status_code == 404  # fmt: skip
    client.post(f"/documents/reports/{report.pk}/issue/",
                {"issued_on": "13/10/2017", "signer": "Lê Đức Trà"})  # fmt: skip
    report.refresh_from_db()
    assert report.status == "issued" and report.document is not None
    assert report.document.notation == "01/BC-MTTQ"
    xlsx = client.get(f"/documents/reports/{report.pk}/download.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/documents/reports/{report.pk}/download.odt").status_code == 404


def test_the_history_of_a_document_follows_its_access_rules(world: World, as_user) -> None:
    doc = incoming(world)
    url = f"/audit/documents.document/{doc.pk}/"
    assert as_user("viewer").get(url).status_code == 200
    assert as_user("other_staff").get(url).status_code == 404


@pytest.mark.parametrize(("persona", "status"), WRITERS.items())
def test_only_office_staff_prepare_edit_and_issue_reports(
    world: World, as_user, persona: str, status: int
) -> None:
    report = services.do_prepare_report(world.users["staff"], world.office, "2017-10")
    client = as_user(persona)
    writes = 302 if status == 200 else 404
    prepared = client.post(
        "/documents/reports/", {"office": "quang-yen", "kind": "11", "year": "2017"}
    )
    assert prepared.status_code == writes
    edited = client.post(
        f"/documents/reports/{report.pk}/sections/work.tasks/", {"work.tasks-text": "Sửa"}
    )
    assert edited.status_code == writes
    issued = client.post(
        f"/documents/reports/{report.pk}/issue/", {"issued_on": "13/10/2017", "signer": "Trà"}
    )
    assert issued.status_code == writes
    report.refresh_from_db()
    assert (report.status == "issued") is (status == 200)
    assert PeriodicReport.objects.filter(period="2017-11").exists() is (status == 200)
