"""The recommendation register as .xlsx and the six-monthly summary as .docx."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from khoi import clock
from khoi.lib import docx as d
from khoi.lib import sheets
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
    headers = [_("No."), _("Body recommended to"), _("Subject"), _("Content"), _("Source"),
               _("Recommended on"), _("Answer due on"), _("Status"), _("Answered on"),
               _("Overdue")]  # fmt: skip
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
    """The figures of the six-monthly summary, in two queries."""
    made = recs.filter(issued_on__gte=start, issued_on__lte=end)
    totals = made.aggregate(
        n=Count("pk"),
        accepted=Count("pk", filter=Q(status=Recommendation.Status.ACCEPTED)),
        partly=Count("pk", filter=Q(status=Recommendation.Status.PARTLY)),
        rejected=Count("pk", filter=Q(status=Recommendation.Status.REJECTED)),
        open=Count("pk", filter=Q(status=Recommendation.Status.OPEN)),
    )
    overdue = list(
        recs.filter(status=Recommendation.Status.OPEN, due_on__lt=min(end, clock.today()))
        .order_by("due_on", "pk")
        .values_list("body", "content", "issued_on", "due_on")[:200]
    )
    return {"totals": totals, "overdue": overdue}


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
    by_body = list(
        recs.filter(issued_on__gte=start, issued_on__lte=end)
        .order_by()
        .values("body")
        .annotate(
            n=Count("pk"),
            answered=Count("pk", filter=Q(status__in=ANSWERED)),
            accepted=Count("pk", filter=Q(status=Recommendation.Status.ACCEPTED)),
        )
        .order_by("-n", "body")[:50]
    )
    period = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {start.year}"
    body: list[d.Block] = [
        d.Heading("I. KẾT QUẢ KIẾN NGHỊ VÀ TRẢ LỜI"),
        d.Paragraph(
            f"Trong {period} (từ {_d(start)} đến {_d(end)}), Ban Thường trực và các tổ chức "
            f"thành viên đã gửi {t['n']} kiến nghị sau giám sát, phản biện xã hội và góp ý; "
            f"đã được trả lời {t['accepted'] + t['partly'] + t['rejected']} kiến nghị "
            f"({t['accepted']} tiếp thu, {t['partly']} tiếp thu một phần, {t['rejected']} "
            f"không tiếp thu); còn {t['open']} kiến nghị chưa được trả lời."
        ),
        d.Table(
            header=["TT", "Cơ quan được kiến nghị", "Số kiến nghị", "Đã trả lời", "Tiếp thu"],
            rows=[
                [str(i), r["body"], str(r["n"]), str(r["answered"]), str(r["accepted"])]
                for i, r in enumerate(by_body, 1)
            ],
            widths_mm=[10, 80, 25, 25, 25],
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
        system="state", superior=("ỦY BAN MTTQ VIỆT NAM",), issuer=(office.name.upper(),),
        number_line="Số:       /BC-MTTQ", place=office.unit.name, date=None,
        type_name="BÁO CÁO",
        summary=f"Tổng hợp kiến nghị và kết quả trả lời kiến nghị {period}", body=body,
        recipients=("Thường trực HĐND;", "UBND;", "Lưu: VT."),
        signer=d.Signer(name="", position="CHỦ TỊCH", authority="TM. BAN THƯỜNG TRỰC"),
    )  # fmt: skip
    return d.build_document(spec)
