"""Synthetic Fund-for-the-Poor data at scale: the hash-chained ledger written in bulk (shared
by ``generate_scale`` and bench/fund_ledger.py) and the fund's scale generator.

``chain_entries`` builds a fund's entries exactly as ``services._append`` would have posted
them one by one (sequence, yearly numbers, reversals of an earlier expenditure, each hash
over the one before), so that ``fund_verify`` passes on the result; the caller writes them
in bulk and then the fund's head (``last_seq``, ``last_hash``).

The generator (khoi/ops/scale.py), per commune: the commune's fund (kept by its joint office)
with ``density["fund_entries"]`` entries over the year, and ``density["households"]``
households of its register (identity encrypted as ``services.do_create_household`` does,
a poverty status for the year when a standard is in force). No audit entries.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any

from khoi.ops.scale import ScaleContext, bulk_insert, register_generator, reserve_ids


def chain_entries(
    fund: Any,
    count: int,
    rng: random.Random,
    *,
    first_day: dt.date,
    days: int,
    created_at: dt.datetime,
    ids: Iterator[int],
) -> list[Any]:
    """``count`` chained entries of ``fund`` (ids taken from ``ids``) on random days from
    ``first_day`` over ``days`` days; sets ``fund.last_seq`` and ``fund.last_hash``."""
    from khoi.fund import services
    from khoi.fund.models import GENESIS_HASH, Entry

    prev, balance = GENESIS_HASH, 0
    offsets = sorted(rng.randrange(0, days) for _ in range(count))
    year_seq: dict[tuple[str, int], int] = {}
    last_out: Any = None
    out: list[Any] = []
    for seq, offset in enumerate(offsets, start=1):
        day = first_day + dt.timedelta(days=offset)
        amount = rng.randint(1, 500) * 10_000
        if balance > amount and rng.random() < 0.4:
            kind, sign = Entry.Kind.EXPENDITURE, -1
        elif last_out is not None and rng.random() < 0.01:
            kind, sign, amount = Entry.Kind.REVERSAL, 1, last_out.amount
        else:
            kind, sign = Entry.Kind.RECEIPT, 1
        key = (kind, day.year)
        year_seq[key] = year_seq.get(key, 0) + 1
        prefix = services.NUMBER_PREFIX[Entry.Kind(kind)]
        e = Entry(
            id=next(ids), fund=fund, seq=seq, kind=kind, sign=sign, amount=amount, date=day,
            year_seq=year_seq[key], number=f"{year_seq[key]:04d}/{prefix}-{day.year}",
            donor_kind="person" if kind == Entry.Kind.RECEIPT else "",
            donor_name="Người ủng hộ" if kind == Entry.Kind.RECEIPT else "",
            channel="cash" if kind == Entry.Kind.RECEIPT else "",
            purpose="livelihood" if kind != Entry.Kind.RECEIPT else "",
            beneficiary="Hộ thử" if kind == Entry.Kind.EXPENDITURE else "",
            reverses=last_out if kind == Entry.Kind.REVERSAL else None,
            created_at=created_at, prev_hash=prev,
        )  # fmt: skip
        if kind == Entry.Kind.REVERSAL:
            last_out = None
        e.hash = e.compute_hash()
        prev = e.hash
        balance += sign * amount
        out.append(e)
        if kind == Entry.Kind.EXPENDITURE:
            last_out = e
    fund.last_seq, fund.last_hash = count, prev
    return out


def entry_ids(count: int) -> Iterator[int]:
    """Keys for ``count`` new entries: from the sequence on PostgreSQL, after the largest
    one elsewhere."""
    from django.db.models import Max

    from khoi.fund.models import Entry

    reserved = reserve_ids(Entry, count)
    if reserved:
        return iter(reserved)
    return itertools.count((Entry.objects.aggregate(m=Max("id"))["m"] or 0) + 1)


HOUSEHOLD_AREAS = ["Thôn 1", "Thôn 2", "Thôn 3", "Khu 4", "Khu 5", "Tổ 6"]


def generate_fund(ctx: ScaleContext) -> dict[str, int]:
    from django.db.models import Q

    from khoi.fund.models import Fund, Household, PovertyStandard, PovertyStatus
    from khoi.fund.services import mask_tail
    from khoi.lib.vntext import fold, nfc
    from khoi.org.scale import FAMILY, GIVEN, MIDDLE
    from khoi.petitions import crypto

    rng = ctx.rng
    created_at = dt.datetime(ctx.year, 12, 31, 17, 0, tzinfo=dt.UTC)
    funds = [
        Fund(name=f"Quỹ Vì người nghèo {commune.name}", unit=commune,
             level=Fund.Level.COMMUNE, office=ctx.offices[commune.pk])
        for commune in ctx.communes
    ]  # fmt: skip
    bulk_insert(Fund, funds)
    per_fund = ctx.density["fund_entries"]
    ids = entry_ids(per_fund * len(funds))
    entries: list[Any] = []
    for fund in funds:
        entries += chain_entries(
            fund, per_fund, rng, first_day=dt.date(ctx.year, 1, 1), days=365,
            created_at=created_at, ids=ids,
        )  # fmt: skip
    from khoi.fund.models import Entry

    bulk_insert(Entry, entries)
    Fund.objects.bulk_update(funds, ["last_seq", "last_hash"], batch_size=1000)

    day = dt.date(ctx.year, 1, 1)
    standard = (
        PovertyStandard.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    households: list[Any] = []
    for commune in ctx.communes:
        for _ in range(ctx.density["households"]):
            head = nfc(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")
            area = rng.choice(HOUSEHOLD_AREAS)
            digits = f"0{rng.randint(10, 96):02d}{rng.randint(0, 999_999_999):09d}"
            phone = f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.7 else ""
            households.append(
                Household(
                    unit=commune, area_name=area, head_name=head, head_name_folded=fold(head),
                    head_birth_year=rng.randint(1940, 2000),
                    address=nfc(f"{area}, {commune.name}"),
                    members=[], identity_token=crypto.encrypt({"id_number": digits,
                                                               "phone": phone}),
                    id_masked=mask_tail(digits), phone_masked=mask_tail(phone),
                    source="generate_scale", created_at=created_at,
                )
            )  # fmt: skip
    bulk_insert(Household, households)
    statuses: list[Any] = []
    if standard is not None:
        kinds = [PovertyStatus.Status.POOR, PovertyStatus.Status.NEAR_POOR]
        statuses = [
            PovertyStatus(household=h, year=ctx.year, status=rng.choice(kinds), standard=standard)
            for h in households
        ]
        bulk_insert(PovertyStatus, statuses)
    return {
        "fund.Fund": len(funds),
        "fund.Entry": len(entries),
        "fund.Household": len(households),
        "fund.PovertyStatus": len(statuses),
    }


def register() -> None:
    register_generator("fund", generate_fund, after=("org",))
