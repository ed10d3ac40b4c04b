"""Periodic reports: time, peak memory and queries of a yearly report, SQLite and PostgreSQL.

Usage::

    .venv/bin/python bench/reports.py [--database-url URL] [--scale 1.0] [--seed 1]

Without ``--database-url`` both databases are measured, each in its own process: a fresh
SQLite file under ``var/bench/`` and PostgreSQL at
``postgres://postgres@127.0.0.1:5432/khoi_bench_reports`` (created and dropped; only a
database whose name starts with ``khoi_bench`` is ever dropped).

Two offices are generated in the same database, with bulk inserts (no audit log):

- a town: 19 communes, 6 organizations, 1,000 activities, 4,000 tasks;
- a province-sized office: 100 communes, 6 organizations, 50,000 activities (2,000 joint
  activities of two merged activities each), 200,000 tasks, 52 closed briefings with
  decisions and tasks, 5,000 documents;

then the yearly report 2017 of each (every registered section, the .docx and the .xlsx;
the PDF through LibreOffice is timed separately, once, when ``soffice`` is installed) is
built three times (sections gathered once per build) and the best time and the number of
queries are printed; the peak Python memory (tracemalloc) comes from a fourth, untimed
build, since tracing slows every allocation. Target: province-sized yearly report < 10 s,
and a query count that does not grow with the number of communes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dbsetup import BENCH_DIR, drop_database, prepare_database  # noqa: E402

SQLITE_URL = f"sqlite:///{BENCH_DIR / 'reports.sqlite3'}"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/khoi_bench_reports"
TARGET_S = 10.0
SIZES = {
    "town": {"communes": 19, "activities": 1_000, "tasks": 4_000, "joints": 40, "documents": 300},
    "province": {
        "communes": 100, "activities": 50_000, "tasks": 200_000, "joints": 2_000,
        "documents": 5_000,
    },
}  # fmt: skip
BATCH = 5_000


# --- data (inside Django) ------------------------------------------------------------------


def generate(name: str, size: dict[str, int], scale: float, rng: random.Random) -> Any:
    """One office with its units, organizations, people, activities, tasks, meetings, documents."""
    from django.db import transaction
    from django.utils import timezone

    from khoi.documents.models import Document
    from khoi.lib.vntext import fold
    from khoi.meetings.models import AgendaItem, Meeting, Outcome
    from khoi.org import services as org
    from khoi.org.models import AdminUnit, Organization, Person
    from khoi.work.models import Activity, JointActivity, Kind, Task

    n = {k: max(1, int(v * scale)) if k != "communes" else v for k, v in size.items()}
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        province = AdminUnit.objects.create(
            era="former", level=1, code=f"P{name[:3]}", name=f"Tỉnh {name}",
            division_type="tỉnh", name_folded=fold(f"Tỉnh {name}"),
        )  # fmt: skip
        if name == "town":
            top = AdminUnit.objects.create(
                era="former", level=2, code="T001", name="Thị xã Quảng Yên",
                division_type="thị xã", name_folded="thi xa quang yen", parent=province,
                province=province,
            )  # fmt: skip
        else:
            top = province
        AdminUnit.objects.bulk_create(
            AdminUnit(
                era="former",
                level=3,
                code=f"{name[0]}{i:05d}",
                name=f"Xã {i}",
                division_type="xã",
                name_folded=f"xa {i}",
                parent=top,
                province=province,
                district=top if top.level == 2 else None,
            )
            for i in range(n["communes"])
        )
        orgs = [
            org.do_create_organization(None, kind=kind, name=f"{kind} {name}", unit=top)
            for kind in Organization.Kind.values
        ]
        office = org.do_create_office(
            None, code=f"bench-{name}", name=f"Cơ quan Khối {name}", unit=top,
            established_on=dt.date(2016, 8, 3), organizations=orgs,
        )  # fmt: skip
        people = Person.objects.bulk_create(
            Person(
                full_name=f"Cán bộ {i}", unit=top, name_key=f"can bo {i}", name_folded=f"can bo {i}"
            )
            for i in range(200)
        )
        year = dt.date(2016, 12, 15)
        kinds = Kind.values

        def day() -> dt.date:
            return year + dt.timedelta(days=rng.randrange(365))

        joints = JointActivity.objects.bulk_create(
            JointActivity(
                office=office,
                title=f"Việc chung {i}",
                kind=rng.choice(kinds),
                lead=orgs[i % 6],
                start_on=(d := day()),
                end_on=d,
                status="active",
            )
            for i in range(n["joints"])
        )
        activities = []
        for i in range(n["activities"]):
            d = day()
            joint = joints[i // 2] if i < 2 * len(joints) else None
            title = f"Hoạt động tuyên truyền số {i}"
            activities.append(
                Activity(
                    office=office,
                    organization=orgs[i % 6],
                    kind=rng.choice(kinds),
                    title=title,
                    title_folded=fold(title),
                    start_on=d,
                    end_on=d + dt.timedelta(days=rng.randrange(3)),
                    status=rng.choice(["planned", "in_progress", "done", "done", "cancelled"]),
                    budget=rng.randrange(0, 20_000_000, 500_000),
                    expected_participants=rng.randrange(20, 500),
                    joint=joint,
                )
            )
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        tasks = []
        for i in range(n["tasks"]):
            status = rng.choice(["new", "in_progress", "blocked", "done", "done", "cancelled"])
            due = day()
            tasks.append(
                Task(
                    office=office,
                    title=f"Nhiệm vụ {i}",
                    due_on=due,
                    assignee=people[i % len(people)],
                    status=status,
                    blocked_reason="Chờ số liệu" if status == "blocked" else "",
                    result_note="Đã xong" if status == "done" else "",
                    completed_on=due + dt.timedelta(days=rng.randrange(-5, 6))
                    if status == "done"
                    else None,
                )
            )
        Task.objects.bulk_create(tasks, batch_size=BATCH)
        for month in range(1, 13):
            Task.objects.filter(office=office, due_on__year=2017, due_on__month=month).update(
                created_at=dt.datetime(2017, month, 1, 8, tzinfo=tz)
            )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                office=office,
                kind="briefing",
                title=f"Giao ban tuần {w + 1}",
                starts_at=dt.datetime.combine(
                    dt.date(2017, 1, 2) + dt.timedelta(weeks=w), dt.time(8), tzinfo=tz
                ),
                status="closed",
            )
            for w in range(52)
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=m, position=1, title="Tình hình tuần", minutes="…") for m in meetings
        )
        Outcome.objects.bulk_create(
            Outcome(meeting=m, item=it, kind=k, text=f"Kết luận {m.pk}")
            for m, it in zip(meetings, items, strict=True)
            for k in ("decision", "information")
        )
        Document.objects.bulk_create(
            (
                Document(
                    office=office,
                    direction=(direction := "in" if i % 3 else "out"),
                    notation=f"{i + 1:02d}/KH-UBND",
                    notation_raw=f"{i + 1}/KH-UBND",
                    system="state",
                    number=i + 1,
                    doc_type="KH",
                    issuer_code="UBND",
                    issued_on=day(),
                    issuing_body="UBND",
                    summary=f"Kế hoạch số {i + 1}",
                    summary_folded=f"ke hoach so {i + 1}",
                    numbering_key="" if direction == "in" else f"bench/{i}",
                )
                for i in range(n["documents"])
            ),
            batch_size=BATCH,
        )
    return office


def measure(url: str, scale: float, seed: int) -> dict[str, Any]:
    os.environ["KHOI_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khoi.documents import reports
    from khoi.documents.periods import parse_period

    out: dict[str, Any] = {"url": url, "vendor": connection.vendor, "offices": {}}
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
        )
        out["server"] = f"{connection.vendor} {cursor.fetchone()[0]}"
    rng = random.Random(seed)
    period = parse_period("2017")
    for name, size in SIZES.items():
        t0 = time.perf_counter()
        office = generate(name, size, scale, rng)
        generated = time.perf_counter() - t0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        report = reports.transient_report(office, period)
        runs = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                sections = reports.sections_for(report)
                t1 = time.perf_counter()
                docx = reports.build_docx(report, sections)
                t2 = time.perf_counter()
                xlsx = reports.build_xlsx(report, sections)
                t3 = time.perf_counter()
            runs.append(
                {"sections_s": t1 - t0, "docx_s": t2 - t1, "xlsx_s": t3 - t2, "total_s": t3 - t0,
                 "queries": len(ctx.captured_queries)}
            )  # fmt: skip
        tracemalloc.start()  # separate run: tracing slows every allocation down
        reports.build_xlsx(report, (sections := reports.sections_for(report)))
        reports.build_docx(report, sections)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        best = {**min(runs, key=lambda r: r["total_s"]), "peak_mb": peak / 2**20}
        pdf_s = None
        if reports.soffice_path():
            t0 = time.perf_counter()
            reports.docx_to_pdf(docx)
            pdf_s = time.perf_counter() - t0
        out["offices"][name] = {
            **best, "generate_s": generated, "pdf_s": pdf_s, "docx_kb": len(docx) / 1024,
            "xlsx_kb": len(xlsx) / 1024, "communes": size["communes"],
            "activities": int(size["activities"] * scale), "tasks": int(size["tasks"] * scale),
        }  # fmt: skip
    return out


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| database | office | communes | activities | tasks | report s (sections + docx + xlsx) "
        "| sections s | docx s | xlsx s | peak MB | queries | PDF (LibreOffice) s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for name, o in r["offices"].items():
            pdf = f"{o['pdf_s']:.1f}" if o["pdf_s"] is not None else "—"
            lines.append(
                f"| {r['server']} | {name} | {o['communes']} | {o['activities']:,} | "
                f"{o['tasks']:,} | {o['total_s']:.2f} | {o['sections_s']:.2f} | "
                f"{o['docx_s']:.2f} | {o['xlsx_s']:.2f} | {o['peak_mb']:.1f} | {o['queries']} | "
                f"{pdf} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="one database (default: SQLite and PostgreSQL)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the data volume")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    if args.database_url:
        prepare_database(args.database_url)
        try:
            result = measure(args.database_url, args.scale, args.seed)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                drop_database(args.database_url)
        if args.json:
            Path(args.json).write_text(json.dumps(result))
        else:
            print(markdown([result]))
        return
    results = []
    for url in (SQLITE_URL, POSTGRES_URL):
        print(f"benchmarking {url} …", file=sys.stderr, flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            cmd = [sys.executable, __file__, "--database-url", url, "--json", tmp.name,
                   "--scale", str(args.scale), "--seed", str(args.seed)]  # fmt: skip
            if args.keep:
                cmd.append("--keep")
            subprocess.run(cmd, check=True)
            results.append(json.loads(Path(tmp.name).read_text()))
    print(f"{platform.node()} {platform.python_version()} {dt.date.today()}")
    print(markdown(results))
    for r in results:
        town, province = r["offices"]["town"], r["offices"]["province"]
        if province["total_s"] >= TARGET_S:
            print(f"target missed on {r['server']}: {province['total_s']:.1f} s ≥ {TARGET_S} s")
        if province["queries"] != town["queries"]:
            print(f"query count grows on {r['server']}: {town['queries']} → {province['queries']}")


if __name__ == "__main__":
    main()
