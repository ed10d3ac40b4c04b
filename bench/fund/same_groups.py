"""Check that a change to the matcher changes no decision: same groups, scores and reasons.

    .venv/bin/python bench/fund/same_groups.py --n 100000 --save /tmp/ref100k.jsonl
    .venv/bin/python bench/fund/same_groups.py --n 100000 --compare /tmp/ref100k.jsonl [--workers 2]

Generates the labelled lists (bench/fund/generate.py, cached as a pickle beside the
reference), runs ``find_groups`` and writes or compares its output line by line. Exits 1
when the groups differ.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.fund.generate import generate
from khoi.lib import households
from khoi.lib.households import UnitTree, find_groups


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save")
    parser.add_argument("--compare")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--cache", default="/tmp")
    args = parser.parse_args()
    cache = Path(args.cache) / f"households_{args.n}_{args.seed}.pkl"
    if cache.exists():
        records, _truth, units = pickle.loads(cache.read_bytes())
    else:
        records, _truth, units = generate(args.n, args.seed)
        cache.write_bytes(pickle.dumps((records, _truth, units)))
    t0 = time.perf_counter()
    c0 = time.process_time()
    kwargs = {} if args.workers is None else {"workers": args.workers}
    groups = find_groups(records, UnitTree.from_json(units), **kwargs)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    lines = [json.dumps(g.to_dict(), ensure_ascii=False) for g in groups]
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"{len(groups)} groups in {dt:.1f} s wall; CPU s: this process {cpu:.1f} "
        f"({me.ru_utime + me.ru_stime:.1f} with loading the lists), forked workers "
        f"{kids.ru_utime + kids.ru_stime:.1f}; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    # CPU seconds per phase (households._PHASES: this process, and the forked workers')
    print("CPU s per phase: " + ", ".join(f"{k} {v:.2f}" for k, v in households._PHASES.items()))
    if args.save:
        Path(args.save).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.compare:
        ref = Path(args.compare).read_text(encoding="utf-8").splitlines()
        if ref != lines:
            diff = sum(1 for a, b in zip(ref, lines, strict=False) if a != b)
            print(f"DIFFERENT: {len(ref)} groups before, {len(lines)} now, {diff} lines differ")
            sys.exit(1)
        print("same groups, scores and reasons")


if __name__ == "__main__":
    main()
