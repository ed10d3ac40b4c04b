"""backup → restore gives an identical database (rows and checksums per table, audit chain);
restore refuses a database with data unless --force, and a damaged backup always;
move_database copies everything into a new PostgreSQL database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings

from khoi.audit.services import verify_chain
from khoi.ops import dbcopy
from khoi.org import services as org_services
from khoi.org.models import Organization

PASSPHRASE = "a long enough passphrase"


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "media"
    (root / "documents" / "2017").mkdir(parents=True)
    (root / "documents" / "2017" / "cv-12.pdf").write_bytes(b"%PDF-1.4 minutes\n")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_to_an_identical_database(
    world: Any, media: Path, tmp_path: Path
) -> None:
    before = dbcopy.table_summary()
    assert before["audit_auditentry"]["rows"] > 0
    call_command("backup", output=str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["tables"] == before
    assert manifest["media"] == {
        "documents/2017/cv-12.pdf": dbcopy.sha256_file(media / "documents/2017/cv-12.pdf")
    }
    assert "keys" not in manifest

    org_services.do_create_organization(
        None, kind=Organization.Kind.YOUTH, name="Đoàn thanh niên mới", unit=world.town
    )
    (media / "documents" / "2017" / "cv-12.pdf").unlink()
    assert dbcopy.table_summary() != before
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", input=str(tmp_path / "b"))

    call_command("restore", input=str(tmp_path / "b"), force=True)
    assert dbcopy.table_summary() == before
    assert verify_chain() is None
    assert not Organization.objects.filter(name="Đoàn thanh niên mới").exists()
    assert (media / "documents" / "2017" / "cv-12.pdf").read_bytes() == b"%PDF-1.4 minutes\n"


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(world: Any, media: Path, tmp_path: Path) -> None:
    call_command("backup", output=str(tmp_path / "b"))
    dump = tmp_path / "b" / json.loads((tmp_path / "b" / "manifest.json").read_text())["database"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", input=str(tmp_path / "b"), force=True)
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=str(tmp_path / "b"))


@pytest.mark.django_db(transaction=True)
def test_field_keys_only_when_asked_and_sealed(
    world: Any, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.fernet import Fernet

    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    monkeypatch.setenv("KHOI_FIELD_KEYS", keys)
    monkeypatch.setenv("KHOI_BACKUP_PASSPHRASE", PASSPHRASE)
    call_command("backup", output=str(tmp_path / "b"), with_keys=True)
    sealed = (tmp_path / "b" / "field-keys.json").read_text()
    assert keys.split(",")[0] not in sealed
    assert (tmp_path / "b" / "field-keys.json").stat().st_mode & 0o777 == 0o600

    call_command("restore", input=str(tmp_path / "b"), force=True, keys_to=str(tmp_path / "k"))
    assert (tmp_path / "k").read_text() == f"KHOI_FIELD_KEYS={keys}\n"
    monkeypatch.setenv("KHOI_BACKUP_PASSPHRASE", "the wrong passphrase")
    with pytest.raises(CommandError, match="Wrong passphrase"):
        call_command("restore", input=str(tmp_path / "b"), force=True, keys_to=str(tmp_path / "x"))
    monkeypatch.setenv("KHOI_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="at least 12"):
        call_command("backup", output=str(tmp_path / "c"), with_keys=True)


PSQL = "/usr/bin/psql"
POSTGRES = os.environ.get("KHOI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parents[3]
SUMMARY = (
    "import json; from khoi.ops.dbcopy import table_summary; print(json.dumps(table_summary()))"
)


@pytest.fixture
def new_postgres() -> Iterator[str]:
    name = f"test_khoi_move_{os.getpid()}"
    subprocess.run([PSQL, POSTGRES, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run([PSQL, POSTGRES, "-qc", f"CREATE DATABASE {name}"], check=True)
    yield urllib.parse.urlsplit(POSTGRES)._replace(path="/" + name).geturl()
    subprocess.run(
        [PSQL, POSTGRES, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True
    )


def manage(url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
    env.update(KHOI_DATABASE_URL=url, KHOI_VAR_DIR=str(tmp), KHOI_TASKS_IMMEDIATE="1")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_sqlite_town_moves_to_postgresql_with_everything(
    new_postgres: str, tmp_path: Path
) -> None:
    """The demo town on an SQLite file, moved by the command as an operator would run it."""
    town = f"sqlite:///{tmp_path / 'town.sqlite3'}"
    assert manage(town, tmp_path, "migrate", "-v0").returncode == 0
    assert manage(town, tmp_path, "load_demo").returncode == 0
    moved = manage(town, tmp_path, "move_database", "--to", new_postgres)
    assert moved.returncode == 0, moved.stderr
    assert "every table matches and the audit chain holds" in moved.stdout

    source = json.loads(manage(town, tmp_path, "shell", "-v0", "-c", SUMMARY).stdout)
    target = json.loads(manage(new_postgres, tmp_path, "shell", "-v0", "-c", SUMMARY).stdout)
    assert source == target
    assert source["audit_auditentry"]["rows"] > 10 and source["petitions_petition"]["rows"] > 0
    verified = manage(new_postgres, tmp_path, "audit_verify")
    assert verified.returncode == 0, verified.stderr
    # the sequences continue after the copied rows
    for table in ("org_organization", "audit_auditentry", "petitions_petition"):
        ahead = subprocess.run(
            [PSQL, new_postgres, "-Atc",
             f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) > MAX(id) FROM {table}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert ahead.stdout.strip() == "t", table
    again = manage(town, tmp_path, "move_database", "--to", new_postgres)
    assert again.returncode != 0 and "already holds data" in again.stderr
