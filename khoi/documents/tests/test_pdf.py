"""PDF output: where it cannot be made the page says why and the endpoint answers 503; where
it can, the PDF embeds only Times-compatible fonts (bold Vietnamese letters keep their face)."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from khoi.documents import reports, services
from khoi.documents.models import PeriodicReport
from khoi.lib import pdfsupport
from khoi.meetings import export
from khoi.meetings import services as meetings
from khoi.meetings.tests.factories import meeting
from khoi.testing.factories import World

HAS_PDF_TOOLS = shutil.which("soffice") is not None and shutil.which("pdffonts") is not None
needs_pdf_tools = pytest.mark.skipif(
    not HAS_PDF_TOOLS and not os.environ.get("CI"),
    reason="LibreOffice or pdffonts (poppler-utils) not installed: PDF fonts not checked",
)


@pytest.fixture
def report(world: World) -> PeriodicReport:
    return services.do_prepare_report(world.users["staff"], world.office, "2017-10")


@pytest.mark.parametrize(
    ("gap", "words"),
    [("libreoffice", "LibreOffice"), ("font", "phông")],
)
def test_without_what_the_pdf_needs_the_page_says_why_and_the_endpoint_refuses(
    world: World, as_user, report: PeriodicReport, monkeypatch, gap: str, words: str
) -> None:
    monkeypatch.setattr(pdfsupport, "missing", lambda: [gap])
    client = as_user("staff")
    page = client.get(f"/documents/reports/{report.pk}/").content.decode()
    assert f"/documents/reports/{report.pk}/download.pdf" not in page
    assert "PDF" in page and words in page and "make pdf-deps" in page
    response = client.get(f"/documents/reports/{report.pk}/download.pdf")
    assert response.status_code == 503
    assert words in response.content.decode()


def test_the_font_check_needs_vietnamese_in_regular_and_bold(monkeypatch) -> None:
    seen: list[str] = []

    def fake(pattern: str) -> bool:
        seen.append(pattern)
        return not pattern.startswith("Liberation Serif:bold")  # Liberation 1.x: no bold "Ủ"

    monkeypatch.setattr(pdfsupport, "_has", fake)
    assert pdfsupport.times_font() == "Times New Roman"
    monkeypatch.setattr(pdfsupport, "_has", lambda p: p.startswith("Liberation Serif:regular"))
    assert pdfsupport.times_font() is None
    assert all("charset=1ee6" in p for p in seen)


def test_foreign_fonts_are_named_from_pdffonts_output() -> None:
    output = (
        "name                                 type              encoding         emb sub uni\n"
        "------------------------------------ ----------------- ---------------- --- --- ---\n"
        "BAAAAA+LiberationSerif-Bold          TrueType          WinAnsi          yes yes yes\n"
        "CAAAAA+DejaVuSerif-Bold              TrueType          WinAnsi          yes yes yes\n"
        "DAAAAA+TimesNewRomanPSMT             TrueType          WinAnsi          yes yes yes\n"
    )
    assert pdfsupport.foreign_fonts(output) == ["DejaVuSerif-Bold"]


def _fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [shutil.which("pdffonts") or "pdffonts", str(path)], capture_output=True, text=True,
        check=True, timeout=60,
    ).stdout  # fmt: skip


@needs_pdf_tools
def test_the_report_pdf_embeds_only_times_compatible_fonts(
    world: World, report: PeriodicReport, tmp_path: Path
) -> None:
    services.do_issue_report(
        world.users["staff"], report, datetime.date(2017, 10, 13), signer="Lê Đức Trà"
    )
    fonts = _fonts(reports.build_pdf(report), tmp_path)
    assert "LiberationSerif" in fonts or "TimesNewRoman" in fonts, fonts
    assert pdfsupport.foreign_fonts(fonts) == [], fonts


@needs_pdf_tools
def test_the_minutes_pdf_embeds_only_times_compatible_fonts(world: World, tmp_path: Path) -> None:
    m = meeting(world, title="Giao ban Ủy ban MTTQ — Hội nghị tổng kết việc chung")
    meetings.do_set_attendance(
        world.users["staff"], m, world.people["org_leader"], status="absent", reason="Ốm"
    )
    fonts = _fonts(reports.docx_to_pdf(export.minutes_docx(m)), tmp_path)
    assert pdfsupport.foreign_fonts(fonts) == [], fonts
