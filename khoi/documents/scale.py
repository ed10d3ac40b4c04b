"""The document register's scale generator (``generate_scale``, khoi/ops/scale.py).

Per commune office and year: ``density["documents"]`` documents (100,000 nationally), two in
three incoming (from the commune's People's Committee, the Party committee, the provincial
Front; each issuer numbers its own series; the office gives the incoming serial number in
the order of reception) and one in three outgoing (the office's plans, notices and reports,
numbered in the office's series as ``numbering`` numbers them, with the counters left where
the next number must start). Notations are canonical (``docnumber.format``). Written with
``scale.bulk_insert`` (COPY on PostgreSQL); no audit entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from khoi.ops.scale import ScaleContext, bulk_insert, register_generator

# (system, type, issuer, issuing body) of the documents an office receives
INCOMING = [
    ("state", "KH", "UBND", "Ủy ban nhân dân xã"),
    ("state", "TB", "UBND", "Ủy ban nhân dân xã"),
    ("state", None, "UBND", "Ủy ban nhân dân xã"),
    ("party", "CV", "ĐU", "Đảng ủy xã"),
    ("party", "TB", "ĐU", "Đảng ủy xã"),
    ("state", "HD", "MTTQ-BTT", "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh"),
]
OUTGOING_TYPES = ["KH", "TB", "BC", "GM"]
SUBJECTS = [
    "triển khai Cuộc vận động Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
    "tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
    "vận động ủng hộ Quỹ Vì người nghèo",
    "giám sát việc thực hiện chính sách hỗ trợ nhà ở cho hộ nghèo",
    "tiếp công dân định kỳ và giải quyết đơn thư",
    "tổng kết công tác Mặt trận năm",
    "hướng dẫn lấy ý kiến nhân dân về dự thảo văn bản",
    "kiện toàn Ban công tác Mặt trận ở khu dân cư",
]
KIND_WORDS = {"KH": "Kế hoạch", "TB": "Thông báo", "BC": "Báo cáo", "GM": "Giấy mời",
              "HD": "Hướng dẫn", "CV": "Công văn", None: "Công văn"}  # fmt: skip


def generate_documents(ctx: ScaleContext) -> dict[str, int]:
    from khoi.documents import numbering
    from khoi.documents.models import Document, NumberCounter
    from khoi.documents.services import incoming_series
    from khoi.lib import docnumber
    from khoi.lib.vntext import fold, nfc

    rng = ctx.rng
    per_office = ctx.density["documents"]
    if per_office <= 0:
        return {}
    first = dt.date(ctx.year, 1, 1)
    documents: list[Any] = []
    counters: list[Any] = []
    for commune in ctx.communes:
        office = ctx.offices[commune.pk]
        days = sorted(rng.randrange(365) for _ in range(per_office))
        issuer_numbers: dict[tuple[str, str | None, str], int] = {}
        series: dict[str, int] = {}
        incoming = 0
        for offset in days:
            day = first + dt.timedelta(days=offset)
            topic = rng.choice(SUBJECTS)
            if rng.random() < 2 / 3:
                system, doc_type, issuer, body = rng.choice(INCOMING)
                key3 = (system, doc_type, issuer)
                issuer_numbers[key3] = issuer_numbers.get(key3, 0) + rng.randint(1, 4)
                number = issuer_numbers[key3]
                parsed = docnumber.DocumentNumber(system, number, None, doc_type, issuer)  # type: ignore[arg-type]
                issued = max(first, day - dt.timedelta(days=rng.randint(0, 3)))
                incoming += 1
                key, direction, received = "", Document.Direction.IN, day
                recipients, signer = "", ""
            else:
                system, doc_type, issuer = "state", rng.choice(OUTGOING_TYPES), "MTTQ"
                body = f"Ủy ban MTTQ {commune.name}"
                key = numbering.series_key(system, issuer, doc_type, day)
                series[key] = number = series.get(key, 0) + 1
                parsed = docnumber.DocumentNumber(system, number, None, doc_type, issuer)  # type: ignore[arg-type]
                issued, direction, received = day, Document.Direction.OUT, None
                recipients = "Các tổ chức thành viên; Ban công tác Mặt trận các khu dân cư"
                signer = nfc(f"{rng.choice(ctx.staff[commune.pk]).full_name}")
            notation = docnumber.format(parsed)
            summary = nfc(f"{KIND_WORDS[doc_type]} về việc {topic}")
            documents.append(
                Document(
                    office=office, direction=direction, notation_raw=notation, notation=notation,
                    system=system, number=number, year=None, doc_type=doc_type or "",
                    issuer_code=issuer, numbering_key=key,
                    incoming_year=ctx.year if direction == "in" else None,
                    incoming_number=incoming if direction == "in" else None,
                    issued_on=issued, received_on=received, issuing_body=nfc(body),
                    summary=summary, summary_folded=fold(summary), recipients=recipients,
                    signer=signer,
                )
            )  # fmt: skip
        counters += [NumberCounter(office=office, key=k, last_number=n) for k, n in series.items()]
        if incoming:
            counters.append(
                NumberCounter(office=office, key=incoming_series(ctx.year), last_number=incoming)
            )
    bulk_insert(Document, documents)
    bulk_insert(NumberCounter, counters)
    return {"documents.Document": len(documents), "documents.NumberCounter": len(counters)}


def register() -> None:
    register_generator("documents", generate_documents, after=("org",))
