"""Every page for every persona; filters, search, fixed query counts, bad uploads."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from khoi.petitions import services
from khoi.petitions.models import Petition, ReceptionSession, Status
from khoi.petitions.tests.conftest import Case, D, intake

READERS = {"office_head", "staff", "viewer", "admin"}
PERSONAS = ["office_head", "org_leader", "staff", "other_staff", "reporter", "viewer", "outsider",
            "admin"]  # fmt: skip


def _vi(msgid: str, **values: str) -> str:
    """The message as the pages show it (the site speaks Vietnamese by default)."""
    with translation.override("vi"):
        text = gettext(msgid)
    return text % values if values else text


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_petition_pages_answer_each_persona_within_its_reach(
    case: Case,
    as_user,
    persona: str,
) -> None:
    client = as_user(persona)
    detail = client.get(reverse("petitions:petition_detail", args=[case.complaint.pk]))
    assert detail.status_code == (200 if persona in READERS else 404)
    listing = client.get(reverse("petitions:petition_list")).content.decode()
    shown = reverse("petitions:petition_detail", args=[case.complaint.pk]) in listing
    assert shown == (persona in READERS)
    for name in ("overdue_list", "statistics", "reception_list", "project_list"):
        assert client.get(reverse(f"petitions:{name}")).status_code == 200
    other = client.get(reverse("petitions:petition_detail", args=[case.other.pk]))
    assert other.status_code == (200 if persona in {"other_staff", "admin"} else 404)
    create = client.get(reverse("petitions:petition_create"))
    assert create.status_code == (
        200 if persona in {"office_head", "staff", "other_staff"} else 404
    )


def test_the_anonymous_visitor_is_sent_to_sign_in(client) -> None:
    response = client.get(reverse("petitions:petition_list"))
    assert response.status_code == 302


def test_the_list_filters_and_searches_without_diacritics(case: Case, as_user) -> None:
    client = as_user("staff")
    url = reverse("petitions:petition_list")
    detail = reverse("petitions:petition_detail", args=[case.complaint.pk])
    assert detail in client.get(url, {"q": "don gia boi thuong"}).content.decode()
    assert detail not in client.get(url, {"q": "chieu sang"}).content.decode()
    assert detail in client.get(url, {"kind": "complaint"}).content.decode()
    assert detail not in client.get(url, {"kind": "denunciation"}).content.decode()
    assert detail in client.get(url, {"project": case.project.pk}).content.decode()
    assert detail in client.get(url, {"unit": case.world.town.pk}).content.decode()
    assert detail not in client.get(url, {"unit": case.world.commune2.pk}).content.decode()
    assert detail in client.get(url, {"deadline": "on_time"}).content.decode()
    assert detail not in client.get(url, {"deadline": "overdue"}).content.decode()
    assert detail in client.get(url, {"status": "received"}).content.decode()


def test_the_list_runs_a_fixed_number_of_queries(case: Case, as_user) -> None:
    client = as_user("staff")
    url = reverse("petitions:petition_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        services.do_create_petition(
            case.world.users["staff"], case.world.office,
            intake(subject=f"Việc số {i} khác hẳn", content=f"Nội dung riêng {i} về cống số {i}"),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as stats:
        client.get(reverse("petitions:statistics"))
    assert len(stats) <= len(few) + 6


def test_intake_through_the_form_with_a_scan_and_its_redacted_copy(case: Case, as_user) -> None:
    client = as_user("staff")
    response = client.post(
        reverse("petitions:petition_create"),
        {
            "kind": "denunciation", "channel": "handed", "received_on": "2025-10-16",
            "subject": "Tố cáo cán bộ thu tiền", "content": "Nội dung tố cáo.",
            "name_0": "Người Tố Cáo Mới", "address_0": "Phường Hà An",
            "attachment": SimpleUploadedFile("scan.png", PNG),
            "redacted": SimpleUploadedFile("scan-che.pdf", PDF),
        },
    )  # fmt: skip
    assert response.status_code == 302
    p = Petition.objects.latest("id")
    assert p.confidential and p.attachments.count() == 1
    att = p.attachments.get()
    staff_file = client.get(reverse("petitions:attachment_download", args=[p.pk, att.pk]))
    assert staff_file.status_code == 200
    assert b"".join(staff_file.streaming_content).startswith(b"%PDF")  # the redacted copy
    head = as_user("office_head")
    original = head.get(reverse("petitions:attachment_download", args=[p.pk, att.pk]))
    assert b"".join(original.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("scan.pdf", PNG, "The content of this file is not a %(kind)s file as its name says."),
        ("scan.exe", b"MZ" + b"\x00" * 20, "Only PDF, JPEG and PNG scans can be attached."),
        ("scan.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "The file is larger than 10 MB."),
    ],
)
def test_a_disguised_or_oversized_scan_is_refused_and_the_form_keeps_its_data(
    case: Case,
    as_user,
    name: str,
    content: bytes,
    words: str,
) -> None:
    client = as_user("staff")
    before = Petition.objects.count()
    response = client.post(
        reverse("petitions:petition_create"),
        {
            "kind": "complaint", "channel": "post", "received_on": "2025-10-16",
            "subject": "Giữ nguyên nội dung", "content": "Nội dung dài cần giữ lại.",
            "name_0": "Nguyễn Văn Thành", "attachment": SimpleUploadedFile(name, content),
        },
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert _vi(words, kind="PDF") in body
    assert "Nội dung dài cần giữ lại." in body
    assert Petition.objects.count() == before


def test_a_form_with_a_future_date_and_no_petitioner_shows_both_errors(case: Case, as_user) -> None:
    response = as_user("staff").post(
        reverse("petitions:petition_create"),
        {"kind": "complaint", "channel": "post", "received_on": "2025-12-01",
         "subject": "S", "content": "C"},
    )  # fmt: skip
    body = response.content.decode()
    assert _vi("The received date cannot be in the future.") in body
    assert _vi("A complaint must name at least one petitioner.") in body


def test_an_unknown_kind_in_the_form_is_refused(case: Case, as_user) -> None:
    response = as_user("staff").post(
        reverse("petitions:petition_create"),
        {"kind": "lawsuit", "channel": "post", "received_on": "2025-10-01", "subject": "S",
         "content": "C", "name_0": "A"},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'name="kind"' in response.content.decode()


def test_steps_through_the_pages_and_the_forwarding_letter(case: Case, as_user) -> None:
    client = as_user("staff")
    url = reverse("petitions:petition_action", args=[case.complaint.pk])
    client.post(url, {"action": "classify"})
    client.post(url, {"action": "forward", "authority": "UBND thị xã", "letter_number": "7/MTTQ"})
    case.complaint.refresh_from_db()
    assert case.complaint.status == Status.FORWARDED
    fwd = case.complaint.forwardings.get()
    letter = client.get(reverse("petitions:forwarding_letter", args=[case.complaint.pk, fwd.pk]))
    xml = zipfile.ZipFile(io.BytesIO(letter.content)).read("word/document.xml").decode()
    assert "7/MTTQ" in xml and "UBND thị xã" in xml
    refused = client.post(url, {"action": "close"}, follow=True)
    with translation.override("vi"):
        expected = gettext("A petition cannot go from “%(old)s” to “%(new)s”.") % {
            "old": Status.FORWARDED.label,
            "new": Status.CLOSED.label,
        }
    assert expected in refused.content.decode()
    detail = client.get(reverse("petitions:petition_detail", args=[case.complaint.pk]))
    body = detail.content.decode()
    assert "Thụ lý giải quyết khiếu nại" in body and "Luật Khiếu nại 2011, Điều 27" in body
    assert "complaint-accept" not in body  # the rule's name and article, never its id
    viewer = as_user("viewer")
    viewer.post(url, {"action": "accept"})
    case.complaint.refresh_from_db()
    assert case.complaint.status == Status.FORWARDED


def test_a_reception_session_and_a_petition_from_it(case: Case, as_user) -> None:
    client = as_user("staff")
    response = client.post(
        reverse("petitions:reception_create"),
        {"held_on": "2025-10-16", "place": "Trụ sở tiếp công dân", "officials": "Lê Đức Trà",
         "citizens_count": 3, "summary": "Ý kiến về GPMB"},
    )  # fmt: skip
    session = ReceptionSession.objects.get()
    assert response.status_code == 302
    form = client.get(reverse("petitions:petition_create"), {"reception": session.pk})
    assert "16/10/2025" in form.content.decode()  # dd/mm/yyyy, whatever the browser
    assert client.get(reverse("petitions:reception_detail", args=[session.pk])).status_code == 200
    assert (
        as_user("outsider")
        .get(reverse("petitions:reception_detail", args=[session.pk]))
        .status_code
        == 404
    )
    future = client.post(
        reverse("petitions:reception_create"),
        {"held_on": "2025-11-16", "place": "X", "officials": "Y", "citizens_count": 1,
         "summary": "Z"},
    )  # fmt: skip
    assert future.status_code == 200 and ReceptionSession.objects.count() == 1


def test_the_overdue_list_shows_late_petitions(case: Case, as_user) -> None:
    late = services.do_create_petition(
        case.world.users["staff"], case.world.office, intake(received_on=D(2025, 9, 1))
    )
    body = as_user("staff").get(reverse("petitions:overdue_list")).content.decode()
    assert reverse("petitions:petition_detail", args=[late.pk]) in body


def test_statistics_count_matters_not_papers(case: Case, as_user) -> None:
    from khoi.petitions.views import statistics_for

    staff = case.world.users["staff"]
    again = services.do_create_petition(staff, case.world.office, intake())
    services.do_decide_duplicate(staff, again.duplicate_links.get(), confirm=True)
    stats = statistics_for(Petition.objects.filter(office=case.world.office))
    assert stats["total"] == {"papers": 3, "matters": 2}
    kinds = {r["key"]: (r["papers"], r["matters"]) for r in stats["by_kind"]}
    assert kinds["complaint"] == (2, 1)
    units = {r["label"]: r["papers"] for r in stats["by_unit"]}
    assert units["Phường Hà An"] == 1
    page = as_user("staff").get(reverse("petitions:statistics"))
    assert page.status_code == 200


def test_the_key_project_page_and_form(case: Case, as_user) -> None:
    client = as_user("staff")
    response = client.post(
        reverse("petitions:project_create"),
        {"name": "Khu công nghiệp cảng biển Tiền Phong", "status": "clearance",
         "units": [case.world.commune2.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert "Tiền Phong" in client.get(reverse("petitions:project_list")).content.decode()
    dup = client.post(
        reverse("petitions:project_create"),
        {"name": "Trung tâm Y tế thị xã", "status": "clearance"},
    )
    assert dup.status_code == 200


def test_assigning_and_deciding_duplicates_through_the_pages(case: Case, as_user) -> None:
    head = as_user("office_head")
    url = reverse("petitions:petition_assign", args=[case.complaint.pk])
    assert as_user("staff").post(url, {"handler": case.handler.pk}).status_code == 404
    head.post(url, {"handler": case.handler.pk})
    assert case.complaint.assignments.get().handler == case.handler
    again = services.do_create_petition(case.world.users["staff"], case.world.office, intake())
    link = again.duplicate_links.get()
    decide = reverse("petitions:duplicate_decide", args=[again.pk, link.pk])
    assert as_user("viewer").post(decide, {"decision": "confirm"}).status_code == 404
    as_user("staff").post(decide, {"decision": "confirm"})
    again.refresh_from_db()
    assert again.duplicate_of_id == case.complaint.pk
