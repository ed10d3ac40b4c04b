"""`documents` and `audit` import no domain app: the domain apps offer their sections,
agenda items, link kinds and related items through khoi.registry instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KHOI = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("work", "meetings", "petitions", "fund", "oversight", "campaigns")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def forbidden(path: Path) -> list[str]:
    bad = []
    for module in sorted(imported_modules(path)):
        parts = module.split(".")
        if parts[0] == "khoi" and len(parts) > 1 and parts[1] in DOMAIN_APPS:
            bad.append(module)
        if module.startswith("khoi.org.views"):
            bad.append(module)  # a page module of another app is no shared helper
    return bad


def sources(app: str) -> list[Path]:
    return [
        p for p in sorted((KHOI / app).rglob("*.py"))
        if "tests" not in p.parts and "migrations" not in p.parts
    ]  # fmt: skip


@pytest.mark.parametrize("app", ["documents", "audit"])
def test_the_app_imports_no_domain_app(app: str) -> None:
    assert sources(app)
    offenders = {str(p.relative_to(KHOI)): forbidden(p) for p in sources(app)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from khoi.org.models import JointOffice\n"
        "def f():\n    from khoi.work.models import Task\n    import khoi.meetings.access\n",
        encoding="utf-8",
    )
    assert forbidden(sample) == [
        "khoi.meetings.access",
        "khoi.work.models",
        "khoi.work.models.Task",
    ]


def test_work_does_not_import_the_documents_app() -> None:
    offenders = {
        str(p.relative_to(KHOI)): sorted(m for m in imported_modules(p)
                                         if m.startswith("khoi.documents"))
        for p in sources("work") + sources("meetings")
    }  # fmt: skip
    assert {k: v for k, v in offenders.items() if v} == {}
