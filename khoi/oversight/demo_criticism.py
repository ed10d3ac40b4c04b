"""The seed's 2017 social criticism and feedback: the critique of the town Party committee's
draft programme carrying out Resolution 04-NQ/TW (Central Committee, 12th term, 30/10/2016,
on building and rectifying the Party), and a feedback round under Decision 218-QĐ/TW.

The seed article names the critique and the two decisions; the dates of the draft, its
sections, the comments, the drafting body's answer, the feedback opinions and every person
or letter number below are illustrative and say so. Idempotent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from khoi.documents.models import Document
from khoi.org.models import AdminUnit, JointOffice, Organization, Person
from khoi.oversight import criticism_rules
from khoi.oversight.models.criticism import Critique
from khoi.oversight.models.feedback import FeedbackRound
from khoi.oversight.services import criticism as services
from khoi.oversight.services import feedback as feedback_services

D = datetime.date
ILLUSTRATIVE = (
    "Dữ liệu minh họa (demo): ngày tháng, nội dung dự thảo, ý kiến và số văn bản là giả định, "
    "không có trong bài báo gốc."
)
PROGRAMME_TITLE = (
    "Dự thảo Chương trình hành động của Ban Chấp hành Đảng bộ thị xã thực hiện Nghị quyết số "
    "04-NQ/TW ngày 30/10/2016 Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng (khóa XII) về "
    "tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính "
    "trị, đạo đức, lối sống, những biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ"
)
PROGRAMME_TEXT = "\n".join(
    [
        "Căn cứ Nghị quyết số 04-NQ/TW ngày 30/10/2016 của Ban Chấp hành Trung ương Đảng "
        "(khóa XII), Ban Chấp hành Đảng bộ thị xã xây dựng Chương trình hành động như sau "
        "(dự thảo minh họa).",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Quán triệt sâu sắc Nghị quyết đến toàn thể cán bộ, đảng viên; nhận diện rõ những "
        "biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa” để chủ động phòng ngừa.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Về công tác chính trị, tư tưởng, tự phê bình và phê bình.",
        "2. Về cơ chế, chính sách và công tác cán bộ.",
        "3. Về kiểm tra, giám sát, kỷ luật đảng.",
        "4. Phát huy vai trò của nhân dân, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các chi, đảng bộ trực thuộc xây dựng kế hoạch thực hiện; Ban Tuyên giáo Thị ủy "
        "theo dõi, tổng hợp, báo cáo Ban Thường vụ Thị ủy.",
    ]
)

# section index (None = the draft as a whole), author kind, organization kind or person, text
COMMENTS: list[tuple[int | None, str, str, str]] = [
    (None, "expert", "TS. Nguyễn Văn An (chuyên gia, nhân vật minh họa)",
     "Dự thảo cần xác định rõ lộ trình, sản phẩm và tiêu chí đánh giá kết quả thực hiện của "
     "từng năm, tránh hình thức."),
    (0, "organization", "youth",
     "Đề nghị bổ sung yêu cầu gắn việc thực hiện Chương trình với học tập và làm theo tư tưởng, "
     "đạo đức, phong cách Hồ Chí Minh trong đoàn viên, thanh niên."),
    (1, "member", "Nguyễn Văn Hùng",
     "Đề nghị bổ sung nhiệm vụ định kỳ lấy ý kiến nhận xét của chi ủy nơi cư trú và nhân dân "
     "đối với đảng viên, cán bộ chủ chốt."),
    (1, "organization", "women",
     "Đề nghị cụ thể hóa cơ chế để Mặt trận và các đoàn thể giám sát việc tu dưỡng, rèn luyện "
     "đạo đức, lối sống của người đứng đầu cấp ủy, chính quyền."),
    (2, "organization", "veterans",
     "Đề nghị quy định thời hạn sơ kết hằng năm và giao một cơ quan chủ trì tổng hợp, báo cáo "
     "kết quả thực hiện với Ban Thường vụ Thị ủy."),
]  # fmt: skip
# the drafting body's answer to each point, in the order above
ANSWERS = [
    ("accepted", ""),
    ("accepted", ""),
    ("partly", "Tiếp thu việc lấy ý kiến nơi cư trú đối với cán bộ chủ chốt; đối với đảng viên "
               "thực hiện theo hướng dẫn của Ban Tổ chức Tỉnh ủy."),
    ("accepted", ""),
    ("not_accepted", "Thời hạn sơ kết đã được quy định trong kế hoạch chung của Tỉnh ủy."),
]  # fmt: skip

ROUND_OPINIONS: list[tuple[str, str, str, str, datetime.date]] = [
    ("residents", "Hội nghị khu dân cư khu 3 (minh họa)", "Hà An",
     "Đề nghị cán bộ phường thường xuyên xuống khu dân cư, giải quyết kịp thời kiến nghị của "
     "nhân dân về đất đai.", D(2017, 9, 12)),
    ("residents", "Hội nghị khu dân cư thôn 2 (minh họa)", "Tiền Phong",
     "Đề nghị công khai danh sách đảng viên vi phạm đã bị xử lý kỷ luật.", D(2017, 9, 14)),
    ("organization", "", "farmers",
     "Đề nghị cán bộ, đảng viên gương mẫu trong thực hiện giải phóng mặt bằng các dự án "
     "trọng điểm.", D(2017, 9, 20)),
    ("organization", "", "women",
     "Đề nghị tăng cường đối thoại giữa người đứng đầu chính quyền với nhân dân.", D(2017, 9, 21)),
    ("citizen", "Ông Phạm Văn Dũng (công dân, nhân vật minh họa)", "",
     "Thủ tục hành chính về đất đai ở bộ phận một cửa còn chậm, đề nghị công khai thời hạn "
     "giải quyết.", D(2017, 9, 25)),
]  # fmt: skip


def _org(office: JointOffice, kind: str) -> Organization:
    return office.organizations.get(kind=kind)


@transaction.atomic
def load_criticism_demo() -> None:
    office = JointOffice.objects.filter(code="quang-yen").select_related("unit").first()
    if office is None or Critique.objects.filter(office=office).exists():
        return
    from django.apps import apps

    criticism_rules.load(apps)  # a flushed test database lost the migration's rows
    head = Person.objects.get(full_name="Lê Đức Trà").user
    critique = services.do_receive_draft(
        head, office, title=PROGRAMME_TITLE, draft_kind=Critique.DraftKind.PROGRAMME,
        drafting_body="Ban Thường vụ Thị ủy Quảng Yên", received_on=D(2017, 7, 31),
        due_on=D(2017, 8, 18), form=Critique.Form.CONFERENCE, held_on=D(2017, 8, 11),
        letter_notation="125-CV/TU", letter_date=D(2017, 7, 28), text=PROGRAMME_TEXT,
        note=ILLUSTRATIVE,
    )  # fmt: skip
    sections = list(critique.sections.exclude(heading=services.draftsections.PREAMBLE))
    for index, kind, who, text in COMMENTS:
        org = _org(office, who) if kind == "organization" else None
        services.do_add_comment(
            head, critique, content=text, author_kind=kind,
            author_name="" if org else who, organization=org,
            section=sections[index] if index is not None else None, given_on=D(2017, 8, 11),
        )  # fmt: skip
    # The seed's critique was numbered by hand in the register (documents' demo); the
    # critique uses that number when it is there.
    existing = Document.objects.filter(
        office=office, direction="out", doc_type="BC", summary__startswith="Kết quả phản biện"
    ).first()
    services.do_issue_critique(
        head, critique, issued_on=D(2017, 8, 18), signer="Nguyễn Văn Hùng", document=existing
    )
    _sections, points = services.ordered_points(critique)
    by_text = {p.content: p for p in points}
    answers = {
        by_text[text].pk: services.PointAnswer(response, note)
        for (_i, _k, _w, text), (response, note) in zip(COMMENTS, ANSWERS, strict=True)
    }
    services.do_record_answer(
        head, critique, answered_on=D(2017, 9, 5), answers=answers,
        summary="Ban Thường vụ Thị ủy tiếp thu 3 ý kiến, tiếp thu một phần 1 ý kiến, "
        "giải trình 1 ý kiến (minh họa).",
        letter_notation="160-CV/TU", recommendation_due_on=D(2017, 10, 5),
    )  # fmt: skip
    # A second, illustrative draft, sent with less time than the rule asks, still open.
    late = services.do_receive_draft(
        head, office, title="Dự thảo Kế hoạch xây dựng nông thôn mới, đô thị văn minh năm 2018",
        draft_kind=Critique.DraftKind.PLAN, drafting_body="UBND thị xã Quảng Yên",
        received_on=D(2017, 10, 16), due_on=D(2017, 10, 27), form=Critique.Form.WRITTEN,
        text="I. MỤC TIÊU\nHoàn thành các tiêu chí nông thôn mới theo lộ trình.\n"
        "II. NHIỆM VỤ\nHuy động nguồn lực, vận động nhân dân hiến đất làm đường.\n"
        "III. KINH PHÍ\nNgân sách thị xã và xã hội hóa.",
        note=ILLUSTRATIVE,
    )  # fmt: skip
    first = late.sections.order_by("order").first()
    services.do_add_comment(
        head, late, content="Đề nghị làm rõ cơ chế hỗ trợ hộ nghèo khi vận động hiến đất.",
        author_kind="organization", organization=_org(office, "farmers"), section=first,
        given_on=D(2017, 10, 18),
    )  # fmt: skip
    _load_feedback_round(office, head)


def _load_feedback_round(office: JointOffice, head: object) -> None:
    if FeedbackRound.objects.filter(office=office).exists():
        return
    round_ = feedback_services.do_open_round(
        head, office,
        title="Góp ý xây dựng Đảng, xây dựng chính quyền năm 2017 (Quyết định 218-QĐ/TW)",
        subject_kind=FeedbackRound.SubjectKind.CADRES,
        subject="Việc tu dưỡng, rèn luyện đạo đức, lối sống và thực hiện chức trách, nhiệm vụ "
        "của cán bộ, đảng viên thị xã, gắn với thực hiện Nghị quyết Trung ương 4 (khóa XII)",
        start_on=D(2017, 9, 1), end_on=D(2017, 9, 30),
        send_to="Ban Thường vụ Thị ủy Quảng Yên", note=ILLUSTRATIVE,
    )  # fmt: skip
    communes = {c.name: c for c in feedback_services.access.office_communes(office)}
    for kind, name, where, text, day in ROUND_OPINIONS:
        org = _org(office, where) if kind == "organization" else None
        commune = next((c for n, c in communes.items() if where and n.endswith(where)), None)
        reporter = _reporter(commune) if kind == "residents" else None
        feedback_services.do_add_opinion(
            reporter or head, round_, source_kind=kind, source_name=name, organization=org,
            commune=commune, content=text, received_on=day,
        )  # fmt: skip
    feedback_services.do_recommend_from_round(
        head, round_, body="UBND thị xã Quảng Yên",
        content="Công khai thời hạn giải quyết thủ tục hành chính về đất đai tại bộ phận một "
        "cửa; xử lý nghiêm cán bộ gây chậm trễ.",
        due_on=D(2017, 11, 16), issued_on=D(2017, 10, 16),
    )  # fmt: skip
    feedback_services.do_send_report(
        head, round_, reported_on=D(2017, 10, 16), signer="Nguyễn Văn Hùng"
    )


def _reporter(commune: AdminUnit | None) -> Any:
    """The commune's reporter login, when the demo has one (Hà An): they record their own
    commune's residents' meetings."""
    if commune is None:
        return None
    person = (
        Person.objects.filter(
            memberships__role="reporter",
            memberships__organization__unit=commune,
            user__isnull=False,
        )
        .select_related("user")
        .first()
    )
    return person.user if person else None
