from __future__ import annotations

import datetime
import io

from docx import Document as open_docx

from khoi.documents import reports
from khoi.documents.links import linked_objects
from khoi.documents.models import Document, PeriodicReport
from khoi.meetings.models import Meeting, Outcome
from khoi.org.demo import load_demo


def test_the_demo_has_the_seeds_documents_briefings_and_the_october_report(db: None) -> None:
    load_demo()
    notations = set(Document.objects.values_list("notation", flat=True))
    assert {"11-NQ/TU", "217-QĐ/TW", "218-QĐ/TW", "04-NQ/TW", "45/KH-MTTQ"} <= notations
    nq11 = Document.objects.get(notation="11-NQ/TU")
    assert any(p.directive == "11-NQ/TU" for p in linked_objects(nq11)["plans"])
    briefings = Meeting.objects.filter(kind="briefing")
    assert briefings.count() == 52
    held = briefings.filter(status="closed")
    assert held.count() == 42  # every Monday briefing up to 16/10/2017 (the demo's week)
    assert Outcome.objects.filter(kind="decision").count() == 42
    last = held.order_by("-starts_at").first()
    assert last is not None and last.starts_at.astimezone().date() == datetime.date(2017, 10, 16)
    assert last.items.filter(source__startswith="work.").exists()
    assert last.outcomes.filter(kind="task", task__isnull=False).exists()
    report = PeriodicReport.objects.get(period="2017-10")
    assert report.status == "issued" and report.document is not None
    assert report.document.notation == "47/BC-MTTQ"
    doc = open_docx(io.BytesIO(reports.build_docx(report)))
    assert "Số: 47/BC-MTTQ" in doc.tables[0].cell(1, 0).text
    load_demo()  # idempotent
    assert Meeting.objects.count() == 52 and Document.objects.count() == len(notations)
