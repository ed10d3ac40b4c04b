"""The seed's documents, the plans that carry them out, and the October 2017 report.

The notations, issuing bodies and subjects are those of the seed article; 217-QĐ/TW and
218-QĐ/TW (Politburo, 12/12/2013) and 04-NQ/TW (Central Committee, 30/10/2016) carry
their real dates, the date of 11-NQ/TU is illustrative. Idempotent.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction

from khoi.documents import services
from khoi.documents.models import Document
from khoi.org.models import JointOffice, Person

D = datetime.date

INCOMING = [
    ("11-NQ/TU", D(2016, 12, 20), D(2016, 12, 23), "Ban Chấp hành Đảng bộ thị xã Quảng Yên",
     "Nghị quyết về phương hướng, nhiệm vụ năm 2017"),
    ("217-QĐ/TW", D(2013, 12, 12), D(2013, 12, 20), "Bộ Chính trị",
     "Quyết định ban hành Quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc Việt Nam "
     "và các đoàn thể chính trị - xã hội"),
    ("218-QĐ/TW", D(2013, 12, 12), D(2013, 12, 20), "Bộ Chính trị",
     "Quyết định ban hành Quy định về việc Mặt trận Tổ quốc Việt Nam, các đoàn thể chính trị "
     "- xã hội và nhân dân tham gia góp ý xây dựng Đảng, xây dựng chính quyền"),
    ("04-NQ/TW", D(2016, 10, 30), D(2016, 11, 8), "Ban Chấp hành Trung ương Đảng (khóa XII)",
     "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII về tăng cường xây "
     "dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, "
     "lối sống, những biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ"),
]  # fmt: skip


@transaction.atomic
def load_documents_demo() -> None:
    office = JointOffice.objects.get(code="quang-yen")
    if Document.objects.filter(office=office).exists():
        return
    head = Person.objects.get(full_name="Lê Đức Trà").user
    # The demo links the seed's documents to the seed's plans, activities and meetings,
    # which the other capabilities' demos loaded before (by label: no import of them).
    Plan, Activity = apps.get_model("work", "Plan"), apps.get_model("work", "Activity")
    Meeting = apps.get_model("meetings", "Meeting")
    plans = list(Plan.objects.filter(office=office).order_by("start_on"))
    plan_hvn = next((p for p in plans if p.directive == "11-NQ/TU"), None)
    supervision = list(Activity.objects.filter(office=office, kind="supervision"))
    briefings = {m.starts_at.astimezone().date(): m for m in Meeting.objects.filter(office=office)}
    docs: dict[str, Document] = {}
    for notation, issued, received, body, summary in INCOMING:
        month = briefings.get(D(2017, 3, 6)) if notation in ("217-QĐ/TW", "218-QĐ/TW") else None
        docs[notation] = services.do_register_document(
            head, office, direction="in", notation=notation, issued_on=issued,
            received_on=received, issuing_body=body, summary=summary,
            links={
                "plans": plans if notation == "11-NQ/TU" else [],
                "activities": supervision if notation == "217-QĐ/TW" else [],
                "meetings": [month] if month else [],
            },
        )  # fmt: skip
    if plan_hvn is not None:
        services.do_register_document(
            head, office, direction="out", notation=plan_hvn.number or "45/KH-MTTQ",
            issued_on=plan_hvn.start_on, issuing_body="Ban Thường trực Ủy ban MTTQ thị xã",
            summary=plan_hvn.title, signer="Nguyễn Văn Hùng", links={"plans": [plan_hvn]},
            recipients="Các tổ chức thành viên; UBMTTQ các xã, phường; Lưu: VT.",
        )  # fmt: skip
    critique_meeting = briefings.get(D(2017, 8, 7))
    services.do_issue_document(
        head, office, system="state", doc_type="BC", issuer_code="MTTQ",
        issued_on=D(2017, 8, 18), issuing_body="Ban Thường trực Ủy ban MTTQ thị xã",
        summary="Kết quả phản biện xã hội Dự thảo Chương trình hành động của Thị ủy thực hiện "
        "Nghị quyết số 04-NQ/TW (khóa XII)",
        signer="Nguyễn Văn Hùng", recipients="Thường trực Thị ủy; Lưu: VT.",
        links={"meetings": [critique_meeting] if critique_meeting else []},
    )  # fmt: skip
    report = services.do_prepare_report(head, office, "2017-10")
    services.do_edit_narrative(
        head, report, "work.joint",
        [
            "Cơ quan Khối nhận diện các hoạt động tương đồng của các tổ chức để chuyển hóa "
            "thành việc chung, tránh chồng chéo, trùng lặp; tiêu biểu là việc tuyên truyền, "
            "tập huấn ngư dân bảo vệ nguồn lợi thủy sản tại 7 xã, phường ven biển.",
        ],
    )  # fmt: skip
    services.do_issue_report(head, report, D(2017, 10, 13), signer="Lê Đức Trà")
