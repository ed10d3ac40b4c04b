"""Social criticism from the draft received to the drafting body's answer: each step, its
refusals (in Vietnamese, nothing half-saved), the statutory periods as data, and the
critique document opened and read back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from docx import Document as read_docx
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.documents.models import Document
from khoi.lib import draftsections
from khoi.oversight.models.criticism import CriticismRule, Critique, CritiqueComment
from khoi.oversight.services import criticism as services
from khoi.oversight.tests.criticism_factories import NOW, D, draft, with_points

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    with translation.override("vi"):
        yield


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def test_a_pasted_draft_is_cut_at_its_highest_headings() -> None:
    parts = draftsections.split(
        "Lời nói đầu.\nI. MỤC ĐÍCH\nA\n1. Một\n2. Hai\nII. NHIỆM VỤ\nB\r\nIII. TỔ CHỨC\n"
    )
    assert [p.heading for p in parts] == [
        "Phần mở đầu", "I. MỤC ĐÍCH", "II. NHIỆM VỤ", "III. TỔ CHỨC",
    ]  # fmt: skip
    assert parts[1].text == "A\n1. Một\n2. Hai"
    assert [p.heading for p in draftsections.split("Điều 1. A\nx\nĐiều 2. B")] == [
        "Điều 1. A", "Điều 2. B",
    ]  # fmt: skip
    assert [p.heading for p in draftsections.split("1. Một\n2. Hai")] == ["1. Một", "2. Hai"]
    assert draftsections.split("Chương trình hành động\nkhông có đề mục")[0].heading == (
        "Phần mở đầu"
    )
    assert draftsections.split("  \n ") == []


def test_a_draft_is_received_with_its_letter_registered_and_its_sections(world: Any) -> None:
    c = draft(world, letter_notation="125-CV/TU", letter_date=D(2025, 9, 30))
    assert [s.heading for s in c.sections.order_by("order")] == [
        "Phần mở đầu", "I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ, GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN",
    ]  # fmt: skip
    letter = c.received_document
    assert letter is not None and letter.direction == "in" and letter.notation == "125-CV/TU"
    assert letter.incoming_number == 1 and letter.issuing_body == "Ban Thường vụ Thị ủy"
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert {"critique.receive", "critique.sections", "document.register"} <= set(actions)


def test_the_lead_time_is_data_with_its_source_and_a_late_draft_is_flagged(world: Any) -> None:
    ok = draft(world, received_on=D(2025, 10, 1), due_on=D(2025, 10, 24))
    late = draft(world, received_on=D(2025, 10, 14), due_on=D(2025, 10, 24))
    check = services.lead_check(late)
    assert check.short and check.given_days == 10 and check.required_days == 15
    assert "75/2015/QH13" in check.rule.source  # type: ignore[union-attr]
    assert not services.lead_check(ok).short
    # the administrator changes the law's number from a date: the draft received before it
    # keeps the old rule, one received after follows the new one
    CriticismRule.objects.create(
        kind="lead", days=7, source="Quy định thử nghiệm", valid_from=D(2025, 10, 10)
    )
    assert not services.lead_check(late).short
    assert services.lead_check(late).rule.source == "Quy định thử nghiệm"  # type: ignore[union-attr]
    # working days are counted on the working calendar when the rule says so
    CriticismRule.objects.filter(source="Quy định thử nghiệm").update(days=9, counting="working")
    assert services.lead_check(late).given_days == 8  # 14/10 (Tue) → 24/10 (Fri)
    assert services.lead_check(late).short
    CriticismRule.objects.all().delete()
    assert services.lead_check(late).rule is None and not services.lead_check(late).short


def test_bad_drafts_are_refused_in_vietnamese_and_nothing_is_saved(world: Any) -> None:
    staff = world.users["staff"]
    base: dict[str, Any] = {
        "title": "Dự thảo", "draft_kind": "plan", "drafting_body": "UBND thị xã",
        "form": "written", "letter_notation": "12/UBND-VP", "letter_date": D(2025, 10, 1),
        "text": "I. A\nB",
    }  # fmt: skip
    cases: list[tuple[dict[str, Any], str]] = [
        ({"received_on": D(2025, 10, 10), "due_on": D(2025, 10, 5)}, "trước"),
        ({"received_on": D(2025, 10, 25), "due_on": D(2025, 10, 30)}, "tương lai"),
        ({"received_on": None, "due_on": D(2025, 10, 30)}, "ngày nhận"),
        ({"received_on": D(2025, 10, 1), "due_on": D(2025, 10, 30), "title": " "}, "tên dự thảo"),
        ({"received_on": D(2025, 10, 1), "due_on": D(2025, 10, 30), "form": "x"}, "hình thức"),
    ]
    for change, words in cases:
        with pytest.raises(ValidationError) as err:
            services.do_receive_draft(staff, world.office, **{**base, **change})
        assert words in _messages(err.value).lower(), _messages(err.value)
    assert not Critique.objects.exists() and not Document.objects.exists()
    with pytest.raises(ValidationError) as err:
        services.do_receive_draft(
            world.users["org_leader"], world.office, received_on=D(2025, 10, 1),
            due_on=D(2025, 10, 30), **base,
        )  # fmt: skip
    assert "cán bộ" in _messages(err.value)


def test_comments_are_anchored_and_leaders_speak_for_their_own_organization(world: Any) -> None:
    c, (p1, p2, p3) = with_points(world)
    assert p1.section is None and p2.section.heading.startswith("I.")
    assert p3.author_name == "Hội LHPN thị xã" and p3.organization == world.women
    with pytest.raises(ValidationError) as err:
        services.do_add_comment(
            world.users["org_leader"], c, content="x", author_kind="organization",
            organization=world.front,
        )  # fmt: skip
    assert "tổ chức" in _messages(err.value)
    with pytest.raises(ValidationError):
        services.do_add_comment(
            world.users["org_leader"], c, content="x", author_kind="member", author_name="A"
        )
    with pytest.raises(ValidationError):
        services.do_add_comment(world.users["viewer"], c, content="x", author_kind="expert",
                                author_name="B")  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.do_add_comment(
            world.users["staff"], c, content="x", author_kind="expert", author_name="C",
            given_on=D(2025, 9, 1),
        )  # fmt: skip
    assert "trước" in _messages(err.value)
    other = draft(world, title="Dự thảo khác")
    with pytest.raises(ValidationError):
        services.do_add_comment(
            world.users["staff"], other, content="x", author_kind="expert", author_name="D",
            section=p2.section,
        )  # fmt: skip
    assert CritiqueComment.objects.count() == 3
    with pytest.raises(ValidationError) as err:
        services.do_set_sections(world.users["staff"], c, text="I. Mới\nx")
    assert "gắn" in _messages(err.value)
    added = services.do_add_section(world.users["staff"], c, heading="IV. KINH PHÍ")
    assert added.order == 5


def test_the_critique_is_issued_in_the_register_with_its_docx_and_closes_comments(
    world: Any,
) -> None:
    c, _points = with_points(world)
    with pytest.raises(ValidationError) as err:
        services.do_issue_critique(world.users["staff"], c, issued_on=D(2025, 10, 30))
    assert "tương lai" in _messages(err.value)
    with pytest.raises(ValidationError):
        services.do_issue_critique(world.users["viewer"], c, issued_on=D(2025, 10, 17))
    assert not Document.objects.exists()
    document = services.do_issue_critique(
        world.users["staff"], c, issued_on=D(2025, 10, 17), signer="Nguyễn Văn Hùng"
    )
    c.refresh_from_db()
    assert c.status == "issued" and c.issued_document == document
    assert document.notation == "01/BC-MTTQ" and document.direction == "out"
    attachment = document.attachments.get()
    doc = read_docx(io.BytesIO(attachment.file.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Kết quả phản biện xã hội" in text
    assert "Số: 01/BC-MTTQ" in "\n".join(cell.text for t in doc.tables for r in t.rows
                                       for cell in r.cells)  # fmt: skip
    assert "I. Ý KIẾN CHUNG VỀ DỰ THẢO" in text and "II. Ý KIẾN ĐỐI VỚI TỪNG PHẦN" in text
    assert "1. Cần lộ trình rõ ràng. (Ý kiến của chuyên gia TS. Nguyễn Văn An)" in text
    assert "I. MỤC ĐÍCH, YÊU CẦU" in text and "II. NHIỆM VỤ, GIẢI PHÁP" in text
    assert "3. Cụ thể hóa cơ chế giám sát người đứng đầu. (Ý kiến của Hội LHPN thị xã)" in text
    assert "Luật Mặt trận Tổ quốc Việt Nam 2015" in text  # the basis: the rule in force
    summary = doc.tables[-2] if len(doc.tables) > 2 else doc.tables[1]
    cells = [[cell.text for cell in row.cells] for row in summary.rows]
    assert ["TT", "Phần của dự thảo", "Nội dung ý kiến", "Người, tổ chức nêu ý kiến"] in cells
    assert any(r[0] == "2" and r[1].startswith("I.") and "ủy viên" in r[3] for r in cells)
    with pytest.raises(ValidationError) as err:
        services.do_add_comment(
            world.users["staff"], c, content="Muộn", author_kind="expert", author_name="E"
        )
    assert "17/10/2025" in _messages(err.value) and "không nhận thêm" in _messages(err.value)
    with pytest.raises(ValidationError):
        services.do_issue_critique(world.users["staff"], c, issued_on=D(2025, 10, 17))
    assert Document.objects.count() == 1 and CritiqueComment.objects.count() == 3
    due, rule = services.answer_due(c)
    assert rule is not None and due == D(2025, 11, 3)  # 01/11 is a Saturday: next working day


def test_an_empty_critique_cannot_be_issued(world: Any) -> None:
    c = draft(world)
    with pytest.raises(ValidationError) as err:
        services.do_issue_critique(world.users["staff"], c, issued_on=D(2025, 10, 17))
    assert "ít nhất một ý kiến" in _messages(err.value)


def _issued(world: Any) -> tuple[Critique, list[Any]]:
    c, points = with_points(world)
    services.do_issue_critique(world.users["staff"], c, issued_on=D(2025, 10, 10))
    c.refresh_from_db()
    return c, points


def test_the_answer_is_recorded_point_by_point_and_rejections_become_recommendations(
    world: Any,
) -> None:
    from khoi.oversight.models import Recommendation

    c, (p1, p2, p3) = _issued(world)
    answers = {
        p1.pk: services.PointAnswer("accepted"),
        p2.pk: services.PointAnswer("partly", "Tiếp thu với cán bộ chủ chốt."),
        p3.pk: services.PointAnswer("not_accepted", "Đã có quy định của cấp trên."),
    }
    made = services.do_record_answer(
        world.users["staff"], c, answered_on=D(2025, 10, 15), answers=answers,
        summary="Tiếp thu 2, giải trình 1.", letter_notation="160-CV/TU",
        recommendation_due_on=D(2025, 11, 15),
    )  # fmt: skip
    c.refresh_from_db()
    assert c.status == "answered" and c.answered_on == D(2025, 10, 15)
    assert c.answer_document is not None and c.answer_document.notation == "160-CV/TU"
    assert [p.response for p in services.ordered_points(c)[1]] == [
        "accepted", "partly", "not_accepted",
    ]  # fmt: skip
    (rec,) = made
    assert Recommendation.objects.get() == rec
    assert rec.source_kind == "criticism" and rec.source_id == p3.pk
    assert rec.body == "Ban Thường vụ Thị ủy" and rec.content == p3.content
    assert rec.due_on == D(2025, 11, 15) and rec.issued_on == D(2025, 10, 15)
    assert rec.document == c.issued_document and f"#point-{p3.pk}" in rec.source_url
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"critique.answer", "critique.point_answer", "oversight.recommendation.create"} <= (
        actions
    )


def test_bad_answers_are_refused_and_nothing_is_half_saved(world: Any) -> None:
    from khoi.oversight.models import Recommendation

    c, (p1, p2, p3) = with_points(world)
    staff = world.users["staff"]
    with pytest.raises(ValidationError) as err:
        services.do_record_answer(staff, c, answered_on=D(2025, 10, 15), answers={})
    assert "chưa được ban hành" in _messages(err.value)
    services.do_issue_critique(staff, c, issued_on=D(2025, 10, 10))
    c.refresh_from_db()
    full = {
        p1.pk: services.PointAnswer("accepted"),
        p2.pk: services.PointAnswer("accepted"),
        p3.pk: services.PointAnswer("not_accepted", "Không phù hợp."),
    }
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"answered_on": D(2025, 10, 9), "answers": full}, "answered_on", "trước"),
        ({"answered_on": D(2025, 10, 15), "answers": {p1.pk: full[p1.pk]}}, f"response-{p2.pk}",
         "Ý kiến 2"),
        ({"answered_on": D(2025, 10, 15),
          "answers": {**full, p2.pk: services.PointAnswer("partly", " ")}},
         f"response-{p2.pk}", "giải trình"),
        ({"answered_on": D(2025, 10, 15), "answers": full}, "recommendation_due_on", "hạn"),
        ({"answered_on": D(2025, 10, 15), "answers": full,
          "recommendation_due_on": D(2025, 10, 1)}, "due_on", "trước"),
    ]  # fmt: skip
    for kwargs, field, words in cases:
        with pytest.raises(ValidationError) as err:
            services.do_record_answer(staff, c, **kwargs)
        assert field in err.value.message_dict, err.value.message_dict
        assert words in " ".join(err.value.message_dict[field])
    c.refresh_from_db()
    assert c.status == "issued" and not Recommendation.objects.exists()
    assert not CritiqueComment.objects.exclude(response="").exists()
    assert Document.objects.filter(direction="in").count() == 0
