"""The national overlap scan through the task queue with 1 and with 2 ``db_worker``
processes, on a generated country in a throw-away PostgreSQL database (or, with
``--existing NAME``, on a database that already holds one, e.g. the national dataset).

    .venv/bin/python bench/overlap_queue.py --communes 60 --provinces 6

Prints the time until the last province's result with each number of workers, and the
speed-up against the first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "check"))
import prod_check as pc  # noqa: E402


def province_count(url: str) -> int:
    out = subprocess.run(
        ["psql", url, "-qAtc",
         "SELECT count(*) FROM org_adminunit WHERE era = 'current' AND level = 1"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--communes", type=int, default=60)
    parser.add_argument("--provinces", type=int, default=6)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--existing", default="",
        help="a database on that server that already holds a generated country: scanned as "
        "it is, never dropped",
    )  # fmt: skip
    parser.add_argument("--field-keys-file", default="", help="KHOI_FIELD_KEYS of --existing")
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    args = parser.parse_args()
    name = args.existing or f"khoi_overlapq_{os.getpid()}"
    url = urllib.parse.urlsplit(args.database_url)._replace(path="/" + name).geturl()
    if not args.existing:
        pc.psql(args.database_url, f"CREATE DATABASE {name}")
    tmp = Path(tempfile.mkdtemp(prefix="khoi-overlapq-"))
    results: dict[str, Any] = {"runs": []}
    try:
        env = pc.make_env(tmp, url, "")
        if args.field_keys_file:
            env["KHOI_FIELD_KEYS"] = Path(args.field_keys_file).read_text().strip()
            auditkey = Path(f"{args.field_keys_file}.audit")  # KHOI_AUDIT_KEY, when kept
            if auditkey.exists():
                env["KHOI_AUDIT_KEY"] = auditkey.read_text().strip()
        env["KHOI_DEBUG"] = "1"
        env["KHOI_TASKS_IMMEDIATE"] = "0"
        if not args.existing:
            pc.manage(env, "migrate", "--noinput", "-v0")
            made = pc.manage(
                env, "generate_scale", "--communes", str(args.communes),
                "--provinces", str(args.provinces), "--seed", "1", "--year", str(args.year),
            )  # fmt: skip
            print(made.strip().splitlines()[-1])
        provinces = province_count(url)
        results["provinces"] = provinces
        for workers in (int(w) for w in args.workers.split(",")):
            load_before = os.getloadavg()
            print(
                pc.manage(
                    env, "overlap_national",
                    "--start", f"{args.year}-01-01", "--end", f"{args.year}-12-31",
                ).strip()
            )  # fmt: skip
            started = time.monotonic()
            worker = [pc.PY, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
            procs = [
                subprocess.Popen(
                    [*worker, "--worker-id", f"bench-{workers}-{i}"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for i in range(workers)
            ]
            for proc in procs:
                proc.wait()
            elapsed = time.monotonic() - started
            done = subprocess.run(
                ["psql", url, "-qAtc", "SELECT count(*) FROM ops_scanresult WHERE run_id = "
                 "(SELECT max(id) FROM ops_scanrun)"],
                capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            if int(done) != provinces:
                print(f"only {done} of {provinces} provinces have a result", file=sys.stderr)
            first = results["runs"][0]["seconds"] if results["runs"] else elapsed
            speedup = first / elapsed if elapsed else 0.0
            results["runs"].append({
                "workers": workers, "seconds": round(elapsed, 1), "speedup": round(speedup, 2),
                "load_before": load_before, "load_after": os.getloadavg(),
                "exit_codes": [p.returncode for p in procs], "results": int(done),
            })  # fmt: skip
            print(
                f"{workers} worker(s): {elapsed:.1f}s for {provinces} provinces "
                f"(speed-up {speedup:.2f}x; load {load_before[0]:.1f} -> {os.getloadavg()[0]:.1f})"
            )
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not args.existing:
            pc.psql(args.database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
