"""The list of housing cases: access as the case page, filters, search, pagination, a fixed
number of queries, the links of the agenda, the dashboard and the menu."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from khoi.fund import housing, providers, services
from khoi.fund.models import Fund, HousingCase
from khoi.fund.tests.test_housing import PNG
from khoi.links import main_menu

D = datetime.date(2023, 3, 10)
NOW = datetime.datetime(2023, 6, 30, 9, 0, tzinfo=datetime.UTC)
OPENING = 0
pytestmark = pytest.mark.usefixtures("fund_clock")


def cases(world: Any, fund: Fund, n: int, unit: Any = None, prefix: str = "Hộ") -> list[Any]:
    out = []
    for i in range(n):
        hh = services.do_create_household(None, unit=unit or world.commune,
                                          head_name=f"{prefix} {i:03d}")  # fmt: skip
        out.append(housing.do_propose_case(None, hh, fund, year=2023, kind="new"))
    return out


@pytest.mark.parametrize(("persona", "status", "seen"), [
    ("staff", 200, 3), ("office_head", 200, 3), ("viewer", 200, 3), ("reporter", 200, 2),
    ("org_leader", 200, 3), ("other_staff", 200, 0), ("outsider", 404, 0), ("admin", 200, 3),
])  # fmt: skip
def test_who_lists_which_cases_and_sees_the_menu_entry(
    as_user: Any, world: Any, fund: Fund, persona: str, status: int, seen: int
) -> None:
    cases(world, fund, 2)
    cases(world, fund, 1, unit=world.commune2, prefix="Tiền Phong")
    resp = as_user(persona).get("/fund/cases/")
    assert resp.status_code == status
    if status == 200:
        assert len(resp.context["page"].object_list) == seen
    in_menu = any(link.url == "/fund/cases/" for link in main_menu(world.users[persona]))
    assert in_menu == (status == 200)  # no menu entry leads to a 404


def test_filters_search_and_pages(as_user: Any, world: Any, fund: Fund) -> None:
    first = cases(world, fund, 55)
    other = cases(world, fund, 2, unit=world.commune2, prefix="Lê Văn")
    housing.do_verify_case(None, first[0])
    client = as_user("staff")
    page = client.get("/fund/cases/").context["page"]
    assert page.paginator.count == 57 and len(page.object_list) == 50
    assert len(client.get("/fund/cases/?page=2").context["page"].object_list) == 7
    one = client.get("/fund/cases/?status=verified").context["page"].object_list
    assert [c.pk for c in one] == [first[0].pk]
    two = client.get("/fund/cases/?status=verified,proposed").context["page"].paginator.count
    assert two == 57
    assert (
        client.get(f"/fund/cases/?commune={world.commune2.pk}").context["page"].paginator.count == 2
    )
    assert client.get("/fund/cases/?q=le van").context["page"].paginator.count == 2  # no diacritics
    assert client.get("/fund/cases/?year=2020").context["page"].paginator.count == 0
    assert (
        client.get(f"/fund/cases/?fund={fund.pk}&year=2023").context["page"].paginator.count == 57
    )
    body = client.get("/fund/cases/?q=Lê").content.decode()
    assert "Lê Văn 000" in body and "Hộ 000" not in body and "đề xuất" in body
    assert {c.pk for c in other} <= {c.pk for c in HousingCase.objects.all()}


def test_a_fixed_number_of_queries_at_two_sizes(as_user: Any, world: Any, fund: Fund) -> None:
    client = as_user("staff")
    seen: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    counts = []
    for n in (3, 30):
        cases(world, fund, n, prefix=f"Cỡ {n}")
        seen.clear()
        with connection.execute_wrapper(count):
            assert client.get("/fund/cases/").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1]


def test_agenda_and_cards_link_to_the_filtered_list(as_user: Any, world: Any, fund: Fund) -> None:
    services.do_post_receipt(None, fund, amount=100_000_000, date=D, donor_kind="organization",
                             donor_name="Công ty")  # fmt: skip
    case = cases(world, fund, 1)[0]
    housing.do_verify_case(None, case)
    housing.do_appraise_case(None, case, checklist={"poverty": True}, photos=[("a.png", PNG)])
    [item] = providers.fund_agenda(world.office, D)
    assert item.url == "/fund/cases/?status=appraised"
    cards = providers.fund_cards(world.users["staff"], [world.office])
    assert [c.url for c in cards] == ["/fund/cases/?status=appraised",
                                      "/fund/cases/?status=decided,accepted"]  # fmt: skip
    page = as_user("staff").get(item.url).context["page"]
    assert [c.pk for c in page.object_list] == [case.pk]
