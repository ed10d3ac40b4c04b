"""The weekly briefings of 2017 (every Monday at 8:00), with minutes and conclusions.

Briefings up to 16/10/2017 are held and closed (the demo shows Friday 20/10/2017, a week
after the seed article); the 16/10 briefing has its agenda filled from live data and gives
a task; later ones are planned. A Monday that is a public holiday moves to the next
working day (the product's one working calendar). Idempotent: nothing happens when the office already has meetings.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from khoi.meetings import services
from khoi.meetings.models import Meeting
from khoi.org.models import JointOffice, Membership, Person

D = datetime.date
LAST_HELD = D(2017, 10, 16)

# (month, agenda item, minutes, conclusion): what the briefings of each month dealt with.
THEMES = {
    1: ("Triển khai chương trình công tác năm 2017",
        "Các tổ chức báo cáo dự thảo chương trình công tác năm 2017; nhận diện các việc tương đồng.",
        "Thống nhất danh mục việc chung năm 2017 theo Nghị quyết số 11-NQ/TU."),
    2: ("Tổ chức các hoạt động mừng Đảng, mừng Xuân",
        "Các tổ chức báo cáo kết quả thăm, tặng quà hộ nghèo dịp Tết Đinh Dậu.",
        "Tổng hợp chung số quà tặng của các tổ chức để báo cáo Thường trực Thị ủy."),
    3: ("Hướng dẫn thực hiện Quyết định số 217-QĐ/TW, 218-QĐ/TW",
        "Tiểu ban Kiểm tra - Giám sát trình bày dự thảo kế hoạch giám sát năm 2017.",
        "Thống nhất kế hoạch giám sát chung, không tổ chức giám sát riêng trùng nội dung."),
    4: ("Tuyên truyền vệ sinh môi trường, an toàn giao thông",
        "Hội LHPN và Đoàn TN cùng dự kiến ra quân tại Phường Yên Giang.",
        "Gộp hai hoạt động ra quân thành một việc chung do Hội LHPN chủ trì."),
    5: ("Sơ kết phong trào xây dựng nông thôn mới, đô thị văn minh",
        "Hội Nông dân báo cáo kết quả tại các xã Sông Khoai, Tiền An, Cẩm La.",
        "Giao Tiểu ban Tuyên truyền - Phong trào tổng hợp mô hình tiêu biểu."),
    6: ("Chuẩn bị báo cáo sơ kết 6 tháng",
        "Văn phòng trình bày đề cương báo cáo 6 tháng đầu năm.",
        "Các tổ chức gửi số liệu về Văn phòng trước ngày 14/6 theo mốc chốt số liệu."),
    7: ("Góp ý xây dựng Đảng, chính quyền theo Quyết định số 218-QĐ/TW",
        "Tổng hợp ý kiến của đoàn viên, hội viên về công tác cán bộ cơ sở.",
        "Thống nhất nội dung góp ý gửi Thường trực Thị ủy."),
    8: ("Phản biện xã hội Dự thảo Chương trình hành động thực hiện Nghị quyết số 04-NQ/TW",
        "Các đại biểu góp ý dự thảo của Thị ủy.",
        "Giao Văn phòng hoàn thiện báo cáo phản biện trình Ban Thường trực ký."),
    9: ("Giám sát công tác giải phóng mặt bằng các dự án trọng điểm",
        "Báo cáo khó khăn tại dự án Khu công nghiệp cảng biển Tiền Phong.",
        "Thành lập đoàn giám sát chung, không để các tổ chức giám sát riêng."),
    10: ("Tuyên truyền cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam”",
         "MTTQ, Hội LHPN, Đoàn TN cùng dự kiến tuyên truyền trong tháng 10.",
         "Thống nhất nội dung tuyên truyền chung; mỗi tổ chức lồng ghép trong sinh hoạt."),
}  # fmt: skip


@transaction.atomic
def load_meetings_demo() -> None:
    office = JointOffice.objects.get(code="quang-yen")
    if Meeting.objects.filter(office=office).exists():
        return
    head_person = Person.objects.get(full_name="Lê Đức Trà")
    head = head_person.user
    chairs = list(
        Person.objects.filter(
            memberships__organization__in=office.organizations.all(),
            memberships__role=Membership.Role.CHAIR,
        ).distinct()
    )
    staff = {p.full_name: p for p in Person.objects.filter(unit=office.unit)}
    secretary = staff["Phạm Thị Lan Anh"]
    series = services.do_schedule_series(
        head, office, kind=Meeting.Kind.BRIEFING, title="Giao ban Cơ quan Khối", weekday=0,
        time=datetime.time(8), start_on=D(2017, 1, 2), end_on=D(2017, 12, 31),
        place="Phòng họp Cơ quan Khối", chair=head_person,
        attendees=[*chairs, secretary, staff["Nguyễn Thị Thu Hà"], staff["Trần Văn Nam"]],
    )  # fmt: skip
    meetings = list(series.meetings.order_by("starts_at"))
    for n, meeting in enumerate(meetings):
        day = meeting.starts_at.astimezone().date()
        if day > LAST_HELD:
            break
        meeting.secretary = secretary
        meeting.save(update_fields=["secretary"])
        title, minutes, conclusion = THEMES[day.month]
        for a in meeting.attendances.select_related("person"):
            absent = a.person_id == chairs[n % len(chairs)].pk and n % 3 == 0
            services.do_set_attendance(
                head, meeting, a.person, status="absent" if absent else "present",
                reason="Đi công tác tỉnh" if absent else "",
            )  # fmt: skip
        if day == LAST_HELD:
            services.do_prefill_agenda(head, meeting)
        item = services.do_add_agenda_item(head, meeting, title=title)
        services.do_record_minutes(head, item, minutes)
        services.do_add_outcome(head, meeting, kind="decision", text=conclusion, item=item)
        services.do_add_outcome(
            head, meeting, kind="information",
            text="Các tổ chức báo cáo tiến độ nhiệm vụ tuần trước.",
        )  # fmt: skip
        if day == LAST_HELD:
            services.do_add_outcome(
                head, meeting, kind="task", item=item,
                text="Tổng hợp kết quả giám sát GPMB dự án KCN cảng biển Tiền Phong",
                assignee=staff["Đặng Quốc Khánh"], due_on=D(2017, 10, 20),
            )  # fmt: skip
        services.do_close_meeting(head, meeting)
