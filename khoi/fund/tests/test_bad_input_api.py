"""#10's bad input through the API: amounts that are not whole positive numbers, a
receipt missing what the fund requires, tranches out of order; each refused with a
Vietnamese message naming the field, nothing saved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from khoi.fund import housing, services
from khoi.fund.models import Entry, Fund, HousingCase
from khoi.fund.tests.test_housing import appraised

D = datetime.date(2021, 3, 10)
NOW = datetime.datetime(2021, 3, 15, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("fund_clock")


def _vietnamese(text: str) -> bool:
    return any(ch in text for ch in "ăâđêôơưàảãáạềếệểễờớợởỡừứựửữìíịỉĩòóọỏõùúụủũ")


@pytest.mark.parametrize("amount", [0, -5, 1.5, "1.5", "abc", None, [], True, 10**30])
@pytest.mark.parametrize("kind", ["receipts", "expenditures"])
def test_amounts_that_are_not_whole_positive_dong_are_refused(
    as_user: Any, fund: Fund, amount: Any, kind: str
) -> None:
    body: dict[str, Any] = {"amount": amount, "date": "2021-03-05"}
    body |= ({"donor_kind": "person", "donor_name": "Nguyễn Văn An"} if kind == "receipts"
             else {"purpose": "health", "beneficiary": "Hộ ông A"})  # fmt: skip
    before = Entry.objects.count()
    resp = as_user("staff").post(f"/api/v1/fund/funds/{fund.pk}/{kind}", body,
                                 content_type="application/json")  # fmt: skip
    assert resp.status_code == 422, resp.content
    data = resp.json()
    assert "amount" in data["errors"], data
    assert all(_vietnamese(m) for m in data["errors"]["amount"]), data
    assert Entry.objects.count() == before


def test_a_receipt_without_donor_or_campaign_where_the_fund_requires_them(
    as_user: Any, world: Any
) -> None:
    fund = services.do_create_fund(None, name="Quỹ phường Hà An", unit=world.commune,
                                   level=Fund.Level.COMMUNE, office=world.office,
                                   requires_donor=True, requires_campaign=True)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    resp = as_user("staff").post(f"/api/v1/fund/funds/{fund.pk}/receipts",
                                 {"amount": 100_000, "date": "2021-03-05",
                                  "donor_kind": "anonymous"},
                                 content_type="application/json")  # fmt: skip
    assert resp.status_code == 422
    errors = resp.json()["errors"]
    assert {"donor_kind", "campaign"} <= set(errors), errors
    assert all(_vietnamese(m) for ms in errors.values() for m in ms), errors
    assert Entry.objects.filter(fund=fund).count() == 0


def _tranche(client: Any, case: HousingCase, tranche: int) -> Any:
    return client.post(f"/api/v1/fund/cases/{case.pk}/tranches",
                       {"tranche": tranche, "date": "2021-03-10"},
                       content_type="application/json")  # fmt: skip


def test_tranches_out_of_order_are_refused_through_the_api(
    world: Any, fund: Fund, as_user: Any
) -> None:
    staff = as_user("staff")
    case = appraised(world, fund)
    resp = _tranche(staff, case, 1)  # before approval
    assert resp.status_code == 422 and "quyết định" in str(resp.json()["errors"])
    housing.do_approve_case(world.users["office_head"], case)
    housing.do_issue_decision(world.users["staff"], case, issued_on=D)
    resp = _tranche(staff, case, 2)  # before acceptance
    assert resp.status_code == 422 and "nghiệm thu" in str(resp.json()["errors"])
    assert _tranche(staff, case, 3).status_code == 422
    assert _tranche(as_user("office_head"), case, 1).status_code == 403  # not the accountant
    assert _tranche(as_user("outsider"), case, 1).status_code == 404
    assert Entry.objects.filter(fund=fund, kind="expenditure").count() == 0
    resp = _tranche(staff, case, 1)
    assert resp.status_code == 201 and resp.json()["amount"] == 24_000_000
    resp = _tranche(staff, case, 2)  # paid tranche 1, still no acceptance record
    assert resp.status_code == 422 and "nghiệm thu" in str(resp.json()["errors"])
    assert Entry.objects.filter(fund=fund, kind="expenditure").count() == 1
    assert HousingCase.objects.get(pk=case.pk).status == "tranche1"


def test_the_page_refuses_tranche_2_before_acceptance(world: Any, fund: Fund, as_user: Any) -> None:
    case = appraised(world, fund)
    housing.do_approve_case(world.users["office_head"], case)
    housing.do_issue_decision(world.users["staff"], case, issued_on=D)
    housing.do_pay_tranche(world.users["staff"], case, tranche=1, date=D)
    client = as_user("staff")
    assert "/do/tranche2/" not in client.get(f"/fund/cases/{case.pk}/").content.decode()
    resp = client.post(f"/fund/cases/{case.pk}/do/tranche2/", {"date": "10/03/2021"})
    assert resp.status_code == 404
    assert Entry.objects.filter(fund=fund, kind="expenditure").count() == 1
