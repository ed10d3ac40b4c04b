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
