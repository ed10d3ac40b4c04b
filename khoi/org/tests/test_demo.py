from __future__ import annotations

from khoi import clock
from khoi.accounts.access import get_scope
from khoi.accounts.models import User
from khoi.audit.models import AuditEntry
from khoi.audit.services import verify_chain
from khoi.org.demo import DEMO_DATE, load_demo
from khoi.org.models import Delegation, JointOffice, Membership, Organization, Person


def test_the_demo_is_the_seeds_office_and_loads_idempotently(db: None) -> None:
    logins = load_demo()
    office = JointOffice.objects.get(code="quang-yen")
    assert office.established_on is not None
    assert office.established_on.isoformat() == "2016-08-03"
    assert office.unit.children.count() == 19
    assert office.organizations.count() == 6
    assert set(office.organizations.values_list("kind", flat=True)) == set(Organization.Kind.values)
    head = Membership.objects.get(office=office, role=Membership.Role.OFFICE_HEAD).person
    deputy = Membership.objects.get(office=office, role=Membership.Role.OFFICE_DEPUTY)
    # the seed names Lê Đức Trà "Phó Cơ quan Khối": the deputy; the head is illustrative
    assert deputy.person.full_name == "Lê Đức Trà"
    assert "Phó Cơ quan Khối" in deputy.title
    assert head.full_name != "Lê Đức Trà" and "minh họa" in head.note
    assert deputy.person.note == ""
    invented = Person.objects.exclude(full_name="Lê Đức Trà")
    assert invented.exists() and not invented.exclude(note__contains="minh họa").exists()
    with clock.use_date(DEMO_DATE):
        trà = get_scope(User.objects.get(username="phokhoi"))
        assert office.pk in trà.head_office_ids and office.pk in trà.acting_head_office_ids
        assert office.pk in get_scope(User.objects.get(username="truongkhoi")).head_office_ids
    assert Delegation.objects.get(office=office).deputy == deputy.person
    assert Membership.objects.filter(office=office, role=Membership.Role.STAFF).count() >= 9
    assert {login for login, _ in logins} >= {
        "truongkhoi",
        "phokhoi",
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


def test_the_demo_follows_the_seed_on_supervision_and_petitions(db: None) -> None:
    from khoi.petitions.models import Forwarding
    from khoi.work.models import Activity

    load_demo()
    supervision = Activity.objects.get(kind="supervision", title__startswith="Giám sát")
    assert {u.name.split(" ", 1)[1] for u in supervision.target_units.all()} == {
        "Sông Khoai", "Đông Mai", "Tiền An", "Hà An", "Yên Giang", "Liên Hòa", "Phong Hải",
    }  # fmt: skip
    authorities = set(Forwarding.objects.values_list("authority", flat=True))
    assert all(a.startswith("Chủ tịch Ủy ban nhân dân") for a in authorities), authorities
    denounced_official = Forwarding.objects.get(petition__subject__startswith="Cán bộ địa chính xã")
    assert denounced_official.authority == "Chủ tịch Ủy ban nhân dân xã Tiền Phong"
