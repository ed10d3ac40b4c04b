"""The seed's land-clearance petitions (Quảng Yên, 2017).

"From the start of 2017 the office has worked with the town's People's Committee on
complaints, denunciations and petitions about land clearance for the town medical centre
and the Tiền Phong seaport industrial park." The scenario is seen as of ``DEMO_TODAY``
(20/10/2017): several petitions come from the same households, one is signed by 46
households (and handed in again), a reception session produced petitions, denunciations
carry protected identities (one assigned to the case handler ``canboxuly``, one anonymous
and kept on file), and the running deadlines are on time, near and overdue on that day.
The demo is loaded on that day (``khoi.clock.use_date``) and ``make run`` serves it on it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from khoi import clock
from khoi.accounts.models import User
from khoi.org.demo import DEMO_DATE
from khoi.org.models import AdminUnit, JointOffice
from khoi.petitions import services
from khoi.petitions.models import Channel, KeyProject, Kind, Petition, ReceptionSession

D = datetime.date
DEMO_TODAY = DEMO_DATE
P = services.PetitionerData


@dataclass
class Step:
    action: str
    on: datetime.date
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Demo:
    key: str
    kind: str
    channel: str
    received: datetime.date
    project: str
    units: tuple[str, ...]
    subject: str
    content: str
    people: tuple[services.PetitionerData, ...] = ()
    signatories: int | None = None
    steps: tuple[Step, ...] = ()
    handler: bool = False
    from_session: bool = False


MEDICAL = "Dự án Trung tâm Y tế thị xã Quảng Yên"
PORT = "Dự án Khu công nghiệp cảng biển Tiền Phong"
# First-instance complaints about the town's decisions are resolved by the Chairman of the
# town People's Committee (Law on Complaints 2011, art. 18), a person's office, not the body.
UBND = "Chủ tịch Ủy ban nhân dân thị xã Quảng Yên"
COMPENSATION = (
    "Gia đình tôi có 320 m² đất ở và đất vườn tại khu 5 phường Yên Giang bị thu hồi để xây "
    "dựng Trung tâm Y tế thị xã. Phương án bồi thường áp giá đất vườn cho toàn bộ diện tích, "
    "trong khi 200 m² đã được cấp giấy chứng nhận là đất ở từ năm 1998. Đề nghị xem xét lại "
    "đơn giá bồi thường và bố trí đất tái định cư."
)
GROUP = (
    "Chúng tôi, 46 hộ dân khu 4 và khu 5 phường Yên Giang có đất bị thu hồi cho dự án Trung "
    "tâm Y tế thị xã, không đồng ý với vị trí khu tái định cư tại khu đồng trũng thường xuyên "
    "ngập nước, chưa có đường giao thông và hệ thống thoát nước. Đề nghị điều chỉnh vị trí "
    "khu tái định cư và hoàn thiện hạ tầng trước khi bàn giao mặt bằng."
)

PETITIONS: tuple[Demo, ...] = (
    Demo(
        "medical-1",
        Kind.COMPLAINT,
        Channel.POST,
        D(2017, 3, 10),
        MEDICAL,
        ("Phường Yên Giang",),
        "Quyết định phê duyệt phương án bồi thường, hỗ trợ GPMB dự án Trung tâm Y tế thị xã",
        COMPENSATION,
        (P("Nguyễn Văn Thành", "Khu 5, phường Yên Giang, thị xã Quảng Yên", "0912345601"),),
        steps=(
            Step("classify", D(2017, 3, 13)),
            Step("forward", D(2017, 3, 15), {"authority": UBND, "letter_number": "41/MTTQ-BTT"}),
            Step("accept", D(2017, 3, 24)),
            Step(
                "resolve",
                D(2017, 4, 21),
                {
                    "note": "Chủ tịch UBND thị xã ban hành quyết định giải "
                    "quyết khiếu nại lần đầu: công nhận 200 m² đất ở, điều chỉnh đơn giá bồi thường."
                },
            ),
            Step("close", D(2017, 5, 5), {"note": "Công dân đồng ý với kết quả giải quyết."}),
        ),
    ),
    Demo(
        "medical-1-again",
        Kind.COMPLAINT,
        Channel.HANDED,
        D(2017, 4, 3),
        MEDICAL,
        ("Phường Yên Giang",),
        "Phương án bồi thường, hỗ trợ GPMB dự án Trung tâm Y tế thị xã (đơn gửi lại)",
        "Gia đình tôi ở khu 5 phường Yên Giang có đất bị thu hồi để xây Trung tâm Y tế thị xã. "
        "Phương án bồi thường áp giá đất vườn cho cả phần đất ở đã được cấp giấy chứng nhận. "
        "Đề nghị xem xét lại đơn giá bồi thường và bố trí tái định cư.",
        (P("Nguyễn Thị Lụa", "Khu 5, phường Yên Giang, thị xã Quảng Yên", "0912345602"),),
    ),
    Demo(
        "medical-group",
        Kind.COMPLAINT,
        Channel.HANDED,
        D(2017, 10, 9),
        MEDICAL,
        ("Phường Yên Giang",),
        "Vị trí khu tái định cư dự án Trung tâm Y tế thị xã",
        GROUP,
        (
            P("Trần Văn Quyết", "Khu 4, phường Yên Giang"),
            P("Vũ Thị Minh", "Khu 5, phường Yên Giang"),
        ),
        signatories=46,
    ),
    Demo(
        "medical-group-copy",
        Kind.COMPLAINT,
        Channel.POST,
        D(2017, 10, 12),
        MEDICAL,
        ("Phường Yên Giang",),
        "Vị trí khu tái định cư dự án Trung tâm Y tế thị xã",
        GROUP,
        (P("Đỗ Văn Khang", "Khu 3, phường Yên Giang"),),
        signatories=46,
    ),
    Demo(
        "port-decision",
        Kind.COMPLAINT,
        Channel.POST,
        D(2017, 8, 14),
        PORT,
        ("Xã Tiền Phong",),
        "Quyết định thu hồi đất nuôi trồng thủy sản cho dự án Khu công nghiệp cảng biển Tiền Phong",
        "Gia đình tôi nhận khoán 1,2 ha đầm nuôi trồng thủy sản tại xã Tiền Phong, hợp đồng còn "
        "thời hạn đến năm 2022. Quyết định thu hồi đất không tính bồi thường chi phí đầu tư vào "
        "đất còn lại và tài sản trên đầm. Đề nghị hủy bỏ và ban hành lại quyết định.",
        (P("Phạm Văn Cường", "Thôn 3, xã Tiền Phong, thị xã Quảng Yên", "0983111222"),),
        steps=(
            Step("classify", D(2017, 8, 15)),
            Step("forward", D(2017, 8, 18), {"authority": UBND, "letter_number": "112/MTTQ-BTT"}),
            Step("accept", D(2017, 8, 28)),
        ),
    ),
    Demo(
        "port-household",
        Kind.COMPLAINT,
        Channel.HANDED,
        D(2017, 10, 10),
        PORT,
        ("Xã Tiền Phong",),
        "Bồi thường đầm nuôi trồng thủy sản dự án Khu công nghiệp cảng biển Tiền Phong",
        "Đầm nuôi trồng thủy sản 1,2 ha tại xã Tiền Phong bị thu hồi nhưng quyết định thu hồi "
        "đất không bồi thường chi phí đầu tư vào đất còn lại và tài sản trên đầm. Đề nghị xem "
        "xét bồi thường chi phí đầu tư.",
        (P("Phạm Thị Hồng", "Thôn 3, xã Tiền Phong, thị xã Quảng Yên"),),
    ),
    Demo(
        "port-jobs",
        Kind.REQUEST,
        Channel.RECEPTION,
        D(2017, 10, 17),
        PORT,
        ("Xã Tiền Phong",),
        "Hỗ trợ chuyển đổi nghề cho hộ bị thu hồi đất dự án Khu công nghiệp cảng biển Tiền Phong",
        "Đề nghị thị xã mở lớp đào tạo nghề và ưu tiên tuyển dụng lao động địa phương vào các "
        "doanh nghiệp trong khu công nghiệp cho các hộ mất đất sản xuất.",
        (P("Lê Văn Toàn", "Thôn 1, xã Tiền Phong"),),
        from_session=True,
    ),
    Demo(
        "port-dust",
        Kind.REPORT,
        Channel.RECEPTION,
        D(2017, 10, 17),
        PORT,
        ("Xã Tiền Phong",),
        "Bụi và xe chở vật liệu san lấp mặt bằng Khu công nghiệp cảng biển Tiền Phong",
        "Xe chở cát san lấp chạy qua thôn 2 không che phủ, gây bụi và hư hỏng đường liên thôn.",
        (P("Nguyễn Thị Xuân", "Thôn 2, xã Tiền Phong"),),
        from_session=True,
        steps=(
            Step("classify", D(2017, 10, 17)),
            Step(
                "guide",
                D(2017, 10, 18),
                {
                    "note": "Hướng dẫn công dân phản ánh đến UBND xã "
                    "Tiền Phong; Cơ quan Khối đã trao đổi với chủ đầu tư về che phủ xe."
                },
            ),
        ),
    ),
    Demo(
        "denounce-survey",
        Kind.DENUNCIATION,
        Channel.POST,
        D(2017, 10, 2),
        PORT,
        ("Xã Tiền Phong",),
        "Cán bộ địa chính xã đo đạc, kiểm đếm sai diện tích đầm nuôi trồng thủy sản",
        "Trong đợt kiểm đếm tháng 9/2017 cán bộ địa chính xã ghi tăng diện tích đầm của một số "
        "hộ có quan hệ thân quen và ghi giảm diện tích của các hộ khác.",
        (
            P(
                "Hoàng Văn Sơn",
                "Thôn 4, xã Tiền Phong, thị xã Quảng Yên",
                "0904555666",
                "022079001234",
            ),
        ),
        handler=True,
        steps=(
            Step("classify", D(2017, 10, 3)),
            Step(
                "forward",
                D(2017, 10, 5),
                # a commune official: the commune's chairman resolves (Law on Denunciation 2011)
                {
                    "authority": "Chủ tịch Ủy ban nhân dân xã Tiền Phong",
                    "letter_number": "135/MTTQ-BTT",
                },
            ),
        ),
    ),
    Demo(
        "denounce-new",
        Kind.DENUNCIATION,
        Channel.HANDED,
        D(2017, 10, 18),
        MEDICAL,
        ("Phường Yên Giang",),
        "Tổ công tác GPMB nhận tiền của hộ dân để hợp thức hóa diện tích đất ở",
        "Một thành viên tổ công tác GPMB dự án Trung tâm Y tế thị xã nhận tiền của một số hộ để "
        "ghi diện tích đất ở vượt hạn mức trong biên bản kiểm đếm.",
        (P("Bùi Thị Nhung", "Khu 4, phường Yên Giang, thị xã Quảng Yên", "0977888999"),),
        handler=True,
    ),
    Demo(
        "denounce-anonymous",
        Kind.DENUNCIATION,
        Channel.POST,
        D(2017, 9, 12),
        MEDICAL,
        ("Phường Yên Giang",),
        "Đơn không ký tên tố cáo cán bộ phường trong công tác GPMB",
        "Đơn không ghi họ tên, địa chỉ người tố cáo; nội dung chung chung, không có thông tin "
        "cụ thể về người bị tố cáo.",
        steps=(
            Step(
                "file",
                D(2017, 9, 15),
                {
                    "note": "Đơn tố cáo không rõ họ, tên, địa chỉ người tố cáo: không thụ lý, "
                    "lưu đơn để theo dõi (Luật Tố cáo 2011, Điều 20)."
                },
            ),
        ),
    ),
)

RECEPTION: dict[str, Any] = {
    "held_on": D(2017, 10, 17),
    "place": "Trụ sở tiếp công dân thị xã Quảng Yên",
    "officials": "Lê Đức Trà (Phó Chủ tịch Thường trực Ủy ban MTTQ thị xã); Trần Văn Nam (cán bộ "
    "Cơ quan Khối); đại diện Phòng Tài nguyên và Môi trường thị xã",
    "citizens_count": 6,
    "summary": "Công dân xã Tiền Phong phản ánh về hỗ trợ chuyển đổi nghề, bụi do xe chở vật liệu "
    "san lấp và tiến độ chi trả tiền bồi thường dự án Khu công nghiệp cảng biển Tiền Phong.",
}


def _units(office: JointOffice, names: tuple[str, ...]) -> list[AdminUnit]:
    inside = AdminUnit.objects.subtree(office.unit)
    return list(inside.filter(name__in=names))


@transaction.atomic
def load_petitions_demo() -> None:
    office = JointOffice.objects.filter(code="quang-yen").first()
    staff = User.objects.filter(username="canbo").first()
    head = User.objects.filter(username="truongkhoi").first()
    handler = User.objects.filter(username="canboxuly").first()
    if office is None or staff is None or head is None:
        return
    if Petition.objects.filter(office=office, year=2017).exists():
        _load_live_examples(office, staff)
        return
    projects = {
        MEDICAL: (("Phường Yên Giang", "Phường Quảng Yên"), KeyProject.Status.CLEARANCE),
        PORT: (("Xã Tiền Phong", "Xã Liên Hòa"), KeyProject.Status.CLEARANCE),
    }
    by_name: dict[str, KeyProject] = {}
    for name, (units, status) in projects.items():
        found = KeyProject.objects.filter(office=office, name=name).first()
        by_name[name] = found or services.do_create_key_project(
            staff,
            office,
            name=name,
            units=_units(office, units),
            status=status,
            description="Dự án trọng điểm của thị xã năm 2017 (công tác GPMB).",
        )
    session: ReceptionSession = services.do_create_reception(staff, office, **RECEPTION)
    for demo in PETITIONS:
        petition = services.do_create_petition(
            staff,
            office,
            services.Intake(
                kind=demo.kind,
                channel=demo.channel,
                received_on=demo.received,
                subject=demo.subject,
                content=demo.content,
                petitioners=demo.people,
                units=_units(office, demo.units),
                key_project=by_name[demo.project],
                reception=session if demo.from_session else None,
                signatory_count=demo.signatories,
            ),
            today=DEMO_TODAY,
        )
        if demo.handler and handler is not None:
            services.do_assign_handler(head, petition, handler)
        for step in demo.steps:
            actor = head if step.action in ("close", "file", "supervise") else staff
            services.do_action(actor, petition, step.action, on=step.on, **step.fields)
    _load_live_examples(office, staff)


LIVE_SUBJECT = "Kiến nghị về tiến độ chi trả tiền bồi thường GPMB (đơn gửi gần đây)"


def _received_for(calendar: Any, today: datetime.date, state: str) -> datetime.date:
    """The latest working day whose reply deadline (10 working days) is in ``state`` today."""
    from khoi.lib.workdays import compute_deadline

    day = today
    for _ in range(90):
        due = compute_deadline("reception-reply", day, calendar=calendar).due
        left = (due - today).days
        if calendar.is_working_day(day) and (
            (state == "on_time" and left > 5)
            or (state == "near" and 0 <= left <= 5)
            or (state == "overdue" and left < 0)
        ):
            return day
        day -= datetime.timedelta(days=1)
    return day


def _load_live_examples(office: JointOffice, staff: User) -> None:
    """Three recent requests, dated back from the product's date (the demo's day when
    loaded by ``load_demo``), so that the lists show a deadline on time, one near and one
    overdue on that day."""
    if Petition.objects.filter(office=office, subject=LIVE_SUBJECT).exists():
        return

    today = clock.today()
    calendar = services.work_calendar()
    project = KeyProject.objects.filter(office=office, name=PORT).first()
    for state, household in (
        ("on_time", "Đào Văn Sáu"),
        ("near", "Ngô Thị Lụa"),
        ("overdue", "Phạm Văn Mười"),
    ):
        services.do_create_petition(
            staff,
            office,
            services.Intake(
                kind=Kind.REQUEST,
                channel=Channel.POST,
                received_on=_received_for(calendar, today, state),
                subject=LIVE_SUBJECT,
                content=(
                    f"Hộ gia đình ông/bà {household} tại xã Tiền Phong đề nghị Ủy ban MTTQ "
                    "đôn đốc Ủy ban nhân dân chi trả dứt điểm tiền bồi thường, hỗ trợ đợt 2."
                ),
                petitioners=(P(name=household, address="Xã Tiền Phong, thị xã Quảng Yên"),),
                units=_units(office, ("Xã Tiền Phong",)),
                key_project=project,
            ),
            today=today,
        )
