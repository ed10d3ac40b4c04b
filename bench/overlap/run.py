"""Benchmark of the overlap engine against two baselines (see bench/README.md).

    .venv/bin/python bench/overlap/run.py --sizes 10000,100000,1000000

The 1M timing alone, in one command (prints wall and CPU seconds of ``find_groups``)::

    .venv/bin/python bench/overlap/run.py --sizes 1000000 --no-pg --no-rapidfuzz

For every size: generate labelled data (``generate.py``), run the engine in a fresh
process (wall time, peak memory, suggestion latency against the full index), score its
pairs against the ground truth; run the PostgreSQL ``pg_trgm`` baseline at 100k and
above; run the ``rapidfuzz`` all-pairs baseline once on a 5k sample (time extrapolated).
Each baseline gets the same structural conditions (organization, units, dates, family)
and is reported at its best threshold; the engine at its fixed default threshold.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generate import FAMILY_OF, WINDOW, generate  # noqa: E402

Pair = tuple[int, int]


# -- data and ground truth --------------------------------------------------------------


class Data:
    """Compact view of a generated file (positions are 0-based line numbers)."""

    def __init__(self, path: Path, parents: dict[str, str], limit: int | None = None) -> None:
        self.ids: list[str] = []
        self.org: list[str] = []
        self.fam: list[str] = []
        self.topic: list[int] = []
        self.units: list[tuple[str, ...]] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.title: list[str] = []
        self.lines: list[str] = []
        self.parents = parents
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if limit is not None and n >= limit:
                    break
                r = json.loads(line)
                self.ids.append(r["id"])
                self.org.append(r["org"])
                self.fam.append(FAMILY_OF[r["kind"]])
                self.topic.append(r["_topic"])
                self.units.append(tuple(r["units"]))
                self.start.append(date.fromisoformat(r["start"]).toordinal())
                self.end.append(date.fromisoformat(r["end"]).toordinal())
                if limit is not None:
                    self.title.append(r["title"])
                    self.lines.append(line)
        self.pos = {x: i for i, x in enumerate(self.ids)}
        self._anc: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def ancestors(self, u: str) -> tuple[str, ...]:
        hit = self._anc.get(u)
        if hit is None:
            out = []
            cur = self.parents.get(u)
            while cur is not None:
                out.append(cur)
                cur = self.parents.get(cur)
            hit = self._anc[u] = tuple(out)
        return hit

    def root(self, u: str) -> str:
        anc = self.ancestors(u)
        return anc[-1] if anc else u

    def structural(self, i: int, j: int) -> bool:
        """Conditions 1–3 and the family (everything but the topic)."""
        if self.org[i] == self.org[j] or self.fam[i] != self.fam[j]:
            return False
        if max(self.start[i], self.start[j]) - min(self.end[i], self.end[j]) > WINDOW:
            return False
        ui, uj = set(self.units[i]), set(self.units[j])
        if ui & uj:
            return True
        return any(a in uj for u in ui for a in self.ancestors(u)) or any(
            a in ui for u in uj for a in self.ancestors(u)
        )

    def truth(self) -> set[Pair]:
        """All pairs that overlap by the rule, using the hidden topic."""
        blocks: dict[tuple[int, str, str], list[int]] = {}
        for i in range(len(self)):
            roots = {self.root(u) for u in self.units[i]}
            for r in roots:
                blocks.setdefault((self.topic[i], self.fam[i], r), []).append(i)
        out: set[Pair] = set()
        for members in blocks.values():
            members.sort(key=lambda i: self.start[i])
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    if self.start[j] - self.end[i] > WINDOW + 200:
                        break
                    if self.structural(i, j):
                        out.add((min(i, j), max(i, j)))
        return out


def prf(found: set[Pair], truth: set[Pair]) -> dict[str, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "pairs": len(found)}


def best_threshold(scored: Iterable[tuple[Pair, float]], truth: set[Pair]) -> dict[str, Any]:
    """Best F1 over thresholds for pairs that already meet the structural conditions."""
    items = sorted(scored, key=lambda t: -t[1])
    tp = 0
    best: dict[str, Any] = {"f1": 0.0, "threshold": None, "precision": 0.0, "recall": 0.0}
    n_truth = len(truth) or 1
    for k, (pair, s) in enumerate(items, 1):
        if pair in truth:
            tp += 1
        if k < len(items) and items[k][1] == s:
            continue
        p, r = tp / k, tp / n_truth
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best["f1"]:
            best = {"f1": round(f, 4), "threshold": s, "precision": round(p, 4),
                    "recall": round(r, 4), "pairs": k}  # fmt: skip
    return best


# -- the engine, in a child process -----------------------------------------------------


def engine_child(args: argparse.Namespace) -> None:
    """Runs in a fresh process: load, index, find pairs, time suggestions; print JSON."""
    from khoi.lib.overlap import Activity, OverlapIndex, find_groups

    t0 = time.perf_counter()
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

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    c1 = cpu()
    t1 = time.perf_counter()
    groups = find_groups(records, parents)
    t2 = time.perf_counter()
    c2 = cpu()
    pos = {r.id: i for i, r in enumerate(records)}
    n_pairs = 0
    with open(args.pairs_out, "w", encoding="utf-8") as out:
        for g in groups:
            for r in g.reasons:
                a, b = sorted((pos[r.ids[0]], pos[r.ids[1]]))
                out.write(f"{a} {b} {r.score}\n")
                n_pairs += 1
    rss_groups = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    del groups
    t3 = time.perf_counter()
    index = OverlapIndex(parents)
    if args.suggest:
        index.add_all(records)
    t4 = time.perf_counter()
    # Suggestions: drafts are copies of indexed activities under a new id and org.
    rng = random.Random(7)
    lat = []
    cpu_lat = []
    for _ in range(args.suggest):
        src = records[rng.randrange(len(records))]
        draft = Activity("draft", "DRAFT-ORG", src.kind, src.title, src.description,
                         src.units, src.start, src.end)  # fmt: skip
        s, sc = time.perf_counter(), time.process_time()
        index.suggest(draft)
        lat.append((time.perf_counter() - s) * 1000)
        cpu_lat.append((time.process_time() - sc) * 1000)
    lat.sort()
    cpu_lat.sort()
    res = {
        "load_s": round(t1 - t0, 2),
        "engine_s": round(t2 - t1, 2),
        "engine_cpu_s": round(c2 - c1, 2),
        "total_s": round(t2 - t0, 2),
        "peak_rss_mb": round(rss_groups),
        "peak_rss_children_mb": round(rss_children),
        "suggest_index_build_s": round(t4 - t3, 2),
        "peak_rss_with_suggest_index_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
        "suggest_p50_ms": round(lat[len(lat) // 2], 2) if lat else None,
        "suggest_p95_ms": round(lat[int(len(lat) * 0.95)], 2) if lat else None,
        "suggest_max_ms": round(lat[-1], 2) if lat else None,
        # CPU time of the suggesting process: what the latency is on a machine to itself.
        "suggest_cpu_p50_ms": round(cpu_lat[len(cpu_lat) // 2], 2) if cpu_lat else None,
        "suggest_cpu_p95_ms": round(cpu_lat[int(len(cpu_lat) * 0.95)], 2) if cpu_lat else None,
        "n_pairs": n_pairs,
    }
    print(json.dumps(res))


def run_engine(data_path: Path, parents_path: Path, tmp: Path, limit: int = 0, suggest: int = 1000
               ) -> tuple[dict[str, Any], set[Pair]]:  # fmt: skip
    pairs_out = tmp / f"pairs_{data_path.stem}_{limit}.txt"
    cmd = [sys.executable, __file__, "--child", "engine", "--input", str(data_path),
           "--parents", str(parents_path), "--pairs-out", str(pairs_out),
           "--limit", str(limit), "--suggest", str(suggest)]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["process_wall_s"] = round(time.perf_counter() - t0, 2)
    found: set[Pair] = set()
    with pairs_out.open() as fh:
        for line in fh:
            a, b, _ = line.split()
            found.add((int(a), int(b)))
    return res, found


# -- baseline: rapidfuzz all pairs on a sample ------------------------------------------


def rapidfuzz_baseline(data: Data, truth: set[Pair]) -> dict[str, Any]:
    from rapidfuzz import fuzz, process, utils

    n = len(data)
    titles = [utils.default_process(t) for t in data.title]
    t0 = time.perf_counter()
    scored: list[tuple[Pair, float]] = []
    for i in range(n):
        # All pairs (i, j > i): the scorer runs in C over the whole list.
        hits = process.extract(titles[i], titles[i + 1 :], scorer=fuzz.token_set_ratio,
                               processor=None, limit=None, score_cutoff=30)  # fmt: skip
        for _, score, k in hits:
            j = i + 1 + k
            if data.structural(i, j):
                scored.append(((i, j), score / 100))
    elapsed = time.perf_counter() - t0
    best = best_threshold(scored, truth)
    best["sample"] = n
    best["time_s"] = round(elapsed, 2)
    best["extrapolated_1m_s"] = round(elapsed * (1_000_000 / n) ** 2)
    return best


# -- baseline: PostgreSQL pg_trgm self-join ---------------------------------------------


def pg_connect() -> Any:
    import psycopg

    last: Exception | None = None
    for user in ("root", "postgres"):
        try:
            return psycopg.connect(host="127.0.0.1", port=5432, user=user, dbname="test",
                                   autocommit=True)  # fmt: skip
        except Exception as exc:
            last = exc
    raise RuntimeError(f"PostgreSQL unreachable: {last}")


def pg_baseline(
    data_path: Path, data: Data, truth: set[Pair], timeout_s: int, floor: float = 0.1
) -> dict[str, Any]:
    """pg_trgm similarity of titles, self-join blocked on unit (and ancestors) and dates."""
    conn = pg_connect()
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cur.execute("DROP SCHEMA IF EXISTS bench_overlap CASCADE")
    cur.execute("CREATE SCHEMA bench_overlap")
    cur.execute("SET search_path = bench_overlap, public")
    # unaccent lives in the benchmark schema, so it goes when the schema is dropped.
    cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA bench_overlap")
    cur.execute(
        "CREATE TABLE acts (id int PRIMARY KEY, org text, fam text, s int, e int, title text)"
    )
    cur.execute("CREATE TABLE au (act int, unit text, fam text, s int, e int)")
    cur.execute("CREATE TABLE uanc (unit text, anc text)")
    t_load = time.perf_counter()
    with (
        cur.copy("COPY acts (id, org, fam, s, e, title) FROM STDIN") as cp,
        data_path.open(encoding="utf-8") as fh,
    ):
        for i, line in enumerate(fh):
            if i >= len(data):
                break
            r = json.loads(line)
            cp.write_row((i, data.org[i], data.fam[i], data.start[i], data.end[i], r["title"]))
    with cur.copy("COPY au (act, unit, fam, s, e) FROM STDIN") as cp:
        for i in range(len(data)):
            for u in data.units[i]:
                cp.write_row((i, u, data.fam[i], data.start[i], data.end[i]))
    units = {u for us in data.units for u in us} | set(data.parents) | set(data.parents.values())
    with cur.copy("COPY uanc (unit, anc) FROM STDIN") as cp:
        for u in units:
            cp.write_row((u, u))
            for a in data.ancestors(u):
                cp.write_row((u, a))
    cur.execute("ALTER TABLE acts ADD COLUMN tu text")
    cur.execute("UPDATE acts SET tu = unaccent(lower(title))")
    cur.execute("CREATE INDEX ON au (unit, fam, s)")
    cur.execute("CREATE INDEX ON uanc (unit)")
    cur.execute("ANALYZE")
    load_s = time.perf_counter() - t_load
    maxdur = max(e - s for s, e in zip(data.start, data.end, strict=True))
    cur.execute("SET work_mem = '256MB'")
    cur.execute(f"SET statement_timeout = {timeout_s * 1000}")
    # Pairs where b targets a's unit or one of its ancestors (each containment pair is
    # found from the contained side; shared units from both, hence DISTINCT).
    sql = """
        SELECT DISTINCT LEAST(a.act, b.act), GREATEST(a.act, b.act),
               similarity(ta.title, tb.title), similarity(ta.tu, tb.tu)
        FROM au a
        JOIN uanc x ON x.unit = a.unit
        JOIN au b ON b.unit = x.anc AND b.fam = a.fam
                 AND b.s <= a.e + {w} AND b.s >= a.s - {w} - {maxdur}
                 AND b.e >= a.s - {w} AND b.act <> a.act
        JOIN acts ta ON ta.id = a.act
        JOIN acts tb ON tb.id = b.act
        WHERE ta.org <> tb.org
          AND (similarity(ta.title, tb.title) >= {floor} OR similarity(ta.tu, tb.tu) >= {floor})
          AND a.act %% {fraction} = 0
    """
    # Run on everything; if the time limit is hit, run on a fraction and extrapolate.
    fraction = 1
    t0 = time.perf_counter()
    while True:
        try:
            cur.execute(
                sql.format(w=WINDOW, maxdur=maxdur, fraction=fraction, floor=floor).replace(
                    "%%", "%"
                )
            )
            rows = cur.fetchall()
            break
        except Exception as exc:
            if "timeout" not in str(exc) and "cancel" not in str(exc):
                raise
            fraction *= 8
            t0 = time.perf_counter()
    elapsed = time.perf_counter() - t0
    scored = [((a, b), float(s)) for a, b, s, _ in rows]
    scored_u = [((a, b), float(u)) for a, b, _, u in rows]
    cur.execute("DROP SCHEMA bench_overlap CASCADE")
    conn.close()
    if fraction > 1:
        # Only pairs with a side that is a multiple of `fraction` were looked up
        # (approximate truth for the extrapolated run).
        truth = {p for p in truth if p[0] % fraction == 0 or p[1] % fraction == 0}
    best = best_threshold(scored, truth)
    best["unaccented_title"] = best_threshold(scored_u, truth)
    best["join_s"] = round(elapsed * fraction, 1)
    best["measured_fraction"] = f"1/{fraction}"
    best["extrapolated"] = fraction > 1
    best["load_index_s"] = round(load_s, 1)
    return best


# -- main ----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--tmp", type=Path, default=Path("/tmp/bench_overlap"))
    ap.add_argument("--sample", type=int, default=5000)
    ap.add_argument("--pg-min-size", type=int, default=100_000)
    ap.add_argument("--pg-timeout", type=int, default=600)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-rapidfuzz", action="store_true")
    ap.add_argument("--suggest", type=int, default=1000)
    ap.add_argument("--child")
    ap.add_argument("--input")
    ap.add_argument("--parents")
    ap.add_argument("--pairs-out")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    if args.child == "engine":
        engine_child(args)
        return
    args.tmp.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    results: dict[str, Any] = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        data_path = args.tmp / f"acts_{size}_{args.seed}.jsonl"
        parents_path = args.tmp / f"parents_{size}_{args.seed}.json"
        t0 = time.perf_counter()
        if not data_path.exists():
            generate(size, args.seed, data_path, parents_path)
        gen_s = time.perf_counter() - t0
        parents = json.loads(parents_path.read_text(encoding="utf-8"))
        data = Data(data_path, parents)
        truth = data.truth()
        eng, found = run_engine(data_path, parents_path, args.tmp, suggest=args.suggest)
        row: dict[str, Any] = {"generate_s": round(gen_s, 1), "true_pairs": len(truth),
                               "engine": {**eng, **prf(found, truth)}}  # fmt: skip
        print(f"[{size}] engine: {json.dumps(row['engine'])}", flush=True)
        e = row["engine"]
        print(
            f"[{size}] find_groups: {e['engine_s']} s wall, {e['engine_cpu_s']} CPU-seconds "
            f"(both cores; load average {os.getloadavg()[0]:.1f}); F1 {e['f1']}; suggestion "
            f"p95 {e['suggest_p95_ms']} ms ({e.get('suggest_cpu_p95_ms')} ms CPU) against "
            f"{size:,} indexed",
            flush=True,
        )
        if size == sizes[0] and not args.no_rapidfuzz:
            sample = Data(data_path, parents, limit=args.sample)
            s_truth = sample.truth()
            rf = rapidfuzz_baseline(sample, s_truth)
            s_eng, s_found = run_engine(data_path, parents_path, args.tmp, limit=args.sample,
                                        suggest=0)  # fmt: skip
            s_eng.update(prf(s_found, s_truth))
            row["sample"] = {"size": args.sample, "true_pairs": len(s_truth),
                             "rapidfuzz": rf, "engine": s_eng}  # fmt: skip
            print(f"[{size}] sample {args.sample}: {json.dumps(row['sample'])}", flush=True)
        if size >= args.pg_min_size and not args.no_pg:
            pg = pg_baseline(data_path, data, truth, args.pg_timeout)
            row["pg_trgm"] = pg
            print(f"[{size}] pg_trgm: {json.dumps(pg)}", flush=True)
        results[str(size)] = row
        del data
    out = args.tmp / "results.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
