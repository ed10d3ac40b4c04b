"""The bare view's tail, one setting at a time: nginx (TLS) and two gunicorn processes as in
``bench/load/run.py``, locust with ``bench/load/bare.py`` only, then what the stack logged.

    .venv/bin/python bench/load/bare_tail.py \\
        --database-url postgres://postgres@127.0.0.1:5432/khoi_x \\
        --users 50 --duration 60 --set KHOI_WEB_MAX_REQUESTS=0

``--database-url`` names a migrated database (the bare view reads nothing; Django needs one
to start). ``--set KEY=VALUE`` (repeatable) goes into the app servers' environment (e.g.
``KHOI_WEB_MAX_REQUESTS``, ``KHOI_WEB_THREADS``, ``KHOI_WEB_WORKERS``, ``KHOI_WEB_PRELOAD``).
Prints the percentiles, the slow requests' count, how many times a gunicorn worker was
(re)booted during the run, nginx's errors and the kernel's listen-queue overflows.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "check"))
sys.path.insert(0, str(ROOT / "bench" / "load"))
import prod_check as pc  # noqa: E402
from run import run_locust  # noqa: E402


def netstat() -> dict[str, int]:
    """TcpExt counters of the kernel (listen queue overflows and drops, SYN retransmits)."""
    lines = Path("/proc/net/netstat").read_text().splitlines()
    out: dict[str, int] = {}
    for head, values in zip(lines[::2], lines[1::2], strict=False):
        if head.startswith("TcpExt:"):
            out.update(zip(head.split()[1:], map(int, values.split()[1:]), strict=False))
    keep = ("ListenOverflows", "ListenDrops", "TCPSynRetrans", "TCPTimeouts")
    return {k: out.get(k, 0) for k in keep}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--ports", default="8126,8127")
    parser.add_argument("--nginx-port", type=int, default=8190)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], help="KEY=VALUE for gunicorn")
    parser.add_argument("--json", default="")
    parser.add_argument(
        "--cold", action="store_true",
        help="do not warm each app server (20 direct requests) before the run",
    )  # fmt: skip
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="khoi-bare-"))
    tmp.chmod(0o755)
    env = pc.make_env(tmp, args.database_url, "")
    env["KHOI_STATIC_ROOT"] = str(tmp / "static")
    pc.manage(env, "collectstatic", "--noinput", "-v0")
    app_ports = [int(p) for p in args.ports.split(",")]
    conf = pc.nginx_conf(tmp, env, args.nginx_port, app_ports)
    web_env = {**env, "KHOI_WEB_WORKERS": str(args.workers), "KHOI_WEB_THREADS": "4",
               "KHOI_ACCESS_LOG": str(tmp / "access.log"), "KHOI_LOG_LEVEL": "INFO"}  # fmt: skip
    for item in args.set:
        key, _, value = item.partition("=")
        web_env[key] = value
    gunicorn = [pc.GUNICORN, "-c", "deploy/gunicorn.conf.py", "-b"]
    host = f"https://127.0.0.1:{args.nginx_port}"
    with (
        pc.process([*gunicorn, f"127.0.0.1:{app_ports[0]}"], web_env, tmp / "a.log"),
        pc.process([*gunicorn, f"127.0.0.1:{app_ports[1]}"], web_env, tmp / "b.log"),
        pc.process(["nginx", "-c", str(conf), "-g", "daemon off;"], env, tmp / "nginx.log"),
    ):
        for port in [*app_ports, args.nginx_port]:
            pc.wait_port(port)
        time.sleep(2)
        if not args.cold:  # the first requests of a worker import the views: not measured
            for port in app_ports:
                for _ in range(20):
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/ops/bare",
                        headers={"X-Forwarded-Proto": "https", "Host": "localhost"},
                    )
                    urllib.request.urlopen(request, timeout=60).read()
        boots_before = sum(
            (tmp / f).read_text().count("Booting worker") for f in ("a.log", "b.log")
        )
        counters = netstat()
        load_before = os.getloadavg()
        rows = run_locust(host, "bench/load/bare.py", args.users, args.duration, tmp,
                          dict(os.environ))  # fmt: skip
        after = netstat()
        boots = sum((tmp / f).read_text().count("Booting worker") for f in ("a.log", "b.log"))
    row = next(r for r in rows if r["Name"] == "Aggregated")
    errors = (tmp / "nginx" / "error.log").read_text().splitlines()
    kinds: dict[str, int] = {}
    for line in errors:
        m = re.search(r"\] \d+#\d+: \*?\d* ?([^,(]+)", line)
        key = (m.group(1) if m else line)[:80].strip()
        kinds[key] = kinds.get(key, 0) + 1
    # nginx's own view: request time and the upstream's, per request
    slow = []
    for line in (tmp / "nginx" / "access.log").read_text().splitlines():
        parts = line.split()
        try:
            request_time = float(parts[-2])
        except (IndexError, ValueError):
            continue
        if request_time >= 1:
            slow.append(request_time)
    result = {
        "settings": args.set,
        "warmed": not args.cold,
        "users": args.users,
        "seconds": args.duration,
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "percentiles_ms": {q: row[q] for q in ("50%", "90%", "95%", "98%", "99%", "100%")},
        "worker_boots_during_run": boots - boots_before,
        "nginx_errors": kinds,
        "nginx_requests_over_1s": len(slow),
        "kernel": {k: after[k] - counters[k] for k in after},
        "load": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "logs": str(tmp),
    }
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
