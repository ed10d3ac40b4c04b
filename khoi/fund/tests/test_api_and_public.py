"""API permissions per persona and the public disclosure pages (no identifiers)."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from time_machine import TimeMachineFixture

from khoi.fund import services
from khoi.fund.models import Entry, Fund

D = datetime.date(2017, 10, 20)


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def fund(world: Any) -> Fund:
    fund = services.do_create_fund(
        None, name="Quỹ Vì người nghèo phường Hà An", unit=world.commune,
        level=Fund.Level.COMMUNE, office=world.office,
    )  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    services.do_post_receipt(None, fund, amount=5_000_000, date=D, donor_kind="person",
                             donor_name="Công ty Than Quảng Yên")  # fmt: skip
    services.do_post_receipt(None, fund, amount=700_000, date=D, donor_kind="anonymous")
    services.do_post_receipt(None, fund, amount=100_000, date=D, donor_kind="person",
                             donor_name="=HYPERLINK(\"http://x\")")  # fmt: skip
    services.do_post_expenditure(None, fund, amount=1_000_000, date=D, purpose="livelihood",
                                 beneficiary="Hộ bà Trần Thị Lan, khu 5")  # fmt: skip
    return fund


READERS = {"office_head": 200, "staff": 200, "viewer": 200, "reporter": 200, "admin": 200,
           "org_leader": 200, "other_staff": 404, "outsider": 404}  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_reading_a_fund_through_the_api(
    as_user: Any, fund: Fund, persona: str, status: int
) -> None:
    client = as_user(persona)
    resp = client.get(f"/api/v1/fund/funds/{fund.pk}")
    assert resp.status_code == status
    if status == 200:
        assert resp.json()["balance"] == 4_800_000
        entries = client.get(f"/api/v1/fund/funds/{fund.pk}/entries").json()
        assert entries["count"] == 4
        bal = client.get(f"/api/v1/fund/funds/{fund.pk}/balance?start=2017-10-01&end=2017-10-31")
        assert bal.json()["receipts"] == 5_800_000
    ids = [f["id"] for f in client.get("/api/v1/fund/funds").json()]
    assert (fund.pk in ids) == (status == 200)


def test_the_reporter_of_another_commune_sees_nothing(as_user: Any, world: Any) -> None:
    other = services.do_create_fund(None, name="Quỹ xã Tiền Phong", unit=world.commune2,
                                    level=Fund.Level.COMMUNE)  # fmt: skip
    assert as_user("reporter").get(f"/api/v1/fund/funds/{other.pk}").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 201), ("office_head", 403), ("viewer", 403), ("reporter", 403), ("outsider", 404)],
)
def test_only_the_accountant_posts_through_the_api(
    as_user: Any, fund: Fund, persona: str, status: int
) -> None:
    body = {"amount": 200_000, "date": "2017-10-25", "donor_kind": "organization",
            "donor_name": "Hội LHPN"}  # fmt: skip
    resp = as_user(persona).post(f"/api/v1/fund/funds/{fund.pk}/receipts", body,
                                 content_type="application/json")  # fmt: skip
    assert resp.status_code == status
    assert Entry.objects.filter(fund=fund).count() == (5 if status == 201 else 4)


def test_api_errors_are_vietnamese_and_name_the_field(as_user: Any, fund: Fund) -> None:
    client = as_user("staff")
    resp = client.post(f"/api/v1/fund/funds/{fund.pk}/expenditures",
                       {"amount": 99_000_000, "date": "2017-10-25", "purpose": "health",
                        "beneficiary": "Hộ ông A"}, content_type="application/json")  # fmt: skip
    assert resp.status_code == 422 and "vượt số dư" in resp.json()["errors"]["amount"][0]
    resp = client.post(f"/api/v1/fund/funds/{fund.pk}/receipts",
                       {"amount": -1, "date": "2017-10-25", "donor_kind": "person",
                        "donor_name": "A"}, content_type="application/json")  # fmt: skip
    assert resp.status_code == 422 and "amount" in resp.json()["errors"]


def test_a_reversal_through_the_api(as_user: Any, fund: Fund) -> None:
    spent = Entry.objects.get(fund=fund, kind="expenditure")
    resp = as_user("staff").post(f"/api/v1/fund/entries/{spent.pk}/reverse",
                                 {"date": "2017-10-26", "reason": "ghi nhầm"},
                                 content_type="application/json")  # fmt: skip
    assert resp.status_code == 201 and resp.json()["reverses_id"] == spent.pk
    assert as_user("outsider").post(f"/api/v1/fund/entries/{spent.pk}/reverse",
                                    {"date": "2017-10-26", "reason": "x"},
                                    content_type="application/json").status_code == 404  # fmt: skip


def test_public_pages_need_no_login_and_hide_the_anonymous_donor(fund: Fund) -> None:
    client = Client()
    assert fund.name in client.get("/public/funds/").content.decode()
    page = client.get(f"/public/funds/{fund.pk}/?year=2017").content.decode()
    assert "Công ty Than Quảng Yên" in page and "Ẩn danh" in page
    assert "Hộ bà Trần Thị Lan" in page
    login = client.get("/accounts/login/").content.decode()
    assert "/public/funds/" in login


def test_public_xlsx_writes_text_as_text(fund: Fund) -> None:
    resp = Client().get(f"/public/funds/{fund.pk}/xlsx/?year=2017")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    donors = [row[4] for row in values]
    assert "Ẩn danh" in donors and '=HYPERLINK("http://x")' in donors
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row if str(c.value).startswith("="))
    assert cell.data_type == "s"
    assert json.dumps(values, default=str, ensure_ascii=False).count("Ẩn danh") == 1


def test_public_list_runs_a_fixed_number_of_queries(
    fund: Fund, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with django_assert_max_num_queries(8):
        client.get(f"/public/funds/{fund.pk}/?year=2017")
