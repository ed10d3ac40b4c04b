"""Builds the real-style benchmark ``realstyle.jsonl`` from ``realstyle_entries.py``.

    .venv/bin/python bench/overlap/realstyle.py            # rewrites realstyle.jsonl

Places every purpose twice (two communes of the town, two seasons), every negative set
twice and every background activity twice, in a town of 19 communes (units ``qy`` → ``cNN``
→ ``cNN-tK``, the residential areas). Entries keep the wording they were written with;
the second placement of an entry is typed differently (diacritics dropped, old tone
placement or capitals), the way a second commune would retype the town's plan. Each line
is the CLI's input format plus ``_purpose`` (the label) and ``_split`` (``dev`` or
``heldout``). ``labels(records, parents)`` gives the true pairs: same purpose and the
structural rule (different organizations, same family, shared or contained unit, dates
within 14 days).
"""

from __future__ import annotations

import json
import random
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realstyle_entries import BACKGROUND, NEGATIVES, PURPOSES, Entry  # noqa: E402

OUT = HERE / "realstyle.jsonl"
PARENTS_OUT = HERE / "realstyle_parents.json"
WINDOW = 14
COMMUNES = [
    "Sông Khoai", "Hiệp Hòa", "Cộng Hòa", "Tiền Phong", "Minh Thành", "Đông Mai",
    "Quảng Yên", "Yên Giang", "Nam Hòa", "Phong Cốc", "Phong Hải", "Hà An", "Tân An",
    "Hoàng Tân", "Liên Hòa", "Liên Vị", "Tiền An", "Cẩm La", "Yên Hải",
]  # fmt: skip
FAMILY = {
    "propaganda": "outreach", "mobilisation": "outreach", "training": "outreach",
    "inspection": "checking", "supervision": "checking", "survey": "checking",
    "emulation": "emulation", "support": "support", "other": "other",
}  # fmt: skip

_TONES = {"\u0300", "\u0309", "\u0303", "\u0301", "\u0323"}


def strip_diacritics(text: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("Đ", "D")


def old_tones(text: str) -> str:
    """hòa → hoà, thủy → thuỷ, khỏe → khoẻ: the tone on the second vowel of oa/oe/uy."""
    out = []
    for word in text.split(" "):
        nfd = unicodedata.normalize("NFD", word)
        base = "".join(c for c in nfd if c not in _TONES)
        tone = [c for c in nfd if c in _TONES]
        plain = strip_diacritics(base).lower()
        moved = word
        if len(tone) == 1:
            for pair in ("oa", "oe", "uy"):
                core = plain.rstrip(",.;:)'")
                if core.endswith(pair) and not core.startswith("qu"):
                    i = len(core) - 1
                    nb = unicodedata.normalize("NFC", base)
                    moved = unicodedata.normalize("NFC", nb[: i + 1] + tone[0] + nb[i + 1 :])
                    break
        out.append(moved)
    return " ".join(out)


def retype(text: str, style: int) -> str:
    if style == 1:
        return strip_diacritics(text)
    if style == 2:
        return old_tones(text)
    if style == 3:
        return text.upper() if len(text) < 60 else old_tones(text)
    return text


def build(seed: int = 2017) -> tuple[list[dict[str, Any]], dict[str, str]]:
    rng = random.Random(seed)
    parents: dict[str, str] = {}
    for k in range(len(COMMUNES)):
        c = f"c{k + 1:02d}"
        parents[c] = "qy"
        for t in range(1, 7):
            parents[f"{c}-t{t}"] = c
    sets: list[tuple[str, str, list[Entry]]] = []
    for name, entries in PURPOSES.items():
        split = "heldout" if name.startswith("H_") else "dev"
        sets.append((split, name, entries))
    for n, (split, kind, entries) in enumerate(NEGATIVES):
        sets.append((split, f"neg:{kind}:{n}", entries))
    records: list[dict[str, Any]] = []
    slot = 0
    slots: list[tuple[str, str, date]] = []
    for placement in range(2):
        order = list(range(len(sets)))
        rng.shuffle(order)
        for idx in order:
            split, name, entries = sets[idx]
            commune = f"c{slot % len(COMMUNES) + 1:02d}"
            base = date(2017, 1, 4) + timedelta(
                days=(slot // len(COMMUNES)) * 46 + rng.randrange(20)
            )
            slot += 1
            slots.append((split, commune, base))
            chosen = list(entries)
            if placement == 1 and len(chosen) > 2 and rng.random() < 0.4:
                chosen.pop(rng.randrange(len(chosen)))
            hamlet = f"{commune}-t{rng.randrange(1, 7)}"
            town_org = rng.randrange(len(chosen)) if rng.random() < 0.25 else -1
            for k, (org, kind, title, desc) in enumerate(chosen):
                style = rng.choice([0, 0, 1, 2, 3]) if placement == 1 else rng.choice([0, 0, 0, 2])
                r = rng.random()
                if k == town_org:
                    units, org_id = ["qy"], f"{org}-qy"
                elif r < 0.3:
                    units, org_id = [hamlet], f"{org}-{commune}"
                else:
                    units, org_id = [commune], f"{org}-{commune}"
                start = base + timedelta(days=rng.randrange(6))
                length = rng.choice([0, 0, 1, 2, 4, 9, 20])
                label = name if not name.startswith("neg:") else f"{name}:{k}"
                records.append({
                    "id": f"{split[0]}{len(records) + 1:04d}",
                    "org": org_id,
                    "kind": kind,
                    "title": retype(title, style),
                    "description": retype(desc, style),
                    "units": units,
                    "start": start.isoformat(),
                    "end": (start + timedelta(days=length)).isoformat(),
                    "_purpose": label,
                    "_split": split,
                })  # fmt: skip
    # Background activities: next to a purpose or a negative set of the same split.
    for placement in range(2):
        for n, (split, (org, kind, title, desc)) in enumerate(BACKGROUND):
            choices = [s for s in slots if s[0] == split]
            _, commune, base = choices[rng.randrange(len(choices))]
            start = base + timedelta(days=rng.randrange(8))
            style = rng.choice([0, 0, 1, 2]) if placement else 0
            records.append({
                "id": f"{split[0]}{len(records) + 1:04d}",
                "org": f"{org}-{commune}",
                "kind": kind,
                "title": retype(title, style),
                "description": retype(desc, style),
                "units": [commune],
                "start": start.isoformat(),
                "end": (start + timedelta(days=rng.choice([0, 1, 3]))).isoformat(),
                "_purpose": f"bg:{n}:{placement}",
                "_split": split,
            })  # fmt: skip
    return records, parents


def _ancestors(u: str, parents: dict[str, str]) -> list[str]:
    out = []
    while u in parents:
        u = parents[u]
        out.append(u)
    return out


def structural(a: dict[str, Any], b: dict[str, Any], parents: dict[str, str]) -> bool:
    if a["org"] == b["org"] or FAMILY[a["kind"]] != FAMILY[b["kind"]]:
        return False
    sa, ea = date.fromisoformat(a["start"]), date.fromisoformat(a["end"])
    sb, eb = date.fromisoformat(b["start"]), date.fromisoformat(b["end"])
    if (max(sa, sb) - min(ea, eb)).days > WINDOW:
        return False
    ua, ub = set(a["units"]), set(b["units"])
    if ua & ub:
        return True
    return any(x in ub for u in ua for x in _ancestors(u, parents)) or any(
        x in ua for u in ub for x in _ancestors(u, parents)
    )


def labels(records: Sequence[dict[str, Any]], parents: dict[str, str]) -> set[tuple[int, int]]:
    """True pairs (positions): same purpose and the structural rule."""
    out = set()
    for i, a in enumerate(records):
        for j in range(i + 1, len(records)):
            b = records[j]
            if a["_purpose"] == b["_purpose"] and structural(a, b, parents):
                out.add((i, j))
    return out


def structural_pairs(
    records: Sequence[dict[str, Any]], parents: dict[str, str]
) -> list[tuple[int, int]]:
    """Every pair meeting the structural rule (the candidates a topic test must judge)."""
    return [
        (i, j)
        for i in range(len(records))
        for j in range(i + 1, len(records))
        if structural(records[i], records[j], parents)
    ]


def load(split: str | None = None) -> tuple[list[dict[str, Any]], dict[str, str]]:
    recs = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line]
    parents = json.loads(PARENTS_OUT.read_text(encoding="utf-8"))
    if split is not None:
        recs = [r for r in recs if r["_split"] == split]
    return recs, parents


def main() -> None:
    records, parents = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    PARENTS_OUT.write_text(json.dumps(parents, ensure_ascii=False, indent=0), encoding="utf-8")
    for split in ("dev", "heldout"):
        recs = [r for r in records if r["_split"] == split]
        print(split, len(recs), "entries,", len(labels(recs, parents)), "true pairs,",
              len(structural_pairs(recs, parents)), "structural candidates")  # fmt: skip


if __name__ == "__main__":
    main()
