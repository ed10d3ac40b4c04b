"""What backup, restore and move_database share: the list of tables, per-table row counts and
checksums that do not depend on the engine, the database dump and load of each engine, and
the copy of every row from one database to another."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

BATCH = 2000


def copied_models() -> list[type[models.Model]]:
    """Every concrete table Django manages (many-to-many tables included), in a fixed order."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    return sorted(found, key=lambda m: m._meta.db_table)


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID | dt.timedelta):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def table_summary(alias: str = "default") -> dict[str, dict[str, Any]]:
    """Rows and a SHA-256 of every table's rows in primary-key order, read through the ORM so
    that SQLite and PostgreSQL give the same figures for the same data."""
    summary: dict[str, dict[str, Any]] = {}
    for model in copied_models():
        digest = hashlib.sha256()
        names = [f.attname for f in model._meta.concrete_fields]
        count = 0
        rows = model._base_manager.using(alias).order_by("pk").values_list(*names)
        for row in rows.iterator(chunk_size=BATCH):
            line = json.dumps(
                [_norm(v) for v in row], ensure_ascii=False, sort_keys=True, default=str
            )
            digest.update(line.encode() + b"\n")
            count += 1
        summary[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return summary


# PostgreSQL: the rows' text, hence their checksums, must not depend on the session
_PG_TEXT_SETTINGS = (
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
)
PG_CHECKSUM = "pg_md5_sum"  # the manifest's key for the checksum below


def _pg_table_sql(table: str) -> str:
    """One statement giving ``"<rows>:<checksum>"`` of the table ``public.<table>``: the md5
    of each row's text, summed as two 64-bit halves (order-free, so no sort), then the md5 of
    the two sums. Computed by PostgreSQL alone, the same by backup (in pg_dump's snapshot)
    and by restore (inside the load's transaction, before it commits)."""
    quoted = '"' + table.replace('"', '""') + '"'
    return (
        "SELECT count(*)::text || ':' || md5("  # noqa: S608 - the model tables' names
        "coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text"
        " || ':' || "
        "coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text) "
        f"FROM (SELECT md5(t::text) AS h FROM public.{quoted} AS t) AS s"
    )


def pg_summary(alias: str = "default") -> dict[str, dict[str, Any]]:
    """Rows and the PostgreSQL checksum (``_pg_table_sql``) of every table, one query per
    table; must run inside a transaction (its text settings are ``SET LOCAL``)."""
    summary: dict[str, dict[str, Any]] = {}
    with connections[alias].cursor() as cursor:
        for sql in _PG_TEXT_SETTINGS:
            cursor.execute(sql)
        for model in copied_models():
            table = model._meta.db_table
            cursor.execute(_pg_table_sql(table))
            rows, checksum = str(cursor.fetchone()[0]).split(":", 1)
            summary[table] = {"rows": int(rows), PG_CHECKSUM: checksum}
    return summary


def backup_summary(alias: str = "default") -> dict[str, dict[str, Any]]:
    """What a backup's manifest holds per table: on PostgreSQL the checksums PostgreSQL
    computes (``pg_summary``), elsewhere ``table_summary``'s."""
    if engine(connections[alias]) == "postgresql":
        with transaction.atomic(using=alias):
            return pg_summary(alias)
    return table_summary(alias)


def pg_verify_sql(
    tables: dict[str, dict[str, Any]],
    message: str = "These tables differ from the backup's manifest:",
) -> str:
    """SQL that fails (``RAISE EXCEPTION``, naming the tables) unless every table holds the
    rows and checksum of the manifest: appended to the load's single transaction, so that
    a mismatch rolls the whole load back."""
    checks = []
    for table, want in sorted(tables.items()):
        expected = f"{want['rows']}:{want[PG_CHECKSUM]}".replace("'", "''")
        name = table.replace("'", "''")
        checks.append(
            f"  IF ({_pg_table_sql(table)}) IS DISTINCT FROM '{expected}' THEN\n"
            f"    differ := differ || ' {name}';\n  END IF;"
        )
    body = "\n".join(checks)
    return (
        ";\n".join(_PG_TEXT_SETTINGS)
        + ";\nDO $khoi_verify$\nDECLARE differ text := '';\nBEGIN\n"
        + body
        + "\n  IF differ <> '' THEN\n"
        + "    RAISE EXCEPTION '"
        + message.replace("'", "''").replace("%", "%%")
        + "%', differ;\n"
        + "  END IF;\nEND\n$khoi_verify$;\n"
    )


def is_empty(alias: str = "default") -> bool:
    """True when the database holds no Khối tables with rows (a fresh or new database)."""
    connection = connections[alias]
    if "django_migrations" not in connection.introspection.table_names():
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return bool(cursor.fetchone()[0] == 0)


# --- dump and load -----------------------------------------------------------------------------


def engine(connection: BaseDatabaseWrapper) -> str:
    return str(connection.vendor)  # "postgresql" or "sqlite"


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    conf = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=str(conf.get("HOST") or "127.0.0.1"),
        PGPORT=str(conf.get("PORT") or "5432"),
        PGUSER=str(conf.get("USER") or "postgres"),
        PGDATABASE=str(conf["NAME"]),
    )
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    """Runs a PostgreSQL client program; its error message becomes the exception's."""
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed programs, no shell
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {result.stderr.strip()[-500:]}")


def dump_database(connection: BaseDatabaseWrapper, target: Path) -> dict[str, dict[str, Any]]:
    """Writes the dump and returns the summary (``table_summary``) of exactly the rows in it,
    however the application writes meanwhile (sessions change every minute).

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction exports its snapshot; ``pg_dump
    --snapshot`` dumps that snapshot (custom format) while the summary is read in the same
    transaction, which stays open until pg_dump has finished. SQLite: the online backup API
    copies the database into ``target`` first, and the summary is read from that file."""
    if engine(connection) == "postgresql":
        return _dump_postgresql(connection, target)
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        # a single file that reading never changes (no -wal beside it): its checksum holds
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()
    with sqlite_file(connection, target) as alias:
        return table_summary(alias)


def _dump_postgresql(connection: BaseDatabaseWrapper, target: Path) -> dict[str, dict[str, Any]]:
    if connection.in_atomic_block:
        raise RuntimeError("dump_database needs a connection outside any transaction")
    alias = connection.alias
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            # the first statement of the transaction, as PostgreSQL requires
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        args = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                f"--snapshot={snapshot}", "-f", str(target)]  # fmt: skip
        with tempfile.TemporaryFile() as errors:
            dump = subprocess.Popen(  # noqa: S603 - fixed program, no shell
                args, env=_pg_env(connection), stdout=subprocess.DEVNULL, stderr=errors
            )
            try:
                summary = pg_summary(alias)  # meanwhile, in the snapshot pg_dump reads
            except BaseException:
                dump.kill()
                dump.wait()
                raise
            code = dump.wait()  # the snapshot's transaction stays open until pg_dump ends
            if code != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip()[-500:]
                raise RuntimeError(f"pg_dump failed: {message}")
    return summary


@contextmanager
def sqlite_file(connection: BaseDatabaseWrapper, path: Path) -> Iterator[str]:
    """A temporary database alias reading the SQLite file ``path`` through the ORM."""
    alias = f"khoi_file_{uuid.uuid4().hex[:12]}"
    conf = {**connection.settings_dict, "NAME": str(path), "OPTIONS": {}, "CONN_MAX_AGE": 0}
    # a connection of this thread only, not a configured database
    connections[alias] = type(connection)(conf, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


class RestoreFailed(Exception):
    """The dump could not be loaded; the database was left as it was."""


def load_database(connection: BaseDatabaseWrapper, source: Path, verify_sql: str = "") -> None:
    """Replaces the whole database with the dump (the caller checked it may), all or nothing:
    if the dump cannot be loaded, ``RestoreFailed`` and the database keeps what it held.

    PostgreSQL: ``pg_restore -f -`` writes the dump as SQL, streamed into one ``psql
    --single-transaction`` session that first drops and recreates the schema; psql's input is
    closed (and the transaction committed) only once pg_restore has finished without error,
    otherwise psql is killed and PostgreSQL rolls everything back. ``verify_sql``
    (``pg_verify_sql``) runs last in that transaction: the loaded tables are compared with
    the manifest before anything is committed, and a mismatch rolls the load back too.
    SQLite: the online backup API, which replaces the database in one step."""
    if engine(connection) == "postgresql":
        connection.close()
        _load_postgresql(_pg_env(connection), source, verify_sql)
        return
    connection.ensure_connection()
    origin = sqlite3.connect(source)
    try:
        origin.backup(connection.connection)
    except sqlite3.Error as exc:
        raise RestoreFailed(str(exc)) from exc
    finally:
        origin.close()


def _load_postgresql(env: dict[str, str], source: Path, verify_sql: str = "") -> None:
    as_sql = ["pg_restore", "--no-owner", "--no-privileges", "-f", "-", str(source)]
    load = ["psql", "-qX", "-v", "ON_ERROR_STOP=1", "--single-transaction",
            "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", "-f", "-"]  # fmt: skip
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen(  # noqa: S603 - fixed program, no shell
            as_sql, env=env, stdout=subprocess.PIPE, stderr=restore_errors
        )
        quiet = {**env, "PGOPTIONS": "-c client_min_messages=warning"}  # no NOTICE lines
        psql = subprocess.Popen(  # noqa: S603 - fixed program, no shell
            load, env=quiet, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors
        )
        assert restore.stdout is not None and psql.stdin is not None
        psql_alive = True
        try:
            shutil.copyfileobj(restore.stdout, psql.stdin, 1 << 20)
        except BrokenPipeError:  # psql stopped on an error: its transaction is rolled back
            psql_alive = False
            restore.kill()
        restore_code = restore.wait()
        if restore_code != 0 or not psql_alive or psql.poll() is not None:
            # never let psql reach the end of its input: it would commit what it has
            psql.kill()
            psql.wait()
            errors = restore_errors if restore_code != 0 else psql_errors
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()[-500:]
            raise RestoreFailed(message or f"pg_restore exited {restore_code}")
        try:
            psql.stdin.write(b"\n" + verify_sql.encode())
            psql.stdin.flush()
        except BrokenPipeError:
            psql.kill()  # it stopped on an error: rolled back; never let it commit
            psql.wait()
            psql_errors.seek(0)
            raise RestoreFailed(
                psql_errors.read().decode(errors="replace").strip()[-500:] or "psql stopped"
            ) from None
        with suppress(BrokenPipeError):
            psql.stdin.close()  # end of input: psql runs the checks, then commits
        if psql.wait() != 0:
            psql_errors.seek(0)
            raise RestoreFailed(psql_errors.read().decode(errors="replace").strip()[-500:])


# --- checks of a copy --------------------------------------------------------------------------


def chain_problems(alias: str = "default") -> list[str]:
    """The hash chains of database ``alias`` that do not hold: every check the apps
    registered (``khoi.registry.INTEGRITY_CHECKS``: the audit chain, the fund ledgers…);
    one sentence per broken chain, [] when all hold."""
    from khoi.ops.replica import reads_from
    from khoi.registry import INTEGRITY_CHECKS

    problems: list[str] = []
    with reads_from(alias):
        for check in INTEGRITY_CHECKS:
            problem = check.run()
            if problem is not None:
                problems.append(problem)
    return problems


def chain_names() -> str:
    """What ``chain_problems`` checks, for the commands' closing line."""
    from khoi.registry import INTEGRITY_CHECKS

    return ", ".join(str(c.label) for c in INTEGRITY_CHECKS)


# --- files ------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def copy_tree(source: Path, target: Path) -> dict[str, str]:
    """Copies every file under source to target; returns relative path → SHA-256."""
    files: dict[str, str] = {}
    if not source.is_dir():
        return files
    for path in sorted(source.rglob("*")):
        if path.is_file():
            rel = path.relative_to(source).as_posix()
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
            files[rel] = sha256_file(dest)
    return files


# --- field keys under a passphrase -----------------------------------------------------------


def _passphrase_key(passphrase: str, salt: bytes, n: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return base64.urlsafe_b64encode(
        Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode())
    )


def seal_keys(keys: str, passphrase: str, n: int = 2**15) -> dict[str, Any]:
    from cryptography.fernet import Fernet

    salt = os.urandom(16)
    token = Fernet(_passphrase_key(passphrase, salt, n)).encrypt(keys.encode())
    return {"kdf": "scrypt", "n": n, "r": 8, "p": 1, "salt": salt.hex(), "token": token.decode()}


def open_keys(sealed: dict[str, Any], passphrase: str) -> str:
    from cryptography.fernet import Fernet

    key = _passphrase_key(passphrase, bytes.fromhex(sealed["salt"]), int(sealed["n"]))
    return Fernet(key).decrypt(sealed["token"].encode()).decode()


# --- row copy between two databases ------------------------------------------------------------


@contextmanager
def _raw_timestamps() -> Iterator[None]:
    """bulk_create would stamp auto_now fields with the current time: keep the stored ones."""
    changed: list[tuple[models.Field[Any, Any], bool, bool]] = []
    for model in copied_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                changed.append((field, field.auto_now, field.auto_now_add))  # type: ignore[attr-defined]
                field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, now, now_add in changed:
            field.auto_now, field.auto_now_add = now, now_add  # type: ignore[attr-defined]


def copy_rows(source: str, target: str) -> dict[str, int]:
    """Copies every row of every table from ``source`` to ``target`` (already migrated) in
    one transaction on the target, primary keys kept; then resets the target's sequences."""
    counts: dict[str, int] = {}
    all_models = copied_models()
    target_connection = connections[target]
    with transaction.atomic(using=target), _raw_timestamps():
        tables = [m._meta.db_table for m in all_models]
        with target_connection.cursor() as cursor:
            if engine(target_connection) == "postgresql":
                # The whole database is replaced (an empty migrated one, or one the operator
                # overwrites with --force): the same allowance as a development flush lets the
                # append-only ledger's TRUNCATE guard through for this transaction only
                # (khoi/fund/dbguard.py; ops names the setting, it imports nothing of fund).
                cursor.execute("SET LOCAL khoi.fund_flush = 'on'")
                quoted = ", ".join(target_connection.ops.quote_name(t) for t in tables)
                cursor.execute(f"TRUNCATE {quoted} CASCADE")
            else:
                cursor.execute("PRAGMA defer_foreign_keys = ON")
                for table in tables:
                    quoted_table = target_connection.ops.quote_name(table)
                    cursor.execute(f"DELETE FROM {quoted_table}")  # noqa: S608 - model tables
        if engine(target_connection) == "postgresql":
            with target_connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in all_models:
            manager = model._base_manager
            batch: list[models.Model] = []
            count = 0
            for obj in manager.using(source).order_by("pk").iterator(chunk_size=BATCH):
                batch.append(obj)
                if len(batch) >= BATCH:
                    manager.using(target).bulk_create(batch)
                    count += len(batch)
                    batch = []
            if batch:
                manager.using(target).bulk_create(batch)
                count += len(batch)
            counts[model._meta.db_table] = count
        statements = target_connection.ops.sequence_reset_sql(no_style(), all_models)
        with target_connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return counts
