"""The printable receipt in the layout of the cash receipt form (Mẫu số 01-TT)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from docx import Document
from time_machine import TimeMachineFixture

from khoi.fund import receipts, services
from khoi.fund.models import Entry, Fund

D = datetime.date(2017, 10, 20)


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2017, 11, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def fund(world: Any) -> Fund:
    fund = services.do_create_fund(None, name="Quỹ Vì người nghèo phường Hà An",
                                   unit=world.commune, level=Fund.Level.COMMUNE,
                                   office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    return fund


def docx_text(data: bytes) -> tuple[str, list[str]]:
    doc = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return body, cells


def test_the_receipt_is_a_phieu_thu_01_tt(world: Any, fund: Fund, as_user: Any) -> None:
    entry = services.do_post_receipt(None, fund, amount=1_250_000, date=D, donor_kind="person",
                                     donor_name="Nguyễn Văn An")  # fmt: skip
    resp = as_user("staff").get(f"/fund/entries/{entry.pk}/receipt.docx")
    assert resp.status_code == 200
    body, cells = docx_text(resp.content)
    head = " ".join(cells)
    assert f"Đơn vị: {world.office.name}" in head and "Địa chỉ: Phường Hà An" in head
    assert "Mẫu số 01-TT" in head
    for line in ("PHIẾU THU", "Ngày 20 tháng 10 năm 2017", "Quyển số:", "Số: 0001/PT-2017",
                 "Nợ:", "Có:", "Họ và tên người nộp tiền: Nguyễn Văn An", "Địa chỉ:",
                 "Lý do nộp: Ủng hộ Quỹ Vì người nghèo phường Hà An (tiền mặt)",
                 "Số tiền: 1.250.000 đồng",
                 "(Viết bằng chữ): Một triệu hai trăm năm mươi nghìn đồng.",
                 "Kèm theo:", "chứng từ gốc", "Đã nhận đủ số tiền (viết bằng chữ):"):  # fmt: skip
        assert line in body, line
    signatures = cells[-5:]
    assert [s.strip().split("\n")[0] for s in signatures] == [
        "Thủ trưởng đơn vị", "Kế toán trưởng", "Người nộp tiền", "Người lập phiếu", "Thủ quỹ"]  # fmt: skip
    assert "(Ký, họ tên, đóng dấu)" in signatures[0] and "(Ký, họ tên)" in signatures[4]
    assert "Nơi nhận" not in body + head


def test_an_anonymous_donor_stays_anonymous_on_the_receipt(fund: Fund) -> None:
    entry = services.do_post_receipt(None, fund, amount=700_000, date=D, donor_kind="anonymous",
                                     donor_name="Trần Văn Bí Mật")  # fmt: skip
    body, cells = docx_text(receipts.receipt_docx(Entry.objects.get(pk=entry.pk)))
    assert "Họ và tên người nộp tiền: Người ủng hộ ẩn danh" in body
    assert "Bí Mật" not in body + " ".join(cells)
    assert "Bảy trăm nghìn đồng" in body
