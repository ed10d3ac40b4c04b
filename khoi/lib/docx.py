"""Build administrative documents as .docx in the official Vietnamese layout.

One generic builder, :func:`build_document`, turns a :class:`DocumentSpec` into the
bytes of a .docx file laid out as Decree 30/2020/NĐ-CP (state documents, Appendix I)
or Guidance 36-HD/VPTW (Party documents) ask:

- A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (the rules
  allow 20–25, 20–25, 30–35, 15–20), so the text is 165 mm wide;
- Times New Roman everywhere (set in the document defaults and the Normal style for
  the ASCII, high-ANSI, east-Asian and complex-script slots; LibreOffice substitutes
  the metric-compatible Liberation Serif where Times New Roman is missing), body
  14 pt, justified, first-line indent 1.27 cm, line spacing 1.2, 6 pt after;
- the header is a borderless two-column table (70 mm + 95 mm, set on ``w:tblGrid``
  *and* on every cell, fixed layout, so LibreOffice and Word agree). State: the
  superior body (regular) and the issuing body (bold) on the left with a short rule
  under it, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and "Độc lập - Tự do - Hạnh phúc" on
  the right with a rule as long as the motto; Party: the committee lines and a "*" on
  the left, "ĐẢNG CỘNG SẢN VIỆT NAM" (15 pt) with a rule on the right. The second row
  holds the number line ("Số: 12/BC-MTTQ", Party "Số 12-BC/TU") and the place and
  date line in italics, so that both sit on the same baseline;
- the type name in bold capitals and the summary in bold, centered; a rule of about
  two fifths of the summary under it (state) or "-----" (Party). Official letters
  (no type name) carry the summary as "V/v …" under the number instead;
- the body blocks (:class:`Heading`, :class:`Paragraph`, :class:`Bullet`,
  :class:`Table`);
- at the bottom a borderless two-column table: "Nơi nhận:" and the recipients on the
  left (state: heading 12 pt bold italic, lines 11 pt; Party: heading 14 pt underlined,
  lines 12 pt), the signer block on the right (authority and position in bold
  capitals, room for the signature, the name in bold);
- page numbers centered in the page header from page 2 on.

Dates follow Decree 30 (Appendix I, "địa danh và thời gian ban hành văn bản"): a day
below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 02 năm 2024",
"ngày 13 tháng 3 năm 2024"). Party documents use the same rule here; Guidance 36's own
header ("Hà Nội, ngày 03 tháng 4 năm 2018") agrees with it, the months 1–2 were not
checked against its text.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from docx import Document as _new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Mm, Pt, Twips
from docx.table import Table as _DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as _DocxParagraph

from khoi.lib.docnumber import DocumentNumber
from khoi.lib.docnumber import format as format_notation

System = Literal["state", "party"]
Align = Literal["left", "center", "right", "justify"]

# --- Layout constants (Decree 30/2020/NĐ-CP Appendix I; Guidance 36-HD/VPTW) -------------
FONT_NAME: Final = "Times New Roman"
PAGE_WIDTH_MM: Final = 210
PAGE_HEIGHT_MM: Final = 297
MARGIN_TOP_MM: Final = 20
MARGIN_BOTTOM_MM: Final = 20
MARGIN_LEFT_MM: Final = 30
MARGIN_RIGHT_MM: Final = 15
TEXT_WIDTH_MM: Final = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165
HEADER_COLUMNS_MM: Final = (70, TEXT_WIDTH_MM - 70)  # issuing body | national title
BODY_SIZE_PT: Final = 14
LINE_SPACING: Final = 1.2
FIRST_LINE_INDENT_CM: Final = 1.27
PARAGRAPH_AFTER_PT: Final = 6
TABLE_SIZE_PT: Final = 13
RULE_GAP_PT: Final = 2

NATIONAL_TITLE: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO: Final = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE: Final = "ĐẢNG CỘNG SẢN VIỆT NAM"
RECIPIENTS_HEADING: Final = "Nơi nhận:"

# Font sizes (pt) per element and system.
SIZES: Final = {
    "state": {
        "superior": 13,
        "issuer": 13,
        "title": 12,
        "motto": 13,
        "number": 13,
        "subject": 12,
        "date": 14,
        "type_name": 14,
        "summary": 14,
        "recipients_heading": 12,
        "recipients": 11,
        "signer": 14,
    },
    "party": {
        "superior": 14,
        "issuer": 14,
        "title": 15,
        "motto": 15,
        "number": 14,
        "subject": 12,
        "date": 14,
        "type_name": 15,
        "summary": 14,
        "recipients_heading": 14,
        "recipients": 12,
        "signer": 14,
    },
}

# Advance widths of Times New Roman Bold (= Liberation Serif Bold), 1/1000 em, from
# the Adobe Times-Bold metrics; used to size the rules under bold lines. Letters are
# looked up without their diacritics.
_BOLD_WIDTHS: Final = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -.,:;/()",
        [
            *(722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944),
            *(722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667),
            *(500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833),
            *(556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444),
            *([500] * 10),
            *(250, 333, 250, 250, 333, 333, 278, 333, 333),
        ],
        strict=True,
    )
)

_ALIGN: Final = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# --- The specification --------------------------------------------------------------------
@dataclass(frozen=True)
class Heading:
    """A heading in the body ("I. KẾT QUẢ ĐẠT ĐƯỢC"): bold; level 3 bold italic."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: justified, first-line indent, 14 pt unless told otherwise."""

    text: str
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True


@dataclass(frozen=True)
class Bullet:
    """A list item written the Vietnamese way: "- text" (level 1) or "+ text" (level 2)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Table:
    """A bordered table with a bold header row (repeated on each page).

    ``widths_mm`` are relative: they are scaled to fill the text width.
    """

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths_mm: Sequence[float] | None = None


@dataclass(frozen=True)
class Image:
    """A picture (PNG or JPEG bytes), centred, ``width_mm`` wide, with an italic caption."""

    data: bytes
    width_mm: float = 150
    caption: str = ""


Block = Heading | Paragraph | Bullet | Table | Image


@dataclass(frozen=True)
class Signer:
    """The signature block: "TM. BAN THƯỜNG TRỰC" / "CHỦ TỊCH" / (signature) / name."""

    name: str
    position: str = ""
    authority: str = ""
    signature_lines: int = 4


@dataclass(frozen=True)
class DocumentSpec:
    """Everything :func:`build_document` needs.

    ``superior`` are the lines of the superior body (regular capitals; for the Party the
    higher committee), ``issuer`` the lines of the issuing body (bold capitals), e.g.
    ``("ỦY BAN MTTQ VIỆT NAM", "THỊ XÃ QUẢNG YÊN")``. ``number_line`` is printed as
    given ("Số: 12/BC-MTTQ", Party "Số 12-BC/TU"; see :func:`number_line`). ``date``
    None prints blanks to be filled by hand. ``type_name`` None makes an official letter:
    the summary goes under the number as "V/v …".
    """

    system: System
    issuer: Sequence[str]
    number_line: str
    place: str
    date: dt.date | None
    type_name: str | None
    summary: str
    body: Sequence[Block] = ()
    superior: Sequence[str] = ()
    recipients: Sequence[str] = ()
    signer: Signer | None = None
    title: str = ""  # document properties title; defaults to type + summary
    # A second signature on the left, level with the signer (minutes: the secretary left,
    # the chair right); the recipients then follow under both.
    co_signer: Signer | None = None


# --- Text helpers -------------------------------------------------------------------------
def vietnamese_date(date: dt.date) -> str:
    """ "ngày 13 tháng 10 năm 2017"; day < 10 and months 1–2 take a leading zero (Decree 30)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"ngày {day} tháng {month} năm {date.year}"


def place_date_line(place: str, date: dt.date | None) -> str:
    """ "Quảng Yên, ngày 13 tháng 10 năm 2017" (blanks when the date is not known yet)."""
    when = vietnamese_date(date) if date else "ngày      tháng      năm      "
    return f"{place}, {when}"


def number_line(doc: DocumentNumber) -> str:
    """The number line of a header: "Số: 12/BC-MTTQ" (state) or "Số 12-BC/TU" (Party)."""
    prefix = "Số " if doc.system == "party" else "Số: "
    return prefix + format_notation(doc)


def text_width_pt(text: str, size_pt: float) -> float:
    """Estimated width of ``text`` set in Times New Roman Bold at ``size_pt``."""
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    units = sum(_BOLD_WIDTHS.get(ch, 500) for ch in base if not unicodedata.combining(ch))
    return units * size_pt / 1000


# --- Low-level XML helpers ----------------------------------------------------------------
def _twips_mm(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _set_rfonts(rpr: BaseOxmlElement, name: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del rfonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{slot}"), name)


def _set_lang(rpr: BaseOxmlElement) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    lang.set(qn("w:bidi"), "ar-SA")


def _setup_styles(document: Document) -> None:
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_rfonts(rpr, FONT_NAME)
            for tag in ("w:sz", "w:szCs"):
                el = rpr.find(qn(tag))
                if el is not None:
                    el.set(qn("w:val"), str(BODY_SIZE_PT * 2))
            _set_lang(rpr)
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None:
            spacing.set(qn("w:after"), "0")
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_SIZE_PT)
    _set_rfonts(normal.element.get_or_add_rPr(), FONT_NAME)
    _set_lang(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    # Other styles of the template (headings, captions…) use the theme fonts: point every
    # rFonts of every style at Times New Roman so nothing falls back to Calibri/Cambria.
    for rfonts in styles_el.iter(qn("w:rFonts")):
        _set_rfonts(rfonts.getparent(), FONT_NAME)


def _setup_section(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers: centered at the top, from the second page on (Decree 30, Appendix I).
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    fld.append(run)
    para._p.append(fld)


def _paragraph(
    container: Document | _Cell,
    text: str = "",
    *,
    size: float = BODY_SIZE_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: Align = "center",
    first_line_cm: float = 0,
    before: float = 0,
    after: float = 0,
    spacing: float = 1.0,
    keep_with_next: bool = False,
) -> _DocxParagraph:
    para = container.add_paragraph()
    fmt = para.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = spacing
    if first_line_cm:
        fmt.first_line_indent = Cm(first_line_cm)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold or None
        run.font.italic = italic or None
        run.font.underline = underline or None
    else:  # the empty paragraph's mark sets its height
        mark = OxmlElement("w:rPr")  # last child of pPr in the schema order
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(round(size * 2)))
        mark.append(sz)
        para._p.get_or_add_pPr().append(mark)
    return para


def _rule(container: _Cell | Document, length_pt: float, available_pt: float) -> None:
    """A centered horizontal line ``length_pt`` long, ``RULE_GAP_PT`` under the previous line.

    It is the top border of an empty paragraph 2 pt high whose indents leave
    ``length_pt`` between them: Word and LibreOffice draw it the same way.
    """
    length_pt = max(12.0, min(length_pt, available_pt))
    para = _paragraph(container, size=2, before=RULE_GAP_PT)
    fmt = para.paragraph_format
    side = (available_pt - length_pt) / 2
    fmt.left_indent = Pt(side)
    fmt.right_indent = Pt(side)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    ppr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    # pBdr comes before spacing/ind/jc in CT_PPr's sequence.
    anchor = next(
        (
            ppr.find(qn(tag))
            for tag in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
            if ppr.find(qn(tag)) is not None
        ),
        None,
    )
    if anchor is None:
        ppr.append(borders)
    else:
        anchor.addprevious(borders)


def _table(
    container: Document, widths_twips: Sequence[int], rows: int, *, borders: bool
) -> _DocxTable:
    """A fixed-layout table whose column widths are on tblW, tblGrid/gridCol and every tcW."""
    table = container.add_table(rows=rows, cols=len(widths_twips))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(widths_twips)))
    tbl_w.set(qn("w:type"), "dxa")
    border_el = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        if borders:
            for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
                edge.set(qn(f"w:{key}"), value)
        else:
            edge.set(qn("w:val"), "nil")
        border_el.append(edge)
    _insert_tblpr_child(tbl_pr, border_el)
    if not borders:  # header and signature tables: text from edge to edge
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), "0")
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        _insert_tblpr_child(tbl_pr, margins)
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_twips, strict=True):
        grid_col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_twips, strict=True):
            cell.width = Twips(width)
    return table


# Order of CT_TblPr children (ECMA-376 §17.4.60), to insert new ones in schema order.
_TBLPR_ORDER: Final = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)


def _insert_tblpr_child(tbl_pr: BaseOxmlElement, child: BaseOxmlElement) -> None:
    name = child.tag.split("}")[1]
    old = tbl_pr.find(child.tag)
    if old is not None:
        tbl_pr.remove(old)
    rank = _TBLPR_ORDER.index(name)
    for existing in tbl_pr:
        other = existing.tag.split("}")[1]
        if other in _TBLPR_ORDER and _TBLPR_ORDER.index(other) > rank:
            existing.addprevious(child)
            return
    tbl_pr.append(child)


def _drop_first_paragraph(cell: _Cell) -> None:
    """A new cell holds one empty paragraph; remove it once the cell has content."""
    paragraphs = cell._tc.findall(qn("w:p"))
    if len(paragraphs) > 1:
        cell._tc.remove(paragraphs[0])


# --- The parts of a document --------------------------------------------------------------
def _header(document: Document, spec: DocumentSpec) -> None:
    sizes = SIZES[spec.system]
    widths = [_twips_mm(w) for w in HEADER_COLUMNS_MM]
    table = _table(document, widths, rows=2, borders=False)
    left, right = table.rows[0].cells
    left_pt = widths[0] / 20
    right_pt = widths[1] / 20

    for line in spec.superior:
        _paragraph(left, line, size=sizes["superior"])
    for line in spec.issuer:
        _paragraph(left, line, size=sizes["issuer"], bold=True)
    if spec.system == "party":
        _paragraph(left, "*", size=sizes["issuer"])
    else:
        widest = max((text_width_pt(line, sizes["issuer"]) for line in spec.issuer), default=0)
        _rule(left, widest * 0.4, left_pt)

    if spec.system == "party":
        _paragraph(right, PARTY_TITLE, size=sizes["title"], bold=True)
        _rule(right, text_width_pt(PARTY_TITLE, sizes["title"]), right_pt)
    else:
        _paragraph(right, NATIONAL_TITLE, size=sizes["title"], bold=True)
        _paragraph(right, NATIONAL_MOTTO, size=sizes["motto"], bold=True)
        _rule(right, text_width_pt(NATIONAL_MOTTO, sizes["motto"]), right_pt)

    number_cell, date_cell = table.rows[1].cells
    _paragraph(number_cell, spec.number_line, size=sizes["number"], before=6)
    if spec.type_name is None and spec.summary:
        subject = spec.summary if spec.summary.startswith("V/v") else f"V/v {spec.summary}"
        _paragraph(number_cell, subject, size=sizes["subject"], before=3)
    _paragraph(
        date_cell,
        place_date_line(spec.place, spec.date),
        size=sizes["date"],
        italic=True,
        before=6,
    )
    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            _drop_first_paragraph(cell)


def _title(document: Document, spec: DocumentSpec) -> None:
    if spec.type_name is None:
        _paragraph(document, size=BODY_SIZE_PT, after=6)
        return
    sizes = SIZES[spec.system]
    text_pt = _twips_mm(TEXT_WIDTH_MM) / 20
    _paragraph(
        document,
        spec.type_name.upper(),
        size=sizes["type_name"],
        bold=True,
        before=18,
        keep_with_next=True,
    )
    if spec.summary:
        _paragraph(document, spec.summary, size=sizes["summary"], bold=True, keep_with_next=True)
    if spec.system == "party":
        _paragraph(document, "-----", size=sizes["summary"], after=12)
    else:
        summary_pt = min(text_width_pt(spec.summary or spec.type_name, sizes["summary"]), text_pt)
        _rule(document, summary_pt * 0.4, text_pt)
        _paragraph(document, size=6, after=6)


def _body_paragraph(
    document: Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: Align = "justify",
    first_line_cm: float = FIRST_LINE_INDENT_CM,
    keep_with_next: bool = False,
) -> _DocxParagraph:
    return _paragraph(
        document,
        text,
        size=BODY_SIZE_PT,
        bold=bold,
        italic=italic,
        align=align,
        first_line_cm=first_line_cm,
        after=PARAGRAPH_AFTER_PT,
        spacing=LINE_SPACING,
        keep_with_next=keep_with_next,
    )


def _content_table(document: Document, block: Table) -> None:
    ncols = len(block.header)
    total = _twips_mm(TEXT_WIDTH_MM)
    relative = list(block.widths_mm) if block.widths_mm else [1.0] * ncols
    if len(relative) != ncols or any(w <= 0 for w in relative):
        raise ValueError("widths_mm needs one positive width per column")
    widths = [round(total * w / sum(relative)) for w in relative]
    widths[-1] = total - sum(widths[:-1])
    table = _table(document, widths, rows=1 + len(block.rows), borders=True)
    header_row = table.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    tr_pr.append(repeat)
    for cell, text in zip(header_row.cells, block.header, strict=True):
        _paragraph(cell, text, size=TABLE_SIZE_PT, bold=True, before=2, after=2)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _drop_first_paragraph(cell)
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        if len(values) != ncols:
            raise ValueError("every table row needs one value per header column")
        for cell, text in zip(row.cells, values, strict=True):
            _paragraph(cell, text, size=TABLE_SIZE_PT, align="left", before=2, after=2)
            _drop_first_paragraph(cell)
    _paragraph(document, size=6)


def _body(document: Document, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _body_paragraph(
                document,
                block.text,
                bold=True,
                italic=block.level >= 3,
                align="justify",
                first_line_cm=FIRST_LINE_INDENT_CM,
                keep_with_next=True,
            )
        elif isinstance(block, Paragraph):
            _body_paragraph(
                document,
                block.text,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                first_line_cm=FIRST_LINE_INDENT_CM if block.indent else 0,
            )
        elif isinstance(block, Bullet):
            marker = "-" if block.level <= 1 else "+"
            _body_paragraph(
                document,
                f"{marker} {block.text}",
                align="justify",
                first_line_cm=FIRST_LINE_INDENT_CM * max(1, block.level),
            )
        elif isinstance(block, Image):
            from docx.shared import Mm

            width = min(block.width_mm, TEXT_WIDTH_MM)
            document.add_picture(io.BytesIO(block.data), width=Mm(width))
            document.paragraphs[-1].alignment = _ALIGN["center"]
            if block.caption:
                _body_paragraph(
                    document, block.caption, italic=True, align="center", first_line_cm=0
                )
        else:
            _content_table(document, block)


def _signature(cell: _Cell, signer: Signer, sizes: dict[str, int]) -> None:
    for index, line in enumerate(line for line in (signer.authority, signer.position) if line):
        before = 12 if index == 0 else 0
        _paragraph(cell, line.upper(), size=sizes["signer"], bold=True, before=before)
    for _ in range(signer.signature_lines):
        _paragraph(cell, size=sizes["signer"])
    _paragraph(cell, signer.name, size=sizes["signer"], bold=True)


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """The "Nơi nhận" lines as Decree 30 writes them: each begins with "- " and ends with
    ";", the last one with "."."""
    lines = []
    for index, line in enumerate(recipients):
        text = line.strip().rstrip(";.,").rstrip()
        if not text.startswith(("-", "–")):
            text = f"- {text}"
        lines.append(text + ("." if index == len(recipients) - 1 else ";"))
    return lines


def _closing(document: Document, spec: DocumentSpec) -> None:
    if not spec.recipients and spec.signer is None:
        return
    sizes = SIZES[spec.system]
    widths = [_twips_mm(w) for w in HEADER_COLUMNS_MM]
    if spec.co_signer is not None and spec.signer is not None:
        both = _table(document, [sum(widths) // 2, sum(widths) - sum(widths) // 2], rows=1,
                      borders=False)  # fmt: skip
        for cell, signer in zip(both.rows[0].cells, (spec.co_signer, spec.signer), strict=True):
            _signature(cell, signer, sizes)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            _drop_first_paragraph(cell)
        spec = replace(spec, signer=None, co_signer=None)
        if not spec.recipients:
            return
    table = _table(document, widths, rows=1, borders=False)
    left, right = table.rows[0].cells
    if spec.recipients:
        party = spec.system == "party"
        _paragraph(
            left,
            RECIPIENTS_HEADING,
            size=sizes["recipients_heading"],
            bold=not party,
            italic=not party,
            underline=party,
            align="left",
            before=12,
        )
        for text in recipient_lines(spec.recipients):
            _paragraph(left, text, size=sizes["recipients"], align="left")
    if spec.signer is not None:
        _signature(right, spec.signer, sizes)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        _drop_first_paragraph(cell)


def build_document(spec: DocumentSpec) -> bytes:
    """The .docx bytes of ``spec`` in the official layout (see the module docstring)."""
    if spec.system not in SIZES:
        raise ValueError(f"unknown system {spec.system!r}")
    document = _new_document()
    _setup_styles(document)
    _setup_section(document)
    _header(document, spec)
    _title(document, spec)
    _body(document, spec.body)
    _closing(document, spec)
    props = document.core_properties
    props.title = spec.title or " ".join(p for p in (spec.type_name, spec.summary) if p)
    props.language = "vi-VN"
    props.author = " ".join(spec.issuer)
    props.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
