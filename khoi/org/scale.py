"""The org app's part of ``manage.py generate_scale`` (``khoi.ops.scale``): the synthetic
unit tree (provinces, then their communes), and per commune the Front and five
organizations, the joint office and its staff.

Names are synthetic and plainly so ("Xã Mẫu 00017"); unit codes start with "G" so that they
never collide with the real units of ``load_units``. The derived columns the models'
``save()`` fills (folded names) are filled here the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from khoi.lib.vntext import fold, name_collation_key, nfc
from khoi.ops.scale import ScaleContext, UnitTree, register_generator, register_unit_tree
from khoi.org.models import AdminUnit, JointOffice, Organization, Person

# Names of the generated units (data written to the database, not messages).
PROVINCE_NAME, PROVINCE_TYPE = "Tỉnh Mẫu", "Tỉnh"
COMMUNE_NAME, COMMUNE_TYPE = "Xã Mẫu", "Xã"
BATCH = 5000
ORG_NAMES = {
    "front": "Ủy ban MTTQ",
    "women": "Hội LHPN",
    "youth": "Đoàn TNCS Hồ Chí Minh",
    "farmers": "Hội Nông dân",
    "veterans": "Hội Cựu chiến binh",
    "labour": "Công đoàn",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hương", "Khánh", "Lan", "Mai", "Nam", "Sơn", "Trà"]


def has_generated_units() -> bool:
    return AdminUnit.objects.filter(code__startswith="G").exists()


def make_provinces(count: int) -> list[Any]:
    """Provinces G01…G<count> of the current tree."""
    return AdminUnit.objects.bulk_create(
        [
            AdminUnit(
                era=AdminUnit.Era.CURRENT,
                level=AdminUnit.Level.PROVINCE,
                code=f"G{p:02d}",
                name=f"{PROVINCE_NAME} {p:02d}",
                division_type=PROVINCE_TYPE,
                name_folded=f"tinh mau {p:02d}",
            )
            for p in range(1, count + 1)
        ]
    )


def make_communes(province: Any, numbers: range) -> list[Any]:
    """Communes G<n+1> for each n of ``numbers`` under ``province``."""
    return AdminUnit.objects.bulk_create(
        [
            AdminUnit(
                era=AdminUnit.Era.CURRENT,
                level=AdminUnit.Level.COMMUNE,
                code=f"G{c + 1:05d}",
                name=f"{COMMUNE_NAME} {c + 1:05d}",
                division_type=COMMUNE_TYPE,
                name_folded=f"xa mau {c + 1:05d}",
                parent=province,
                province=province,
            )
            for c in numbers
        ],
        batch_size=BATCH,
    )


def generate_org(ctx: ScaleContext) -> dict[str, int]:
    orgs: list[Any] = []
    for commune in ctx.communes:
        for kind, label in ORG_NAMES.items():
            name = nfc(f"{label} {commune.name}")
            orgs.append(Organization(kind=kind, name=name, unit=commune, name_folded=fold(name)))
    Organization.objects.bulk_create(orgs, batch_size=BATCH)
    offices = [
        JointOffice(
            code=f"g-{commune.code.lower()}",
            name=f"Cơ quan Khối {commune.name}",
            unit=commune,
            established_on=dt.date(2025, 7, 1),
        )
        for commune in ctx.communes
    ]
    JointOffice.objects.bulk_create(offices, batch_size=BATCH)
    through = JointOffice.organizations.through
    links = []
    people: list[Any] = []
    for i, (commune, office) in enumerate(zip(ctx.communes, offices, strict=True)):
        ctx.offices[commune.pk] = office
        ctx.organizations[commune.pk] = orgs[i * 6 : i * 6 + 6]
        links += [through(jointoffice=office, organization=o) for o in orgs[i * 6 : i * 6 + 6]]
        for _ in range(6):
            full = nfc(f"{ctx.rng.choice(FAMILY)} {ctx.rng.choice(MIDDLE)} {ctx.rng.choice(GIVEN)}")
            people.append(
                Person(
                    full_name=full,
                    unit=commune,
                    name_key=name_collation_key(full)[:255],
                    name_folded=fold(full),
                )
            )
    through.objects.bulk_create(links, batch_size=BATCH)
    Person.objects.bulk_create(people, batch_size=BATCH)
    for i, commune in enumerate(ctx.communes):
        ctx.staff[commune.pk] = people[i * 6 : i * 6 + 6]
    return {
        "org.Organization": len(orgs),
        "org.JointOffice": len(offices),
        "org.Person": len(people),
    }


def register() -> None:
    register_unit_tree(UnitTree(has_generated_units, make_provinces, make_communes))
    register_generator("org", generate_org)
