"""The demo scenario: the seed's joint office of Quảng Yên town as of October 2017.

Created through the services (so the audit log shows its history) and idempotent: a
second run changes nothing. Later capabilities extend it from their own modules.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from khoi import clock
from khoi.accounts.models import User
from khoi.accounts.services import do_create_user
from khoi.org import services
from khoi.org.models import (
    AdminUnit,
    Delegation,
    JointOffice,
    Membership,
    Organization,
    Person,
    SubCommittee,
)

DEMO_PASSWORD = "khoi-demo-2017"  # noqa: S105  (printed by `make run`; demo only)
OFFICE_CODE = "quang-yen"
PROVINCE_CODE = 22  # Quảng Ninh
TOWN_CODE = "206"  # thị xã Quảng Yên (former tree)
ESTABLISHED = datetime.date(2016, 8, 3)
# The day the demo shows: the product's "today" while loading and, through the stored
# product date, for `make run`'s server (KHOI_CLOCK_DATE=demo). A Friday, one week after
# the seed article (13/10/2017).
DEMO_DATE = datetime.date(2017, 10, 20)
R = Membership.Role
K = Organization.Kind

ORGANIZATIONS = [
    (
        K.FRONT,
        "Ủy ban MTTQ Việt Nam thị xã Quảng Yên",
        "MTTQ",
        "Ủy ban MTTQ Việt Nam tỉnh Quảng Ninh",
    ),
    (K.WOMEN, "Hội Liên hiệp Phụ nữ thị xã Quảng Yên", "Hội LHPN", "Hội LHPN tỉnh Quảng Ninh"),
    (K.YOUTH, "Đoàn TNCS Hồ Chí Minh thị xã Quảng Yên", "Đoàn TN", "Tỉnh đoàn Quảng Ninh"),
    (K.FARMERS, "Hội Nông dân thị xã Quảng Yên", "Hội ND", "Hội Nông dân tỉnh Quảng Ninh"),
    (K.VETERANS, "Hội Cựu chiến binh thị xã Quảng Yên", "Hội CCB", "Hội CCB tỉnh Quảng Ninh"),
    (K.LABOUR, "Liên đoàn Lao động thị xã Quảng Yên", "LĐLĐ", "Liên đoàn Lao động tỉnh Quảng Ninh"),
]

SUBCOMMITTEES = [
    (
        "Tiểu ban Tuyên truyền - Phong trào",
        "Tuyên truyền, vận động, các cuộc vận động và phong trào thi đua.",
    ),
    (
        "Tiểu ban Kiểm tra - Giám sát",
        "Kiểm tra, giám sát, phản biện xã hội; tham gia giải quyết đơn thư.",
    ),
    (
        "Tiểu ban Tổ chức - Tổng hợp",
        "Tổ chức cán bộ, văn phòng, tổng hợp, báo cáo, Quỹ Vì người nghèo.",
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    name: str
    gender: str
    birth_year: int
    where: str  # "office", an organization kind, or "commune:<name>"
    role: str
    title: str
    subcommittee: int | None = None
    login: str | None = None
    persona: str = ""


PEOPLE = [
    DemoPerson("Đào Văn Thịnh", "m", 1966, "office", R.OFFICE_HEAD, "Trưởng Cơ quan Khối",
               login="truongkhoi", persona="Trưởng Cơ quan Khối"),
    DemoPerson("Lê Đức Trà", "m", 1968, "office", R.OFFICE_DEPUTY,
               "Phó Chủ tịch Thường trực Ủy ban MTTQ thị xã, Phó Cơ quan Khối",
               login="phokhoi",
               persona="Phó Cơ quan Khối, điều hành thay Trưởng theo ủy quyền"),
    DemoPerson("Vũ Thị Thanh Hương", "f", 1972, "women", R.CHAIR, "Chủ tịch Hội LHPN thị xã",
               login="chutichphunu", persona="Chủ tịch Hội LHPN"),
    DemoPerson("Nguyễn Văn Hùng", "m", 1965, "front", R.CHAIR, "Chủ tịch Ủy ban MTTQ thị xã"),
    DemoPerson("Phạm Minh Tuấn", "m", 1986, "youth", R.CHAIR, "Bí thư Thị đoàn"),
    DemoPerson("Đỗ Văn Thắng", "m", 1966, "farmers", R.CHAIR, "Chủ tịch Hội Nông dân thị xã"),
    DemoPerson("Hoàng Văn Lợi", "m", 1958, "veterans", R.CHAIR, "Chủ tịch Hội CCB thị xã"),
    DemoPerson("Bùi Thị Hạnh", "f", 1974, "labour", R.CHAIR, "Chủ tịch LĐLĐ thị xã"),
    DemoPerson("Nguyễn Thị Thu Hà", "f", 1984, "office", R.STAFF, "Cán bộ Cơ quan Khối",
               subcommittee=0, login="canbo", persona="Cán bộ Cơ quan Khối"),
    DemoPerson("Trần Văn Nam", "m", 1981, "office", R.STAFF, "Cán bộ Cơ quan Khối",
               subcommittee=1, login="canboxuly", persona="Cán bộ xử lý đơn thư"),
    DemoPerson("Lương Thị Ngọc Ánh", "f", 1990, "office", R.STAFF, "Cán bộ Cơ quan Khối", subcommittee=0),
    DemoPerson("Đặng Quốc Khánh", "m", 1988, "office", R.STAFF, "Cán bộ Cơ quan Khối", subcommittee=1),
    DemoPerson("Ngô Thị Hoà", "f", 1979, "office", R.STAFF, "Kế toán Cơ quan Khối", subcommittee=2),
    DemoPerson("Phạm Thị Lan Anh", "f", 1992, "office", R.STAFF, "Văn thư Cơ quan Khối", subcommittee=2),
    DemoPerson("Vũ Đức Thuỷ", "m", 1983, "office", R.STAFF, "Cán bộ Cơ quan Khối", subcommittee=0),
    DemoPerson("Đinh Thị Quý", "f", 1987, "office", R.STAFF, "Cán bộ Cơ quan Khối", subcommittee=1),
    DemoPerson("Trịnh Văn Đông", "m", 1985, "office", R.STAFF, "Cán bộ Cơ quan Khối", subcommittee=2),
    DemoPerson("Lê Thị Mai", "f", 1989, "commune:Phường Hà An", R.REPORTER,
               "Phó Chủ tịch Ủy ban MTTQ phường Hà An", login="phuongha-an", persona="Cán bộ MTTQ phường Hà An"),
    DemoPerson("Nguyễn Văn Bình", "m", 1977, "commune:Xã Tiền Phong", R.REPORTER,
               "Chủ tịch Ủy ban MTTQ xã Tiền Phong"),
]  # fmt: skip

# The one person the seed article names (Báo Quảng Ninh, 13/10/2017); everybody else in the
# demo is invented for illustration and says so in their note.
SEED_PEOPLE = frozenset({"Lê Đức Trà"})
ILLUSTRATIVE_NOTE = "Nhân vật minh họa (dữ liệu mẫu), không có trong bài báo gốc."
DEPUTY = "Lê Đức Trà"
DELEGATION_FROM = datetime.date(2017, 1, 1)
DELEGATION_NOTE = (
    "Ủy quyền điều hành công việc hằng ngày của Cơ quan Khối: chủ trì giao ban, phân công "
    "và duyệt nhiệm vụ, ký báo cáo, phụ trách tiếp công dân và xử lý đơn thư."
)

# Later capabilities add their part of the scenario (registered in their AppConfig.ready).
DEMO_EXTENSIONS: list[Callable[[], None]] = []

EXTRA_LOGINS = [
    ("thanhtra", "Kiểm tra viên, chỉ xem", "Kiểm tra viên (chỉ xem)"),
    ("quantri", "Quản trị hệ thống", "Quản trị hệ thống"),
]


def _ensure_units() -> AdminUnit:
    town = AdminUnit.objects.filter(era=AdminUnit.Era.FORMER, code=TOWN_CODE).first()
    if town is None:
        services.do_load_units(None, PROVINCE_CODE)
        town = AdminUnit.objects.get(era=AdminUnit.Era.FORMER, code=TOWN_CODE)
    return town


def load_demo() -> list[tuple[str, str]]:
    """Create the scenario if missing, on the demo's own day, and store that day as the
    product's date; return (login, persona) pairs."""
    from khoi.demo.services import do_set_product_date

    with clock.use_date(DEMO_DATE), transaction.atomic():
        logins = _load()
        do_set_product_date(None, DEMO_DATE, "Dữ liệu mẫu: Cơ quan Khối thị xã Quảng Yên")
    return logins


def _load() -> list[tuple[str, str]]:
    town = _ensure_units()
    province = town.province
    communes = {u.name: u for u in town.children.all()}
    orgs: dict[str, Organization] = {}
    for kind, name, short, parent_name in ORGANIZATIONS:
        org = Organization.objects.filter(unit=town, kind=kind).first()
        if org is None:
            parent = Organization.objects.filter(unit=province, kind=kind).first()
            if parent is None and province is not None:
                parent = services.do_create_organization(
                    None, kind=kind, name=parent_name, unit=province
                )
            org = services.do_create_organization(
                None, kind=kind, name=name, unit=town, short_name=short, parent=parent
            )
        orgs[kind] = org
    for commune in communes.values():
        if not Organization.objects.filter(unit=commune, kind=K.FRONT).exists():
            services.do_create_organization(
                None,
                kind=K.FRONT,
                name=f"Ủy ban MTTQ Việt Nam {commune.name[0].lower()}{commune.name[1:]}",
                unit=commune,
                short_name="MTTQ",
                parent=orgs[K.FRONT],
            )
    office = JointOffice.objects.filter(code=OFFICE_CODE).first()
    if office is None:
        office = services.do_create_office(
            None,
            code=OFFICE_CODE,
            name="Cơ quan Khối MTTQ và các đoàn thể chính trị - xã hội thị xã Quảng Yên",
            unit=town,
            established_on=ESTABLISHED,
            organizations=orgs.values(),
        )
    subs: list[SubCommittee] = []
    for name, description in SUBCOMMITTEES:
        sub = SubCommittee.objects.filter(office=office, name=name).first()
        subs.append(sub or services.do_add_subcommittee(None, office, name, description))

    logins: list[tuple[str, str]] = []
    for index, p in enumerate(PEOPLE):
        person = Person.objects.filter(full_name=p.name).first()
        unit = communes[p.where.split(":", 1)[1]] if p.where.startswith("commune:") else town
        if person is None:
            person = services.do_create_person(
                None,
                full_name=p.name,
                gender=p.gender,
                birth_year=p.birth_year,
                unit=unit,
                phone=f"0203{3870000 + index * 137:07d}",
                note="" if p.name in SEED_PEOPLE else ILLUSTRATIVE_NOTE,
            )
            start = ESTABLISHED if p.where == "office" else datetime.date(2014, 10, 1)
            if p.where == "office":
                services.do_add_membership(
                    None, person, role=p.role, start_on=start, office=office, title=p.title
                )
            elif p.where.startswith("commune:"):
                front = Organization.objects.get(unit=unit, kind=K.FRONT)
                services.do_add_membership(
                    None, person, role=p.role, start_on=start, organization=front, title=p.title
                )
            else:
                services.do_add_membership(
                    None,
                    person,
                    role=p.role,
                    start_on=start,
                    organization=orgs[p.where],
                    title=p.title,
                )
            if p.subcommittee is not None:
                services.do_add_membership(
                    None,
                    person,
                    role=R.MEMBER,
                    start_on=ESTABLISHED,
                    subcommittee=subs[p.subcommittee],
                )
        if p.login:
            _ensure_login(p.login, person, p.name)
            logins.append((p.login, p.persona))
    _ensure_delegation(office)
    for login, persona, label in EXTRA_LOGINS:
        user = User.objects.filter(username=login).first()
        if user is None:
            user = do_create_user(
                None,
                username=login,
                password=DEMO_PASSWORD,
                last_name=label,
                is_superuser=(login == "quantri"),
            )
            if login == "thanhtra":
                services.do_grant_unit(None, user, town, note="Kiểm tra (dữ liệu mẫu)")
        logins.append((login, persona))
    for extend in DEMO_EXTENSIONS:
        extend()
    return logins


def _ensure_delegation(office: JointOffice) -> None:
    """The head lets the deputy (the seed's Lê Đức Trà) act for them from 2017 on."""
    deputy = Person.objects.get(full_name=DEPUTY)
    if Delegation.objects.filter(office=office, deputy=deputy).exists():
        return
    if not Membership.objects.filter(person=deputy, office=office, role=R.OFFICE_DEPUTY).exists():
        return  # a demo loaded by an earlier version (Lê Đức Trà as head): left as it is
    head = (
        Person.objects.filter(memberships__office=office, memberships__role=R.OFFICE_HEAD)
        .exclude(user=None)
        .order_by("pk")
        .first()
    )
    services.do_delegate(
        head.user if head else None, office, deputy, start_on=DELEGATION_FROM,
        note=DELEGATION_NOTE,
    )  # fmt: skip


def _ensure_login(username: str, person: Person, full_name: str) -> None:
    if person.user_id is not None:
        return
    user = User.objects.filter(username=username).first()
    if user is not None and Person.objects.filter(user=user).exists():
        return  # a demo loaded by an earlier version linked this login to someone else
    if user is None:
        *rest, given = full_name.split(" ")
        user = do_create_user(
            None,
            username=username,
            password=DEMO_PASSWORD,
            first_name=given,
            last_name=" ".join(rest),
            email=f"{username}@quangyen.example",
        )
    services.do_link_user(None, person, user)
