"""Fixtures of the petition tests: frozen time, a case handler, a few petitions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

from khoi.accounts.models import User
from khoi.org import services as org_services
from khoi.org.models import Membership
from khoi.petitions import services
from khoi.petitions.models import Channel, KeyProject, Kind, Petition
from khoi.testing.factories import START, World, person

D = datetime.date
TODAY = D(2025, 10, 17)  # a Friday
SECRET_NAME = "Hoàng Thị Bí Mật"
SECRET_ADDRESS = "Số 7 ngõ Kín, phường Hà An"


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(
        datetime.datetime(2025, 10, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )


@dataclass
class Case:
    world: World
    handler: User
    project: KeyProject
    complaint: Petition
    denunciation: Petition
    other: Petition  # in the other office


def intake(**kw: object) -> services.Intake:
    base: dict[str, object] = {
        "kind": Kind.COMPLAINT,
        "channel": Channel.POST,
        "received_on": D(2025, 10, 13),
        "subject": "Quyết định thu hồi đất dự án Trung tâm Y tế",
        "content": "Đề nghị xem xét lại đơn giá bồi thường đất ở tại khu 5.",
        "petitioners": [services.PetitionerData("Nguyễn Văn Thành", "Khu 5, phường Hà An")],
    }
    base.update(kw)
    return services.Intake(**base)  # type: ignore[arg-type]


@pytest.fixture
def case(world: World) -> Case:
    handler_person = person("Trần Văn Nam", world.town, "handler")
    org_services.do_add_membership(
        None, handler_person, role=Membership.Role.STAFF, start_on=START, office=world.office
    )
    staff = world.users["staff"]
    project = services.do_create_key_project(
        staff, world.office, name="Trung tâm Y tế thị xã", units=[world.commune]
    )
    complaint = services.do_create_petition(
        staff, world.office, intake(units=[world.commune], key_project=project)
    )
    denunciation = services.do_create_petition(
        staff,
        world.office,
        intake(
            kind=Kind.DENUNCIATION,
            subject="Cán bộ địa chính ghi sai diện tích kiểm đếm",
            content="Cán bộ địa chính phường ghi tăng diện tích cho người quen.",
            petitioners=[services.PetitionerData(SECRET_NAME, SECRET_ADDRESS, "0912000111")],
        ),
    )
    assert handler_person.user is not None
    services.do_assign_handler(world.users["office_head"], denunciation, handler_person.user)
    other_staff = world.users["other_staff"]
    other = services.do_create_petition(other_staff, world.other_office, intake())
    return Case(world, handler_person.user, project, complaint, denunciation, other)
