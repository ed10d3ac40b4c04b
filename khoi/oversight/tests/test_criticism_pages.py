"""The pages and the API of social criticism and feedback rounds, per persona: who reads
what, who changes what, every link shown opens, lists in a fixed number of queries."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import TimeMachineFixture

from khoi.oversight.models.criticism import Critique
from khoi.oversight.services import criticism as services
from khoi.oversight.services import feedback as feedback_services
from khoi.oversight.tests.criticism_factories import NOW, D, draft, with_points

pytestmark = pytest.mark.django_db
READERS = ("office_head", "staff", "org_leader", "viewer", "admin")
NOBODY = ("other_staff", "outsider")


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def _scene(world: Any) -> dict[str, Any]:
    c, points = with_points(world)
    services.do_issue_critique(world.users["staff"], c, issued_on=D(2025, 10, 10))
    c.refresh_from_db()
    open_draft = draft(world, title="Dự thảo kế hoạch đang lấy ý kiến")
    r = feedback_services.do_open_round(
        world.users["staff"], world.office, title="Góp ý năm 2025", subject_kind="cadres",
        subject="Cán bộ", start_on=D(2025, 9, 1), end_on=D(2025, 10, 31), send_to="Thị ủy",
    )  # fmt: skip
    feedback_services.do_add_opinion(
        world.users["staff"], r, source_kind="residents", source_name="Khu 3",
        commune=world.commune, content="Ý kiến Hà An", received_on=D(2025, 9, 7),
    )  # fmt: skip
    feedback_services.do_add_opinion(
        world.users["staff"], r, source_kind="residents", source_name="Thôn 2",
        commune=world.commune2, content="Ý kiến Tiền Phong", received_on=D(2025, 9, 8),
    )  # fmt: skip
    feedback_services.do_send_report(world.users["staff"], r, reported_on=D(2025, 10, 17))
    return {"critique": c, "points": points, "open": open_draft, "round": r}


def _pages(s: dict[str, Any]) -> dict[str, str]:
    c, r = s["critique"], s["round"]
    return {
        "critique_list": reverse("oversight:critique_list"),
        "critique_detail": reverse("oversight:critique_detail", args=[c.pk]),
        "open_detail": reverse("oversight:critique_detail", args=[s["open"].pk]),
        "critique_docx": reverse("oversight:critique_docx", args=[c.pk]),
        "rules": reverse("oversight:criticism_rules"),
        "feedback_list": reverse("oversight:feedback_list"),
        "feedback_detail": reverse("oversight:feedback_detail", args=[r.pk]),
        "feedback_docx": reverse("oversight:feedback_docx", args=[r.pk]),
        "api_drafts": "/api/v1/oversight/drafts/",
        "api_draft": f"/api/v1/oversight/drafts/{c.pk}",
        "api_round": f"/api/v1/oversight/feedback/{r.pk}",
    }


def test_each_persona_reads_what_it_may_and_nothing_else(world: Any, as_user: Any) -> None:
    pages = _pages(_scene(world))
    for persona in READERS:
        client = as_user(persona)
        for name, url in pages.items():
            assert client.get(url).status_code == 200, (persona, name)
    reporter = as_user("reporter")
    for name, url in pages.items():
        expected = (
            200 if name in ("feedback_list", "feedback_detail", "api_round", "api_drafts") else 404
        )
        assert reporter.get(url).status_code == expected, ("reporter", name)
    assert reporter.get(pages["api_drafts"]).json()["items"] == []
    body = reporter.get(pages["feedback_detail"]).content.decode()
    assert "Ý kiến Hà An" in body and "Ý kiến Tiền Phong" not in body
    api = reporter.get(pages["api_round"]).json()
    assert [o["content"] for o in api["opinions"]] == ["Ý kiến Hà An"]
    lists = ("critique_list", "rules", "feedback_list", "api_drafts")
    for persona in NOBODY:
        client = as_user(persona)
        for name, url in pages.items():
            response = client.get(url)
            if name == "api_drafts" or (persona == "other_staff" and name in lists):
                assert response.status_code == 200 and "Góp ý năm 2025" not in response.text
                assert "Dự thảo Chương trình" not in response.text
            else:
                assert response.status_code in (404, 401), (persona, name)
    for persona in NOBODY:  # an API list answers with what the user may read: nothing
        assert as_user(persona).get(pages["api_drafts"]).json()["items"] == []


def test_every_link_shown_opens_for_the_persona(world: Any, as_user: Any) -> None:
    pages = _pages(_scene(world))
    html = [k for k in pages if not k.startswith("api") and not k.endswith("docx")]
    for persona in (*READERS, "reporter"):
        client = as_user(persona)
        seen: set[str] = set()
        for name in html:
            response = client.get(pages[name])
            if response.status_code != 200:
                continue
            for href in re.findall(r'href="([^"#]+)', response.content.decode()):
                path = urlsplit(href.replace("&amp;", "&"))
                if path.netloc or not path.path.startswith(("/oversight", "/documents", "/audit")):
                    continue
                if href in seen:
                    continue
                seen.add(href)
                status = client.get(href.replace("&amp;", "&")).status_code
                assert status == 200, (persona, name, href, status)
        assert seen or persona == "reporter", persona


def test_viewers_and_leaders_get_no_forms_they_cannot_use(world: Any, as_user: Any) -> None:
    s = _scene(world)
    url = reverse("oversight:critique_detail", args=[s["open"].pk])
    viewer = as_user("viewer").get(url).content.decode()
    assert 'id="comment-form"' not in viewer and 'id="issue-form"' not in viewer
    leader = as_user("org_leader").get(url).content.decode()
    assert 'id="comment-form"' in leader and 'id="issue-form"' not in leader
    staff = as_user("staff").get(url).content.decode()
    assert 'id="comment-form"' in staff and 'id="issue-form"' in staff
    issued = as_user("staff").get(reverse("oversight:critique_detail", args=[s["critique"].pk]))
    assert 'id="comments-closed"' in issued.content.decode()
    post = {"issued_on": "17/10/2025"}
    assert (
        as_user("viewer")
        .post(reverse("oversight:critique_issue", args=[s["open"].pk]), post)
        .status_code
        == 404
    )
    assert (
        as_user("org_leader")
        .post(reverse("oversight:critique_issue", args=[s["open"].pk]), post)
        .status_code
        == 404
    )
    assert (
        as_user("viewer")
        .get(reverse("oversight:critique_answer", args=[s["critique"].pk]))
        .status_code
        == 404
    )
    assert as_user("viewer").get(reverse("oversight:critique_create")).status_code == 404
    assert as_user("reporter").get(reverse("oversight:feedback_create")).status_code == 404


def test_a_draft_goes_from_reception_to_the_answer_through_the_pages(
    world: Any, as_user: Any
) -> None:
    staff = as_user("staff")
    response = staff.post(
        reverse("oversight:critique_create"),
        {"office": world.office.pk, "title": "Dự thảo chương trình", "draft_kind": "programme",
         "drafting_body": "Thị ủy", "received_on": "14/10/2025", "due_on": "24/10/2025",
         "form": "conference", "text": "I. MỤC ĐÍCH\na\nII. NHIỆM VỤ\nb"},
    )  # fmt: skip
    c = Critique.objects.get()
    assert response.status_code == 302
    page = staff.get(response["Location"]).content.decode()
    assert 'id="short-notice"' in page and "75/2015/QH13" in page  # 10 days < 15
    section = c.sections.order_by("order").first()
    assert section is not None
    bad = staff.post(
        reverse("oversight:critique_comment", args=[c.pk]),
        {"section": section.pk, "author_kind": "member", "content": "Thiếu tên"},
    )
    assert bad.status_code == 200 and "Nhập tên thành viên" in bad.content.decode()
    ok = staff.post(
        reverse("oversight:critique_comment", args=[c.pk]),
        {"section": section.pk, "author_kind": "member", "author_name": "Ông A",
         "content": "Bổ sung mục tiêu.", "given_on": "15/10/2025"},
    )  # fmt: skip
    assert ok.status_code == 302
    leader = as_user("org_leader").post(
        reverse("oversight:critique_comment", args=[c.pk]),
        {"section": "", "author_kind": "organization", "organization": world.women.pk,
         "content": "Ý kiến chung của Hội.", "given_on": "16/10/2025"},
    )  # fmt: skip
    assert leader.status_code == 302
    staff.post(reverse("oversight:critique_issue", args=[c.pk]), {"issued_on": "17/10/2025"})
    c.refresh_from_db()
    assert c.status == "issued"
    late = as_user("org_leader").post(
        reverse("oversight:critique_comment", args=[c.pk]),
        {"author_kind": "organization", "organization": world.women.pk, "content": "Muộn"},
    )
    assert "không nhận thêm ý kiến" in late.content.decode()
    points = services.ordered_points(c)[1]
    form = {"answered_on": "20/10/2025", "recommendation_due_on": "20/11/2025"}
    form |= {f"response-{points[0].pk}": "accepted"}
    refused = staff.post(reverse("oversight:critique_answer", args=[c.pk]), form)
    assert refused.status_code == 200 and "Ý kiến 2" in refused.content.decode()
    form |= {f"response-{points[1].pk}": "not_accepted", f"note-{points[1].pk}": "Đã có quy định."}
    done = staff.post(reverse("oversight:critique_answer", args=[c.pk]), form)
    assert done.status_code == 302
    c.refresh_from_db()
    assert c.status == "answered"
    detail = staff.get(reverse("oversight:critique_detail", args=[c.pk])).content.decode()
    assert 'id="recommendations"' in detail and "Đã có quy định." in detail


def test_lists_run_a_fixed_number_of_queries(world: Any, as_user: Any) -> None:
    _scene(world)
    client = as_user("staff")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("oversight:critique_list"), reverse("oversight:feedback_list"),
            "/api/v1/oversight/drafts/"]  # fmt: skip
    before = [count(u) for u in urls]
    for n in range(6):
        with_points(world)
        feedback_services.do_open_round(
            world.users["staff"], world.office, title=f"Đợt {n}", subject_kind="cadres",
            subject="x", start_on=D(2025, 9, 1), end_on=D(2025, 9, 30), send_to="Thị ủy",
        )  # fmt: skip
    assert [count(u) for u in urls] == before
