"""The shared pagination (khoi.pagination) never fails on what is put in ?page=."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from khoi.documents.tests.factories import incoming
from khoi.pagination import page_number, paginate
from khoi.testing.factories import World

HUGE = "2305843009213693951"


@given(st.text(max_size=40) | st.integers(min_value=-(10**30), max_value=10**30).map(str),
       st.integers(min_value=0, max_value=10**6))  # fmt: skip
def test_any_page_parameter_reads_as_a_page_that_exists(raw: str, last: int) -> None:
    assert 1 <= page_number(raw, last) <= max(last, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 1), ("", 1), ("2", 2), ("7", 7), ("8", 7), (HUGE, 7), ("9" * 5000, 7),
     ("-1", 1), ("0", 1), ("abc", 1), ("1e5", 1), ("٣", 1), (" 3 ", 3)],
)  # fmt: skip
def test_page_numbers_read_leniently(raw: str | None, expected: int) -> None:
    assert page_number(raw, 7) == expected


def test_paginate_gives_the_last_page_for_a_huge_number(db: None) -> None:
    from khoi.org.models import AdminUnit

    request = RequestFactory().get("/", {"page": HUGE})
    page = paginate(request, AdminUnit.objects.none(), 10)
    assert page.number == 1 and list(page) == []
    page = paginate(request, list(range(95)), 10)
    assert page.number == 10 and list(page) == list(range(90, 95))


@override_settings(KHOI_PAGE_SIZE=2)
@pytest.mark.parametrize("url", ["/documents/", "/audit/", "/work/activities/", "/meetings/"])
def test_list_pages_answer_a_huge_or_bad_page_number(world: World, as_user, url: str) -> None:
    for n in range(5):
        incoming(world, f"{n + 1}-NQ/TU")
    client = as_user("office_head")
    for raw in (HUGE, "9" * 30, "-3", "x"):
        assert client.get(url, {"page": raw}).status_code == 200
