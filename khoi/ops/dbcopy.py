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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


def dump_database(connection: BaseDatabaseWrapper, target: Path) -> None:
    """PostgreSQL: pg_dump's custom format; SQLite: the online backup API (consistent while
    the application keeps writing)."""
    if engine(connection) == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target)],
            _pg_env(connection),
        )
        return
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def load_database(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Replaces the whole database with the dump (the caller checked it may)."""
    if engine(connection) == "postgresql":
        connection.close()
        env = _pg_env(connection)
        _run(
            ["psql", "-qX", "-v", "ON_ERROR_STOP=1", "-c",
             "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
            env,
        )  # fmt: skip
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", "-d", env["PGDATABASE"], str(source)],
            env,
        )  # fmt: skip
        return
    connection.ensure_connection()
    origin = sqlite3.connect(source)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()


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
