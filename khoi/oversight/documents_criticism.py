"""The consolidated critique and the feedback round's report as .docx, in the official
layout of :mod:`khoi.lib.docx` (the Front's documents take the state form, Guidance
91/HD-MTTW-BTT). The documents are Vietnamese whatever the reader's language."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from khoi.lib import docx as officedoc
from khoi.org.models import JointOffice
from khoi.oversight import statutory
from khoi.oversight.models import LegalBasis
from khoi.oversight.models.criticism import Critique, CritiqueComment, CritiqueSection
from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound

AUTHOR_PREFIX = {
    "member": "ủy viên Ủy ban MTTQ",
    "expert": "chuyên gia",
    "organization": "",
}
DRAFT_KIND = {
    "policy": "dự thảo chính sách",
    "plan": "dự thảo kế hoạch",
    "programme": "dự thảo chương trình",
    "scheme": "dự thảo đề án",
    "legal": "dự thảo văn bản",
    "other": "dự thảo",
}
FORM = {
    "conference": "tổ chức hội nghị phản biện xã hội",
    "written": "gửi dự thảo đến các tổ chức, cá nhân để lấy ý kiến phản biện bằng văn bản",
    "dialogue": "tổ chức đối thoại trực tiếp với cơ quan chủ trì soạn thảo",
}
SOURCE_HEADING = {
    "residents": "Ý kiến qua hội nghị ở khu dân cư",
    "organization": "Ý kiến của các tổ chức",
    "citizen": "Ý kiến của công dân",
}
SUBJECT_KIND = {
    "cadres": "cán bộ, công chức",
    "party_members": "đảng viên",
    "organizations": "tổ chức đảng, cơ quan nhà nước",
    "draft": "dự thảo văn bản",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _place(office: JointOffice) -> str:
    name, kind = office.unit.name, office.unit.division_type
    return name[len(kind) :].strip() if kind and name.lower().startswith(kind.lower()) else name


def _issuer(office: JointOffice) -> tuple[str, str]:
    return ("ỦY BAN MTTQ VIỆT NAM", office.unit.name.upper())


def _day(d: datetime.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def author_label(comment: CritiqueComment) -> str:
    prefix = AUTHOR_PREFIX.get(comment.author_kind, "")
    return f"{prefix} {comment.author_name}".strip()


def critique_docx(
    critique: Critique,
    sections: Sequence[CritiqueSection],
    comments: Sequence[CritiqueComment],
    *,
    notation: str,
    issued_on: datetime.date,
    signer: str,
    basis: str = "",
    answer_days: int | None = None,
) -> bytes:
    """The consolidated critique: point by point, section by section, who said it."""
    office = critique.office
    kind = DRAFT_KIND.get(critique.draft_kind, "dự thảo")
    received = f"Ngày {_day(critique.received_on)}, Ban Thường trực Ủy ban MTTQ Việt Nam " + (
        f"{office.unit.name} nhận được {kind} “{critique.title}” của {critique.drafting_body} "
        "đề nghị phản biện xã hội."
    )
    form = FORM.get(critique.form, "")
    if critique.held_on and critique.form != Critique.Form.WRITTEN:
        form += f" ngày {_day(critique.held_on)}"
    body: list[officedoc.Block] = []
    if basis:
        body.append(officedoc.Paragraph(f"Căn cứ {basis};"))
    body += [
        officedoc.Paragraph(received),
        officedoc.Paragraph(
            f"Ban Thường trực đã {form}, với sự tham gia của các thành viên Ủy ban MTTQ, "
            "các tổ chức thành viên và chuyên gia. Trên cơ sở tổng hợp các ý kiến, Ban "
            "Thường trực Ủy ban MTTQ Việt Nam "
            f"{office.unit.name} có ý kiến phản biện xã hội như sau:"
        ),
    ]
    by_section: dict[int | None, list[CritiqueComment]] = {}
    for c in comments:
        by_section.setdefault(c.section_id, []).append(c)
    number = 0
    part = 0
    rows: list[list[str]] = []

    def points(items: list[CritiqueComment], where: str) -> None:
        nonlocal number
        for c in items:
            number += 1
            body.append(
                officedoc.Paragraph(f"{number}. {c.content} (Ý kiến của {author_label(c)})")
            )
            rows.append([str(number), where, c.content, author_label(c)])

    general = by_section.get(None, [])
    if general:
        body.append(officedoc.Heading(f"{ROMAN[part]}. Ý KIẾN CHUNG VỀ DỰ THẢO"))
        part += 1
        points(general, "Chung")
    anchored = [s for s in sections if by_section.get(s.pk)]
    if anchored:
        body.append(officedoc.Heading(f"{ROMAN[part]}. Ý KIẾN ĐỐI VỚI TỪNG PHẦN CỦA DỰ THẢO"))
        part += 1
        for s in anchored:
            body.append(officedoc.Heading(s.heading, level=2))
            points(by_section[s.pk], s.heading)
    if not comments:
        body.append(
            officedoc.Paragraph("Các thành viên nhất trí với dự thảo, không có ý kiến khác.")
        )
    else:
        body.append(officedoc.Heading(f"{ROMAN[part]}. BẢNG TỔNG HỢP Ý KIẾN PHẢN BIỆN"))
        body.append(
            officedoc.Table(
                ["TT", "Phần của dự thảo", "Nội dung ý kiến", "Người, tổ chức nêu ý kiến"],
                rows,
                [10, 35, 80, 40],
            )
        )
    closing = (
        f"Đề nghị {critique.drafting_body} nghiên cứu, tiếp thu và giải trình bằng văn bản "
        "đối với từng ý kiến phản biện nêu trên"
    )
    if answer_days:
        closing += f" trong thời hạn {answer_days} ngày kể từ ngày nhận được văn bản này"
    body.append(officedoc.Paragraph(closing + "."))
    named = (
        critique.title
        if critique.title.lower().startswith("dự thảo")
        else f"{kind} {critique.title}"
    )
    summary = f"Kết quả phản biện xã hội đối với {named}"
    spec = officedoc.DocumentSpec(
        system="state",
        issuer=_issuer(office),
        number_line=f"Số: {notation}",
        place=_place(office),
        date=issued_on,
        type_name="BÁO CÁO",
        title=f"BÁO CÁO {summary}"[:250],
        summary=summary,
        body=body,
        recipients=(f"{critique.drafting_body};", "Các tổ chức thành viên;", "Lưu: VT."),
        signer=officedoc.Signer(
            name=signer or " ", position="CHỦ TỊCH", authority="TM. BAN THƯỜNG TRỰC"
        ),
    )
    return officedoc.build_document(spec)


def feedback_report_docx(
    round_: FeedbackRound,
    opinions: Sequence[FeedbackOpinion],
    *,
    notation: str,
    reported_on: datetime.date,
    signer: str,
    recommendations: Sequence[Any] = (),
    commune_names: dict[int, str] | None = None,
) -> bytes:
    """The consolidated report of a feedback round sent up (Decision 218-QĐ/TW)."""
    office = round_.office
    names = commune_names or {}
    counts: dict[str, int] = {}
    for o in opinions:
        counts[o.source_kind] = counts.get(o.source_kind, 0) + 1
    body: list[officedoc.Block] = []
    # the rule on feedback in force on the report's date (data with its dates, never a
    # number written here)
    basis = statutory.legal_basis_on(reported_on, LegalBasis.Scope.FEEDBACK)
    if basis is not None:
        by = f" của {basis.issuer}" if basis.issuer else ""
        cited = basis.source or f"văn bản số {basis.number} ngày {_day(basis.issued_on)}{by}"
        body.append(officedoc.Paragraph(f"Thực hiện {cited} ({basis.name});"))
    body += [
        officedoc.Paragraph(
            f"Từ ngày {_day(round_.start_on)} đến ngày {_day(round_.end_on)}, Ban Thường trực "
            f"Ủy ban MTTQ Việt Nam {office.unit.name} tổ chức lấy ý kiến góp ý "
            f"({SUBJECT_KIND.get(round_.subject_kind, '')}): {round_.subject}. Kết quả như sau:"
        ),
        officedoc.Heading("I. KẾT QUẢ TỔ CHỨC LẤY Ý KIẾN"),
        officedoc.Paragraph(f"Tổng số ý kiến tiếp nhận: {len(opinions)}, trong đó:"),
        *[
            officedoc.Bullet(f"{SOURCE_HEADING[k]}: {counts.get(k, 0)} ý kiến.")
            for k in SOURCE_HEADING
        ],
        officedoc.Heading("II. NỘI DUNG CÁC Ý KIẾN GÓP Ý"),
    ]
    if not opinions:
        body.append(officedoc.Paragraph("Không có ý kiến góp ý."))
    number = 0
    for index, (kind, heading) in enumerate(SOURCE_HEADING.items(), start=1):
        group = [o for o in opinions if o.source_kind == kind]
        if not group:
            continue
        body.append(officedoc.Heading(f"{index}. {heading}", level=2))
        for o in group:
            number += 1
            where = o.source_name
            if o.commune_id and names.get(o.commune_id):
                where += f", {names[o.commune_id]}"
            body.append(officedoc.Paragraph(f"{number}. {o.content} ({where})"))
    if recommendations:
        body.append(officedoc.Heading("III. KIẾN NGHỊ"))
        for r in recommendations:
            body.append(officedoc.Bullet(str(r)))
    spec = officedoc.DocumentSpec(
        system="state",
        issuer=_issuer(office),
        number_line=f"Số: {notation}",
        place=_place(office),
        date=reported_on,
        type_name="BÁO CÁO",
        title=f"BÁO CÁO Tổng hợp ý kiến góp ý: {round_.title}"[:250],
        summary=f"Tổng hợp ý kiến góp ý xây dựng Đảng, xây dựng chính quyền: {round_.title}",
        body=body,
        recipients=(f"{round_.send_to};", "Lưu: VT."),
        signer=officedoc.Signer(
            name=signer or " ", position="CHỦ TỊCH", authority="TM. BAN THƯỜNG TRỰC"
        ),
    )
    return officedoc.build_document(spec)
