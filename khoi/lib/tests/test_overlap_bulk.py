"""The vectorised bulk scan (``overlap_bulk``) gives the pairs and reasons of
``OverlapIndex`` (one activity at a time) on the real-style benchmark texts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from khoi.lib import overlap_bulk
from khoi.lib.overlap import (
    Activity,
    OverlapIndex,
    _bulk_pairs,
    learn_acronyms,
)

DATA = Path(__file__).resolve().parents[3] / "bench" / "overlap" / "realstyle.jsonl"
PARENTS = DATA.with_name("realstyle_parents.json")


def _records(split: str) -> list[Activity]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["_split"] != split:
            continue
        out.append(
            Activity(r["id"], r["org"], r["kind"], r["title"], r["description"],
                     tuple(r["units"]), date.fromisoformat(r["start"]),
                     date.fromisoformat(r["end"]))
        )  # fmt: skip
    return out


@pytest.mark.parametrize("split", ["dev", "heldout"])
@pytest.mark.parametrize("signals", [None, {"synonyms": False}, {"refusal": False}])
def test_bulk_scan_gives_the_pairs_and_reasons_of_the_index(split, signals):
    records = _records(split)
    parents = json.loads(PARENTS.read_text(encoding="utf-8"))
    texts = [t for r in records for t in (r.title, r.description) if t]
    index = OverlapIndex(parents, signals=signals, acronyms=learn_acronyms(texts))
    index.add_all(records, parallel=False)
    want = [(a, b, r) for a, b, r in index.pairs()]
    got = _bulk_pairs(records, parents, 14, 0.18, signals)
    assert want
    assert got == want


def test_phrase_table_replaces_longest_first_from_the_left():
    vocab = overlap_bulk.Vocab()
    words = ["a", "b", "c", "d", "e"]
    ids = np.array([0, *vocab.ids(words), *vocab.ids(["a", "b", "a"])], dtype=np.int64)
    table = overlap_bulk.PhraseTable(vocab, {"a b": "x", "a b c": "y z", "c d": "", "b a": "w"})
    out, _src, _rank, pos, _ph = table.apply(ids)
    shown = [list(vocab.tok)[t] for t in out.tolist()]
    # "a b c" (longest) wins over "a b"; "c d" is covered; then "a b" before "b a".
    assert shown == ["\x00", "y", "z", "d", "e", "x", "a"]
    assert pos.tolist() == [1, 6]


@pytest.mark.parametrize("space", ["\t", "\n ", "\u00a0", "\u2003", "\x1c"])
def test_bulk_scan_reads_other_white_space_as_the_index_does(space):
    # Tabs and new lines are split by pyarrow; a no-break space or a separator that only
    # Python reads as white space sends the split back to Python.
    records = [
        replace(
            r,
            title=("  " + r.title.replace(" ", space, 2) + " ") if k % 3 else r.title,
            description=r.description.replace(" ", space) if k % 2 else r.description,
        )
        for k, r in enumerate(_records("dev"))
    ]
    parents = json.loads(PARENTS.read_text(encoding="utf-8"))
    texts = [t for r in records for t in (r.title, r.description) if t]
    index = OverlapIndex(parents, acronyms=learn_acronyms(texts))
    index.add_all(records, parallel=False)
    want = [(a, b, r) for a, b, r in index.pairs()]
    assert want
    assert _bulk_pairs(records, parents, 14, 0.18, None) == want
