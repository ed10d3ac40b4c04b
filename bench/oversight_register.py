"""The register of recommendations at national scale: the overdue list and the by-body
summary, as pages and in the API.

Usage::

    .venv/bin/python bench/oversight_register.py [--database-url URL] [--n 200000] [--seed 1]

Default database: ``postgres://postgres@127.0.0.1:5432/khoi_bench_oversight`` (created and
dropped; only a database whose name starts with ``khoi_bench`` is ever dropped). Generated
with COPY (no audit log), then ``VACUUM ANALYZE`` (as autovacuum would in production): 34
provinces with one joint office each, 3,321 communes, and ``--n`` recommendations, each to a
commune's People's Committee (3,321 bodies) or, one in ten, to a province department (34
more), from supervisions, criticism and feedback, issued over 2024–2025 with an answer due
30 days later; on the benchmark's day (20/10/2025) about a third are open, and most of those
are overdue.

Measured over 50 requests each (after 3 warm-up requests), through the Django test client
(the whole page or endpoint: access filter, paging, template), with the number of queries:

- a province office's staff: the register page ``?state=overdue`` (the overdue list, paged,
  and the by-body summary on the same page), the API's ``recommendations?state=overdue``
  and ``recommendations/by-body``;
- the site administrator (all 34 offices at once): the same three.

The number of queries is also measured at a tenth of the size: it must be the same.
Target: p95 < 100 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dbsetup import drop_database, is_postgres, prepare_database  # noqa: E402

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/khoi_bench_oversight"
PROVINCES, COMMUNES = 34, 3_321
TODAY = dt.date(2025, 10, 20)
SUBJECTS = ["Giải phóng mặt bằng", "Giảm nghèo", "Dân chủ cơ sở", "Bảo hiểm y tế",
            "Xây dựng nông thôn mới", "Vệ sinh an toàn thực phẩm", "Môi trường"]  # fmt: skip
CONTENTS = [
    "Công khai phương án bồi thường, hỗ trợ tại nhà văn hóa khu dân cư",
    "Chi trả dứt điểm tiền hỗ trợ chuyển đổi nghề cho các hộ đã bàn giao mặt bằng",
    "Rà soát danh sách hộ nghèo, hộ cận nghèo trước khi bình xét",
    "Tổ chức đối thoại với các hộ còn khiếu nại",
    "Kiểm tra các cơ sở sản xuất thực phẩm không bảo đảm an toàn",
    "Xử lý dứt điểm điểm tập kết rác thải tự phát",
]


def generate(n: int, rng: random.Random) -> dict[str, Any]:
    from django.db import connection, transaction

    from khoi.accounts.models import User
    from khoi.lib.vntext import fold
    from khoi.org.models import AdminUnit, JointOffice, Membership, Organization, Person
    from khoi.oversight.models.recommendations import body_key

    with transaction.atomic():
        provinces = AdminUnit.objects.bulk_create(
            AdminUnit(era="current", level=1, code=f"P{p:02d}", name=f"Tỉnh {p}",
                      division_type="tỉnh", name_folded=f"tinh {p}")
            for p in range(PROVINCES)
        )  # fmt: skip
        communes = AdminUnit.objects.bulk_create(
            AdminUnit(era="current", level=3, code=f"C{c:05d}", name=f"Xã Bình {c}",
                      division_type="xã", name_folded=f"xa binh {c}",
                      parent=provinces[c % PROVINCES], province=provinces[c % PROVINCES])
            for c in range(COMMUNES)
        )  # fmt: skip
        offices, fronts = [], []
        for p in provinces:
            office = JointOffice.objects.create(
                code=f"o{p.code}", name=f"Cơ quan Khối {p.name}", unit=p
            )
            front = Organization.objects.create(kind="front", name=f"MTTQ {p.name}", unit=p)
            office.organizations.add(front)
            offices.append(office)
            fronts.append(front)
        staff = User.objects.create(username="staff")
        person = Person.objects.create(full_name="Cán bộ", unit=provinces[0], user=staff)
        Membership.objects.create(person=person, office=offices[0], role="staff",
                                  start_on=dt.date(2020, 1, 1))  # fmt: skip
        admin = User.objects.create(username="admin", is_superuser=True, is_staff=True)
        bodies = {c.pk: f"UBND {c.name[:1].lower()}{c.name[1:]}" for c in communes}
        departments = [f"Sở Tài nguyên và Môi trường tỉnh {p}" for p in range(PROVINCES)]
        columns = (
            "office_id, organization_id, unit_id, source_kind, source_id, source_title, "
            "source_url, supervision_id, body, body_key, subject, content, search_folded, "
            "issued_on, due_on, document_id, status, answered_on, created_by_id, created_at"
        )
        keys: dict[str, str] = {}
        now = dt.datetime(2025, 10, 20, 8, 0, tzinfo=dt.UTC)
        start = dt.date(2024, 1, 1)
        span = (TODAY - start).days
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")  # the COPY outlasts 30 s
            raw = cursor.cursor
            with raw.copy(f"COPY oversight_recommendation ({columns}) FROM STDIN") as copy:
                for i in range(n):
                    c = communes[rng.randrange(COMMUNES)]
                    idx = int(c.province_id or 0) - provinces[0].pk
                    if rng.random() < 0.1:
                        body = departments[idx]
                        unit = None
                    else:
                        body = bodies[c.pk]
                        unit = c.pk
                    key = keys.get(body) or keys.setdefault(body, body_key(body))
                    issued = start + dt.timedelta(days=rng.randrange(span))
                    due = issued + dt.timedelta(days=30)
                    r = rng.random()
                    answered = None
                    if r < 0.62:
                        status = rng.choice(["accepted", "accepted", "partly", "rejected"])
                        answered = min(TODAY, issued + dt.timedelta(days=rng.randrange(1, 60)))
                    elif r < 0.64:
                        status = "withdrawn"
                    else:
                        status = "open"
                    subject = SUBJECTS[i % len(SUBJECTS)]
                    content = f"{CONTENTS[i % len(CONTENTS)]} (số {i})"
                    kind = ("supervision", "criticism", "feedback")[i % 3]
                    copy.write_row((
                        offices[idx].pk, fronts[idx].pk, unit, kind, None, "", "", None,
                        body, key, subject, content, fold(f"{body} {subject} {content}"),
                        issued, due, None, status, answered, None, now,
                    ))  # fmt: skip
    # VACUUM (outside the transaction) as autovacuum would in production: a table written by
    # COPY has no visibility map yet, which keeps PostgreSQL from index-only scans
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE oversight_recommendation")
    return {"office": offices[0], "staff": staff, "admin": admin}


def requests(client: Any, url: str, reps: int = 50) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times, sql = [], []
    queries = 0
    for _ in range(reps):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200
        queries = len(ctx.captured_queries)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    times.sort()
    sql.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "sql_p50": statistics.median(sql),
        "queries": queries,
    }


URLS = {
    "page ?state=overdue": "/oversight/recommendations/?state=overdue",
    "API overdue list": "/api/v1/oversight/recommendations?state=overdue",
    "API by-body summary": "/api/v1/oversight/recommendations/by-body",
}


def measure(url: str, n: int, seed: int) -> dict[Any, Any]:
    os.environ["KHOI_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    data = generate(n, rng)
    generated = time.perf_counter() - t0
    from khoi import clock

    out: dict[Any, Any] = {"generate_s": generated, "server": connection.vendor}
    with override_settings(ALLOWED_HOSTS=["*"], KHOI_REQUIRE_2FA=False), clock.use_date(TODAY):
        assert settings.DEBUG in (True, False)
        for who in ("staff", "admin"):
            client = Client()
            client.force_login(data[who])
            for label, path in URLS.items():
                out[(who, label)] = requests(client, path)
    from khoi.oversight.models import Recommendation

    out["rows"] = Recommendation.objects.count()
    out["office_rows"] = Recommendation.objects.filter(office=data["office"]).count()
    out["overdue"] = Recommendation.objects.filter(status="open", due_on__lt=TODAY).count()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=POSTGRES_URL)
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if not is_postgres(args.database_url):
        raise SystemExit("this benchmark generates its rows with PostgreSQL's COPY")
    prepare_database(args.database_url)
    try:
        result = measure(args.database_url, args.n, args.seed)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url)
    print(
        f"{platform.node()} Python {platform.python_version()} {dt.date.today()} "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{result['server']}: {result['rows']:,} recommendations ({result['office_rows']:,} in "
        f"the measured province office, {result['overdue']:,} overdue), generated in "
        f"{result['generate_s']:.0f} s"
    )
    for who in ("staff", "admin"):
        for label in URLS:
            r = result[(who, label)]
            print(f"{who:5} {label:22} p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
                  f"(in SQL p50 {r['sql_p50']:6.1f} ms)  {r['queries']} queries")  # fmt: skip


if __name__ == "__main__":
    main()
