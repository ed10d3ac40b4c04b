"""The recommendation register as .xlsx and the six-monthly summary as .docx."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from khoi import clock
from khoi.lib import docx as d
from khoi.lib import sheets
from khoi.oversight import asof
from khoi.oversight.documents_criticism import _issuer, _place
from khoi.oversight.models import Recommendation

ANSWERED = (
    Recommendation.Status.ACCEPTED,
    Recommendation.Status.PARTLY,
    Recommendation.Status.REJECTED,
)


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def register_xlsx(recs: Iterable[Recommendation]) -> bytes:
    """One row per recommendation; users' text always stored as text (never a formula)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Recommendations")[:31]
    headers = [_("No."), _("Body recommended to"), _("Subject"), _("Content"),
               pgettext("recommendation", "Source"), _("Recommended on"), _("Answer due on"),
               _("Status"), _("Answered on"), _("Overdue")]  # fmt: skip
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    today = clock.today()
    for i, r in enumerate(recs, 1):
        ws.append([
            i, r.body, r.subject, r.content, r.source_title or r.get_source_kind_display(),
            _d(r.issued_on), _d(r.due_on), r.get_status_display(), _d(r.answered_on),
            _("yes") if r.is_overdue(today) else "",
        ])  # fmt: skip
    for col, width in zip("ABCDEFGHIJ", (6, 30, 20, 60, 30, 12, 12, 16, 12, 8), strict=True):
        ws.column_dimensions[col].width = width
    return sheets.to_bytes(wb)


def summary_figures(
    recs: QuerySet[Recommendation], start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """The figures of the six-monthly summary, in three queries, from the answers' dates
    (never today's status): made in the period; answered in the period (by the outcome of
    the latest answer up to its end); open and overdue at its end."""
    rows = asof.at_end(recs, end)
    c = asof.conditions(start, end)
    answered = c["answered"]
    totals = rows.aggregate(
        n=Count("pk", filter=c["made"]),
        answered=Count("pk", filter=answered),
        accepted=Count("pk", filter=answered & Q(outcome_at=Recommendation.Status.ACCEPTED)),
        partly=Count("pk", filter=answered & Q(outcome_at=Recommendation.Status.PARTLY)),
        rejected=Count("pk", filter=answered & Q(outcome_at=Recommendation.Status.REJECTED)),
        open=Count("pk", filter=c["open"]),
        overdue=Count("pk", filter=c["overdue"]),
    )
    overdue = list(
        rows.filter(c["overdue"])
        .order_by("due_on", "pk")
        .values_list("body", "content", "issued_on", "due_on")[:200]
    )
    by_body = list(
        rows.filter(c["made"] | answered | c["open"])
        .order_by()
        .values("body")
        .annotate(
            n=Count("pk", filter=c["made"]),
            answered=Count("pk", filter=answered),
            accepted=Count("pk", filter=answered & Q(outcome_at=Recommendation.Status.ACCEPTED)),
            open=Count("pk", filter=c["open"]),
        )
        .order_by("-n", "body")[:50]
    )
    return {"totals": totals, "overdue": overdue, "by_body": by_body}


def summary_docx(
    office: Any,
    recs: QuerySet[Recommendation],
    start: datetime.date,
    end: datetime.date,
    half: int,
) -> bytes:
    """The summary of recommendations and answers for the People's Council and People's
    Committee (Front's official layout: the state form)."""
    figs = summary_figures(recs, start, end)
    t = figs["totals"]
    by_body = figs["by_body"]
    period = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {start.year}"
    body: list[d.Block] = [
        d.Heading("I. KẾT QUẢ KIẾN NGHỊ VÀ TRẢ LỜI"),
        d.Paragraph(
            f"Trong {period} (từ {_d(start)} đến {_d(end)}), Ban Thường trực và các tổ chức "
            f"thành viên đã gửi {t['n']} kiến nghị sau giám sát, phản biện xã hội và góp ý; "
            f"trong kỳ đã được trả lời {t['answered']} kiến nghị, kể cả kiến nghị của kỳ "
            f"trước ({t['accepted']} tiếp thu, {t['partly']} tiếp thu một phần, "
            f"{t['rejected']} không tiếp thu); đến ngày {_d(end)} còn {t['open']} kiến nghị "
            f"chưa được trả lời, trong đó {t['overdue']} kiến nghị quá hạn."
        ),
        d.Table(
            header=[
                "TT",
                "Cơ quan được kiến nghị",
                "Kiến nghị trong kỳ",
                "Trả lời trong kỳ",
                "Tiếp thu",
                "Chưa trả lời cuối kỳ",
            ],
            rows=[
                [
                    str(i),
                    r["body"],
                    str(r["n"]),
                    str(r["answered"]),
                    str(r["accepted"]),
                    str(r["open"]),
                ]
                for i, r in enumerate(by_body, 1)
            ],
            widths_mm=[10, 60, 25, 25, 20, 25],
        ),
        d.Heading("II. KIẾN NGHỊ QUÁ HẠN CHƯA ĐƯỢC TRẢ LỜI"),
    ]
    if figs["overdue"]:
        body.append(
            d.Table(
                header=["TT", "Cơ quan", "Nội dung kiến nghị", "Ngày kiến nghị", "Hạn trả lời"],
                rows=[
                    [str(i), b, c[:300], _d(issued), _d(due)]
                    for i, (b, c, issued, due) in enumerate(figs["overdue"], 1)
                ],
                widths_mm=[10, 40, 80, 22, 22],
            )
        )
    else:
        body.append(d.Paragraph("Không có kiến nghị quá hạn."))
    body += [
        d.Heading("III. ĐỀ NGHỊ"),
        d.Paragraph(
            "Đề nghị Thường trực Hội đồng nhân dân và Ủy ban nhân dân chỉ đạo các cơ quan, đơn "
            "vị trả lời các kiến nghị quá hạn nêu tại Mục II và thông báo kết quả cho Ủy ban "
            "Mặt trận Tổ quốc."
        ),
    ]
    spec = d.DocumentSpec(
        # the same issuer as the critiques and feedback reports: the Front's committee of the
        # office's unit, which the standing board signs for (never the office's own name)
        system="state", issuer=_issuer(office),
        number_line="Số:       /BC-MTTQ", place=_place(office), date=None,
        type_name="BÁO CÁO",
        summary=f"Tổng hợp kiến nghị và kết quả trả lời kiến nghị {period}", body=body,
        recipients=("Thường trực HĐND;", "UBND;", "Lưu: VT."),
        signer=d.Signer(name="", position="CHỦ TỊCH", authority="TM. BAN THƯỜNG TRỰC"),
    )  # fmt: skip
    return d.build_document(spec)
