"""`make prod-check`: Khối's production stack on loopback, checked end to end.

1. a throw-away directory with a fresh secret key, field-encryption key and TLS certificate;
2. ``check --deploy`` with ``KHOI_DEBUG=0`` must report nothing;
3. a throw-away database (SQLite, or PostgreSQL when ``--database-url`` names a server: the
   database is created and dropped), migrated, with the demo loaded;
4. two gunicorn processes on two ports (the shared cache in Redis when ``redis-server`` is
   installed, in the database otherwise) behind Debian's nginx (TLS, round-robin);
5. through nginx: static files served by nginx, media never served directly, every persona
   of the demo signs in and walks its main pages (no 5xx, no link to a 404, a
   Content-Security-Policy on every page); both app servers served the walk;
6. statelessness: a person signs in on one app server and carries on on the other; the
   sign-in rate limit counts across both servers;
6b. the task queue: a worker process (``manage.py worker``, what khoi-worker.service runs)
   beside the two app servers; a password reset asked for through nginx enqueues the e-mail,
   and that worker (by its id) sends it; the worker then stops cleanly on SIGTERM;
7. with PostgreSQL, the database faults under load (deploy/check/faults.py) on a copy of the
   database in a throw-away cluster of the check's own: the server restarted, a slow database
   (statement timeout), a frozen one (connect timeout).

Exit status 0 when everything holds. Standard library only, run with the project's venv.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from string import Template
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SKIP = re.compile(
    r"logout|/static/|/media/|/admin/|/api/v1/docs|/i18n/|mailto:|tel:|"
    r"\.(docx|xlsx|pdf|ics|csv|zip)(\?|$)|/download|/export",
    re.I,
)
PROBLEMS: list[str] = []
WARNINGS: list[str] = []


def say(message: str) -> None:
    print(f"[prod-check] {message}", flush=True)


def problem(message: str) -> None:
    PROBLEMS.append(message)
    print(f"[prod-check] PROBLEM: {message}", flush=True)


def free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def wait_port(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not free(port):
            return
        time.sleep(0.2)
    raise SystemExit(f"[prod-check] nothing answers on port {port} after {seconds}s")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.csrf = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "input" and a.get("name") == "csrfmiddlewaretoken":
            self.csrf = a.get("value") or ""


class Browser:
    """A cookie-keeping HTTP client that follows redirects (TLS checks off: loopback)."""

    def __init__(self, base: str, extra_headers: dict[str, str] | None = None) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=context),
        )
        self.extra = extra_headers or {}

    def get(self, url: str) -> tuple[int, dict[str, str], bytes, str]:
        return self._open(urllib.request.Request(self._abs(url), headers=self.extra))

    def post(self, url: str, data: dict[str, str]) -> tuple[int, dict[str, str], bytes, str]:
        body = urllib.parse.urlencode(data).encode()
        headers = {"Referer": self._abs(url), **self.extra}
        return self._open(urllib.request.Request(self._abs(url), data=body, headers=headers))

    def _abs(self, url: str) -> str:
        return url if url.startswith("http") else self.base + url

    def _open(self, req: urllib.request.Request) -> tuple[int, dict[str, str], bytes, str]:
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, dict(resp.headers), resp.read(), resp.geturl()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read(), req.full_url

    def sign_in(self, login: str, password: str) -> bool:
        status, _, body, _ = self.get("/accounts/login/")
        page = Page()
        page.feed(body.decode("utf-8", "replace"))
        status, _, _, url = self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": page.csrf, "username": login, "password": password},
        )
        return status == 200 and "/accounts/login/" not in url

    def session_cookie(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "sessionid"), None)


def walk(base: str, login: str, password: str, max_pages: int) -> int:
    browser = Browser(base)
    if not browser.sign_in(login, password):
        problem(f"{login}: could not sign in through nginx")
        return 0
    seen: set[str] = set()
    queue: list[tuple[str, str | None]] = [(base + "/", None)]
    pages = 0
    while queue and pages < max_pages:
        url, parent = queue.pop(0)
        url = urllib.parse.urldefrag(url)[0]
        if url in seen or not url.startswith(base) or SKIP.search(url):
            continue
        seen.add(url)
        status, headers, body, _ = browser.get(url)
        pages += 1
        short = url[len(base) :]
        if status >= 500:
            problem(f"{login}: {status} on {short}")
            continue
        if status == 404 and parent is not None:
            # a link shown to someone who may not follow it: a product fault, not a fault of
            # the production stack; reported, and fatal with --strict
            WARNINGS.append(f"{login}: a link on {parent[len(base) :]} leads to 404: {short}")
            continue
        if "html" not in headers.get("Content-Type", ""):
            continue
        if "script-src 'self'" not in headers.get("Content-Security-Policy", ""):
            problem(f"{login}: no Content-Security-Policy on {short}")
        page = Page()
        page.feed(body.decode("utf-8", "replace"))
        queue.extend((urllib.parse.urljoin(url, h), url) for h in page.links)
    return pages


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n")
        raise SystemExit(f"[prod-check] manage.py {' '.join(args)} failed")
    return result.stdout + result.stderr


def psql(url: str, sql: str) -> None:
    parts = urllib.parse.urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-qAtc", sql], check=True, capture_output=True)


def make_env(tmp: Path, database_url: str, redis_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
    env.update(
        KHOI_DEBUG="0",
        KHOI_SECRET_KEY=secrets.token_urlsafe(50),
        KHOI_FIELD_KEYS=Fernet.generate_key().decode(),
        KHOI_AUDIT_KEY=secrets.token_urlsafe(50),
        KHOI_ALLOWED_HOSTS="127.0.0.1,localhost",
        KHOI_VAR_DIR=str(tmp / "var"),
        KHOI_STATIC_ROOT=str(tmp / "static"),
        KHOI_MEDIA_ROOT=str(tmp / "media"),
        KHOI_DATABASE_URL=database_url,
        KHOI_FORWARDED_ALLOW_IPS="127.0.0.1",  # nginx, on loopback
        KHOI_LOG_LEVEL="WARNING",
        # The walk signs in with passwords only; two-factor for heads and administrators is
        # covered by the test suite (khoi/accounts, khoi/ops/tests/test_admin_2fa.py).
        KHOI_REQUIRE_2FA="0",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["KHOI_REDIS_URL"] = redis_url
    return env


def nginx_conf(tmp: Path, env: dict[str, str], listen: int, app_ports: list[int]) -> Path:
    ndir = tmp / "nginx"
    ndir.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-keyout", str(ndir / "key.pem"),
         "-out", str(ndir / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = Template((ROOT / "deploy" / "nginx" / "khoi.conf.template").read_text()).safe_substitute(
        KHOI_LISTEN=f"127.0.0.1:{listen}",
        KHOI_SERVER_NAME="localhost 127.0.0.1",
        KHOI_UPSTREAMS=" ".join(f"server 127.0.0.1:{p};" for p in app_ports),
        KHOI_STATIC_ROOT=env["KHOI_STATIC_ROOT"],
        KHOI_MEDIA_ROOT=env["KHOI_MEDIA_ROOT"],
        KHOI_TLS_CERT=str(ndir / "cert.pem"),
        KHOI_TLS_KEY=str(ndir / "key.pem"),
    )
    site = site.replace("/var/log/nginx/khoi.access.log", str(ndir / "access.log"))
    (ndir / "khoi.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = ndir / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
pid {ndir}/nginx.pid;
error_log {ndir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {ndir}/body;
    proxy_temp_path {ndir}/proxy;
    fastcgi_temp_path {ndir}/fastcgi;
    uwsgi_temp_path {ndir}/uwsgi;
    scgi_temp_path {ndir}/scgi;
    include {ndir}/khoi.conf;
}}
"""
    )
    return conf


def check_stateless(base: str, app_ports: list[int], password: str, login: str) -> None:
    """Sign in directly on app server A, continue directly on app server B."""
    a_base, b_base = (f"http://127.0.0.1:{p}" for p in app_ports[:2])
    forwarded = {"X-Forwarded-Proto": "https", "Host": "localhost"}
    a = Browser(a_base, forwarded)
    # the cookies are Secure, so this plain-http hop to the app server sends them by hand
    status, _, body, _ = a.get("/accounts/login/")
    page = Page()
    page.feed(body.decode("utf-8", "replace"))
    csrf = next((c.value for c in a.jar if c.name == "csrftoken"), "")
    req = urllib.request.Request(
        a_base + "/accounts/login/",
        data=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": page.csrf, "username": login, "password": password}
        ).encode(),
        headers={**forwarded, "Referer": "https://localhost/accounts/login/",
                 "Cookie": f"csrftoken={csrf}"},
    )  # fmt: skip
    opener = urllib.request.build_opener(NoRedirect())
    try:
        resp = opener.open(req, timeout=30)
        headers = resp.headers
    except urllib.error.HTTPError as e:
        headers = e.headers
    cookies = headers.get_all("Set-Cookie") or []
    session = next((c.split(";")[0] for c in cookies if c.startswith("sessionid=")), None)
    if session is None:
        problem(f"stateless: no session after signing in on port {app_ports[0]}")
        return
    req = urllib.request.Request(b_base + "/", headers={**forwarded, "Cookie": session})
    try:
        resp = opener.open(req, timeout=30)
        status, text = resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, text = e.code, ""
    if status != 200 or "/accounts/logout/" not in text:
        problem(f"stateless: signed in on {app_ports[0]}, not recognised on {app_ports[1]}")
    else:
        say(f"stateless: signed in on :{app_ports[0]}, continued on :{app_ports[1]}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def check_database_restart(base: str, admin_url: str, name: str, login: str, password: str) -> None:
    """The database drops every connection (as in a restart) while requests run: the app
    reconnects by itself (CONN_HEALTH_CHECKS); meanwhile at most a 503, never a crash."""
    from concurrent.futures import ThreadPoolExecutor

    browser = Browser(base)
    if not browser.sign_in(login, password):
        problem("database restart: could not sign in")
        return

    def one(i: int) -> int:
        if i == 12:
            psql(admin_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                 f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")  # fmt: skip
        return browser.get("/" if i % 2 else "/work/activities/")[0]

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(one, range(48)))
    tail = statuses[-16:]
    counts = Counter(statuses)
    if any(code >= 500 and code != 503 for code in statuses) or any(c != 200 for c in tail):
        problem(f"database restart under load: answers {dict(counts)}, last {tail}")
    else:
        say(f"database connections dropped under load: answers {dict(counts)}, recovered")


def check_shared_rate_limit(base: str, limit: int) -> None:
    """With counters per process, two servers would let 2 × limit sign-ins through."""
    if time.time() % 60 > 45:  # the windows are wall-clock minutes: start in a fresh one
        time.sleep(61 - time.time() % 60)
    browser = Browser(base)
    attempt = 0
    for attempt in range(1, limit * 2 + 2):  # noqa: B007 - reported after the loop
        status, _, body, _ = browser.get("/accounts/login/")
        page = Page()
        page.feed(body.decode("utf-8", "replace"))
        if status == 429:
            break
        status, *_ = browser.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": page.csrf, "username": "nobody", "password": "wrong"},
        )
        if status == 429:
            break
    if status != 429 or attempt > limit + 1:
        problem(f"rate limit: first 429 after {attempt} sign-ins (limit {limit}, shared)")
    else:
        say(f"rate limit shared by both servers: 429 at sign-in attempt {attempt} (limit {limit})")


WORKER_ID = "prodcheck-worker"
# Waits, in one process, for the password-reset e-mail's delivery task; prints what it found.
WAIT_FOR_MAIL = """
import json, time
from django_tasks_db.models import DBTaskResult
from khoi.ops.models import OutgoingMail
end = time.monotonic() + 60
while True:
    mail = OutgoingMail.objects.filter(key__startswith="password-reset:", to=%(to)r).first()
    tasks = DBTaskResult.objects.filter(task_path="khoi.ops.tasks.deliver_outgoing_mail")
    task = tasks.order_by("enqueued_at").last()
    if (mail and mail.sent_at and task and task.finished_at) or time.monotonic() > end:
        break
    time.sleep(0.3)
print(json.dumps({
    "queued": bool(mail), "sent": bool(mail and mail.sent_at),
    "key": mail.key if mail else "",
    "status": task.status if task else None, "workers": task.worker_ids if task else [],
    "waited": round(task.finished_at.timestamp() - task.enqueued_at.timestamp(), 2)
    if task and task.finished_at else None,
}))
"""
EMAIL_OF = """
from django.contrib.auth import get_user_model
print(get_user_model().objects.get(username=%(login)r).email)
"""


def check_worker(
    base: str, env: dict[str, str], tmp: Path, worker: subprocess.Popen[bytes], logins: list[str]
) -> None:
    """A password reset asked for through nginx: the app server only queues the e-mail (the
    outbox row and its delivery task), the worker process sends it; then the worker stops
    cleanly on SIGTERM (as ``systemctl stop khoi-worker`` does)."""
    import json

    started = time.monotonic()
    address = ""
    for login in logins:
        address = manage(env, "shell", "-v0", "-c", EMAIL_OF % {"login": login}).strip()
        if address:
            break
    if not address:
        problem("worker: no persona of the demo has an e-mail address")
        return
    browser = Browser(base)
    status, _, body, _ = browser.get("/accounts/password/reset/")
    page = Page()
    page.feed(body.decode("utf-8", "replace"))
    status, _, _, url = browser.post(
        "/accounts/password/reset/", {"csrfmiddlewaretoken": page.csrf, "email": address}
    )
    if status != 200 or "/accounts/password/reset/sent/" not in url:
        problem(f"worker: the password reset through nginx answered {status} at {url}")
        return
    found = json.loads(manage(env, "shell", "-v0", "-c", WAIT_FOR_MAIL % {"to": address}))
    if not (found["sent"] and found["status"] == "SUCCESSFUL" and found["workers"] == [WORKER_ID]):
        problem(f"worker: the reset e-mail was not sent by the worker process: {found}")
    elif found["key"] not in (tmp / "worker.log").read_text(errors="replace"):
        problem("worker: the e-mail is not in the worker's output (console e-mail backend)")
    else:
        say(
            f"worker: password reset through nginx, e-mail sent by {WORKER_ID} "
            f"{found['waited']}s after it was queued"
        )
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        code = worker.wait(30)
    except subprocess.TimeoutExpired:
        problem("worker: still running 30s after SIGTERM")
        return
    log = (tmp / "worker.log").read_text(errors="replace")
    if code != 0 or "Traceback" in log:
        problem(f"worker: exit status {code} after SIGTERM (see {tmp / 'worker.log'})")
    else:
        say(f"worker stopped cleanly on SIGTERM ({time.monotonic() - started:.1f}s in all)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("PRODCHECK_DATABASE_URL", ""))
    parser.add_argument("--ports", default=os.environ.get("PRODCHECK_PORTS", "8106,8107"))
    parser.add_argument(
        "--nginx-port", type=int, default=int(os.environ.get("PRODCHECK_NGINX_PORT", "8180"))
    )
    parser.add_argument(
        "--redis-port", type=int, default=int(os.environ.get("PRODCHECK_REDIS_PORT", "8109"))
    )
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--pages", type=int, default=30, help="pages walked per persona")
    parser.add_argument("--strict", action="store_true", help="links to a 404 fail the check")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away directory")
    parser.add_argument(
        "--no-faults", action="store_true", help="skip the database faults (deploy/check/faults.py)"
    )
    parser.add_argument(
        "--fault-ports",
        default=os.environ.get("PRODCHECK_FAULT_PORTS", "8126,8127,8181"),
        help="two app servers and nginx for the fault checks",
    )
    args = parser.parse_args()
    started = time.monotonic()
    app_ports = [int(p) for p in args.ports.split(",")]
    for port in [*app_ports, args.nginx_port]:
        if not free(port):
            raise SystemExit(f"[prod-check] port {port} is busy")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("[prod-check] nginx is not installed (apt-get install nginx-light)")

    tmp = Path(tempfile.mkdtemp(prefix="khoi-prodcheck-"))
    tmp.chmod(0o755)
    pg_url = args.database_url
    database_url = f"sqlite:///{tmp / 'khoi.sqlite3'}"
    if pg_url:
        name = f"khoi_prodcheck_{os.getpid()}"
        database_url = urllib.parse.urlsplit(pg_url)._replace(path="/" + name).geturl()
        psql(pg_url, f"DROP DATABASE IF EXISTS {name}")
        psql(pg_url, f"CREATE DATABASE {name}")
    redis_url = ""
    use_redis = not args.no_redis and shutil.which("redis-server")
    try:
        with contextlib_redis(use_redis, args.redis_port, tmp) as redis_url:
            env = make_env(tmp, database_url, redis_url)
            cache = "Redis" if redis_url else "database"
            say(f"database {database_url.split('@')[-1]}, cache {cache}")
            report = manage(env, "check", "--deploy", "--fail-level", "WARNING")
            if "no issues" not in report:
                problem(f"check --deploy: {report.strip()}")
            else:
                say("check --deploy: no issues")
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "createcachetable")
            manage(env, "collectstatic", "--noinput", "-v0")
            demo = manage(env, "load_demo")
            password = re.search(r"mật khẩu chung: ([^)]+)\)", demo)
            logins = re.findall(r"^  (\S+)\s+\S", demo, re.M)
            if not password or not logins:
                raise SystemExit("[prod-check] could not read the demo's logins")
            say(f"demo loaded: {len(logins)} personas")
            conf = nginx_conf(tmp, env, args.nginx_port, app_ports)
            web_env = {**env, "KHOI_WEB_WORKERS": "1", "KHOI_WEB_THREADS": "4"}
            gunicorn = [GUNICORN, "-c", "deploy/gunicorn.conf.py", "-b"]
            with (
                process([*gunicorn, f"127.0.0.1:{app_ports[0]}"], web_env, tmp / "gunicorn-a.log"),
                process([*gunicorn, f"127.0.0.1:{app_ports[1]}"], web_env, tmp / "gunicorn-b.log"),
                process([nginx, "-c", str(conf), "-g", "daemon off;"], env, tmp / "nginx.log"),
                process([PY, "manage.py", "worker", "--worker-id", WORKER_ID, "--interval", "0.5"],
                        env, tmp / "worker.log") as worker,
            ):  # fmt: skip
                for port in [*app_ports, args.nginx_port]:
                    wait_port(port)
                base = f"https://127.0.0.1:{args.nginx_port}"
                run_checks(base, tmp, app_ports, password.group(1), logins, args.pages)
                check_worker(base, env, tmp, worker, logins)
                # tracebacks logged while the database connections are being dropped are the
                # fault handling at work; the count below covers everything before that
                logged = {n: (tmp / n).stat().st_size for n in ("gunicorn-a.log", "gunicorn-b.log")}
                if pg_url:
                    check_database_restart(
                        base, pg_url, f"khoi_prodcheck_{os.getpid()}", logins[0], password.group(1)
                    )
                log = (tmp / "nginx" / "access.log").read_text()
                served = Counter(re.findall(r"upstream=127\.0\.0\.1:(\d+)", log))
                say(f"requests per app server through nginx: {dict(served)}")
                if len([p for p in app_ports if served[str(p)] > 0]) < 2:
                    problem("nginx did not balance over both app servers")
                check_shared_rate_limit(base, 20)
            for name in ("gunicorn-a.log", "gunicorn-b.log"):
                text = (tmp / name).read_bytes()[: logged[name]].decode("utf-8", "replace")
                errors = [ln for ln in text.splitlines() if "Traceback" in ln]
                if errors:
                    problem(f"{name}: {len(errors)} tracebacks (see {tmp / name})")
            if pg_url and not args.no_faults:
                run_fault_checks(database_url, logins[0], password.group(1), tmp, args.fault_ports)
    finally:
        if pg_url:
            psql(pg_url, f"DROP DATABASE IF EXISTS khoi_prodcheck_{os.getpid()} WITH (FORCE)")
        if not args.keep and not PROBLEMS:
            shutil.rmtree(tmp, ignore_errors=True)
        elif PROBLEMS:
            say(f"logs kept in {tmp}")
    for warning in WARNINGS:
        say(f"warning: {warning}")
    if args.strict:
        PROBLEMS.extend(WARNINGS)
    say(f"{len(PROBLEMS)} problems, {len(WARNINGS)} warnings in {time.monotonic() - started:.0f}s")
    return 1 if PROBLEMS else 0


def run_fault_checks(database_url: str, login: str, password: str, tmp: Path, ports: str) -> None:
    """The database restarted, slow and frozen under load, on a copy of this check's database
    in a PostgreSQL cluster of its own (never the shared one)."""
    import faults

    *app, nginx_port = (int(p) for p in ports.split(","))
    for port in [*app, nginx_port]:
        if not free(port):
            problem(f"fault checks: port {port} is busy")
            return
    pg_port = next(p for p in range(5460, 5560) if free(p))
    where = tmp / "faults"
    where.mkdir()
    static = str(tmp / "static")
    found = faults.run(database_url, login, password, where, app, nginx_port, pg_port, static)
    for message in found:
        problem(f"fault check: {message}")


def run_checks(
    base: str, tmp: Path, app_ports: list[int], password: str, logins: list[str], pages: int
) -> None:
    anon = Browser(base)
    status, headers, _, _ = anon.get("/ops/healthz")
    if status != 200:
        problem(f"health check through nginx: {status}")
    status, headers, body, _ = anon.get("/accounts/login/")
    if status != 200 or "Content-Security-Policy" not in headers:
        problem(f"sign-in page: {status}, headers {sorted(headers)}")
    if "Strict-Transport-Security" not in headers:
        problem("no Strict-Transport-Security header over TLS")
    css = re.search(rb'href="(/static/css/[^"]+)"', body)
    if css is None:
        problem("the sign-in page links no stylesheet")
    else:
        status, headers, _, _ = anon.get(css.group(1).decode())
        if status != 200 or "immutable" not in headers.get("Cache-Control", ""):
            problem(f"static file not served by nginx: {status} {headers.get('Cache-Control')}")
        else:
            say(f"static served by nginx: {css.group(1).decode()}")
    media = Path(os.environ.get("KHOI_MEDIA_ROOT_CHECK", tmp / "media"))
    media.mkdir(parents=True, exist_ok=True)
    (media / "secret.txt").write_text("personal data")
    status, *_ = anon.get("/media/secret.txt")
    if status != 404:
        problem(f"/media/ is served directly ({status}); uploads must go through access checks")
    total = 0
    for login in logins:
        n = walk(base, login, password, pages)
        total += n
        say(f"walked {n:3d} pages as {login}")
    say(f"walk: {total} pages as {len(logins)} personas")
    check_stateless(base, app_ports, password, logins[0])


@contextmanager
def contextlib_redis(use: Any, port: int, tmp: Path) -> Iterator[str]:
    if not use:
        yield ""
        return
    if not free(port):
        raise SystemExit(f"[prod-check] port {port} (Redis) is busy")
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(tmp)]  # fmt: skip
    with process(args, dict(os.environ), tmp / "redis.log"):
        wait_port(port)
        yield f"redis://127.0.0.1:{port}/0"


if __name__ == "__main__":
    sys.exit(main())
