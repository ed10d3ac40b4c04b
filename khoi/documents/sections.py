"""The document register's section of the periodic report: documents received and issued."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q

from khoi.documents.models import Document
from khoi.lib.doctypes import type_name
from khoi.registry import ReportSection, ReportTable


def documents_section(office: Any, start: datetime.date, end: datetime.date) -> ReportSection:
    """Counts by direction and type, and the list of documents issued (2 queries).

    Incoming documents count in the period they were received (their date when the
    reception date is missing), outgoing ones in the period they were issued.
    """
    span = (start, end)
    docs = Document.objects.filter(office=office).filter(
        Q(direction="out", issued_on__range=span)
        | Q(direction="in", received_on__range=span)
        | Q(direction="in", received_on=None, issued_on__range=span)
    )
    rows = list(
        docs.values("system", "doc_type")
        .annotate(
            received=Count("pk", filter=Q(direction="in")),
            issued=Count("pk", filter=Q(direction="out")),
        )
        .order_by("system", "doc_type")
    )
    issued = list(
        docs.filter(direction="out").values("notation", "issued_on", "summary")
        .order_by("issued_on", "number")[:50]
    )  # fmt: skip
    received = sum(r["received"] for r in rows)
    sent = sum(r["issued"] for r in rows)

    def label(r: Any) -> str:
        if not r["doc_type"]:
            return "Công văn"
        return type_name(r["system"], r["doc_type"]) or r["doc_type"]

    return ReportSection(
        key="documents.register",
        order=60,
        heading="Công tác văn bản",
        paragraphs=[
            f"Trong kỳ, Cơ quan Khối tiếp nhận {received} văn bản đến và ban hành {sent} "
            "văn bản đi."
        ],
        tables=[
            ReportTable(
                "Văn bản theo loại",
                ["Loại văn bản", "Văn bản đến", "Văn bản đi"],
                [[label(r), r["received"], r["issued"]] for r in rows],
                [95, 35, 35],
            ),
            ReportTable(
                "Văn bản đã ban hành",
                ["Số, ký hiệu", "Ngày", "Trích yếu"],
                [
                    [d["notation"], d["issued_on"].strftime("%d/%m/%Y"), d["summary"]]
                    for d in issued
                ],
                [35, 27, 103],
            ),
        ],
        figures={"Văn bản đến": received, "Văn bản đi": sent},
    )
