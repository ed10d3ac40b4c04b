"""With KHOI_DEBUG=0 the server refuses to start without real field keys and audit key
(issue #14, findings 6 and 17): ``check --deploy`` names them, every ``manage.py`` command
stops, and the WSGI application does not load."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test.utils import override_settings

from khoi.audit.models import chain_key, legacy_chain_key
from khoi.ops import checks

ROOT = Path(__file__).resolve().parents[3]
# a fixed, valid Fernet key (32 bytes, URL-safe base64): the same in every xdist worker, whose
# test ids must agree
KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
AUDIT = "a-real-audit-key-" + "z" * 40


def production_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHOI_")}
    env.update(
        KHOI_DEBUG="0",
        KHOI_SECRET_KEY="x" * 30 + "-production-secret-for-the-check-" + "y" * 20,
        KHOI_ALLOWED_HOSTS="khoi.example.vn",
        KHOI_VAR_DIR=str(tmp_path),
        KHOI_FIELD_KEYS=KEY,
        KHOI_AUDIT_KEY=AUDIT,
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "not set"),
        ("change-me", "placeholder"),
        ("<a Fernet key>", "placeholder"),
        ("not-a-key", "not a Fernet key"),
        (f"{KEY},short", "key 2 is not a Fernet key"),
    ],
)
def test_field_keys_that_are_no_keys_are_named(raw: str, problem: str) -> None:
    assert any(problem in p for p in checks.field_key_problems(raw))


def test_real_field_keys_pass() -> None:
    assert checks.field_key_problems(f"{KEY}, {Fernet.generate_key().decode()}") == []


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "not set"),
        ("change-me-to-a-long-random-string-of-fifty-characters", "placeholder"),
        ("too-short", "shorter"),
        ("hex:zz", "not hexadecimal"),
        ("hex:abcd", "too short"),
    ],
)
def test_audit_keys_that_are_no_keys_are_named(raw: str, problem: str) -> None:
    assert any(problem in p for p in checks.audit_key_problems(raw))


def test_the_check_runs_only_where_the_keys_are_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHOI_FIELD_KEYS", "change-me")
    with override_settings(KHOI_FIELD_KEYS_REQUIRED=False, KHOI_AUDIT_KEY_REQUIRED=False):
        assert checks.check_production_secrets() == []
    with override_settings(
        KHOI_FIELD_KEYS_REQUIRED=True, KHOI_AUDIT_KEY_REQUIRED=True, KHOI_AUDIT_KEY=""
    ):
        ids = sorted(str(e.id) for e in checks.check_production_secrets())
        assert ids == ["khoi.E001", "khoi.E002"]
        with pytest.raises(ImproperlyConfigured, match=r"KHOI_FIELD_KEYS.*KHOI_AUDIT_KEY"):
            checks.refuse_to_start_without_secrets()


def test_the_audit_chain_wants_its_own_key_in_production() -> None:
    with override_settings(KHOI_AUDIT_KEY_REQUIRED=True, KHOI_AUDIT_KEY=""):
        with pytest.raises(ImproperlyConfigured, match="KHOI_AUDIT_KEY"):
            chain_key()
        legacy = legacy_chain_key()
    # a deployment that ran without KHOI_AUDIT_KEY keeps its chain with the printed value
    derived = chain_key()  # development: derived from SECRET_KEY
    with override_settings(KHOI_AUDIT_KEY_REQUIRED=True, KHOI_AUDIT_KEY=legacy):
        assert chain_key() == derived
        assert checks.audit_key_problems(legacy) == []


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"KHOI_FIELD_KEYS": None}, "KHOI_FIELD_KEYS is not set"),
        ({"KHOI_FIELD_KEYS": "change-me"}, "KHOI_FIELD_KEYS key 1 is the example's placeholder"),
        ({"KHOI_FIELD_KEYS": "bm90IGEga2V5"}, "KHOI_FIELD_KEYS key 1 is not a Fernet key"),
        ({"KHOI_AUDIT_KEY": None}, "KHOI_AUDIT_KEY is not set"),
        ({"KHOI_AUDIT_KEY": "change-me"}, "KHOI_AUDIT_KEY is the example's placeholder"),
        ({"KHOI_SECRET_KEY": "change-me"}, "KHOI_SECRET_KEY is the example's placeholder"),
    ],
)
def test_check_deploy_reports_a_missing_or_wrong_key(
    changes: dict[str, str | None], named: str, tmp_path: Path
) -> None:
    result = run(
        [sys.executable, "manage.py", "check", "--deploy"], production_env(tmp_path, **changes)
    )
    assert result.returncode != 0
    assert named in result.stderr
    assert "khoi.E00" in result.stderr


def test_the_web_server_refuses_to_start_without_the_keys(tmp_path: Path) -> None:
    env = {**production_env(tmp_path, KHOI_FIELD_KEYS="change-me"), "PYTHONPATH": str(ROOT)}
    result = run([sys.executable, "-c", "import khoi.wsgi"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "KHOI_FIELD_KEYS" in result.stderr
    result = run([sys.executable, "-c", "import khoi.wsgi"], {**production_env(tmp_path),
                                                              "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_a_forwarded_allow_list_that_is_no_address_is_named() -> None:
    with override_settings(KHOI_FORWARDED_ALLOW_IPS=["127.0.0.1", "nginx"]):
        assert [str(e.id) for e in checks.check_production_secrets()] == ["khoi.E004"]
    with override_settings(KHOI_FORWARDED_ALLOW_IPS=["127.0.0.1", "10.0.0.0/24", "::1"]):
        assert checks.check_production_secrets() == []
