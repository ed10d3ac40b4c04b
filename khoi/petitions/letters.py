"""The Front's letters about a petition as .docx, through ``khoi.lib.docx``: the forwarding
letter (công văn chuyển đơn), the reminder to an authority that missed its deadline (đôn
đốc), the petition to its superior, and the request to re-examine a result.

A protected identity never appears in a letter: the authority receives the petition itself
through the channel the law prescribes; the letter says the denouncer's identity is kept
confidential. When the identity is not protected, the letter names the petitioner and
sends them a copy (listed under "Nơi nhận"), so that the citizen is told where the case is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from khoi.lib.docx import DocumentSpec, Paragraph, Signer, build_document, vietnamese_date
from khoi.petitions.models import Forwarding, Kind, Petition

KIND_WORDS = {
    Kind.COMPLAINT: "khiếu nại",
    Kind.DENUNCIATION: "tố cáo",
    Kind.REQUEST: "kiến nghị",
    Kind.REPORT: "phản ánh",
}
P = Forwarding.Purpose
SUMMARY = {
    P.FORWARD: "chuyển đơn {kind}",
    P.REMIND: "đôn đốc giải quyết đơn {kind}",
    P.ESCALATE: "kiến nghị chỉ đạo giải quyết đơn {kind}",
    P.REVIEW: "đề nghị xem xét lại kết quả giải quyết đơn {kind}",
}
FILE_PREFIX = {
    P.FORWARD: "chuyen-don",
    P.REMIND: "don-doc",
    P.ESCALATE: "kien-nghi-cap-tren",
    P.REVIEW: "de-nghi-xem-xet-lai",
}
LAW_2018_FROM = date(2019, 1, 1)


def _protected(petition: Petition) -> str:
    """The confidentiality clause, citing the law in force when the petition came in."""
    if petition.received_on >= LAW_2018_FROM:
        law = "Điều 47 Luật Tố cáo 2018"
    else:
        law = "Điều 9 Luật Tố cáo 2011"
    return f"thông tin về người tố cáo được giữ bí mật theo {law}"


def _place(unit_name: str) -> str:
    for prefix in ("Thị xã ", "Thành phố ", "Huyện ", "Quận ", "Phường ", "Xã ", "Tỉnh "):
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name


def _who(petition: Petition, people: Sequence[dict[str, str]]) -> str:
    if petition.confidential or petition.anonymous or not people:
        if petition.confidential:
            return f"của công dân ({_protected(petition)})"
        return "không rõ người gửi" if petition.anonymous else "của công dân"
    first = people[0]
    text = f"của ông/bà {first.get('name', '')}"
    if first.get("address"):
        text += f", địa chỉ: {first['address']}"
    others = max(petition.signatory_count, len(people)) - 1
    if others > 0:
        text += f" (cùng {others} người khác)"
    return text


def _body(petition: Petition, letter: Forwarding, who: str, front: str) -> list[Paragraph]:
    kind = KIND_WORDS[Kind(petition.kind)]
    received = (
        f"{front} nhận được đơn {kind} {who}, vào sổ số {petition.label}, ngày nhận "
        f"{petition.received_on:%d/%m/%Y}, về việc: {petition.subject}."
    )
    first = petition.forwardings.filter(purpose=P.FORWARD).order_by("letter_date", "id").first()
    sent = (
        f" Ngày {first.letter_date:%d/%m/%Y}, Ban Thường trực đã có văn bản số "
        f"{first.letter_number} chuyển đơn đến {first.authority}."
        if first is not None and first.pk != letter.pk
        else ""
    )
    if letter.purpose == P.REMIND:
        due = petition.deadlines.filter(state="open", due__lt=letter.letter_date).order_by("due")
        late = due.first()
        when = (
            f" Đến nay đã quá thời hạn {late.title.lower()} ({late.due:%d/%m/%Y}, {late.source})"
            " nhưng Ban Thường trực chưa nhận được kết quả."
            if late is not None
            else ""
        )
        ask = (
            f"Ban Thường trực đề nghị {letter.authority} khẩn trương xem xét, giải quyết theo "
            "thẩm quyền và thông báo kết quả cho Ban Thường trực Ủy ban MTTQ Việt Nam."
        )
        return [Paragraph(received + sent + when), Paragraph(ask)]
    if letter.purpose == P.ESCALATE:
        return [
            Paragraph(received + sent),
            Paragraph(
                "Ban Thường trực đã có văn bản đôn đốc nhưng đơn vẫn chưa được giải quyết trong "
                f"thời hạn luật định. Ban Thường trực kiến nghị {letter.authority} chỉ đạo "
                "cơ quan có thẩm quyền giải quyết dứt điểm và thông báo kết quả cho Ban "
                "Thường trực Ủy ban MTTQ Việt Nam."
            ),
        ]
    if letter.purpose == P.REVIEW:
        result = f" Kết quả giải quyết: {petition.result}" if petition.result else ""
        return [
            Paragraph(received + sent + result.rstrip(".") + ("." if result else "")),
            Paragraph(
                f"Qua giám sát, Ban Thường trực đề nghị {letter.authority} xem xét lại kết quả "
                "giải quyết nêu trên và thông báo kết quả cho Ban Thường trực Ủy ban MTTQ "
                "Việt Nam."
            ),
        ]
    return [
        Paragraph(received),
        Paragraph(
            f"Căn cứ quy định của pháp luật, nội dung đơn thuộc thẩm quyền giải quyết của "
            f"{letter.authority}. Ban Thường trực chuyển đơn đến {letter.authority} để "
            "xem xét, giải quyết theo thẩm quyền và thông báo kết quả cho Ban Thường trực Ủy "
            "ban MTTQ Việt Nam theo quy định."
        ),
    ]


def forwarding_letter(
    petition: Petition, forwarding: Forwarding, people: Sequence[dict[str, str]] = ()
) -> bytes:
    """The letter ``forwarding`` (any purpose). ``people``: the petitioners' identities, given
    only when the identity is not protected (the view reads them, logged)."""
    office = petition.office
    unit = office.unit
    kind = KIND_WORDS[Kind(petition.kind)]
    front = f"Ban Thường trực Ủy ban MTTQ Việt Nam {unit.name[0].lower()}{unit.name[1:]}"
    shown = [] if petition.confidential or petition.anonymous else list(people)
    body = _body(petition, forwarding, _who(petition, shown), front)
    if forwarding.note:
        body.append(Paragraph(forwarding.note))
    body.append(Paragraph("Trân trọng!"))
    recipients = [f"Như trên ({forwarding.authority})"]
    if shown and shown[0].get("name"):
        recipients.append(f"Ông/bà {shown[0]['name']} (để biết)")
    recipients.append("Lưu: VT, Cơ quan Khối")
    spec = DocumentSpec(
        system="state",
        superior=(),
        issuer=("ỦY BAN MTTQ VIỆT NAM", unit.name.upper()),
        number_line=f"Số: {forwarding.letter_number}",
        place=_place(unit.name),
        date=forwarding.letter_date,
        type_name=None,
        summary=SUMMARY[P(forwarding.purpose)].format(kind=kind),
        body=body,
        recipients=tuple(recipients),
        signer=Signer(name="", position="Phó Chủ tịch", authority="TM. Ban Thường trực"),
        title=(
            f"{SUMMARY[P(forwarding.purpose)].format(kind=kind).capitalize()} số "
            f"{petition.label} — {vietnamese_date(forwarding.letter_date)}"
        ),
    )
    return build_document(spec)
