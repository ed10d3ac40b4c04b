"""The household matcher on a small list written by hand, the way commune staff type them.

``data/households_handwritten.jsonl`` (60 lines, two illustrative provinces, names and
numbers invented) was typed by hand, not produced from the matcher's or the benchmark
generator's word lists: mixed case, "Th." / "Kp" / "KP3" / "Tổ 5" / "ấp", the old commune
"(xã … cũ)" beside the new one, the unit missing (the address names the old commune),
CMND in old lists and CCCD in new ones, the wife as head in one list and the husband in
another, phones written with "+84 (0)", dots and spaces. Hard negatives: two "Lê Thị Hoa"
and two "Võ Văn Tám" of one commune, a father and his son at one address with one phone,
a brother's phone, a daughter giving her mother's phone, two "Nguyễn Văn Bình" with two
different CMND, "Tâm" and "Lâm" brothers sharing a phone. The true household of each line
is its ``household`` key (ignored by the command). ``..._units.json``: the unit tree with
the 1 July 2025 successions.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"


def _pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {pair for ids in groups for pair in combinations(sorted(ids), 2)}


def test_the_command_finds_the_households_of_the_handwritten_lists(tmp_path: Path) -> None:
    source = DATA / "households_handwritten.jsonl"
    out = tmp_path / "groups.jsonl"
    cmd = [sys.executable, "manage.py", "household_duplicates", "--input", str(source),
           "--output", str(out), "--units", str(DATA / "households_handwritten_units.json")]  # fmt: skip
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    truth: dict[str, list[str]] = defaultdict(list)
    for line in source.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        truth[rec["household"]].append(rec["id"])
    want = _pairs(list(truth.values()))
    got = _pairs([json.loads(x)["ids"] for x in out.read_text(encoding="utf-8").splitlines()])
    precision = len(got & want) / len(got) if got else 0.0
    recall = len(got & want) / len(want)
    print(f"handwritten lists: precision {precision:.3f}, recall {recall:.3f}, "
          f"{len(got)} pairs found, {len(want)} true; missed {sorted(want - got)}, "
          f"wrong {sorted(got - want)}")  # fmt: skip
    assert precision >= 0.9
    assert recall >= 0.9
