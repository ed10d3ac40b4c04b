"""Import of a donation list: errors by row and column, preview, all or nothing."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from time_machine import TimeMachineFixture

from khoi.fund import importer, services
from khoi.fund.models import Entry, Fund

HEADER = ["Ngày nộp (dd/mm/yyyy)", "Loại người ủng hộ", "Tên người ủng hộ", "Số tiền (đồng)",
          "Hình thức nộp", "Đợt vận động", "Ghi chú"]  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def fund(world: Any) -> Fund:
    fund = services.do_create_fund(None, name="Quỹ phường Hà An", unit=world.commune,
                                   level=Fund.Level.COMMUNE, office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    services.do_create_campaign(None, fund, name="Tháng cao điểm 2020",
                                start_on=datetime.date(2020, 10, 17),
                                end_on=datetime.date(2020, 11, 18))  # fmt: skip
    return fund


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD: list[list[Any]] = [
    ["20/10/2020", "Cá nhân", "Nguyễn Văn An", "1.250.000", "tiền mặt", "Tháng cao điểm 2020", ""],
    [datetime.date(2020, 10, 21), "tổ chức", "Công ty CP Than", 5_000_000, "Chuyển khoản", "", ""],
    ["22/10/2020", "ẩn danh", "", 200000, "", "", ""],
]


def test_a_good_file_parses_every_row(fund: Fund) -> None:
    result = importer.parse_workbook(xlsx(GOOD), fund)
    assert result.errors == [] and len(result.rows) == 3 and result.total == 6_450_000


def test_errors_name_the_row_and_the_column(fund: Fund) -> None:
    bad = [*GOOD, ["31/02/2020", "cá nhân", "", "-5", "séc", "Đợt không có", ""],
           ["23/10/2020", "hộ gia đình", "X", "1,5", "", "", ""]]  # fmt: skip
    result = importer.parse_workbook(xlsx(bad), fund)
    found = {(e.row, e.column) for e in result.errors}
    assert {(5, "A"), (5, "D"), (5, "E"), (5, "F"), (6, "B"), (6, "D")} <= found
    assert all(re.search("[àáảãạăâđêôơư]", e.message.lower()) for e in result.errors)


def test_the_template_reads_back_as_an_empty_list(fund: Fund) -> None:
    data = importer.build_template(fund)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Danh sách ủng hộ", "Hướng dẫn"]
    assert importer.parse_workbook(data, fund).errors[0].code == "no_rows"


def test_preview_then_confirm_imports_all(as_user: Any, fund: Fund) -> None:
    client = as_user("staff")
    upload = io.BytesIO(xlsx(GOOD))
    upload.name = "ds.xlsx"
    resp = client.post(f"/fund/{fund.pk}/import/", {"file": upload})
    page = resp.content.decode()
    assert resp.status_code == 200 and "6.450.000" in page and not Entry.objects.exists()
    sha = re.search(r'name="sha" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    resp = client.post(f"/fund/{fund.pk}/import/confirm/", {"sha": sha})
    assert resp.status_code == 302 and Entry.objects.filter(fund=fund).count() == 3


def test_a_file_with_one_bad_row_imports_nothing(as_user: Any, fund: Fund) -> None:
    client = as_user("staff")
    upload = io.BytesIO(xlsx([*GOOD, ["24/10/2020", "cá nhân", "", "100", "", "", ""]]))
    upload.name = "ds.xlsx"
    page = client.post(f"/fund/{fund.pk}/import/", {"file": upload}).content.decode()
    assert "Dòng 5" in page and "cột C" in page and 'name="sha"' not in page
    assert client.post(f"/fund/{fund.pk}/import/confirm/", {"sha": "x"}).status_code == 302
    assert not Entry.objects.exists()


def test_the_service_rolls_back_every_row_when_one_fails(fund: Fund) -> None:
    rows = importer.parse_workbook(xlsx(GOOD), fund).rows
    rows[2]["amount"] = 0
    with pytest.raises(Exception, match="Dòng 4"):
        services.do_import_receipts(None, fund, rows)
    assert not Entry.objects.exists()


@pytest.mark.parametrize("persona", ["office_head", "viewer", "reporter", "outsider"])
def test_only_the_accountant_imports(as_user: Any, fund: Fund, persona: str) -> None:
    client = as_user(persona)
    assert client.get(f"/fund/{fund.pk}/import/").status_code == 404
    assert client.get(f"/fund/{fund.pk}/import/template.xlsx").status_code == 404
    assert client.post(f"/fund/{fund.pk}/import/confirm/", {"sha": "x"}).status_code == 404
