"""What a commune officer needs on the housing pages (found walking the demo as each persona):
the case page names the next step and who takes it, shows the payments, dates and photos,
and links only to pages the reader may open; the fund lists are searched and paged; the
household page has no stray comma or blank identity; /public/ opens the public list."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from khoi.fund import housing, services
from khoi.fund.models import Fund, HousingCase
from khoi.fund.tests.test_housing import PNG, appraised, province_levels

D = datetime.date(2021, 3, 10)


@pytest.fixture(autouse=True)
def _setup(time_machine: TimeMachineFixture, settings: Any, tmp_path: Path, world: Any) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
    settings.MEDIA_ROOT = str(tmp_path)
    province_levels(world)


@pytest.fixture
def fund(world: Any) -> Fund:
    fund = services.do_create_fund(None, name="Quỹ Vì người nghèo thị xã", unit=world.town,
                                   level=Fund.Level.TOWN, office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    services.do_post_receipt(None, fund, amount=100_000_000, date=D, donor_kind="organization",
                             donor_name="Công ty Than")  # fmt: skip
    return fund


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_case_page_tells_the_reporter_whom_the_case_waits_for(
    as_user: Any, world: Any, fund: Fund
) -> None:
    case = appraised(world, fund, proposer="reporter")
    page = _text(as_user("reporter").get(f"/fund/cases/{case.pk}/").content.decode())
    assert "Phê duyệt — Người đề xuất không được phê duyệt hồ sơ của chính mình." in page
    case = appraised(world, fund, name="Đào Thị Hồng")
    page = _text(as_user("reporter").get(f"/fund/cases/{case.pk}/").content.decode())
    assert "Bước tiếp theo" in page
    assert "Phê duyệt — Chỉ Ban Thường trực được phê duyệt danh sách hỗ trợ." in page
    head = as_user("office_head").get(f"/fund/cases/{case.pk}/").content.decode()
    assert "/do/approve/" in head and 'id="case-waiting"' not in head


def test_the_case_page_shows_the_decision_the_vouchers_and_the_signers(
    as_user: Any, world: Any, fund: Fund
) -> None:
    staff, head = world.users["staff"], world.users["office_head"]
    case = housing.do_approve_case(head, appraised(world, fund))
    case = housing.do_issue_decision(staff, case, issued_on=datetime.date(2021, 3, 11))
    housing.do_pay_tranche(staff, case, tranche=1, date=datetime.date(2021, 3, 12))
    housing.do_record_progress(staff, case, note="Xong móng", photos=[("tien-do.png", PNG)])
    housing.do_accept_case(staff, case, accepted_on=datetime.date(2021, 3, 13),
                           signers=["Cán bộ MTTQ", "Cán bộ UBND", "Trưởng khu", "Chủ hộ"])  # fmt: skip
    case.refresh_from_db()
    assert case.tranche1_entry is not None
    page = _text(as_user("reporter").get(f"/fund/cases/{case.pk}/").content.decode())
    assert f"{case.decision_notation} ngày 11/03/2021" in page
    assert f"60% · 24.000.000 đ · đã chi theo phiếu chi {case.tranche1_entry.number}" in page
    assert "ngày 12/03/2021" in page
    assert "13/03/2021 — " in page and "Trưởng khu" in page
    # the accountant's button says how much the second tranche pays, the date is filled in
    staff_page = as_user("staff").get(f"/fund/cases/{case.pk}/").content.decode()
    assert "Chi đợt 2: 16.000.000 đ" in _text(staff_page)
    assert 'value="15/03/2021"' in staff_page


def test_the_acceptance_form_waits_for_a_progress_photo(
    as_user: Any, world: Any, fund: Fund
) -> None:
    staff, head = world.users["staff"], world.users["office_head"]
    case = housing.do_approve_case(head, appraised(world, fund))
    case = housing.do_issue_decision(staff, case, issued_on=D)
    housing.do_pay_tranche(staff, case, tranche=1, date=D)
    html = as_user("staff").get(f"/fund/cases/{case.pk}/").content.decode()
    assert "/do/accept/" not in html and 'id="accept-needs-photo"' in html
    housing.do_record_progress(staff, case, note="Xong móng", photos=[("tien-do.png", PNG)])
    html = as_user("staff").get(f"/fund/cases/{case.pk}/").content.decode()
    assert "/do/accept/" in html and 'id="accept-needs-photo"' not in html


def test_a_settled_case_says_no_step_remains(as_user: Any, world: Any, fund: Fund) -> None:
    case = appraised(world, fund)
    HousingCase.objects.filter(pk=case.pk).update(status=HousingCase.Status.SETTLED)
    page = _text(as_user("staff").get(f"/fund/cases/{case.pk}/").content.decode())
    assert "Hồ sơ đã quyết toán: không còn bước nào phải làm." in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 200), ("office_head", 200), ("reporter", 200), ("other_staff", 404),
     ("outsider", 404)],
)  # fmt: skip
def test_a_case_photo_opens_only_for_who_may_open_the_case(
    as_user: Any, world: Any, fund: Fund, persona: str, status: int
) -> None:
    case = appraised(world, fund)
    photo = case.photos.get()
    response = as_user(persona).get(f"/fund/cases/{case.pk}/photos/{photo.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG
    other = appraised(world, fund, name="Đào Thị Hồng")
    # a photo of another case never opens through this case's address
    assert (
        as_user("staff").get(f"/fund/cases/{case.pk}/photos/{other.photos.get().pk}/").status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["staff", "office_head", "reporter"])
def test_every_link_of_the_case_page_opens_for_its_reader(
    as_user: Any, world: Any, fund: Fund, persona: str
) -> None:
    case = housing.do_approve_case(world.users["office_head"], appraised(world, fund))
    housing.do_issue_decision(world.users["staff"], case, issued_on=D)
    client = as_user(persona)
    html = client.get(f"/fund/cases/{case.pk}/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', html)) - {"/"}
    links = {x for x in links if not x.startswith(("/static/", "/i18n/", "/accounts/"))}
    assert any("/photos/" in x for x in links) and any("/audit/" in x for x in links)
    for link in sorted(links):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
    # the reporter follows the case, not the town's ledger: no link to it
    shows_ledger = f'href="/fund/{fund.pk}/' in html
    assert shows_ledger == (persona != "reporter")


def test_the_household_page_has_no_stray_comma_nor_blank_identity(as_user: Any, world: Any) -> None:
    h = services.do_create_household(None, unit=world.commune, head_name="Lê Văn Thử",
                                     area_name="Khu 4")  # fmt: skip
    page = _text(as_user("reporter").get(f"/fund/households/{h.pk}/").content.decode())
    assert " Khu 4, Phường Hà An " in page and ", Khu 4" not in page
    assert "Số CMND/CCCD: — · Điện thoại: —" in page
    # nothing recorded, nothing to reveal: no "show in full" button for the office head
    head = as_user("office_head").get(f"/fund/households/{h.pk}/").content.decode()
    assert f"/fund/households/{h.pk}/identity/" not in head


def test_the_reporter_adds_a_household_of_their_commune_without_choosing_it(
    as_user: Any, world: Any
) -> None:
    html = as_user("reporter").get("/fund/households/new/").content.decode()
    assert f'<option value="{world.commune.pk}" selected>' in html


def test_the_fund_lists_are_searched_and_paged(as_user: Any, world: Any, fund: Fund) -> None:
    from khoi.testing.factories import unit

    for i in range(55):
        services.do_create_fund(None, name=f"Quỹ thị xã {i:02d}",
                                unit=unit(f"Xã Thử {i:02d}", 3, world.town),
                                level=Fund.Level.COMMUNE)  # fmt: skip
    services.do_create_fund(None, name="Quỹ Vì người nghèo phường Hà An", unit=world.commune,
                            level=Fund.Level.COMMUNE)  # fmt: skip
    for client, url in (
        (as_user("office_head"), "/fund/"),
        (as_user("outsider"), "/public/funds/"),
    ):
        first = client.get(url).content.decode()
        assert "Trang 1/2" in first or "Trang 1 / 2" in first or "page=2" in first
        assert first.count("Quỹ thị xã ") <= 50
        found = client.get(url + "?q=ha an").content.decode()  # no accents, lower case
        assert "Quỹ Vì người nghèo phường Hà An" in found and "Quỹ thị xã 00" not in found
        assert "Không có quỹ nào phù hợp." in client.get(url + "?q=zzz").content.decode()


def test_the_public_supported_households_are_paged(client: Any, world: Any, fund: Fund) -> None:
    staff = world.users["staff"]
    for i in range(52):
        h = services.do_create_household(None, unit=world.commune, head_name=f"Hộ {i:02d}")
        case = housing.do_propose_case(staff, h, fund, year=2021, kind="repair")
        HousingCase.objects.filter(pk=case.pk).update(status=HousingCase.Status.DECIDED)
    first = client.get(f"/public/funds/{fund.pk}/?year=2021").content.decode()
    assert "Hộ 49" in first and "Hộ 50" not in first and "hpage=2" in first
    second = client.get(f"/public/funds/{fund.pk}/?year=2021&hpage=2").content.decode()
    assert "Hộ 51" in second


def test_public_opens_the_list_of_funds(client: Any) -> None:
    response = client.get("/public/")
    assert response.status_code == 302 and response["Location"] == "/public/funds/"


def test_the_log_shows_amounts_grouped_and_the_checklist_by_its_criteria(
    world: Any, fund: Fund
) -> None:
    from khoi.audit.models import AuditEntry
    from khoi.audit.readable import readable_changes

    case = appraised(world, fund)
    entries = AuditEntry.objects.filter(object_type="fund.housingcase", object_id=str(case.pk))
    proposed = {k: a for k, _b, a in readable_changes(entries.get(action="fund.case.propose"))}
    assert "40.000.000" in proposed.values()
    appraisal = " ".join(
        a for _k, _b, a in readable_changes(entries.get(action="fund.case.appraise"))
    )
    assert "Hộ nghèo, cận nghèo" in appraisal
    assert "True" not in appraisal and "poverty" not in appraisal
    labels = [k for k, _b, _a in readable_changes(entries.get(action="fund.case.appraise"))]
    assert "Điểm thẩm định" in labels  # not the petitions' "similarity score"
    receipt = fund.entries.get()
    assert str(receipt).endswith("(+100.000.000)")


def test_the_case_list_says_where_a_case_is_proposed(as_user: Any, world: Any) -> None:
    html = as_user("reporter").get("/fund/cases/").content.decode()
    assert "Hồ sơ được đề xuất từ trang của hộ" in html
    assert 'href="/fund/households/"' in html
