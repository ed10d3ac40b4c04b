"""The operator's commands on bad input: backup into a non-empty or unwritable directory or
failing midway, restore of a missing or damaged backup or into a database with data,
move_database to an unreachable server or a bad address, generate_scale without communes.
Each answers in Vietnamese, exits with status 1 and leaves nothing partial."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoi.ops import dbcopy
from khoi.org.models import Organization

ROOT = Path(__file__).resolve().parents[3]


def _backup(tmp_path: Path) -> Path:
    call_command("backup", output=str(tmp_path / "b"))
    return tmp_path / "b"


def _partials(where: Path) -> list[str]:
    return [p.name for p in where.iterdir() if ".partial-" in p.name]


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_a_non_empty_directory_and_leaves_it_alone(
    world: Any, tmp_path: Path
) -> None:
    out = tmp_path / "old"
    out.mkdir()
    (out / "notes.txt").write_text("the operator's file")
    with pytest.raises(CommandError, match="không trống"):
        call_command("backup", output=str(out))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    # an empty existing directory is fine
    (tmp_path / "empty").mkdir()
    call_command("backup", output=str(tmp_path / "empty"))
    assert (tmp_path / "empty" / "manifest.json").exists()
    assert _partials(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_backup_into_a_place_it_cannot_write(world: Any, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(CommandError, match="Không ghi được bản sao lưu"):
        call_command("backup", output=str(tmp_path / "a-file" / "b"))
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(CommandError, match="Không ghi được bản sao lưu"):
            call_command("backup", output=str(locked / "b"))


@pytest.mark.django_db(transaction=True)
def test_a_backup_that_fails_midway_leaves_no_directory(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: Path, target: Path) -> dict[str, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dbcopy, "copy_tree", disk_full)  # after the dump was written
    with pytest.raises(CommandError, match="không để lại tệp nào"):
        call_command("backup", output=str(tmp_path / "b"))
    assert not (tmp_path / "b").exists()
    assert _partials(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_restore_of_a_missing_or_damaged_backup_changes_nothing(world: Any, tmp_path: Path) -> None:
    good = _backup(tmp_path)
    held = Organization.objects.count()
    with pytest.raises(CommandError, match="không phải là thư mục sao lưu"):
        call_command("restore", input=str(tmp_path / "missing"), force=True)

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.json").write_text("{not json")
    with pytest.raises(CommandError, match=r"không có tệp manifest\.json đọc được"):
        call_command("restore", input=str(bad), force=True)
    (bad / "manifest.json").write_text(json.dumps({"engine": dbcopy.engine(_conn())}))
    with pytest.raises(CommandError, match=r"bị hỏng \(database, database_sha256, media"):
        call_command("restore", input=str(bad), force=True)

    # a manifest without its dump, then without one of its media files
    manifest = json.loads((good / "manifest.json").read_text())
    (good / manifest["database"]).rename(tmp_path / "dump.aside")
    with pytest.raises(CommandError, match="không đầy đủ"):
        call_command("restore", input=str(good), force=True)
    (tmp_path / "dump.aside").rename(good / manifest["database"])
    manifest["media"] = {"documents/missing.pdf": "0" * 64}
    (good / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="không đầy đủ"):
        call_command("restore", input=str(good), force=True)
    assert Organization.objects.count() == held


def _conn() -> Any:
    from django.db import connection

    return connection


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "KHOI_TASKS_IMMEDIATE": "1", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_the_commands_exit_with_status_1_and_a_vietnamese_message(tmp_path: Path) -> None:
    """As an operator runs them: status 1, one Vietnamese line, no traceback, no password."""
    env = {
        "KHOI_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "KHOI_VAR_DIR": str(tmp_path),
    }
    missing = manage("restore", "--input", str(tmp_path / "nothing"), **env)
    assert missing.returncode == 1
    assert "không phải là thư mục sao lưu" in missing.stderr
    assert "Traceback" not in missing.stderr

    moved = manage("move_database", "--to", "postgres://khoi:s3cret@127.0.0.1:1/khoi", **env)
    assert moved.returncode == 1, moved.stderr
    assert "Không kết nối được cơ sở dữ liệu đích" in moved.stderr
    assert "s3cret" not in moved.stderr and "Traceback" not in moved.stderr

    wrong = manage("move_database", "--to", "mysql://root@localhost/khoi", **env)
    assert wrong.returncode == 1 and "không phải là địa chỉ cơ sở dữ liệu" in wrong.stderr

    none = manage("generate_scale", "--communes", "0", **env)
    assert none.returncode == 1 and "ít nhất 1" in none.stderr
