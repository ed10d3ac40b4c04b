"""Reversals are netted in the report's by-purpose table and in the running-costs cap
(hand-counted figures)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from time_machine import TimeMachineFixture

from khoi.fund import services
from khoi.fund.models import Entry, Fund
from khoi.fund.providers import fund_report_section


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2017, 11, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def day(d: int) -> datetime.date:
    return datetime.date(2017, 10, d)


@pytest.fixture
def fund(world: Any) -> Fund:
    fund = services.do_create_fund(None, name="Quỹ phường Hà An", unit=world.commune,
                                   level=Fund.Level.COMMUNE, office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    return fund


def receipt(fund: Fund, amount: int, d: int) -> Entry:
    return services.do_post_receipt(None, fund, amount=amount, date=day(d),
                                    donor_kind="person", donor_name="Nguyễn Văn An")  # fmt: skip


def spend(fund: Fund, amount: int, d: int, purpose: str = "livelihood") -> Entry:
    return services.do_post_expenditure(None, fund, amount=amount, date=day(d), purpose=purpose,
                                        beneficiary="Hộ ông Phạm Văn Dũng")  # fmt: skip


def reverse(entry: Entry, d: int) -> Entry:
    return services.do_reverse_entry(None, entry, date=day(d), reason="ghi nhầm")


def test_the_running_costs_cap_counts_neither_reversed_receipts_nor_reversed_costs(
    fund: Fund,
) -> None:
    receipt(fund, 10_000_000, 1)
    reverse(receipt(fund, 4_000_000, 2), 3)  # net receipts 10,000,000: cap 5 % = 500,000
    first = spend(fund, 400_000, 4, "running")
    with pytest.raises(ValidationError) as exc:  # 400,000 + 200,000 > 500,000
        spend(fund, 200_000, 4, "running")  # (the gross receipts' 700,000 would allow it)
    assert "amount" in exc.value.message_dict and "500.000" in exc.value.messages[0]
    reverse(first, 5)  # the reversed 400,000 no longer counts
    spend(fund, 500_000, 6, "running")  # exactly the cap
    with pytest.raises(ValidationError):
        spend(fund, 1, 6, "running")


def test_the_reports_spending_by_purpose_is_net_of_reversals(world: Any, fund: Fund) -> None:
    receipt(fund, 10_000_000, 1)
    reverse(receipt(fund, 4_000_000, 2), 3)
    reverse(spend(fund, 400_000, 4, "running"), 5)
    spend(fund, 500_000, 6, "running")
    spend(fund, 1_000_000, 6)
    reverse(spend(fund, 2_000_000, 7), 8)
    spend(fund, 300_000, 9, "health")
    section = fund_report_section(world.office, day(1), day(31))
    assert section is not None
    # receipts 14,000,000 - 4,000,000; spent 4,200,000 - 2,400,000 reversed
    assert section.figures["fund_receipts"] == 10_000_000
    assert section.figures["fund_expenditures"] == 1_800_000
    rows = [row[1:] for row in section.tables[0].rows]  # purposes in code order
    assert rows == [[1, "300.000"], [1, "1.000.000"], [1, "500.000"]]  # health, livelihood, running
    assert sum(int(r[1].replace(".", "")) for r in rows) == section.figures["fund_expenditures"]
    # a period holding only a payment and its reversal shows no row for that purpose
    section = fund_report_section(world.office, day(7), day(8))
    assert section is not None and section.tables == []
