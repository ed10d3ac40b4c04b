"""Meeting pages across personas (404 for anything out of reach)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document as open_docx

from khoi.meetings import services
from khoi.meetings.models import AgendaItem, Meeting, Outcome
from khoi.meetings.tests.factories import meeting
from khoi.testing.factories import World
from khoi.work.models import Task

D = datetime.date
READERS = {"office_head": 200, "staff": 200, "org_leader": 200, "viewer": 200, "admin": 200,
           "reporter": 404, "outsider": 404, "other_staff": 404}  # fmt: skip
MANAGERS = {"office_head": True, "staff": True, "admin": True, "org_leader": False,
            "viewer": False, "reporter": False, "outsider": False, "other_staff": False}  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_a_meeting_and_its_exports_are_read_within_the_office(
    world: World, as_user, persona: str, status: int
) -> None:
    m = meeting(world)
    client = as_user(persona)
    assert client.get(f"/meetings/{m.pk}/").status_code == status
    minutes = client.get(f"/meetings/{m.pk}/minutes.docx")
    assert minutes.status_code == status
    assert client.get(f"/meetings/{m.pk}/notice.docx").status_code == status
    if status == 200:
        assert open_docx(io.BytesIO(minutes.content)).tables


def test_an_invited_reporter_sees_the_meeting(world: World, as_user) -> None:
    m = meeting(world, attendees=[world.people["reporter"]])
    assert as_user("reporter").get(f"/meetings/{m.pk}/").status_code == 200


@pytest.mark.parametrize(("persona", "manages"), MANAGERS.items())
def test_only_office_staff_run_the_meeting_pages(
    world: World, as_user, persona: str, manages: bool
) -> None:
    m = meeting(world)
    client = as_user(persona)
    expected = 302 if manages else 404
    assert client.post(f"/meetings/{m.pk}/items/", {"title": "Việc mới"}).status_code == expected
    assert client.post(f"/meetings/{m.pk}/prefill/").status_code == expected
    assert client.post(f"/meetings/{m.pk}/close/", {"confirm": "yes"}).status_code == expected
    assert AgendaItem.objects.exists() is manages
    assert Meeting.objects.get().is_closed is manages
    assert client.get("/meetings/new/?office=quang-yen").status_code == (200 if manages else 404)
    schedule = client.get("/meetings/schedule/?office=quang-yen")
    assert schedule.status_code == (200 if manages else 404)


@pytest.mark.parametrize(("persona", "manages"), MANAGERS.items())
def test_minutes_attendance_outcomes_and_corrections_need_office_staff(
    world: World, as_user, persona: str, manages: bool
) -> None:
    m = meeting(world)
    item = services.do_add_agenda_item(world.users["staff"], m, title="Mục 1")
    client = as_user(persona)
    expected = 302 if manages else 404
    person = world.people["org_leader"].pk
    posts = [
        (f"/meetings/{m.pk}/items/{item.pk}/minutes/", {f"i{item.pk}-minutes": "Ghi chép"}),
        (f"/meetings/{m.pk}/attendance/", {"person": person, "status": "present"}),
        (f"/meetings/{m.pk}/outcomes/", {"kind": "decision", "text": "Thống nhất"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == expected
    item.refresh_from_db()
    assert (item.minutes == "Ghi chép") is manages
    assert Outcome.objects.exists() is manages
    services.do_close_meeting(world.users["staff"], m)
    fixed = client.post(f"/meetings/{m.pk}/corrections/", {"text": "Đính chính"})
    assert fixed.status_code == expected
    assert m.corrections.exists() is manages


def test_a_briefing_runs_from_agenda_to_closing_through_the_pages(world: World, as_user) -> None:
    client = as_user("office_head")
    page = client.post("/meetings/new/", {
        "office": "quang-yen", "kind": "briefing", "title": "Giao ban tuần 41",
        "starts_at": "09/10/2017 08:00", "place": "Hội trường", "chair": world.people["office_head"].pk,
        "attendees": [world.people["staff"].pk, world.people["org_leader"].pk],
    })  # fmt: skip
    m = Meeting.objects.get()
    assert page.status_code == 302 and m.attendances.count() == 3
    client.post(f"/meetings/{m.pk}/items/", {"title": "Báo cáo tháng 10"})
    item = m.items.get()
    client.post(
        f"/meetings/{m.pk}/items/{item.pk}/minutes/", {f"i{item.pk}-minutes": "Đã thảo luận."}
    )
    client.post(f"/meetings/{m.pk}/attendance/", {"person": world.people["org_leader"].pk,
                                                 "status": "absent", "reason": "Ốm"})  # fmt: skip
    client.post(f"/meetings/{m.pk}/outcomes/", {"kind": "task", "text": "Dự thảo báo cáo",
                "item": item.pk, "assignee": world.people["staff"].pk, "due_on": "14/10/2017"})  # fmt: skip
    task = Task.objects.get()
    assert task.source_label == "Giao ban tuần 41 ngày 09/10/2017"
    client.post(f"/meetings/{m.pk}/close/", {"confirm": "yes"})
    again = client.post(f"/meetings/{m.pk}/close/", {"confirm": "yes"}, follow=True)
    assert "already closed" in again.content.decode() or "đã" in again.content.decode()
    late = client.post(f"/meetings/{m.pk}/outcomes/", {"kind": "decision", "text": "Muộn"})
    assert late.status_code == 302 and Outcome.objects.count() == 1
    client.post(f"/meetings/{m.pk}/corrections/", {"text": "Bổ sung ý kiến Hội CCB"})
    detail = client.get(f"/meetings/{m.pk}/").content.decode()
    assert "Bổ sung ý kiến Hội CCB" in detail and "Đã thảo luận." in detail


def test_the_meeting_list_runs_a_fixed_number_of_queries(world: World, as_user) -> None:
    client = as_user("staff")
    meeting(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/meetings/").status_code == 200
        return len(ctx.captured_queries)

    first = count()
    for n in range(8):
        meeting(world, D(2017, 10, 10 + n))
    assert count() == first


def test_outsiders_see_no_meetings_in_the_list(world: World, as_user) -> None:
    meeting(world)
    assert list(as_user("outsider").get("/meetings/").context["page"]) == []
    assert len(as_user("viewer").get("/meetings/").context["page"]) == 1


def test_the_calendar_page_creates_and_revokes_the_feed_address(world: World, as_user) -> None:
    client = as_user("org_leader")
    shown = client.post("/meetings/calendar/").context["url"]
    first = services.live_feed(world.users["org_leader"])
    assert first is not None and shown.endswith(".ics")
    assert client.get(shown).status_code == 200
    # later visits show only a fingerprint, never the secret address
    later = client.get("/meetings/calendar/").content.decode()
    assert first.fingerprint in later and shown not in later
    again = client.post("/meetings/calendar/", {"action": "revoke"}).context["url"]
    second = services.live_feed(world.users["org_leader"])
    assert second is not None and second.token != first.token
    assert client.get(shown).status_code == 404
    assert client.get(again).status_code == 200
    assert as_user("outsider").get("/meetings/calendar/").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(world: World, client: Client) -> None:
    m = meeting(world)
    assert client.get(f"/meetings/{m.pk}/").status_code == 302
    assert client.get("/documents/").status_code == 302


def test_the_feed_secret_never_enters_the_database_or_the_log(world: World, as_user) -> None:
    """Issue #9 (low): the calendar feed's secret was written into the audit log."""
    from khoi.audit.models import AuditEntry

    client = as_user("org_leader")
    url = client.post("/meetings/calendar/").context["url"]
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = services.live_feed(world.users["org_leader"])
    assert feed is not None and feed.token != secret and secret not in feed.token
    logged = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    assert secret not in logged and feed.fingerprint in logged
