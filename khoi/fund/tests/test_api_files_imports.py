"""The API's documents and imports (#10: same access rules as the pages): the decision and
acceptance record of a housing case, the receipt as .docx / PDF, the donation list and the
household list (upload → preview with errors by row and column → confirm, all or nothing),
per persona, audited."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
from typing import Any

import pytest
from docx import Document

from khoi.audit.models import AuditEntry
from khoi.fund import housing, services
from khoi.fund.models import Entry, Fund, Household, HousingCase, MatchDecision
from khoi.fund.tests.test_household_import import OTHER, WIFE
from khoi.fund.tests.test_household_import import xlsx as households_xlsx
from khoi.fund.tests.test_housing import PNG, appraised
from khoi.fund.tests.test_import import GOOD
from khoi.fund.tests.test_import import xlsx as donations_xlsx

D = datetime.date(2021, 3, 10)
NOW = datetime.datetime(2021, 3, 15, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("fund_clock")
API = "/api/v1/fund"
SIGNERS = ["Cán bộ MTTQ", "Cán bộ UBND", "Trưởng khu", "Chủ hộ"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _upload(data: bytes, name: str = "ds.xlsx") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.fixture
def accepted(world: Any, fund: Fund) -> HousingCase:
    staff = world.users["staff"]
    case = appraised(world, fund)
    housing.do_approve_case(world.users["office_head"], case)
    housing.do_issue_decision(staff, case, issued_on=D)
    housing.do_pay_tranche(staff, case, tranche=1, date=D)
    housing.do_record_progress(staff, case, note="Xong móng", photos=[("tien-do.png", PNG)])
    return housing.do_accept_case(staff, case, accepted_on=D, signers=SIGNERS)


# --- documents ----------------------------------------------------------------------------

CASE_READERS = [("staff", 200), ("office_head", 200), ("reporter", 200), ("viewer", 200),
                ("other_staff", 404), ("outsider", 404)]  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), CASE_READERS)
def test_decision_and_acceptance_documents_as_on_the_page(
    as_user: Any, accepted: HousingCase, persona: str, status: int
) -> None:
    client = as_user(persona)
    for which in ("decision", "acceptance"):
        api = client.get(f"{API}/cases/{accepted.pk}/{which}.docx")
        page = client.get(f"/fund/cases/{accepted.pk}/{which}.docx")
        assert (api.status_code, page.status_code) == (status, status), which
        if status == 200:
            assert api["Content-Type"] == DOCX and api.content[:2] == b"PK"
            assert _text(api.content) == _text(page.content)
        else:
            assert "Không tìm thấy" in api.json()["detail"]
    if status == 200:
        decision = _text(client.get(f"{API}/cases/{accepted.pk}/decision.docx").content)
        assert "QUYẾT ĐỊNH" in decision and "Bốn mươi triệu đồng" in decision
        record = _text(client.get(f"{API}/cases/{accepted.pk}/acceptance.docx").content)
        assert "Chủ hộ" in record and "NGHIỆM THU" in record.upper()


def test_a_document_the_case_does_not_have_yet_is_404(as_user: Any, world: Any, fund: Fund) -> None:
    case = appraised(world, fund)
    client = as_user("staff")
    assert client.get(f"{API}/cases/{case.pk}/decision.docx").status_code == 404
    assert client.get(f"{API}/cases/{case.pk}/acceptance.docx").status_code == 404
    housing.do_approve_case(world.users["office_head"], case)
    housing.do_issue_decision(world.users["staff"], case, issued_on=D)
    assert client.get(f"{API}/cases/{case.pk}/decision.docx").status_code == 200
    assert client.get(f"{API}/cases/{case.pk}/acceptance.docx").status_code == 404
    assert client.get(f"{API}/cases/999999/decision.docx").status_code == 404


FUND_READERS = [("staff", 200), ("office_head", 200), ("viewer", 200), ("org_leader", 200),
                ("other_staff", 404), ("outsider", 404)]  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), FUND_READERS)
def test_the_receipt_docx_for_the_readers_of_the_fund(
    as_user: Any, fund: Fund, persona: str, status: int
) -> None:
    entry = Entry.objects.get(fund=fund)
    client = as_user(persona)
    resp = client.get(f"{API}/entries/{entry.pk}/receipt.docx")
    assert resp.status_code == client.get(f"/fund/entries/{entry.pk}/receipt.docx").status_code
    assert resp.status_code == status
    if status == 200:
        assert "Một trăm triệu đồng" in _text(resp.content)
        assert "phieu-thu-0001-PT-2021.docx" in resp["Content-Disposition"]


def test_an_expenditure_has_no_receipt(as_user: Any, fund: Fund) -> None:
    out = services.do_post_expenditure(None, fund, amount=1_000, date=D, purpose="health",
                                       beneficiary="Hộ ông A")  # fmt: skip
    for fmt in ("docx", "pdf"):
        assert as_user("staff").get(f"{API}/entries/{out.pk}/receipt.{fmt}").status_code == 404


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_receipt_pdf(as_user: Any, fund: Fund) -> None:
    entry = Entry.objects.get(fund=fund)
    resp = as_user("viewer").get(f"{API}/entries/{entry.pk}/receipt.pdf")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")
    assert as_user("outsider").get(f"{API}/entries/{entry.pk}/receipt.pdf").status_code == 404


# --- donation list ------------------------------------------------------------------------


@pytest.fixture
def campaign_fund(fund: Fund) -> Fund:
    services.do_create_campaign(None, fund, name="Tháng cao điểm 2020",
                                start_on=datetime.date(2020, 10, 17),
                                end_on=datetime.date(2020, 11, 18))  # fmt: skip
    return fund


def test_donations_preview_then_confirm_all(as_user: Any, world: Any, campaign_fund: Fund) -> None:
    fund, client, data = campaign_fund, as_user("staff"), donations_xlsx(GOOD)
    before = Entry.objects.count()
    resp = client.post(f"{API}/funds/{fund.pk}/import/preview", {"file": _upload(data)})
    assert resp.status_code == 200, resp.content
    preview = resp.json()
    assert preview["errors"] == [] and preview["count"] == 3 and preview["total"] == 6_450_000
    assert preview["sha256"] == hashlib.sha256(data).hexdigest()
    assert [r["row"] for r in preview["rows"]] == [2, 3, 4]
    assert Entry.objects.count() == before  # nothing saved by the preview
    resp = client.post(f"{API}/funds/{fund.pk}/import/confirm",
                       {"file": _upload(data), "sha256": preview["sha256"]})  # fmt: skip
    assert resp.status_code == 201, resp.content
    assert resp.json()["count"] == 3 and resp.json()["total"] == 6_450_000
    assert Entry.objects.count() == before + 3
    audit = AuditEntry.objects.get(action="fund.receipt.import")
    assert audit.actor_id == world.users["staff"].pk
    assert audit.changes["rows"] == 3


def test_a_donation_list_with_bad_rows_names_them_and_saves_nothing(
    as_user: Any, campaign_fund: Fund
) -> None:
    fund, client = campaign_fund, as_user("staff")
    bad = [*GOOD, ["31/02/2020", "cá nhân", "", "-5", "séc", "Đợt không có", ""],
           ["23/10/2020", "hộ gia đình", "X", "1,5", "", "", ""],
           ["24/10/2020", "cá nhân", "Y", "0", "", "", ""]]  # fmt: skip
    data = donations_xlsx(bad)
    before = Entry.objects.count()
    preview = client.post(f"{API}/funds/{fund.pk}/import/preview", {"file": _upload(data)}).json()
    where = {(e["row"], e["column"]) for e in preview["errors"]}
    assert {(5, "A"), (5, "D"), (5, "E"), (5, "F"), (6, "B"), (6, "D"), (7, "D")} <= where
    assert preview["rows"] == []
    assert all(any(ch in e["message"] for ch in "àáảãạăâđêôơưệố") for e in preview["errors"])
    resp = client.post(f"{API}/funds/{fund.pk}/import/confirm",
                       {"file": _upload(data), "sha256": preview["sha256"]})  # fmt: skip
    assert resp.status_code == 422
    body = resp.json()
    assert body["detail"] == "Tệp có lỗi: chưa nhập dòng nào."
    assert {(e["row"], e["column"]) for e in body["rows"]} == where
    assert any(m.startswith("Dòng 5, cột D") for m in body["errors"]["file"]), body
    assert Entry.objects.count() == before


def test_the_confirmation_must_carry_the_previewed_file(as_user: Any, campaign_fund: Fund) -> None:
    client, fund = as_user("staff"), campaign_fund
    resp = client.post(f"{API}/funds/{fund.pk}/import/confirm",
                       {"file": _upload(donations_xlsx(GOOD)), "sha256": "0" * 64})  # fmt: skip
    assert resp.status_code == 422 and "sha256" in resp.json()["errors"]
    resp = client.post(f"{API}/funds/{fund.pk}/import/preview",
                       {"file": _upload(b"not a spreadsheet", "ds.xls")})  # fmt: skip
    assert resp.status_code == 200 and resp.json()["errors"][0]["code"] == "not_xlsx"
    assert Entry.objects.filter(fund=fund).count() == 1


@pytest.mark.parametrize(("persona", "status"), [("staff", 200), ("office_head", 403),
                         ("viewer", 403), ("admin", 403), ("other_staff", 404),
                         ("outsider", 404)])  # fmt: skip
def test_who_imports_donations(as_user: Any, fund: Fund, persona: str, status: int) -> None:
    client = as_user(persona)
    resp = client.post(f"{API}/funds/{fund.pk}/import/preview",
                       {"file": _upload(donations_xlsx(GOOD[2:]))})  # fmt: skip
    assert resp.status_code == status, resp.content
    page = client.get(f"/fund/{fund.pk}/import/")
    assert (page.status_code == 200) == (status == 200)
    template = client.get(f"{API}/funds/{fund.pk}/import/template.xlsx")
    assert template.status_code == status
    if status == 403:
        assert "kế toán" in resp.json()["detail"]


# --- household list -----------------------------------------------------------------------


@pytest.fixture
def registered(world: Any) -> Household:
    h = services.do_create_household(
        None, unit=world.commune, head_name="Nguyễn Văn Hùng", head_birth_year=1958,
        address="Số nhà 12, khu 5", members=[{"name": "Trần Thị Lan", "birth_year": 1960}],
        id_number="022158245882", phone="0912 345 678", source="Ủy ban MTTQ phường (2020)",
    )  # fmt: skip
    services.do_add_support(None, h, year=2020, organization="Ủy ban MTTQ phường",
                            kind="housing_new", amount=40_000_000)  # fmt: skip
    return h


def _form(world: Any, data: bytes, **extra: Any) -> dict[str, Any]:
    return {"file": _upload(data), "unit_id": world.commune.pk,
            "organization": "Hội LHPN phường", "year": 2021, **extra}  # fmt: skip


def test_households_preview_matches_then_confirm_with_decisions(
    as_user: Any, world: Any, registered: Household
) -> None:
    client = as_user("reporter")
    data = households_xlsx([WIFE, OTHER])
    resp = client.post(f"{API}/households/import/preview", _form(world, data))
    assert resp.status_code == 200, resp.content
    preview = resp.json()
    assert preview["errors"] == [] and [r["row"] for r in preview["rows"]] == [2, 3]
    wife = preview["rows"][0]
    assert wife["phone_masked"].endswith("678") and "912" not in wife["phone_masked"]
    candidate = wife["candidates"][0]
    assert candidate["household_id"] == registered.pk
    assert candidate["supports"][0]["amount"] == 40_000_000
    assert any("vợ/chồng" in r for r in candidate["reasons"])
    assert "022158245882" not in resp.content.decode()
    assert Household.objects.count() == 1

    decisions = json.dumps([{"row": 2, "household_id": registered.pk, "decision": "same"}])
    resp = client.post(f"{API}/households/import/confirm",
                       _form(world, data, sha256=preview["sha256"], decisions=decisions))  # fmt: skip
    assert resp.status_code == 201, resp.content
    assert resp.json()["count"] == 2 and resp.json()["match_decisions"] == 1
    assert Household.objects.count() == 3
    assert MatchDecision.objects.get().decision == "same"
    assert AuditEntry.objects.filter(action="fund.household.import").count() == 1
    assert AuditEntry.objects.filter(action="fund.household.match").count() == 1


def test_a_household_list_with_bad_rows_is_refused_whole(as_user: Any, world: Any) -> None:
    rows = [OTHER, ["", 1960, "", "", "", "", "", "", "", "", ""],
            ["Lê Văn Tám", 1890, "12345", "12", "", "", "", "giàu", "", "", ""]]  # fmt: skip
    data = households_xlsx(rows)
    client = as_user("staff")
    preview = client.post(f"{API}/households/import/preview", _form(world, data)).json()
    where = {(e["row"], e["column"]) for e in preview["errors"]}
    assert {(3, "A"), (4, "B"), (4, "C"), (4, "D"), (4, "H")} <= where
    resp = client.post(
        f"{API}/households/import/confirm", _form(world, data, sha256=preview["sha256"])
    )
    assert (
        resp.status_code == 422 and {(e["row"], e["column"]) for e in resp.json()["rows"]} == where
    )
    assert Household.objects.count() == 0


def test_household_import_refuses_bad_decisions_and_fields(
    as_user: Any, world: Any, registered: Household
) -> None:
    client, data = as_user("staff"), households_xlsx([WIFE])
    sha = hashlib.sha256(data).hexdigest()
    for decisions in ("not json", json.dumps([{"row": 2}]),
                      json.dumps([{"row": 9, "household_id": registered.pk, "decision": "same"}]),
                      json.dumps([{"row": 2, "household_id": registered.pk, "decision": "x"}])):  # fmt: skip
        resp = client.post(f"{API}/households/import/confirm",
                           _form(world, data, sha256=sha, decisions=decisions))  # fmt: skip
        assert resp.status_code == 422 and "decisions" in resp.json()["errors"], decisions
    resp = client.post(f"{API}/households/import/preview", _form(world, data, organization=" "))
    assert resp.status_code == 422 and "organization" in resp.json()["errors"]
    resp = client.post(f"{API}/households/import/preview", _form(world, data, year=1800))
    assert resp.status_code == 422 and "year" in resp.json()["errors"]
    assert Household.objects.count() == 1


@pytest.mark.parametrize(("persona", "commune", "status"), [
    ("staff", "commune", 200), ("office_head", "commune", 200), ("reporter", "commune", 200),
    ("reporter", "commune2", 404), ("viewer", "commune", 403), ("org_leader", "commune", 403),
    ("admin", "commune", 403), ("outsider", "commune", 403),
])  # fmt: skip
def test_who_imports_households(
    as_user: Any, world: Any, persona: str, commune: str, status: int
) -> None:
    data = households_xlsx([OTHER])
    form = _form(world, data, unit_id=getattr(world, commune).pk)
    resp = as_user(persona).post(f"{API}/households/import/preview", form)
    assert resp.status_code == status, resp.content
    form = _form(world, data, unit_id=getattr(world, commune).pk,
                 sha256=hashlib.sha256(data).hexdigest())  # fmt: skip
    resp = as_user(persona).post(f"{API}/households/import/confirm", form)
    assert resp.status_code == (201 if status == 200 else status), resp.content
    assert Household.objects.count() == (1 if status == 200 else 0)
