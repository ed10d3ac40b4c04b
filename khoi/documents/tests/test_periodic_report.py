from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from khoi.documents import reports, services
from khoi.documents.models import PeriodicReport
from khoi.documents.sections import documents_section
from khoi.documents.tests.factories import incoming, outgoing
from khoi.meetings import services as meetings
from khoi.meetings.sections import meetings_section
from khoi.meetings.tests.factories import meeting
from khoi.registry import REPORT_SECTIONS
from khoi.testing.factories import World
from khoi.work import sections as work_sections
from khoi.work import services as work
from khoi.work.tests.factories import activity

D = datetime.date


def _october(world: World, n: int = 11) -> None:
    head = world.users["office_head"]
    a = activity(world, world.front, "Tuyên truyền VSMT", start=D(2017, 10, 2), budget=10_000_000,
                 expected_participants=300, status="done")  # fmt: skip
    b = activity(world, world.women, "Tuyên truyền VSMT tại KDC", start=D(2017, 10, 3),
                 budget=4_000_000, expected_participants=100)  # fmt: skip
    activity(world, world.women, "Tập huấn hội viên", kind="training", start=D(2017, 10, 5))
    activity(world, world.women, "Ngoài kỳ", start=D(2017, 11, 20))
    work.do_merge(head, [a, b], work.MergeSpec("VSMT chung", world.front, D(2017, 10, 2),
                                               D(2017, 10, 3)))  # fmt: skip
    t = work.do_create_task(head, world.office, title="Nộp số liệu", due_on=D(2017, 10, 5),
                            assignee=world.people["staff"])  # fmt: skip
    work.do_create_task(head, world.office, title="Việc quá hạn", due_on=D(2017, 10, 1),
                        assignee=world.people["staff"])  # fmt: skip
    work.do_update_task(head, t, status="done", note="Đã nộp", today=D(2017, 10, 4))
    m = meeting(world, D(2017, 10, 9))
    meetings.do_add_outcome(head, m, kind="decision", text="Thống nhất tổ chức việc chung VSMT")
    meetings.do_close_meeting(head, m)
    incoming(world, f"{n}-NQ/TU", issued_on=D(2017, 9, 20), received_on=D(2017, 9, 22))
    outgoing(world, issued_on=D(2017, 10, 2))


@pytest.fixture
def report(world: World) -> PeriodicReport:
    _october(world)
    return services.do_prepare_report(world.users["staff"], world.office, "2017-10")


def test_the_report_covers_the_cut_off_dates_and_gathers_every_registered_section(
    report: PeriodicReport,
) -> None:
    assert (report.start_on, report.end_on) == (D(2017, 9, 15), D(2017, 10, 14))
    keys = [s.key for s in reports.sections_for(report)]
    mine = ["work.activities", "work.joint", "work.tasks", "meetings.held", "documents.register"]
    assert [k for k in keys if k in mine] == mine
    figures = {k: v for s in reports.sections_for(report) for k, v in s.figures.items()}
    assert figures["Số hoạt động"] == 3
    assert figures["Số việc chung"] == 1
    assert figures["Kinh phí tiết kiệm ước tính (đồng)"] == 4_000_000
    assert figures["Nhiệm vụ hoàn thành"] == 1 and figures["Nhiệm vụ quá hạn cuối kỳ"] == 1
    assert figures["Số cuộc họp"] == 1 and figures["Số kết luận"] == 1
    assert figures["Văn bản đến"] == 1 and figures["Văn bản đi"] == 1


def test_sections_run_a_fixed_number_of_queries(world: World, report: PeriodicReport) -> None:
    providers = [*work_sections.PROVIDERS, meetings_section, documents_section]
    assert all(p in REPORT_SECTIONS for p in providers)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for provider in providers:
                provider(report.office, report.start_on, report.end_on)
        return len(ctx.captured_queries)

    before = count()
    _october(world, 12)  # twice the data
    assert count() == before == 9


def test_staff_edit_the_narrative_and_issuing_numbers_and_freezes_the_report(
    world: World, report: PeriodicReport
) -> None:
    staff = world.users["staff"]
    services.do_edit_narrative(staff, report, "work.activities", ["Đoạn đã sửa.", " ", "Đoạn 2."])
    section = reports.sections_for(report)[0]
    assert section.paragraphs == ["Đoạn đã sửa.", "Đoạn 2."]
    document = services.do_issue_report(staff, report, D(2017, 10, 13), signer="Lê Đức Trà")
    assert document.notation == "02/BC-MTTQ"  # 01/KH-MTTQ was issued on 02/10
    with pytest.raises(ValidationError):
        services.do_edit_narrative(staff, report, "work.activities", ["x"])
    with pytest.raises(ValidationError):
        services.do_issue_report(staff, report, D(2017, 10, 13))


def test_a_meaningless_period_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_prepare_report(world.users["staff"], world.office, "2017-Q7")
    assert "period" in exc.value.message_dict
    assert PeriodicReport.objects.count() == 0


def test_the_docx_is_in_the_official_layout(world: World, report: PeriodicReport) -> None:
    services.do_issue_report(world.users["staff"], report, D(2017, 10, 13), signer="Lê Đức Trà")
    doc = open_docx(io.BytesIO(reports.build_docx(report)))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)  # type: ignore[operator]
    assert Mm(20) - Mm(0.1) <= section.top_margin <= Mm(25) + Mm(0.1)  # type: ignore[operator]
    assert Mm(30) - Mm(0.1) <= section.left_margin <= Mm(35) + Mm(0.1)  # type: ignore[operator]
    assert Mm(15) - Mm(0.1) <= section.right_margin <= Mm(20) + Mm(0.1)  # type: ignore[operator]
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size is not None and Pt(13) <= normal.font.size <= Pt(14)
    header = doc.tables[0]
    left, right = header.cell(0, 0).text, header.cell(0, 1).text
    assert "ỦY BAN MTTQ VIỆT NAM" in left and "THỊ XÃ QUẢNG YÊN" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "Số: 02/BC-MTTQ" in header.cell(1, 0).text
    date_cell = header.cell(1, 1)
    assert "Quảng Yên, ngày 13 tháng 10 năm 2017" in date_cell.text
    assert all(r.italic for p in date_cell.paragraphs for r in p.runs if r.text.strip())
    grid = header._tbl.find(qn("w:tblGrid"))
    assert grid is not None and len(grid.findall(qn("w:gridCol"))) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is None or all(b.get(qn("w:val")) in ("nil", "none") for b in borders)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "I. KẾT QUẢ TỔ CHỨC CÁC HOẠT ĐỘNG" in text
    assert "từ ngày 15/09/2017 đến ngày 14/10/2017" in text
    assert any("VSMT chung" in c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_the_xlsx_appendix_holds_the_figures_and_tables(report: PeriodicReport) -> None:
    book = load_workbook(io.BytesIO(reports.build_xlsx(report)))
    sheet = book["Số liệu"]
    rows = {r[1]: r[2] for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Số hoạt động"] == 3 and rows["Văn bản đi"] == 1
    assert len(book.sheetnames) > 1
    assert book["Bảng 1"]["A2"].value == "Tổ chức"


def test_the_report_command_writes_each_format(world: World, tmp_path: Path) -> None:
    _october(world)
    for fmt in ("docx", "xlsx"):
        target = tmp_path / f"r.{fmt}"
        call_command("report", "--office", "quang-yen", "--period", "2017-Q4", "--format", fmt,
                     "--output", str(target), stdout=StringIO())  # fmt: skip
        assert target.stat().st_size > 1000
    doc = open_docx(str(tmp_path / "r.docx"))
    assert any("quý IV năm 2017" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--office", "quang-yen", "--period", "2017-13"], "Tháng phải từ 1 đến 12"),
        (["--office", "quang-yen", "--period", "mùa thu"], "Kỳ báo cáo không hợp lệ"),
        (["--office", "khong-co", "--period", "2017"], "Không có Cơ quan Khối"),
    ],
)
def test_the_report_command_refuses_bad_input_and_exits_non_zero(
    world: World, tmp_path: Path, args: list[str], message: str
) -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("report", *args, "--output", str(tmp_path / "x.docx"), stdout=StringIO(),
                     stderr=err)  # fmt: skip
    assert exc.value.code == 2 and message in err.getvalue()
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.skipif(
    (shutil.which("soffice") is None or shutil.which("pdftotext") is None)
    and not os.environ.get("CI"),
    reason="LibreOffice or pdftotext not installed: PDF output not checked",
)
def test_the_pdf_is_made_by_libreoffice_and_reads_back(
    world: World, report: PeriodicReport, tmp_path: Path
) -> None:
    services.do_issue_report(world.users["staff"], report, D(2017, 10, 13), signer="Lê Đức Trà")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reports.build_pdf(report))
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
        timeout=60,
    ).stdout  # fmt: skip
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số: 02/BC-MTTQ" in text
    assert "Quảng Yên, ngày 13 tháng 10 năm 2017" in text
    assert "KẾT QUẢ TỔ CHỨC CÁC HOẠT ĐỘNG" in text
    info = subprocess.run(
        [shutil.which("pdfinfo") or "pdfinfo", str(pdf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "A4" in info.stdout or not shutil.which("pdfinfo")


def test_incoming_documents_count_when_received_and_outgoing_when_issued(world: World) -> None:
    incoming(world, "05-CT/TU", issued_on=D(2017, 8, 30), received_on=D(2017, 9, 20))
    incoming(world, "06-CT/TU", issued_on=D(2017, 10, 1), received_on=D(2017, 10, 20))
    incoming(world, "07-CT/TU", issued_on=D(2017, 10, 2), received_on=None)
    outgoing(world, issued_on=D(2017, 10, 15))
    section = documents_section(world.office, D(2017, 9, 15), D(2017, 10, 14))
    assert section.figures == {"Văn bản đến": 2, "Văn bản đi": 0}
