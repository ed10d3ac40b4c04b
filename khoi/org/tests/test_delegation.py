"""The deputy head acts for the head where and while the head delegated it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from khoi.accounts.access import get_scope
from khoi.accounts.models import User
from khoi.org import services
from khoi.org.models import Membership
from khoi.petitions import access as petition_access
from khoi.petitions.models import Petition
from khoi.testing.factories import START, World, person

D = datetime.date


def _deputy(world: World) -> User:
    deputy = person("Lê Văn Phó", world.town, "deputy")
    services.do_add_membership(
        None, deputy, role=Membership.Role.OFFICE_DEPUTY, start_on=START, office=world.office,
        title="Phó Cơ quan Khối",
    )  # fmt: skip
    assert deputy.user is not None
    return deputy.user


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # the scope is cached per user object


@time_machine.travel(datetime.datetime(2025, 10, 17, 9, tzinfo=datetime.UTC), tick=False)
def test_a_deputy_is_staff_and_acts_as_head_only_while_delegated(world: World) -> None:
    user = _deputy(world)
    scope = get_scope(_fresh(user))
    assert world.office.pk in scope.staff_office_ids
    assert world.office.pk not in scope.head_office_ids
    deputy = user.person
    services.do_delegate(
        world.users["office_head"], world.office, deputy, start_on=D(2025, 10, 1),
        end_on=D(2025, 10, 31), note="Trưởng đi công tác",
    )  # fmt: skip
    scope = get_scope(_fresh(user))
    assert world.office.pk in scope.head_office_ids
    assert scope.acting_head_office_ids == {world.office.pk}
    assert world.office.pk not in scope.head_office_ids - {world.office.pk}
    # what the head may do, the acting deputy may do (e.g. assign a petition's case handler)
    assert petition_access.ROLE_HEAD in petition_access.roles(_fresh(user), _petition(world))
    with time_machine.travel(datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC), tick=False):
        assert world.office.pk not in get_scope(_fresh(user)).head_office_ids


def _petition(world: World) -> Petition:
    from khoi.petitions import services as petitions
    from khoi.petitions.models import Channel, Kind

    return petitions.do_create_petition(
        world.users["staff"], world.office,
        petitions.Intake(
            kind=Kind.REQUEST, channel=Channel.POST, received_on=D(2025, 10, 13),
            subject="Kiến nghị", content="Sửa đường.",
            petitioners=[petitions.PetitionerData("Phạm Văn Bảy")],
        ),
    )  # fmt: skip


@time_machine.travel(datetime.datetime(2025, 10, 17, 9, tzinfo=datetime.UTC), tick=False)
def test_only_the_head_delegates_and_only_to_a_deputy(world: World) -> None:
    user = _deputy(world)
    deputy = user.person
    with pytest.raises(ValidationError):
        services.do_delegate(world.users["staff"], world.office, deputy, start_on=D(2025, 10, 1))
    with pytest.raises(ValidationError):  # a plain staff member is not a deputy
        services.do_delegate(
            world.users["office_head"], world.office, world.people["staff"],
            start_on=D(2025, 10, 1),
        )  # fmt: skip
    services.do_delegate(world.users["office_head"], world.office, deputy, start_on=D(2025, 10, 1))
    with pytest.raises(ValidationError):  # acting for the head does not pass it on
        services.do_delegate(_fresh(user), world.office, deputy, start_on=D(2025, 10, 2))
