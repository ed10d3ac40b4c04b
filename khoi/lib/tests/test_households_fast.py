"""The household matcher's fast paths give the same decisions as the rules they skip.

``group_records`` no longer calls ``compare`` on every pair of a block: the pairs are
generated once with numpy, the place conflicts are ruled out in bulk (``place_filter``),
and ``may_match`` drops the pairs whose names cannot meet. Each shortcut is checked here
against the slow rule on random records (hypothesis), without the database.
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib import households as hh
from khoi.lib.vntext import fold, unify_tones

UNITS = {
    "units": {
        "P": {"name": "Tỉnh P", "parent": None, "successors": []},
        "D": {"name": "Huyện D", "parent": "P", "successors": []},
        "A": {"name": "Xã A", "parent": "D", "successors": ["N1"]},
        "B": {"name": "Xã B", "parent": "D", "successors": ["N1"]},
        "C": {"name": "Xã C", "parent": "D", "successors": ["N1", "N2"]},
        "N1": {"name": "Phường N1", "parent": "P", "successors": []},
        "N2": {"name": "Phường N2", "parent": "P", "successors": []},
        "Q": {"name": "Phường Q", "parent": None, "successors": []},
    }
}
TREE = hh.UnitTree.from_json(UNITS)

# a small alphabet of name parts so that random names collide, differ by one letter,
# lose a middle name or swap the spouse in
SURNAMES = ["Nguyễn", "Nguyen", "Nguyn", "Trần", "Tran", "Lê"]
MIDDLES = ["Văn", "Van", "Thị", "Thi", "Ngọc", "", "Văn Minh"]
GIVENS = ["Hùng", "Hưng", "Hung", "Hằng", "Lan", "Lân", "Thành", "Thanh", "Thàn", "Phương",
          "Phuong", "Phươn", "Tâm", "Lâm", "A"]  # fmt: skip


@st.composite
def names(draw: Any) -> str | None:
    if draw(st.integers(0, 12)) == 0:
        return draw(st.sampled_from([None, "", "Hùng", "Hung", "Lan"]))
    parts = [draw(st.sampled_from(SURNAMES)), draw(st.sampled_from(MIDDLES)),
             draw(st.sampled_from(GIVENS))]  # fmt: skip
    text = " ".join(p for p in parts if p)
    return text.upper() if draw(st.booleans()) else text


@st.composite
def raw_records(draw: Any) -> dict[str, Any]:
    return {
        "id": draw(st.integers(0, 10**6)),
        "org": draw(st.sampled_from(["MTTQ", "HLHPN", ""])),
        "year": draw(st.sampled_from([2024, 2026, None])),
        "head_name": draw(names()),
        "birth_year": draw(st.sampled_from([None, 1958, 1959, 1960, 1975])),
        "id_number": draw(st.sampled_from([None, "145245882", "022158245882", "022160000001"])),
        "phone": draw(st.sampled_from([None, "0912345678", "+84912345678", "0988000111"])),
        "address": draw(
            st.sampled_from(
                [
                    None,
                    "Thôn 3",
                    "T.3",
                    "Thôn 4",
                    "Số nhà 12, Thôn 3",
                    "SN 14, thôn 3",
                    "12, Khu 5",
                    "Xã A",
                    "Thôn 3, Xã C",
                ]
            )
        ),
        "unit": draw(st.sampled_from([None, "A", "B", "C", "D", "N1", "N2", "Q", "P", "X"])),
        "members": draw(st.one_of(st.none(), st.lists(names(), max_size=3))),
    }


def prepared(raws: list[dict[str, Any]]) -> list[hh.Record]:
    return [hh.prepare(r, TREE, i) for i, r in enumerate(raws)]


@settings(max_examples=120, deadline=None)
@given(st.lists(raw_records(), min_size=2, max_size=12))
def test_the_bulk_place_filter_is_the_place_rule(raws: list[dict[str, Any]]) -> None:
    recs = prepared(raws)
    pairs = list(itertools.combinations(range(len(recs)), 2))
    lo = np.array([i for i, _ in pairs], dtype=np.int64)
    hi = np.array([j for _, j in pairs], dtype=np.int64)
    keep = hh.place_filter(recs, TREE, lo, hi)
    for (i, j), kept in zip(pairs, keep.tolist(), strict=True):
        conflict = hh._place_conflict(recs[i], recs[j], TREE)[0]
        # the filter may keep a pair the rule refuses (left to compare), never the reverse
        if not kept:
            assert conflict


@settings(max_examples=120, deadline=None)
@given(st.lists(raw_records(), min_size=2, max_size=10))
def test_may_match_never_drops_a_pair_compare_accepts(raws: list[dict[str, Any]]) -> None:
    recs = prepared(raws)
    for a, b in itertools.combinations(recs, 2):
        if not hh.may_match(a, b):
            assert hh.compare(a, b, TREE) is None
            assert hh.compare(b, a, TREE) is None


@settings(max_examples=300, deadline=None)
@given(names(), names())
def test_name_keys_meet_whenever_the_names_are_similar(x: str | None, y: str | None) -> None:
    a, b = hh.name_forms(x), hh.name_forms(y)
    sim = hh.name_similarity(a, b)
    if sim >= hh.NAME_MATCH:
        assert hh.name_keys(a[1]) & hh.name_keys(b[1])
    if sim >= hh.MEMBER_MATCH:
        assert hh.member_keys(a[1]) & hh.member_keys(b[1])


@given(st.text(max_size=30))
def test_name_forms_word_by_word_equal_the_whole_text(text: str) -> None:
    import re

    t = unicodedata.normalize("NFC", text)
    t = re.sub(r"[^\w\s]", " ", t).lower()
    t = re.sub(r"\s+", " ", t).strip()
    if not t:
        assert hh.name_forms(text) == ("", "")
        return
    marked = unify_tones(t)
    folded = fold(marked)
    assert hh.name_forms(text) == ((marked if marked != folded else ""), folded)


@given(st.text(max_size=30))
def test_address_folding_does_not_need_the_tone_placement(text: str) -> None:
    t = unicodedata.normalize("NFC", text)
    assert fold(unify_tones(t)) == fold(t)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 20), max_size=hh.MAX_BLOCK + 3), max_size=8))
def test_candidate_pairs_are_every_pair_of_every_usable_block_once(
    blocks: list[list[int]],
) -> None:
    # a record appears at most once in a block (block_keys is a set)
    blocks = [list(dict.fromkeys(b)) for b in blocks]
    lo, hi = hh._candidate_pairs(blocks, 21)
    got = list(zip(lo.tolist(), hi.tolist(), strict=True))
    want = sorted(
        {(min(i, j), max(i, j)) for b in blocks if 2 <= len(b) <= hh.MAX_BLOCK
         for i, j in itertools.combinations(b, 2)}
    )  # fmt: skip
    assert got == want


@settings(max_examples=60, deadline=None)
@given(st.lists(raw_records(), min_size=2, max_size=14))
def test_groups_are_those_of_the_slow_path(raws: list[dict[str, Any]]) -> None:
    """Every accepted pair of the fast path is one ``compare`` accepts, and back."""
    seen: set[Any] = set()
    uniq = []
    for r in raws:
        if r["id"] not in seen:
            seen.add(r["id"])
            uniq.append(r)
    recs = prepared(uniq)
    rare = hh._rarity(recs)
    blocks: dict[str, list[int]] = {}
    for rec in recs:
        for k in hh.block_keys(rec):
            blocks.setdefault(k, []).append(rec.index)
    slow = {
        (i, j)
        for b in blocks.values() if 2 <= len(b) <= hh.MAX_BLOCK
        for i, j in itertools.combinations(sorted(b), 2)
        if hh.compare(recs[i], recs[j], TREE, rare) is not None
    }  # fmt: skip
    groups = hh.group_records(recs, TREE)
    grouped = {frozenset(g.ids) for g in groups}
    ids = [r.id for r in recs]
    # each group is connected by pairs the slow path accepts
    for g in grouped:
        members = [ids.index(x) for x in g]
        linked = {members[0]}
        changed = True
        while changed:
            changed = False
            for i, j in slow:
                if (i in linked) != (j in linked) and i in members and j in members:
                    linked |= {i, j}
                    changed = True
        assert linked == set(members)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="tdpkcsnxqhTD.,/ 0123a", max_size=25))
def test_abbreviations_in_one_pass_equal_one_by_one(text: str) -> None:
    import re

    one_by_one = text
    for rx, repl in hh._ADDR_ABBR:
        one_by_one = rx.sub(repl, one_by_one)
    one_pass = hh._ADDR_ABBR_ONE.sub(lambda m: hh._ADDR_ABBR_REPL[(m.lastindex or 1) - 1], text)
    assert re.sub(r"\s+", " ", one_pass) == re.sub(r"\s+", " ", one_by_one)


@settings(max_examples=120, deadline=None)
@given(st.lists(raw_records(), min_size=2, max_size=12))
def test_the_bulk_person_filter_is_may_match(raws: list[dict[str, Any]]) -> None:
    recs = prepared(raws)
    pairs = list(itertools.combinations(range(len(recs)), 2))
    lo = np.array([i for i, _ in pairs], dtype=np.int64)
    hi = np.array([j for _, j in pairs], dtype=np.int64)
    certain, maybe = hh.person_filter(recs, lo, hi)
    for (i, j), sure, unsure in zip(pairs, certain.tolist(), maybe.tolist(), strict=True):
        a, b = recs[i], recs[j]
        assert not (sure and unsure)
        members = hh.head_among_members(a, b) or hh.head_among_members(b, a)
        assert hh.may_match(a, b) == (sure or (unsure and members))


def _crowded_lists(seed: int, n: int) -> list[dict[str, Any]]:
    """Records drawn from the small alphabets above: many blocks, pairs and groups."""
    import random

    rng = random.Random(seed)
    addresses = [None, "Thôn 3", "T.3", "Thôn 4", "Số nhà 12, Thôn 3", "SN 14, thôn 3", "12, Khu 5"]

    def name() -> str:
        return " ".join(
            p for p in (rng.choice(SURNAMES), rng.choice(MIDDLES), rng.choice(GIVENS)) if p
        )

    return [
        {
            "id": f"r{k}",
            "org": rng.choice(["MTTQ", "HLHPN", ""]),
            "year": rng.choice([2024, 2026, None]),
            "head_name": name(),
            "birth_year": rng.choice([None, 1958, 1959, 1960, 1975]),
            "id_number": rng.choice([None, None, "145245882", "022158245882"]),
            "phone": rng.choice([None, "0912345678", "+84912345678", "0988000111"]),
            "address": rng.choice(addresses),
            "unit": rng.choice([None, "A", "B", "C", "N1", "N2", "Q"]),
            "members": [name() for _ in range(rng.randint(0, 3))],
        }
        for k in range(n)
    ]


def test_the_parallel_path_gives_the_serial_groups() -> None:
    """Pairs compared in forked processes: the same groups, scores, reasons and order."""
    if "fork" not in hh.multiprocessing.get_all_start_methods():  # pragma: no cover
        return
    for seed in (1, 2, 3):
        raws = _crowded_lists(seed, 400)
        serial = [g.to_dict() for g in hh.find_groups(raws, TREE, workers=1)]
        assert len(serial) > 5
        for workers in (2, 3):
            parallel = [g.to_dict() for g in hh.find_groups(raws, TREE, workers=workers)]
            assert parallel == serial, (seed, workers)


@settings(max_examples=120, deadline=None)
@given(st.lists(raw_records(), min_size=2, max_size=12))
def test_the_join_conflict_test_is_hard_conflict(raws: list[dict[str, Any]]) -> None:
    recs = prepared(raws)
    sigs = hh._conflict_sigs(recs, TREE)
    for i, j in itertools.product(range(len(recs)), repeat=2):
        want = hh.hard_conflict(recs[i], recs[j], TREE)
        assert hh._sig_conflict(sigs[i], sigs[j], TREE) == want


@settings(max_examples=120, deadline=None)
@given(st.lists(raw_records(), min_size=2, max_size=14))
def test_the_integer_blocks_are_the_blocks_of_block_keys(raws: list[dict[str, Any]]) -> None:
    recs = prepared(raws)
    by_key: dict[str, list[int]] = {}
    for rec in recs:
        for k in hh.block_keys(rec):
            by_key.setdefault(k, []).append(rec.index)
    want = sorted(sorted(b) for b in by_key.values() if 2 <= len(b) <= hh.MAX_BLOCK)
    got = sorted(sorted(row) for arr in hh._block_arrays(recs) for row in arr.tolist())
    assert got == want


def _slow_rarity(records: list[hh.Record]) -> dict[int, bool]:
    per_list: dict[Any, dict[Any, int]] = {}
    total: dict[Any, int] = {}
    for r in records:
        for p in r.places or {""}:
            key = (p, r.head.name[1])
            lists = per_list.setdefault(key, {})
            lists[(r.org, r.year)] = lists.get((r.org, r.year), 0) + 1
            total[key] = total.get(key, 0) + 1
    out = {}
    for r in records:
        rare = bool(r.head.name[1]) and bool(r.places)
        for p in r.places or {""}:
            key = (p, r.head.name[1])
            if max(per_list[key].values()) > 1 or total[key] > 6:
                rare = False
        out[r.index] = rare
    return out


@settings(max_examples=120, deadline=None)
@given(st.lists(raw_records(), min_size=1, max_size=20))
def test_the_counted_rarity_is_the_rule(raws: list[dict[str, Any]]) -> None:
    recs = prepared(raws)
    assert hh._rarity(recs) == _slow_rarity(recs)


def test_the_rarity_of_crowded_lists_is_the_rule() -> None:
    recs = prepared(_crowded_lists(4, 300))
    assert hh._rarity(recs) == _slow_rarity(recs)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40),
        )
    )
)
def test_the_components_of_the_links_are_those_of_a_union_find(
    case: tuple[int, list[tuple[int, int]]],
) -> None:
    """The parallel join is split by ``_components``: each record's label is the smallest
    index of its connected component, as a plain union-find gives it."""
    n, edges = case
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in edges:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    lo = np.array([min(e) for e in edges], dtype=np.int64)
    hi = np.array([max(e) for e in edges], dtype=np.int64)
    assert hh._components(n, lo, hi).tolist() == [root(i) for i in range(n)]


@given(st.text(max_size=40))
def test_the_fold_table_is_fold_of_the_nfc(text: str) -> None:
    assert hh._fold_fast(text) == fold(unicodedata.normalize("NFC", text))


@given(st.text(alphabet="tdpkcsnx.qhTDPK 0123,ấ", max_size=30))
def test_the_factored_abbreviations_are_the_alternatives(text: str) -> None:
    import re

    plain = re.compile("|".join(f"({rx.pattern})" for rx, _ in hh._ADDR_ABBR))
    assert [(m.span(), m.lastindex) for m in hh._ADDR_ABBR_ONE.finditer(text)] == [
        (m.span(), m.lastindex) for m in plain.finditer(text)
    ]
