"""README "Running in production" and deploy/khoi.env.example say what exists (issue #14,
finding 10): the environment file is valid for the shell (step 4 sources it) and lists every
variable the settings read; every path, command, make target and systemd unit the section
names exists; every timer of deploy/systemd is enabled by step 5."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]
BASH = shutil.which("bash") or "/bin/bash"
EXAMPLE = ROOT / "deploy" / "khoi.env.example"
SYSTEMD = ROOT / "deploy" / "systemd"
# Read by the settings but never set on a production server: the demo (`make run`), the
# tests' in-request tasks and the product clock of the demo.
# Not for an operator's environment file: the demo and test switches, and KHOI_PROCESS, which
# manage.py, wsgi.py and asgi.py set themselves (the statement timeout is the web's only).
DEV_ONLY = {"KHOI_DEMO", "KHOI_TASKS_IMMEDIATE", "KHOI_CLOCK_DATE", "KHOI_PROCESS"}
READ = re.compile(r'(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*"(KHOI_\w+)"')


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Running in production")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def sourced(path: Path) -> dict[str, str]:
    """The variables a shell has after ``set -a && . path && set +a``."""
    result = subprocess.run(
        [BASH, "-c", 'set -euo pipefail; set -a && . "$1" && set +a && env -0', "_", str(path)],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    pairs = (item.split(b"=", 1) for item in result.stdout.split(b"\0") if b"=" in item)
    return {k.decode(): v.decode() for k, v in pairs if k.startswith(b"KHOI_")}


def settings_variables() -> set[str]:
    names: set[str] = set()
    for source in ("khoi/settings.py", "deploy/gunicorn.conf.py"):
        names |= set(READ.findall((ROOT / source).read_text(encoding="utf-8")))
    names.add("KHOI_FIELD_KEYS")  # read by khoi/petitions/crypto.py, where the keys are used
    return names


def test_the_example_parses_in_the_shell() -> None:
    check = subprocess.run([BASH, "-n", str(EXAMPLE)], capture_output=True, check=False)
    assert check.returncode == 0, check.stderr.decode()
    values = sourced(EXAMPLE)
    assert values["KHOI_EMAIL_FROM"] == "Khối <khoi@example.gov.vn>"
    assert values["KHOI_DEBUG"] == "0"
    set_lines = re.findall(r"^(KHOI_\w+)=", EXAMPLE.read_text(encoding="utf-8"), re.M)
    assert set(set_lines) == set(values)


def test_the_optional_lines_parse_once_uncommented(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    enabled = tmp_path / "khoi.env"
    enabled.write_text(re.sub(r"^#(KHOI_\w+=)", r"\1", text, flags=re.M), encoding="utf-8")
    values = sourced(enabled)
    assert values["KHOI_CSP"].startswith("default-src 'self';")
    assert set(re.findall(r"^#?(KHOI_\w+)=", text, re.M)) == set(values)


def test_every_variable_the_settings_read_is_in_the_example() -> None:
    listed = set(re.findall(r"^#?(KHOI_\w+)=", EXAMPLE.read_text(encoding="utf-8"), re.M))
    read = settings_variables()
    assert {"KHOI_AUDIT_KEY", "KHOI_FIELD_KEYS", "KHOI_FORWARDED_ALLOW_IPS"} <= read
    assert read - DEV_ONLY - listed == set()
    # nothing listed that nothing reads (the settings, or a unit of deploy/systemd)
    units = " ".join(p.read_text(encoding="utf-8") for p in SYSTEMD.iterdir())
    assert listed - read - set(re.findall(r"\$\{?(KHOI_\w+)", units)) == set()


def test_the_example_secrets_are_placeholders_that_stop_the_start() -> None:
    from khoi.ops.checks import audit_key_problems, field_key_problems

    values = sourced(EXAMPLE)
    assert field_key_problems(values["KHOI_FIELD_KEYS"])
    assert audit_key_problems(values["KHOI_AUDIT_KEY"])
    assert "change-me" in values["KHOI_SECRET_KEY"]


def test_every_path_the_section_names_exists() -> None:
    paths = {p.rstrip(".,:;)") for p in re.findall(r"deploy/[\w./@*-]+", section())}
    assert "deploy/khoi.env.example" in paths and "deploy/systemd/*.timer" in paths
    for path in sorted(paths):
        if "*" in path:
            assert list(ROOT.glob(path)), path
        else:
            assert (ROOT / path).exists(), path


def test_every_command_the_section_names_exists() -> None:
    text = section()
    named = set(re.findall(r"manage\.py\s+([a-z_]+)", text))
    named |= set(re.findall(r"`(\w+_reminders)`", text))
    assert {"migrate", "check", "backup", "restore", "task_reminders"} <= named
    missing = named - set(get_commands())
    assert missing == set()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"(?:[`(]|&& |=1 )make ([a-z][\w-]*)", text))
    assert {"install", "prod-check", "audit", "pdf-deps"} <= targets
    for target in targets:
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), target


def test_every_unit_the_section_names_exists() -> None:
    named = set(re.findall(r"\b(khoi-[a-z-]+@?\.(?:service|timer))", section()))
    named |= {f"{n}.service" for n in re.findall(r"\b(khoi-(?:web|worker))\b", section())}
    assert {"khoi-backup.timer", "khoi-fund-verify.timer", "khoi-overlap-scan.timer"} <= named
    present = {p.name for p in SYSTEMD.iterdir()}
    assert named - present == set()


def test_step_five_enables_every_timer_of_the_directory() -> None:
    text = section()
    assert "$(basename -a deploy/systemd/*.timer)" in text  # the command takes them all
    for timer in sorted(SYSTEMD.glob("*.timer")):
        assert f"`{timer.name}`" in text, f"{timer.name} is not described in step 5"
        service = SYSTEMD / timer.name.replace(".timer", ".service")
        assert service.exists(), f"{timer.name} has no {service.name}"


@pytest.mark.parametrize("unit", sorted(p.name for p in SYSTEMD.glob("*.service")))
def test_every_service_reads_the_environment_file(unit: str) -> None:
    text = (SYSTEMD / unit).read_text(encoding="utf-8")
    if unit.startswith("khoi-alert@"):
        return  # the alert mails the journal; it needs no configuration
    assert "EnvironmentFile=/etc/khoi/khoi.env" in text
