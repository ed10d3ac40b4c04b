from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import docx as python_docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.text.run import Run
from hypothesis import given
from hypothesis import strategies as st

from khoi.lib.docnumber import parse
from khoi.lib.docx import (
    FONT_NAME,
    Bullet,
    DocumentSpec,
    Heading,
    Paragraph,
    Signer,
    Table,
    build_document,
    number_line,
    place_date_line,
    vietnamese_date,
)

TEXT_WIDTH_TWIPS = round(165 * 1440 / 25.4)
DATE_LINE = "Quảng Yên, ngày 13 tháng 10 năm 2017"

REPORT = DocumentSpec(
    system="state",
    issuer=("ỦY BAN MTTQ VIỆT NAM", "THỊ XÃ QUẢNG YÊN"),
    number_line="Số: 12/BC-MTTQ",
    place="Quảng Yên",
    date=dt.date(2017, 10, 13),
    type_name="Báo cáo",
    summary="Kết quả công tác tháng 10 năm 2017",
    body=(
        Heading("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
        Heading("1. Công tác tuyên truyền", level=2),
        Paragraph(
            "Ban Thường trực đã phối hợp với các tổ chức thành viên tuyên truyền, vận động "
            "Nhân dân thực hiện tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước."
        ),
        Bullet("Tổ chức 12 hội nghị với 1.250 lượt người tham dự;"),
        Table(
            header=("TT", "Đơn vị", "Số tiền (đồng)"),
            rows=(("1", "Phường Quảng Yên", "25.000.000"), ("2", "Xã Sông Khoai", "18.500.000")),
            widths_mm=(1, 4, 3),
        ),
        Heading("II. PHƯƠNG HƯỚNG THÁNG 11"),
        Paragraph("Tiếp tục triển khai chương trình công tác năm."),
    ),
    recipients=("Thường trực Thị ủy (b/c);", "Ủy ban MTTQ tỉnh (b/c);", "Lưu: VT."),
    signer=Signer(name="Nguyễn Văn An", position="Chủ tịch", authority="TM. BAN THƯỜNG TRỰC"),
)
PARTY_REPORT = replace(
    REPORT,
    system="party",
    superior=("ĐẢNG BỘ TỈNH QUẢNG NINH",),
    issuer=("THỊ ỦY QUẢNG YÊN",),
    number_line="Số 12-BC/TU",
    signer=Signer(name="Trần Văn Bình", position="BÍ THƯ", authority="T/M BAN THƯỜNG VỤ"),
)


def _open(data: bytes) -> Document:
    return python_docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def report_bytes() -> bytes:
    return build_document(REPORT)


@pytest.fixture(scope="module")
def report(report_bytes: bytes) -> Document:
    return _open(report_bytes)


@pytest.fixture(scope="module")
def party_report() -> Document:
    return _open(build_document(PARTY_REPORT))


def _cell_text(table: DocxTable, row: int, col: int) -> list[str]:
    return [p.text for p in table.cell(row, col).paragraphs]


def _runs_with(document: Document, text: str) -> list[Run]:
    found: list[Run] = []
    containers = [document, *(c for t in document.tables for r in t.rows for c in r.cells)]
    for container in containers:
        for para in container.paragraphs:
            found.extend(run for run in para.runs if run.text == text)
    return found


def _paragraph_with(document: Document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def test_page_is_a4_with_margins_in_the_official_ranges(report: Document) -> None:
    section = report.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    ranges = {
        "top_margin": (20, 25),
        "bottom_margin": (20, 25),
        "left_margin": (30, 35),
        "right_margin": (15, 20),
    }
    for name, (low, high) in ranges.items():
        value = getattr(section, name)
        assert Mm(low) - Mm(0.1) <= value <= Mm(high) + Mm(0.1), name


def test_fonts_are_times_new_roman_in_every_script_slot(report_bytes: bytes) -> None:
    document = _open(report_bytes)
    normal = document.styles["Normal"]
    assert normal.font.name == FONT_NAME
    assert normal.font.size == Pt(14)
    rpr = normal.element.rPr
    assert rpr is not None
    rfonts = rpr.find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert rfonts.get(qn(f"w:{slot}")) == FONT_NAME
    # No theme font anywhere and no other font named in the styles or the body.
    for element in (document.styles.element, document.element):
        for node in element.iter(qn("w:rFonts")):
            assert not any(attr.endswith("heme") for attr in node.attrib), node.attrib
            assert set(node.attrib.values()) <= {FONT_NAME}


def test_body_text_is_14_pt_justified_with_indent_and_line_spacing(report: Document) -> None:
    para = _paragraph_with(report, "Tiếp tục triển khai chương trình công tác năm.")
    fmt = para.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent is not None
    assert Cm(1) <= fmt.first_line_indent <= Cm(1.27) + 100
    assert isinstance(fmt.line_spacing, float)
    assert 1.15 <= fmt.line_spacing <= 1.5
    assert {run.font.size for run in para.runs} == {Pt(14)}
    bullet = _paragraph_with(report, "- Tổ chức 12 hội nghị với 1.250 lượt người tham dự;")
    assert bullet.paragraph_format.first_line_indent == fmt.first_line_indent


def test_header_is_a_borderless_two_column_table_with_grid_widths(report: Document) -> None:
    header = report.tables[0]
    assert len(header.columns) == 2
    tbl = header._tbl
    borders = tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert len(borders) == 6
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    grid = [int(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 2
    assert abs(sum(grid) - TEXT_WIDTH_TWIPS) <= 2
    assert grid[0] < grid[1]
    layout = tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    for row in header.rows:
        for cell, width in zip(row.cells, grid, strict=True):
            tcw = cell._tc.tcPr.find(qn("w:tcW"))
            assert (int(tcw.get(qn("w:w"))), tcw.get(qn("w:type"))) == (width, "dxa")
    # no paragraph border (the short rules) is a cell or table border in disguise
    assert tbl.find(f".//{qn('w:tcBorders')}") is None


def test_header_has_the_issuer_left_and_the_national_title_right(report: Document) -> None:
    header = report.tables[0]
    left = [t for t in _cell_text(header, 0, 0) if t]
    right = [t for t in _cell_text(header, 0, 1) if t]
    assert left == ["ỦY BAN MTTQ VIỆT NAM", "THỊ XÃ QUẢNG YÊN"]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    for text in (*left, *right):
        assert all(run.bold for run in _runs_with(report, text))
    assert _cell_text(header, 1, 0) == ["Số: 12/BC-MTTQ"]
    # a short rule under the issuing body and one as long as the motto
    for col in (0, 1):
        rules = header.cell(0, col)._tc.findall(f".//{qn('w:pBdr')}")
        assert len(rules) == 1


def test_date_line_is_italic_and_written_the_official_way(report: Document) -> None:
    header = report.tables[0]
    assert _cell_text(header, 1, 1) == [DATE_LINE]
    (run,) = header.cell(1, 1).paragraphs[0].runs
    assert run.italic is True
    assert run.font.size == Pt(14)


def test_title_is_bold_capitals_followed_by_the_bold_summary(report: Document) -> None:
    texts = [p.text for p in report.paragraphs]
    index = texts.index("BÁO CÁO")
    assert texts[index + 1] == "Kết quả công tác tháng 10 năm 2017"
    for para in report.paragraphs[index : index + 2]:
        assert para.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in para.runs)


def test_content_table_has_a_bold_repeated_header_and_scaled_widths(report: Document) -> None:
    table = report.tables[1]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == TEXT_WIDTH_TWIPS
    assert abs(grid[1] - 4 * grid[0]) <= 4
    tr_pr = table.rows[0]._tr.trPr
    assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert table.cell(2, 1).text == "Xã Sông Khoai"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}


def test_recipients_and_signer_close_the_document(report: Document) -> None:
    closing = report.tables[-1]
    left = _cell_text(closing, 0, 0)
    assert left == [
        "Nơi nhận:",
        "- Thường trực Thị ủy (b/c);",
        "- Ủy ban MTTQ tỉnh (b/c);",
        "- Lưu: VT.",
    ]
    (heading,) = closing.cell(0, 0).paragraphs[0].runs
    assert heading.bold and heading.italic
    assert {run.font.size for p in closing.cell(0, 0).paragraphs[1:] for run in p.runs} == {Pt(11)}
    right = [t for t in _cell_text(closing, 0, 1) if t]
    assert right == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nguyễn Văn An"]
    assert all(run.bold for run in _runs_with(report, "Nguyễn Văn An"))
    borders = closing._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_page_numbers_are_in_the_header_from_page_two(report: Document) -> None:
    section = report.sections[0]
    assert section.different_first_page_header_footer
    fields = section.header._element.findall(f".//{qn('w:fldSimple')}")
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]


def test_party_documents_use_the_party_title(party_report: Document) -> None:
    header = party_report.tables[0]
    right = [t for t in _cell_text(header, 0, 1) if t]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    left = [t for t in _cell_text(header, 0, 0) if t]
    assert left == ["ĐẢNG BỘ TỈNH QUẢNG NINH", "THỊ ỦY QUẢNG YÊN", "*"]
    assert _cell_text(header, 1, 0) == ["Số 12-BC/TU"]
    assert _cell_text(header, 1, 1) == [DATE_LINE]
    all_text = "\n".join(p.text for p in party_report.paragraphs)
    assert "CỘNG HÒA XÃ HỘI" not in all_text + "\n".join(_cell_text(header, 0, 1))
    assert "-----" in all_text
    recipients = party_report.tables[-1].cell(0, 0).paragraphs[0].runs[0]
    assert recipients.underline is True


def test_official_letters_carry_the_subject_under_the_number() -> None:
    letter = replace(
        REPORT, type_name=None, summary="Tham gia ý kiến dự thảo", number_line="Số: 125/MTTQ-BTT"
    )
    document = _open(build_document(letter))
    assert _cell_text(document.tables[0], 1, 0) == [
        "Số: 125/MTTQ-BTT",
        "V/v Tham gia ý kiến dự thảo",
    ]
    assert "BÁO CÁO" not in [p.text for p in document.paragraphs]


def test_undated_drafts_leave_the_date_blank() -> None:
    document = _open(build_document(replace(REPORT, date=None)))
    (line,) = _cell_text(document.tables[0], 1, 1)
    assert line.startswith("Quảng Yên, ngày ")
    assert not re.search(r"\d", line)


def test_unknown_systems_are_refused() -> None:
    with pytest.raises(ValueError, match="system"):
        build_document(replace(REPORT, system="ministry"))  # type: ignore[arg-type]


def test_table_widths_must_match_the_columns() -> None:
    bad = replace(REPORT, body=(Table(header=("A", "B"), rows=(), widths_mm=(1, 2, 3)),))
    with pytest.raises(ValueError, match="widths_mm"):
        build_document(bad)


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (dt.date(2017, 10, 13), "ngày 13 tháng 10 năm 2017"),
        (dt.date(2024, 2, 5), "ngày 05 tháng 02 năm 2024"),
        (dt.date(2024, 1, 1), "ngày 01 tháng 01 năm 2024"),
        (dt.date(2024, 3, 5), "ngày 05 tháng 3 năm 2024"),
        (dt.date(2018, 4, 3), "ngày 03 tháng 4 năm 2018"),
        (dt.date(2024, 12, 9), "ngày 09 tháng 12 năm 2024"),
        (dt.date(2024, 11, 10), "ngày 10 tháng 11 năm 2024"),
    ],
)
def test_dates_pad_days_below_10_and_months_1_and_2(date: dt.date, text: str) -> None:
    assert vietnamese_date(date) == text


@given(st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_follows_the_padding_rule(date: dt.date) -> None:
    match = re.fullmatch(r"ngày (\d+) tháng (\d+) năm (\d{4})", vietnamese_date(date))
    assert match is not None
    day, month, year = match.groups()
    assert (int(day), int(month), int(year)) == (date.day, date.month, date.year)
    assert len(day) == 2
    assert len(month) == (2 if date.month < 3 else len(str(date.month)))


def test_place_date_line_and_number_line_helpers() -> None:
    assert place_date_line("Quảng Yên", dt.date(2017, 10, 13)) == DATE_LINE
    assert number_line(parse("12/bc-mttq")) == "Số: 12/BC-MTTQ"
    assert number_line(parse("12-bc/tu")) == "Số 12-BC/TU"


# --- rendering through LibreOffice --------------------------------------------------------
def _tool(name: str, *args: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing (install libreoffice-writer-nogui and poppler-utils)"
    done = subprocess.run([path, *args], check=True, capture_output=True, text=True, timeout=180)
    return done.stdout


_LINE_RE = re.compile(r'<line xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>(.*?)</line>', re.DOTALL)
_WORD_RE = re.compile(r"<word[^>]*>(.*?)</word>")


def _line_centers_mm(bbox_html: str) -> dict[str, float]:
    """Text of each line laid out by pdftotext → horizontal center in mm from the page edge."""
    centers = {}
    for x_min, x_max, words in _LINE_RE.findall(bbox_html):
        text = unicodedata.normalize("NFC", " ".join(_WORD_RE.findall(words)))
        centers[text] = (float(x_min) + float(x_max)) / 2 * 25.4 / 72
    return centers


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice not installed: PDF conversion not checked",
)
def test_libreoffice_renders_one_a4_page_with_the_header_text(tmp_path: Path) -> None:
    (tmp_path / "state.docx").write_bytes(build_document(REPORT))
    (tmp_path / "party.docx").write_bytes(build_document(PARTY_REPORT))
    _tool(
        "soffice",
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(tmp_path / "state.docx"),
        str(tmp_path / "party.docx"),
    )
    texts = {}
    for name in ("state", "party"):
        pdf = str(tmp_path / f"{name}.pdf")
        info = _tool("pdfinfo", pdf)
        assert re.search(r"Pages:\s+1\n", info), info
        assert "(A4)" in info, info
        fonts = _tool("pdffonts", pdf)
        assert re.search(r"(TimesNewRoman|LiberationSerif)", fonts), fonts
        assert "Sans" not in fonts, fonts
        raw = _tool("pdftotext", "-layout", pdf, "-")
        texts[name] = re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw))
    # The columns kept their widths: each header line is centered in its column
    # (left margin 30 mm, columns 70 mm and 95 mm).
    centers = _line_centers_mm(_tool("pdftotext", "-bbox-layout", str(tmp_path / "state.pdf"), "-"))
    assert abs(centers["ỦY BAN MTTQ VIỆT NAM"] - (30 + 70 / 2)) < 1.5
    assert abs(centers["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] - (30 + 70 + 95 / 2)) < 1.5
    assert abs(centers["BÁO CÁO"] - (30 + 165 / 2)) < 1.5
    state, party = texts["state"], texts["party"]
    assert "ỦY BAN MTTQ VIỆT NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in state
    assert "THỊ XÃ QUẢNG YÊN Độc lập - Tự do - Hạnh phúc" in state
    assert "Số: 12/BC-MTTQ " + DATE_LINE in state
    assert "BÁO CÁO Kết quả công tác tháng 10 năm 2017" in state
    assert "Nơi nhận: TM. BAN THƯỜNG TRỰC" in state
    assert "Nguyễn Văn An" in state
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in party
    assert "CỘNG HÒA" not in party
    assert "Số 12-BC/TU " + DATE_LINE in party
