"""Issue #9 (low): any query value or JSON field that parses badly answers 400/422 with a
Vietnamese message, never 500; the API validates lengths like the forms.

Reproduces each input of the audit: huge page numbers, integers above 2⁶³ in filters and
id lists, impossible dates, calendar years out of range, unknown enum values, and
100,000-character titles posted to every writing endpoint.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from khoi.http import MAX_DB_INT, BadQuery, parse_date, parse_int
from khoi.testing.factories import World
from khoi.work import services as work

BIG = "2305843009213693951"
HUGE = str(2**64)
LONG = "x" * 100_000

GETS = [
    f"/people/?page={BIG}",
    f"/audit/?page={BIG}",
    f"/petitions/?page={BIG}",
    f"/meetings/?page={BIG}",
    f"/work/tasks/?page={BIG}",
    f"/api/v1/people?page={BIG}",
    f"/api/v1/units?page={BIG}",
    f"/api/v1/tasks?page={BIG}",
    f"/api/v1/petitions?page={BIG}",
    f"/api/v1/units?parent={HUGE}",
    f"/api/v1/people?unit={HUGE}",
    f"/api/v1/activities?organization_id={HUGE}",
    f"/api/v1/units/{HUGE}",
    "/audit/?from=2017-02-31",
    "/audit/?to=31/02/2017",
    "/work/activities/calendar/?year=9999&month=12",
    "/work/activities/calendar/?year=1&month=1",
    "/work/activities/calendar/?year=x",
    "/work/activities/calendar/?month=13",
    f"/work/activities/?organization={HUGE}",
    f"/work/activities/?unit={HUGE}",
    f"/petitions/?unit={HUGE}",
]


@pytest.fixture
def head(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users["office_head"])
    return client


@pytest.mark.parametrize("url", GETS)
def test_bad_query_values_never_reach_a_500(head: Client, url: str) -> None:
    response = head.get(url)
    assert response.status_code < 500, (url, response.status_code)


def test_bad_values_answer_400_or_422_in_vietnamese(head: Client) -> None:
    api = head.get(f"/api/v1/units?parent={HUGE}")
    assert api.status_code == 422
    assert api.json()["detail"] == "Dữ liệu không hợp lệ."
    page = head.get("/audit/?from=2017-02-31")
    assert page.status_code == 400
    calendar = head.get("/work/activities/calendar/?year=9999&month=12")
    assert calendar.status_code == 400


def test_an_unknown_status_is_a_422(world: World, head: Client) -> None:
    task = work.do_create_task(
        world.users["office_head"], world.office, title="Báo cáo", due_on=world_day(),
        assignee=world.people["staff"],
    )  # fmt: skip
    response = head.post(
        f"/api/v1/tasks/{task.pk}/updates", {"status": "not-a-status"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def world_day() -> Any:
    import datetime

    return datetime.date(2030, 1, 1)


def _posts(world: World) -> list[tuple[str, dict[str, Any], str]]:
    people = world.people
    return [
        ("/api/v1/tasks", {"office": "quang-yen", "title": LONG, "due_on": "2030-01-01",
                           "assignee_id": people["staff"].pk}, "title"),
        ("/api/v1/activities", {"office": "quang-yen", "organization_id": world.front.pk,
                                "kind": "propaganda", "title": LONG, "start_on": "2030-01-01",
                                "end_on": "2030-01-02"}, "title"),
        ("/api/v1/meetings", {"office": "quang-yen", "kind": "briefing", "title": LONG,
                              "starts_at": "2030-01-01T08:00:00+07:00"}, "title"),
        ("/api/v1/people", {"full_name": LONG, "unit_id": world.commune.pk}, "full_name"),
        ("/api/v1/petitions", {"office": "quang-yen", "kind": "request", "channel": "post",
                               "received_on": "2017-10-02", "subject": LONG,
                               "content": "Nội dung."}, "subject"),
    ]  # fmt: skip


def test_titles_longer_than_their_column_are_a_422(world: World, head: Client) -> None:
    for url, body, field in _posts(world):
        response = head.post(url, body, content_type="application/json")
        assert response.status_code == 422, (url, response.status_code, response.content[:300])
        assert field in response.json()["errors"], (url, response.json())


@given(st.text(max_size=40))
def test_the_query_parsers_answer_a_value_or_400_for_any_text(raw: str) -> None:
    for parse in (lambda t: parse_int(t, "x"), lambda t: parse_date(t, "x")):
        with contextlib.suppress(BadQuery):  # anything else (a 500) fails the test
            parse(raw)


@given(st.integers())
def test_integers_outside_the_database_range_are_refused(n: int) -> None:
    if 0 <= n <= MAX_DB_INT:
        assert parse_int(str(n)) == n
    else:
        with pytest.raises(BadQuery):
            parse_int(str(n))
