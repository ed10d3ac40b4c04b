"""Every national measurement of issue #14 in one unattended run, for a quiet machine.

    .venv/bin/python bench/national/run_all.py --server-url postgres://postgres@127.0.0.1:5440

against a PostgreSQL server (trust on loopback, a superuser: databases are created there and,
for the replica step, a streaming standby of the whole cluster is made with
``deploy/check/replica.sh``), in order:

1. ``generate``: a fresh database (``--database``, default ``khoi_national``), migrated, the
   demo loaded (the load test's personas), then ``generate_scale --national`` timed (wall,
   CPU, peak memory) and the database's size;
2. ``backup``: ``manage.py backup --output DIR`` timed, its size;
3. ``restore``: ``manage.py restore`` into a second database (timed; the command compares
   every table's rows and checksum with the backup), then ``audit_verify`` and
   ``fund_verify`` on the copy and an independent row count of every table in both; the copy
   is dropped afterwards (``--keep`` keeps it);
4. ``load``: ``bench/load/run.py`` (nginx with TLS, two gunicorn processes, locust) at 50 and
   200 users in steady state: p50 / p95 / p99 and throughput per page and in total, and the
   bare view (the anchor) at the same sizes;
5. ``replica``: a streaming standby of the cluster on a free port, then the persona mix at
   ``--replica-users`` with ``KHOI_REPLICA_URL`` and, right after, without: the reports' p95;
6. ``queue``: ``bench/overlap_queue.py`` on the national database, one task per province,
   with 1 and 2 ``db_worker`` processes: time and speed-up.

Each step can be skipped (``--skip generate,backup``); a step that fails is recorded and the
next ones still run when they can. The summary (machine, date, load average before and after
every step, every figure) is written as Markdown and JSON after each step
(``--out``, default ``bench/national/results/<UTC date-time>``).

``--communes N`` (with ``--provinces P``) makes a small country instead of the national one,
to try the whole pipeline in a few minutes, e.g. against a throw-away cluster:

    deploy/check/pgcluster.sh start 5451
    nice -n 15 .venv/bin/python bench/national/run_all.py \\
        --server-url postgres://postgres@127.0.0.1:5451 --communes 8 --provinces 4 \\
        --users 5,10 --replica-users 10 --duration 20
    deploy/check/pgcluster.sh stop 5451
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import socket
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

STEPS = ("generate", "backup", "restore", "load", "replica", "queue")
# the load test's personas and API token come from the demo (bench/load/locustfile.py)
PREPARE = (["migrate", "--noinput", "-v0"], ["createcachetable"], ["load_demo"])


def say(message: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
    print(f"[national {stamp}] {message}", flush=True)


def sh(*args: str, check: bool = True) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=check).stdout.strip()


def sql(url: str, query: str) -> str:
    return sh("psql", url, "-qAtc", query)


def with_db(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit(f"no free port from {start}")


def machine(server_url: str) -> dict[str, Any]:
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
         if ln.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    os_name = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return {
        "host": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "os": os_name.group(1) if os_name else platform.platform(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": sql(with_db(server_url, "postgres"), "SHOW server_version"),
        "nginx": nginx.split("/")[-1],
        "commit": sh("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD", check=False),
    }


def timed(cmd: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    """Run a command to the end: wall and CPU time, peak memory, exit status, its output."""
    started = time.monotonic()
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(time.monotonic() - started, 1),
        "user_s": round(usage.ru_utime, 1),
        "sys_s": round(usage.ru_stime, 1),
        "max_rss_mb": round(usage.ru_maxrss / 1024),
        "exit": proc.returncode,
    }


def table_counts(url: str) -> dict[str, int]:
    """Exact rows of every table, counted by PostgreSQL itself (independent of the ORM)."""
    tables = sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    names = [t for t in tables.splitlines() if t]
    if not names:
        return {}
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in names)
    return {
        row.split("|")[0]: int(row.split("|")[1]) for row in sql(url, query).splitlines() if row
    }


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.server = args.server_url.rstrip("/")
        self.admin = with_db(self.server, "postgres")
        self.name = args.database
        self.url = with_db(self.server, self.name)
        self.restored = f"{self.name}_restored"
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
        self.out = Path(args.out or ROOT / "bench" / "national" / "results" / stamp)
        self.out.mkdir(parents=True, exist_ok=True)
        self.log = self.out / "commands.log"
        # the database's keys: field encryption (petitioners) and the secret key the audit
        # chain is sealed with; the same for every command of the run (and a later one)
        self.keys_json = Path(args.keys_file or self.out / "keys.json")
        self.keyfile = self.out / "field-keys"
        self.work = Path(tempfile.mkdtemp(prefix="khoi-national-", dir=args.work_dir or None))
        self.work.chmod(0o755)
        self.summary: dict[str, Any] = {
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": " ".join(sys.argv),
            "server": self.server.split("@")[-1],
            "database": self.name,
            "dataset": "national (34 provinces, 3,321 communes)"
            if not args.communes
            else f"{args.communes} communes, {args.provinces or 'proportional'} provinces",
            "machine": machine(self.server),
            "steps": {},
        }

    # --- plumbing ---------------------------------------------------------------------------

    def env(self, url: str | None = None) -> dict[str, str]:
        env = pc.make_env(self.work, url or self.url, "")
        if self.keys_json.exists():
            keys = json.loads(self.keys_json.read_text())
            env["KHOI_FIELD_KEYS"], env["KHOI_SECRET_KEY"] = keys["field_keys"], keys["secret"]
            if "audit_key" not in keys:  # from before KHOI_AUDIT_KEY was required: the chain
                # is keyed with the key derived from the secret (khoi.audit.models)
                derived = hashlib.sha256(b"khoi-audit-chain:" + keys["secret"].encode())
                keys["audit_key"] = "hex:" + derived.hexdigest()
                self.keys_json.write_text(json.dumps(keys))
            env["KHOI_AUDIT_KEY"] = keys["audit_key"]
        else:
            keys = {"field_keys": env["KHOI_FIELD_KEYS"], "secret": env["KHOI_SECRET_KEY"],
                    "audit_key": env["KHOI_AUDIT_KEY"]}  # fmt: skip
            self.keys_json.touch(mode=0o600)
            self.keys_json.write_text(json.dumps(keys))
        if not self.keyfile.exists():
            self.keyfile.touch(mode=0o600)
            self.keyfile.write_text(env["KHOI_FIELD_KEYS"])
        auditkey = Path(f"{self.keyfile}.audit")  # read by bench/load/run.py, overlap_queue.py
        if not auditkey.exists():
            auditkey.touch(mode=0o600)
            auditkey.write_text(env["KHOI_AUDIT_KEY"])
        env["KHOI_STATEMENT_TIMEOUT_MS"] = "0"  # long batch commands: no statement timeout
        return env

    def manage(self, *args: str, url: str | None = None) -> dict[str, Any]:
        result = timed([pc.PY, "manage.py", *args], self.env(url), self.log)
        if result["exit"] != 0:
            raise StepFailed(f"manage.py {' '.join(args)} exited {result['exit']} (see {self.log})")
        return result

    def last_output(self) -> str:
        text = self.log.read_text(errors="replace").rstrip().splitlines()
        return text[-1] if text else ""

    def size(self, name: str) -> int:
        return int(sql(self.admin, f"SELECT pg_database_size('{name}')"))

    def write(self) -> None:
        self.summary["updated"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        (self.out / "summary.json").write_text(
            json.dumps(self.summary, indent=1, ensure_ascii=False)
        )
        (self.out / "summary.md").write_text(markdown(self.summary))

    def step(self, name: str, func: Any) -> None:
        if name in self.args.skip:
            self.summary["steps"][name] = {"skipped": True}
            self.write()
            return
        say(f"{name}: start (load {load()})")
        record: dict[str, Any] = {"load_before": load(), "started": time.strftime("%H:%M:%S")}
        started = time.monotonic()
        try:
            record.update(func())
            record["ok"] = True
        except Exception as exc:  # unattended: record it, go on with the next step
            record["ok"] = False
            record["error"] = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, subprocess.CalledProcessError):
                record["error"] += f" {exc.stderr or ''}"[-500:]
            say(f"{name}: FAILED: {record['error']}")
        record["step_wall_s"] = round(time.monotonic() - started, 1)
        record["load_after"] = load()
        self.summary["steps"][name] = record
        self.write()
        say(f"{name}: done in {record['step_wall_s']}s (load {record['load_after']})")

    # --- the steps ----------------------------------------------------------------------------

    def generate(self) -> dict[str, Any]:
        if not self.name.startswith("khoi_"):
            raise StepFailed(f"refusing to recreate {self.name!r}: the name must start with khoi_")
        sql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        sql(self.admin, f"CREATE DATABASE {self.name}")
        self.keys_json = self.out / "keys.json"  # a new database, new keys
        self.keys_json.unlink(missing_ok=True)
        self.keyfile.unlink(missing_ok=True)
        Path(f"{self.keyfile}.audit").unlink(missing_ok=True)
        prep_started = time.monotonic()
        for command in PREPARE:
            self.manage(*command)
        prepared = round(time.monotonic() - prep_started, 1)
        size_before = self.size(self.name)
        scale = ["generate_scale", "--seed", str(self.args.seed), "--year", str(self.args.year),
                 "-v", "2"]  # fmt: skip
        if self.args.communes:
            scale += ["--communes", str(self.args.communes)]
            if self.args.provinces:
                scale += ["--provinces", str(self.args.provinces)]
        else:
            scale.append("--national")
        result = self.manage(*scale)
        summary_line = self.last_output()
        sql(self.url, "VACUUM ANALYZE")
        size = self.size(self.name)
        return {
            "prepare_s": prepared,
            "generate_scale": result,
            "generated": summary_line,
            "database_bytes": size,
            "database_mb": round(size / 2**20),
            "generated_mb": round((size - size_before) / 2**20),
        }

    def backup(self) -> dict[str, Any]:
        target = self.work / "backup"
        shutil.rmtree(target, ignore_errors=True)
        result = self.manage("backup", "--output", str(target))
        line = self.last_output()
        files = {p.name: p.stat().st_size for p in target.rglob("*") if p.is_file()}
        manifest = json.loads((target / "manifest.json").read_text())
        rows = sum(t["rows"] for t in manifest["tables"].values())
        return {
            "backup": result,
            "said": line,
            "tables": len(manifest["tables"]),
            "rows": rows,
            "bytes": sum(files.values()),
            "dump_mb": round(files.get(manifest["database"], 0) / 2**20, 1),
        }

    def restore(self) -> dict[str, Any]:
        source = self.work / "backup"
        if not (source / "manifest.json").exists():
            raise StepFailed("no backup to restore (the backup step was skipped or failed)")
        url = with_db(self.server, self.restored)
        sql(self.admin, f"DROP DATABASE IF EXISTS {self.restored} WITH (FORCE)")
        sql(self.admin, f"CREATE DATABASE {self.restored}")
        try:
            result = self.manage("restore", "--input", str(source), url=url)
            said = self.last_output()
            audit = self.manage("audit_verify", url=url)
            audit_said = self.last_output()
            fund = self.manage("fund_verify", url=url)
            fund_said = self.last_output()
            counted = time.monotonic()
            original, copy = table_counts(self.url), table_counts(url)
            # the load test writes later; here nothing has written since the backup
            differ = sorted(t for t in set(original) | set(copy) if original.get(t) != copy.get(t))
            if differ:
                raise StepFailed(f"row counts differ after the restore: {differ[:10]}")
            return {
                "restore": result,
                "said": said,
                "audit_verify": {**audit, "said": audit_said},
                "fund_verify": {**fund, "said": fund_said},
                "tables_compared": len(original),
                "rows_compared": sum(original.values()),
                "count_s": round(time.monotonic() - counted, 1),
                "restored_mb": round(self.size(self.restored) / 2**20),
            }
        finally:
            if not self.args.keep:
                sql(self.admin, f"DROP DATABASE IF EXISTS {self.restored} WITH (FORCE)")

    def load_test(self, users: str, out: str, replica_url: str = "", only: str = "") -> Any:
        json_path = self.out / out
        cmd = [
            pc.PY, "bench/load/run.py", "--database-url", self.admin, "--keep", self.name,
            "--field-keys-file", str(self.keyfile), "--users", users,
            "--duration", str(self.args.duration), "--steady", "--json", str(json_path),
            "--ports", self.args.ports, "--nginx-port", str(self.args.nginx_port),
            "--workers", str(self.args.web_workers), "--static-root", str(self.work / "static"),
        ]  # fmt: skip
        if replica_url:
            cmd += ["--replica-url", replica_url]
        if only:
            cmd += ["--only", only]
        env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
        result = timed(cmd, env, self.log)
        if result["exit"] != 0 or not json_path.exists():
            raise StepFailed(f"bench/load/run.py exited {result['exit']} (see {self.log})")
        return json.loads(json_path.read_text())

    def load(self) -> dict[str, Any]:
        return {"figures": self.load_test(self.args.users, "load.json")}

    def replica(self) -> dict[str, Any]:
        parts = urllib.parse.urlsplit(self.server)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise StepFailed("the replica step makes a standby on this machine: loopback only")
        port = self.args.replica_port or free_port((parts.port or 5432) + 1)
        env = {**os.environ, "PRIMARY_PORT": str(parts.port or 5432)}
        script = str(ROOT / "deploy" / "check" / "replica.sh")
        made = time.monotonic()
        started = subprocess.run([script, "start", str(port)], env=env, capture_output=True,
                                 text=True)  # fmt: skip
        if started.returncode != 0:
            raise StepFailed(f"replica.sh start {port}: {started.stderr.strip()[-500:]}")
        basebackup = round(time.monotonic() - made, 1)
        try:
            replica_url = f"postgres://postgres@127.0.0.1:{port}/postgres"
            standby = with_db(replica_url, self.name)
            read = f"SELECT tup_returned FROM pg_stat_database WHERE datname = '{self.name}'"
            users = self.args.replica_users
            before = int(sql(standby, read) or 0)
            with_replica = self.load_test(users, "replica-on.json", replica_url, only="mix")
            # the statistics are sent every half second or so: a moment, then read them
            time.sleep(2)
            standby_rows = int(sql(standby, read) or 0) - before
            without = self.load_test(users, "replica-off.json", only="mix")
        finally:
            subprocess.run([script, "stop", str(port)], env=env, capture_output=True)
        compare = {}
        for name, figures in (("with replica", with_replica), ("primary only", without)):
            for step in figures["steps"]:
                rows = {r["Name"]: r for r in step["rows"]}
                compare[f"{name}, {step['users']} users"] = {
                    page: {q: rows[page][q] for q in ("Request Count", "50%", "95%", "99%")}
                    for page in ("reports", "petition statistics", "Aggregated")
                    if page in rows
                } | {"load": [step["load_before"], step["load_after"]]}
        if standby_rows <= 0:
            raise StepFailed("the standby returned no rows during the run with the replica")
        return {"replica_port": port, "basebackup_s": basebackup, "compare": compare,
                "standby_rows_read": standby_rows,
                "with_replica": with_replica, "primary_only": without}  # fmt: skip

    def queue(self) -> dict[str, Any]:
        json_path = self.out / "queue.json"
        cmd = [pc.PY, "bench/overlap_queue.py", "--database-url", self.admin,
               "--existing", self.name, "--field-keys-file", str(self.keyfile),
               "--year", str(self.args.year), "--workers", self.args.queue_workers,
               "--json", str(json_path)]  # fmt: skip
        result = timed(cmd, dict(os.environ), self.log)
        if result["exit"] != 0 or not json_path.exists():
            raise StepFailed(f"bench/overlap_queue.py exited {result['exit']} (see {self.log})")
        return {"figures": json.loads(json_path.read_text())}

    def run(self) -> int:
        say(f"summary in {self.out}")
        self.env()  # the keys, from --keys-file or new
        self.write()
        try:
            self.step("generate", self.generate)
            self.step("backup", self.backup)
            self.step("restore", self.restore)
            self.step("load", self.load)
            self.step("replica", self.replica)
            self.step("queue", self.queue)
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
            if not self.args.keep and "generate" not in self.args.skip:
                sql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
                say(f"dropped {self.name} (--keep keeps it)")
        self.summary["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.write()
        failed = [n for n, s in self.summary["steps"].items() if s.get("ok") is False]
        say(f"done; failed steps: {failed or 'none'}; summary {self.out / 'summary.md'}")
        return 1 if failed else 0


class StepFailed(Exception):
    pass


# --- the Markdown summary ---------------------------------------------------------------------


def _ms(value: Any) -> str:
    try:
        return f"{float(value):,.0f}"
    except (TypeError, ValueError):
        return str(value)


def _load_cell(step: dict[str, Any]) -> str:
    before, after = step.get("load_before"), step.get("load_after")
    fmt = lambda v: "/".join(f"{x:.1f}" for x in v) if v else "?"  # noqa: E731
    return f"{fmt(before)} → {fmt(after)}"


def _locust_table(figures: dict[str, Any]) -> list[str]:
    lines = []
    for step in figures.get("steps", []):
        label = "persona mix" if step["kind"] == "mix" else "anchor (bare view)"
        lines += [
            "",
            f"**{label}, {step['users']} users, {step['seconds']} s** (load {_load_cell(step)})",
            "",
            "| page | requests | failures | p50 ms | p95 ms | p99 ms | req/s |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in step["rows"]:
            name = "**total**" if row["Name"] == "Aggregated" else row["Name"]
            lines.append(
                f"| {name} | {row['Request Count']} | {row['Failure Count']} | {_ms(row['50%'])}"
                f" | {_ms(row['95%'])} | {_ms(row['99%'])} | {float(row['Requests/s']):.1f} |"
            )
    for users, ratio in figures.get("ratio", {}).items():
        lines.append(
            f"\nRatio persona mix / bare view at {users} users: p50 {ratio['50%']}×, "
            f"p95 {ratio['95%']}×"
        )
    return lines


def markdown(s: dict[str, Any]) -> str:
    m = s["machine"]
    lines = [
        f"# Khối national measurements — {s['started']}",
        "",
        f"- machine: {m['host']}, {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"{m['os']} (kernel {m['kernel']})",
        f"- Python {m['python']}, PostgreSQL {m['postgresql']} at {s['server']}, "
        f"nginx {m['nginx']}, commit {m['commit']}",
        f"- dataset: {s['dataset']}, database `{s['database']}`",
        f"- command: `{s['command']}`",
        f"- last update: {s.get('updated')}{'; finished' if s.get('finished') else ''}",
        "",
        "| step | ok | wall | load average before → after (1/5/15 min) |",
        "|---|---|---|---|",
    ]
    for name in STEPS:
        step = s["steps"].get(name)
        if step is None:
            lines.append(f"| {name} | not run yet | | |")
        elif step.get("skipped"):
            lines.append(f"| {name} | skipped | | |")
        else:
            ok = "yes" if step.get("ok") else f"**FAILED**: {step.get('error', '')[:120]}"
            lines.append(f"| {name} | {ok} | {step['step_wall_s']} s | {_load_cell(step)} |")
    steps = s["steps"]
    g = steps.get("generate", {})
    if g.get("ok"):
        r = g["generate_scale"]
        lines += [
            "", "## generate_scale", "",
            f"Wall **{r['wall_s']} s**, CPU {r['user_s']} s user + {r['sys_s']} s system, peak "
            f"memory {r['max_rss_mb']} MB; database **{g['database_mb']:,} MB** "
            f"({g['database_bytes']:,} bytes after VACUUM ANALYZE; {g['generated_mb']:,} MB "
            f"generated); migrate and demo before it: {g['prepare_s']} s.",
            "", f"    {g['generated']}",
        ]  # fmt: skip
    b = steps.get("backup", {})
    if b.get("ok"):
        r = b["backup"]
        lines += [
            "", "## Backup and restore", "",
            f"- `backup`: **{r['wall_s']} s** wall ({r['user_s']} CPU-s), {b['tables']} tables, "
            f"{b['rows']:,} rows; {b['bytes'] / 2**20:,.1f} MB written (dump {b['dump_mb']} MB)",
        ]  # fmt: skip
    rs = steps.get("restore", {})
    if rs.get("ok"):
        r = rs["restore"]
        lines += [
            f"- `restore` into a new database: **{r['wall_s']} s** wall ({r['user_s']} CPU-s): "
            f"{rs['said']}",
            f"- `audit_verify` on the copy: {rs['audit_verify']['wall_s']} s "
            f"({rs['audit_verify']['said']})",
            f"- `fund_verify` on the copy: {rs['fund_verify']['wall_s']} s "
            f"({rs['fund_verify']['said']})",
            f"- independent row count of {rs['tables_compared']} tables "
            f"({rs['rows_compared']:,} rows) in both databases: equal ({rs['count_s']} s)",
        ]
    ld = steps.get("load", {})
    if ld.get("ok"):
        lines += ["", "## Load: nginx (TLS) → two gunicorn → PostgreSQL, steady state"]
        lines += [f"\n{ld['figures'].get('dataset', '')}"]
        lines += _locust_table(ld["figures"])
    rp = steps.get("replica", {})
    if rp.get("ok"):
        lines += [
            "", "## The replica's effect on the report p95", "",
            f"Streaming standby on port {rp['replica_port']} (base backup {rp['basebackup_s']} "
            "s); the persona mix with `KHOI_REPLICA_URL`, then right after without. The "
            f"standby returned {rp.get('standby_rows_read', 0):,} rows during the first run.", "",
            "| run | load | reports p50 / p95 ms (n) | petition statistics p50 / p95 ms (n) "
            "| all pages p50 / p95 / p99 ms |",
            "|---|---|---|---|---|",
        ]  # fmt: skip
        for run, pages in rp["compare"].items():

            def cell(page: str, pages: dict[str, Any] = pages) -> str:
                p = pages.get(page)
                if not p:
                    return "–"
                return f"{_ms(p['50%'])} / {_ms(p['95%'])} ({p['Request Count']})"

            total = pages.get("Aggregated", {})
            load_pair = pages["load"]
            lines.append(
                f"| {run} | {load_pair[0][0]:.1f} → {load_pair[1][0]:.1f} | {cell('reports')} | "
                f"{cell('petition statistics')} | {_ms(total.get('50%'))} / "
                f"{_ms(total.get('95%'))} / {_ms(total.get('99%'))} |"
            )
    q = steps.get("queue", {})
    if q.get("ok"):
        lines += [
            "", "## The national overlap scan through the queue", "",
            f"{q['figures'].get('provinces')} provinces, one task each; "
            "`db_worker --batch` processes until the queue is empty.", "",
            "| workers | seconds | speed-up | provinces with a result | load before → after |",
            "|---|---|---|---|---|",
        ]  # fmt: skip
        for r in q["figures"]["runs"]:
            lines.append(
                f"| {r['workers']} | {r['seconds']} | {r['speedup']}× | {r.get('results')} | "
                f"{r['load_before'][0]:.1f} → {r['load_after'][0]:.1f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--server-url", default="postgres://postgres@127.0.0.1:5440",
        help="the PostgreSQL server (a superuser, trust on loopback); no database name",
    )  # fmt: skip
    parser.add_argument("--database", default="khoi_national")
    parser.add_argument("--communes", type=int, default=0, help="small mode: N communes")
    parser.add_argument("--provinces", type=int, default=0, help="with --communes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--replica-users", default="50")
    parser.add_argument("--duration", type=int, default=180, help="seconds per load step")
    parser.add_argument("--web-workers", type=int, default=2, help="per gunicorn process")
    parser.add_argument("--ports", default="8116,8117", help="the two gunicorn processes")
    parser.add_argument("--nginx-port", type=int, default=8190)
    parser.add_argument("--replica-port", type=int, default=0, help="default: the next free")
    parser.add_argument("--queue-workers", default="1,2")
    parser.add_argument(
        "--skip", default="", help=f"comma-separated steps to skip: {','.join(STEPS)}"
    )
    parser.add_argument(
        "--keys-file", default="",
        help="with --skip generate: the keys of the existing database (keys.json, which the "
        "run that generated it left in its output directory)",
    )  # fmt: skip
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases (national and restored)"
    )
    parser.add_argument("--out", default="", help="directory for summary.md / summary.json")
    parser.add_argument("--work-dir", default="", help="where the backup is written (space!)")
    args = parser.parse_args()
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {sorted(unknown)}")
    if "generate" in args.skip and not args.keys_file:
        parser.error("--skip generate needs --keys-file (the database's keys.json)")
    return Run(args).run()


if __name__ == "__main__":
    sys.exit(main())
