from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_the_deployment_check(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KHOI_DEBUG": "0",
        "KHOI_SECRET_KEY": "x" * 30 + "-production-secret-for-the-check-" + "y" * 20,
        "KHOI_ALLOWED_HOSTS": "khoi.example.vn",
        "KHOI_VAR_DIR": str(tmp_path),
        # required with KHOI_DEBUG=0 (khoi/ops/tests/test_production_secrets.py)
        "KHOI_FIELD_KEYS": "bBMWVZWz_rGJJKB7fHmoY0XGtGNh8yHsTrJsNl5V1s8=",
        "KHOI_AUDIT_KEY": "an-audit-key-for-the-deployment-check-" + "z" * 20,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**os.environ, "KHOI_DEBUG": "0", "KHOI_VAR_DIR": str(tmp_path)}
    env.pop("KHOI_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "KHOI_SECRET_KEY" in result.stderr
