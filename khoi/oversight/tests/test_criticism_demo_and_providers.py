"""The seed's 2017 critique and 218 feedback round in the demo, and what social criticism
offers the periodic report, the briefing agenda and the home page; the API's refusals."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import translation
from docx import Document as read_docx
from time_machine import TimeMachineFixture

from khoi import clock
from khoi.oversight import providers_criticism as providers
from khoi.oversight.models.criticism import Critique
from khoi.oversight.models.feedback import FeedbackRound
from khoi.oversight.services import criticism as services
from khoi.oversight.tests.criticism_factories import NOW, D, draft

DEMO_DAY = datetime.date(2017, 10, 20)


def test_the_demo_holds_the_seeds_critique_and_feedback_round(db: None) -> None:
    from khoi.org.demo import load_demo
    from khoi.oversight.models import Recommendation

    load_demo()
    critique = Critique.objects.get(title__contains="04-NQ/TW")
    assert critique.status == "answered" and critique.drafting_body.endswith("Thị ủy Quảng Yên")
    assert critique.issued_document is not None
    assert critique.issued_document.summary.startswith("Kết quả phản biện xã hội")
    assert [s.heading[:4] for s in critique.sections.order_by("order")] == [
        "Phần", "I. M", "II. ", "III.",
    ]  # fmt: skip
    points = services.ordered_points(critique)[1]
    assert len(points) == 5 and {p.response for p in points} == {
        "accepted", "partly", "not_accepted",
    }  # fmt: skip
    assert {p.author_name for p in points} >= {"Hội Liên hiệp Phụ nữ thị xã Quảng Yên"}
    docx = critique.issued_document.attachments.get()
    text = "\n".join(p.text for p in read_docx(io.BytesIO(docx.file.read())).paragraphs)
    assert "Kết quả phản biện xã hội đối với Dự thảo Chương trình hành động" in text
    assert "(Ý kiến của Hội Cựu chiến binh thị xã Quảng Yên)" in text
    rec = Recommendation.objects.get(source_kind="criticism")
    assert rec.due_on == D(2017, 10, 5) and rec.is_overdue(DEMO_DAY)
    late = Critique.objects.get(status="open")
    assert services.lead_check(late).short and "minh họa" in late.note
    round_ = FeedbackRound.objects.get()
    assert round_.status == "reported" and round_.report_document is not None
    assert round_.opinions.count() == 5
    ha_an = round_.opinions.get(commune__name="Phường Hà An")
    assert ha_an.created_by is not None and ha_an.created_by.username == "phuongha-an"
    assert Recommendation.objects.filter(source_kind="feedback", source_id=round_.pk).exists()
    with clock.use_date(DEMO_DAY), translation.override("vi"):
        office = critique.office
        agenda = providers.agenda(office, D(2017, 10, 23))
        assert any("27/10/2017" in a.title for a in agenda)
        section = providers.critiques_section(office, D(2017, 8, 1), D(2017, 8, 31))
        assert section is not None and section.figures["oversight.critiques_issued"] == 1
        assert "1 tiếp thu một phần" in section.tables[0].rows[0][4]
        feedback = providers.feedback_section(office, D(2017, 9, 15), D(2017, 10, 14))
        assert feedback is not None and feedback.figures["oversight.feedback_opinions"] == 5
    load_demo()  # idempotent
    assert Critique.objects.count() == 2 and FeedbackRound.objects.count() == 1


@pytest.mark.django_db
def test_providers_name_what_is_due_and_what_was_issued(
    world: Any, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    with translation.override("vi"):
        due = draft(world, title="Dự thảo A", due_on=D(2025, 10, 24))
        later = draft(world, title="Dự thảo B", due_on=D(2025, 11, 14))
        c = draft(world, title="Dự thảo C", received_on=D(2025, 9, 1), due_on=D(2025, 9, 20))
        for name in ("Ông A", "Bà B", "Ông C"):
            services.do_add_comment(
                world.users["staff"], c, content=f"Ý kiến của {name}", author_kind="member",
                author_name=name, given_on=D(2025, 9, 5),
            )  # fmt: skip
        services.do_issue_critique(world.users["staff"], c, issued_on=D(2025, 9, 10))
        items = providers.agenda(world.office, D(2025, 10, 20))
        titles = " | ".join(a.title for a in items)
        assert "Dự thảo A" in titles and "Dự thảo B" not in titles
        assert "chưa trả lời" in titles  # issued 10/09, 15 days: due 25/09, overdue on 20/10
        assert all(a.url for a in items)
        assert later.pk not in {a.object_id for a in items} and due.pk in {
            a.object_id for a in items
        }
        section = providers.critiques_section(world.office, D(2025, 9, 1), D(2025, 9, 30))
        assert section is not None and section.figures["oversight.critiques_issued"] == 1
        assert section.tables[0].rows[0][3] == "3"
        assert (
            providers.critiques_section(world.other_office, D(2025, 1, 1), D(2025, 12, 31)) is None
        )
        (card,) = providers.cards(world.users["staff"], [world.office])
        assert card.value == 2 and not card.alert
        assert providers.cards(world.users["reporter"], [world.office]) == []


@pytest.mark.django_db
def test_the_api_refuses_bad_input_in_vietnamese_and_keeps_the_access_rules(
    world: Any, as_user: Any, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    staff = as_user("staff")
    body = {
        "office": world.office.code, "title": "Dự thảo qua API", "draft_kind": "plan",
        "drafting_body": "UBND thị xã", "received_on": "2025-10-14", "due_on": "2025-10-10",
        "form": "written", "text": "I. A\nx\nII. B\ny",
    }  # fmt: skip
    refused = staff.post("/api/v1/oversight/drafts/", body, content_type="application/json")
    assert refused.status_code == 422 and "trước ngày nhận" in refused.json()["errors"]["due_on"][0]
    assert not Critique.objects.exists()
    body["due_on"] = "2025-10-24"
    made = staff.post("/api/v1/oversight/drafts/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    draft_json = made.json()
    assert draft_json["short_notice"] and draft_json["days_required"] == 15
    assert [s["heading"] for s in draft_json["sections"]] == ["I. A", "II. B"]
    pk, section = draft_json["id"], draft_json["sections"][0]["id"]
    leader = as_user("org_leader")
    bad = leader.post(
        f"/api/v1/oversight/drafts/{pk}/comments",
        {"content": "x", "author_kind": "organization", "organization_id": world.front.pk},
        content_type="application/json",
    )
    assert bad.status_code == 422
    ok = leader.post(
        f"/api/v1/oversight/drafts/{pk}/comments",
        {"content": "Ý kiến Hội", "author_kind": "organization", "organization_id": world.women.pk,
         "section_id": section},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 201 and ok.json()["number"] == 1
    viewer = as_user("viewer")
    assert viewer.post(
        f"/api/v1/oversight/drafts/{pk}/issue", {"issued_on": "2025-10-17"},
        content_type="application/json",
    ).status_code == 404  # fmt: skip
    assert as_user("other_staff").get(f"/api/v1/oversight/drafts/{pk}").status_code == 404
    issued = staff.post(
        f"/api/v1/oversight/drafts/{pk}/issue", {"issued_on": "2025-10-20"},
        content_type="application/json",
    )  # fmt: skip
    assert issued.status_code == 200 and issued.json()["issued_notation"] == "01/BC-MTTQ"
    docx = viewer.get(f"/api/v1/oversight/drafts/{pk}/critique.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    late = leader.post(
        f"/api/v1/oversight/drafts/{pk}/comments",
        {"content": "Muộn", "author_kind": "organization", "organization_id": world.women.pk},
        content_type="application/json",
    )
    assert late.status_code == 422 and "không nhận thêm" in late.json()["errors"]["__all__"][0]
    point = issued.json()["points_list"][0]["id"]
    answered = staff.post(
        f"/api/v1/oversight/drafts/{pk}/answer",
        {"answered_on": "2025-10-20", "recommendation_due_on": "2025-11-20",
         "answers": [{"point_id": point, "response": "not_accepted", "note": "Không phù hợp"}]},
        content_type="application/json",
    )  # fmt: skip
    assert answered.status_code == 200 and len(answered.json()["recommendation_ids"]) == 1
    assert answered.json()["draft"]["status"] == "answered"
