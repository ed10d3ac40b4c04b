"""Import of a commune's or an organization's household list: errors by row and column,
preview with the households already registered (what they received, from whom, why), the
office's match decisions kept and audited, all or nothing."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry
from khoi.fund import household_import as hi
from khoi.fund import services
from khoi.fund.models import Household, MatchDecision, Support

HEADER = [h for _k, h, _r in hi.COLUMNS_NAME]


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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


# the wife heads the Women's Union's list; the husband is a member; the phone written otherwise
WIFE = ["Tran Thi Lan", 1960, "", "+84 912.345.678", "khu 5", "Khu 5",
        "Nguyễn Văn Hùng, 1958", "nghèo", "sửa chữa", "30.000.000", ""]  # fmt: skip
OTHER = ["Phạm Thị Hoa", 1975, "", "0987654321", "Số 3, khu 2", "Khu 2", "", "cận nghèo",
         "", "", ""]  # fmt: skip


def test_the_preview_shows_what_the_household_already_received_and_why(
    world: Any, registered: Household
) -> None:
    result = hi.parse_households(xlsx([WIFE, OTHER]), unit=world.commune,
                                 organization="Hội LHPN phường", year=2021)  # fmt: skip
    assert result.errors == [] and [r.row for r in result.rows] == [2, 3]
    wife, other = result.rows
    assert [c.household_id for c in wife.candidates] == [registered.pk]
    candidate = wife.candidates[0]
    assert [(s["organization"], s["year"], s["amount"]) for s in candidate.supports] == [
        ("Ủy ban MTTQ phường", 2020, 40_000_000)]  # fmt: skip
    assert any("vợ/chồng" in r for r in candidate.reasons), candidate.reasons
    assert other.candidates == []
    assert Household.objects.count() == 1  # nothing written by the preview


def test_errors_name_the_row_and_the_column_and_nothing_is_saved(world: Any) -> None:
    rows = [
        ["", 1960, "", "", "", "", "", "", "", "", ""],
        ["Lê Văn Tám", 1890, "12345", "12", "", "", "", "giàu", "", "", ""],
        ["Lê Văn Chín", 1970, "", "", "", "", "", "", "xe máy", "-5", ""],
        ["Lê Văn Mười", 1970, "", "", "", "", "", "", "", "1.000.000", ""],
    ]
    result = hi.parse_households(xlsx(rows), unit=world.commune, organization="Hội ND",
                                 year=2021)  # fmt: skip
    assert result.rows == []
    where = {(e.row, e.column) for e in result.errors}
    assert {(2, "A"), (3, "B"), (3, "C"), (3, "D"), (3, "H"), (4, "I"), (4, "J"),
            (5, "I")} <= where  # fmt: skip
    assert [e.message for e in result.errors if not re.search(r"[^\x00-\x7f]", e.message)] == []
    missing = hi.parse_households(xlsx([["x"]], header=["Tên"]), unit=world.commune,
                                  organization="x", year=2021)  # fmt: skip
    assert missing.errors[0].code == "missing_column"


def test_the_office_confirms_or_rejects_each_match_on_import(
    world: Any, registered: Household, as_user: Any
) -> None:
    client = as_user("staff")
    template = client.get("/fund/households/import/template.xlsx")
    assert template.status_code == 200
    ws = load_workbook(io.BytesIO(template.content)).active
    assert ws is not None and ws["A1"].value == "Họ tên chủ hộ *"
    upload = io.BytesIO(xlsx([WIFE, OTHER]))
    upload.name = "hoi-phu-nu.xlsx"
    resp = client.post("/fund/households/import/", {
        "unit": world.commune.pk, "organization": "Hội LHPN phường", "year": 2021,
        "file": upload})  # fmt: skip
    html = resp.content.decode()
    assert resp.status_code == 200 and "đã nhận" in html and "Ủy ban MTTQ phường" in html
    sha = re.search(r'name="sha" value="([0-9a-f]+)"', html)
    assert sha is not None
    resp = client.post("/fund/households/import/confirm/", {
        "sha": sha.group(1), f"match-2-{registered.pk}": "same"})  # fmt: skip
    assert resp.status_code == 302
    assert Household.objects.count() == 3
    new = Household.objects.get(head_name="Tran Thi Lan")
    assert new.source == "Hội LHPN phường (2021)" and new.statuses.get().status == "poor"
    assert Support.objects.get(household=new).amount == 30_000_000
    decision = MatchDecision.objects.get()
    assert decision.decision == "same" and {decision.first_id, decision.second_id} == {
        registered.pk, new.pk}  # fmt: skip
    assert decision.reasons and decision.decided_by == world.users["staff"]
    assert AuditEntry.objects.filter(action="fund.household.match").count() == 1
    assert AuditEntry.objects.filter(action="fund.household.import").count() == 1
    # the household's page now shows it confirmed, with the other list's support
    page = client.get(f"/fund/households/{new.pk}/").content.decode()
    assert "cùng một hộ" in page and "40.000.000" in page


def test_all_or_nothing_when_a_row_fails_at_write_time(world: Any) -> None:
    result = hi.parse_households(xlsx([OTHER, OTHER]), unit=world.commune,
                                 organization="Hội ND", year=2021)  # fmt: skip
    assert result.errors == [] and len(result.rows) == 2
    assert result.rows[1].candidates and result.rows[1].candidates[0].row == 2  # same file
    result.rows[1].data["head_name"] = ""  # a row the service refuses
    with pytest.raises(Exception, match="Dòng 3"):
        hi.do_import_households(None, result.rows, organization="Hội ND", year=2021,
                                decisions={})  # fmt: skip
    assert Household.objects.count() == 0


def test_who_may_import(as_user: Any) -> None:
    assert as_user("staff").get("/fund/households/import/").status_code == 200
    assert as_user("reporter").get("/fund/households/import/").status_code == 200
    for persona in ("viewer", "outsider", "admin"):
        assert as_user(persona).get("/fund/households/import/").status_code == 404
        assert as_user(persona).get("/fund/households/import/template.xlsx").status_code == 404


def test_the_uploaded_list_is_kept_sealed_in_the_session_and_dropped_on_cancel(
    world: Any, as_user: Any
) -> None:
    import base64
    import json
    import zipfile

    from django.contrib.sessions.models import Session

    from khoi.fund.views_households import IMPORT_SESSION_KEY
    from khoi.petitions import crypto

    client = as_user("staff")
    row = ["Đỗ Văn Bình", 1970, "079201234567", "0912 777 888", "Số 9, khu 3", "Khu 3", "",
           "nghèo", "", "", ""]  # fmt: skip
    upload = io.BytesIO(xlsx([row]))
    upload.name = "ds.xlsx"
    resp = client.post("/fund/households/import/", {
        "unit": world.commune.pk, "organization": "Hội ND phường", "year": 2021,
        "file": upload})  # fmt: skip
    assert resp.status_code == 200
    stored = Session.objects.get(session_key=client.session.session_key)
    assert "079201234567" not in stored.session_data
    decoded = stored.get_decoded()
    assert "079201234567" not in json.dumps(decoded)
    kept = base64.b64decode(decoded[IMPORT_SESSION_KEY]["data"])
    # not the workbook (a zip whose sheet holds the numbers in clear): sealed
    assert crypto.is_sealed(kept) and not zipfile.is_zipfile(io.BytesIO(kept))
    assert b"079201234567" not in kept and b"0912" not in kept
    # the office cancels: the sealed file leaves the session, nothing is imported
    resp = client.post("/fund/households/import/confirm/", {"cancel": "1", "sha": "x"})
    assert resp.status_code == 302
    assert IMPORT_SESSION_KEY not in Session.objects.get(
        session_key=client.session.session_key).get_decoded()  # fmt: skip
    assert not Household.objects.exists()
