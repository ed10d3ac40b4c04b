"""The registry rule for the operations code: ``khoi/ops`` and ``deploy/`` read what the
domain apps hold through ``khoi.registry`` (and ``khoi.ops.scale``'s generators the apps
register), never by importing another app's models or services."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from khoi.registry import OVERLAP_SOURCES, overlap_source

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = {
    "accounts", "audit", "org", "work", "meetings", "documents", "petitions", "demo",
    "workcalendar", "fund", "campaigns", "oversight",
}  # fmt: skip
# (importing module, imported module): why ops may name it
ALLOWED = {
    # the configured field keys and their development fallback: a reader of the settings,
    # no model; backup --with-keys seals exactly what the application decrypts with
    ("khoi/ops/management/commands/backup.py", "khoi.petitions.crypto"),
}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_ops_and_deploy_import_no_domain_app() -> None:
    files = [
        p
        for p in [*(ROOT / "khoi" / "ops").rglob("*.py"), *(ROOT / "deploy").rglob("*.py")]
        if "tests" not in p.relative_to(ROOT).parts
    ]
    assert len(files) > 20
    offending = sorted(
        (str(path.relative_to(ROOT)), module)
        for path in files
        for module in _imports(path)
        if module.split(".")[:2][0] == "khoi"
        and len(module.split(".")) > 1
        and module.split(".")[1] in DOMAIN_APPS
        and not any(
            str(path.relative_to(ROOT)) == where and module.startswith(allowed)
            for where, allowed in ALLOWED
        )
    )
    assert offending == []


def test_the_work_app_offers_the_overlap_records_through_the_registry() -> None:
    assert [s.key for s in OVERLAP_SOURCES] == ["work.activities"]
    assert overlap_source().records.__module__ == "khoi.work.national"
