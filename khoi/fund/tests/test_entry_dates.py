"""Entry dates: never after today (the one clock); money out never leaves any day's balance
negative, also when back-dated (service, page, API, import)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from time_machine import TimeMachineFixture

from khoi.fund import importer, services
from khoi.fund.models import Entry, Fund
from khoi.fund.tests.test_ledger import make_fund

TODAY = datetime.date(2017, 11, 1)


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2017, 11, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def day(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def receipt(fund: Fund, amount: int, date: datetime.date) -> Entry:
    return services.do_post_receipt(None, fund, amount=amount, date=date,
                                    donor_kind="person", donor_name="Nguyễn Văn An")  # fmt: skip


def spend(fund: Fund, amount: int, date: datetime.date) -> Entry:
    return services.do_post_expenditure(None, fund, amount=amount, date=date,
                                        purpose="livelihood", beneficiary="Hộ ông Dũng")  # fmt: skip


def test_an_entry_dated_after_today_is_refused_naming_the_field(world: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000_000, TODAY)  # today itself is fine
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        receipt(fund, 1_000, tomorrow)
    assert exc.value.message_dict["date"] == [
        "Ngày ghi sổ (02/11/2017) sau ngày hôm nay (01/11/2017): không ghi sổ cho ngày chưa đến."
    ]
    with pytest.raises(ValidationError) as exc:
        spend(fund, 1_000, datetime.date(2099, 1, 1))
    assert "Ngày ghi sổ" in exc.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as exc:
        services.do_reverse_entry(None, Entry.objects.get(), date=tomorrow, reason="nhầm")
    assert "date" in exc.value.message_dict
    assert Entry.objects.count() == 1


def test_a_back_dated_expenditure_cannot_make_an_earlier_day_negative(world: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000_000, day(10))
    receipt(fund, 5_000_000, day(2))  # today's balance: 6,000,000
    with pytest.raises(ValidationError) as exc:  # on day(5) the fund only had 1,000,000
        spend(fund, 2_000_000, day(5))
    assert "vượt số dư" in exc.value.message_dict["amount"][0]
    assert "1.000.000" in exc.value.message_dict["amount"][0]
    spend(fund, 1_000_000, day(5))  # exactly what it had
    # money in and out on the same day: that day's balance counts both
    receipt(fund, 700_000, day(4))
    spend(fund, 700_000, day(4))


def test_a_back_dated_expenditure_cannot_make_a_later_day_negative(world: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 3_000_000, day(10))
    spend(fund, 2_500_000, day(3))  # day(3) on: 500,000
    receipt(fund, 4_000_000, day(1))
    # on day(6) the fund had 3,000,000, but from day(3) on only 500,000 would be left
    with pytest.raises(ValidationError) as exc:
        spend(fund, 1_000_000, day(6))
    assert "500.000" in exc.value.message_dict["amount"][0]
    spend(fund, 500_000, day(6))
    # a receipt reversed back-dated follows the same rule: 1 dong spent today is missing
    spend(fund, 1, day(0))
    with pytest.raises(ValidationError):
        services.do_reverse_entry(None, Entry.objects.get(amount=4_000_000), date=day(1),
                                  reason="nhầm")  # fmt: skip
    assert services.lowest_balance_from(fund, day(10))[0] == 0
    assert services.lowest_balance_from(fund, day(1)) == (3_999_999, day(0))


def test_the_page_and_the_api_refuse_a_future_date(world: Any, as_user: Any) -> None:
    fund = make_fund(world)
    client = as_user("staff")
    resp = client.post(f"/fund/{fund.pk}/receipts/new/", {
        "amount": "100000", "date": "01/01/2099", "donor_kind": "anonymous",
        "channel": "cash"})  # fmt: skip
    assert resp.status_code == 200 and "Ngày ghi sổ (01/01/2099)" in resp.content.decode()
    resp = client.post(f"/api/v1/fund/funds/{fund.pk}/receipts", {
        "amount": 100_000, "date": "2099-01-01", "donor_kind": "anonymous", "channel": "cash"},
        content_type="application/json")  # fmt: skip
    assert resp.status_code == 422 and "2099" in str(resp.json())
    assert not Entry.objects.exists()


def test_the_import_refuses_a_future_date_by_row_and_column(world: Any) -> None:
    fund = make_fund(world)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([h for _k, h, _r in importer.COLUMNS_NAME])
    ws.append(["20/10/2017", "cá nhân", "Nguyễn Văn An", 100_000, "tiền mặt", "", ""])
    ws.append(["01/01/2099", "cá nhân", "Trần Thị Bình", 200_000, "tiền mặt", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    result = importer.parse_workbook(buf.getvalue(), fund)
    assert [(e.row, e.column) for e in result.errors] == [(3, "A")]
    assert "Ngày nộp (01/01/2099)" in result.errors[0].message


OPS = st.lists(
    st.tuples(
        st.sampled_from(["in", "out", "reverse"]),
        st.integers(1, 60),
        st.integers(1, 5).map(lambda k: k * 100_000),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_random_back_dated_sequences_never_leave_a_day_negative(world: Any, ops: Any) -> None:
    fund = Fund.objects.filter(name="H").first() or make_fund(world, name="H")
    for kind, back, amount in ops:
        try:
            if kind == "in":
                receipt(fund, amount, day(back))
            elif kind == "out":
                spend(fund, amount, day(back))
            else:
                target = (
                    Entry.objects.filter(fund=fund, reversed_by__isnull=True)
                    .exclude(kind=Entry.Kind.REVERSAL)
                    .order_by("?")
                    .first()
                )
                if target is not None:
                    services.do_reverse_entry(None, target, date=max(target.date, day(back)),
                                              reason="kiểm thử")  # fmt: skip
        except ValidationError:
            pass
        dates = sorted(set(Entry.objects.filter(fund=fund).values_list("date", flat=True)))
        for d in dates:
            assert services.balance(fund, until=d) >= 0, d
