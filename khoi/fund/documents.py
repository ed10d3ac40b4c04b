"""The housing decision and the acceptance record as .docx (official layout, amounts in words)."""

from __future__ import annotations

from khoi.fund.models import HousingCase, HousingKind
from khoi.lib import docx as d
from khoi.lib.vndwords import words


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _issuer(case: HousingCase) -> tuple[str, ...]:
    office = case.fund.office
    return (office.name.upper(),) if office else (case.fund.unit.name.upper(),)


def decision_docx(case: HousingCase) -> bytes:
    h = case.household
    kind = HousingKind(case.kind).label
    body = [
        d.Paragraph(f"Điều 1. Hỗ trợ {kind} nhà Đại đoàn kết cho hộ ông/bà {h.head_name}, "
                    f"{h.address or h.area_name}, {h.unit.name}; số tiền {_vnd(case.amount)} đồng "
                    f"({words(case.amount)}), từ {case.fund.name}."),
        d.Paragraph(f"Điều 2. Chi đợt 1: {_vnd(case.tranche1_amount)} đồng khi khởi công; đợt 2: "
                    f"{_vnd(case.tranche2_amount)} đồng sau khi nghiệm thu công trình."),
        d.Paragraph(f"Mức hỗ trợ theo: {case.amount_source}."),
    ]  # fmt: skip
    spec = d.DocumentSpec(
        system="state", superior=("ỦY BAN MTTQ VIỆT NAM",), issuer=_issuer(case),
        number_line=f"Số: {case.decision_notation}", place=case.fund.unit.name,
        date=case.decision_date, type_name="QUYẾT ĐỊNH",
        summary=f"Về việc hỗ trợ {kind} nhà Đại đoàn kết năm {case.year}", body=body,
        recipients=("Như Điều 1;", "Lưu: VT."),
        signer=d.Signer(name="", position="CHỦ TỊCH", authority="TM. BAN THƯỜNG TRỰC"),
    )  # fmt: skip
    return d.build_document(spec)


def acceptance_docx(case: HousingCase) -> bytes:
    h = case.household
    body: list[d.Block] = [
        d.Paragraph(f"Công trình: {HousingKind(case.kind).label} nhà Đại đoàn kết cho hộ "
                    f"{h.head_name}, {h.unit.name}, theo Quyết định số {case.decision_notation}."),
        d.Paragraph("Thành phần nghiệm thu:"),
        *[d.Bullet(s) for s in case.acceptance_signers],
        d.Paragraph(f"Kết luận: công trình hoàn thành, đủ điều kiện thanh toán đợt 2 số tiền "
                    f"{_vnd(case.tranche2_amount)} đồng ({words(case.tranche2_amount)})."),
    ]  # fmt: skip
    spec = d.DocumentSpec(
        system="state", superior=("ỦY BAN MTTQ VIỆT NAM",), issuer=_issuer(case),
        number_line="Số: ....../BB-MTTQ", place=case.fund.unit.name, date=case.accepted_on,
        type_name="BIÊN BẢN", summary="Nghiệm thu công trình nhà Đại đoàn kết", body=body,
        signer=d.Signer(name="", position="ĐẠI DIỆN CÁC THÀNH PHẦN"),
    )  # fmt: skip
    return d.build_document(spec)
