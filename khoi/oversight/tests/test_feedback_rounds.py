"""Feedback rounds (218-QĐ/TW): opinions from residents' meetings, organizations and
citizens, each persona within its reach, the report sent up (.docx opened and read back)
and the round's recommendations in the one register."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from docx import Document as read_docx
from time_machine import TimeMachineFixture

from khoi.documents.models import Document
from khoi.oversight import access_criticism as access
from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound
from khoi.oversight.services import feedback as services
from khoi.oversight.tests.criticism_factories import NOW, D

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    with translation.override("vi"):
        yield


def _round(world: Any) -> FeedbackRound:
    return services.do_open_round(
        world.users["staff"], world.office, title="Góp ý xây dựng Đảng năm 2025",
        subject_kind="cadres", subject="Đạo đức, lối sống của cán bộ, đảng viên",
        start_on=D(2025, 9, 1), end_on=D(2025, 10, 31), send_to="Ban Thường vụ Thị ủy",
    )  # fmt: skip


def _text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def test_a_round_is_opened_and_bad_rounds_are_refused(world: Any) -> None:
    r = _round(world)
    assert r.status == "open" and r.office == world.office
    with pytest.raises(ValidationError) as err:
        services.do_open_round(
            world.users["staff"], world.office, title="X", subject_kind="cadres", subject="Y",
            start_on=D(2025, 10, 1), end_on=D(2025, 9, 1), send_to="",
        )  # fmt: skip
    assert set(err.value.message_dict) == {"end_on", "send_to"}
    with pytest.raises(ValidationError):
        services.do_open_round(
            world.users["viewer"], world.office, title="X", subject_kind="cadres", subject="Y",
            start_on=D(2025, 9, 1), end_on=D(2025, 9, 2), send_to="Z",
        )  # fmt: skip
    assert FeedbackRound.objects.count() == 1


def test_each_persona_records_opinions_within_its_reach(world: Any) -> None:
    r = _round(world)
    staff, leader, reporter = (world.users[k] for k in ("staff", "org_leader", "reporter"))
    services.do_add_opinion(
        staff, r, source_kind="citizen", source_name="Ông Phạm Văn Dũng",
        content="Thủ tục đất đai chậm.", commune=world.commune2, received_on=D(2025, 9, 5),
    )  # fmt: skip
    services.do_add_opinion(
        leader, r, source_kind="organization", organization=world.women,
        content="Tăng cường đối thoại.", received_on=D(2025, 9, 6),
    )  # fmt: skip
    mine = services.do_add_opinion(
        reporter, r, source_kind="residents", source_name="Hội nghị khu 3",
        commune=world.commune, content="Cán bộ xuống khu dân cư.", received_on=D(2025, 9, 7),
    )  # fmt: skip
    refusals = [
        (reporter, {"source_kind": "residents", "source_name": "Khu 1", "commune": world.commune2,
                    "content": "x"}, "commune", "xã, phường mình"),
        (reporter, {"source_kind": "organization", "organization": world.women, "content": "x"},
         "organization", "tổ chức"),
        (leader, {"source_kind": "organization", "organization": world.front, "content": "x"},
         "organization", "phụ trách"),
        (staff, {"source_kind": "residents", "source_name": "Khu 1", "content": "x"},
         "commune", "xã, phường"),
        (staff, {"source_kind": "citizen", "source_name": "A", "content": "x",
                 "received_on": D(2025, 8, 1)}, "received_on", "01/09/2025"),
        (staff, {"source_kind": "citizen", "source_name": "A", "content": "x",
                 "commune": world.other_commune}, "commune", "địa bàn"),
    ]  # fmt: skip
    for actor, data, field, words in refusals:
        with pytest.raises(ValidationError) as err:
            services.do_add_opinion(actor, r, **data)
        assert field in err.value.message_dict, (data, err.value.message_dict)
        assert words in " ".join(err.value.message_dict[field])
    assert FeedbackOpinion.objects.count() == 3
    assert list(access.opinions_for_user(reporter, r)) == [mine]
    assert access.opinions_for_user(world.users["viewer"], r).count() == 3
    assert not access.rounds_for_user(world.users["other_staff"]).exists()
    assert not access.rounds_for_user(world.users["outsider"]).exists()


def test_the_report_is_issued_with_its_docx_and_closes_the_round(world: Any) -> None:
    from khoi.oversight.models import Recommendation

    r = _round(world)
    staff = world.users["staff"]
    with pytest.raises(ValidationError) as err:
        services.do_send_report(staff, r, reported_on=D(2025, 10, 17))
    assert "ít nhất một ý kiến" in _text(err.value)
    services.do_add_opinion(
        staff, r, source_kind="residents", source_name="Hội nghị khu 3", commune=world.commune,
        content="Cán bộ xuống khu dân cư.", received_on=D(2025, 9, 7),
    )  # fmt: skip
    services.do_add_opinion(
        staff, r, source_kind="organization", organization=world.women,
        content="Tăng cường đối thoại.", received_on=D(2025, 9, 8),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.do_recommend_from_round(staff, r, body="", content="Công khai", due_on=None)
    assert set(err.value.message_dict) == {"body", "due_on"}
    rec = services.do_recommend_from_round(
        staff, r, body="UBND thị xã", content="Công khai thủ tục đất đai.", due_on=D(2025, 11, 30)
    )
    assert rec.source_kind == "feedback" and rec.source_id == r.pk
    document = services.do_send_report(
        staff, r, reported_on=D(2025, 10, 17), signer="Nguyễn Văn Hùng"
    )
    r.refresh_from_db()
    assert r.status == "reported" and r.report_document == document
    assert document.notation == "01/BC-MTTQ" and document.recipients == "Ban Thường vụ Thị ủy"
    doc = read_docx(io.BytesIO(document.attachments.get().file.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Quyết định số 218-QĐ/TW" in text and "Tổng số ý kiến tiếp nhận: 2" in text
    assert "Ý kiến qua hội nghị ở khu dân cư: 1 ý kiến." in text
    assert "1. Cán bộ xuống khu dân cư. (Hội nghị khu 3, Phường Hà An)" in text
    assert "2. Tăng cường đối thoại. (Hội LHPN thị xã)" in text
    assert "III. KIẾN NGHỊ" in text and "UBND thị xã: Công khai thủ tục đất đai." in text
    recipients = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Ban Thường vụ Thị ủy;" in recipients and "Nguyễn Văn Hùng" in recipients
    with pytest.raises(ValidationError) as err:
        services.do_add_opinion(staff, r, source_kind="citizen", source_name="A", content="x")
    assert "không nhận thêm" in _text(err.value)
    with pytest.raises(ValidationError):
        services.do_send_report(staff, r, reported_on=D(2025, 10, 17))
    assert Document.objects.count() == 1 and Recommendation.objects.count() == 1
