"""The .docx of a commendation decision (official layout of khoi.lib.docx)."""

from __future__ import annotations

from typing import Any

from khoi.campaigns.models import Proposal
from khoi.lib import docx as officedoc
from khoi.lib.figures import fmt
from khoi.org.models import JointOffice


def _place(office: JointOffice) -> str:
    name, kind = office.unit.name, office.unit.division_type
    return name[len(kind) :].strip() if kind and name.lower().startswith(kind.lower()) else name


def decision_docx(
    office: JointOffice, document: Any, proposals: list[Proposal], signer: str
) -> bytes:
    rows = [
        [str(n), p.nominee_name, p.form.name, p.proposer.name, f"{fmt(p.amount)} đồng"]
        for n, p in enumerate(proposals, start=1)
    ]
    total = sum(p.amount for p in proposals)
    # only the legal citation is printed: the form's source and reviewer's note (whether a
    # rate was checked against the decree) stay in Khối
    citations = sorted({p.form.citation.strip() for p in proposals if p.form.citation.strip()})
    basis = "Căn cứ Luật Thi đua, khen thưởng"
    body: list[officedoc.Block] = [
        officedoc.Paragraph(basis + ";"),
        *[officedoc.Paragraph(f"Căn cứ {c};") for c in citations],
        officedoc.Paragraph(
            "Xét đề nghị của các tổ chức thành viên và kết quả biểu quyết của Hội đồng Thi đua - Khen thưởng,"  # noqa: E501
        ),
        officedoc.Paragraph("QUYẾT ĐỊNH:", bold=True, align="center", indent=False),
        officedoc.Paragraph(
            "Điều 1. Khen thưởng các tập thể, cá nhân có thành tích xuất sắc (danh sách kèm theo):"
        ),
        officedoc.Table(
            ["TT", "Tập thể, cá nhân", "Hình thức", "Tổ chức đề nghị", "Tiền thưởng"],
            rows,
            [10, 50, 45, 40, 30],
        ),
        officedoc.Paragraph(f"Điều 2. Tổng số tiền thưởng: {fmt(total)} đồng."),
        officedoc.Paragraph("Điều 3. Quyết định có hiệu lực kể từ ngày ký."),
    ]
    spec = officedoc.DocumentSpec(
        system="state",
        issuer=("ỦY BAN MTTQ VIỆT NAM", office.unit.name.upper()),
        number_line=f"Số: {document.notation}",
        place=_place(office),
        date=document.issued_on,
        type_name="QUYẾT ĐỊNH",
        summary="Về việc khen thưởng thành tích trong các cuộc vận động, phong trào thi đua",
        body=body,
        recipients=("Như Điều 1;", "Lưu VT."),
        signer=officedoc.Signer(
            name=signer or " ", position="CHỦ TỊCH", authority="TM. BAN THƯỜNG TRỰC"
        ),
    )
    return officedoc.build_document(spec)
