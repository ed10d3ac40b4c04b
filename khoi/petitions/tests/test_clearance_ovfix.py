"""Regressions of the review (branch ovfix): a household's stage changes under a row lock
(a change made on a stale copy is checked against the stage in the database), and an open
obligation reads "chưa thực hiện"."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from khoi.petitions import clearance as services
from khoi.petitions import services as petition_services
from khoi.petitions.models import AffectedHousehold, StageChange
from khoi.testing.factories import World

D = datetime.date


def test_a_stage_change_is_checked_on_the_locked_row_not_a_stale_copy(world: World) -> None:
    staff = world.users["staff"]
    project = petition_services.do_create_key_project(
        staff, world.office, name="Khu công nghiệp cảng biển", units=[world.commune]
    )
    h = services.do_add_household(
        staff, project, unit=world.commune, head_name="Nguyễn Văn Thắng", area_name="Khu 3",
        on=D(2025, 3, 10),
    )  # fmt: skip
    first = AffectedHousehold.objects.get(pk=h.pk)
    second = AffectedHousehold.objects.get(pk=h.pk)  # another request's copy, read before
    services.do_change_stage(staff, first, to_stage="inventoried", on=D(2025, 4, 1))
    with pytest.raises(ValidationError):
        services.do_change_stage(staff, second, to_stage="inventoried", on=D(2025, 4, 1))
    assert StageChange.objects.filter(household=h).count() == 2  # added, then inventoried
    # the stale copy jumps from "notified" to "plan posted" only if the database agrees
    services.do_change_stage(staff, second, to_stage="plan_posted", on=D(2025, 5, 2))
    assert second.stage == "plan_posted"
    h.refresh_from_db()
    assert h.stage == "plan_posted" and StageChange.objects.filter(household=h).count() == 3


def test_an_open_obligation_reads_not_yet_done(world: World) -> None:
    staff = world.users["staff"]
    rules = services.do_create_rules(
        staff, world.office, title="Quy chế phối hợp GPMB", counterpart="UBND thị xã",
        signed_on=D(2025, 3, 1), projects=[],
    )  # fmt: skip
    services.do_add_obligation(
        staff, rules, owner="UBND thị xã", content="Cung cấp phương án bồi thường",
        due_on=D(2025, 12, 1),
    )  # fmt: skip
    c = Client()
    c.force_login(staff)
    page = c.get(reverse("petitions:rules_detail", args=[rules.pk])).content.decode()
    assert "<td>chưa thực hiện</td>" in page and "<td>mở</td>" not in page
