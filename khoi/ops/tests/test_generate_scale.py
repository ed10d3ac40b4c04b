"""generate_scale: the counts asked for, the same data for the same seed, a registry that
other apps can add generators to."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoi.ops import scale

SMALL = {"activities_per_commune": 5, "tasks_per_commune": 15, "year": 2026}


def fingerprint() -> tuple[list[Any], list[Any]]:
    from khoi.work.models import Activity, Task

    activities = list(
        Activity.objects.order_by(
            "office__code", "start_on", "title", "organization__kind"
        ).values_list("office__code", "organization__kind", "kind", "title", "start_on", "end_on")
    )
    tasks = list(
        Task.objects.order_by("office__code", "due_on", "title", "assignee__full_name").values_list(
            "office__code", "title", "due_on", "priority", "assignee__full_name"
        )
    )
    return activities, tasks


def wipe() -> None:
    from khoi.org.models import AdminUnit, JointOffice, Organization, Person
    from khoi.work.models import Activity, Task

    for model in (Task, Activity, Person, JointOffice, Organization):
        model.objects.all().delete()
    AdminUnit.objects.filter(level=3).delete()
    AdminUnit.objects.all().delete()


@pytest.mark.django_db
def test_the_counts_follow_the_densities() -> None:
    from khoi.org.models import AdminUnit, JointOffice, Organization, Person
    from khoi.work.models import Activity, Task

    call_command("generate_scale", communes=7, provinces=2, seed=3, **SMALL)
    assert AdminUnit.objects.filter(level=1).count() == 2
    assert AdminUnit.objects.filter(level=3).count() == 7
    assert Organization.objects.count() == 7 * 6
    assert set(Organization.objects.values_list("kind", flat=True)) == {
        "front", "women", "youth", "farmers", "veterans", "labour",
    }  # fmt: skip
    assert JointOffice.objects.count() == 7
    assert all(o.organizations.count() == 6 for o in JointOffice.objects.all())
    assert Person.objects.count() == 7 * 6
    assert Activity.objects.count() == 7 * 5
    assert Task.objects.count() == 7 * 15
    assert not Activity.objects.exclude(start_on__year=2026).exists()
    # every task belongs to its activity's office and is assigned within it
    assert not Task.objects.exclude(office=models_f("activity__office")).exists()
    with pytest.raises(CommandError, match="already holds generated units"):
        call_command("generate_scale", communes=1, seed=3, **SMALL)


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data() -> None:
    call_command("generate_scale", communes=4, seed=11, **SMALL)
    first = fingerprint()
    wipe()
    call_command("generate_scale", communes=4, seed=11, **SMALL)
    assert fingerprint() == first
    wipe()
    call_command("generate_scale", communes=4, seed=12, **SMALL)
    assert fingerprint() != first


def test_generators_run_after_the_ones_they_need(monkeypatch: pytest.MonkeyPatch) -> None:
    registry: list[scale.Registered] = []
    monkeypatch.setattr(scale, "_REGISTRY", registry)

    def noop(ctx: scale.ScaleContext) -> dict[str, int]:
        return {}

    scale.register_generator("fund", noop, after=("work",))
    scale.register_generator("org", noop)
    scale.register_generator("work", noop, after=("org",))
    scale.register_generator("org", noop)  # twice: once only
    assert [r.name for r in scale.ordered_generators()] == ["org", "work", "fund"]
    scale.register_generator("a", noop, after=("b",))
    scale.register_generator("b", noop, after=("a",))
    with pytest.raises(ValueError, match="wait for each other"):
        scale.ordered_generators()


def test_the_national_preset() -> None:
    assert (scale.NATIONAL_PROVINCES, scale.NATIONAL_COMMUNES) == (34, 3321)
    assert scale.per_commune("activities") * scale.NATIONAL_COMMUNES == pytest.approx(1e6, rel=0.01)
    assert scale.per_commune("tasks") * scale.NATIONAL_COMMUNES == pytest.approx(3e6, rel=0.01)
