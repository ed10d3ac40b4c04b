from __future__ import annotations

from khoi.audit.models import AuditEntry
from khoi.audit.services import verify_chain
from khoi.org.demo import load_demo
from khoi.org.models import JointOffice, Membership, Organization, Person


def test_the_demo_is_the_seeds_office_and_loads_idempotently(db: None) -> None:
    logins = load_demo()
    office = JointOffice.objects.get(code="quang-yen")
    assert office.established_on is not None
    assert office.established_on.isoformat() == "2016-08-03"
    assert office.unit.children.count() == 19
    assert office.organizations.count() == 6
    assert set(office.organizations.values_list("kind", flat=True)) == set(Organization.Kind.values)
    head = Membership.objects.get(office=office, role=Membership.Role.OFFICE_HEAD).person
    assert head.full_name == "Lê Đức Trà"
    assert Membership.objects.filter(office=office, role=Membership.Role.STAFF).count() >= 9
    assert {login for login, _ in logins} >= {
        "truongkhoi",
        "canbo",
        "phuongha-an",
        "thanhtra",
        "quantri",
    }
    counts = (Person.objects.count(), AuditEntry.objects.count())
    load_demo()
    assert (Person.objects.count(), AuditEntry.objects.count()) == counts
    assert AuditEntry.objects.filter(action="person.create").count() == Person.objects.count()
    assert verify_chain() is None
