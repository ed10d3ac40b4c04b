"""Creating and closing a meeting as an office does it: a searchable invitee picker that works
without JavaScript, a confirmation on creation, a confirmation (with an attendance warning)
before closing, and minutes carrying the attendance and the secretary's signature."""

from __future__ import annotations

import io

from docx import Document as open_docx

from khoi.meetings import services
from khoi.meetings.models import Attendance, Meeting
from khoi.meetings.tests.factories import meeting
from khoi.testing.factories import World


def test_invitees_are_chosen_from_a_searchable_list_of_checkboxes(world: World, as_user) -> None:
    page = as_user("staff").get("/meetings/new/?office=quang-yen").content.decode()
    assert "<select" not in page.split('name="attendees"')[0].rsplit("<label", 1)[-1]
    assert 'type="checkbox" name="attendees"' in page
    assert 'class="picker-search"' in page and "js/picker.js" in page
    assert "multiple" not in page.split('id="id_attendees"', 1)[1].split("</div>", 1)[0]


def test_creating_a_meeting_invites_the_ticked_people_and_says_so(world: World, as_user) -> None:
    client = as_user("staff")
    people = world.people
    response = client.post(
        "/meetings/new/?office=quang-yen",
        {
            "office": "quang-yen", "kind": Meeting.Kind.CONFERENCE, "title": "Hội nghị sơ kết",
            "starts_at": "20/10/2017 08:00", "place": "Hội trường",
            "chair": people["office_head"].pk, "secretary": people["staff"].pk,
            "attendees": [people["org_leader"].pk],
        },
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    m = Meeting.objects.get(title="Hội nghị sơ kết")
    invited = set(m.attendances.values_list("person_id", flat=True))
    assert people["org_leader"].pk in invited
    body = response.content.decode()
    assert "Hội nghị sơ kết" in body and "đã được lên lịch" in body


def test_closing_asks_first_and_warns_without_attendance(world: World, as_user) -> None:
    m = meeting(world)
    client = as_user("staff")
    detail = client.get(f"/meetings/{m.pk}/").content.decode()
    assert f'href="/meetings/{m.pk}/close/"' in detail
    ask = client.get(f"/meetings/{m.pk}/close/")
    assert ask.status_code == 200
    text = ask.content.decode()
    assert "Chưa ghi nhận điểm danh" in text
    assert 'name="confirm" value="yes"' in text
    client.post(f"/meetings/{m.pk}/close/")  # no confirmation: nothing happens
    assert not Meeting.objects.get(pk=m.pk).is_closed
    client.post(f"/meetings/{m.pk}/close/", {"confirm": "yes"})
    assert Meeting.objects.get(pk=m.pk).is_closed


def test_closing_with_attendance_recorded_has_no_warning(world: World, as_user) -> None:
    m = meeting(world)
    staff = world.users["staff"]
    for a in m.attendances.select_related("person"):
        services.do_set_attendance(staff, m, a.person, status=Attendance.Status.PRESENT)
    text = as_user("staff").get(f"/meetings/{m.pk}/close/").content.decode()
    assert "Chưa ghi nhận điểm danh" not in text and "chưa được ghi nhận" not in text


def test_the_minutes_carry_the_attendance_and_both_signatures(world: World, as_user) -> None:
    m = meeting(world)
    staff = world.users["staff"]
    services.do_set_attendance(staff, m, world.people["org_leader"], status="absent",
                               reason="Đi công tác")  # fmt: skip
    services.do_set_attendance(staff, m, world.people["office_head"], status="present")
    data = as_user("staff").get(f"/meetings/{m.pk}/minutes.docx").content
    doc = open_docx(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Họ và tên" in cells and "Vắng mặt" in cells and "Đi công tác" in cells
    assert "Có mặt" in cells
    signature = next(t for t in doc.tables if any("THƯ KÝ" in c.text for c in t.rows[0].cells))
    left, right = signature.rows[0].cells
    assert "THƯ KÝ" in left.text and world.people["staff"].full_name in left.text
    assert "CHỦ TRÌ" in right.text and world.people["office_head"].full_name in right.text
