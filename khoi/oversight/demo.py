"""The seed's 2017 supervision: the land-clearance (GPMB) supervision delegation sent to
seven communes and wards (Sông Khoai, Đông Mai, Tiền An, Hà An, Yên Giang, Liên Hòa,
Phong Hải), with its decision in the register, working sessions, reports, and
recommendations to each commune's People's Committee: some answered, some overdue on the
demo's day (20/10/2017). Also the 2018 programmes being built in the fourth quarter, where
two organizations plan the same supervision (the duplicate warning), and one supervision
recorded by the Hà An ward reporter.

The seven communes and the delegation are the seed's; dates, members, findings and
recommendations are illustrative. Idempotent: nothing is added when the 2017 programme
exists.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db import transaction

from khoi.accounts.models import User
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, JointOffice, Organization, Person
from khoi.oversight import statutory
from khoi.oversight.models import Programme, Supervision
from khoi.oversight.services import recommendations as recs
from khoi.oversight.services import supervision as services

D = datetime.date
SUBJECT = "Giám sát công tác bồi thường, hỗ trợ, tái định cư và giải phóng mặt bằng"
COMMUNES = ["Sông Khoai", "Đông Mai", "Tiền An", "Hà An", "Yên Giang", "Liên Hòa", "Phong Hải"]
ILLUSTRATIVE = "Nội dung minh họa (dữ liệu mẫu)."

# commune → (first session, report date or None, recommendation (issued, due, content),
#            answer (date, outcome, explanation) or None, follow-up or None)
PLAN: dict[str, dict[str, Any]] = {
    "Hà An": {
        "session": D(2017, 8, 21), "report": D(2017, 8, 30),
        "rec": (D(2017, 8, 30), D(2017, 9, 29),
                "Niêm yết công khai phương án bồi thường, hỗ trợ tại nhà văn hóa các khu phố "
                "có đất bị thu hồi, đủ 20 ngày theo quy định."),
        "answer": (D(2017, 9, 20), "accepted", "Đã niêm yết tại 3 khu phố từ ngày 15/9/2017."),
    },
    "Đông Mai": {
        "session": D(2017, 8, 23), "report": D(2017, 9, 1),
        "rec": (D(2017, 9, 1), D(2017, 10, 2),
                "Rà soát, xác định lại nguồn gốc đất của 12 hộ có ý kiến về đơn giá bồi "
                "thường đất nông nghiệp."),
        "answer": (D(2017, 10, 5), "partly",
                   "Đã rà soát 8/12 hộ; 4 hộ chờ hồ sơ địa chính của thị xã."),
    },
    "Tiền An": {
        "session": D(2017, 8, 25), "report": D(2017, 9, 6),
        "rec": (D(2017, 9, 6), D(2017, 10, 6),
                "Chi trả dứt điểm tiền hỗ trợ chuyển đổi nghề cho các hộ đã bàn giao mặt bằng."),
        "follow": ("reminder", D(2017, 10, 9), D(2017, 10, 16), "UBND xã Tiền An"),
    },
    "Yên Giang": {
        "session": D(2017, 9, 5), "report": D(2017, 9, 14),
        "rec": (D(2017, 9, 14), D(2017, 10, 13),
                "Bố trí quỹ đất tái định cư cho các hộ phải di dời nhà ở thuộc dự án Trung tâm "
                "Y tế thị xã trước khi cưỡng chế."),
        "follow": ("escalation", D(2017, 10, 17), None, "UBND thị xã Quảng Yên"),
    },
    "Liên Hòa": {
        "session": D(2017, 9, 12), "report": D(2017, 9, 22),
        "rec": (D(2017, 9, 22), D(2017, 10, 20),
                "Tổ chức đối thoại với các hộ còn khiếu nại về diện tích đất nuôi trồng thủy sản "
                "bị thu hồi."),
    },
    "Sông Khoai": {
        "session": D(2017, 9, 26), "report": D(2017, 10, 6),
        "rec": (D(2017, 10, 6), D(2017, 11, 6),
                "Công khai danh sách hộ được hỗ trợ ổn định đời sống và đơn giá áp dụng."),
    },
    "Phong Hải": {"session": D(2017, 10, 18), "report": None, "rec": None},
}  # fmt: skip


def _commune(office: JointOffice, name: str) -> AdminUnit | None:
    key = fold(name)
    return (
        AdminUnit.objects.filter(
            district_id=office.unit_id, level=AdminUnit.Level.COMMUNE, name_folded__endswith=key
        )
        .order_by("pk")
        .first()
    )


def _project_for(office: JointOffice, unit: AdminUnit) -> int | None:
    model = apps.get_model("petitions", "KeyProject")
    return model.objects.filter(office=office, units=unit).values_list("pk", flat=True).first()


def _org(office: JointOffice, kind: str) -> Organization:
    return office.organizations.get(kind=kind)


@transaction.atomic
def load_oversight_demo() -> None:
    office = JointOffice.objects.filter(code="quang-yen").select_related("unit").first()
    staff = User.objects.filter(username="canbo").first()
    if office is None or staff is None:
        return
    statutory.ensure_defaults()
    front = _org(office, Organization.Kind.FRONT)
    if Programme.objects.filter(office=office, organization=front, year=2017).exists():
        return
    programme = services.create_programme(staff, office, organization=front, year=2017)
    services.adopt_programme(staff, programme, D(2016, 12, 20))
    members = [
        ("Nguyễn Văn Hùng", Organization.Kind.FRONT, "head"),
        ("Vũ Thị Thanh Hương", Organization.Kind.WOMEN, "deputy"),
        ("Đỗ Văn Thắng", Organization.Kind.FARMERS, "member"),
        ("Hoàng Văn Lợi", Organization.Kind.VETERANS, "member"),
    ]
    sups: list[Supervision] = []
    for name in COMMUNES:
        unit = _commune(office, name)
        if unit is None:
            continue
        sup = services.plan_supervision(
            staff, office, organization=front, programme=programme,
            subject=SUBJECT, body=f"UBND {unit.name[:1].lower()}{unit.name[1:]}",
            form=Supervision.Form.DELEGATION, planned_from=D(2017, 8, 1),
            planned_until=D(2017, 10, 31), key_project_id=_project_for(office, unit),
        )  # fmt: skip
        sups.append(sup)
    if not sups:
        return
    from khoi.documents import services as doc_services

    decision = doc_services.do_issue_document(
        staff, office, system="state", doc_type="QĐ", issuer_code="MTTQ",
        issued_on=D(2017, 8, 1), issuing_body="Ban Thường trực Ủy ban MTTQ thị xã",
        summary="Thành lập Đoàn giám sát công tác bồi thường, hỗ trợ, tái định cư và giải "
        "phóng mặt bằng tại 7 xã, phường",
        signer="Nguyễn Văn Hùng", recipients="Như Điều 3; UBND 7 xã, phường; Lưu: VT.",
        links={"supervisions": sups},
    )  # fmt: skip
    plan = doc_services.do_issue_document(
        staff, office, system="state", doc_type="KH", issuer_code="MTTQ",
        issued_on=D(2017, 8, 3), issuing_body="Ban Thường trực Ủy ban MTTQ thị xã",
        summary="Kế hoạch giám sát công tác bồi thường, hỗ trợ, tái định cư và GPMB năm 2017",
        signer="Nguyễn Văn Hùng", recipients="UBND 7 xã, phường; Lưu: VT.",
        links={"supervisions": sups},
    )  # fmt: skip
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=[m[0] for m in members])}
    by_name = dict(zip([n for n in COMMUNES if _commune(office, n)], sups, strict=True))
    for name, sup in by_name.items():
        info = PLAN[name]
        services.record_step(staff, sup, "decision", on=D(2017, 8, 1), document=decision)
        services.record_step(staff, sup, "plan", on=D(2017, 8, 3), document=plan)
        for person_name, kind, role in members:
            person = people.get(person_name)
            if person is not None:
                services.add_member(staff, sup, person=person, organization=_org(office, kind),
                                    role=role)  # fmt: skip
        first = info["session"]
        services.record_step(staff, sup, "body_report", on=first - datetime.timedelta(days=4))
        services.add_session(
            staff, sup, held_on=first, place=f"Trụ sở {sup.body}",
            minutes=f"Đoàn làm việc với {sup.body} về công tác GPMB trên địa bàn. {ILLUSTRATIVE}",
        )  # fmt: skip
        if info["report"]:
            services.record_step(
                staff, sup, "report", on=info["report"],
                summary=f"Cơ bản thực hiện đúng trình tự; còn chậm chi trả và công khai chưa đầy "
                f"đủ. {ILLUSTRATIVE}",
            )  # fmt: skip
        if info["rec"]:
            issued, due, content = info["rec"]
            rec = recs.create_recommendation(
                staff, office, body=sup.body, content=content, subject="Giải phóng mặt bằng",
                issued_on=issued, due_on=due, supervision=sup,
            )  # fmt: skip
            if info.get("answer"):
                day, outcome, why = info["answer"]
                recs.answer_recommendation(staff, rec, answered_on=day, outcome=outcome,
                                           explanation=why, document_ref=f"{rec.pk:02d}/UBND")  # fmt: skip
            if info.get("follow"):
                kind, day, new_due, to = info["follow"]
                recs.follow_up_recommendation(staff, rec, kind=kind, done_on=day, due_on=new_due,
                                              addressee=to, note=ILLUSTRATIVE)  # fmt: skip
    town_rec = recs.create_recommendation(
        staff, office, body="UBND thị xã Quảng Yên",
        content="Chỉ đạo các xã, phường công khai phương án bồi thường và giải quyết dứt điểm "
        "kiến nghị của các hộ trước khi cưỡng chế thu hồi đất.",
        subject="Giải phóng mặt bằng", issued_on=D(2017, 9, 29), due_on=D(2017, 10, 30),
        supervision=sups[0],
    )  # fmt: skip
    recs.answer_recommendation(staff, town_rec, answered_on=D(2017, 10, 16), outcome="accepted",
                               explanation="UBND thị xã đã ban hành văn bản chỉ đạo.")  # fmt: skip
    _programmes_2018(office, staff, front)
    _commune_supervision(office)


def _programmes_2018(office: JointOffice, staff: Any, front: Organization) -> None:
    """Built in the fourth quarter of 2017: the Front and the Women's Union both plan to
    supervise grassroots democracy at the same ward in spring 2018 (the warning)."""
    women = _org(office, Organization.Kind.WOMEN)
    p_front = services.create_programme(staff, office, organization=front, year=2018)
    p_women = services.create_programme(staff, office, organization=women, year=2018)
    services.plan_supervision(
        staff, office, organization=front, programme=p_front,
        subject="Giám sát việc thực hiện quy chế dân chủ ở cơ sở",
        body="UBND phường Quảng Yên", form=Supervision.Form.DELEGATION,
        planned_from=D(2018, 3, 1), planned_until=D(2018, 4, 30),
    )  # fmt: skip
    services.plan_supervision(
        staff, office, organization=women, programme=p_women,
        subject="Giám sát thực hiện dân chủ cơ sở, công khai các khoản đóng góp của nhân dân",
        body="Ủy ban nhân dân phường Quảng Yên", form=Supervision.Form.DELEGATION,
        planned_from=D(2018, 4, 1), planned_until=D(2018, 4, 30),
    )  # fmt: skip
    services.plan_supervision(
        staff, office, organization=women, programme=p_women,
        subject="Giám sát việc thực hiện chính sách đối với phụ nữ nghèo đơn thân",
        body="Phòng Lao động - Thương binh và Xã hội thị xã", form=Supervision.Form.DOCUMENTS,
        planned_from=D(2018, 6, 1), planned_until=D(2018, 6, 30),
    )  # fmt: skip


def _commune_supervision(office: JointOffice) -> None:
    """The Hà An ward reporter records the ward Front's own supervision."""
    reporter = User.objects.filter(username="phuongha-an").first()
    unit = _commune(office, "Hà An")
    if reporter is None or unit is None:
        return
    org = Organization.objects.filter(unit=unit, kind=Organization.Kind.FRONT).first()
    if org is None:
        return
    sup = services.plan_supervision(
        reporter, office, organization=org, unit=unit,
        subject="Giám sát việc bình xét hộ nghèo, hộ cận nghèo năm 2017",
        body="UBND phường Hà An", form=Supervision.Form.INSPECTION_BOARD,
        planned_from=D(2017, 10, 1), planned_until=D(2017, 11, 30),
    )  # fmt: skip
    recs.create_recommendation(
        reporter, office, body="UBND phường Hà An",
        content="Công khai danh sách hộ nghèo dự kiến tại các khu phố trước khi họp bình xét.",
        subject="Giảm nghèo", issued_on=D(2017, 10, 16), due_on=D(2017, 11, 15), supervision=sup,
    )  # fmt: skip
