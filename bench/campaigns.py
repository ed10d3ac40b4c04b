"""Campaign figures at national scale: roll-up, completeness, one commune's grid, a ranking.

Usage::

    .venv/bin/python bench/campaigns.py [--database-url URL] [--scale 1.0] [--seed 1]

Default database: ``postgres://postgres@127.0.0.1:5432/khoi_bench_campaigns`` (created and
dropped; only a database whose name starts with ``khoi_bench`` is ever dropped). Generated
with COPY (no audit log): 34 provinces, 3,321 communes (``--scale`` shrinks the number of
communes), 3 residential areas each; one campaign with 20 monthly indicators (15 reported by
the commune, 5 by each residential area; numbers, percentages, yes/no); 12 months of
figures for every unit; a submission per commune and month (mixed states: about two
thirds of them approved, some submitted, draft or returned, some months not started).

Measured (best of 3 unless said otherwise, with the number of queries). The official totals
are the approved figures' (those whose submission is approved):

- the kept province totals of the approved figures (``ProvinceTotal``) rebuilt from the
  1.2 M figures once (``rollup.rebuild_province_totals``, what a bulk load pays), and
  checked equal to the approved totals computed from the figures;
- national approved totals, 20 indicators × 12 months (areas rolled up) —
  ``rollup.unit_totals(..., approved_only=True)`` (reads the kept province totals), and the
  same computed from the approved figures once (``national_computed``, the query
  ``unit_totals`` runs below the province), checked equal;
- the approved totals of every province at once — ``rollup.totals_by_province`` (kept), and
  the same computed from the approved figures (``rollup.computed_totals_by_province``, once);
- one province's approved totals (kept);
- what keeping them costs: ``rollup.refresh_province_totals`` for one commune and month
  (20 indicators; what an approval or a reopening pays), and a whole
  ``services.do_save_figures`` of the 15 commune-level cells of an open month (a save
  refreshes nothing: a draft is not official);
- the completeness table (3,321 communes × 12 months) and its counts — ``rollup.completeness``
  and ``rollup.completeness_counts``;
- one commune's data-entry grid page (GET through the Django test client, signed in as the
  commune's reporter): p50 and p95 over 50 requests, and its queries;
- the ranking of a 500-member cluster with 30 criteria (10 from indicators, 20 scored by
  hand) — ``scoring.compute_ranking`` — with a check that every total equals the sum of its
  shown breakdown.

Targets: roll-up and completeness < 2 s on PostgreSQL in a fixed number of queries; the
grid < 100 ms p95.
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

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/khoi_bench_campaigns"
PROVINCES, COMMUNES, AREAS = 34, 3_321, 3
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def generate(scale: float, rng: random.Random) -> dict[str, Any]:
    from decimal import Decimal

    from django.db import connection, transaction

    from khoi.accounts.models import User
    from khoi.campaigns.models import Campaign, Indicator, Submission
    from khoi.campaigns.scale import KINDS, SUBMISSION_STATUSES, figure
    from khoi.lib.vntext import fold
    from khoi.org.models import (
        AdminUnit,
        JointOffice,
        Membership,
        Organization,
        Person,
        ResidentialArea,
    )

    n_communes = max(int(COMMUNES * scale), PROVINCES)
    with transaction.atomic():
        provinces = AdminUnit.objects.bulk_create(
            AdminUnit(
                era="current",
                level=1,
                code=f"P{p:02d}",
                name=f"Tỉnh {p}",
                division_type="tỉnh",
                name_folded=f"tinh {p}",
            )
            for p in range(PROVINCES)
        )
        communes = AdminUnit.objects.bulk_create(
            AdminUnit(
                era="current",
                level=3,
                code=f"C{c:05d}",
                name=f"Xã {c}",
                division_type="xã",
                name_folded=f"xa {c}",
                parent=provinces[c % PROVINCES],
                province=provinces[c % PROVINCES],
            )
            for c in range(n_communes)
        )
        areas = ResidentialArea.objects.bulk_create(
            ResidentialArea(commune=c, name=f"Khu {a}", name_folded=fold(f"Khu {a}"))
            for c in communes
            for a in range(1, AREAS + 1)
        )
        office = JointOffice.objects.create(code="bench", name="Cơ quan Khối", unit=provinces[0])
        front = Organization.objects.create(kind="front", name="MTTQ", unit=provinces[0])
        office.organizations.add(front)
        campaign = Campaign.objects.create(
            office=office, kind="movement", title="Toàn dân đoàn kết", start_on=dt.date(2025, 1, 1)
        )
        kinds = KINDS
        indicators = Indicator.objects.bulk_create(
            Indicator(
                campaign=campaign,
                code=str(i + 1),
                name=f"Chỉ tiêu {i + 1}",
                kind=kinds[i % 3],
                level="area" if i >= 15 else "commune",
                period_kind="month",
                min_value=Decimal(0),
                max_value=Decimal(1000),
                order=i,
            )
            for i in range(20)
        )
        by_commune: dict[int, list[Any]] = {}
        for a in areas:
            by_commune.setdefault(a.commune_id, []).append(a)
        columns = "indicator_id, commune_id, area_id, period, year, number, numerator, denominator, flag, text, comment, evidence, evidence_type"  # noqa: E501
        rows = 0
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            with raw.copy(f"COPY campaigns_value ({columns}) FROM STDIN") as copy:
                for c in communes:
                    for ind in indicators:
                        units = by_commune[c.pk] if ind.level == "area" else [None]
                        for unit in units:
                            for period in MONTHS:
                                number, num, den, flag = figure(ind.kind, rng)
                                copy.write_row(
                                    (
                                        ind.pk,
                                        c.pk,
                                        unit.pk if unit else None,
                                        period,
                                        2025,
                                        number,
                                        num,
                                        den,
                                        flag,
                                        "",
                                        "",
                                        "",
                                        "",
                                    )
                                )
                                rows += 1
        statuses = SUBMISSION_STATUSES
        Submission.objects.bulk_create(
            Submission(
                campaign=campaign, commune=c, period=p, year=2025, status=rng.choice(statuses)
            )
            for c in communes
            for p in MONTHS
            if rng.random() < 0.93
        )
        target = communes[0]
        user = User.objects.create(username="reporter")
        person = Person.objects.create(full_name="Báo cáo viên", unit=target, user=user)
        org = Organization.objects.create(kind="front", name="MTTQ xã", unit=target)
        Membership.objects.create(
            person=person, organization=org, role="reporter", start_on=dt.date(2020, 1, 1)
        )
    return {
        "campaign": campaign,
        "indicators": indicators,
        "communes": communes,
        "rows": rows,
        "office": office,
        "user": user,
        "target": target,
    }


def existing() -> dict[str, Any]:
    """The data of a database kept by an earlier run (``--keep``), for ``--reuse``."""
    from khoi.accounts.models import User
    from khoi.campaigns.models import Campaign, Value
    from khoi.org.models import AdminUnit

    campaign = Campaign.objects.order_by("pk").first()
    if campaign is None:
        raise SystemExit("--reuse: no campaign in this database (run with --keep first)")
    user = User.objects.get(username="reporter")
    return {
        "campaign": campaign,
        "indicators": list(campaign.indicators.order_by("order", "code")),
        "communes": list(AdminUnit.objects.filter(level=3).order_by("pk")),
        "rows": Value.objects.count(),
        "office": campaign.office,
        "user": user,
        "target": AdminUnit.objects.get(pk=user.person.unit_id),
    }


def timed(fn: Any, repeat: int = 3) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, queries, result = float("inf"), 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - t0
        if elapsed < best:
            best, queries = elapsed, len(ctx.captured_queries)
    return best, queries, result


def ranking_bench(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    from decimal import Decimal

    from khoi.campaigns import scoring
    from khoi.campaigns.models import (
        Cluster,
        ClusterMember,
        Criterion,
        ManualScore,
        ScoringTable,
    )

    members = data["communes"][:500]
    cluster = Cluster.objects.create(office=data["office"], name="Cụm 500", kind="communes")
    ClusterMember.objects.bulk_create(
        ClusterMember(cluster=cluster, unit=c, name=c.name) for c in members
    )
    table = ScoringTable.objects.create(
        cluster=cluster, year=2025, base_points=Decimal(10), campaign=data["campaign"]
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(
                table=table,
                order=i,
                name=f"Tiêu chí {i}",
                weight=Decimal(4),
                source="indicator",
                indicator=data["indicators"][i],
            )
            for i in range(10)
        ]
        + [
            Criterion(
                table=table, order=10 + i, name=f"Chấm tay {i}", weight=Decimal(3), source="manual"
            )
            for i in range(20)
        ]
    )
    ManualScore.objects.bulk_create(
        ManualScore(criterion=c, member=m, points=Decimal(rng.randint(0, 300)) / 100, note="x")
        for c in criteria[10:]
        for m in cluster.members.all()
    )
    seconds, queries, result = timed(lambda: scoring.compute_ranking(cluster, 2025))
    ok = all(r.total == r.base + sum(r.parts.values()) for r in result.rows)
    return {
        "seconds": seconds,
        "queries": queries,
        "members": len(result.rows),
        "criteria": len(result.criteria),
        "breakdown_adds_up": ok,
    }


def national_computed(inds: list[Any]) -> dict[tuple[int, str], Any]:
    """The national approved totals computed from the figures (what ``unit_totals`` runs
    below the province; the kept table spares it for the country). One query."""
    from khoi.campaigns import rollup
    from khoi.campaigns.models import Value

    rows = (
        Value.objects.filter(
            rollup.approved_figures(), indicator__in=[i.pk for i in inds], period__in=MONTHS
        )
        .values("indicator_id", "period")
        .annotate(**rollup.AGGREGATES)
        .order_by()
    )
    return {(r["indicator_id"], r["period"]): rollup._total(r) for r in rows}


def save_bench(data: dict[str, Any]) -> dict[str, Any]:
    """What keeping the province totals costs: the refresh an approval or a reopening runs
    for one commune and month (rolled back), and a whole save of the commune-level cells of
    a month still open for entry (which refreshes nothing)."""
    from django.db import transaction

    from khoi.campaigns import rollup, services
    from khoi.campaigns.models import Submission

    target, campaign, inds = data["target"], data["campaign"], data["indicators"]
    out: dict[str, Any] = {}

    def refresh() -> None:
        with transaction.atomic():
            rollup.refresh_province_totals(target, [i.pk for i in inds], ["2025-06"])
            transaction.set_rollback(True)

    out["refresh_one_commune"] = timed(refresh)[:2]
    closed = set(
        Submission.objects.filter(campaign=campaign, commune=target)
        .exclude(status__in=["draft", "returned"])
        .values_list("period", flat=True)
    )
    open_months = [m for m in MONTHS if m not in closed]
    if open_months:
        cells = [
            services.CellInput(i.pk, value="Có" if i.kind == "yesno" else "7")
            if i.kind != "percent"
            else services.CellInput(i.pk, numerator="3", denominator="9")
            for i in inds
            if i.level == "commune"
        ]
        out["save_one_commune"] = timed(
            lambda: services.do_save_figures(data["user"], campaign, target, open_months[0], cells),
            repeat=1,
        )[:2]
    return out


def measure(url: str, scale: float, seed: int, reuse: bool = False) -> dict[str, Any]:
    os.environ["KHOI_DATABASE_URL"] = url
    # the COPY of 1.2 million figures takes longer than the app's 30 s statement timeout
    os.environ.setdefault("KHOI_STATEMENT_TIMEOUT_MS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from khoi.campaigns import rollup
    from khoi.org.models import AdminUnit

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    data = existing() if reuse else generate(scale, rng)
    generated = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("show server_version")
        server = f"PostgreSQL {cursor.fetchone()[0]}"
    inds, campaign = data["indicators"], data["campaign"]
    communes = AdminUnit.objects.filter(level=3)
    out: dict[str, Any] = {
        "server": server,
        "values": data["rows"],
        "communes": len(data["communes"]),
        "generate_s": generated,
    }
    out["rebuild"] = timed(lambda: rollup.rebuild_province_totals(campaign), repeat=1)[:2]
    out["computed_provinces"] = timed(
        lambda: rollup.computed_totals_by_province(inds, MONTHS), repeat=1
    )
    out["national"] = timed(lambda: rollup.unit_totals(inds, MONTHS, None, approved_only=True))
    out["national_computed"] = timed(lambda: national_computed(inds), repeat=1)
    out["provinces"] = timed(lambda: rollup.totals_by_province(inds, MONTHS))
    out["kept_equals_computed"] = (
        out["provinces"][2] == out["computed_provinces"][2]
        and out["national"][2] == out["national_computed"][2]
    )
    for key in ("national", "national_computed", "provinces", "computed_provinces"):
        out[key] = out[key][:2]
    out.update(save_bench(data))
    province = AdminUnit.objects.filter(level=1).order_by("pk").first()
    out["one_province"] = timed(
        lambda: rollup.unit_totals(inds, MONTHS, province, approved_only=True)
    )[:2]
    out["completeness"] = timed(lambda: rollup.completeness(campaign, MONTHS, communes))[:2]
    out["completeness_counts"] = timed(
        lambda: rollup.completeness_counts(campaign, MONTHS, communes)
    )[:2]
    client = Client()
    client.force_login(data["user"])
    url_grid = f"/campaigns/{campaign.pk}/entry/{data['target'].pk}/2025-06/"
    assert client.get(url_grid).status_code == 200
    times, cpu = [], []
    load_before = os.getloadavg()[0]
    # the queries are counted on one GET of their own: capturing them formats every SQL
    # statement (debug cursor), which the timed GETs must not pay
    connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url_grid).status_code == 200
    for _ in range(50):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url_grid)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        assert response.status_code == 200
    times.sort()
    cpu.sort()
    out["grid"] = {
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95) - 1] * 1000,
        # the CPU this process spent per page (Python: middleware, view, template), which
        # the machine's load does not inflate; the rest of the wall time is waiting for a
        # core or for PostgreSQL
        "cpu_p50_ms": statistics.median(cpu) * 1000,
        "cpu_p95_ms": cpu[int(len(cpu) * 0.95) - 1] * 1000,
        "queries": len(ctx.captured_queries),
        "load": (load_before + os.getloadavg()[0]) / 2,
        "bytes": len(response.content),
    }
    if not reuse:
        out["ranking"] = ranking_bench(data, rng)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=POSTGRES_URL)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the communes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on a database kept by --keep (no generation, no ranking; kept)",
    )
    args = parser.parse_args()
    if not is_postgres(args.database_url):
        raise SystemExit("this benchmark generates its figures with PostgreSQL's COPY")
    if not args.reuse:
        prepare_database(args.database_url)
    try:
        result = measure(args.database_url, args.scale, args.seed, reuse=args.reuse)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep and not args.reuse:
            drop_database(args.database_url)
    print(
        f"{platform.node()} Python {platform.python_version()} {dt.date.today()} "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{result['server']}: {result['communes']:,} communes, {result['values']:,} figures "
        f"(generated in {result['generate_s']:.0f} s)"
    )
    keys = (
        "rebuild", "computed_provinces", "national", "national_computed", "provinces",
        "one_province",
        "completeness", "completeness_counts", "refresh_one_commune", "save_one_commune",
    )  # fmt: skip
    for key in keys:
        if key not in result:
            continue
        seconds, queries = result[key]
        print(f"{key}: {seconds:.3f} s, {queries} queries")
    print(
        "kept approved totals (provinces, national) equal the computed ones: "
        f"{result['kept_equals_computed']}"
    )
    g = result["grid"]
    print(
        f"grid: p50 {g['p50_ms']:.1f} ms, p95 {g['p95_ms']:.1f} ms, {g['queries']} queries, "
        f"CPU p50 {g['cpu_p50_ms']:.1f} ms, p95 {g['cpu_p95_ms']:.1f} ms, "
        f"{g['bytes']:,} bytes, load during the 50 GETs {g['load']:.1f}"
    )
    if "ranking" not in result:
        return
    r = result["ranking"]
    print(
        f"ranking: {r['members']} members × {r['criteria']} criteria: {r['seconds']:.3f} s, "
        f"{r['queries']} queries, breakdown adds up: {r['breakdown_adds_up']}"
    )


if __name__ == "__main__":
    main()
