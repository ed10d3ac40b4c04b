"""The seed's 2017 land clearance (load_demo): the coordination rules between the town
People's Committee and the joint office on land clearance ("Quy chế phối hợp giữa UBND
thị xã với Cơ quan Khối trong công tác GPMB", named by the seed; its number and date here
are illustrative), registered in the document register and linked to the rules and to the
two key projects; their obligations; affected households of both projects across their
communes (every name illustrative, marked "(minh họa)"), their stages, a few visits and a
dialogue. Runs after the petitions demo (the key projects) and is idempotent.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from khoi.accounts.models import User
from khoi.org.models import AdminUnit, JointOffice
from khoi.petitions import clearance as services
from khoi.petitions.demo import MEDICAL, PORT
from khoi.petitions.models import AffectedHousehold, CoordinationRules, KeyProject, Stage

D = datetime.date
MARK = "(minh họa)"
RULES_TITLE = (
    "Quy chế phối hợp giữa UBND thị xã với Cơ quan Khối trong công tác GPMB đảm bảo tiến độ "
    "thi công các dự án động lực trên địa bàn"
)

OBLIGATIONS = [
    # owner, content, due, done on (None: open)
    ("UBND thị xã (Hội đồng bồi thường, hỗ trợ và tái định cư)",
     "Cung cấp cho Cơ quan Khối phương án bồi thường, hỗ trợ của từng dự án trước khi niêm yết",
     D(2017, 4, 15), D(2017, 4, 12)),
    ("Cơ quan Khối (Ủy ban MTTQ và các đoàn thể thị xã)",
     "Chỉ đạo Ủy ban MTTQ các xã, phường tổ chức vận động các hộ bị ảnh hưởng nhận tiền bồi "
     "thường và bàn giao mặt bằng", D(2017, 6, 30), D(2017, 6, 28)),
    ("UBND thị xã",
     "Tổ chức đối thoại với các hộ chưa đồng thuận về đơn giá bồi thường dự án Khu công nghiệp "
     "cảng biển Tiền Phong", D(2017, 9, 30), None),
    ("Ủy ban MTTQ thị xã",
     "Tổng hợp ý kiến, kiến nghị của nhân dân về công tác GPMB gửi UBND thị xã",
     D(2017, 10, 25), None),
    ("UBND thị xã",
     "Trả lời bằng văn bản các kiến nghị của Mặt trận về GPMB trong quý III",
     D(2017, 10, 31), None),
]  # fmt: skip

# project, commune, head (illustrative), area, stages reached in order with their dates
HOUSEHOLDS: list[tuple[str, str, str, str, list[tuple[str, datetime.date]]]] = [
    (PORT, "Xã Tiền Phong", "Đào Văn Sáu", "Thôn 1", [
        ("inventoried", D(2017, 3, 10)), ("plan_posted", D(2017, 5, 8)),
        ("agreed", D(2017, 6, 2)), ("paid", D(2017, 7, 14)), ("handed_over", D(2017, 8, 1))]),
    (PORT, "Xã Tiền Phong", "Ngô Thị Lụa", "Thôn 1", [
        ("inventoried", D(2017, 3, 10)), ("plan_posted", D(2017, 5, 8)),
        ("agreed", D(2017, 6, 20)), ("paid", D(2017, 9, 5))]),
    (PORT, "Xã Tiền Phong", "Phạm Văn Mười", "Thôn 2", [
        ("inventoried", D(2017, 3, 12)), ("plan_posted", D(2017, 5, 8)),
        ("complaint", D(2017, 6, 15))]),
    (PORT, "Xã Tiền Phong", "Vũ Văn Hải", "Thôn 2", [
        ("inventoried", D(2017, 3, 12)), ("plan_posted", D(2017, 5, 8))]),
    (PORT, "Xã Tiền Phong", "Trần Thị Thu", "Thôn 3", [("inventoried", D(2017, 3, 14))]),
    (PORT, "Xã Liên Hòa", "Lê Văn Tám", "Thôn Hải Yến", [
        ("inventoried", D(2017, 4, 3)), ("plan_posted", D(2017, 6, 1)),
        ("agreed", D(2017, 7, 3)), ("paid", D(2017, 8, 10)), ("handed_over", D(2017, 9, 1))]),
    (PORT, "Xã Liên Hòa", "Nguyễn Thị Hoa", "Thôn Hải Yến", [
        ("inventoried", D(2017, 4, 3)), ("plan_posted", D(2017, 6, 1)),
        ("complaint", D(2017, 7, 20))]),
    (PORT, "Xã Liên Hòa", "Hoàng Văn Khánh", "Thôn Vị Khê", []),
    (MEDICAL, "Phường Yên Giang", "Bùi Văn Lực", "Khu 5", [
        ("inventoried", D(2017, 2, 20)), ("plan_posted", D(2017, 4, 10)),
        ("agreed", D(2017, 5, 2)), ("paid", D(2017, 6, 5)), ("handed_over", D(2017, 6, 30))]),
    (MEDICAL, "Phường Yên Giang", "Đỗ Thị Nhàn", "Khu 5", [
        ("inventoried", D(2017, 2, 20)), ("plan_posted", D(2017, 4, 10)),
        ("agreed", D(2017, 5, 15)), ("paid", D(2017, 6, 20))]),
    (MEDICAL, "Phường Yên Giang", "Phạm Văn Cường", "Khu 6", [
        ("inventoried", D(2017, 2, 22)), ("plan_posted", D(2017, 4, 10))]),
    (MEDICAL, "Phường Quảng Yên", "Vương Thị Hạnh", "Khu 2", [
        ("inventoried", D(2017, 2, 24)), ("plan_posted", D(2017, 4, 12)),
        ("agreed", D(2017, 5, 20))]),
    (MEDICAL, "Phường Quảng Yên", "Trịnh Văn Quý", "Khu 2", [
        ("inventoried", D(2017, 2, 24))]),
]  # fmt: skip


def _unit(office: JointOffice, name: str) -> AdminUnit | None:
    return AdminUnit.objects.subtree(office.unit).filter(name=name).first()


@transaction.atomic
def load_clearance_demo() -> None:
    office = JointOffice.objects.filter(code="quang-yen").first()
    staff = User.objects.filter(username="canbo").first()
    head = User.objects.filter(username="truongkhoi").first()
    if office is None or staff is None or head is None:
        return
    if CoordinationRules.objects.filter(office=office).exists():
        return
    projects = {
        p.name: p for p in KeyProject.objects.filter(office=office, name__in=[PORT, MEDICAL])
    }
    if len(projects) < 2:
        return
    rules = services.do_create_rules(
        staff, office, title=RULES_TITLE, counterpart="Ủy ban nhân dân thị xã Quảng Yên",
        signed_on=D(2017, 3, 1), projects=list(projects.values()),
        note="Tên quy chế theo bài báo gốc; số và ngày ký là minh họa.",
    )  # fmt: skip
    for owner, content, due, done in OBLIGATIONS:
        ob = services.do_add_obligation(staff, rules, owner=owner, content=content, due_on=due)
        if done is not None:
            services.do_set_obligation_status(staff, ob, status="done", done_on=done)
    _register_document(head, office, rules, list(projects.values()))
    added: dict[str, AffectedHousehold] = {}
    for project_name, commune, head_name, area, steps in HOUSEHOLDS:
        project, unit = projects[project_name], _unit(office, commune)
        if unit is None:
            continue
        household = services.do_add_household(
            staff, project, unit=unit, head_name=f"{head_name} {MARK}", area_name=area,
            on=D(2017, 2, 15) if project_name == MEDICAL else D(2017, 3, 1),
        )  # fmt: skip
        for stage, day in steps:
            services.do_change_stage(staff, household, to_stage=stage, on=day)
        added[head_name] = household
    # a stage taken back: the payment list was corrected (a reason is required)
    if "Ngô Thị Lụa" in added:
        services.do_change_stage(
            staff, added["Ngô Thị Lụa"], to_stage=Stage.AGREED, on=D(2017, 9, 12),
            reason="Danh sách chi trả đợt 2 ghi sai diện tích; UBND xã thu hồi để lập lại "
            "(minh họa).",
        )  # fmt: skip
    visits = [
        ("Phạm Văn Mười", "visit", D(2017, 6, 22),
         "Ủy ban MTTQ xã Tiền Phong, Chi hội Cựu chiến binh thôn 2",
         "Hộ ông Phạm Văn Mười " + MARK,
         "Giải thích đơn giá bồi thường; hộ đề nghị được đối thoại với Hội đồng bồi thường."),
        ("Nguyễn Thị Hoa", "visit", D(2017, 7, 25), "Ủy ban MTTQ xã Liên Hòa, Hội LHPN xã",
         "Hộ bà Nguyễn Thị Hoa " + MARK,
         "Hộ giữ ý kiến khiếu nại về diện tích đất nông nghiệp được bồi thường."),
        ("Vũ Văn Hải", "visit", D(2017, 9, 18), "Cán bộ Cơ quan Khối, trưởng thôn 2",
         "Hộ ông Vũ Văn Hải " + MARK, "Hộ đồng ý xem xét phương án, hẹn trả lời trong tháng 10."),
    ]  # fmt: skip
    for key, kind, day, by_whom, with_whom, outcome in visits:
        visited = added.get(key)
        if visited is None:
            continue
        services.do_record_visit(
            staff, visited.project, kind=kind, held_on=day, by_whom=by_whom,
            with_whom=with_whom, outcome=outcome, household=visited,
        )  # fmt: skip
    tien_phong = _unit(office, "Xã Tiền Phong")
    if tien_phong is not None:
        services.do_record_visit(
            staff, projects[PORT], kind="dialogue", held_on=D(2017, 10, 10), unit=tien_phong,
            by_whom="Ủy ban MTTQ thị xã, UBND thị xã, Hội đồng bồi thường GPMB",
            with_whom="12 hộ dân thôn 2, xã Tiền Phong " + MARK,
            outcome="Các hộ được giải thích căn cứ đơn giá; UBND thị xã tiếp thu kiến nghị về hỗ "
            "trợ chuyển đổi nghề, trả lời trước 31/10/2017.",
        )  # fmt: skip


def _register_document(head: User, office: JointOffice, rules: CoordinationRules,
                       projects: list[KeyProject]) -> None:  # fmt: skip
    """The signed rules in the document register, linked to the rules and the projects
    (through the register's generic links; demo code, so it calls the register's service)."""
    from khoi.documents import services as documents

    documents.do_register_document(
        head, office, direction="in", notation="25/QC-UBND", issued_on=rules.signed_on,
        received_on=rules.signed_on + datetime.timedelta(days=2),
        issuing_body="Ủy ban nhân dân thị xã Quảng Yên",
        summary=f"{RULES_TITLE} (số, ngày minh họa)",
        links={"coordination_rules": [rules], "key_projects": projects},
    )  # fmt: skip
