"""Benchmark of the fund ledger (see bench/README.md).

    KHOI_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/khoi_bench_fund \\
        .venv/bin/python bench/fund_ledger.py [--entries 1000000] [--funds 3321]

On a throw-away database: 3,321 commune funds and 1,000,000 chained entries (receipts,
expenditures, a few reversals, spread over 2017–2026), written with ``bulk_create`` after
computing each fund's hash chain exactly as ``services._append`` does. Then:

- the balance of one fund for one period (``services.period_balance``) for random funds and
  months: queries per call and p50/p95 time;
- the fund's ledger page (``/fund/<id>/?year=Y``, 50 entries a page) through Django's test
  client as a signed-in administrator: queries per request and p50/p95 time;
- ``fund_verify`` (``services.verify_ledgers``) over the whole ledger: time.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dbsetup import drop_database, prepare_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--funds", type=int, default=3321)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true",
        help="reuse the ledger a previous --keep run left (implies --keep)",
    )  # fmt: skip
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    url = os.environ.get(
        "KHOI_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khoi_bench_fund"
    )
    if args.reuse:
        args.keep = True
    else:
        prepare_database(url)
    os.environ["KHOI_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(url)


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from khoi.fund.models import Entry, Fund

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s", flush=True)
    rng = random.Random(1)
    if args.reuse and Entry.objects.exists():
        funds = list(Fund.objects.order_by("pk"))
        print(f"reusing {Entry.objects.count():,} entries over {len(funds):,} funds", flush=True)
    else:
        funds = write_ledger(args, rng)
    measure(args, rng, funds)


def write_ledger(args: argparse.Namespace, rng: random.Random) -> list[Any]:
    from django.db import connection

    from khoi.fund.models import Entry, Fund
    from khoi.fund.scale import chain_entries
    from khoi.lib.vntext import fold
    from khoi.org.models import AdminUnit

    province = AdminUnit.objects.create(era="current", level=1, code="B01", name="Tỉnh thử",
                                        division_type="tỉnh", name_folded="tinh thu")  # fmt: skip
    units = AdminUnit.objects.bulk_create(
        AdminUnit(era="current", level=3, code=f"B{i:05d}", name=f"Xã thử {i}",
                  division_type="xã", name_folded=fold(f"Xã thử {i}"), parent=province,
                  province=province)
        for i in range(args.funds)
    )  # fmt: skip
    funds = Fund.objects.bulk_create(
        Fund(name=f"Quỹ Vì người nghèo xã thử {i}", unit=u, level=Fund.Level.COMMUNE)
        for i, u in enumerate(units)
    )
    per_fund = [args.entries // args.funds] * args.funds
    for i in range(args.entries - sum(per_fund)):
        per_fund[i] += 1
    now = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    t0 = time.perf_counter()
    batch: list[Entry] = []
    ids = itertools.count(1)
    for fund, n in zip(funds, per_fund, strict=True):
        # the chain exactly as services._append posts it (shared with generate_scale)
        batch += chain_entries(
            fund, n, rng, first_day=datetime.date(2017, 1, 1), days=3650, created_at=now, ids=ids
        )
        if len(batch) >= 5000:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    next_id = next(ids) - 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('fund_entry', 'id'), %s)", [next_id])
    Fund.objects.bulk_update(funds, ["last_seq", "last_hash"], batch_size=1000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"wrote {Entry.objects.count():,} entries over {len(funds):,} funds in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)  # fmt: skip
    return funds


def measure(args: argparse.Namespace, rng: random.Random, funds: list[Any]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from khoi.accounts.models import User
    from khoi.fund import services

    def pct(xs: list[float], p: float) -> float:
        return sorted(xs)[min(len(xs) - 1, int(len(xs) * p))] * 1000

    times: list[float] = []
    queries: set[int] = set()
    for _ in range(args.samples):
        fund = rng.choice(funds)
        year, month = rng.randint(2017, 2026), rng.randint(1, 12)
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            services.period_balance(fund, start, end)
            times.append(time.perf_counter() - t)
        queries.add(len(ctx))
    print(f"balance of one fund for one month: queries {sorted(queries)}, "
          f"p50 {pct(times, 0.5):.1f} ms, p95 {pct(times, 0.95):.1f} ms", flush=True)  # fmt: skip

    admin = User.objects.filter(username="benchadmin").first() or User.objects.create_superuser(
        "benchadmin", "b@example.vn", "x"
    )
    client = Client()
    client.force_login(admin)
    times, queries = [], set()
    cpu: list[float] = []
    rows: list[int] = []
    for _ in range(max(50, args.samples // 3)):
        fund = rng.choice(funds)
        year = rng.randint(2017, 2026)
        with CaptureQueriesContext(connection) as ctx:
            t, c = time.perf_counter(), time.process_time()
            resp = client.get(f"/fund/{fund.pk}/?year={year}")
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        assert resp.status_code == 200
        rows.append(resp.content.count(b"<tr>") - 1)
        queries.add(len(ctx))
    print(f"ledger page of one fund and year: queries {sorted(queries)}, "
          f"p50 {pct(times, 0.5):.1f} ms, p95 {pct(times, 0.95):.1f} ms; "
          f"CPU of this process p50 {pct(cpu, 0.5):.1f} ms, p95 {pct(cpu, 0.95):.1f} ms; "
          f"rows a page {min(rows)}-{max(rows)}", flush=True)  # fmt: skip

    if args.skip_verify:
        return
    t = time.perf_counter()
    checked, problem = services.verify_ledgers()
    print(f"fund_verify: {checked:,} entries in {time.perf_counter() - t:.1f} s, "
          f"problem: {problem}", flush=True)  # fmt: skip
    if connection.vendor == "postgresql":
        tampered_run(rng, funds)


class _Rollback(Exception):
    pass


def tampered_run(rng: random.Random, funds: list[Any]) -> None:
    """One entry's amount changed in the database (trigger dropped, all rolled back after):
    fund_verify must name exactly that entry."""
    from django.db import connection, transaction

    from khoi.fund import services
    from khoi.fund.models import Entry

    fund = funds[len(funds) // 2]
    target = Entry.objects.filter(fund=fund).order_by("seq")[fund.last_seq // 2]
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("DROP TRIGGER fund_entry_append_only ON fund_entry")
                cur.execute("UPDATE fund_entry SET amount = amount + 1 WHERE id = %s", [target.pk])
            t = time.perf_counter()
            checked, problem = services.verify_ledgers()
            took = time.perf_counter() - t
            assert problem is not None and (problem.fund_id, problem.seq, problem.reason) == (
                fund.pk, target.seq, "altered"), problem  # fmt: skip
            print(f"fund_verify with entry {target.number} of fund {fund.pk} altered: named it "
                  f"after {checked:,} entries in {took:.1f} s", flush=True)  # fmt: skip
            raise _Rollback
    except _Rollback:
        pass


if __name__ == "__main__":
    main()
