"""Building a periodic report: sections from the registry, the .docx, the .xlsx, the PDF.

Every capability offers its sections through ``khoi.registry.REPORT_SECTIONS``; this
module calls them, overlays the narrative the staff edited, and renders the result with
:func:`khoi.lib.docx.build_document` (official layout), openpyxl (figures appendix) and
LibreOffice (PDF, when ``soffice`` is installed).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from khoi.documents.models import PeriodicReport
from khoi.documents.periods import DEFAULT_CUTOFF, Period, PeriodError, parse_period
from khoi.lib import docnumber, sheets
from khoi.lib import docx as officedoc
from khoi.org.letterhead import issuer_lines, place_name
from khoi.org.models import JointOffice
from khoi.registry import REPORT_SECTIONS, ReportSection, ReportTable

UNKNOWN = "—"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
SOFFICE_TIMEOUT = 180


def cutoff_day() -> int:
    return int(getattr(settings, "KHOI_REPORT_CUTOFF_DAY", DEFAULT_CUTOFF))


def parse_or_refuse(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise ValidationError({"period": [exc.message]}) from None


def vnd(value: float | int) -> str:
    """12.345.678 (Vietnamese thousands separator, no decimals)."""
    return f"{round(value):,}".replace(",", ".")


def report_title(office: JointOffice, period: Period) -> str:
    return (
        f"Kết quả công tác {period.label} của Cơ quan Khối MTTQ và các đoàn thể "
        f"chính trị - xã hội {office.unit.division_type} {place_name(office)}".rstrip()
    )


def gather_sections(office: JointOffice, start: Any, end: Any) -> list[ReportSection]:
    """Every registered section for the office and dates, in their order."""
    sections = [s for provider in REPORT_SECTIONS if (s := provider(office, start, end))]
    return sorted(sections, key=lambda s: (s.order, s.key))


def freeze(sections: list[ReportSection]) -> list[dict[str, Any]]:
    """The sections as stored when the report is issued (JSON)."""
    return [asdict(section) for section in sections]


def thaw(snapshot: list[dict[str, Any]]) -> list[ReportSection]:
    """The sections stored at issue, exactly as they were."""
    out = []
    for data in snapshot:
        tables = [ReportTable(**t) for t in data.get("tables", [])]
        out.append(ReportSection(**{**data, "tables": tables}))
    return out


def sections_for(report: PeriodicReport) -> list[ReportSection]:
    """An issued report's frozen sections; for a draft, the live sections with the
    narrative the staff edited in place of the default text."""
    if report.snapshot is not None:
        return thaw(report.snapshot)
    out = []
    for section in gather_sections(report.office, report.start_on, report.end_on):
        edited = report.narrative.get(section.key)
        out.append(replace(section, paragraphs=list(edited)) if edited is not None else section)
    return out


def document_spec(report: PeriodicReport, sections: list[ReportSection]) -> officedoc.DocumentSpec:
    office = report.office
    body: list[officedoc.Block] = [
        officedoc.Paragraph(
            f"Thời gian tính số liệu: từ ngày {report.start_on:%d/%m/%Y} "
            f"đến ngày {report.end_on:%d/%m/%Y}.",
            italic=True,
        )
    ]
    for n, section in enumerate(sections):
        body.append(officedoc.Heading(f"{ROMAN[n % len(ROMAN)]}. {section.heading.upper()}"))
        body.extend(officedoc.Paragraph(p) for p in section.paragraphs)
        for table in section.tables:
            if table.title:
                body.append(officedoc.Paragraph(table.title, bold=True, indent=False))
            widths = table.widths_mm if table.widths_mm else None
            if widths is not None and len(widths) != len(table.headers):
                widths = None
            body.append(
                officedoc.Table(
                    header=table.headers,
                    rows=[[_cell(v) for v in row] for row in table.rows]
                    or [["—"] * len(table.headers)],
                    widths_mm=widths,
                )
            )
        body.extend(
            officedoc.Image(image.png, image.width_mm, image.caption) for image in section.images
        )
    document = report.document
    if document is not None:
        number = officedoc.number_line(docnumber.parse(document.notation))
        date = document.issued_on
        signer_name = document.signer
    else:
        number, date, signer_name = "Số:       /BC-MTTQ", None, ""
    return officedoc.DocumentSpec(
        system="state",
        issuer=issuer_lines(office),
        number_line=number,
        place=place_name(office),
        date=date,
        type_name="BÁO CÁO",
        summary=report.title,
        body=body,
        recipients=(
            "- Ban Thường trực Ủy ban MTTQ tỉnh;",
            "- Thường trực Thị ủy;",
            "- Các tổ chức thành viên;",
            "- Lưu: VT.",
        ),
        signer=officedoc.Signer(
            name=signer_name or " ",
            position="PHÓ CHỦ TỊCH THƯỜNG TRỰC",
            authority="TM. BAN THƯỜNG TRỰC",
        ),
        title=f"Báo cáo {report.title}",
    )


def _cell(value: Any) -> str:
    """A table cell as shown: numbers with the Vietnamese thousands separator, an unknown
    value (None) as "—"."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int | float):
        return vnd(value)
    return str(value)


cell = _cell


def build_docx(report: PeriodicReport, sections: list[ReportSection] | None = None) -> bytes:
    if sections is None:
        sections = sections_for(report)
    return officedoc.build_document(document_spec(report, sections))


def build_xlsx(report: PeriodicReport, sections: list[ReportSection] | None = None) -> bytes:
    """The figures appendix: one sheet of named figures, one sheet per table."""
    if sections is None:
        sections = sections_for(report)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Số liệu"
    sheet.append([f"Phụ lục số liệu: {report.title}"])
    sheet.append([f"Từ {report.start_on:%d/%m/%Y} đến {report.end_on:%d/%m/%Y}"])
    sheet.append([])
    sheet.append(["Phần", "Chỉ tiêu", "Giá trị"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for section in sections:
        for name, value in section.figures.items():
            sheet.append([section.heading, name, _sheet_cell(value)])
            _as_text(sheet[sheet.max_row])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 16
    sheet["A1"].font = Font(bold=True, size=13)
    n = 0
    for section in sections:
        for table in section.tables:
            n += 1
            ws = book.create_sheet(f"Bảng {n}")
            ws.append([table.title or section.heading])
            ws["A1"].font = Font(bold=True)
            ws.append(list(table.headers))
            for cell in ws[2]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True)
            for row in table.rows:
                ws.append([_sheet_cell(v) for v in row])
                _as_text(ws[ws.max_row])
            for i in range(len(table.headers)):
                ws.column_dimensions[chr(65 + i)].width = 40 if i == 0 else 16
    return sheets.to_bytes(book)


def _sheet_cell(value: Any) -> Any:
    """Numbers stay numbers; an unknown value is "—"; the rest is text."""
    if value is None:
        return UNKNOWN
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _as_text(cells: Any) -> None:
    """User text is written as text, never as a formula (openpyxl reads a leading "=")."""
    for c in cells:
        if c.data_type == "f":
            c.data_type = "s"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class ConversionError(RuntimeError):
    pass


def pdf_unavailable() -> str:
    """Why this server cannot make a faithful PDF, for the page ("" when it can)."""
    from django.utils.translation import gettext as _

    from khoi.lib import pdfsupport

    gaps = pdfsupport.missing()
    if "libreoffice" in gaps:
        return _(
            "PDF is not available on this server: LibreOffice is not installed. The "
            "administrator installs it with “make pdf-deps” (or apt-get install %(packages)s)."
        ) % {"packages": " ".join(pdfsupport.DEBIAN_PACKAGES)}
    if "font" in gaps:
        return _(
            "PDF is not available on this server: no Times-compatible font covering Vietnamese "
            "is installed, so bold Vietnamese letters would change typeface. The administrator "
            "installs one with “make pdf-deps” (or apt-get install fonts-liberation2)."
        )
    return ""


def docx_to_pdf(data: bytes) -> bytes:
    """Convert .docx bytes to PDF with LibreOffice (a private profile, so runs don't clash)."""
    from django.utils.translation import gettext as _

    reason = pdf_unavailable()
    if reason:
        raise ConversionError(reason)
    binary = soffice_path()
    assert binary is not None  # checked by pdf_unavailable()
    with tempfile.TemporaryDirectory(prefix="khoi-pdf-") as tmp:
        source = Path(tmp) / "baocao.docx"
        source.write_bytes(data)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    binary, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", tmp, str(source),
                ],
                check=True, capture_output=True, timeout=SOFFICE_TIMEOUT,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            raise ConversionError(
                _("LibreOffice could not convert the document to PDF: %(error)s") % {"error": exc}
            ) from exc
        target = Path(tmp) / "baocao.pdf"
        if not target.exists():
            raise ConversionError(_("LibreOffice produced no PDF file."))
        return target.read_bytes()


def build_pdf(report: PeriodicReport) -> bytes:
    return docx_to_pdf(build_docx(report))


def render(report: PeriodicReport, fmt: str) -> bytes:
    if fmt == "docx":
        return build_docx(report)
    if fmt == "xlsx":
        return build_xlsx(report)
    if fmt == "pdf":
        return build_pdf(report)
    raise ValueError(fmt)


def transient_report(office: JointOffice, period: Period) -> PeriodicReport:
    """An unsaved draft report (used by the command when no report was prepared)."""
    start, end = period.bounds(cutoff_day())
    return PeriodicReport(
        office=office, period=period.code, start_on=start, end_on=end,
        title=report_title(office, period), narrative={},
    )  # fmt: skip
