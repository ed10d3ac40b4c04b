"""Faults a real server sees: a database that is down, restarting or too slow, and a full
disk. The answer is a clear 503/507, never a crash page, and nothing is half saved.
(A database restarted under load is checked on the real stack by `make prod-check`.)"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection

from khoi.ops import storage as storage_module
from khoi.ops.storage import AtomicFileSystemStorage


@pytest.mark.django_db
def test_a_slow_query_is_stopped_by_the_database() -> None:
    """PostgreSQL: every connection has the statement timeout and a query over it fails;
    SQLite has no statement timeout: a locked database waits busy_timeout, then fails."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            options = connection.settings_dict["OPTIONS"]
            assert options["connect_timeout"] == settings.KHOI_DB_CONNECT_TIMEOUT == 5
            cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
            assert int(cursor.fetchone()[0]) == settings.KHOI_STATEMENT_TIMEOUT_MS
            cursor.execute("SAVEPOINT slow")
            cursor.execute("SET LOCAL statement_timeout = 50")
            with pytest.raises(OperationalError, match="statement timeout"):
                cursor.execute("SELECT pg_sleep(2)")
            cursor.execute("ROLLBACK TO SAVEPOINT slow")
        else:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 5000


@pytest.mark.django_db
def test_a_database_error_in_a_page_is_a_503_not_a_crash(
    as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khoi import views as home_views

    def lost(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(home_views, "render", lost)
    client = as_user("staff")
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Không có gì được lưu" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status"),
    [(OperationalError("connection refused"), 503), (ValueError("a bug"), 500)],
)
def test_a_database_error_before_the_view_is_a_503_not_a_crash(
    as_user: Any, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int
) -> None:
    """The database down while a middleware loads the session (as during a restart): no view
    runs, so handler500 answers the same 503 page; any other error stays a 500."""
    from importlib import import_module

    client = as_user("staff")
    client.raise_request_exception = False
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def lost(self: Any) -> Any:
        raise error

    monkeypatch.setattr(store, "load", lost)
    response = client.get("/")
    assert response.status_code == status
    if status == 503:
        assert response["Retry-After"] == "5"
        assert "Không có gì được lưu" in response.content.decode()


class FillsTheDisk(ContentFile):
    def chunks(self, chunk_size: int | None = None) -> Any:
        yield b"x" * 1000
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_leaves_no_partial_file(tmp_path: Path) -> None:
    storage = AtomicFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError, match="No space left"):
        storage.save("documents/a.pdf", FillsTheDisk(b""))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    first = storage.save("documents/a.pdf", ContentFile(b"one"))
    second = storage.save("documents/a.pdf", ContentFile(b"two"))
    assert first == "documents/a.pdf" and second != first
    assert (tmp_path / first).read_bytes() == b"one"
    assert (tmp_path / second).read_bytes() == b"two"
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.django_db
def test_a_full_disk_during_an_upload_saves_nothing(
    world: Any, as_user: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.storage import default_storage

    from khoi.documents.models import Attachment
    from khoi.documents.tests.factories import incoming

    document = incoming(world)
    disk = AtomicFileSystemStorage(location=tmp_path)
    monkeypatch.setattr(default_storage, "_wrapped", disk)
    monkeypatch.setattr(Attachment.file.field, "storage", disk)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_module.os, "fsync", full)
    client = as_user("staff")
    client.raise_request_exception = False
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n" + b"0" * 2000)
    response = client.post(f"/documents/{document.pk}/attach/", {"file": upload})
    assert response.status_code == 507
    assert "Ổ đĩa của máy chủ đã đầy" in response.content.decode()
    assert Attachment.objects.filter(document=document).count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_a_full_disk_during_a_report_export_is_a_clear_507_and_leaves_no_file(
    world: Any, as_user: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF of a report is made in a temporary folder: a full disk there answers the
    Vietnamese "disk full" page (507) and the folder is removed with what was written."""
    import tempfile

    from khoi.documents import reports
    from khoi.documents import services as documents

    report = documents.do_prepare_report(world.users["staff"], world.office, "2017-10")
    monkeypatch.setattr(reports, "pdf_unavailable", lambda: "")
    monkeypatch.setattr(reports, "soffice_path", lambda: "/bin/true")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    original = Path.write_bytes

    def full(self: Path, data: Any) -> int:
        original(self, data[: len(data) // 2])  # half written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    client = as_user("staff")
    client.raise_request_exception = False
    response = client.get(f"/documents/reports/{report.pk}/download.pdf")
    assert response.status_code == 507
    assert "Ổ đĩa của máy chủ đã đầy" in response.content.decode()
    assert list(tmp_path.iterdir()) == []
