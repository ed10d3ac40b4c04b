"""`make replica-check`: Khối against a real streaming replica of the local PostgreSQL.

Needs the replica running (``deploy/check/replica.sh start``, port 5433 by default). Makes a
throw-away database on the primary, migrates it and loads the demo there, waits until the
replica has replayed it, then in one process with ``KHOI_REPLICA_URL`` set checks that:

- the ``replica`` connection is a standby and the ``default`` one is the primary;
- a lag-tolerant page (petition statistics, a report list) reads its data from the replica
  and keeps sessions on the primary; an ordinary page reads only the primary;
- after a write in a lag-tolerant block, reads return to the primary and see the write;
- a write on the primary reaches the replica (streaming works) within a few seconds;
- a browser that just saved something reads the primary on its next lag-tolerant page.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
PROBLEMS: list[str] = []


def say(message: str) -> None:
    print(f"[replica-check] {message}", flush=True)


def expect(ok: bool, message: str) -> None:
    if ok:
        say(f"ok: {message}")
    else:
        PROBLEMS.append(message)
        say(f"PROBLEM: {message}")


def psql(url: str, sql: str) -> str:
    result = subprocess.run(["psql", url, "-qAtc", sql], check=True, capture_output=True, text=True)
    return result.stdout.strip()


def with_db(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


def wait_replayed(primary: str, replica: str, seconds: float = 60) -> float:
    lsn = psql(primary, "SELECT pg_current_wal_lsn()")
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        behind = psql(replica, f"SELECT pg_wal_lsn_diff('{lsn}', pg_last_wal_replay_lsn()) > 0")
        if behind == "f":
            return time.monotonic() - start
        time.sleep(0.1)
    raise SystemExit("[replica-check] the replica did not catch up in time")


def checks() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from khoi.ops import replica

    recovery = {
        alias: connections[alias].cursor().execute("SELECT pg_is_in_recovery()").fetchone()[0]
        for alias in ("default", "replica")
    }
    expect(recovery == {"default": False, "replica": True}, f"standby status {recovery}")

    User = get_user_model()
    head = User.objects.get(username="truongkhoi")
    client = Client()
    client.force_login(head)
    for path in ("/petitions/statistics/", "/documents/reports/"):
        with (
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections["replica"]) as on_replica,
        ):
            status = client.get(path).status_code
        primary_tables = " ".join(q["sql"] for q in on_primary.captured_queries)
        expect(
            status == 200 and len(on_replica) > 0,
            f"{path}: {status}, {len(on_replica)} queries on the replica, {len(on_primary)} on "
            "the primary",
        )
        expect(
            "django_session" in primary_tables or len(on_primary) == 0,
            f"{path}: sessions read on the primary",
        )
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        status = client.get("/work/activities/").status_code
    expect(status == 200 and len(on_replica) == 0, "an ordinary page reads only the primary")

    with replica.lag_tolerant():
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            before = User.objects.get(pk=head.pk).first_name
        expect(len(on_replica) == 1, "a lag-tolerant read goes to the replica")
        User.objects.filter(pk=head.pk).update(first_name=before + "·")
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            after = User.objects.get(pk=head.pk).first_name
        expect(
            after == before + "·" and len(on_replica) == 0,
            "after a write the same block reads the primary and sees the write",
        )
    start = time.monotonic()
    seen = ""
    while time.monotonic() - start < 10:
        with replica.lag_tolerant():
            seen = User.objects.get(pk=head.pk).first_name
        if seen == before + "·":
            break
        time.sleep(0.05)
    expect(
        seen == before + "·", f"the write reached the replica in {time.monotonic() - start:.2f}s"
    )
    User.objects.filter(pk=head.pk).update(first_name=before)

    client.cookies[replica.PIN_COOKIE] = "1"
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        client.get("/petitions/statistics/")
    expect(len(on_replica) == 0, "a browser that just saved reads the primary")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--primary", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--replica", default="postgres://postgres@127.0.0.1:5433/postgres")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        checks()
        return 1 if PROBLEMS else 0
    name = f"khoi_replicacheck_{os.getpid()}"
    primary, replica_url = with_db(args.primary, name), with_db(args.replica, name)
    psql(args.primary, f"DROP DATABASE IF EXISTS {name}")
    psql(args.primary, f"CREATE DATABASE {name}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
    env.update(KHOI_DATABASE_URL=primary, KHOI_TASKS_IMMEDIATE="1", KHOI_LOG_LEVEL="WARNING")
    env["KHOI_VAR_DIR"] = f"/tmp/{name}"
    try:
        for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
            subprocess.run([PY, "manage.py", *command], env=env, cwd=ROOT, check=True,
                           capture_output=True)  # fmt: skip
        lag = wait_replayed(primary, replica_url)
        say(f"demo loaded on the primary; replica caught up in {lag:.2f}s")
        env.update(KHOI_REPLICA_URL=replica_url, DJANGO_SETTINGS_MODULE="khoi.settings")
        env["PYTHONPATH"] = str(ROOT)
        code = subprocess.run([PY, __file__, "--in-process"], env=env, cwd=ROOT).returncode
    finally:
        psql(args.primary, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        subprocess.run(["rm", "-rf", f"/tmp/{name}"], check=False)
    say("passed" if code == 0 else "FAILED")
    return code


if __name__ == "__main__":
    sys.exit(main())
