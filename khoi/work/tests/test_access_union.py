"""The visibility querysets as UNIONs of pk subqueries (issue #14, national load) answer
exactly what the former OR-across-joins querysets answered, for every persona, on random
activities, joint work and tasks spread over both towns."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.db.models import Q, QuerySet

from khoi.accounts.access import full_read_office_ids, get_scope
from khoi.fund import access as fund_access
from khoi.fund.models import Fund
from khoi.org import services as org_services
from khoi.org.models import AdminUnit, Organization, Person, SubCommittee
from khoi.testing.factories import START, World
from khoi.work import access
from khoi.work.models import Activity, JointActivity, Task

D = datetime.date


def _office_q(scope: Any) -> Q:
    ids = full_read_office_ids(scope)
    return Q() if ids is None else Q(office_id__in=ids)


def old_activities(user: Any) -> QuerySet[Activity]:
    scope = get_scope(user)
    if scope.is_admin:
        return Activity.objects.all()
    orgs = scope.member_org_ids
    q = _office_q(scope) | Q(organization_id__in=orgs) | Q(participants__in=orgs)
    q |= Q(joint__lead_id__in=orgs) | Q(joint__co_organizers__in=orgs)
    if scope.reporter_unit_ids:
        q |= Q(target_units__in=scope.reporter_unit_ids)
    return Activity.objects.filter(pk__in=Activity.objects.filter(q).values("pk"))


def old_joints(user: Any) -> QuerySet[JointActivity]:
    scope = get_scope(user)
    if scope.is_admin:
        return JointActivity.objects.all()
    orgs = scope.member_org_ids
    q = _office_q(scope) | Q(lead_id__in=orgs) | Q(co_organizers__in=orgs)
    return JointActivity.objects.filter(pk__in=JointActivity.objects.filter(q).values("pk"))


def old_tasks(user: Any) -> QuerySet[Task]:
    scope = get_scope(user)
    if scope.is_admin:
        return Task.objects.all()
    q = _office_q(scope) | Q(assigned_by_id=scope.user_id)
    if scope.person_id:
        q |= Q(assignee_id=scope.person_id)
    if scope.subcommittee_ids:
        q |= Q(assignee_subcommittee_id__in=scope.subcommittee_ids)
    if scope.led_org_ids:
        q |= Q(activity__organization_id__in=scope.led_org_ids)
        q |= Q(joint__lead_id__in=scope.led_org_ids) | Q(joint__co_organizers__in=scope.led_org_ids)
    return Task.objects.filter(pk__in=Task.objects.filter(q).values("pk"))


def old_funds(user: Any) -> QuerySet[Fund]:
    scope = get_scope(user)
    if scope.is_admin:
        return Fund.objects.all()
    return Fund.objects.filter(scope.units_q("unit__") | Q(accountants=user)).distinct()


def _random_world(world: World, rng: random.Random) -> None:
    offices = [world.office, world.other_office]
    orgs = list(Organization.objects.all())
    units = list(AdminUnit.objects.all())
    people = list(Person.objects.all())
    users = [u for k, u in world.users.items() if k != "admin"]
    subs = [
        SubCommittee.objects.create(office=world.office, name="Tiểu ban A"),
        SubCommittee.objects.create(office=world.other_office, name="Tiểu ban B"),
    ]
    # a staff member also sits on a sub-committee, so the sub-committee branch is exercised
    org_services.do_add_membership(
        None, world.people["staff"], role="member", start_on=START, subcommittee=subs[0]
    )
    joints = []
    for i in range(12):
        j = JointActivity.objects.create(
            office=rng.choice(offices), title=f"J{i}", kind="propaganda",
            lead=rng.choice(orgs), start_on=D(2026, 1, 1), end_on=D(2026, 2, 1),
            status=rng.choice(["proposed", "active", "done"]),
        )  # fmt: skip
        j.co_organizers.set(rng.sample(orgs, rng.randint(0, 3)))
        joints.append(j)
    acts = []
    for i in range(40):
        a = Activity.objects.create(
            office=rng.choice(offices), organization=rng.choice(orgs), kind="propaganda",
            title=f"A{i}", start_on=D(2026, 1, 1), end_on=D(2026, 1, 2), status="planned",
            joint=rng.choice([None, None, *joints]),
        )  # fmt: skip
        a.participants.set(rng.sample(orgs, rng.randint(0, 3)))
        a.target_units.set(rng.sample(units, rng.randint(0, 3)))
        acts.append(a)
    for i in range(80):
        assignee = rng.choice([None, *people])
        sub = rng.choice([None, *subs]) if assignee else rng.choice(subs)
        Task.objects.create(
            office=rng.choice(offices), title=f"T{i}", due_on=D(2026, 3, 1),
            activity=rng.choice([None, *acts]), joint=rng.choice([None, None, *joints]),
            assignee=assignee, assignee_subcommittee=sub,
            assigned_by=rng.choice([None, *users]),
        )  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_union_querysets_see_what_the_or_querysets_saw(world: World, seed: int) -> None:
    _random_world(world, random.Random(seed))
    pairs = [
        (access.activities_for_user, old_activities),
        (access.joints_for_user, old_joints),
        (access.tasks_for_user, old_tasks),
        (fund_access.funds_for_user, old_funds),
    ]
    seen_something = 0
    for name, user in world.users.items():
        for new, old in pairs:
            user._khoi_scope = None  # type: ignore[attr-defined]  # a fresh scope
            expected = set(old(user).values_list("pk", flat=True))
            user._khoi_scope = None  # type: ignore[attr-defined]
            got_qs = new(user)
            got = set(got_qs.values_list("pk", flat=True))
            assert got == expected, (name, new.__name__)
            # the queryset still counts, filters and orders as callers use it
            assert got_qs.count() == len(expected)
            assert list(got_qs.order_by("pk").values_list("pk", flat=True)) == sorted(expected)
            seen_something += bool(expected)
    assert seen_something > 10
