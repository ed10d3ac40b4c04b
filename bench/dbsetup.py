"""Throw-away benchmark databases: create them empty, drop them after (no Django needed).

Only a PostgreSQL database whose name starts with ``khoi_bench`` is ever dropped, and only
an SQLite file under ``var/bench/`` is ever overwritten.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def _pg_admin_url(url: str) -> tuple[str, str]:
    """The same server with database ``postgres``, and the benchmark database's name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def prepare_database(url: str) -> None:
    """Start from an empty database; only a throw-away one is ever dropped."""
    if is_postgres(url):
        import psycopg
        from psycopg import sql

        admin, name = _pg_admin_url(url)
        if not name.startswith("khoi_bench"):
            raise SystemExit(f"refusing to recreate {name!r}: the name must start with khoi_bench")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return
    import dj_database_url

    path = Path(str(dj_database_url.parse(url)["NAME"]))
    if path.exists() and BENCH_DIR.resolve() not in path.resolve().parents:
        raise SystemExit(f"refusing to overwrite {path}: use a file under {BENCH_DIR}")
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def drop_database(url: str) -> None:
    if is_postgres(url):
        import psycopg
        from psycopg import sql

        admin, name = _pg_admin_url(url)
        if not name.startswith("khoi_bench"):
            return
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
