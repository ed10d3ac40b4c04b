"""API for units, organizations, offices and people.

No ``from __future__ import annotations`` here: django-ninja reads the annotations of
query parameters at run time.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khoi.accounts.access import not_found
from khoi.http import DbInt, ErrorOut, PageNumberPagination
from khoi.lib.vntext import fold
from khoi.org import access, services
from khoi.org.forms import PersonForm
from khoi.org.models import AdminUnit, JointOffice, Organization, Person

router = Router()


class UnitOut(Schema):
    id: int
    era: str
    level: int
    code: str
    name: str
    division_type: str
    parent_id: int | None = None


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    unit_id: int
    parent_id: int | None = None


class OfficeOut(Schema):
    id: int
    code: str
    name: str
    unit_id: int
    established_on: Any = None
    organization_ids: list[int] = Field(default_factory=list)


class PersonOut(Schema):
    id: int
    full_name: str
    gender: str
    birth_year: int | None = None
    phone: str
    email: str
    unit_id: int
    is_active: bool


class PersonIn(Schema):
    full_name: str
    unit_id: DbInt
    gender: str = ""
    birth_year: DbInt | None = None
    phone: str = ""
    email: str = ""
    note: str = ""
    is_active: bool = True


class PersonPatch(Schema):
    full_name: str | None = None
    unit_id: DbInt | None = None
    gender: str | None = None
    birth_year: DbInt | None = None
    phone: str | None = None
    email: str | None = None
    note: str | None = None
    is_active: bool | None = None


@router.get("units", response=list[UnitOut], tags=["units"])
@paginate(PageNumberPagination, page_size=100)
def list_units(
    request: HttpRequest, era: str = "current", parent: DbInt | None = None, q: str = ""
) -> Any:
    units = access.units_for_user(request.user).filter(era=era)
    if parent is not None:
        units = units.filter(parent_id=parent)
    elif not q:
        units = units.filter(level=AdminUnit.Level.PROVINCE)
    if q:
        units = units.filter(name_folded__contains=fold(q))
    return units.order_by("level", "code")


@router.get("units/{int:unit_id}", response=UnitOut, tags=["units"])
def get_unit(request: HttpRequest, unit_id: DbInt) -> Any:
    return access.get_unit_for_user(request.user, unit_id)


@router.get("organizations", response=list[OrganizationOut], tags=["organizations"])
@paginate(PageNumberPagination, page_size=100)
def list_organizations(request: HttpRequest, q: str = "", kind: str = "") -> Any:
    orgs = access.organizations_for_user(request.user)
    if q:
        orgs = orgs.filter(name_folded__contains=fold(q))
    if kind:
        orgs = orgs.filter(kind=kind)
    return orgs.order_by("id")


@router.get("organizations/{int:org_id}", response=OrganizationOut, tags=["organizations"])
def get_organization(request: HttpRequest, org_id: DbInt) -> Any:
    return access.get_organization_for_user(request.user, org_id)


def _office_out(office: JointOffice) -> dict[str, Any]:
    return {
        "id": office.pk,
        "code": office.code,
        "name": office.name,
        "unit_id": office.unit_id,
        "established_on": office.established_on,
        "organization_ids": [o.pk for o in office.organizations.all()],
    }


@router.get("offices", response=list[OfficeOut], tags=["offices"])
def list_offices(request: HttpRequest) -> Any:
    offices = access.offices_for_user(request.user).prefetch_related("organizations").order_by("id")
    return [_office_out(o) for o in offices]


@router.get("offices/{code}", response=OfficeOut, tags=["offices"])
def get_office(request: HttpRequest, code: str) -> Any:
    return _office_out(access.get_office_for_user(request.user, code))


@router.get("people", response=list[PersonOut], tags=["people"])
@paginate(PageNumberPagination, page_size=50)
def list_people(request: HttpRequest, q: str = "", unit: DbInt | None = None) -> Any:
    people = access.people_for_user(request.user)
    for word in fold(q).split():
        people = people.filter(name_folded__contains=word)
    if unit is not None:
        people = people.filter(unit_id=unit)
    return people.order_by("name_key", "id")


@router.get("people/{int:person_id}", response=PersonOut, tags=["people"])
def get_person(request: HttpRequest, person_id: DbInt) -> Any:
    return access.get_person_for_user(request.user, person_id)


def _form_errors(form: PersonForm) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for field, errs in form.errors.items():
        out["unit_id" if field == "unit" else field] = [str(e) for e in errs]
    return out


def _write_units(request: HttpRequest) -> Any:
    from khoi.accounts.access import get_scope

    return AdminUnit.objects.filter(get_scope(request.user).units_q(write=True))


@router.post("people", response={201: PersonOut, 422: ErrorOut, 404: ErrorOut}, tags=["people"])
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    if not access.can_edit_person(request.user):
        raise not_found()
    data = payload.dict()
    data["unit"] = data.pop("unit_id")
    form = PersonForm(data, units=_write_units(request))
    if not form.is_valid():
        raise DjangoValidationError(_form_errors(form))
    person = services.do_create_person(request.user, **form.cleaned_data)
    return Status(201, person)


@router.patch("people/{int:person_id}", response={200: PersonOut, 422: ErrorOut}, tags=["people"])
def update_person(request: HttpRequest, person_id: DbInt, payload: PersonPatch) -> Any:
    person = access.get_person_for_user(request.user, person_id)
    if not access.can_edit_person(request.user, person):
        raise not_found()
    current = {
        "full_name": person.full_name,
        "unit": person.unit_id,
        "gender": person.gender,
        "birth_year": person.birth_year,
        "phone": person.phone,
        "email": person.email,
        "note": person.note,
        "is_active": person.is_active,
    }
    for key, value in payload.dict(exclude_unset=True).items():
        current["unit" if key == "unit_id" else key] = value
    form = PersonForm(
        current, instance=Person.objects.get(pk=person.pk), units=_write_units(request)
    )
    if not form.is_valid():
        raise DjangoValidationError(_form_errors(form))
    services.do_update_person(request.user, person, **form.cleaned_data)
    person.refresh_from_db()
    return Status(200, person)


__all__ = ["Organization", "router"]
