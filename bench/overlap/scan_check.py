"""Times ``find_groups`` on a generated file and checks its output against a reference.

    .venv/bin/python bench/overlap/scan_check.py --input /tmp/bench_overlap/acts_100000_42.jsonl \
        --parents /tmp/bench_overlap/parents_100000_42.json
        [--save ref.pickle] [--compare ref.pickle]
        [--index]   # also compare with OverlapIndex (same pairs and PairReasons)

Prints the wall and CPU seconds (parent + forked workers) of ``find_groups``; with
``KHOI_OVERLAP_TIMING=1`` each scan prints its CPU seconds per stage.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from khoi.lib.overlap import Activity, OverlapIndex, find_groups  # noqa: E402


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--parents", required=True)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--save")
    ap.add_argument("--compare")
    ap.add_argument("--index", action="store_true")
    ap.add_argument("--serial", action="store_true", help="one process (parallel=False)")
    args = ap.parse_args()
    parents = json.loads(Path(args.parents).read_text(encoding="utf-8"))
    records = []
    with open(args.input, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if args.limit and n >= args.limit:
                break
            r = json.loads(line)
            records.append(
                Activity(r["id"], r["org"], r["kind"], r["title"], r["description"],
                         tuple(r["units"]), date.fromisoformat(r["start"]),
                         date.fromisoformat(r["end"]))
            )  # fmt: skip
    c0, t0 = cpu(), time.perf_counter()
    groups = find_groups(records, parents, parallel=False if args.serial else None)
    t1, c1 = time.perf_counter(), cpu()
    n_pairs = sum(len(g.reasons) for g in groups)
    print(f"find_groups of {len(records):,}: {t1 - t0:.2f} s wall, {c1 - c0:.2f} CPU-s; "
          f"{len(groups):,} groups, {n_pairs:,} pairs", flush=True)  # fmt: skip
    flat = [(g.ids, g.score, g.reasons) for g in groups]
    if args.save:
        Path(args.save).write_bytes(pickle.dumps(flat, protocol=5))
    if args.compare:
        ref = pickle.loads(Path(args.compare).read_bytes())
        same = ref == flat
        print(f"same groups, scores and reasons as {args.compare}: {same}")
        if not same:
            ra = {r.ids: r for _, _, rs in ref for r in rs}
            rb = {r.ids: r for _, _, rs in flat for r in rs}
            print(f"  pairs only in reference {len(ra.keys() - rb.keys())}, only here "
                  f"{len(rb.keys() - ra.keys())}, differing reasons "
                  f"{sum(1 for k in ra.keys() & rb.keys() if ra[k] != rb[k])}")  # fmt: skip
            for k in list(ra.keys() & rb.keys()):
                if ra[k] != rb[k]:
                    print("  ", ra[k], "\n  ", rb[k])
                    break
            sys.exit(1)
    if args.index:
        index = OverlapIndex(parents)
        index.add_all(records)
        ids = [r.id for r in records]
        want = {(ids[a], ids[b]): r for a, b, r in index.pairs()}
        got = {r.ids: r for _, _, rs in flat for r in rs}
        same_pairs = set(want) == set(got)
        print(f"OverlapIndex: {len(want):,} pairs; same pairs: {same_pairs}; same reasons: "
              f"{same_pairs and all(want[k] == got[k] for k in want)}")  # fmt: skip


if __name__ == "__main__":
    main()
