"""Benchmark of the household matcher against splink, on labelled synthetic lists.

    .venv/bin/python bench/fund/run.py [--n 300000] [--seed 1] [--no-baseline] [--workers N]

Generates the lists (bench/fund/generate.py), runs ``khoi.lib.households.find_groups`` and
splink (DuckDB backend, probabilistic model trained by EM on the same data, clustered at
0.9) in the same run, and prints precision, recall and F1 over record pairs (a group of k
records counts k·(k−1)/2 pairs), the wall time and the peak memory of each (measured in a
child process so that one does not inherit the other's heap).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import queue
import re
import resource
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.fund.generate import generate

Pair = tuple[str, str]


def truth_pairs(truth: dict[Any, int]) -> set[Pair]:
    by: dict[int, list[str]] = defaultdict(list)
    for rid, hid in truth.items():
        by[hid].append(rid)
    out: set[Pair] = set()
    for ids in by.values():
        for a, b in combinations(sorted(ids), 2):
            out.add((a, b))
    return out


def group_pairs(groups: list[list[str]]) -> set[Pair]:
    out: set[Pair] = set()
    for ids in groups:
        for a, b in combinations(sorted(ids), 2):
            out.add((a, b))
    return out


def score(pred: set[Pair], truth: set[Pair]) -> dict[str, float]:
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "pairs": len(pred)}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_khoi(
    records: list[dict[str, Any]], units: dict[str, Any], workers: int | None, q: Any
) -> None:
    from khoi.lib.households import UnitTree, find_groups

    base = _peak_mb()
    t0 = time.perf_counter()
    groups = find_groups(records, UnitTree.from_json(units), workers=workers)
    dt = time.perf_counter() - t0
    # the forked workers' own peak (the largest of them), beside this process's
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"khoi: forked workers' peak RSS {kids:.0f} MB", flush=True)
    q.put(([g.ids for g in groups], dt, _peak_mb() - base, _peak_mb()))


def _clean(rec: dict[str, Any]) -> dict[str, Any]:
    from khoi.lib.vntext import fold

    name = fold(rec["head_name"] or "")
    parts = name.split()
    phone = re.sub(r"\D", "", rec["phone"] or "")
    if phone.startswith("84"):
        phone = "0" + phone[2:]
    return {
        "unique_id": rec["id"],
        "first_name": parts[-1] if parts else None,
        "surname": " ".join(parts[:-1]) if len(parts) > 1 else None,
        "full_name": name or None,
        "birth_year": str(rec["birth_year"]) if rec["birth_year"] else None,
        "id_number": re.sub(r"\D", "", rec["id_number"] or "") or None,
        "phone": phone or None,
        "unit": rec["unit"],
        "address": fold(rec["address"] or "") or None,
    }


def run_splink(records: list[dict[str, Any]], q: Any) -> None:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    base = _peak_mb()
    t0 = time.perf_counter()
    rows = [_clean(r) for r in records]
    table = pa.Table.from_pylist(rows)
    db = DuckDBAPI()
    sdf = db.register(table)
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("unit", "first_name", "surname"),
            block_on("phone"),
            block_on("id_number"),
            block_on("first_name", "birth_year"),
        ],
        comparisons=[
            cl.NameComparison("full_name"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("id_number"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("unit"),
            cl.LevenshteinAtThresholds("address", [2, 5]),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(sdf, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("id_number"), block_on("phone", "first_name")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("unit", "first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.9)
    out = clusters.as_pyarrow_table().select(["cluster_id", "unique_id"]).to_pylist()
    dt = time.perf_counter() - t0
    by: dict[Any, list[str]] = defaultdict(list)
    for row in out:
        by[row["cluster_id"]].append(row["unique_id"])
    groups = [ids for ids in by.values() if len(ids) > 1]
    q.put((groups, dt, _peak_mb() - base, _peak_mb()))


def in_child(target: Any, *args: Any) -> Any:
    ctx = mp.get_context(
        "spawn"
    )  # a fresh interpreter per matcher: only its input in memory, as from the command line
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    while True:
        try:
            result = q.get(timeout=5)
            break
        except queue.Empty:
            if not p.is_alive():
                raise RuntimeError("the matcher's process died") from None
    p.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=None, help="khoi's processes (default: auto, at most 2)"
    )
    parser.add_argument("--write", help="write the records (JSONL) and units (JSON) here")
    args = parser.parse_args()
    t0 = time.perf_counter()
    records, truth, units = generate(args.n, args.seed)
    gen = time.perf_counter() - t0
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        with (out / "records.jsonl").open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        (out / "units.json").write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
        (out / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    tp = truth_pairs(truth)
    print(f"records {len(records)}, households {len(set(truth.values()))}, true pairs {len(tp)}")
    print(f"generated in {gen:.1f} s")
    results = {}
    groups, dt, _mem, peak = in_child(run_khoi, records, units, args.workers)
    results["khoi.lib.households"] = {**score(group_pairs(groups), tp), "seconds": round(dt, 1),
                                      "peak_rss_mb": round(peak)}  # fmt: skip
    print(json.dumps(results["khoi.lib.households"]))
    if not args.no_baseline:
        groups, dt, _mem, peak = in_child(run_splink, records)
        results["splink"] = {**score(group_pairs(groups), tp), "seconds": round(dt, 1),
                             "peak_rss_mb": round(peak)}  # fmt: skip
        print(json.dumps(results["splink"]))


if __name__ == "__main__":
    main()
