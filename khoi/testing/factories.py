from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from khoi.accounts.models import User
from khoi.lib.vntext import fold
from khoi.org import services
from khoi.org.models import AdminUnit, JointOffice, Membership, Organization, Person

PASSWORD = "correct-horse-battery"  # noqa: S105
_seq = itertools.count(1)
START = datetime.date(2020, 1, 1)


def unit(name: str, level: int, parent: AdminUnit | None = None, era: str = "former") -> AdminUnit:
    n = next(_seq)
    return AdminUnit.objects.create(
        era=era,
        level=level,
        code=f"T{n:05d}",
        name=name,
        division_type={1: "tỉnh", 2: "thị xã", 3: "phường"}[level],
        name_folded=fold(name),
        parent=parent,
        province=(parent.province or parent)
        if parent and level > 1 and parent.level == 2
        else parent,
        district=parent if parent and parent.level == 2 else None,
    )


def user(username: str, **kwargs: Any) -> User:
    u = User(username=username, email=f"{username}@example.org", **kwargs)
    u.set_password(PASSWORD)
    u.save()
    return u


def person(name: str, at: AdminUnit, username: str | None = None) -> Person:
    p = services.do_create_person(None, full_name=name, unit=at)
    if username:
        services.do_link_user(None, p, user(username))
    return p


@dataclass
class World:
    province: AdminUnit
    town: AdminUnit
    commune: AdminUnit
    commune2: AdminUnit
    other_town: AdminUnit
    other_commune: AdminUnit
    office: JointOffice
    other_office: JointOffice
    front: Organization
    women: Organization
    commune_front: Organization
    users: dict[str, User]
    people: dict[str, Person]


def build_world() -> World:
    """A province with two towns, each with a joint office, and the personas of DESIGN.md."""
    K, R = Organization.Kind, Membership.Role
    province = unit("Tỉnh Quảng Ninh", 1)
    town = unit("Thị xã Quảng Yên", 2, province)
    commune = unit("Phường Hà An", 3, town)
    commune2 = unit("Xã Tiền Phong", 3, town)
    other_town = unit("Thành phố Uông Bí", 2, province)
    other_commune = unit("Phường Vàng Danh", 3, other_town)
    front = services.do_create_organization(
        None, kind=K.FRONT, name="Ủy ban MTTQ thị xã", unit=town
    )
    women = services.do_create_organization(None, kind=K.WOMEN, name="Hội LHPN thị xã", unit=town)
    other_women = services.do_create_organization(
        None, kind=K.WOMEN, name="Hội LHPN Uông Bí", unit=other_town
    )
    commune_front = services.do_create_organization(
        None, kind=K.FRONT, name="Ủy ban MTTQ phường Hà An", unit=commune
    )
    office = services.do_create_office(
        None, code="quang-yen", name="Cơ quan Khối Quảng Yên", unit=town,
        established_on=datetime.date(2016, 8, 3), organizations=[front, women],
    )  # fmt: skip
    other_office = services.do_create_office(
        None, code="uong-bi", name="Cơ quan Khối Uông Bí", unit=other_town,
        established_on=None, organizations=[other_women],
    )  # fmt: skip
    people = {
        "office_head": person("Lê Đức Trà", town, "head"),
        "org_leader": person("Vũ Thị Hương", town, "leader"),
        "staff": person("Nguyễn Thị Hà", town, "staff"),
        "other_staff": person("Trần Văn Khải", other_town, "otherstaff"),
        "reporter": person("Lê Thị Mai", commune, "reporter"),
        "commune_citizen": person("Phạm Văn Dũng", commune2),
        "other_person": person("Đỗ Thị Nga", other_commune),
    }
    services.do_add_membership(
        None, people["office_head"], role=R.OFFICE_HEAD, start_on=START, office=office
    )
    services.do_add_membership(
        None, people["org_leader"], role=R.CHAIR, start_on=START, organization=women
    )
    services.do_add_membership(None, people["staff"], role=R.STAFF, start_on=START, office=office)
    services.do_add_membership(
        None, people["other_staff"], role=R.STAFF, start_on=START, office=other_office
    )
    services.do_add_membership(
        None, people["reporter"], role=R.REPORTER, start_on=START, organization=commune_front
    )
    users = {k: p.user for k, p in people.items() if p.user is not None}
    viewer = user("viewer")
    services.do_grant_unit(None, viewer, town)
    users["viewer"] = viewer
    users["outsider"] = user("outsider")
    users["admin"] = user("admin", is_superuser=True, is_staff=True)
    return World(
        province, town, commune, commune2, other_town, other_commune, office, other_office,
        front, women, commune_front, users, people,
    )  # fmt: skip
