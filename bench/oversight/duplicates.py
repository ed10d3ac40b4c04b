"""The duplicate-supervision warning on a yearly programme of 5,000 planned supervisions:
time, precision and recall against hand-written labels.

Usage::

    .venv/bin/python bench/oversight/duplicates.py [--n 5000] [--bodies 300] [--seed 1]

The subjects are the hand-written groups of ``bench/oversight/topics.py`` (each subject
labelled with what it is about, by hand); each planned supervision takes one subject, a
body (written "UBND xã …" or "Ủy ban nhân dân xã …" at random: one body), one of six
organizations and one or two months of 2026. A pair is a true duplicate when the two
supervisions are about the same group, of the same body, in overlapping months, by two
different organizations. The warning is ``khoi.oversight.overlap.pairs_among`` (the one the
programme page calls; no database: unsaved rows). Precision = warned pairs that are true /
warned pairs; recall = true pairs warned / true pairs.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import platform
import random
import sys
import time
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.oversight.topics import TOPICS  # noqa: E402

NAMES = ["Hà An", "Đông Mai", "Tiền An", "Sông Khoai", "Yên Giang", "Liên Hòa", "Phong Hải",
         "Tiền Phong", "Cẩm La", "Hoàng Tân", "Nam Hòa", "Phong Cốc", "Hiệp Hòa", "Cộng Hòa",
         "Minh Thành", "Quảng Yên", "Yên Hải", "Tân An", "Hoàng Quế", "Bình Dương", "Vĩnh Thực",
         "Quảng Nghĩa", "Hải Xuân", "Đầm Hà", "Quảng Lợi", "Thống Nhất", "Lê Lợi", "Đồng Lâm",
         "Sơn Dương", "Hòa Bình", "Việt Hưng", "Đại Yên", "Tân Dân", "Đồng Sơn", "Kỳ Thượng",
         "Vũ Oai", "Bằng Cả", "Dân Chủ", "Quang Hanh", "Cẩm Thạch", "Mông Dương", "Dương Huy",
         "Hạ Long", "Bãi Cháy", "Hà Khẩu", "Giếng Đáy", "Tuần Châu", "Hồng Hải", "Cao Xanh",
         "Hà Tu"]  # fmt: skip
DISTRICTS = ["Hải Hà", "Đầm Hà", "Tiên Yên", "Ba Chẽ", "Vân Đồn", "Cô Tô"]


def plan(n: int, n_bodies: int, rng: random.Random) -> list[dict[str, Any]]:
    bodies = [(name, d) for d in DISTRICTS for name in NAMES][:n_bodies]
    topics = list(TOPICS)
    out = []
    for i in range(n):
        name, district = rng.choice(bodies)
        topic = rng.choice(topics)
        start_month = rng.randint(1, 11)
        end_month = min(12, start_month + rng.choice([0, 0, 1]))
        short = rng.random() < 0.5
        body = (f"UBND xã {name}, huyện {district}" if short
                else f"Ủy ban nhân dân xã {name}, huyện {district}")  # fmt: skip
        out.append({
            "id": i + 1, "org": rng.randint(1, 6), "topic": topic,
            "subject": rng.choice(TOPICS[topic]), "body_id": (name, district), "body": body,
            "from": dt.date(2026, start_month, 1),
            "until": dt.date(2026, end_month, calendar.monthrange(2026, end_month)[1]),
        })  # fmt: skip
    return out


def truth(records: list[dict[str, Any]]) -> set[tuple[int, int]]:
    by_key: dict[tuple[Any, str], list[dict[str, Any]]] = {}
    for r in records:
        by_key.setdefault((r["body_id"], r["topic"]), []).append(r)
    out = set()
    for group in by_key.values():
        for a, b in combinations(group, 2):
            if a["org"] != b["org"] and a["from"] <= b["until"] and b["from"] <= a["until"]:
                out.add((min(a["id"], b["id"]), max(a["id"], b["id"])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--bodies", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
    import django

    django.setup()
    from khoi.oversight import overlap
    from khoi.oversight.models import Supervision

    records = plan(args.n, args.bodies, random.Random(args.seed))
    expected = truth(records)
    best = float("inf")
    warned: set[tuple[int, int]] = set()
    for _ in range(args.repeat):
        sups = [
            Supervision(pk=r["id"], organization_id=r["org"], subject=r["subject"], body=r["body"],
                        planned_from=r["from"], planned_until=r["until"])
            for r in records
        ]  # fmt: skip
        t0 = time.perf_counter()
        for s in sups:  # what save() computes
            from khoi.oversight.models.recommendations import body_key

            s.body_key = body_key(s.body)
        warnings = overlap.pairs_among(sups)
        best = min(best, time.perf_counter() - t0)
        warned = {(w.first.pk, w.second.pk) for w in warnings}
    tp = len(warned & expected)
    precision = tp / len(warned) if warned else 1.0
    recall = tp / len(expected) if expected else 1.0
    by_topic_fp: dict[tuple[str, str], int] = {}
    topic_of = {r["id"]: r["topic"] for r in records}
    for a, b in warned - expected:
        key = tuple(sorted((topic_of[a], topic_of[b])))
        by_topic_fp[key] = by_topic_fp.get(key, 0) + 1
    print(
        f"{platform.node()} Python {platform.python_version()} {dt.date.today()} "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(f"{args.n:,} planned supervisions, {args.bodies} bodies, {len(TOPICS)} subject groups "
          f"({sum(len(v) for v in TOPICS.values())} hand-written subjects)")  # fmt: skip
    print(f"warning computed in {best:.2f} s (best of {args.repeat})")
    print(f"true duplicate pairs {len(expected)}, warned {len(warned)}, correct {tp}")
    print(f"precision {precision:.3f}, recall {recall:.3f}")
    missed = expected - warned
    subj = {r["id"]: r["subject"] for r in records}
    if by_topic_fp:
        print(
            "false warnings by pair of groups:",
            sorted(by_topic_fp.items(), key=lambda x: -x[1])[:8],
        )
    missed_pairs: dict[tuple[str, str], int] = {}
    for a, b in missed:
        key = tuple(sorted((subj[a], subj[b])))
        missed_pairs[key] = missed_pairs.get(key, 0) + 1
    for (x, y), k in sorted(missed_pairs.items(), key=lambda x: -x[1])[:8]:
        print(f"missed {k}×: {x!r} / {y!r}")


if __name__ == "__main__":
    main()
