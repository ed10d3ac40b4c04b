"""Creating and editing a fund and its campaigns: the office head only, audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.fund.models import Campaign, Fund


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def test_the_office_head_creates_a_commune_fund_with_its_accountant(
    world: Any, as_user: Any
) -> None:
    head = as_user("office_head")
    assert 'href="/fund/new/"' in head.get("/fund/").content.decode()
    page = head.get("/fund/new/")
    assert page.status_code == 200
    staff = world.users["staff"]
    resp = head.post("/fund/new/", {
        "office": world.office.pk, "unit": world.commune.pk, "level": "commune",
        "name": "Quỹ Vì người nghèo phường Hà An", "running_cost_cap_percent": "5",
        "requires_donor": "on", "accountants": [staff.pk]})  # fmt: skip
    assert resp.status_code == 302
    fund = Fund.objects.get()
    assert fund.requires_donor and list(fund.accountants.all()) == [staff]
    assert AuditEntry.objects.filter(action="fund.create").count() == 1
    assert AuditEntry.objects.filter(action="fund.accountant.add").count() == 1
    # the level must match the unit; one fund per unit and level
    resp = head.post("/fund/new/", {
        "office": world.office.pk, "unit": world.commune.pk, "level": "town",
        "name": "Sai cấp", "running_cost_cap_percent": "5"})  # fmt: skip
    assert resp.status_code == 200 and "không khớp" in resp.content.decode()
    resp = head.post("/fund/new/", {
        "office": world.office.pk, "unit": world.commune.pk, "level": "commune",
        "name": "Trùng", "running_cost_cap_percent": "5"})  # fmt: skip
    assert resp.status_code == 200 and Fund.objects.count() == 1


def test_settings_and_campaigns_are_audited(world: Any, as_user: Any) -> None:
    head = as_user("office_head")
    head.post("/fund/new/", {
        "office": world.office.pk, "unit": world.town.pk, "level": "town",
        "name": "Quỹ thị xã", "running_cost_cap_percent": "5"})  # fmt: skip
    fund = Fund.objects.get()
    resp = head.post(f"/fund/{fund.pk}/settings/", {
        "name": "Quỹ Vì người nghèo thị xã Quảng Yên", "running_cost_cap_percent": "8",
        "requires_campaign": "on", "accountants": [world.users["staff"].pk]})  # fmt: skip
    assert resp.status_code == 302
    fund.refresh_from_db()
    assert fund.running_cost_cap_percent == 8 and fund.requires_campaign
    update = AuditEntry.objects.get(action="fund.update")
    assert update.changes["running_cost_cap_percent"] == [5, 8]
    # the accountant now runs campaigns (not the settings)
    staff = as_user("staff")
    resp = staff.post(f"/fund/{fund.pk}/campaigns/new/", {
        "name": "Tháng cao điểm 2021", "start_on": "17/10/2021", "end_on": "18/11/2021"})  # fmt: skip
    assert resp.status_code == 302
    campaign = Campaign.objects.get()
    resp = staff.post(f"/fund/campaigns/{campaign.pk}/", {
        "name": "Tháng cao điểm 2021", "start_on": "17/10/2021", "end_on": "10/10/2021"})  # fmt: skip
    assert resp.status_code == 200 and "Ngày kết thúc" in resp.content.decode()
    staff.post(f"/fund/campaigns/{campaign.pk}/", {
        "name": "Tháng cao điểm Vì người nghèo 2021", "start_on": "17/10/2021",
        "end_on": "18/11/2021"})  # fmt: skip
    assert AuditEntry.objects.filter(action="fund.campaign.update").count() == 1
    page = staff.get(f"/fund/{fund.pk}/settings/").content.decode()
    assert 'name="running_cost_cap_percent"' not in page and "cao điểm Vì người nghèo" in page
    assert staff.post(f"/fund/{fund.pk}/settings/", {"name": "x"}).status_code == 404
    # removing the accountant is audited too
    head.post(f"/fund/{fund.pk}/settings/", {"name": fund.name, "running_cost_cap_percent": "8"})
    assert AuditEntry.objects.filter(action="fund.accountant.remove").count() == 1


def test_who_may_create_or_configure(world: Any, as_user: Any) -> None:
    for persona in ("staff", "reporter", "viewer", "outsider", "admin", "org_leader"):
        assert as_user(persona).get("/fund/new/").status_code == 404, persona
    head = as_user("office_head")
    head.post("/fund/new/", {
        "office": world.office.pk, "unit": world.town.pk, "level": "town",
        "name": "Quỹ thị xã", "running_cost_cap_percent": "5"})  # fmt: skip
    fund = Fund.objects.get()
    for persona in ("staff", "reporter", "viewer", "outsider", "other_staff"):
        assert as_user(persona).get(f"/fund/{fund.pk}/settings/").status_code == 404, persona
        assert as_user(persona).get(f"/fund/{fund.pk}/campaigns/new/").status_code == 404
    # a unit outside the office's territory is refused
    resp = head.post("/fund/new/", {
        "office": world.office.pk, "unit": world.other_commune.pk, "level": "commune",
        "name": "Ngoài địa bàn", "running_cost_cap_percent": "5"})  # fmt: skip
    assert resp.status_code == 200 and Fund.objects.count() == 1
