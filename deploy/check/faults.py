"""Database faults under load, on the real stack (nginx, two gunicorn processes, PostgreSQL).

The database is a PostgreSQL cluster of the check's own, started on a free port with
``deploy/check/pgcluster.sh`` (never the shared cluster: it is stopped, restarted and frozen
here). The stack's statement timeout is 2 s and its connect timeout 2 s (production: 30 s
and 5 s, ``KHOI_STATEMENT_TIMEOUT_MS`` / ``KHOI_DB_CONNECT_TIMEOUT``) so that the check is short.

1. **restart**: four clients request pages in a loop while the server is stopped
   (``pg_ctl stop -m fast``) and started again a few seconds later. While it is down every
   answer is the Vietnamese 503 page with ``Retry-After``, quickly (no 500, 502 or 504, no
   request hanging); the first page answers within ``RECOVERY_S`` of the restart, without
   anybody restarting the app; after that every answer is 200 and the person is still
   signed in (no storm of errors after the restart).
2. **slow database**: another connection holds a lock on the sessions table, so every page
   waits in the database; more requests arrive than the app servers have threads. Each ends
   by the statement timeout with the 503 page, none waits for nginx or gunicorn to give up
   (no 502/504), and when the lock goes, pages answer at once (nothing piled up behind).
3. **frozen server**: the server stops answering new connections (its postmaster is stopped
   with SIGSTOP after the app's connections are ended). New connections fail after the
   connect timeout: 503 within a few seconds, never a request held for TCP's minutes; pages
   answer again once it resumes.

Run by ``make prod-check`` on a copy of its database (``--source-url``), or alone
(``make fault-check``: a fresh database with the demo in the throw-away cluster).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prod_check as pc

ROOT = pc.ROOT
CLUSTER = str(ROOT / "deploy" / "check" / "pgcluster.sh")
STATEMENT_TIMEOUT_MS = 2000
CONNECT_TIMEOUT_S = 2
RECOVERY_S = 10  # the first page after the database is back, at the latest
DOWN_S = 4  # how long the database stays down
# added to the time bounds for a busy machine (FAULT_CHECK_SLACK seconds)
SLACK_S = float(os.environ.get("FAULT_CHECK_SLACK", "6"))
# the 503 page's Vietnamese text (khoi/ops/middleware.py FaultMiddleware, locale/vi)
BUSY = "Máy chủ đang bận"
PAGES = ("/", "/work/activities/", "/work/tasks/mine/")
PROBLEMS: list[str] = []


def say(message: str) -> None:
    print(f"[fault-check] {message}", flush=True)


def problem(message: str) -> None:
    PROBLEMS.append(message)
    print(f"[fault-check] PROBLEM: {message}", flush=True)


@dataclass
class Answer:
    at: float  # seconds since the phase started, when the request was sent
    took: float
    status: int
    clean: bool  # a 503 with Retry-After and the Vietnamese page; other statuses: True
    signed_in: bool
    path: str


def ask(browser: pc.Browser, path: str, t0: float) -> Answer:
    sent = time.monotonic()
    try:
        status, headers, body, url = browser.get(path)
    except OSError:  # connection refused or reset by nginx: never expected
        status, headers, body, url = 0, {}, b"", path
    took = time.monotonic() - sent
    text = body.decode("utf-8", "replace")
    clean = status != 503 or (BUSY in text and headers.get("Retry-After") == "5")
    return Answer(sent - t0, took, status, clean, "/accounts/login/" not in url, path)


def loop(
    browser: pc.Browser, stop: threading.Event, t0: float, i: int, seen: list[Answer]
) -> list[Answer]:
    answers = []
    n = i
    while not stop.is_set():
        answers.append(ask(browser, PAGES[n % len(PAGES)], t0))
        seen.append(answers[-1])  # list.append is atomic: the main thread watches
        n += 1
        time.sleep(0.05)
    return answers


def pg_ctl(pgbin: str, datadir: str, *args: str) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", f"{pgbin}/pg_ctl", "-D", datadir, *args]
        if os.geteuid() == 0
        else [f"{pgbin}/pg_ctl", "-D", datadir, *args],
        check=True,
        capture_output=True,
    )


def describe(answers: list[Answer]) -> str:
    return str(dict(Counter(a.status for a in answers)))


def check_restart(browser: pc.Browser, pgbin: str, datadir: str) -> None:
    stop = threading.Event()
    t0 = time.monotonic()
    seen: list[Answer] = []
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(loop, browser, stop, t0, i, seen) for i in range(4)]
        time.sleep(3)
        down = time.monotonic() - t0
        pg_ctl(pgbin, datadir, "-m", "fast", "-w", "stop")
        time.sleep(DOWN_S)
        up_started = time.monotonic() - t0
        pg_ctl(pgbin, datadir, "-l", f"{datadir}/server.log", "-w", "-t", "30", "start")
        up = time.monotonic() - t0
        # until 6 s after the first page once it is back (or the recovery bound has passed)
        deadline = time.monotonic() + RECOVERY_S + 6
        while time.monotonic() < deadline:
            time.sleep(0.5)
            back = [a.at + a.took for a in list(seen) if a.at >= up and a.status == 200]
            if back:
                deadline = min(deadline, t0 + min(back) + 6)
        stop.set()
        answers = sorted((a for f in futures for a in f.result()), key=lambda a: a.at)
    before = [a for a in answers if a.at + a.took < down]
    outage = [a for a in answers if a.at + a.took >= down and a.at < up]
    after = [a for a in answers if a.at >= up]
    say(
        f"restart: down at {down:.1f}s, start asked at {up_started:.1f}s, up at {up:.1f}s; "
        f"before {describe(before)}, while down {describe(outage)}, after {describe(after)}"
    )
    if not before or any(a.status != 200 for a in before):
        problem(f"restart: pages failed before the database went down: {describe(before)}")
    if not any(a.status == 503 for a in outage):
        problem("restart: no 503 while the database was down (did it go down?)")
    bad = [a for a in outage if a.status not in (200, 503) or not a.clean]
    if bad:
        problem(
            "restart: while the database was down, answers other than the 503 page: "
            + ", ".join(f"{a.status} {a.path} at {a.at:.1f}s" for a in bad[:8])
        )
    slow = [a for a in outage if a.took > CONNECT_TIMEOUT_S + SLACK_S]
    if slow:
        problem(f"restart: {len(slow)} requests waited more than {CONNECT_TIMEOUT_S + SLACK_S}s")
    first_ok = next((a for a in after if a.status == 200), None)
    if first_ok is None or first_ok.at + first_ok.took - up > RECOVERY_S:
        problem(f"restart: no page within {RECOVERY_S}s of the database being back")
        return
    recovered = first_ok.at + first_ok.took
    settled = [a for a in after if a.at > recovered]
    failures = [a for a in settled if a.status != 200 or not a.signed_in]
    say(
        f"restart: first page {recovered - up:.1f}s after the database was back; then "
        f"{describe(settled)} in {len(settled)} requests"
    )
    if failures:
        problem(
            "restart: errors after the recovery: "
            + ", ".join(
                f"{a.status}{'' if a.signed_in else ' (signed out)'} {a.path}" for a in failures[:8]
            )
        )


def check_slow_database(browser: pc.Browser, database_url: str, threads: int) -> None:
    import psycopg

    requests = threads * 2  # more than the app servers' threads: some have to wait
    holder = psycopg.connect(database_url, autocommit=False)
    # the lock ends after 30 s whatever happens (without the timeouts, pages would wait for it)
    holder.execute("SET idle_in_transaction_session_timeout = '30s'")
    try:
        holder.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
        t0 = time.monotonic()
        with ThreadPoolExecutor(requests) as pool:
            answers = list(pool.map(lambda i: ask(browser, PAGES[i % 3], t0), range(requests)))
        held = time.monotonic() - t0
    finally:
        holder.rollback()
        holder.close()
    statuses = describe(answers)
    longest = max(a.took for a in answers)
    # a request meets the lock twice (the signed-in user, then the session's idle-timeout
    # touch), so it holds a thread for two statement timeouts; the requests beyond the app
    # servers' threads wait for one such round before theirs; the slack is for a loaded
    # machine. Without the timeouts they would wait for the lock (30 s) or for nginx (90 s).
    bound = 2 * 2 * STATEMENT_TIMEOUT_MS / 1000 + SLACK_S
    say(f"slow database: {requests} requests under a lock held {held:.1f}s: {statuses}, "
        f"longest {longest:.1f}s (bound {bound:.0f}s)")  # fmt: skip
    bad = [a for a in answers if a.status != 503 or not a.clean]
    if bad:
        problem(f"slow database: answers other than the 503 page: {statuses}")
    if longest > bound:
        problem(f"slow database: a request waited {longest:.1f}s (> {bound:.0f}s): piling up")
    t1 = time.monotonic()
    after = [ask(browser, PAGES[i % 3], t1) for i in range(4)]
    if any(a.status != 200 or a.took > 5 for a in after):
        problem(f"slow database: after the lock, {[(a.status, round(a.took, 1)) for a in after]}")
    else:
        say(f"slow database: lock gone, pages answer again ({max(a.took for a in after):.2f}s)")


def check_frozen_server(browser: pc.Browser, admin_url: str, name: str, datadir: str) -> None:
    import psycopg

    pid = int(Path(datadir, "postmaster.pid").read_text().split()[0])
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
    os.kill(pid, signal.SIGSTOP)
    t0 = time.monotonic()
    try:
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda i: ask(browser, PAGES[i % 3], t0), range(6)))
    finally:
        os.kill(pid, signal.SIGCONT)
    resumed = time.monotonic()
    longest = max(a.took for a in answers)
    bound = 2 * CONNECT_TIMEOUT_S + SLACK_S
    say(f"frozen server: {describe(answers)}, longest {longest:.1f}s (bound {bound}s)")
    if any(a.status != 503 or not a.clean for a in answers):
        problem(f"frozen server: answers other than the 503 page: {describe(answers)}")
    if longest > bound:
        problem(f"frozen server: a request waited {longest:.1f}s (> {bound}s)")
    while time.monotonic() - resumed < RECOVERY_S:
        answer = ask(browser, "/", resumed)
        if answer.status == 200:
            say(f"frozen server: pages again {answer.at + answer.took:.1f}s after it resumed")
            return
        time.sleep(0.3)
    problem(f"frozen server: no page within {RECOVERY_S}s after it resumed")


def free_from(start: int) -> int:
    return next(p for p in range(start, start + 100) if pc.free(p))


def run(
    source_url: str,
    login: str,
    password: str,
    tmp: Path,
    app_ports: list[int],
    nginx_port: int,
    pg_port: int,
    static_root: str = "",
) -> list[str]:
    """The three checks against a copy of ``source_url`` (a migrated database with the demo)
    or, when it is empty, a fresh database with the demo. ``static_root``: static files
    already collected (prod-check's), else they are collected here. Returns the problems."""
    started = time.monotonic()
    pgbin = subprocess.run([CLUSTER, "pgbin"], capture_output=True, text=True).stdout.strip()
    datadir = str(tmp / "pgcluster")
    subprocess.run([CLUSTER, "start", str(pg_port), datadir], check=True, capture_output=True)
    try:
        name = "khoi_faults"
        admin = f"postgres://postgres@127.0.0.1:{pg_port}/postgres"
        url = f"postgres://postgres@127.0.0.1:{pg_port}/{name}"
        pc.psql(admin, f"CREATE DATABASE {name}")
        env = pc.make_env(tmp, url, "")
        if source_url:
            dump = tmp / "source.dump"
            subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source_url], check=True)
            subprocess.run(["pg_restore", "--no-owner", "-d", url, str(dump)], check=True)
            # the source may have kept its cache in Redis: this stack's is in the database
            pc.manage(env, "createcachetable")
        else:
            for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
                pc.manage(env, *command)
            demo = pc.manage(env, "load_demo")
            found = re.search(r"mật khẩu chung: ([^)]+)\)", demo)
            logins = re.findall(r"^  (\S+)\s+\S", demo, re.M)
            if not found or not logins:
                raise SystemExit("[fault-check] could not read the demo's logins")
            login, password = logins[0], found.group(1)
        if static_root:
            env["KHOI_STATIC_ROOT"] = static_root
        else:
            pc.manage(env, "collectstatic", "--noinput", "-v0")
        say(f"database copied into a throw-away cluster on :{pg_port} "
            f"({time.monotonic() - started:.0f}s)")  # fmt: skip
        threads = 4
        web_env = {
            **env,
            "KHOI_WEB_WORKERS": "1",
            "KHOI_WEB_THREADS": str(threads),
            "KHOI_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS),
            "KHOI_DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT_S),
        }
        conf = pc.nginx_conf(tmp, env, nginx_port, app_ports)
        gunicorn = [pc.GUNICORN, "-c", "deploy/gunicorn.conf.py", "-b"]
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        logs = [tmp / f"gunicorn-{p}.log" for p in app_ports]
        with (
            pc.process([*gunicorn, f"127.0.0.1:{app_ports[0]}"], web_env, logs[0]),
            pc.process([*gunicorn, f"127.0.0.1:{app_ports[1]}"], web_env, logs[1]),
            pc.process([nginx, "-c", str(conf), "-g", "daemon off;"], env, tmp / "nginx.log"),
        ):  # fmt: skip
            for port in [*app_ports, nginx_port]:
                pc.wait_port(port)
            browser = pc.Browser(f"https://127.0.0.1:{nginx_port}")
            if not browser.sign_in(login, password):
                problem("could not sign in")
                return PROBLEMS
            check_restart(browser, pgbin, datadir)
            check_slow_database(browser, url, threads * len(app_ports))
            check_frozen_server(browser, admin, name, datadir)
        log = "".join(p.read_text(errors="replace") for p in logs)
        crashes = [ln for ln in log.splitlines() if '" 500 ' in ln or "WORKER TIMEOUT" in ln]
        if crashes:
            problem(f"the app servers logged {len(crashes)} 500s or worker timeouts: {crashes[:3]}")
    finally:
        subprocess.run([CLUSTER, "stop", str(pg_port), datadir], capture_output=True)
    say(f"{len(PROBLEMS)} problems in {time.monotonic() - started:.0f}s")
    return PROBLEMS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source-url", default="",
        help="a migrated database holding the demo, copied into the throw-away cluster "
        "(default: a fresh database there, migrated, with the demo)",
    )  # fmt: skip
    parser.add_argument("--login", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--ports", default="8126,8127")
    parser.add_argument("--nginx-port", type=int, default=8181)
    parser.add_argument("--pg-port", type=int, default=0, help="default: a free one from 5460")
    parser.add_argument("--static-root", default="", help="static files already collected")
    parser.add_argument("--keep", action="store_true", help="keep the logs directory")
    args = parser.parse_args()
    if args.source_url and not (args.login and args.password):
        parser.error("--source-url needs --login and --password")
    app_ports = [int(p) for p in args.ports.split(",")]
    for port in [*app_ports, args.nginx_port]:
        if not pc.free(port):
            raise SystemExit(f"[fault-check] port {port} is busy")
    tmp = Path(tempfile.mkdtemp(prefix="khoi-faults-"))
    tmp.chmod(0o755)
    problems = run(
        args.source_url, args.login, args.password, tmp, app_ports, args.nginx_port,
        args.pg_port or free_from(5460), args.static_root,
    )  # fmt: skip
    if problems or args.keep:
        say(f"logs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
