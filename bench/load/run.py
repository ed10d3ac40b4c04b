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
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "check"))
import prod_check as pc  # noqa: E402

LOCUST = str(ROOT / ".venv" / "bin" / "locust")


def run_locust(
    host: str, locustfile: str, users: int, seconds: int, out: Path, env: dict[str, str]
) -> list[dict[str, str]]:
    prefix = out / f"{Path(locustfile).stem}-{users}"
    subprocess.run(
        [LOCUST, "-f", locustfile, "--headless", "-u", str(users), "-r", str(max(1, users // 5)),
         "-t", f"{seconds}s", "--host", host, "--csv", str(prefix), "--only-summary",
         "--loglevel", "WARNING", "--stop-timeout", "5"],
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--communes", type=int, default=30)
    parser.add_argument("--ports", default="8106,8107")
    parser.add_argument("--nginx-port", type=int, default=8180)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per server")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="khoi-load-"))
    tmp.chmod(0o755)
    name = f"khoi_load_{os.getpid()}"
    url = urllib.parse.urlsplit(args.database_url)._replace(path="/" + name).geturl()
    pc.psql(args.database_url, f"CREATE DATABASE {name}")
    app_ports = [int(p) for p in args.ports.split(",")]
    try:
        env = pc.make_env(tmp, url, "")
        env["KHOI_RATE_LOGIN_PER_MINUTE"] = "0"
        env["KHOI_RATE_API_PER_MINUTE"] = "0"
        started = time.monotonic()
        scale = ["generate_scale", "--communes", str(args.communes), "--seed", "1"]
        for command in (["migrate", "--noinput", "-v0"], ["createcachetable"],
                        ["collectstatic", "--noinput", "-v0"], ["load_demo"], scale):  # fmt: skip
            pc.manage(env, *command)
        token = pc.manage(
            env, "shell", "-v0", "-c",
            "from khoi.accounts.models import User; from khoi.accounts.services import "
            "do_create_api_token as t; print(t(User.objects.get(username='canbo'), 'load')[1])",
        ).strip().splitlines()[-1]  # fmt: skip
        print(f"data ready in {time.monotonic() - started:.0f}s (demo + {args.communes} communes)")
        conf = pc.nginx_conf(tmp, env, args.nginx_port, app_ports)
        web_env = {**env, "KHOI_WEB_WORKERS": str(args.workers), "KHOI_WEB_THREADS": "4",
                   "KHOI_ACCESS_LOG": str(tmp / "access.log")}  # fmt: skip
        gunicorn = [pc.GUNICORN, "-c", "deploy/gunicorn.conf.py", "-b"]
        host = f"https://127.0.0.1:{args.nginx_port}"
        load_env = {**os.environ, "LOAD_API_TOKEN": token}
        with (
            pc.process([*gunicorn, f"127.0.0.1:{app_ports[0]}"], web_env, tmp / "a.log"),
            pc.process([*gunicorn, f"127.0.0.1:{app_ports[1]}"], web_env, tmp / "b.log"),
            pc.process(["nginx", "-c", str(conf), "-g", "daemon off;"], env, tmp / "nginx.log"),
        ):
            for port in [*app_ports, args.nginx_port]:
                pc.wait_port(port)
            for users in (int(u) for u in args.users.split(",")):
                rows = run_locust(
                    host, "bench/load/locustfile.py", users, args.duration, tmp, load_env
                )
                table(f"persona mix, {users} users, {args.duration}s", rows)
                anchor = run_locust(host, "bench/load/bare.py", users, args.duration, tmp, load_env)
                table(f"anchor (bare view), {users} users, {args.duration}s", anchor)
    finally:
        pc.psql(args.database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        print(f"\nlogs in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
