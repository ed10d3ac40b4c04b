"""`make audit` (deploy/check/audit.py): an unreachable advisory service is "AUDIT NOT DONE",
green by default and a failure with KHOI_AUDIT_REQUIRED=1 (issue #14, finding 13)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "khoi_audit_script", ROOT / "deploy/check/audit.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dep(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "version": "1.0", "vulns": [], **extra}


OFFLINE = {"stdout": "", "stderr": "ConnectionError: cannot reach the service"}
SKIPPED = {"stdout": json.dumps({"dependencies": [dep("django", skip_reason="offline")]})}
CLEAN = {"stdout": json.dumps({"dependencies": [dep("django")]})}
VULNERABLE = {
    "stdout": json.dumps(
        {"dependencies": [dep("django", vulns=[{"id": "PYSEC-1", "fix_versions": ["9.9"]}])]}
    )
}


@pytest.mark.parametrize(
    ("answer", "required", "code", "not_done"),
    [
        (OFFLINE, "", 0, True),
        (OFFLINE, "1", 1, True),
        (SKIPPED, "", 0, True),
        (SKIPPED, "yes", 1, True),
        (CLEAN, "1", 0, False),
        (VULNERABLE, "", 1, False),
    ],
)
def test_the_exit_status(
    answer: dict[str, str], required: str, code: int, not_done: bool,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:  # fmt: skip
    audit = load()
    auditor = tmp_path / "pip-audit"
    auditor.touch()
    monkeypatch.setattr(audit, "AUDITOR", auditor)
    monkeypatch.setenv("KHOI_AUDIT_REQUIRED", required)

    def fake_run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 0, answer["stdout"], answer.get("stderr", ""))

    monkeypatch.setattr(audit.subprocess, "run", fake_run)
    assert audit.main() == code
    assert ("AUDIT NOT DONE" in capsys.readouterr().out) is not_done


@pytest.mark.parametrize(("required", "code"), [("", 0), ("1", 1)])
def test_an_auditor_that_could_not_be_installed(
    required: str, code: int, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:  # fmt: skip
    audit = load()
    monkeypatch.setattr(audit, "AUDITOR", tmp_path / "missing")
    monkeypatch.setenv("KHOI_AUDIT_REQUIRED", required)
    assert audit.main() == code
    assert "AUDIT NOT DONE" in capsys.readouterr().out
