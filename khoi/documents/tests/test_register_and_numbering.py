from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from khoi.audit.models import AuditEntry
from khoi.documents import numbering, services
from khoi.documents.links import linked_objects
from khoi.documents.models import Attachment, Document
from khoi.documents.tests.factories import JPEG, PDF, PNG, incoming, ooxml, outgoing
from khoi.testing.factories import World

D = datetime.date


def test_an_incoming_document_keeps_the_typed_notation_and_its_canonical_parts(
    world: World,
) -> None:
    doc = incoming(world, notation="Quyết định số 217 - qđ / tw", issued_on=D(2014, 1, 12),
                   received_on=None)  # fmt: skip
    assert doc.notation == "217-QĐ/TW"
    assert doc.notation_raw == "Quyết định số 217 - qđ / tw"
    assert (doc.system, doc.number, doc.year, doc.doc_type, doc.issuer_code) == (
        "party",
        217,
        None,
        "QĐ",
        "TW",
    )
    assert AuditEntry.objects.filter(action="document.register", object_id=str(doc.pk)).exists()


def test_an_unparseable_outgoing_notation_is_refused_with_the_parser_reason(
    world: World,
) -> None:
    with pytest.raises(ValidationError) as exc:
        incoming(world, notation="abc", direction="out")
    assert "notation" in exc.value.message_dict
    assert Document.objects.count() == 0


def test_the_same_document_cannot_be_registered_twice(world: World) -> None:
    incoming(world)
    with pytest.raises(ValidationError) as exc:
        incoming(world, notation="Số: 11-nq/tu")
    assert "11-NQ/TU" in str(exc.value) and "notation" in exc.value.message_dict
    assert Document.objects.count() == 1


def test_a_date_must_agree_with_the_year_of_the_notation(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        incoming(world, notation="30/2020/NĐ-CP", issued_on=D(2019, 3, 5), received_on=None)
    assert "issued_on" in exc.value.message_dict


def test_only_office_staff_keep_the_register(world: World) -> None:
    for persona in ("org_leader", "viewer", "reporter", "outsider", "other_staff"):
        with pytest.raises(ValidationError):
            services.do_register_document(
                world.users[persona], world.office, direction="in", notation="11-NQ/TU",
                issued_on=D(2017, 1, 6), issuing_body="Thị ủy", summary="x",
            )  # fmt: skip


def test_state_documents_are_numbered_per_issuer_per_calendar_year(world: World) -> None:
    a = outgoing(world)
    b = outgoing(world, doc_type="BC", summary="Báo cáo tháng 10")
    c = outgoing(world, issuer_code="mttq-btt", summary="Công văn", doc_type=None)
    d = outgoing(world, issued_on=D(2018, 1, 2))
    assert [a.notation, b.notation, c.notation, d.notation] == [
        "01/KH-MTTQ", "02/BC-MTTQ", "01/MTTQ-BTT", "01/KH-MTTQ",
    ]  # fmt: skip


def test_party_documents_are_numbered_per_type_per_term(world: World) -> None:
    a = outgoing(world, system="party", doc_type="bc", issuer_code="TU", issued_on=D(2016, 3, 1))
    b = outgoing(world, system="party", doc_type="BC", issuer_code="TU", issued_on=D(2019, 3, 1))
    c = outgoing(world, system="party", doc_type="KH", issuer_code="TU", issued_on=D(2019, 3, 1))
    d = outgoing(world, system="party", doc_type="BC", issuer_code="TU", issued_on=D(2020, 8, 1))
    assert [a.notation, b.notation, c.notation, d.notation] == [
        "01-BC/TU", "02-BC/TU", "01-KH/TU", "01-BC/TU",
    ]  # fmt: skip


@override_settings(KHOI_PARTY_TERM_STARTS=["2015-10-01", "2020-10-01"])
def test_committee_terms_can_be_configured() -> None:
    assert numbering.term_start(D(2020, 8, 1)) == D(2015, 10, 1)
    assert numbering.series_key("party", "TU", "BC", D(2020, 11, 1)) == "party/BC/TU/2020"


def test_party_documents_need_a_listed_type(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        outgoing(world, system="party", doc_type="XYZ", issuer_code="TU")
    assert "doc_type" in exc.value.message_dict


def test_a_hand_numbered_outgoing_document_moves_the_counter_and_duplicates_are_refused(
    world: World,
) -> None:
    incoming(world, direction="out", notation="45/KH-MTTQ", issued_on=D(2017, 9, 15),
             received_on=None)  # fmt: skip
    assert outgoing(world).notation == "46/KH-MTTQ"
    with pytest.raises(ValidationError) as exc:
        incoming(world, direction="out", notation="46/BC-MTTQ", issued_on=D(2017, 10, 3),
                 received_on=None)  # fmt: skip
    assert "46" in str(exc.value)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (ooxml("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (ooxml("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)  # fmt: skip
def test_attachments_are_typed_from_their_content(
    world: World, data: bytes, content_type: str
) -> None:
    doc = incoming(world)
    upload = SimpleUploadedFile("bat-ky-ten.bin", data)
    attachment = services.do_attach_file(world.users["staff"], doc, upload)
    assert attachment.content_type == content_type and attachment.size == len(data)


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00 an executable", b"<html>not a pdf</html>", ooxml("other/part.xml"), b""],
)
def test_attachments_of_other_types_are_refused_whatever_their_name(
    world: World, data: bytes
) -> None:
    doc = incoming(world)
    with pytest.raises(ValidationError) as exc:
        services.do_attach_file(world.users["staff"], doc, SimpleUploadedFile("x.pdf", data))
    assert "file" in exc.value.message_dict
    assert Attachment.objects.count() == 0


@override_settings(KHOI_DOCUMENT_MAX_BYTES=100)
def test_attachments_over_the_size_limit_are_refused(world: World) -> None:
    doc = incoming(world)
    with pytest.raises(ValidationError) as exc:
        services.do_attach_file(
            world.users["staff"], doc, SimpleUploadedFile("a.pdf", PDF + b"0" * 200)
        )
    assert "Tệp quá lớn (tối đa 100 byte)" in str(exc.value)


def test_a_document_is_linked_to_the_activities_that_carry_it_out(world, as_user) -> None:
    import datetime

    from django.urls import reverse

    from khoi.documents.models import Document
    from khoi.work.tests.factories import activity

    act = activity(
        world, world.women, "Tuyên truyền Nghị quyết 11-NQ/TU", start=datetime.date(2017, 10, 2)
    )
    response = as_user("staff").post(
        reverse("documents:register"),
        {
            "office": world.office.code, "direction": "in", "notation": "11-NQ/TU",
            "issued_on": "05/01/2017", "issuing_body": "Thị ủy Quảng Yên",
            "summary": "Về phương hướng, nhiệm vụ năm 2017", "activities": [act.pk],
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    document = Document.objects.get(notation="11-NQ/TU")
    assert linked_objects(document)["activities"] == [act]
