"""Load test on loopback: PostgreSQL, nginx (TLS) and two gunicorn processes, the demo plus a
generated dataset, locust headless with the persona mix, then the bare anchor.

    .venv/bin/python bench/load/run.py --users 50,200 --duration 30 --communes 30

Prints per page p50 / p95 / p99 (ms) and requests per second, and the same for the anchor.
Short and bounded: the machine is shared. Sign-in rate limits are off for the run (every
simulated user comes from 127.0.0.1).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "check"))
import prod_check as pc  # noqa: E402

LOCUST = str(ROOT / ".venv" / "bin" / "locust")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def pc_size(url: str) -> str:
    """Rows in the main tables and the database's size, for the record beside the figures."""
    tables = ["work_activity", "work_task", "petitions_petition", "documents_document",
              "org_adminunit", "meetings_meeting"]  # fmt: skip
    counts = []
    for table_name in tables:
        result = subprocess.run(
            ["psql", url, "-qAtc", f"SELECT count(*) FROM {table_name}"],
            capture_output=True, text=True,
        )  # fmt: skip
        counts.append(f"{table_name}={result.stdout.strip() or '?'}")
    size = subprocess.run(
        ["psql", url, "-qAtc", "SELECT pg_size_pretty(pg_database_size(current_database()))"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return f"dataset: {', '.join(counts)}; database size {size}"


def run_locust(
    host: str,
    locustfile: str,
    users: int,
    seconds: int,
    out: Path,
    env: dict[str, str],
    steady: bool = False,
) -> list[dict[str, str]]:
    prefix = out / f"{Path(locustfile).stem}-{users}"
    subprocess.run(
        [LOCUST, "-f", locustfile, "--headless", "-u", str(users), "-r", str(max(1, users // 5)),
         "-t", f"{seconds}s", "--host", host, "--csv", str(prefix), "--only-summary",
         "--loglevel", "WARNING", "--stop-timeout", "5", *(["--reset-stats"] if steady else [])],
        cwd=ROOT, env=env, check=False, capture_output=True,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def table(title: str, rows: list[dict[str, str]]) -> None:
    print(f"\n{title}")
    print(f"{'page':28} {'reqs':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>7}")
    for row in rows:
        print(
            f"{row['Name'][:28]:28} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {float(row['Requests/s']):7.1f}"
        )


def total_row(rows: list[dict[str, str]]) -> dict[str, str]:
    return next((r for r in rows if r["Name"] == "Aggregated"), {})


def report_ratio(results: dict[str, Any]) -> None:
    """The persona mix against the bare view at the same number of users (p50, p95)."""
    ratios = {}
    for step in results["steps"]:
        if step["kind"] != "mix":
            continue
        anchor = next(
            (s for s in results["steps"] if s["kind"] == "anchor" and s["users"] == step["users"]),
            None,
        )
        mix, bare = total_row(step["rows"]), total_row(anchor["rows"]) if anchor else {}
        if not mix or not bare:
            continue
        ratio = {
            q: round(float(mix[q]) / float(bare[q]), 1) if float(bare[q] or 0) else None
            for q in ("50%", "95%")
        }
        ratios[str(step["users"])] = ratio
        print(f"ratio persona mix / bare view at {step['users']} users: "
              f"p50 {ratio['50%']}x, p95 {ratio['95%']}x")  # fmt: skip
    results["ratio"] = ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--communes", type=int, default=30)
    parser.add_argument("--ports", default="8106,8107")
    parser.add_argument("--nginx-port", type=int, default=8180)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--keep", default="",
        help="database name to build once and reuse (kept after the run, with its field key)",
    )  # fmt: skip
    parser.add_argument(
        "--replica-url", default="",
        help="KHOI_REPLICA_URL for the app servers (server only, the database name is added)",
    )  # fmt: skip
    parser.add_argument(
        "--steady", action="store_true",
        help="users start signed in (sessions made beforehand) and the statistics restart "
        "once all are running: the pages in steady state, not a burst of sign-ins",
    )  # fmt: skip
    parser.add_argument("--only", default="", help="run only 'mix' or 'anchor'")
    parser.add_argument(
        "--field-keys-file", default="",
        help="with --keep: the database's field keys (default /tmp/NAME.fieldkey); when the "
        "file exists the database is used as it is (already holds the demo and its data)",
    )  # fmt: skip
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    parser.add_argument("--static-root", default="", help="collect static files there once")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "steps": [],
        "users": args.users,
        "duration": args.duration,
        "steady": args.steady,
        "replica": bool(args.replica_url),
    }
    tmp = Path(tempfile.mkdtemp(prefix="khoi-load-"))
    tmp.chmod(0o755)
    name = args.keep or f"khoi_load_{os.getpid()}"
    url = urllib.parse.urlsplit(args.database_url)._replace(path="/" + name).geturl()
    keyfile = Path(args.field_keys_file or Path(tempfile.gettempdir()) / f"{name}.fieldkey")
    fresh = not (args.keep and keyfile.exists())
    if fresh:
        pc.psql(args.database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        pc.psql(args.database_url, f"CREATE DATABASE {name}")
    app_ports = [int(p) for p in args.ports.split(",")]
    try:
        env = pc.make_env(tmp, url, "")
        auditkey = Path(f"{keyfile}.audit")  # KHOI_AUDIT_KEY of the kept database
        if not fresh:
            env["KHOI_FIELD_KEYS"] = keyfile.read_text().strip()
            if auditkey.exists():
                env["KHOI_AUDIT_KEY"] = auditkey.read_text().strip()
        env["KHOI_RATE_LOGIN_PER_MINUTE"] = "0"
        env["KHOI_RATE_API_PER_MINUTE"] = "0"
        started = time.monotonic()
        scale = ["generate_scale", "--communes", str(args.communes), "--seed", "1"]
        prepare = [["migrate", "--noinput", "-v0"], ["createcachetable"], ["load_demo"], scale]
        if args.static_root:  # collected once for several runs
            env["KHOI_STATIC_ROOT"] = args.static_root
        collected = Path(env["KHOI_STATIC_ROOT"], "staticfiles.json").exists()
        collect = [] if collected else [["collectstatic", "--noinput", "-v0"]]
        for command in [*collect, *(prepare if fresh else [])]:
            pc.manage(env, *command)
        if fresh and args.keep:
            keyfile.write_text(env["KHOI_FIELD_KEYS"])
            auditkey.write_text(env["KHOI_AUDIT_KEY"])
        token = pc.manage(
            env, "shell", "-v0", "-c",
            "from khoi.accounts.models import User; from khoi.accounts.services import "
            "do_create_api_token as t; print(t(User.objects.get(username='canbo'), 'load')[1])",
        ).strip().splitlines()[-1]  # fmt: skip
        if args.steady:
            load_env_sessions = pc.manage(
                env, "shell", "-v0", "-c",
                "import json; from django.test import Client; "
                "from khoi.accounts.models import User\n"
                "out = {}\n"
                "for login in ('canbo', 'truongkhoi', 'phuongha-an'):\n"
                "    user = User.objects.get(username=login); keys = []\n"
                "    for i in range(20):\n"
                "        c = Client(); c.force_login(user)\n"
                "        keys.append(c.cookies['sessionid'].value)\n"
                "    out[login] = keys\n"
                "print(json.dumps(out))",
            ).strip().splitlines()[-1]  # fmt: skip
        else:
            load_env_sessions = ""
        print(f"data ready in {time.monotonic() - started:.0f}s (demo + {args.communes} communes)")
        results["dataset"] = pc_size(url)
        print(results["dataset"])
        conf = pc.nginx_conf(tmp, env, args.nginx_port, app_ports)
        if args.replica_url:
            env["KHOI_REPLICA_URL"] = (
                urllib.parse.urlsplit(args.replica_url)._replace(path="/" + name).geturl()
            )
        web_env = {**env, "KHOI_WEB_WORKERS": str(args.workers), "KHOI_WEB_THREADS": "4",
                   "KHOI_ACCESS_LOG": str(tmp / "access.log")}  # fmt: skip
        gunicorn = [pc.GUNICORN, "-c", "deploy/gunicorn.conf.py", "-b"]
        host = f"https://127.0.0.1:{args.nginx_port}"
        load_env = {**os.environ, "LOAD_API_TOKEN": token, "LOAD_SESSIONS": load_env_sessions}
        with (
            pc.process([*gunicorn, f"127.0.0.1:{app_ports[0]}"], web_env, tmp / "a.log"),
            pc.process([*gunicorn, f"127.0.0.1:{app_ports[1]}"], web_env, tmp / "b.log"),
            pc.process(["nginx", "-c", str(conf), "-g", "daemon off;"], env, tmp / "nginx.log"),
        ):
            for port in [*app_ports, args.nginx_port]:
                pc.wait_port(port)
            for users in (int(u) for u in args.users.split(",")):
                for kind, locustfile, steady in (
                    ("mix", "bench/load/locustfile.py", args.steady),
                    ("anchor", "bench/load/bare.py", False),
                ):
                    if args.only not in ("", kind):
                        continue
                    before, load_before = uptime(), os.getloadavg()
                    print(f"uptime: {before}")
                    rows = run_locust(host, locustfile, users, args.duration, tmp, load_env, steady)
                    label = "persona mix" if kind == "mix" else "anchor (bare view)"
                    table(f"{label}, {users} users, {args.duration}s", rows)
                    results["steps"].append({
                        "kind": kind, "users": users, "seconds": args.duration,
                        "load_before": load_before, "load_after": os.getloadavg(),
                        "uptime_before": before, "uptime_after": uptime(), "rows": rows,
                    })  # fmt: skip
                    if args.json:
                        Path(args.json).write_text(json.dumps(results, indent=1))
                print(f"uptime: {uptime()}")
            report_ratio(results)
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1))
    finally:
        if not args.keep:
            pc.psql(args.database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        print(f"\nlogs in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
