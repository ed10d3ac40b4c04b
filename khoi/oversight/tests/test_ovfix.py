"""Regressions of the review of the oversight app (branch ovfix): each test failed before
its fix."""

from __future__ import annotations

import datetime
from typing import Any

from khoi.org import services as org_services
from khoi.org.models import Membership
from khoi.oversight import access
from khoi.oversight.models import Supervision
from khoi.oversight.tests.factories import supervision

D = datetime.date


def _fresh(user: Any) -> Any:
    return type(user).objects.get(pk=user.pk)  # no cached scope


def test_a_reporter_who_leads_their_commune_front_records_their_commune(world: Any) -> None:
    org_services.do_add_membership(
        None, world.people["reporter"], role=Membership.Role.CHAIR, start_on=D(2020, 1, 1),
        organization=world.commune_front,
    )  # fmt: skip
    reporter = _fresh(world.users["reporter"])
    assert access.can_write(reporter, world.office, world.commune_front.pk, world.commune.pk)
    assert not access.can_write(reporter, world.office, world.commune_front.pk, world.commune2.pk)
    sup = supervision(
        world, actor=reporter, organization=world.commune_front, unit=world.commune,
        subject="Giám sát bình xét hộ nghèo", form=Supervision.Form.INSPECTION_BOARD,
    )  # fmt: skip
    assert access.get_supervision_for_user(_fresh(reporter), sup.pk) == sup


def test_the_lead_organization_and_the_commune_belong_to_the_office(world: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from khoi.org.models import Organization

    uong_bi_women = Organization.objects.get(name="Hội LHPN Uông Bí")
    with pytest.raises(ValidationError) as exc:
        supervision(world, organization=uong_bi_women)
    assert "không phải là tổ chức của Cơ quan Khối Quảng Yên" in exc.value.message_dict[
        "organization"][0]  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        supervision(world, unit=world.other_commune)
    assert "không thuộc địa bàn của Cơ quan Khối Quảng Yên" in exc.value.message_dict["unit"][0]
    assert not Supervision.objects.exists()
    # the commune's own Front leads its commune's supervision
    assert supervision(world, organization=world.commune_front, unit=world.commune).pk


def test_delegation_membership_is_checked_on_the_decision_date(world: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from khoi.oversight.services import supervision as services

    staff = world.users["staff"]
    left, joined = world.people["commune_citizen"], world.people["other_person"]
    org_services.do_add_membership(None, left, role=Membership.Role.MEMBER,
                                   start_on=D(2020, 1, 1), end_on=D(2025, 9, 30),
                                   organization=world.women)  # fmt: skip
    org_services.do_add_membership(None, joined, role=Membership.Role.MEMBER,
                                   start_on=D(2025, 10, 1), organization=world.women)  # fmt: skip
    sup = supervision(world)
    Supervision.objects.filter(pk=sup.pk).update(decision_on=D(2025, 9, 5))
    sup.refresh_from_db()
    # today is 20/10/2025: she left on 30/09 but was a member when the delegation was set up
    assert services.add_member(staff, sup, person=left, organization=world.women).pk
    with pytest.raises(ValidationError) as exc:
        services.add_member(staff, sup, person=joined, organization=world.women)
    assert "05/09/2025" in exc.value.message_dict["person"][0]
