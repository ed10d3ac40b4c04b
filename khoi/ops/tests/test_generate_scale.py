"""generate_scale: the counts asked for, the same data for the same seed, a registry that
other apps can add generators to; the petitions, documents, fund and campaigns generators
write data the apps' own checks accept (fund_verify, audit_verify, numbering)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from khoi.ops import scale

SMALL = {
    "activities_per_commune": 5,
    "tasks_per_commune": 15,
    "petitions_per_commune": 12,
    "documents_per_commune": 9,
    "fund_entries_per_commune": 25,
    "households_per_commune": 4,
    "year": 2026,
}


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


def fingerprint_apps() -> list[Any]:
    """What the other apps' generators wrote, without primary keys (a sequence on
    PostgreSQL does not roll back, so keys differ from one run to the next)."""
    from khoi.campaigns.models import Value
    from khoi.documents.models import Document
    from khoi.fund.models import Entry, Household
    from khoi.petitions.models import Petition, Petitioner

    return [
        list(
            Petition.objects.order_by("office__code", "number").values_list(
                "office__code", "number", "kind", "received_on", "subject", "status", "next_due"
            )
        ),
        sorted(
            Petitioner.objects.values_list(
                "petition__office__code", "petition__number", "name_index"
            )
        ),
        list(
            Document.objects.order_by("office__code", "issued_on", "notation").values_list(
                "office__code", "direction", "notation", "issued_on", "incoming_number"
            )
        ),
        list(
            Entry.objects.order_by("fund__unit__code", "seq").values_list(
                "fund__unit__code", "seq", "kind", "amount", "date", "number"
            )
        ),
        sorted(Household.objects.values_list("unit__code", "head_name", "id_masked")),
        sorted(
            Value.objects.values_list(
                "commune__code",
                "indicator__code",
                "area__name",
                "period",
                "number",
                "numerator",
                "denominator",
                "flag",
            )
        ),
    ]


class _Undo(Exception):
    pass


def generated(**options: Any) -> tuple[Any, ...]:
    """Generate, take the fingerprints, and roll everything back (the fund's ledger cannot
    be deleted: its rows are append-only)."""
    with contextlib.suppress(_Undo), transaction.atomic():
        call_command("generate_scale", **options)
        result = (*fingerprint(), fingerprint_apps())
        raise _Undo
    return result


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
    with pytest.raises(CommandError, match="đã có các đơn vị được sinh"):
        call_command("generate_scale", communes=1, seed=3, **SMALL)


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data() -> None:
    first = generated(communes=4, seed=11, **SMALL)
    assert all(first[2])  # every app's generator wrote something
    assert generated(communes=4, seed=11, **SMALL) == first
    other = generated(communes=4, seed=12, **SMALL)
    assert other[:2] != first[:2]
    assert all(a != b for a, b in zip(other[2], first[2], strict=True))


@pytest.mark.django_db
def test_the_apps_generators_write_what_their_checks_accept() -> None:
    from django.db.models import Count, Max

    from khoi.audit.services import verify_chain
    from khoi.campaigns.models import Campaign, Indicator, Submission, Value
    from khoi.documents import numbering
    from khoi.documents.models import Document, NumberCounter
    from khoi.fund.models import Entry, Fund, Household
    from khoi.fund.services import verify_ledgers
    from khoi.org.models import JointOffice, ResidentialArea
    from khoi.petitions.models import (
        OPEN_STATUSES,
        ContentBand,
        Petition,
        PetitionDeadline,
        Petitioner,
    )

    call_command("generate_scale", communes=5, provinces=2, seed=4, **SMALL)
    offices = JointOffice.objects.count()
    assert offices == 5
    # petitions: numbered 1..n per office and year, each in the duplicate index; the open
    # ones named by a petitioner carry their running intake deadline
    assert Petition.objects.count() == 5 * 12
    numbers = Petition.objects.values("office").annotate(n=Count("id"), top=Max("number"))
    assert all(row["n"] == row["top"] == 12 for row in numbers)
    assert not Petition.objects.filter(content_tokens="").exists()
    assert ContentBand.objects.count() >= Petition.objects.count()
    named = Petitioner.objects.values_list("petition_id", flat=True)
    assert set(named) == set(Petition.objects.filter(anonymous=False).values_list("id", flat=True))
    running = Petition.objects.filter(status__in=OPEN_STATUSES, anonymous=False)
    assert PetitionDeadline.objects.count() == running.count()
    assert not running.filter(next_due__isnull=True).exists()
    assert not Petition.objects.exclude(month=2026 * 100 + models_f("received_on__month")).exists()
    # documents: the counters continue each series where the generated numbers stop
    assert Document.objects.count() == 5 * 9
    for counter in NumberCounter.objects.all():
        if counter.key.startswith("in/"):
            top = Document.objects.filter(office=counter.office_id, direction="in")
            assert top.aggregate(m=Max("incoming_number"))["m"] == counter.last_number
        else:
            series = Document.objects.filter(office=counter.office_id, numbering_key=counter.key)
            assert series.aggregate(m=Max("number"))["m"] == counter.last_number
            assert numbering.peek_next(counter.office, counter.key) == counter.last_number + 1
    # fund: one fund per commune kept by its office, chains that fund_verify accepts
    assert Fund.objects.filter(office__isnull=False).count() == 5
    assert Entry.objects.count() == 5 * 25
    assert verify_ledgers() == (5 * 25, None)
    call_command("fund_verify")
    assert Household.objects.count() == 5 * 4
    assert not Household.objects.filter(identity_token="").exists()
    # campaigns: every unit's figure for every month
    assert Campaign.objects.count() == 5
    assert Indicator.objects.count() == 5 * 10
    assert ResidentialArea.objects.count() == 5 * 3
    assert Value.objects.count() == 5 * (7 + 3 * 3) * 12
    assert 0 < Submission.objects.count() <= 5 * 12
    # generated data is nobody's action: the audit chain is untouched and intact
    assert verify_chain() is None
    call_command("audit_verify")


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


# Fernet tokens carry a random IV and their time: the same identity never encrypts to the
# same text twice, so these columns are compared decrypted
ENCRYPTED = {"fund_household": "identity_token", "petitions_petitioner": "identity"}


def summarised(**options: Any) -> dict[str, Any]:
    """Generate, take every table's rows and checksum (``dbcopy.table_summary``, primary keys
    and every column included; the encrypted columns decrypted), and roll everything back."""
    from django.apps import apps

    from khoi.ops import dbcopy
    from khoi.petitions import crypto

    found: dict[str, Any] = {}
    with contextlib.suppress(_Undo), transaction.atomic():
        call_command("generate_scale", **options)
        found = dbcopy.table_summary()
        for model in apps.get_models():
            column = ENCRYPTED.get(model._meta.db_table)
            if column:
                rows = model._default_manager.order_by("pk").values()
                found[model._meta.db_table] = [  # type: ignore[assignment]
                    {**r, column: crypto.decrypt(r[column]) if r[column] else ""} for r in rows
                ]
        raise _Undo
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("communes", [1, 2])
def test_the_same_seed_gives_identical_tables(communes: int) -> None:
    """Every table, byte for byte (keys included: SQLite's key counters roll back with the
    transaction; PostgreSQL's sequences do not, so there the fingerprints above compare)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("primary keys repeat only where the key counters roll back (SQLite)")
    first = summarised(communes=communes, seed=7, **SMALL)
    assert set(ENCRYPTED) <= set(first)
    assert first["org_adminunit"]["rows"] == communes + 1
    assert first["work_activity"]["rows"] == communes * SMALL["activities_per_commune"]
    again = summarised(communes=communes, seed=7, **SMALL)
    assert {t for t in first if first[t] != again[t]} == set()
    other = summarised(communes=communes, seed=8, **SMALL)
    assert other["work_activity"] != first["work_activity"]


@pytest.mark.django_db
def test_a_failure_midway_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A generator that fails in the second province: nothing of the first one stays."""
    from khoi.org.models import AdminUnit
    from khoi.work.models import Activity

    real = scale.ordered_generators()
    calls: list[int] = []

    def fails_in_the_second_province(ctx: Any) -> dict[str, int]:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return {}

    broken = [*real, scale.Registered("broken", fails_in_the_second_province, ())]
    monkeypatch.setattr(scale, "ordered_generators", lambda: broken)
    with pytest.raises(RuntimeError, match="disk full"):
        call_command("generate_scale", communes=2, provinces=2, seed=1, **SMALL)
    assert not AdminUnit.objects.filter(code__startswith="G").exists()
    assert not Activity.objects.exists()
