"""No site-administrator bypass: approving cases and posting entries go by roles only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from khoi.fund import access, housing, services
from khoi.fund.demo import demo_photo
from khoi.fund.models import Entry, Fund, HousingCase

PNG = demo_photo()  # a real PNG: photos are decoded
D = datetime.date(2023, 3, 1)
NOW = datetime.datetime(2023, 3, 10, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("fund_clock")


def _appraised(world: Any, fund: Fund) -> HousingCase:
    staff = world.users["staff"]
    household = services.do_create_household(None, unit=world.commune, head_name="Phạm Văn Dũng")
    case = housing.do_propose_case(staff, household, fund, year=2023, kind="new")
    housing.do_verify_case(staff, case)
    return housing.do_appraise_case(staff, case, checklist={"poverty": True},
                                    photos=[("nha.png", PNG)])  # fmt: skip


def test_a_site_administrator_does_not_post_entries(world: Any, fund: Fund, as_user: Any) -> None:
    admin = world.users["admin"]
    assert admin.is_superuser and not access.can_post(admin, fund)
    with pytest.raises(ValidationError, match="kế toán"):
        services.do_post_receipt(admin, fund, amount=1_000, date=D, donor_kind="anonymous")
    with pytest.raises(ValidationError, match="kế toán"):
        services.do_reverse_entry(admin, Entry.objects.get(), date=D, reason="nhầm")
    client = as_user("admin")
    assert client.get(f"/fund/{fund.pk}/receipts/new/").status_code == 404
    page = client.get(f"/fund/{fund.pk}/").content.decode()
    assert f"/fund/{fund.pk}/receipts/new/" not in page
    resp = client.post(f"/api/v1/fund/funds/{fund.pk}/receipts", {"amount": 1_000,
                       "date": "2023-03-01", "donor_kind": "anonymous"},
                       content_type="application/json")  # fmt: skip
    assert resp.status_code == 403
    assert Entry.objects.count() == 1
    # made an accountant of the fund, the same person posts
    services.do_add_accountant(None, fund, admin)
    services.do_post_receipt(admin, fund, amount=1_000, date=D, donor_kind="anonymous")
    assert Entry.objects.count() == 2


def test_a_site_administrator_does_not_approve_cases(world: Any, fund: Fund, as_user: Any) -> None:
    case = _appraised(world, fund)
    admin = world.users["admin"]
    assert not housing.can_approve(admin, case)
    with pytest.raises(ValidationError, match="Ban Thường trực"):
        housing.do_approve_case(admin, case)
    client = as_user("admin")
    client.post(f"/fund/cases/{case.pk}/do/approve/")
    resp = client.post(f"/api/v1/fund/cases/{case.pk}/approve")
    assert resp.status_code == 403
    assert HousingCase.objects.get(pk=case.pk).status == HousingCase.Status.APPRAISED
    housing.do_approve_case(world.users["office_head"], case)  # the standing board does
    assert HousingCase.objects.get(pk=case.pk).status == HousingCase.Status.APPROVED
