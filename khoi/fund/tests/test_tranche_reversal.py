"""Tranche payments are linked to their case; reversing a tranche steps the case back in the
same transaction, or is refused while a later step rests on it."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from khoi.audit.models import AuditEntry
from khoi.fund import housing, services
from khoi.fund.demo import demo_photo
from khoi.fund.models import Entry, Fund, HousingCase

PNG = demo_photo()  # a real PNG: photos are decoded
D = datetime.date(2023, 3, 10)
NOW = datetime.datetime(2023, 3, 20, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("fund_clock")
S = HousingCase.Status
SIGNERS = ["Cán bộ MTTQ", "Cán bộ UBND", "Trưởng khu", "Chủ hộ"]


def decided(world: Any, fund: Fund, name: str = "Phạm Văn Dũng") -> HousingCase:
    staff = world.users["staff"]
    household = services.do_create_household(None, unit=world.commune, head_name=name)
    case = housing.do_propose_case(staff, household, fund, year=2023, kind="new")
    housing.do_verify_case(staff, case)
    case = housing.do_appraise_case(staff, case, checklist={"poverty": True},
                                    photos=[("nha.png", PNG)])  # fmt: skip
    case = housing.do_approve_case(world.users["office_head"], case)
    return housing.do_issue_decision(staff, case, issued_on=D)


def accept(staff: Any, case: HousingCase) -> HousingCase:
    housing.do_record_progress(staff, case, note="Xong móng", photos=[("tien-do.png", PNG)])
    return housing.do_accept_case(staff, case, accepted_on=D, signers=SIGNERS)


def fresh(case: HousingCase) -> HousingCase:
    return HousingCase.objects.get(pk=case.pk)


def test_each_tranche_is_linked_to_its_ledger_entry(world: Any, fund: Fund) -> None:
    staff = world.users["staff"]
    case = decided(world, fund)
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    assert fresh(case).tranche1_entry == e1 and e1.tranche1_of == fresh(case)
    accept(staff, case)
    e2 = housing.do_pay_tranche(staff, case, tranche=2, date=D)
    assert (fresh(case).tranche1_entry, fresh(case).tranche2_entry) == (e1, e2)


def test_reversing_tranche_1_steps_the_case_back_and_tranche_2_is_refused(
    world: Any, fund: Fund
) -> None:
    staff = world.users["staff"]
    case = decided(world, fund)
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    services.do_reverse_entry(staff, e1, date=D, reason="chi nhầm số tiền")
    case = fresh(case)
    assert case.status == S.DECIDED and case.tranche1_entry is None
    audit = AuditEntry.objects.get(action="fund.case.tranche1.reverse")
    assert audit.changes["status"] == [S.TRANCHE1, S.DECIDED]
    with pytest.raises(ValidationError):  # the works cannot be accepted on a reversed advance
        housing.do_accept_case(staff, case, accepted_on=D, signers=SIGNERS)
    with pytest.raises(ValidationError):
        housing.do_pay_tranche(staff, case, tranche=2, date=D)
    # tranche 1 paid again, correctly: the case goes on
    again = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    assert fresh(case).tranche1_entry == again and fresh(case).status == S.TRANCHE1
    assert services.balance(fund) == 100_000_000 - case.tranche1_amount


def test_tranche_1_cannot_be_reversed_once_the_works_were_accepted_on_it(
    world: Any, fund: Fund
) -> None:
    staff = world.users["staff"]
    case = decided(world, fund)
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    accept(staff, case)
    count = Entry.objects.count()
    with pytest.raises(ValidationError, match="Phạm Văn Dũng") as exc:
        services.do_reverse_entry(staff, e1, date=D, reason="nhầm")
    assert e1.number in exc.value.messages[0]
    assert Entry.objects.count() == count and fresh(case).status == S.ACCEPTED


def test_a_tranche_2_after_a_reversed_tranche_1_is_refused_even_if_the_case_says_accepted(
    world: Any, fund: Fund
) -> None:
    """Data from before the link (or written outside the workflow): the service itself
    checks that the first tranche still stands."""
    staff = world.users["staff"]
    case = decided(world, fund)
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    accept(staff, case)
    HousingCase.objects.filter(pk=case.pk).update(tranche1_entry=None)  # unlinked, legacy
    services.do_reverse_entry(staff, e1, date=D, reason="nhầm")
    HousingCase.objects.filter(pk=case.pk).update(tranche1_entry=e1)
    with pytest.raises(ValidationError, match="đợt 1"):
        housing.do_pay_tranche(staff, fresh(case), tranche=2, date=D)


def test_reversing_tranche_2_steps_back_until_the_handover(world: Any, fund: Fund) -> None:
    staff = world.users["staff"]
    case = decided(world, fund)
    housing.do_pay_tranche(staff, case, tranche=1, date=D)
    accept(staff, case)
    e2 = housing.do_pay_tranche(staff, case, tranche=2, date=D)
    services.do_reverse_entry(staff, e2, date=D, reason="nhầm tài khoản")
    assert fresh(case).status == S.ACCEPTED and fresh(case).tranche2_entry is None
    e2 = housing.do_pay_tranche(staff, fresh(case), tranche=2, date=D)
    housing.do_hand_over(staff, fresh(case), date=D)
    with pytest.raises(ValidationError):
        services.do_reverse_entry(staff, e2, date=D, reason="nhầm")
    assert fresh(case).status == S.HANDED_OVER


def test_the_reversal_page_and_the_api_follow_the_rule(
    world: Any, fund: Fund, as_user: Any
) -> None:
    staff = world.users["staff"]
    case = decided(world, fund)
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    client = as_user("staff")
    resp = client.post(f"/fund/entries/{e1.pk}/reverse/", {"date": "10/03/2023",
                       "reason": "chi nhầm"}, follow=True)  # fmt: skip
    assert fresh(case).status == S.DECIDED
    assert "Phạm Văn Dũng" in resp.content.decode()
    e1 = housing.do_pay_tranche(staff, fresh(case), tranche=1, date=D)
    accept(staff, fresh(case))
    resp = client.post(f"/api/v1/fund/entries/{e1.pk}/reverse", {"date": "2023-03-10",
                       "reason": "nhầm"}, content_type="application/json")  # fmt: skip
    assert resp.status_code == 422 and fresh(case).status == S.ACCEPTED


def test_the_migration_links_the_payments_of_existing_cases(world: Any, fund: Fund) -> None:
    staff = world.users["staff"]
    case = decided(world, fund)
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    accept(staff, case)
    e2 = housing.do_pay_tranche(staff, case, tranche=2, date=D)
    HousingCase.objects.filter(pk=case.pk).update(tranche1_entry=None, tranche2_entry=None)
    module = importlib.import_module("khoi.fund.migrations.0012_case_tranche_entries_fundledger")
    module.link(apps, None)
    assert (fresh(case).tranche1_entry, fresh(case).tranche2_entry) == (e1, e2)


def test_a_reversed_tranche_takes_its_support_row_with_it(world: Any, fund: Fund) -> None:
    """The matches say "already received … from …" from the support rows: a tranche that was
    reversed was not paid, so its row goes (audited) and the other tranche's stays."""
    staff = world.users["staff"]
    case = decided(world, fund)
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    household = case.household
    assert list(household.supports.values_list("entry_id", "amount")) == [
        (e1.pk, case.tranche1_amount)
    ]
    services.do_reverse_entry(staff, e1, date=D, reason="chi nhầm")
    assert not household.supports.exists()
    assert AuditEntry.objects.filter(action="fund.household.support.reverse").count() == 1
    e1b = housing.do_pay_tranche(staff, fresh(case), tranche=1, date=D)
    accept(staff, fresh(case))
    e2 = housing.do_pay_tranche(staff, fresh(case), tranche=2, date=D)
    services.do_reverse_entry(staff, e2, date=D, reason="chi nhầm")
    assert list(household.supports.values_list("entry_id", flat=True)) == [e1b.pk]
