"""The 30 s statement timeout guards web requests only (gunicorn through khoi/wsgi.py or
khoi/asgi.py, `manage.py runserver`); every other management command (migrate, backup,
restore and its checks, fund_verify, generate_scale, the task worker) runs without it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OPTIONS = (
    "from django.conf import settings; "
    "print(repr(settings.DATABASES['default']['OPTIONS'].get('options')))"
)


def run(args: list[str], **extra: str) -> str:
    """Runs Python in a fresh process with a PostgreSQL URL (settings only: never connected)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
    env.update(KHOI_DATABASE_URL="postgres://khoi@127.0.0.1:1/khoi_never_connected", **extra)
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_management_commands_run_without_the_statement_timeout() -> None:
    assert run(["manage.py", "shell", "-v0", "-c", OPTIONS]) == "None"
    # a command started from inside a web process is still a command
    assert run(["manage.py", "shell", "-v0", "-c", OPTIONS], KHOI_PROCESS="web") == "None"


def test_web_entry_points_keep_the_statement_timeout() -> None:
    for module in ("khoi.wsgi", "khoi.asgi"):
        # even when started by a command (a check that launches gunicorn)
        out = run(["-c", f"import {module}; {OPTIONS}"], KHOI_PROCESS="command")
        assert out == "'-c statement_timeout=30000'", module
    limited = run(["-c", f"import khoi.wsgi; {OPTIONS}"], KHOI_STATEMENT_TIMEOUT_MS="5000")
    assert limited == "'-c statement_timeout=5000'"


def test_manage_py_marks_runserver_as_web_and_everything_else_as_a_command() -> None:
    spec = importlib.util.spec_from_file_location("khoi_manage", ROOT / "manage.py")
    assert spec is not None and spec.loader is not None
    manage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(manage)
    assert manage.process_kind(["manage.py", "runserver", "0:8000"]) == "web"
    for command in ("migrate", "backup", "restore", "fund_verify", "generate_scale", "db_worker"):
        assert manage.process_kind(["manage.py", command]) == "command"
    assert manage.process_kind(["manage.py"]) == "command"
