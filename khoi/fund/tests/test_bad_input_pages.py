"""#10's bad input through the pages (the API's in test_bad_input_api): amounts that are not
whole positive đồng, a receipt without what the fund requires, spending above the balance;
a Vietnamese message on the field, nothing saved. Dot-grouped amounts ("1.250.000", as
Vietnamese write them) are accepted, and so are spaces around them (trimmed like any form
field); "1,250,000" is refused with the reason."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from khoi.fund import services
from khoi.fund.models import Entry, Fund

D = datetime.date(2021, 3, 10)
NOW = datetime.datetime(2021, 3, 15, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("fund_clock")
VI = re.compile(r"[àáảãạăâđêôơưềếệểễờớợởỡừứựửữìíịỉĩòóọỏõùúụủũ]", re.I)


def _post(client: Any, fund: Fund, kind: str, **data: Any) -> Any:
    body = {"date": "10/03/2021", "channel": "cash"} | data
    if kind == "receipts":
        body = {"donor_kind": "person", "donor_name": "Nguyễn Văn An"} | body
    else:
        body = {"purpose": "health", "beneficiary": "Hộ ông B"} | body
    return client.post(f"/fund/{fund.pk}/{kind}/new/", body)


@pytest.mark.parametrize(
    ("amount", "needle"),
    [
        ("0", "lớn hơn 0"),
        ("-5", "âm"),
        ("1.5", "thập phân"),
        ("1,5", "thập phân"),
        ("12.5", "thập phân"),
        ("abc", "chữ số"),
        ("", "bắt buộc"),
        ("1,250,000", "dấu phẩy"),
        ("1.25.000", "Nhóm chữ số"),
        ("5e3", "chữ số"),
        ("１２３", "chữ số"),
        ("9" * 40, ""),
    ],
)
@pytest.mark.parametrize("kind", ["receipts", "expenditures"])
def test_bad_amounts_on_the_page(
    as_user: Any, fund: Fund, kind: str, amount: str, needle: str
) -> None:
    before = Entry.objects.count()
    resp = _post(as_user("staff"), fund, kind, amount=amount)
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert "amount" in errors, errors
    message = " ".join(errors["amount"])
    assert VI.search(message) and needle in message, message
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("typed", "amount"), [("1.250.000", 1_250_000), ("1250000", 1_250_000), (" 2.000 ", 2_000)]
)
def test_amounts_as_vietnamese_write_them(
    as_user: Any, fund: Fund, typed: str, amount: int
) -> None:
    resp = _post(as_user("staff"), fund, "receipts", amount=typed)
    assert resp.status_code == 302, resp.context["form"].errors if resp.context else resp
    assert Entry.objects.filter(fund=fund).order_by("-seq").first().amount == amount  # type: ignore[union-attr]


def test_a_receipt_without_donor_or_campaign_where_the_fund_requires_them(
    as_user: Any, world: Any
) -> None:
    fund = services.do_create_fund(None, name="Quỹ phường Hà An", unit=world.commune,
                                   level=Fund.Level.COMMUNE, office=world.office,
                                   requires_donor=True, requires_campaign=True)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    resp = _post(as_user("staff"), fund, "receipts", amount="100.000", donor_kind="anonymous",
                 donor_name="")  # fmt: skip
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert {"donor_kind", "campaign"} <= set(errors), errors
    assert all(VI.search(m) for ms in errors.values() for m in ms), errors
    assert not Entry.objects.filter(fund=fund).exists()


def test_spending_above_the_balance_names_the_balance(as_user: Any, fund: Fund) -> None:
    resp = _post(as_user("staff"), fund, "expenditures", amount="100.000.001")
    assert resp.status_code == 200
    text = str(resp.context["form"].errors)
    assert "vượt số dư" in text and "100.000.000" in text, text
    assert Entry.objects.filter(fund=fund).count() == 1
    assert _post(as_user("staff"), fund, "expenditures", amount="100.000.000").status_code == 302
    assert services.balance(fund) == 0
