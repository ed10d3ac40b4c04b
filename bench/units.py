"""Administrative units: import time and subtree query latency, on SQLite and PostgreSQL.

Usage::

    .venv/bin/python bench/units.py [--database-url URL] [--reps 200] [--seed 1]

Without ``--database-url`` both databases are measured, each in its own process (Django is
set up once per process): a fresh SQLite file under ``var/bench/`` and PostgreSQL at
``postgres://postgres@127.0.0.1:5432/khoi_bench`` (created and dropped with psycopg; the
server must accept the ``postgres`` role without a password).

For each database: migrate, then time

- the full import of the current and former trees (``do_load_units(None)``: 34 provinces +
  3,321 communes; 63 provinces, 696 districts, 10,051 communes; plus the successions),
- a second import of the same data (idempotent re-run, every row updated in place),
- ``reps`` times on random provinces of each era: the list of the province's communes and
  the count of everything under it; median and p95 in milliseconds.

Targets: full import < 60 s, subtree list < 20 ms p95.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dbsetup import BENCH_DIR, drop_database, prepare_database  # noqa: E402

SQLITE_URL = f"sqlite:///{BENCH_DIR / 'units.sqlite3'}"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/khoi_bench"
EXPECTED = {
    ("current", 1): 34,
    ("current", 3): 3321,
    ("former", 1): 63,
    ("former", 2): 696,
    ("former", 3): 10051,
}
TARGET_IMPORT_S = 60.0
TARGET_LIST_P95_MS = 20.0


# --- one database, inside Django ------------------------------------------------------------


def _ms_stats(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {
        "median": statistics.median(ms),
        "p95": statistics.quantiles(ms, n=100, method="inclusive")[94],
        "max": max(ms),
    }


def measure(url: str, reps: int, seed: int) -> dict[str, Any]:
    os.environ["KHOI_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from khoi.org.models import AdminUnit, UnitSuccession
    from khoi.org.services import do_load_units

    out: dict[str, Any] = {"url": url, "vendor": connection.vendor}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    out["migrate_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    import vietnam_provinces
    from vietnam_provinces import Province, Ward, legacy

    list(Province.iter_all()), list(Ward.iter_all())
    list(legacy.Province.iter_all()), list(legacy.District.iter_all())
    list(legacy.Ward.iter_all())
    out["package_load_s"] = time.perf_counter() - t0
    out["package_version"] = getattr(vietnam_provinces, "__version__", "?")

    t0 = time.perf_counter()
    first = do_load_units(None)
    out["import_s"] = time.perf_counter() - t0
    out["successions"] = first.successions
    t0 = time.perf_counter()
    do_load_units(None)
    out["reimport_s"] = time.perf_counter() - t0

    counts = {
        f"{era}/{level}": AdminUnit.objects.filter(era=era, level=level).count()
        for era, level in EXPECTED
    }
    out["counts"] = counts
    out["counts_ok"] = all(counts[f"{e}/{lv}"] == n for (e, lv), n in EXPECTED.items())
    out["succession_rows"] = UnitSuccession.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
            cur.execute("SHOW server_version")
            out["server"] = f"PostgreSQL {cur.fetchone()[0].split()[0]}"
    else:
        import sqlite3

        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        out["server"] = f"SQLite {sqlite3.sqlite_version}"

    rng = random.Random(seed)
    queries = {
        "list communes": lambda p: list(
            AdminUnit.objects.subtree(p).filter(level=3).values_list("id", "name")
        ),
        "count subtree": lambda p: AdminUnit.objects.subtree(p).count(),
    }
    timings: dict[str, dict[str, dict[str, float]]] = {}
    for era in ("current", "former"):
        provinces = list(AdminUnit.objects.filter(era=era, level=1))
        for province in provinces[:5]:  # warm the connection, caches and statement paths
            for query in queries.values():
                query(province)
        picks = [rng.choice(provinces) for _ in range(reps)]
        timings[era] = {}
        for label, query in queries.items():
            samples = []
            for province in picks:
                t0 = time.perf_counter()
                query(province)
                samples.append(time.perf_counter() - t0)
            timings[era][label] = _ms_stats(samples)
    out["timings"] = timings
    out["reps"] = reps

    current = AdminUnit.objects.filter(era="current", level=1)
    biggest = max(current, key=lambda p: AdminUnit.objects.subtree(p).count())
    qs = AdminUnit.objects.subtree(biggest).filter(level=3).values_list("id", "name")
    out["explain_for"] = biggest.name
    out["explain_list"] = qs.explain()
    out["explain_count"] = AdminUnit.objects.subtree(biggest).order_by().explain()
    return out


# --- report ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_report(results: list[dict[str, Any]]) -> None:
    print(f"\n{machine()}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    for r in results:
        ok_import = r["import_s"] < TARGET_IMPORT_S
        print(f"\n== {r['server']} ({r['url']})")
        print(f"  units: {r['counts']} ({'as expected' if r['counts_ok'] else 'UNEXPECTED'})")
        print(f"  successions: {r['succession_rows']}")
        print(f"  migrate                 {r['migrate_s']:8.2f} s")
        print(f"  load package data       {r['package_load_s']:8.2f} s")
        print(
            f"  full import             {r['import_s']:8.2f} s"
            f"   target < {TARGET_IMPORT_S:.0f} s: {verdict(ok_import)}"
        )
        print(f"  second import           {r['reimport_s']:8.2f} s")
        print(f"  {'query':<24}{'era':<9}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}")
        for era, by_query in r["timings"].items():
            for label, s in by_query.items():
                note = ""
                if label == "list communes":
                    note = f"   target p95 < {TARGET_LIST_P95_MS:.0f} ms: " + verdict(
                        s["p95"] < TARGET_LIST_P95_MS
                    )
                print(
                    f"  {label:<24}{era:<9}{s['median']:>10.2f}{s['p95']:>10.2f}"
                    f"{s['max']:>10.2f}{note}"
                )
        print(f"  ({r['reps']} random provinces per era and query)")
        print(f"  plan, list communes of {r['explain_for']}:")
        for line in r["explain_list"].splitlines():
            print(f"    {line}")
        print("  plan, count subtree:")
        for line in r["explain_count"].splitlines():
            print(f"    {line}")


def markdown(results: list[dict[str, Any]]) -> str:
    rows = [
        "| | " + " | ".join(r["server"] for r in results) + " |",
        "|---|" + "---|" * len(results),
        "| full import (s), target < 60 | "
        + " | ".join(f"{r['import_s']:.1f}" for r in results)
        + " |",
        "| second import (s) | " + " | ".join(f"{r['reimport_s']:.1f}" for r in results) + " |",
    ]
    for era in ("current", "former"):
        for label in ("list communes", "count subtree"):
            cells = [r["timings"][era][label] for r in results]
            target = ", target p95 < 20" if label == "list communes" else ""
            rows.append(
                f"| {label}, {era} (ms, median / p95{target}) | "
                + " | ".join(f"{c['median']:.1f} / {c['p95']:.1f}" for c in cells)
                + " |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="one database (default: SQLite and PostgreSQL)")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help=argparse.SUPPRESS)  # child process: write results here
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    if args.database_url:
        prepare_database(args.database_url)
        try:
            result = measure(args.database_url, args.reps, args.seed)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                drop_database(args.database_url)
        if args.json:
            Path(args.json).write_text(json.dumps(result))
        else:
            print_report([result])
            print("\n" + markdown([result]))
        return

    results = []
    for url in (SQLITE_URL, POSTGRES_URL):
        print(f"benchmarking {url} …", file=sys.stderr, flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            cmd = [sys.executable, __file__, "--database-url", url, "--json", tmp.name]
            cmd += ["--reps", str(args.reps), "--seed", str(args.seed)]
            if args.keep:
                cmd.append("--keep")
            subprocess.run(cmd, check=True)
            results.append(json.loads(Path(tmp.name).read_text()))
    print_report(results)
    print("\n" + markdown(results))
    missed = [
        r["server"]
        for r in results
        if r["import_s"] >= TARGET_IMPORT_S
        or any(r["timings"][e]["list communes"]["p95"] >= TARGET_LIST_P95_MS for e in r["timings"])
    ]
    if missed:
        print(f"\ntargets missed on: {', '.join(missed)}")


if __name__ == "__main__":
    main()
