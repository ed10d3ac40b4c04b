"""The admin cannot bypass the ledger or the housing workflow; reference data edits are
audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.fund import housing, services
from khoi.fund.models import Entry, Fund, HousingAmount, HousingCase

D = datetime.date(2023, 3, 1)


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2023, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def admin_client(world: Any) -> Client:
    c = Client()
    c.force_login(world.users["admin"])
    return c


@pytest.fixture
def case(world: Any) -> HousingCase:
    fund = services.do_create_fund(None, name="Quỹ thị xã", unit=world.town,
                                   level=Fund.Level.TOWN, office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    services.do_post_receipt(None, fund, amount=100_000_000, date=D,
                             donor_kind="organization", donor_name="Công ty Than")  # fmt: skip
    household = services.do_create_household(None, unit=world.commune, head_name="Phạm Văn Dũng")
    return housing.do_propose_case(world.users["staff"], household, fund, year=2023, kind="new")


def test_housing_cases_cannot_be_added_changed_or_deleted_in_the_admin(
    world: Any, admin_client: Client, case: HousingCase
) -> None:
    assert admin_client.get("/admin/fund/housingcase/add/").status_code == 403
    before = AuditEntry.objects.count()
    r = admin_client.post("/admin/fund/housingcase/add/", {
        "household": case.household_id, "fund": case.fund_id, "year": 2020, "kind": "new",
        "status": "accepted", "amount": 40_000_000, "amount_source": "x",
        "tranche1_percent": 60, "created_at_0": "01/03/2023", "created_at_1": "09:00"})  # fmt: skip
    assert r.status_code == 403 and HousingCase.objects.count() == 1
    r = admin_client.post(f"/admin/fund/housingcase/{case.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403 and HousingCase.objects.filter(pk=case.pk).exists()
    r = admin_client.post("/admin/fund/housingcase/", {
        "action": "delete_selected", "_selected_action": [case.pk], "post": "yes"})  # fmt: skip
    assert HousingCase.objects.filter(pk=case.pk).exists()
    r = admin_client.post(f"/admin/fund/housingcase/{case.pk}/change/", {"status": "accepted"})
    assert r.status_code == 403
    case.refresh_from_db()
    assert case.status == HousingCase.Status.PROPOSED
    assert AuditEntry.objects.count() == before
    # still viewable (read-only)
    assert admin_client.get(f"/admin/fund/housingcase/{case.pk}/change/").status_code == 200


def test_ledger_entries_cannot_be_added_changed_or_deleted_in_the_admin(
    world: Any, admin_client: Client, case: HousingCase
) -> None:
    entry = Entry.objects.get()
    assert admin_client.get("/admin/fund/entry/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/fund/entry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    admin_client.post("/admin/fund/entry/", {
        "action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})  # fmt: skip
    assert (
        admin_client.post(f"/admin/fund/entry/{entry.pk}/change/", {"amount": 1}).status_code == 403
    )
    assert Entry.objects.get().amount == 100_000_000


def test_reference_data_edits_in_the_admin_are_audited(world: Any, admin_client: Client) -> None:
    row = HousingAmount.objects.filter(province=None).order_by("pk").first()
    assert row is not None
    r = admin_client.post(f"/admin/fund/housingamount/{row.pk}/change/", {
        "kind": row.kind, "province": "", "year_from": row.year_from,
        "year_to": row.year_to or "", "amount": row.amount + 1_000_000, "source": row.source,
        "verified": "on" if row.verified else ""})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="fund.admin.housing_amount.change")
    assert entry.changes["amount"] == [row.amount, row.amount + 1_000_000]
    assert entry.actor == world.users["admin"]
    r = admin_client.post(f"/admin/fund/housingamount/{row.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not HousingAmount.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.filter(action="fund.admin.housing_amount.delete").count() == 1


def test_fund_accountants_chosen_in_the_admin_are_audited(world: Any, admin_client: Client) -> None:
    fund = services.do_create_fund(None, name="Quỹ xã", unit=world.commune,
                                   level=Fund.Level.COMMUNE, office=world.office)  # fmt: skip
    staff = world.users["staff"]
    r = admin_client.post(f"/admin/fund/fund/{fund.pk}/change/", {
        "name": "Quỹ xã Hà An", "unit": fund.unit_id, "level": fund.level,
        "office": fund.office_id, "accountants": [staff.pk], "running_cost_cap_percent": 5})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    assert AuditEntry.objects.get(action="fund.admin.fund.change").changes["name"] == [
        "Quỹ xã", "Quỹ xã Hà An"]  # fmt: skip
    assert AuditEntry.objects.get(action="fund.accountant.add").changes == {"user": staff.pk}
    assert (
        admin_client.post(f"/admin/fund/fund/{fund.pk}/delete/", {"post": "yes"}).status_code == 403
    )
