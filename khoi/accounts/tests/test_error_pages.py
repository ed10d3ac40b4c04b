"""Error pages in Vietnamese, and `make run`'s demo mode: debug off, secrets kept in var/,
static files served, production still strict."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from khoi.urls import urlpatterns as khoi_urls

ROOT = Path(__file__).resolve().parents[3]


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("test-boom/", _boom), path("test-refused/", _refused), path("test-bad/", _bad),
    *khoi_urls,
]  # fmt: skip


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_error_pages_are_vietnamese(world, as_user) -> None:
    client = as_user("staff")
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Không tìm thấy trang" in missing.content.decode()
    refused = client.get("/test-refused/")
    assert refused.status_code == 403
    assert "Không được phép" in refused.content.decode()
    bad = client.get("/test-bad/")
    assert bad.status_code == 400
    assert "Yêu cầu không hợp lệ" in bad.content.decode()
    crashing = Client(raise_request_exception=False)
    crashing.force_login(world.users["staff"])
    failed = crashing.get("/test-boom/")
    assert failed.status_code == 500
    assert "Đã có lỗi" in failed.content.decode()
    assert "Traceback" not in failed.content.decode()


@pytest.mark.django_db
def test_a_refused_form_explains_itself_in_vietnamese() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()


def _demo_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
    env.update(
        KHOI_DEMO="1", KHOI_DEBUG="0", KHOI_VAR_DIR=str(tmp_path),
        KHOI_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )  # fmt: skip
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_runs_without_debug_and_without_configured_secrets(tmp_path: Path) -> None:
    env = _demo_env(tmp_path)
    run = [sys.executable, "manage.py"]
    collected = subprocess.run(
        [*run, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    secret = (tmp_path / "demo-secret-key").read_text()
    assert len(secret) > 40
    port = _free_port()
    server = subprocess.Popen(
        [*run, "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # up to a minute for the server to start on a busy machine
            try:
                urllib.request.urlopen(base + "/static/css/khoi.css", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        css = urllib.request.urlopen(base + "/static/css/khoi.css", timeout=5)  # noqa: S310
        assert css.status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "/no-such-page/", timeout=5)  # noqa: S310
        page = missing.value.read().decode()
        assert missing.value.code == 404
        assert "Không tìm thấy trang" in page
        assert "URLconf" not in page and "DEBUG = True" not in page
    finally:
        server.terminate()
        server.wait(timeout=10)
    # the secret is kept: a second start uses the same one
    subprocess.run([*run, "check"], cwd=ROOT, env=env, capture_output=True, check=True)
    assert (tmp_path / "demo-secret-key").read_text() == secret


def test_production_without_demo_still_requires_its_secrets(tmp_path: Path) -> None:
    env = _demo_env(tmp_path)
    env.pop("KHOI_DEMO")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "KHOI_SECRET_KEY" in result.stderr
    assert not (tmp_path / "demo-secret-key").exists()
