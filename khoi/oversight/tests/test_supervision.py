"""Programmes, duplicate warnings, delegations, steps and lead times; refusals save nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from khoi.org import services as org_services
from khoi.org.models import Membership
from khoi.oversight import overlap
from khoi.oversight.models import DelegationMember, Supervision, WorkingSession
from khoi.oversight.services import supervision as services
from khoi.oversight.tests.factories import programme, supervision

D = datetime.date


def test_two_organizations_planning_the_same_supervision_are_warned(world: Any) -> None:
    p_front = programme(world)
    p_women = programme(world, world.women)
    a = supervision(world, programme=p_front, body="UBND phường Hà An",
                    subject="Giám sát việc thực hiện quy chế dân chủ ở cơ sở",
                    planned_from=D(2026, 3, 1), planned_until=D(2026, 4, 30))  # fmt: skip
    b = supervision(world, programme=p_women, organization=world.women,
                    body="Ủy ban nhân dân phường Hà An",
                    subject="Giám sát thực hiện dân chủ cơ sở",
                    planned_from=D(2026, 4, 1), planned_until=D(2026, 4, 30))  # fmt: skip
    supervision(world, programme=p_women, organization=world.women, body="UBND xã Tiền Phong",
                subject="Giám sát thực hiện dân chủ cơ sở",
                planned_from=D(2026, 4, 1), planned_until=D(2026, 4, 30))  # fmt: skip
    supervision(world, programme=p_women, organization=world.women, body="UBND phường Hà An",
                subject="Giám sát thực hiện dân chủ cơ sở",
                planned_from=D(2026, 9, 1), planned_until=D(2026, 9, 30))  # fmt: skip
    warnings = overlap.programme_warnings(world.office, 2026)
    assert [(w.first.pk, w.second.pk) for w in warnings] == [(a.pk, b.pk)]
    assert [w.second.pk for w in overlap.warnings_for(a)] == [b.pk]


def test_a_programme_for_a_past_year_or_twice_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        programme(world, year=2024)
    assert "year" in exc.value.message_dict
    programme(world)
    with pytest.raises(ValidationError):
        programme(world)


def test_the_legal_basis_is_the_rule_in_force_on_the_planned_start(world: Any) -> None:
    new = supervision(world).legal_basis
    old = supervision(world, planned_from=D(2017, 8, 1), planned_until=D(2017, 9, 30)).legal_basis
    assert new is not None and new.number == "124-QĐ/TW"
    assert old is not None and old.number == "217-QĐ/TW"


def test_a_delegation_member_must_be_a_current_member_of_an_office_organization(
    world: Any,
) -> None:
    sup = supervision(world)
    staff = world.users["staff"]
    services.add_member(staff, sup, person=world.people["org_leader"], organization=world.women,
                        role="head")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.add_member(staff, sup, person=world.people["staff"], organization=world.front)
    assert "không phải thành viên" in exc.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as exc:
        services.add_member(staff, sup, person=world.people["reporter"],
                            organization=world.commune_front)  # fmt: skip
    assert "organization" in exc.value.message_dict
    # a member whose position ended is refused too
    m = Membership.objects.get(person=world.people["org_leader"], organization=world.women)
    org_services.do_end_membership(None, m, D(2025, 10, 1))
    sup2 = supervision(world, body="UBND xã Tiền Phong")
    with pytest.raises(ValidationError):
        services.add_member(
            staff, sup2, person=world.people["org_leader"], organization=world.women
        )
    assert DelegationMember.objects.count() == 1


def test_steps_sessions_and_lead_times_on_the_working_calendar(world: Any) -> None:
    staff = world.users["staff"]
    sup = supervision(world)
    with pytest.raises(ValidationError):
        services.record_step(staff, sup, "report", on=D(2025, 10, 1))
    services.record_step(staff, sup, "decision", on=D(2025, 9, 1))
    with pytest.raises(ValidationError):
        services.record_step(staff, sup, "plan", on=D(2025, 8, 30))
    services.add_session(staff, sup, held_on=D(2025, 9, 15), place="UBND phường",
                         minutes="Biên bản")  # fmt: skip
    dues = {d.key: d for d in services.due_dates(sup, today=D(2025, 10, 20))}
    # the plan is due 7 working days before Monday 15/9 (Thursday 4/9, after the 2/9 holiday
    # and its adjacent day off are skipped) and was never sent: overdue
    assert dues["plan_before"].due_on < D(2025, 9, 15) and dues["plan_before"].overdue
    # the report is due 10 working days after the session
    assert dues["report_after"].due_on == D(2025, 9, 29) and dues["report_after"].overdue
    assert dues["report_after"].source
    services.record_step(staff, sup, "report", on=D(2025, 9, 26), summary="Kết quả")
    sup.refresh_from_db()
    assert sup.status == Supervision.Status.DONE
    dues = {d.key: d for d in services.due_dates(sup, today=D(2025, 10, 20))}
    assert not dues["report_after"].overdue
    assert WorkingSession.objects.count() == 1


def test_a_supervision_without_subject_or_body_saves_nothing(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        supervision(world, subject="", body="", planned_until=D(2025, 8, 1))
    assert {"subject", "body", "planned_until"} <= set(exc.value.message_dict)
    assert not Supervision.objects.exists()
