"""One clock: no code of khoi/ (tests and migrations aside) reads the date or time itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # khoi/
ALLOWED = {ROOT / "clock.py"}
# module-or-class name → attributes that read the wall clock
CLOCK_READERS = {
    "timezone": {"now"},
    "date": {"today"},
    "datetime": {"now", "today", "utcnow"},
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def direct_clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, expression) of every direct read of the date or time in ``source``."""
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = _dotted(node.value).rsplit(".", 1)[-1]
            if node.attr in CLOCK_READERS.get(owner, ()):
                found.append((node.lineno, f"{_dotted(node.value)}.{node.attr}"))
        if isinstance(node, ast.Call) and not node.args and not node.keywords:
            name = _dotted(node.func)
            if name.rsplit(".", 1)[-1] in {"localtime", "localdate"}:
                found.append((node.lineno, f"{name}()"))
    return found


def _sources() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if p not in ALLOWED and "tests" not in p.parts and "migrations" not in p.parts
    )


def test_no_direct_clock_reads_in_the_product() -> None:
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{line}: {expr}"
        for path in _sources()
        for line, expr in direct_clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use khoi.clock (today, now, real_now):\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils import timezone\nx = timezone.now()",
        "from django.utils import timezone\nx = timezone.localdate()",
        "from django.utils import timezone\nx = timezone.localtime()",
        "import datetime\nx = datetime.date.today()",
        "import datetime as dt\nx = dt.datetime.now()",
        "from datetime import date\nx = date.today()",
        "from datetime import datetime\nx = datetime.now()",
        "from django.utils import timezone\nf = dict(default=timezone.now)",
    ],
)
def test_the_scan_sees_each_way_of_reading_the_clock(source: str) -> None:
    assert direct_clock_reads(source)


def test_the_scan_accepts_the_clock_and_conversions() -> None:
    source = (
        "from khoi import clock\nfrom django.utils import timezone\n"
        "a = clock.today()\nb = clock.now()\nc = timezone.localtime(b)\n"
        "d = timezone.localdate(b)\n"
    )
    assert direct_clock_reads(source) == []
