"""The printable receipt ("phiếu thu") of a ledger receipt: .docx in the official layout,
PDF through LibreOffice when it is installed. The amount is written in words."""

from __future__ import annotations

from khoi.fund.models import Entry
from khoi.lib import docx as d
from khoi.lib.vndwords import words


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def receipt_docx(entry: Entry) -> bytes:
    fund = entry.fund
    unit_name = fund.unit.name
    donor = "Ẩn danh" if entry.is_anonymous else entry.donor_name
    channel = "Tiền mặt" if entry.channel == Entry.Channel.CASH else "Chuyển khoản"
    body: list[d.Block] = [
        d.Paragraph(f"Họ và tên người nộp tiền: {donor}", indent=False),
        d.Paragraph(f"Lý do nộp: Ủng hộ {fund.name}"
                    + (f" ({entry.campaign.name})" if entry.campaign else ""), indent=False),
        d.Paragraph(f"Số tiền: {vnd(entry.amount)} đồng", bold=True, indent=False),
        d.Paragraph(f"(Viết bằng chữ): {words(entry.amount)}.", italic=True, indent=False),
        d.Paragraph(f"Hình thức nộp: {channel}", indent=False),
    ]  # fmt: skip
    if entry.note:
        body.append(d.Paragraph(f"Ghi chú: {entry.note}", indent=False))
    spec = d.DocumentSpec(
        system="state",
        superior=("ỦY BAN MTTQ VIỆT NAM",),
        issuer=(unit_name.upper(),),
        number_line=f"Số: {entry.number}",
        place=unit_name,
        date=entry.date,
        type_name="PHIẾU THU",
        summary=fund.name,
        body=body,
        recipients=("Người nộp tiền;", "Lưu: Kế toán quỹ."),
        signer=d.Signer(name="", position="KẾ TOÁN QUỸ", authority="NGƯỜI LẬP PHIẾU"),
        title=f"Phiếu thu {entry.number}",
    )
    return d.build_document(spec)
