"""Reports people can rely on: an issued report never changes, a correction is a new
version with its reason and its own number; the period is chosen, not typed; web tables
use the Vietnamese thousands separator and show unknown values as "—"."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from docx import Document as open_docx
from openpyxl import load_workbook

from khoi.audit.models import AuditEntry
from khoi.documents import reports, services
from khoi.documents.models import PeriodicReport
from khoi.documents.tests.factories import incoming
from khoi.documents.tests.test_periodic_report import D, _october
from khoi.testing.factories import World
from khoi.work import services as work
from khoi.work.tests.factories import activity


def _docx_text(data: bytes) -> str:
    doc = open_docx(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _xlsx_values(data: bytes) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(data))
    return [row for ws in book.worksheets for row in ws.iter_rows(values_only=True)]


def _page(client: object, url: str) -> str:
    """The page without its per-request CSRF tokens."""
    html = client.get(url).content.decode()  # type: ignore[attr-defined]
    return re.sub(r'(csrfmiddlewaretoken" value="|CSRFToken": ")[^"]+', r"\1", html)


def _figures(report: PeriodicReport) -> dict[str, int | float]:
    return {k: v for s in reports.sections_for(report) for k, v in s.figures.items()}


def _more_joint_work(world: World) -> None:
    """Joint work and a document added after the report was issued, inside its period."""
    head = world.users["office_head"]
    c = activity(world, world.front, "Ra quân dọn vệ sinh", start=D(2017, 10, 6), budget=6_000_000)
    d = activity(world, world.women, "Ra quân vệ sinh KDC", start=D(2017, 10, 6), budget=2_000_000)
    work.do_merge(head, [c, d], work.MergeSpec("Ra quân chung", world.front, D(2017, 10, 6),
                                               D(2017, 10, 6)))  # fmt: skip
    incoming(world, "12-NQ/TU", issued_on=D(2017, 10, 1), received_on=D(2017, 10, 3))


def test_an_issued_report_keeps_its_figures_tables_and_text_when_data_change(
    world: World, as_user
) -> None:
    _october(world)
    staff = world.users["staff"]
    report = services.do_prepare_report(staff, world.office, "2017-10")
    services.do_edit_narrative(staff, report, "work.joint", ["Đoạn viết khi ban hành."])
    services.do_issue_report(staff, report, D(2017, 10, 13), signer="Lê Đức Trà")
    report.refresh_from_db()
    before = (_figures(report), reports.build_docx(report), reports.build_xlsx(report))
    client = as_user("staff")
    page_before = _page(client, f"/documents/reports/{report.pk}/")
    api_before = client.get(f"/api/v1/reports/{report.pk}/sections").json()

    _more_joint_work(world)
    draft = reports.transient_report(world.office, reports.parse_or_refuse("2017-10"))
    assert _figures(draft)["Số việc chung"] == 2  # the live data did change

    report = PeriodicReport.objects.get(pk=report.pk)
    assert _figures(report) == before[0]
    assert _figures(report)["Số việc chung"] == 1
    assert _docx_text(reports.build_docx(report)) == _docx_text(before[1])
    assert "Đoạn viết khi ban hành." in _docx_text(before[1])
    assert _xlsx_values(reports.build_xlsx(report)) == _xlsx_values(before[2])
    assert _page(client, f"/documents/reports/{report.pk}/") == page_before
    assert client.get(f"/api/v1/reports/{report.pk}/sections").json() == api_before
    assert "Ra quân chung" not in page_before
    frozen = AuditEntry.objects.get(action="report.freeze", object_id=str(report.pk))
    assert len(frozen.changes["snapshot_sha256"][1]) == 64


def test_a_correction_is_a_new_version_with_a_reason_and_its_own_number(
    world: World, as_user
) -> None:
    _october(world)
    staff = world.users["staff"]
    first = services.do_prepare_report(staff, world.office, "2017-10")
    with pytest.raises(ValidationError):
        services.do_correct_report(
            staff, first, "Chưa ban hành"
        )  # a draft is edited, not corrected
    services.do_issue_report(staff, first, D(2017, 10, 13), signer="Lê Đức Trà")
    _more_joint_work(world)
    client = as_user("staff")
    refused = client.post(f"/documents/reports/{first.pk}/correct/", {"reason": " "})
    assert refused.status_code == 302 and PeriodicReport.objects.count() == 1
    assert as_user("viewer").post(
        f"/documents/reports/{first.pk}/correct/", {"reason": "Bổ sung"}
    ).status_code == 404  # fmt: skip
    opened = client.post(f"/documents/reports/{first.pk}/correct/",
                         {"reason": "Bổ sung việc chung ra quân ngày 06/10"})  # fmt: skip
    second = PeriodicReport.objects.get(version=2)
    assert opened["Location"] == f"/documents/reports/{second.pk}/"
    assert (second.corrects, second.period, second.status) == (first, "2017-10", "draft")
    assert second.correction_reason == "Bổ sung việc chung ra quân ngày 06/10"
    assert _figures(second)["Số việc chung"] == 2  # today's figures, until it is issued
    client.post(f"/documents/reports/{second.pk}/issue/",
                {"issued_on": "20/10/2017", "signer": "Lê Đức Trà"})  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "corrected" and second.status == "issued"
    assert first.document is not None and second.document is not None
    assert (first.document.notation, second.document.notation) == ("02/BC-MTTQ", "03/BC-MTTQ")
    assert first.document.notation in second.document.summary
    assert _figures(first)["Số việc chung"] == 1 and _figures(second)["Số việc chung"] == 2
    page = client.get(f"/documents/reports/{first.pk}/").content.decode()
    assert "03/BC-MTTQ" in page and "Lập bản điều chỉnh" not in page
    assert "Bổ sung việc chung" in client.get(f"/documents/reports/{second.pk}/").content.decode()
    with pytest.raises(ValidationError):
        services.do_correct_report(staff, first, "Lần nữa")  # replaced: correct the new one


def test_the_report_page_offers_the_period_as_a_choice(world: World, as_user) -> None:
    client = as_user("staff")
    page = client.get("/documents/reports/").content.decode()
    for label in ("Tháng 10", "quý III", "6 tháng đầu năm", "9 tháng", "cả năm", "2017"):
        assert label in page
    assert 'name="period"' not in page
    for kind, code in (("Q3", "2017-Q3"), ("H1", "2017-H1"), ("9M", "2017-9M"), ("Y", "2017"),
                       ("02", "2017-02")):  # fmt: skip
        response = client.post("/documents/reports/",
                               {"office": "quang-yen", "kind": kind, "year": "2017"})  # fmt: skip
        assert response.status_code == 302
        assert PeriodicReport.objects.filter(period=code).exists()
    bad = client.post("/documents/reports/", {"office": "quang-yen", "kind": "Q5", "year": "2017"})
    assert bad.status_code == 200 and "kind" in bad.context["form"].errors


def test_web_tables_use_thousands_separators_and_show_unknown_as_a_dash(
    world: World, as_user
) -> None:
    activity(world, world.front, "Hội nghị", start=D(2017, 10, 2), budget=12_500_000,
             expected_participants=1_200)  # fmt: skip
    activity(world, world.women, "Tuyên truyền", start=D(2017, 10, 3))  # no figures given
    report = services.do_prepare_report(world.users["staff"], world.office, "2017-10")
    page = as_user("staff").get(f"/documents/reports/{report.pk}/").content.decode()
    assert ">12.500.000</td>" in page and ">1.200</td>" in page
    assert ">12500000<" not in page
    women_row = page[page.index("Hội LHPN thị xã</td>") :].split("</tr>")[0]
    # done 0 is known; people and budget were never given: unknown, not 0
    assert women_row.endswith('<td class="num">0</td><td>—</td><td>—</td>'), women_row


def test_the_report_command_writes_the_issued_version_in_force(
    world: World, tmp_path: Path
) -> None:
    _october(world)
    staff = world.users["staff"]
    first = services.do_prepare_report(staff, world.office, "2017-10")
    services.do_issue_report(staff, first, D(2017, 10, 13), signer="Lê Đức Trà")
    _more_joint_work(world)
    services.do_correct_report(staff, first, "Bổ sung việc chung")  # a draft, not yet in force
    target = tmp_path / "r.docx"
    call_command("report", "--office", "quang-yen", "--period", "2017-10", "--format", "docx",
                 "--output", str(target))  # fmt: skip
    text = _docx_text(target.read_bytes())
    assert "02/BC-MTTQ" in text and "Ra quân chung" not in text
