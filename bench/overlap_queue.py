"""The national overlap scan through the task queue with 1 and with 2 ``db_worker``
processes, on a generated country in a throw-away PostgreSQL database.

    .venv/bin/python bench/overlap_queue.py --communes 60 --provinces 6

Prints the time until the last province's result with each number of workers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "check"))
import prod_check as pc  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--communes", type=int, default=60)
    parser.add_argument("--provinces", type=int, default=6)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    name = f"khoi_overlapq_{os.getpid()}"
    url = urllib.parse.urlsplit(args.database_url)._replace(path="/" + name).geturl()
    pc.psql(args.database_url, f"CREATE DATABASE {name}")
    tmp = Path(tempfile.mkdtemp(prefix="khoi-overlapq-"))
    try:
        env = pc.make_env(tmp, url, "")
        env["KHOI_DEBUG"] = "1"
        env["KHOI_TASKS_IMMEDIATE"] = "0"
        pc.manage(env, "migrate", "--noinput", "-v0")
        made = pc.manage(
            env, "generate_scale", "--communes", str(args.communes),
            "--provinces", str(args.provinces), "--seed", "1", "--year", "2026",
        )  # fmt: skip
        print(made.strip().splitlines()[-1])
        for workers in (int(w) for w in args.workers.split(",")):
            print(
                pc.manage(
                    env, "overlap_national", "--start", "2026-01-01", "--end", "2026-12-31"
                ).strip()
            )
            started = time.monotonic()
            procs = [
                subprocess.Popen(
                    [
                        pc.PY,
                        "manage.py",
                        "db_worker",
                        "--batch",
                        "--no-startup-delay",
                        "--worker-id",
                        f"bench-{workers}-{i}",
                    ],
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
            print(f"{workers} worker(s): {elapsed:.1f}s for {args.provinces} provinces")
    finally:
        pc.psql(args.database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
