"""The forwarding letter (công văn chuyển đơn) as .docx, through ``khoi.lib.docx``.

A protected identity never appears in the letter: the authority receives the petition
itself through the channel the law prescribes; the letter says the denouncer's identity is
kept confidential (Law on Denunciation 2018, art. 47).
"""

from __future__ import annotations

from khoi.lib.docx import DocumentSpec, Paragraph, Signer, build_document, vietnamese_date
from khoi.petitions.models import Forwarding, Kind, Petition

KIND_WORDS = {
    Kind.COMPLAINT: "khiếu nại",
    Kind.DENUNCIATION: "tố cáo",
    Kind.REQUEST: "kiến nghị",
    Kind.REPORT: "phản ánh",
}


def _place(unit_name: str) -> str:
    for prefix in ("Thị xã ", "Thành phố ", "Huyện ", "Quận ", "Phường ", "Xã ", "Tỉnh "):
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name


def forwarding_letter(petition: Petition, forwarding: Forwarding) -> bytes:
    office = petition.office
    unit = office.unit
    kind = KIND_WORDS[Kind(petition.kind)]
    who = (
        "của công dân (thông tin về người tố cáo được giữ bí mật theo Điều 47 Luật Tố cáo 2018)"
        if petition.confidential or petition.anonymous
        else f"của {petition.signatory_count} công dân"
    )
    body = [
        Paragraph(
            f"Ban Thường trực Ủy ban MTTQ Việt Nam {unit.name[0].lower()}{unit.name[1:]} nhận được "
            f"đơn {kind} {who}, vào sổ số {petition.label}, ngày nhận "
            f"{petition.received_on:%d/%m/%Y}, về việc: {petition.subject}."
        ),
        Paragraph(
            f"Căn cứ quy định của pháp luật, nội dung đơn thuộc thẩm quyền giải quyết của "
            f"{forwarding.authority}. Ban Thường trực chuyển đơn đến {forwarding.authority} để "
            "xem xét, giải quyết theo thẩm quyền và thông báo kết quả cho Ban Thường trực Ủy "
            "ban MTTQ Việt Nam theo quy định."
        ),
    ]
    if forwarding.note:
        body.append(Paragraph(forwarding.note))
    body.append(Paragraph("Trân trọng!"))
    spec = DocumentSpec(
        system="state",
        superior=(),
        issuer=("ỦY BAN MTTQ VIỆT NAM", unit.name.upper()),
        number_line=f"Số: {forwarding.letter_number}",
        place=_place(unit.name),
        date=forwarding.letter_date,
        type_name=None,
        summary=f"chuyển đơn {kind}",
        body=body,
        recipients=(f"Như trên ({forwarding.authority})", "Lưu: VT, Cơ quan Khối"),
        signer=Signer(name="", position="Phó Chủ tịch", authority="TM. Ban Thường trực"),
        title=f"Chuyển đơn {kind} số {petition.label} — {vietnamese_date(forwarding.letter_date)}",
    )
    return build_document(spec)
