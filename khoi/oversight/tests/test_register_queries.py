"""The register of recommendations runs a fixed number of queries whatever its size: the page
(the list and the by-body summary of the open rows) and the API, for a province office's
staff and for the site administrator (every office at once); the summary counts open and
overdue rows per body, and its totals are the list's count."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khoi import clock
from khoi.oversight.services import recommendations as recs

D = datetime.date
TODAY = D(2025, 10, 20)
NAMES = ["Hà An", "Đông Mai", "Tiền An", "Yên Giang", "Liên Hòa", "Phong Hải", "Sông Khoai"]
URLS = [
    "/oversight/recommendations/?state=overdue",
    "/oversight/recommendations/?state=open",
    "/oversight/recommendations/",
    "/oversight/recommendations/?state=answered&body=UBND",
    "/api/v1/oversight/recommendations?state=overdue",
    "/api/v1/oversight/recommendations/by-body",
]


def _add(world: Any, n: int, start: int = 0) -> None:
    staff = world.users["staff"]
    for i in range(start, start + n):
        rec = recs.create_recommendation(
            staff, world.office, body=f"UBND xã {NAMES[i % 7]}", content=f"Kiến nghị số {i}",
            issued_on=D(2025, 8, 1), due_on=D(2025, 9, 1) if i % 2 else D(2025, 11, 1),
        )  # fmt: skip
        if i % 5 == 0:
            recs.answer_recommendation(staff, rec, answered_on=D(2025, 8, 20), outcome="accepted")


def _counts(world: Any) -> dict[tuple[str, str], int]:
    out = {}
    for persona in ("staff", "admin"):
        client = Client()
        client.force_login(world.users[persona])
        for url in URLS:
            client.get(url)  # the session settles
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            out[(persona, url)] = len(ctx.captured_queries)
    return out


@pytest.mark.django_db
def test_the_register_runs_the_same_queries_at_two_sizes(world: Any) -> None:
    with clock.use_date(TODAY):
        _add(world, 3)
        small = _counts(world)
        _add(world, 12, start=3)
        large = _counts(world)
    assert small == large
    # the overdue list takes its count from the summary: one query fewer than "all"
    for persona in ("staff", "admin"):
        assert (
            large[(persona, URLS[0])] == large[(persona, URLS[2])] - 1
        ), large  # fmt: skip


@pytest.mark.django_db
def test_the_summary_counts_the_open_rows_per_body_and_the_list_agrees(world: Any) -> None:
    with clock.use_date(TODAY):
        _add(world, 15)
        client = Client()
        client.force_login(world.users["staff"])
        rows = client.get("/api/v1/oversight/recommendations/by-body").json()
        page = client.get(reverse("oversight:recommendation_list") + "?state=overdue")
    # 15 rows, every fifth answered; odd ones due 01/09 (overdue), even ones 01/11
    open_rows = [i for i in range(15) if i % 5]
    assert sum(r["open"] for r in rows) == len(open_rows)
    overdue = [i for i in open_rows if i % 2]
    assert sum(r["overdue"] for r in rows) == len(overdue)
    by_body = {r["body"]: r for r in rows}
    assert by_body["UBND xã Đông Mai"]["overdue"] == len([i for i in overdue if i % 7 == 1])
    assert [r["overdue"] for r in rows] == sorted((r["overdue"] for r in rows), reverse=True)
    text = page.content.decode()
    assert "Đông Mai" in text
    # the pager counts the overdue rows (from the summary's totals)
    assert re.search(rf"\b{len(overdue)}\b", text), "the overdue total is shown"


@pytest.mark.django_db
def test_other_offices_rows_are_not_in_the_summary(world: Any) -> None:
    with clock.use_date(TODAY):
        _add(world, 5)
        client = Client()
        client.force_login(world.users["other_staff"])
        assert client.get("/api/v1/oversight/recommendations/by-body").json() == []
        page = client.get(reverse("oversight:recommendation_list") + "?state=overdue")
    assert page.status_code in (200, 404)
    assert "Đông Mai" not in page.content.decode()


def test_numbered_bodies_are_different_bodies() -> None:
    from khoi.oversight.models.recommendations import body_key

    assert body_key("UBND Phường 1") != body_key("UBND Phường 2")
    assert body_key("UBND Phường 1") == body_key("Ủy ban nhân dân phường 1")
    assert body_key("UBND xã Hà An") == body_key("Ủy ban nhân dân xã Hà An")
