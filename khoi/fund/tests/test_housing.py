"""Housing support: the whole workflow, maker-checker (service, page, API), tranche order,
the year's allocation, and each payment a ledger expenditure."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from time_machine import TimeMachineFixture

from khoi.fund import documents, housing, services
from khoi.fund.models import Entry, Fund, Household, HousingCase

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
D = datetime.date(2021, 3, 10)


@pytest.fixture(autouse=True)
def _setup(time_machine: TimeMachineFixture, settings: Any, tmp_path: Path) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def fund(world: Any) -> Fund:
    fund = services.do_create_fund(None, name="Quỹ Vì người nghèo thị xã", unit=world.town,
                                   level=Fund.Level.TOWN, office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    services.do_post_receipt(None, fund, amount=100_000_000, date=D, donor_kind="organization",
                             donor_name="Công ty Than")  # fmt: skip
    return fund


def household(world: Any, name: str = "Phạm Văn Dũng") -> Household:
    return services.do_create_household(None, unit=world.commune, head_name=name)


def appraised(world: Any, fund: Fund, proposer: str = "staff", name: str = "Phạm Văn Dũng",
              ticks: tuple[str, ...] = ("poverty", "house_state", "land")) -> HousingCase:  # fmt: skip
    actor = world.users[proposer]
    case = housing.do_propose_case(actor, household(world, name), fund, year=2021, kind="new")
    housing.do_verify_case(actor, case)
    checklist = dict.fromkeys(ticks, True)
    return housing.do_appraise_case(actor, case, checklist=checklist, photos=[("nha.png", PNG)])


def test_the_whole_workflow_pays_through_the_ledger(world: Any, fund: Fund) -> None:
    staff, head = world.users["staff"], world.users["office_head"]
    case = appraised(world, fund)
    assert case.amount == 40_000_000 and case.score == 8
    case = housing.do_approve_case(head, case)
    case = housing.do_issue_decision(staff, case, issued_on=D)
    assert case.decision_notation.endswith("/QĐ-MTTQ")
    e1 = housing.do_pay_tranche(staff, case, tranche=1, date=D)
    assert e1.amount == 24_000_000 and e1.decision_ref == case.decision_notation
    housing.do_record_progress(staff, case, note="Xong móng", photos=[("tien-do.png", PNG)])
    with pytest.raises(ValidationError, match="Chủ hộ được hỗ trợ"):  # the roles are data
        housing.do_accept_case(staff, case, accepted_on=D, signers=["Trưởng khu", "Chủ hộ"])
    housing.do_accept_case(staff, case, accepted_on=D,
                           signers=["Cán bộ MTTQ", "Cán bộ UBND", "Trưởng khu", "Chủ hộ"])  # fmt: skip
    assert HousingCase.objects.get(pk=case.pk).acceptance_signers[3] == "Chủ hộ được hỗ trợ: Chủ hộ"
    e2 = housing.do_pay_tranche(staff, case, tranche=2, date=D)
    assert e2.amount == 16_000_000
    housing.do_hand_over(staff, case, date=D)
    case = housing.do_settle_case(staff, HousingCase.objects.get(pk=case.pk))
    assert case.status == "settled"
    assert services.balance(fund) == 60_000_000
    assert Entry.objects.filter(fund=fund, purpose="housing_new").count() == 2


def test_the_proposer_never_approves_in_the_service(world: Any, fund: Fund) -> None:
    case = appraised(world, fund, proposer="office_head")
    with pytest.raises(ValidationError, match="chính mình"):
        housing.do_approve_case(world.users["office_head"], case)
    with pytest.raises(ValidationError, match="Ban Thường trực"):
        housing.do_approve_case(world.users["org_leader"], appraised(world, fund, name="Lê Văn Tư"))


def test_the_proposer_never_approves_through_the_page(as_user: Any, world: Any, fund: Fund) -> None:
    case = appraised(world, fund, proposer="office_head")
    client = as_user("office_head")
    page = client.get(f"/fund/cases/{case.pk}/").content.decode()
    assert "/do/approve/" not in page
    client.post(f"/fund/cases/{case.pk}/do/approve/")
    assert HousingCase.objects.get(pk=case.pk).status == "appraised"
    other = appraised(world, fund, name="Lê Văn Tư")
    assert "/do/approve/" in client.get(f"/fund/cases/{other.pk}/").content.decode()
    client.post(f"/fund/cases/{other.pk}/do/approve/")
    assert HousingCase.objects.get(pk=other.pk).status == "approved"


def test_the_proposer_never_approves_through_the_api(as_user: Any, world: Any, fund: Fund) -> None:
    case = appraised(world, fund, proposer="office_head")
    resp = as_user("office_head").post(f"/api/v1/fund/cases/{case.pk}/approve")
    assert resp.status_code == 403 and "chính mình" in resp.json()["detail"]
    other = appraised(world, fund, name="Lê Văn Tư")
    assert as_user("staff").post(f"/api/v1/fund/cases/{other.pk}/approve").status_code == 403
    assert as_user("outsider").post(f"/api/v1/fund/cases/{other.pk}/approve").status_code == 404
    resp = as_user("office_head").post(f"/api/v1/fund/cases/{other.pk}/approve")
    assert resp.status_code == 200 and resp.json()["status"] == "approved"


def test_tranches_out_of_order_are_refused(world: Any, fund: Fund) -> None:
    staff = world.users["staff"]
    case = appraised(world, fund)
    with pytest.raises(ValidationError, match="chưa có quyết định"):
        housing.do_pay_tranche(staff, case, tranche=1, date=D)
    housing.do_approve_case(world.users["office_head"], case)
    housing.do_issue_decision(staff, case, issued_on=D)
    with pytest.raises(ValidationError, match="chưa được nghiệm thu"):
        housing.do_pay_tranche(staff, case, tranche=2, date=D)
    housing.do_pay_tranche(staff, case, tranche=1, date=D)
    with pytest.raises(ValidationError, match="chưa được nghiệm thu"):
        housing.do_pay_tranche(staff, case, tranche=2, date=D)
    with pytest.raises(ValidationError, match="ảnh tiến độ"):
        housing.do_accept_case(staff, case, accepted_on=D, signers=["A", "B"])
    assert Entry.objects.filter(fund=fund, kind="expenditure").count() == 1


def test_photos_are_checked_by_content(world: Any, fund: Fund) -> None:
    case = housing.do_propose_case(None, household(world), fund, year=2021, kind="repair")
    housing.do_verify_case(None, case)
    with pytest.raises(ValidationError, match="ảnh"):
        housing.do_appraise_case(None, case, checklist={}, photos=[("nha.png", b"MZ not an image")])
    with pytest.raises(ValidationError, match="không phải ảnh"):
        housing.do_appraise_case(None, case, checklist={}, photos=[("a.png", b"%PDF-1.4 xx")])
    assert HousingCase.objects.get(pk=case.pk).status == "verified"


def test_the_allocation_ranks_by_score_within_the_balance(world: Any, fund: Fund) -> None:
    low = appraised(world, fund, name="Hộ A", ticks=("land",))
    high = appraised(world, fund, name="Hộ B")
    mid = appraised(world, fund, name="Hộ C", ticks=("poverty", "house_state"))
    rows = housing.allocation(fund, 2021)
    assert [r.case.pk for r in rows] == [high.pk, mid.pk, low.pk]
    assert [r.funded for r in rows] == [True, True, False]
    assert "không đủ" in rows[2].reason and "20.000.000" in rows[2].reason


def test_decision_and_acceptance_documents(as_user: Any, world: Any, fund: Fund) -> None:
    staff = world.users["staff"]
    case = appraised(world, fund)
    housing.do_approve_case(world.users["office_head"], case)
    housing.do_issue_decision(staff, case, issued_on=D)
    resp = as_user("staff").get(f"/fund/cases/{case.pk}/decision.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Bốn mươi triệu đồng" in text
    assert as_user("outsider").get(f"/fund/cases/{case.pk}/decision.docx").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("staff", 200), ("office_head", 200),
                         ("reporter", 200), ("viewer", 200), ("other_staff", 404),
                         ("outsider", 404)])  # fmt: skip
def test_who_sees_a_case(as_user: Any, world: Any, fund: Fund, persona: str, status: int) -> None:
    case = appraised(world, fund)
    assert as_user(persona).get(f"/fund/cases/{case.pk}/").status_code == status
    assert as_user(persona).get(f"/api/v1/fund/cases/{case.pk}").status_code == status


def test_public_page_lists_supported_households_without_identifiers(world: Any, fund: Fund) -> None:
    from django.test import Client

    h = services.do_create_household(
        None, unit=world.commune, head_name="Đinh Văn Khải", head_birth_year=1949,
        area_name="Khu 4", id_number="022049123456", phone="0987654321",
    )  # fmt: skip
    case = housing.do_propose_case(world.users["staff"], h, fund, year=2021, kind="repair")
    housing.do_verify_case(None, case)
    housing.do_appraise_case(None, case, checklist={"land": True}, photos=[("a.png", PNG)])
    housing.do_approve_case(world.users["office_head"], case)
    housing.do_issue_decision(world.users["staff"], case, issued_on=D)
    page = Client().get(f"/public/funds/{fund.pk}/?year=2021").content.decode()
    assert "Đinh Văn Khải" in page and "Khu 4" in page and "20.000.000" in page
    for secret in ("022049123456", "123456", "0987654321", "654321", "1949"):
        assert secret not in page
    xlsx = Client().get(f"/public/funds/{fund.pk}/xlsx/?year=2021").content
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "Đinh Văn Khải" in cells
    assert not [c for c in cells if "123456" in c or "654321" in c or c == "1949"]


def test_report_section_agenda_and_dashboard(world: Any, fund: Fund) -> None:
    from khoi.fund.providers import fund_agenda, fund_cards, fund_report_section
    from khoi.registry import AGENDA_PROVIDERS, DASHBOARD_PROVIDERS, REPORT_SECTIONS

    assert fund_report_section in REPORT_SECTIONS and fund_agenda in AGENDA_PROVIDERS
    assert fund_cards in DASHBOARD_PROVIDERS
    appraised(world, fund)
    section = fund_report_section(
        world.office, datetime.date(2021, 1, 1), datetime.date(2021, 3, 31)
    )
    assert section is not None and section.figures["fund_receipts"] == 100_000_000
    assert "100.000.000" in section.paragraphs[0]
    [item] = fund_agenda(world.office, D)
    assert "chờ Ban Thường trực phê duyệt" in item.title
    cards = fund_cards(world.users["office_head"], [world.office])
    assert cards[0].value == 1 and cards[0].alert
    assert fund_cards(world.users["outsider"], []) == []


def test_the_acceptance_roles_are_data_per_office_or_province(world: Any, fund: Fund) -> None:
    from khoi.fund.models import AcceptanceRole

    staff, head = world.users["staff"], world.users["office_head"]
    case = appraised(world, fund)
    national = [r.label for r in housing.acceptance_roles_for(case)]
    assert national[0].startswith("Đại diện Ban Thường trực") and len(national) == 5
    AcceptanceRole.objects.create(province=world.province, label="Đại diện Sở Xây dựng", order=1)
    assert [r.label for r in housing.acceptance_roles_for(case)] == ["Đại diện Sở Xây dựng"]
    own = AcceptanceRole.objects.create(office=world.office, label="Trưởng khối", order=1)
    AcceptanceRole.objects.create(office=world.office, label="Tổ thi công", required=False,
                                  order=2)  # fmt: skip
    assert [r.label for r in housing.acceptance_roles_for(case)] == ["Trưởng khối", "Tổ thi công"]
    case = housing.do_approve_case(head, case)
    case = housing.do_issue_decision(staff, case, issued_on=D)
    housing.do_pay_tranche(staff, case, tranche=1, date=D)
    housing.do_record_progress(staff, case, note="Xong", photos=[("tien-do.png", PNG)])
    with pytest.raises(ValidationError, match="Trưởng khối"):
        housing.do_accept_case(staff, case, accepted_on=D, signers={own.pk: " "})
    case = housing.do_accept_case(staff, case, accepted_on=D, signers={own.pk: "Lê Đức Trà"})
    assert case.acceptance_signers == ["Trưởng khối: Lê Đức Trà"]
    text = "\n".join(
        p.text for p in Document(io.BytesIO(documents.acceptance_docx(case))).paragraphs
    )
    assert "Trưởng khối: Lê Đức Trà" in text


def test_the_national_amounts_say_what_was_found_and_that_they_are_unverified(db: None) -> None:
    """No decision text setting 40/20 or 60/30 million VND was found (migration 0010): the
    rows say what was found, and none claims to be verified or cites an unread article."""
    from khoi.fund.models import HousingAmount

    rows = list(HousingAmount.objects.filter(province=None))
    assert len(rows) == 4
    for row in rows:
        assert not row.verified
        assert "chưa xác minh" in row.source and "01/12/2026" in row.source
        assert "Điều" not in row.source  # no article is cited: none was read
