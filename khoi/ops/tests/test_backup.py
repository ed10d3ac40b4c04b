"""backup → restore gives an identical database (rows and checksums per table, audit chain,
fund ledgers), even when the application writes while the backup runs; restore refuses a
database with data unless --force, and a damaged backup always, leaving the database as it
was; move_database copies everything into a new PostgreSQL database."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test.utils import override_settings

from khoi.audit.services import verify_chain
from khoi.ops import dbcopy
from khoi.org import services as org_services
from khoi.org.models import Organization

PASSPHRASE = "a long enough passphrase"
D = dt.date(2017, 10, 20)


def post_ledger(world: Any) -> Any:
    """A commune fund with receipts, an expenditure and a reversal (hash-chained entries)."""
    from khoi.fund import services as fund
    from khoi.fund.models import Entry, Fund

    f = fund.do_create_fund(
        None, name="Quỹ Vì người nghèo phường Hà An", unit=world.commune,
        level=Fund.Level.COMMUNE, office=world.office,
    )  # fmt: skip
    fund.do_add_accountant(None, f, world.users["staff"])
    for amount, name in [(2_000_000, "Nguyễn Văn An"), (500_000, "Trần Thị Bình")]:
        fund.do_post_receipt(None, f, amount=amount, date=D, donor_kind="person", donor_name=name)
    spent = fund.do_post_expenditure(
        None, f, amount=700_000, date=D, purpose=Entry.Purpose.LIVELIHOOD,
        beneficiary="Hộ ông Phạm Văn Dũng",
    )  # fmt: skip
    fund.do_reverse_entry(None, spent, date=D, reason="Chi nhầm hộ")
    assert set(Entry.objects.values_list("kind", flat=True)) == {
        Entry.Kind.RECEIPT, Entry.Kind.EXPENDITURE, Entry.Kind.REVERSAL,
    }  # fmt: skip
    return f


def alter_an_entry(alias: str = "default") -> None:
    """Changes a posted amount behind the application's back (the append-only trigger
    switched off for the statement and back on), as someone with database access could."""
    triggers = importlib.import_module("khoi.fund.migrations.0002_append_only_triggers")
    db = connections[alias]
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            for sql in triggers.SQLITE_DOWN:
                cursor.execute(sql)
            cursor.execute("UPDATE fund_entry SET amount = amount + 1 WHERE seq = 2")
            for sql in triggers.SQLITE_UP:
                cursor.execute(sql)
        else:
            cursor.execute("ALTER TABLE fund_entry DISABLE TRIGGER fund_entry_append_only")
            cursor.execute("UPDATE fund_entry SET amount = amount + 1 WHERE seq = 2")
            cursor.execute("ALTER TABLE fund_entry ENABLE TRIGGER fund_entry_append_only")


def in_another_connection(work: Callable[[], Any]) -> None:
    """Runs ``work`` in a thread, i.e. on a connection of its own, committed before return."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


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
    post_ledger(world)
    before = dbcopy.table_summary()
    assert before["audit_auditentry"]["rows"] > 0 and before["fund_entry"]["rows"] == 4
    in_manifest = dbcopy.backup_summary()
    call_command("backup", output=str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["tables"] == in_manifest
    assert {t: v["rows"] for t, v in in_manifest.items()} == {
        t: v["rows"] for t, v in before.items()
    }
    assert manifest["media"] == {
        "documents/2017/cv-12.pdf": dbcopy.sha256_file(media / "documents/2017/cv-12.pdf")
    }
    assert "keys" not in manifest

    org_services.do_create_organization(
        None, kind=Organization.Kind.YOUTH, name="Đoàn thanh niên mới", unit=world.town
    )
    (media / "documents" / "2017" / "cv-12.pdf").unlink()
    assert dbcopy.table_summary() != before
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("restore", input=str(tmp_path / "b"))

    out = io.StringIO()
    call_command("restore", input=str(tmp_path / "b"), force=True, stdout=out)
    assert "chuỗi nhật ký kiểm toán, các sổ quỹ: nguyên vẹn" in out.getvalue()
    assert dbcopy.table_summary() == before
    assert dbcopy.backup_summary() == in_manifest
    assert verify_chain() is None
    assert dbcopy.chain_problems() == []
    call_command("fund_verify", stdout=io.StringIO())
    assert not Organization.objects.filter(name="Đoàn thanh niên mới").exists()
    assert (media / "documents" / "2017" / "cv-12.pdf").read_bytes() == b"%PDF-1.4 minutes\n"

    # the check of the copy fails once a ledger entry of the copy is altered
    alter_an_entry()
    assert [p for p in dbcopy.chain_problems() if "Sổ quỹ bị can thiệp" in p]


@pytest.mark.django_db(transaction=True)
def test_writes_while_the_backup_runs_are_in_neither_the_dump_nor_its_manifest(
    world: Any, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sessions change every minute and people keep working during the nightly backup: the
    manifest describes exactly the rows of the dump, so the restore's check passes. The
    writes are committed by other connections after the backup's snapshot (PostgreSQL: while
    pg_dump runs; SQLite: after the online backup, before the file is summarised), just
    before the summary reads: it must not see them."""
    from khoi.fund import services as fund

    ledger = post_ledger(world)
    before = dbcopy.backup_summary()
    real_summaries = {"table_summary": dbcopy.table_summary, "pg_summary": dbcopy.pg_summary}
    keys: list[str] = []

    def write_meanwhile() -> None:
        store = SessionStore()
        store["note"] = "written during the backup"
        store.create()
        keys.append(str(store.session_key))
        org_services.do_create_organization(
            None, kind=Organization.Kind.YOUTH, name="Chi đoàn lập giữa chừng", unit=world.town
        )  # an audited write: a new audit entry and a new head of the chain
        fund.do_post_receipt(
            None, ledger, amount=300_000, date=D, donor_kind="person", donor_name="Lê Văn Cường"
        )  # a new ledger entry and a new head of the fund's chain

    def after_writes(name: str) -> Callable[[str], Any]:
        def summary(alias: str = "default") -> Any:
            in_another_connection(write_meanwhile)
            return real_summaries[name](alias)

        return summary

    for name in real_summaries:  # the dump summarises with one of them, per engine
        monkeypatch.setattr(dbcopy, name, after_writes(name))
    call_command("backup", output=str(tmp_path / "b"))
    monkeypatch.undo()

    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["tables"] == before  # none of the writes: they came after the snapshot
    assert Session.objects.filter(session_key=keys[0]).exists()
    assert dbcopy.backup_summary()["fund_entry"]["rows"] == before["fund_entry"]["rows"] + 1

    call_command("restore", input=str(tmp_path / "b"), force=True, stdout=io.StringIO())
    assert dbcopy.backup_summary() == before
    assert not Session.objects.filter(session_key=keys[0]).exists()
    assert not Organization.objects.filter(name="Chi đoàn lập giữa chừng").exists()
    assert dbcopy.chain_problems() == []


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_sessions_are_written_restores_and_verifies(
    world: Any, media: Path, tmp_path: Path
) -> None:
    """A second connection keeps writing sessions during the whole backup."""
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            store = SessionStore()
            store["n"] = len(written)
            store.create()
            written.append(1)

    errors: list[BaseException] = []

    def run() -> None:
        try:
            keep_writing()
        except BaseException as exc:  # re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    writer = threading.Thread(target=run)
    writer.start()
    try:
        while not written and writer.is_alive():
            threading.Event().wait(0.01)
        call_command("backup", output=str(tmp_path / "b"))
        during = len(written)
    finally:
        stop.set()
        writer.join()
    assert not errors, errors
    assert during > 0
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    out = io.StringIO()
    call_command("restore", input=str(tmp_path / "b"), force=True, stdout=out)
    assert "mọi bảng khớp" in out.getvalue()
    assert dbcopy.backup_summary() == manifest["tables"]
    assert 0 < manifest["tables"]["django_session"]["rows"] < len(written)


def _rewrite_manifest(backup: Path, **changes: Any) -> None:
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest.update(changes)
    manifest["database_sha256"] = dbcopy.sha256_file(backup / manifest["database"])
    (backup / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_leaves_the_database_as_it_was(
    world: Any, media: Path, tmp_path: Path
) -> None:
    """A dump that cannot be loaded (cut short, yet matching a manifest rewritten for it):
    the restore says so and exits with an error, and the database keeps all it held."""
    post_ledger(world)
    call_command("backup", output=str(tmp_path / "b"))
    org_services.do_create_organization(
        None, kind=Organization.Kind.YOUTH, name="Chi đoàn sau sao lưu", unit=world.town
    )
    held = dbcopy.table_summary()
    dump = tmp_path / "b" / json.loads((tmp_path / "b" / "manifest.json").read_text())["database"]
    data = dump.read_bytes()
    dump.write_bytes(data[: len(data) * 2 // 3])
    _rewrite_manifest(tmp_path / "b")

    with pytest.raises(CommandError, match=r"giữ nguyên như trước|không bị thay đổi"):
        call_command("restore", input=str(tmp_path / "b"), force=True)
    connection.close()  # a new connection sees what was committed, if anything
    assert dbcopy.table_summary() == held
    assert Organization.objects.filter(name="Chi đoàn sau sao lưu").exists()
    assert dbcopy.chain_problems() == []


@pytest.mark.django_db(transaction=True)
def test_a_dump_whose_data_disagrees_with_its_manifest_leaves_the_database_as_it_was(
    world: Any, media: Path, tmp_path: Path
) -> None:
    """The dump loads, but one table's rows are not those of the manifest: the comparison
    fails before anything is committed (SQLite: on the backup file; PostgreSQL: inside the
    load's transaction), so the database keeps all it held."""
    post_ledger(world)
    call_command("backup", output=str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    org_services.do_create_organization(
        None, kind=Organization.Kind.YOUTH, name="Chi đoàn sau sao lưu", unit=world.town
    )
    held = dbcopy.table_summary()
    tables = manifest["tables"]
    tables["org_organization"]["rows"] += 1  # one row more than the dump holds
    first = next(k for k in tables["fund_entry"] if k != "rows")
    tables["fund_entry"][first] = "0" * len(tables["fund_entry"][first])  # other data
    _rewrite_manifest(tmp_path / "b", tables=tables)

    with pytest.raises(CommandError, match=r"org_organization") as failed:
        call_command("restore", input=str(tmp_path / "b"), force=True)
    assert "fund_entry" in str(failed.value)
    assert re.search(r"giữ nguyên như trước|không bị thay đổi", str(failed.value))
    connection.close()  # a new connection sees what was committed, if anything
    assert dbcopy.table_summary() == held
    assert Organization.objects.filter(name="Chi đoàn sau sao lưu").exists()
    assert dbcopy.chain_problems() == []


@pytest.mark.django_db(transaction=True)
def test_a_restore_checks_the_fund_ledgers(world: Any, media: Path, tmp_path: Path) -> None:
    """A backup whose ledger was altered (its manifest made to match) fails the restore's
    ledger check. SQLite's backup file is checked before anything is replaced; PostgreSQL's
    dump can only be read by loading it, so there the check runs after the load."""
    post_ledger(world)
    alter_an_entry()
    call_command("backup", output=str(tmp_path / "b"))
    org_services.do_create_organization(
        None, kind=Organization.Kind.YOUTH, name="Chi đoàn sau sao lưu", unit=world.town
    )
    with pytest.raises(CommandError, match=r"Sổ quỹ bị can thiệp: .*#2 .*bị sửa nội dung"):
        call_command("restore", input=str(tmp_path / "b"), force=True)
    kept = Organization.objects.filter(name="Chi đoàn sau sao lưu").exists()
    assert kept == (connection.vendor == "sqlite")


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(world: Any, media: Path, tmp_path: Path) -> None:
    call_command("backup", output=str(tmp_path / "b"))
    dump = tmp_path / "b" / json.loads((tmp_path / "b" / "manifest.json").read_text())["database"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="không khớp với manifest"):
        call_command("restore", input=str(tmp_path / "b"), force=True)
    with pytest.raises(CommandError, match="không trống"):
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
    with pytest.raises(CommandError, match="Sai cụm mật khẩu"):
        call_command("restore", input=str(tmp_path / "b"), force=True, keys_to=str(tmp_path / "x"))
    monkeypatch.setenv("KHOI_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="ít nhất 12"):
        call_command("backup", output=str(tmp_path / "c"), with_keys=True)


PSQL = "/usr/bin/psql"
POSTGRES = os.environ.get("KHOI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parents[3]
SUMMARY = (
    "import json; from khoi.ops.dbcopy import table_summary; print(json.dumps(table_summary()))"
)
REVERSE = (
    "import datetime; from khoi.fund import services; from khoi.fund.models import Entry; "
    "e = Entry.objects.filter(kind='expenditure').order_by('seq').first(); "
    "services.do_reverse_entry(None, e, date=e.date, reason='Chi nhầm'); "
    "print(sorted(set(Entry.objects.values_list('kind', flat=True))))"
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
    kinds = manage(town, tmp_path, "shell", "-v0", "-c", REVERSE)
    assert kinds.stdout.strip() == "['expenditure', 'receipt', 'reversal']", kinds.stderr
    moved = manage(town, tmp_path, "move_database", "--to", new_postgres)
    assert moved.returncode == 0, moved.stderr
    assert "mọi bảng đều khớp" in moved.stdout
    assert "chuỗi nhật ký kiểm toán, các sổ quỹ: nguyên vẹn" in moved.stdout

    source = json.loads(manage(town, tmp_path, "shell", "-v0", "-c", SUMMARY).stdout)
    target = json.loads(manage(new_postgres, tmp_path, "shell", "-v0", "-c", SUMMARY).stdout)
    assert source == target
    assert source["audit_auditentry"]["rows"] > 10 and source["petitions_petition"]["rows"] > 0
    assert source["fund_entry"]["rows"] >= 6
    for check in ("audit_verify", "fund_verify"):
        verified = manage(new_postgres, tmp_path, check)
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
    assert again.returncode != 0 and "đã có dữ liệu" in again.stderr

    # an entry altered in the copy fails the ledger check there
    subprocess.run(
        [PSQL, new_postgres, "-qc",
         "ALTER TABLE fund_entry DISABLE TRIGGER fund_entry_append_only; "
         "UPDATE fund_entry SET amount = amount + 1 WHERE seq = 2; "
         "ALTER TABLE fund_entry ENABLE TRIGGER fund_entry_append_only"],
        check=True,
    )  # fmt: skip
    altered = manage(new_postgres, tmp_path, "fund_verify")
    assert altered.returncode == 1 and "#2" in altered.stderr, altered.stderr
    # a town whose ledger was altered is not moved as if it were sound: the copy matches the
    # source table by table, and the check of the copy's chains names the entry
    with sqlite3.connect(tmp_path / "town.sqlite3") as db:
        db.executescript(
            "DROP TRIGGER fund_entry_no_update;"
            "UPDATE fund_entry SET amount = amount + 1 WHERE seq = 2;"
        )
    refused = manage(town, tmp_path, "move_database", "--to", new_postgres, "--force")
    assert refused.returncode != 0
    assert "Sổ quỹ bị can thiệp" in refused.stderr and "bị sửa nội dung" in refused.stderr
