"""Every change to units, organizations, offices and people goes through here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import fold, nfc
from khoi.org.models import (
    AdminUnit,
    Delegation,
    JointOffice,
    Membership,
    Organization,
    Person,
    ResidentialArea,
    SubCommittee,
    UnitGrant,
    UnitSuccession,
    active_q,
)

PERSON_FIELDS = ("full_name", "gender", "birth_year", "phone", "email", "unit", "note", "is_active")


# --- Administrative units -------------------------------------------------------------


class UnknownProvince(ValueError):
    pass


@dataclass
class UnitImportResult:
    provinces: int = 0
    districts: int = 0
    communes: int = 0
    successions: int = 0
    by_era: dict[str, int] = field(default_factory=dict)


def _pad(code: int, width: int) -> str:
    return str(int(code)).zfill(width)


def resolve_province(value: str) -> int:
    """A current province code ('22') or codename ('quang_ninh') → its numeric code."""
    from vietnam_provinces import Province

    wanted = value.strip().lower()
    for province in Province.iter_all():
        code = int(province.code)
        if wanted in {str(code), _pad(code, 2), province.codename, fold(province.name)}:
            return code
        if fold(province.name).split(" ", 1)[-1].replace(" ", "_") == wanted:
            return code
    raise UnknownProvince(value)


def do_load_units(actor: Any, province_code: int | None = None) -> UnitImportResult:
    """Import the current and former trees (or one current province and its sources).

    Idempotent: units are matched on (era, code) and updated in place. Runs in one
    transaction, so a failure leaves nothing half-imported.
    """
    from vietnam_provinces import Province, Ward, legacy
    from vietnam_provinces import _province_conversion_2025 as pconv
    from vietnam_provinces import _ward_conversion_2025 as wconv

    cur_provinces = list(Province.iter_all())
    if province_code is not None:
        cur_provinces = [p for p in cur_provinces if int(p.code) == province_code]
        if not cur_provinces:
            raise UnknownProvince(str(province_code))
        old_codes = (
            {ref.code for ref in pconv.NEW_TO_OLD[province_code].old_provinces}
            if province_code in pconv.NEW_TO_OLD
            else {province_code}
        )
    else:
        old_codes = {int(p.code) for p in legacy.Province.iter_all()}
    cur_codes = {int(p.code) for p in cur_provinces}

    cur_wards = [w for w in Ward.iter_all() if int(w.province_code) in cur_codes]
    old_provinces = [p for p in legacy.Province.iter_all() if int(p.code) in old_codes]
    old_districts = [d for d in legacy.District.iter_all() if int(d.province_code) in old_codes]
    district_codes = {int(d.code) for d in old_districts}
    old_wards = [w for w in legacy.Ward.iter_all() if int(w.district_code) in district_codes]
    district_province = {int(d.code): int(d.province_code) for d in old_districts}

    C, F = AdminUnit.Era.CURRENT, AdminUnit.Era.FORMER
    L = AdminUnit.Level
    result = UnitImportResult()

    def rows(era: str, level: int, items: Iterable[Any], width: int) -> list[AdminUnit]:
        return [
            AdminUnit(
                era=era,
                level=level,
                code=_pad(int(item.code), width),
                name=nfc(item.name),
                division_type=str(item.division_type),
                name_folded=fold(item.name),
            )
            for item in items
        ]

    def upsert(units: list[AdminUnit], extra: list[str]) -> None:
        AdminUnit.objects.bulk_create(
            units,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["era", "code"],
            update_fields=["name", "division_type", "name_folded", "level", *extra],
        )

    def ids(era: str, level: int) -> dict[str, int]:
        return dict(
            AdminUnit.objects.filter(era=era, level=level).values_list("code", "id").iterator()
        )

    with transaction.atomic():
        upsert(rows(C, L.PROVINCE, cur_provinces, 2) + rows(F, L.PROVINCE, old_provinces, 2), [])
        cur_p, old_p = ids(C, L.PROVINCE), ids(F, L.PROVINCE)

        districts = rows(F, L.DISTRICT, old_districts, 3)
        for unit, dsrc in zip(districts, old_districts, strict=True):
            unit.parent_id = unit.province_id = old_p[_pad(int(dsrc.province_code), 2)]
        upsert(districts, ["parent", "province"])
        old_d = ids(F, L.DISTRICT)

        communes = rows(C, L.COMMUNE, cur_wards, 5)
        for unit, wsrc in zip(communes, cur_wards, strict=True):
            unit.parent_id = unit.province_id = cur_p[_pad(int(wsrc.province_code), 2)]
        former_communes = rows(F, L.COMMUNE, old_wards, 5)
        for unit, osrc in zip(former_communes, old_wards, strict=True):
            dcode = int(osrc.district_code)
            unit.parent_id = unit.district_id = old_d[_pad(dcode, 3)]
            unit.province_id = old_p[_pad(district_province[dcode], 2)]
        upsert(communes + former_communes, ["parent", "province", "district"])
        cur_c, old_c = ids(C, L.COMMUNE), ids(F, L.COMMUNE)

        links: list[UnitSuccession] = []
        for old in old_wards:
            entry = wconv.OLD_TO_NEW.get(int(old.code))
            if entry is None:
                continue
            former_id = old_c[_pad(int(old.code), 5)]
            for new in entry.new_wards:
                current_id = cur_c.get(_pad(new.code, 5))
                if current_id is not None:
                    links.append(
                        UnitSuccession(
                            former_id=former_id,
                            current_id=current_id,
                            partial=entry.old_ward.is_partly_merged,
                        )
                    )
        for old_prov in old_provinces:
            pentry = pconv.OLD_TO_NEW.get(int(old_prov.code))
            for pnew in pentry.new_provinces if pentry else ():
                if _pad(pnew.code, 2) in cur_p:
                    links.append(
                        UnitSuccession(
                            former_id=old_p[_pad(int(old_prov.code), 2)],
                            current_id=cur_p[_pad(pnew.code, 2)],
                            partial=len(pentry.new_provinces) > 1 if pentry else False,
                        )
                    )
        UnitSuccession.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)

        result.provinces = len(cur_provinces) + len(old_provinces)
        result.districts = len(old_districts)
        result.communes = len(cur_wards) + len(old_wards)
        result.successions = len(links)
        result.by_era = {
            C: len(cur_provinces) + len(cur_wards),
            F: len(old_provinces) + len(old_districts) + len(old_wards),
        }
        anchor = AdminUnit.objects.filter(era=C).order_by("code").first()
        if anchor is not None:
            audit.record(
                actor,
                "units.import",
                anchor,
                {
                    "province": [None, province_code],
                    "provinces": [None, result.provinces],
                    "districts": [None, result.districts],
                    "communes": [None, result.communes],
                    "successions": [None, result.successions],
                },
            )
    return result


def current_successors(unit: AdminUnit) -> list[AdminUnit]:
    """The current units a former unit went to (several when it was split)."""
    return [s.current for s in unit.successors.select_related("current")]


# --- Residential areas -------------------------------------------------------------------


def do_add_residential_area(
    actor: Any, commune: AdminUnit, name: str, kind: str
) -> ResidentialArea:
    name = nfc(name)
    if commune.level != AdminUnit.Level.COMMUNE:
        raise ValidationError({"commune": _("Residential areas belong to a commune or ward.")})
    if not name:
        raise ValidationError({"name": _("Enter the name of the residential area.")})
    if ResidentialArea.objects.filter(commune=commune, name_folded=fold(name)).exists():
        raise ValidationError(
            {"name": _("“%(name)s” already exists in this commune.") % {"name": name}}
        )
    area = ResidentialArea(commune=commune, name=name, kind=kind)
    audit.create(actor, area, "area.create")
    return area


@dataclass
class RowError:
    row: int
    column: str
    message: str


def parse_area_rows(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[list[tuple[str, str]], list[RowError]]:
    """Rows (name, kind) from a spreadsheet, header in the first row. Returns valid, errors."""
    kinds_by_label = {fold(str(label)): value for value, label in ResidentialArea.Kind.choices}
    for value, _label in ResidentialArea.Kind.choices:
        kinds_by_label[value] = value
    short = {"thon": "village", "khu pho": "quarter", "to dan pho": "group", "khu dan cu": "area",
             "ap": "hamlet", "ban": "hamlet"}  # fmt: skip
    kinds_by_label.update(short)
    valid: list[tuple[str, str]] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        if index == 1:
            continue
        cells = [("" if c is None else str(c)).strip() for c in (*row, "", "")[:2]]
        name, kind_text = nfc(cells[0]), cells[1]
        if not name and not kind_text:
            continue
        if not name:
            errors.append(RowError(index, "A", _("The name is empty.")))
            continue
        kind = kinds_by_label.get(fold(kind_text)) if kind_text else "area"
        if kind is None:
            errors.append(RowError(index, "B", _("Unknown kind “%(kind)s”.") % {"kind": kind_text}))
            continue
        if fold(name) in seen:
            errors.append(RowError(index, "A", _("“%(name)s” is repeated.") % {"name": name}))
            continue
        seen.add(fold(name))
        valid.append((name, kind))
    return valid, errors


def do_import_residential_areas(actor: Any, commune: AdminUnit, rows: list[tuple[str, str]]) -> int:
    """Add the areas not yet present; all or nothing."""
    existing = set(commune.residential_areas.values_list("name_folded", flat=True))
    added = 0
    with transaction.atomic():
        for name, kind in rows:
            if fold(name) in existing:
                continue
            do_add_residential_area(actor, commune, name, kind)
            added += 1
    return added


# --- Organizations and offices ---------------------------------------------------------------


def do_create_organization(
    actor: Any,
    *,
    kind: str,
    name: str,
    unit: AdminUnit,
    short_name: str = "",
    parent: Organization | None = None,
) -> Organization:
    org = Organization(kind=kind, name=name, unit=unit, short_name=short_name, parent=parent)
    audit.create(actor, org, "organization.create")
    return org


def do_create_office(
    actor: Any,
    *,
    code: str,
    name: str,
    unit: AdminUnit,
    established_on: datetime.date | None,
    organizations: Iterable[Organization],
) -> JointOffice:
    with transaction.atomic():
        office = JointOffice(code=code, name=name, unit=unit, established_on=established_on)
        audit.create(actor, office, "office.create", office_id=None)
        orgs = list(organizations)
        office.organizations.set(orgs)
        audit.record(
            actor,
            "office.set_organizations",
            office,
            {"organizations": [[], sorted(o.pk for o in orgs)]},
            office_id=office.pk,
        )
    return office


def do_add_subcommittee(
    actor: Any, office: JointOffice, name: str, description: str = ""
) -> SubCommittee:
    name = nfc(name)
    if SubCommittee.objects.filter(office=office, name=name).exists():
        raise ValidationError({"name": _("This sub-committee already exists.")})
    sub = SubCommittee(office=office, name=name, description=description)
    audit.create(actor, sub, "subcommittee.create", office_id=office.pk)
    return sub


# --- People and memberships ---------------------------------------------------------------


def office_id_for_unit(unit: AdminUnit) -> int | None:
    """The office whose unit covers ``unit`` (nearest first), for filtering the log."""
    candidates = [unit.pk, unit.district_id, unit.province_id]
    offices = dict(
        JointOffice.objects.filter(unit_id__in=[c for c in candidates if c]).values_list(
            "unit_id", "id"
        )
    )
    for c in candidates:
        if c in offices:
            return offices[c]
    return None


def do_create_person(actor: Any, **data: Any) -> Person:
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    person.full_clean()
    audit.create(actor, person, "person.create", office_id=office_id_for_unit(person.unit))
    return person


def _check_activation(actor: Any, person: Person, active: bool) -> None:
    """Who may change whom is active (issue #9, finding 4): the head of the office covering
    the person's unit and the site administrator; never the last head of an office out."""
    from khoi.accounts.access import get_scope

    if actor is None:  # the system (loaders, commands)
        return
    scope = get_scope(actor)
    if not scope.is_admin and office_id_for_unit(person.unit) not in scope.head_office_ids:
        msg = _("Only the office head or the site administrator changes who is active.")
        raise ValidationError({"is_active": msg})
    if active:
        return
    heads = Membership.objects.filter(active_q(), role=Membership.Role.OFFICE_HEAD)
    for office_id in heads.filter(person=person).values_list("office_id", flat=True):
        others = heads.filter(office_id=office_id, person__is_active=True).exclude(person=person)
        if not others.exists() and not scope.is_admin:
            raise ValidationError(
                {"is_active": _("The last head of an office cannot be made inactive.")}
            )


def do_update_person(actor: Any, person: Person, **data: Any) -> dict[str, list[Any]]:
    clean = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    if "is_active" in clean and bool(clean["is_active"]) != person.is_active:
        _check_activation(actor, person, bool(clean["is_active"]))
    if "full_name" in clean:
        clean["full_name"] = nfc(clean["full_name"])
    return audit.update_fields(
        actor, person, clean, "person.update", office_id=office_id_for_unit(person.unit)
    )


def do_add_membership(
    actor: Any,
    person: Person,
    *,
    role: str,
    start_on: datetime.date,
    organization: Organization | None = None,
    office: JointOffice | None = None,
    subcommittee: SubCommittee | None = None,
    title: str = "",
    end_on: datetime.date | None = None,
) -> Membership:
    if end_on is not None and end_on < start_on:
        raise ValidationError({"end_on": _("The end date cannot be before the start date.")})
    if sum(x is not None for x in (organization, office, subcommittee)) != 1:
        raise ValidationError(
            _("Choose exactly one of: organization, joint office, sub-committee.")
        )
    m = Membership(
        person=person,
        role=role,
        start_on=start_on,
        end_on=end_on,
        organization=organization,
        office=office,
        subcommittee=subcommittee,
        title=title,
    )
    office_id = (
        office.pk
        if office
        else subcommittee.office_id
        if subcommittee
        else office_id_for_unit(organization.unit)
        if organization
        else None
    )
    audit.create(actor, m, "membership.create", office_id=office_id)
    return m


def do_end_membership(actor: Any, membership: Membership, end_on: datetime.date) -> None:
    if end_on < membership.start_on:
        raise ValidationError({"end_on": _("The end date cannot be before the start date.")})
    audit.update_fields(
        actor,
        membership,
        {"end_on": end_on},
        "membership.end",
        office_id=membership.office_id,
    )


def do_grant_unit(actor: Any, user: Any, unit: AdminUnit, note: str = "") -> UnitGrant:
    grant = UnitGrant(user=user, unit=unit, note=note, start_on=clock.today())
    audit.create(actor, grant, "grant.create")
    return grant


def do_link_user(actor: Any, person: Person, user: Any) -> None:
    audit.update_fields(
        actor, person, {"user": user}, "person.link_user", office_id=office_id_for_unit(person.unit)
    )


def do_delegate(
    actor: Any,
    office: JointOffice,
    deputy: Person,
    *,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    note: str = "",
) -> Delegation:
    """The head (or a site administrator) lets a deputy act for the head of ``office`` from
    ``start_on`` to ``end_on``. The deputy must hold the deputy role there on ``start_on``;
    a deputy acting by delegation cannot delegate further."""
    from khoi.accounts.access import get_scope

    if actor is not None:
        scope = get_scope(actor)
        if not scope.is_admin and (
            office.pk not in scope.head_office_ids or office.pk in scope.acting_head_office_ids
        ):
            raise ValidationError(_("Only the head of the office delegates to a deputy."))
    if end_on is not None and end_on < start_on:
        raise ValidationError({"end_on": _("The end date cannot be before the start date.")})
    is_deputy = Membership.objects.filter(
        active_q(day=start_on),
        person=deputy,
        office=office,
        role=Membership.Role.OFFICE_DEPUTY,
    ).exists()
    if not is_deputy:
        raise ValidationError(
            {"deputy": _("The person is not a deputy head of this office on that date.")}
        )
    delegation = Delegation(
        office=office, deputy=deputy, start_on=start_on, end_on=end_on, note=nfc(note)
    )
    audit.create(actor, delegation, "delegation.create", office_id=office.pk)
    return delegation
