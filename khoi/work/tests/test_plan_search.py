"""Issue #9 (low): plans search folds Vietnamese like every other search: NFD input and
input without diacritics find the plan."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

import pytest
from django.urls import reverse

from khoi.testing.factories import World
from khoi.work import services

TITLE = "Kế hoạch tuyên truyền phòng chống dịch bệnh"


@pytest.fixture
def plan(world: World) -> Any:
    return services.do_create_plan(
        world.users["office_head"], world.office, title=TITLE, number="12-KH/MTTQ",
        directive="11-NQ/TU", start_on=datetime.date(2030, 1, 1), end_on=datetime.date(2030, 12, 31),
    )  # fmt: skip


@pytest.mark.parametrize(
    "q",
    [
        "tuyên truyền",
        "tuyen truyen phong chong",
        unicodedata.normalize("NFD", "phòng chống dịch"),
        "TUYÊN TRUYỀN",
        "12-kh",
        "11-nq/tu",
    ],
)
def test_the_plan_is_found(world: World, plan: Any, as_user: Any, q: str) -> None:
    page = as_user("office_head").get(reverse("work:plan_list"), {"q": q}).context["page"]
    assert [p.pk for p in page] == [plan.pk]


def test_other_words_find_nothing(world: World, plan: Any, as_user: Any) -> None:
    page = as_user("office_head").get(reverse("work:plan_list"), {"q": "bầu cử"}).context["page"]
    assert list(page) == []


def test_an_edited_title_is_searched(world: World, plan: Any, as_user: Any) -> None:
    from khoi.audit import services as audit

    audit.update_fields(
        world.users["office_head"], plan, {"title": "Kế hoạch bầu cử"}, "plan.update"
    )
    page = as_user("office_head").get(reverse("work:plan_list"), {"q": "bau cu"}).context["page"]
    assert [p.pk for p in page] == [plan.pk]
