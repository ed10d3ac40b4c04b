"""Every systemd unit in deploy/systemd is read: each timer starts a service of its own,
the services run from the documented install paths (/opt/khoi, /etc/khoi/khoi.env), every
``manage.py`` command they name exists and accepts the options given, every batch job they
enqueue is registered, the README enables every timer, and ``systemd-analyze verify``
accepts the files (with the install paths pointed at this checkout)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.test.utils import override_settings

ROOT = Path(settings.BASE_DIR)
UNITS = ROOT / "deploy" / "systemd"
INSTALL = "/opt/khoi"
PYTHON = f"{INSTALL}/.venv/bin/python"
PROGRAMS = {PYTHON, f"{INSTALL}/.venv/bin/gunicorn", "/bin/sh", "/bin/kill"}
DB_BACKEND = "django_tasks_db.DatabaseBackend"
EXEC_KEYS = ("ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload", "ExecStop")


def parse(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections and keys (a key may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        assert current is not None, f"{path.name}: a setting outside any section"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def units(suffix: str) -> dict[str, dict[str, dict[str, list[str]]]]:
    return {p.name: parse(p) for p in sorted(UNITS.glob(f"*{suffix}"))}


def test_the_unit_files_are_there() -> None:
    names = {p.name for p in UNITS.iterdir()}
    for needed in ("khoi-web.service", "khoi-worker.service", "khoi-backup.timer",
                   "khoi-overlap-scan.timer", "khoi-fund-verify.timer",
                   "khoi-campaign-totals.timer", "khoi-requeue-stale.timer"):  # fmt: skip
        assert needed in names
    assert all(n.endswith((".service", ".timer")) for n in names), names


def test_every_timer_has_its_service_and_every_job_its_timer() -> None:
    services, timers = units(".service"), units(".timer")
    for name, unit in timers.items():
        target = unit["Timer"].get("Unit", [name.removesuffix(".timer") + ".service"])[0]
        assert target in services, f"{name} starts {target}, which deploy/systemd lacks"
        assert unit["Install"]["WantedBy"] == ["timers.target"], name
        assert {"OnCalendar", "OnUnitActiveSec"} & unit["Timer"].keys(), name
    for name, unit in services.items():
        if unit["Service"].get("Type") == ["oneshot"] and not name.endswith("@.service"):
            assert name.removesuffix(".service") + ".timer" in timers, f"{name} has no timer"
            assert unit["Unit"]["OnFailure"] == ["khoi-alert@%n.service"], name
    assert "khoi-alert@.service" in services


def test_the_services_run_from_the_documented_install_paths() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for documented in (INSTALL, "/etc/khoi/khoi.env", "deploy/systemd"):
        assert documented in readme
    for name, unit in units(".service").items():
        service = unit["Service"]
        if name.endswith("@.service"):
            continue
        assert service["WorkingDirectory"] == [INSTALL], name
        assert service["EnvironmentFile"] == ["/etc/khoi/khoi.env"], name
        assert (service["User"], service["Group"]) == (["khoi"], ["khoi"]), name
        for key in EXEC_KEYS:
            for line in service.get(key, []):
                program = line.lstrip("-@:+!").split()[0]
                assert program in PROGRAMS, f"{name}: {key} runs {program}"
                for path in re.findall(rf"{INSTALL}/[\w./-]+", line):
                    if ".venv/" not in path:
                        assert (ROOT / path.removeprefix(INSTALL + "/")).exists(), path


def manage_calls() -> list[tuple[str, str, list[str] | None]]:
    """(unit, command, arguments) of every manage.py call; arguments None inside sh -c."""
    calls: list[tuple[str, str, list[str] | None]] = []
    for name, unit in units(".service").items():
        for key in EXEC_KEYS:
            for line in unit.get("Service", {}).get(key, []):
                if line.startswith(PYTHON):
                    words = shlex.split(line)
                    assert words[1] == "manage.py", line
                    calls.append((name, words[2], words[3:]))
                else:
                    calls += [(name, c, None) for c in re.findall(r"manage\.py (\w+)", line)]
    return calls


def test_every_manage_command_exists_and_accepts_its_options() -> None:
    from khoi.registry import BATCH_JOBS

    commands = get_commands()
    calls = manage_calls()
    assert {c for _, c, _ in calls} >= {
        "enqueue_batch", "worker", "requeue_stale_tasks", "overlap_national", "fund_verify",
        "backup", "audit_verify",
    }  # fmt: skip
    for unit, command, args in calls:
        assert command in commands, f"{unit}: manage.py {command} does not exist"
        if args is None:
            continue
        parser = load_command_class(commands[command], command).create_parser("manage.py", command)
        with override_settings(TASKS={"default": {"BACKEND": DB_BACKEND}}):  # as deployed
            options = parser.parse_args(args)  # fails the test on an unknown option
        if command == "enqueue_batch":
            assert options.job in BATCH_JOBS, f"{unit}: no batch job {options.job}"


def test_the_readme_enables_every_timer() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in units(".timer"):
        assert name in readme, f"README's step 5 does not enable {name}"


def test_systemd_analyze_verify_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        # a laptop without systemd may skip, visibly; CI (.ci/run sets CI) must verify
        assert not os.environ.get("CI"), "systemd-analyze is absent in CI: install systemd"
        pytest.skip("systemd-analyze is absent (Debian package systemd): units NOT verified")
    python = Path(sys.executable)
    for path in UNITS.iterdir():
        text = path.read_text(encoding="utf-8")
        text = text.replace(PYTHON, str(python))
        text = text.replace(f"{INSTALL}/.venv/bin/", f"{python.parent}/")
        (tmp_path / path.name).write_text(text.replace(INSTALL, str(ROOT)), encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.iterdir() if not p.name.endswith("@.service"))
    done = subprocess.run(
        [analyze, "verify", *files], capture_output=True, text=True, timeout=120, check=False
    )
    problems = [
        line for line in (done.stdout + done.stderr).splitlines()
        if str(tmp_path) in line or "khoi" in line
    ]  # fmt: skip
    assert done.returncode == 0 and not problems, done.stdout + done.stderr
