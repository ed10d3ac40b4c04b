"""The seed's 2017 work in Quảng Yên, planned separately by several organizations.

The overlaps are the ones the article describes (propaganda for the campaign "Người Việt
Nam ưu tiên dùng hàng Việt Nam", the movement for new rural areas and civilised towns,
the model "Khu dân cư văn hóa an toàn giao thông", environmental sanitation, fishermen
protecting aquatic resources in seven coastal communes, supervision of land clearance),
so the engine finds real groups. One group is already merged; tasks exist in every status.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from khoi.org.demo import DEMO_EXTENSIONS
from khoi.org.models import AdminUnit, JointOffice, Organization, Person, SubCommittee
from khoi.registry import key_project_choices
from khoi.work import services
from khoi.work.models import Activity, JointActivity, Plan, Task

D = datetime.date
K = Organization.Kind
# The communes and wards where the 2017 supervision delegations worked (the seed article).
SUPERVISED_COMMUNES = (
    "Xã Sông Khoai",
    "Phường Đông Mai",
    "Xã Tiền An",
    "Phường Hà An",
    "Phường Yên Giang",
    "Xã Liên Hòa",
    "Phường Phong Hải",
)
FISHING_COMMUNES = [
    "Phường Tân An",
    "Xã Hiệp Hòa",
    "Xã Liên Vị",
    "Xã Tiền Phong",
    "Xã Hoàng Tân",
    "Xã Liên Hòa",
    "Phường Hà An",
]


@dataclass(frozen=True)
class A:
    key: str
    org: str
    kind: str
    title: str
    start: datetime.date
    end: datetime.date
    units: tuple[str, ...] = ()
    description: str = ""
    origin: str = Activity.Origin.LOCAL
    participants: int | None = None
    budget: int | None = None
    status: str = Activity.Status.DONE


ACTIVITIES = [
    A(
        "hvn-front",
        K.FRONT,
        "propaganda",
        "Tuyên truyền cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam” năm 2017",
        D(2017, 10, 2),
        D(2017, 10, 31),
        (),
        "Tuyên truyền trên hệ thống truyền thanh, pa nô, khẩu hiệu tại các khu dân cư.",
        participants=2000,
        budget=25_000_000,
    ),
    A(
        "hvn-women",
        K.WOMEN,
        "propaganda",
        "Tuyên truyền hội viên hưởng ứng cuộc vận động Người VN ưu tiên dùng hàng VN",
        D(2017, 10, 10),
        D(2017, 10, 20),
        ("Phường Hà An", "Phường Yên Giang", "Phường Quảng Yên"),
        "Lồng ghép trong sinh hoạt chi hội phụ nữ.",
        origin=Activity.Origin.VERTICAL,
        participants=600,
        budget=8_000_000,
    ),
    A(
        "hvn-youth",
        K.YOUTH,
        "mobilisation",
        "Ra quân vận động đoàn viên thanh niên uu tien dung hang Viet",
        D(2017, 10, 15),
        D(2017, 10, 15),
        ("Phường Quảng Yên",),
        participants=150,
        budget=5_000_000,
    ),
    A(
        "fish-front",
        K.FRONT,
        "propaganda",
        "Tuyên truyền ngư dân nâng cao ý thức bảo vệ và phát triển bền vững nguồn lợi thuỷ sản",
        D(2017, 10, 9),
        D(2017, 10, 13),
        tuple(FISHING_COMMUNES),
        participants=700,
        budget=20_000_000,
    ),
    A(
        "fish-farmers",
        K.FARMERS,
        "training",
        "Tập huấn cho hội viên ngư dân về bảo vệ nguồn lợi thủy sản",
        D(2017, 10, 16),
        D(2017, 10, 18),
        ("Phường Tân An", "Xã Hiệp Hòa", "Xã Liên Vị", "Xã Tiền Phong"),
        origin=Activity.Origin.VERTICAL,
        participants=300,
        budget=15_000_000,
    ),
    A(
        "vsmt-women",
        K.WOMEN,
        "mobilisation",
        "Vận động hội viên ra quân vệ sinh môi trường, thu gom rác thải khu dân cư",
        D(2017, 10, 14),
        D(2017, 10, 14),
        ("Phường Phong Hải", "Phường Yên Giang"),
        participants=400,
        budget=3_000_000,
    ),
    A(
        "vsmt-youth",
        K.YOUTH,
        "propaganda",
        "Ra quân tình nguyện tuyên truyền VSMT tại KDC",
        D(2017, 10, 21),
        D(2017, 10, 21),
        ("Phường Yên Giang",),
        participants=120,
        budget=2_000_000,
    ),
    A(
        "kdc-veterans",
        K.VETERANS,
        "inspection",
        "Kiểm tra duy trì mô hình “Khu dân cư văn hóa an toàn giao thông”",
        D(2017, 10, 23),
        D(2017, 10, 25),
        ("Phường Đông Mai", "Phường Minh Thành"),
        status=Activity.Status.IN_PROGRESS,
    ),
    A(
        "kdc-front",
        K.FRONT,
        "inspection",
        "Kiểm tra, đánh giá mô hình KDC văn hóa ATGT",
        D(2017, 10, 25),
        D(2017, 10, 26),
        ("Phường Đông Mai",),
        status=Activity.Status.PLANNED,
    ),
    A(
        "ntm-farmers",
        K.FARMERS,
        "emulation",
        "Phát động phong trào thi đua “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh” trong hội viên nông dân",
        D(2017, 10, 5),
        D(2017, 10, 5),
        ("Xã Sông Khoai", "Xã Tiền An", "Xã Cẩm La"),
    ),
    A(
        "ntm-front",
        K.FRONT,
        "emulation",
        "Phát động thi đua toàn dân đoàn kết xây dựng NTM, đô thị văn minh năm 2017",
        D(2017, 10, 6),
        D(2017, 10, 6),
        (),
    ),
    A(
        "gpmb-front",
        K.FRONT,
        "supervision",
        "Giám sát việc thực hiện công tác GPMB các dự án trọng điểm có khó khăn, vướng mắc "
        "(KCN cảng biển Tiền Phong, Trung tâm Y tế thị xã)",
        D(2017, 11, 6),
        D(2017, 11, 10),
        SUPERVISED_COMMUNES,
        status=Activity.Status.PLANNED,
    ),
    A(
        "gpmb-veterans",
        K.VETERANS,
        "survey",
        "Khảo sát tình hình giải phóng mặt bằng dự án KCN cảng biển Tiền Phong",
        D(2017, 11, 8),
        D(2017, 11, 8),
        ("Xã Tiền Phong", "Xã Liên Hòa"),
        status=Activity.Status.PLANNED,
    ),
    A(
        "labour-training",
        K.LABOUR,
        "training",
        "Hội nghị tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở",
        D(2017, 10, 12),
        D(2017, 10, 12),
        (),
        participants=80,
        budget=6_000_000,
    ),
    A(
        "youth-blood",
        K.YOUTH,
        "mobilisation",
        "Ngày hội hiến máu tình nguyện đợt 2 năm 2017",
        D(2017, 11, 19),
        D(2017, 11, 19),
        (),
        status=Activity.Status.PLANNED,
    ),
]


# The land-clearance activities and the key project each is carried out for (the project's
# name as the petitions demo gives it; found through the registry's project directory).
KEY_PROJECT_OF = {
    # the supervision names both projects; the port, named first, is the one it is filed under
    "gpmb-front": "Dự án Khu công nghiệp cảng biển Tiền Phong",
    "gpmb-veterans": "Dự án Khu công nghiệp cảng biển Tiền Phong",
}


@transaction.atomic
def link_demo_key_projects() -> None:
    """Link the land-clearance activities to their key project, once the key projects exist
    (the petitions demo runs after this app's). Idempotent."""
    office = JointOffice.objects.filter(code="quang-yen").first()
    if office is None:
        return
    projects = {name: pk for pk, name in key_project_choices(None, office.pk)}
    keys = {a.title: a.key for a in ACTIVITIES}
    head = Person.objects.get(full_name="Lê Đức Trà").user
    for activity in Activity.objects.filter(office=office, key_project_id__isnull=True):
        project_id = projects.get(KEY_PROJECT_OF.get(keys.get(activity.title, ""), ""))
        if project_id is not None:
            services.do_update_activity(head, activity, key_project_id=project_id)


def load_work_demo() -> None:
    # The key projects come later (petitions' demo): the linking step goes to the end of the
    # demo's list of steps, which the loader is walking (a list sees what is appended to it).
    if link_demo_key_projects not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(link_demo_key_projects)
    _load_work_demo()


@transaction.atomic
def _load_work_demo() -> None:
    office = JointOffice.objects.get(code="quang-yen")
    if Activity.objects.filter(office=office).exists():
        return
    head = Person.objects.get(full_name="Lê Đức Trà").user
    orgs = {o.kind: o for o in office.organizations.all()}
    units = {u.name: u for u in AdminUnit.objects.subtree(office.unit)}
    programme = services.do_create_programme(
        head,
        office,
        year=2017,
        title="Chương trình công tác năm 2017 của MTTQ và các đoàn thể chính trị - xã hội thị xã",
        description="Thực hiện Nghị quyết số 11-NQ/TU của BCH Đảng bộ thị xã về phương hướng, nhiệm vụ năm 2017.",
    )
    plan_hvn = services.do_create_plan(
        head,
        office,
        programme=programme,
        organization=orgs[K.FRONT],
        number="45/KH-MTTQ",
        title="Kế hoạch tuyên truyền cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam” năm 2017",
        directive="11-NQ/TU",
        start_on=D(2017, 9, 15),
        end_on=D(2017, 12, 31),
        status=Plan.Status.ACTIVE,
    )
    plan_subs = services.do_create_plan(
        head,
        office,
        programme=programme,
        subcommittee=SubCommittee.objects.get(
            office=office, name__startswith="Tiểu ban Tuyên truyền"
        ),
        title="Kế hoạch hoạt động quý IV năm 2017 của Tiểu ban Tuyên truyền - Phong trào",
        start_on=D(2017, 10, 1),
        end_on=D(2017, 12, 31),
        status=Plan.Status.ACTIVE,
    )
    created: dict[str, Activity] = {}
    for a in ACTIVITIES:
        created[a.key] = services.do_create_activity(
            head,
            office,
            organization=orgs[a.org],
            kind=a.kind,
            title=a.title,
            description=a.description,
            origin=a.origin,
            start_on=a.start,
            end_on=a.end,
            expected_participants=a.participants,
            budget=a.budget,
            status=a.status,
            plan=plan_hvn if a.key.startswith("hvn") else plan_subs,
            target_units=[units[n] for n in a.units],
        )
    joint = services.do_merge(
        head,
        [created["fish-front"], created["fish-farmers"]],
        services.MergeSpec(
            title="Tuyên truyền, tập huấn ngư dân bảo vệ và phát triển bền vững nguồn lợi thủy sản",
            lead=orgs[K.FRONT],
            start_on=D(2017, 10, 9),
            end_on=D(2017, 10, 18),
            description="Việc chung của MTTQ và Hội Nông dân tại 7 xã, phường ven biển.",
        ),
    )
    assert joint.status == JointActivity.Status.ACTIVE
    people = {p.full_name: p for p in Person.objects.filter(unit=office.unit)}
    tuyen_truyen = SubCommittee.objects.get(office=office, name__startswith="Tiểu ban Tuyên truyền")
    t1 = services.do_create_task(
        head,
        office,
        title="Chuẩn bị tài liệu tuyên truyền bảo vệ nguồn lợi thủy sản",
        joint=joint,
        assignee=people["Nguyễn Thị Thu Hà"],
        due_on=D(2017, 10, 6),
        priority=Task.Priority.HIGH,
    )
    services.do_update_task(
        head, t1, status=Task.Status.IN_PROGRESS, note="Đã xin nội dung từ Hạt Kiểm lâm."
    )
    services.do_update_task(
        head,
        t1,
        status=Task.Status.DONE,
        note="In 1.000 tờ rơi, 7 pa nô; đã giao các xã.",
        today=D(2017, 10, 6),
    )
    t2 = services.do_create_task(
        head,
        office,
        title="Liên hệ UBND các xã ven biển bố trí hội trường tập huấn",
        joint=joint,
        assignee=people["Trần Văn Nam"],
        due_on=D(2017, 10, 13),
    )
    services.do_update_task(head, t2, status=Task.Status.IN_PROGRESS, note="Đã liên hệ 4/7 xã.")
    services.do_create_task(
        head,
        office,
        title="Tổng hợp danh sách ngư dân tham gia tập huấn",
        joint=joint,
        assignee_subcommittee=tuyen_truyen,
        due_on=D(2017, 10, 20),
    )
    t4 = services.do_create_task(
        head,
        office,
        title="Báo cáo kết quả kiểm tra mô hình KDC văn hóa an toàn giao thông",
        activity=created["kdc-veterans"],
        assignee=people["Đặng Quốc Khánh"],
        due_on=D(2017, 10, 30),
    )
    services.do_update_task(
        head, t4, status=Task.Status.BLOCKED, note="Chờ số liệu từ phường Đông Mai."
    )
    t5 = services.do_create_task(
        head,
        office,
        title="In băng rôn cuộc vận động tại 19 xã, phường",
        activity=created["hvn-front"],
        assignee=people["Vũ Đức Thuỷ"],
        due_on=D(2017, 10, 5),
        priority=Task.Priority.LOW,
    )
    services.do_update_task(
        head, t5, status=Task.Status.CANCELLED, note="Dùng pa nô sẵn có, không in mới."
    )
    services.do_create_task(
        head,
        office,
        title="Dự thảo báo cáo công tác tháng 10/2017 của Cơ quan Khối",
        assignee=people["Phạm Thị Lan Anh"],
        due_on=D(2017, 10, 14),
        priority=Task.Priority.URGENT,
        source_label="Giao ban ngày 09/10/2017",
    )
    # The scenario is set in October 2017: date the tasks' creation accordingly (the
    # audit log keeps the real time the demo was loaded).
    Task.objects.filter(office=office).update(
        created_at=datetime.datetime(2017, 10, 2, 8, 0, tzinfo=datetime.UTC)
    )
