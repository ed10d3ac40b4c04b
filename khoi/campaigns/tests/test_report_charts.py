"""The periodic report's campaign section draws the main indicator over the year (approved
figures) and the communes' completion as a table and as coloured tiles, in a fixed number
of queries; the .docx carries the extra images."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from khoi.campaigns import charts, providers, services
from khoi.campaigns.tests.factories import full_cells, setup_campaign
from khoi.testing.factories import unit

pytestmark = pytest.mark.django_db
START, END = datetime.date(2017, 9, 15), datetime.date(2017, 10, 14)


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    c = setup_campaign(world)
    reporter, staff, campaign = world.users["reporter"], world.users["staff"], c["campaign"]
    for period, n in (("2017-Q2", "3"), ("2017-Q3", "5")):
        services.do_save_figures(reporter, campaign, world.commune, period, full_cells(c, n))
        sub = services.do_submit_figures(reporter, campaign, world.commune, period)
        services.do_approve_figures(staff, sub)
    return c


def _png_ok(data: bytes) -> None:
    assert data.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(data)) as img:
        img.verify()


def _inline_images(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return len(re.findall(r"<wp:inline\b", z.read("word/document.xml").decode()))


def test_the_section_charts_the_main_indicator_over_the_year(
    world: Any, c: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[tuple[list[str], list[float | None], str]] = []
    real = charts.line_png

    def spy(labels: Any, values: Any, title: str) -> bytes:
        drawn.append((list(labels), list(values), title))
        return real(labels, values, title)

    monkeypatch.setattr(charts, "line_png", spy)
    section = providers.campaign_section(world.office, START, END)
    assert section is not None
    # the first number indicator, quarters of 2017 up to the report's (IV), approved only
    assert drawn == [(["Quý I", "Quý II", "Quý III", "Quý IV"], [None, 3.0, 5.0, None],
                      "1. Buổi tuyên truyền")]  # fmt: skip
    assert len(section.images) == 3  # percentages (bars), over time (line), completion
    for image in section.images:
        _png_ok(image.png)
    captions = [i.caption for i in section.images]
    assert "Buổi tuyên truyền của Thị xã Quảng Yên năm 2017, đến quý IV/2017" in captions[1]
    assert "tô màu theo mức hoàn thành" in captions[2]


def test_a_year_without_approved_figures_has_no_line_chart(world: Any, c: dict[str, Any]) -> None:
    reporter, campaign = world.users["reporter"], c["campaign"]
    services.do_save_figures(reporter, campaign, world.commune, "2018-Q1", full_cells(c, "9"))
    services.do_submit_figures(reporter, campaign, world.commune, "2018-Q1")  # not approved
    section = providers.campaign_section(
        world.office, datetime.date(2018, 3, 15), datetime.date(2018, 4, 14)
    )
    assert section is not None
    captions = " | ".join(i.caption for i in section.images)
    assert "số liệu đã duyệt" not in captions  # no line chart
    # quarter I/2018 is due; nothing approved: no completion table or tiles either
    assert not section.tables and not section.images


def test_the_completion_table_lists_the_communes_in_vietnamese_order(
    world: Any, c: dict[str, Any]
) -> None:
    unit("Xã Bình Khê", 3, world.town)
    unit("Xã Ân Hòa", 3, world.town)  # Â after A, before B (byte order puts it after B)
    section = providers.campaign_section(world.office, START, END)
    assert section is not None
    table = section.tables[-1]
    assert table.headers == ["Xã, phường", "Báo cáo đã duyệt", "Hoàn thành (%)"]
    # the quarter due in the window is III/2017; only Hà An's report is approved
    assert table.rows == [
        ["Phường Hà An", "1/1", "100 %"],
        ["Xã Ân Hòa", "0/1", "0 %"],
        ["Xã Bình Khê", "0/1", "0 %"],
        ["Xã Tiền Phong", "0/1", "0 %"],
    ]
    assert section.figures["campaigns.completion_percent"] == 25.0


def test_the_section_runs_a_fixed_number_of_queries(world: Any, c: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as few:
        providers.campaign_section(world.office, START, END)
    for n in range(6):
        unit(f"Xã Thêm {n}", 3, world.town)
    with CaptureQueriesContext(connection) as more:
        section = providers.campaign_section(world.office, START, END)
    assert section is not None and len(section.tables[-1].rows) == 8
    assert len(more) == len(few) <= 9


def test_the_docx_report_carries_the_new_charts(world: Any, c: dict[str, Any]) -> None:
    from khoi.documents import reports
    from khoi.documents.periods import parse_period

    report = reports.transient_report(world.office, parse_period("2017-10"))
    sections = reports.sections_for(report)
    ours = next(s for s in sections if s.key == "campaigns.results")
    assert len(ours.images) == 3
    before = [replace(s, images=s.images[:1]) if s is ours else s for s in sections]
    with_charts = reports.build_docx(report, sections)
    assert _inline_images(with_charts) == _inline_images(reports.build_docx(report, before)) + 2
    assert _inline_images(with_charts) >= 3
    with zipfile.ZipFile(io.BytesIO(with_charts)) as z:
        media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
        body = z.read("word/document.xml").decode()
    assert len(media) >= 3
    for data in media:
        if data.startswith(b"\x89PNG"):
            _png_ok(data)
    assert "Xã Tiền Phong" in body and "100 %" in body  # the completion table
