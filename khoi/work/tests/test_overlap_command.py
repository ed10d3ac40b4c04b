from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from khoi.org.models import AdminUnit

ROOT = Path(__file__).resolve().parents[3]

LINES: list[dict[str, object]] = [
    {"id": "a", "org": "MTTQ", "kind": "propaganda", "title": "Tuyên truyền vệ sinh môi trường",
     "description": "", "units": ["07150"], "start": "2017-10-02", "end": "2017-10-02"},
    {"id": 2, "org": "PN", "kind": "mobilisation", "title": "Vận động hội viên giữ gìn VSMT",
     "description": "", "units": ["206"], "start": "2017-10-09", "end": "2017-10-10"},
    {"id": "c", "org": "PN", "kind": "inspection", "title": "Kiểm tra vệ sinh môi trường",
     "description": "", "units": ["07150"], "start": "2017-10-02", "end": "2017-10-02"},
]  # fmt: skip


def _write(tmp: Path, lines: list[str]) -> Path:
    path = tmp / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_command_uses_the_unit_parents_file_and_reports_bad_lines(tmp_path: Path) -> None:
    src = _write(
        tmp_path, [json.dumps(x, ensure_ascii=False) for x in LINES] + ["{not json", '{"id": 9}']
    )
    parents = tmp_path / "parents.json"
    parents.write_text(json.dumps({"07150": "206"}))
    out = tmp_path / "out.jsonl"
    result = subprocess.run(
        [sys.executable, "manage.py", "overlap", "--input", str(src), "--output", str(out),
         "--unit-parents", str(parents)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Dòng 4" in result.stderr and "Dòng 5" in result.stderr
    groups = [json.loads(line) for line in out.read_text().splitlines()]
    assert [sorted(map(str, g["ids"])) for g in groups] == [["2", "a"]]
    assert 0 <= groups[0]["score"] <= 1 and groups[0]["reasons"]


@pytest.mark.django_db
def test_without_a_parents_file_the_tree_comes_from_the_database(tmp_path: Path) -> None:
    call_command("load_units", "--province", "22", verbosity=0)
    ha_an = AdminUnit.objects.get(era="former", name="Phường Hà An")
    lines: list[dict[str, object]] = [dict(x) for x in LINES[:2]]
    lines[0]["units"] = [ha_an.code]
    src = _write(tmp_path, [json.dumps(x, ensure_ascii=False) for x in lines])
    out = tmp_path / "out.jsonl"
    call_command("overlap", "--input", str(src), "--output", str(out))
    groups = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(groups) == 1
