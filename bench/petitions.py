"""Petitions: deadline computations, list and statistics pages, duplicate proposal at scale.

Usage::

    .venv/bin/python bench/petitions.py [--database-url URL] [--petitions 500000]
                                        [--reps 60] [--seed 1]

Without ``--database-url`` both databases are measured, each in its own process: a fresh
SQLite file under ``var/bench/`` and PostgreSQL at
``postgres://postgres@127.0.0.1:5432/khoi_bench_petitions`` (created and dropped).

For each database: migrate, build the test world (``khoi.testing.factories.build_world``
plus ten more communes and two key projects), then bulk-load ``--petitions`` petitions of
one office (ten years of land-clearance complaints, denunciations, requests and reports made
from a pool of 30,000 distinct texts, so each grievance is sent several times; 85% with an
encrypted petitioner whose house address repeats; one related unit each; 15% open with a
running deadline), with their content bands and petitioner blind indexes exactly as
``services`` writes them. Then time:

- ``compute_deadline`` per second (pure, all 15 rules, random start dates 2017–2026,
  calendar with the admin's overrides), warm and cold holiday cache;
- the petition list page (``/petitions/``) with no filter, each filter, a search word
  and a deep page; the statistics page for one year and for all ten years; p50/p95 in ms
  and the number of SQL queries per page (signed in as office staff, Django test client);
- the duplicate proposal for one new petition (``services.find_duplicates``: blind-index
  and band look-ups plus exact scoring) on ``reps`` new petitions, half of them repeats of
  stored ones; p50/p95 in ms (target: p95 < 100 ms) and how many repeats were found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
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

SQLITE_URL = f"sqlite:///{BENCH_DIR / 'petitions.sqlite3'}"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/khoi_bench_petitions"
TARGET_DUP_P95_MS = 100.0
DISTINCT_TEXTS = 30_000

# The texts and names are shared with the scale generator (khoi/petitions/scale.py).
from khoi.petitions.scale import (  # noqa: E402
    FAMILY,
    GIVEN,
    MIDDLE,
    PROJECTS,
)
from khoi.petitions.scale import petition_text as _text  # noqa: E402


def _ms(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {
        "p50": statistics.median(ms),
        "p95": statistics.quantiles(ms, n=100, method="inclusive")[94] if len(ms) > 1 else ms[0],
        "max": ms[-1],
    }


def load(n: int, seed: int) -> dict[str, Any]:
    from django.db import transaction

    from khoi.lib.vntext import fold
    from khoi.petitions import crypto, duplicates, services
    from khoi.petitions.models import (
        OPEN_STATUSES,
        ContentBand,
        Kind,
        Petition,
        Petitioner,
        Status,
    )
    from khoi.testing.factories import build_world, unit

    rng = random.Random(seed)
    world = build_world()
    communes = [world.commune, world.commune2]
    communes += [unit(f"Phường Bench {i}", 3, world.town) for i in range(10)]
    staff = world.users["staff"]
    projects = [
        services.do_create_key_project(staff, world.office, name=name, units=communes[:2])
        for name in PROJECTS
    ]
    texts: list[tuple[str, str, str, str, list[int]]] = []
    t0 = time.perf_counter()
    for _ in range(DISTINCT_TEXTS):
        subject, content = _text(rng)
        words = duplicates.content_tokens(subject, content)
        texts.append(
            (
                subject,
                content,
                fold(f"{subject} {content}")[:4000],
                " ".join(words),
                duplicates.bands(duplicates.shingle_set(words)),
            )
        )
    text_s = time.perf_counter() - t0
    today = dt.date(2026, 11, 29)
    first = today - dt.timedelta(days=3650)
    kinds = [Kind.COMPLAINT] * 5 + [Kind.DENUNCIATION] * 2 + [Kind.REQUEST] * 2 + [Kind.REPORT]
    closed = [Status.CLOSED, Status.FILED, Status.GUIDED, Status.RESOLVED]
    through = Petition.units.through
    batch = 5000
    t0 = time.perf_counter()
    number = 0
    for start in range(0, n, batch):
        rows = []
        meta = []
        for _ in range(min(batch, n - start)):
            number += 1
            ti = rng.randrange(DISTINCT_TEXTS)
            subject, content, folded, toks, _bands = texts[ti]
            received = first + dt.timedelta(days=rng.randrange(3650))
            open_ = (today - received).days < 60 or rng.random() < 0.02
            status = rng.choice(OPEN_STATUSES) if open_ else rng.choice(closed)
            kind = rng.choice(kinds)
            unit_id = rng.choice(communes).pk
            rows.append(
                Petition(
                    office=world.office, year=received.year, number=number, kind=kind,
                    channel=rng.choice(["post", "handed", "reception", "forwarded"]),
                    received_on=received, month=received.year * 100 + received.month,
                    subject=subject, content=content,
                    key_project=projects[ti % 3] if ti % 3 < 2 else None, status=status,
                    unit_id=unit_id,
                    confidential=kind == Kind.DENUNCIATION,
                    signatory_count=rng.choice([1] * 30 + [2, 5, 46]),
                    next_due=received + dt.timedelta(days=rng.randint(7, 60)) if open_ else None,
                    next_rule="reception-reply" if open_ else "",
                    search_folded=folded, content_tokens=toks,
                )
            )  # fmt: skip
            meta.append(ti)
        with transaction.atomic():
            created = Petition.objects.bulk_create(rows)
            people: list[Any] = []
            bands: list[Any] = []
            links: list[Any] = []
            for p, ti in zip(created, meta, strict=True):
                links.append(through(petition_id=p.pk, adminunit_id=p.unit_id))
                bands.extend(
                    ContentBand(petition_id=p.pk, office_id_ref=world.office.pk, band=b)
                    for b in texts[ti][4]
                )
                if rng.random() < 0.85:
                    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                    address = f"Số {rng.randint(1, 200)}, khu {rng.randint(1, 20)}, {p.pk % 12}"
                    people.append(
                        Petitioner(
                            petition_id=p.pk, identity=crypto.encrypt({"name": name}),
                            name_index=crypto.blind_index(name),
                            household_index=crypto.blind_index(address),
                            confidential=p.confidential,
                        )
                    )  # fmt: skip
            through.objects.bulk_create(links, batch_size=2000)
            ContentBand.objects.bulk_create(bands, batch_size=5000)
            Petitioner.objects.bulk_create(people, batch_size=2000)
    load_s = time.perf_counter() - t0
    return {
        "world": world,
        "communes": communes,
        "projects": projects,
        "texts": texts,
        "text_s": text_s,
        "load_s": load_s,
        "counts": {
            "petitions": Petition.objects.count(),
            "bands": ContentBand.objects.count(),
            "petitioners": Petitioner.objects.count(),
        },
    }


def bench_deadlines(seed: int) -> dict[str, float]:
    from khoi.lib.workdays import RULE_TABLE, clear_holiday_cache, compute_deadline
    from khoi.petitions.services import work_calendar

    rng = random.Random(seed)
    cal = work_calendar()
    cases = []
    for _ in range(20_000):
        rule = rng.choice(RULE_TABLE)
        start = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        cases.append((rule.id, start, rng.randint(0, rule.version_on(start).max_extensions)))
    clear_holiday_cache()
    t0 = time.perf_counter()
    for rule_id, start, ext in cases[:2000]:
        compute_deadline(rule_id, start, ext, cal)
    cold = 2000 / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for rule_id, start, ext in cases:
        compute_deadline(rule_id, start, ext, cal)
    warm = len(cases) / (time.perf_counter() - t0)
    return {"cold_per_s": cold, "warm_per_s": warm}


def bench_pages(data: dict[str, Any], reps: int) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    world = data["world"]
    client = Client()
    client.force_login(world.users["staff"])
    year = "2024"
    pages = {
        "list": ("/petitions/", {}),
        "list kind": ("/petitions/", {"kind": "denunciation"}),
        "list status": ("/petitions/", {"status": "accepted"}),
        "list unit": ("/petitions/", {"unit": str(data["communes"][3].pk)}),
        "list project": ("/petitions/", {"project": str(data["projects"][0].pk)}),
        "list overdue": ("/petitions/", {"deadline": "overdue"}),
        "list search": ("/petitions/", {"q": "tai dinh cu"}),
        "list page 2000": ("/petitions/", {"page": "2000"}),
        "statistics 1 year": (
            "/petitions/statistics/",
            {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        ),
        "statistics 10 years": (
            "/petitions/statistics/",
            {"start": "2016-01-01", "end": "2026-12-31"},
        ),
    }
    out: dict[str, Any] = {}
    for label, (url, params) in pages.items():
        n = reps if label.startswith("list") else max(5, reps // 6)
        samples = []
        queries = 0
        for i in range(n + 1):
            reset_queries()  # the query log is a bounded deque: keep it from filling up
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url, params)
                elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code}")
            if i:  # the first request warms caches
                samples.append(elapsed)
            queries = len(ctx)
        out[label] = {**_ms(samples), "queries": queries, "n": n}
    return out


def bench_duplicates(data: dict[str, Any], reps: int, seed: int) -> dict[str, Any]:
    from django.db import transaction

    from khoi.petitions import crypto, duplicates, services
    from khoi.petitions.models import ContentBand, Petition, Petitioner, Status

    rng = random.Random(seed + 7)
    world = data["world"]
    samples = []
    found_repeats = 0
    last = Petition.objects.order_by("-number").values_list("number", flat=True).first() or 0
    for i in range(reps):
        repeat = i % 2 == 0
        if repeat:  # the text of a stored petition, sent again
            stored = Petition.objects.filter(pk=rng.randint(1, data["counts"]["petitions"]))
            subject, content = stored.values_list("subject", "content").get()
        else:
            subject, content = _text(random.Random(10_000_000 + i))
            content += " Nội dung riêng số " + str(i)
        with transaction.atomic():
            p = Petition.objects.create(
                office=world.office, year=2026, number=last + i + 1, kind="complaint",
                channel="post", received_on=dt.date(2026, 11, 29), subject=subject,
                content=content, status=Status.RECEIVED,
            )  # fmt: skip
            Petitioner.objects.create(
                petition=p, identity=crypto.encrypt({"name": "X"}),
                name_index=crypto.blind_index(f"Người mới {i}"), household_index="",
            )  # fmt: skip
            t0 = time.perf_counter()
            toks = duplicates.content_tokens(subject, content)
            found = services.find_duplicates(p, toks)
            samples.append(time.perf_counter() - t0)
            ContentBand.objects.bulk_create(
                ContentBand(petition=p, office_id_ref=p.office_id, band=b)
                for b in duplicates.bands(duplicates.shingle_set(toks))
            )
            if repeat and found and found[0].score >= 0.99:
                found_repeats += 1
            transaction.set_rollback(True)
    return {**_ms(samples), "n": reps, "repeats": reps // 2 + reps % 2, "found": found_repeats}


def reuse() -> dict[str, Any]:
    """The data of a database loaded by an earlier run (``--keep`` / SQLite file)."""
    from types import SimpleNamespace

    from khoi.accounts.models import User
    from khoi.org.models import AdminUnit, JointOffice
    from khoi.petitions.models import ContentBand, KeyProject, Petition, Petitioner

    office = JointOffice.objects.get(code="quang-yen")
    communes = list(AdminUnit.objects.filter(level=3, name__startswith="Phường Bench"))
    return {
        "world": SimpleNamespace(
            office=office, users={"staff": User.objects.get(username="staff")}
        ),
        "communes": [None, None, *communes],
        "projects": list(KeyProject.objects.filter(office=office).order_by("pk")),
        "text_s": 0.0,
        "load_s": 0.0,
        "counts": {
            "petitions": Petition.objects.count(),
            "bands": ContentBand.objects.count(),
            "petitioners": Petitioner.objects.count(),
        },
    }


def measure(url: str, n: int, reps: int, seed: int, reuse_data: bool = False) -> dict[str, Any]:
    os.environ["KHOI_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("khoi.petitions.crypto").setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection

    out: dict[str, Any] = {"url": url, "vendor": connection.vendor, "petitions": n}
    call_command("migrate", verbosity=0, interactive=False)
    out["server"] = (
        f"SQLite {sqlite3.sqlite_version}"
        if connection.vendor == "sqlite"
        else "PostgreSQL {}.{}".format(
            *divmod(connection.cursor().connection.info.server_version, 10000)
        )
    )
    out["deadlines"] = bench_deadlines(seed)
    data = reuse() if reuse_data else load(n, seed)
    out["load_s"] = data["load_s"]
    out["text_s"] = data["text_s"]
    out["counts"] = data["counts"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out["pages"] = bench_pages(data, reps)
    out["duplicates"] = bench_duplicates(data, reps, seed)
    return out


# --- report -----------------------------------------------------------------------------------


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


def print_report(results: list[dict[str, Any]]) -> None:
    print(f"\n{machine()}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    for r in results:
        print(f"\n== {r['server']} ({r['url']}), {r['counts']}")
        d = r["deadlines"]
        print(
            f"  compute_deadline: {d['warm_per_s']:,.0f}/s warm, {d['cold_per_s']:,.0f}/s "
            "cold holiday cache"
        )
        print(f"  texts {r['text_s']:.1f} s, load {r['load_s']:.1f} s")
        print(f"  {'page':<22}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}")
        for label, s in r["pages"].items():
            print(f"  {label:<22}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['max']:>9.1f}{s['queries']:>9}")
        dup = r["duplicates"]
        ok = "ok" if dup["p95"] < TARGET_DUP_P95_MS else "MISSED"
        print(
            f"  duplicate proposal: p50 {dup['p50']:.1f} ms, p95 {dup['p95']:.1f} ms, max "
            f"{dup['max']:.1f} ms (target p95 < {TARGET_DUP_P95_MS:.0f} ms: {ok}); repeats "
            f"found {dup['found']}/{dup['repeats']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="one database (default: SQLite and PostgreSQL)")
    parser.add_argument("--petitions", type=int, default=500_000)
    parser.add_argument("--reps", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database loaded by an earlier --keep run"
    )
    args = parser.parse_args()

    if args.database_url:
        if not args.reuse:
            prepare_database(args.database_url)
        try:
            result = measure(args.database_url, args.petitions, args.reps, args.seed, args.reuse)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep and not args.reuse:
                drop_database(args.database_url)
        if args.json:
            Path(args.json).write_text(json.dumps(result, default=str))
        else:
            print_report([result])
        return
    results = []
    for url in (SQLITE_URL, POSTGRES_URL):
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            cmd = [sys.executable, __file__, "--database-url", url, "--json", tmp.name]
            cmd += ["--petitions", str(args.petitions), "--reps", str(args.reps)]
            cmd += ["--seed", str(args.seed)]
            subprocess.run(cmd, check=True)
            results.append(json.loads(Path(tmp.name).read_text()))
    print_report(results)


if __name__ == "__main__":
    main()
