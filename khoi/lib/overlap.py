"""Overlap detection between activities of different organizations (pure Python).

The rule (issue "Plans, joint work and tasks"): two activities overlap when all hold

1. they belong to different organizations;
2. their target units share a unit, or one targets a unit that contains (is an ancestor
   of) a unit the other targets;
3. their date ranges overlap or lie within ``window_days`` (14 by default) of each other;
4. they pursue the same purpose: kinds of the same family (``KIND_FAMILY``) and the same
   topic, judged from the words of the titles and descriptions.

Conditions 1–3 and the family are exact. The topic is a text similarity:

- Each text is turned into accent-folded content tokens by ``vntext.tokens`` (tone
  placement, missing diacritics, abbreviations, boilerplate and numbers neutralised) and
  the words that only say *how* (``ACTION_PHRASES``: "tuyên truyền", "kiểm tra"…) are
  removed, since the kind is compared separately. Shingles are the tokens plus the
  unordered bigrams of neighbouring tokens (``vntext.shingles``).
- A shingle weighs its inverse document frequency ``idf = ln(1 + (N + 1000) / df)``
  over the N indexed activities (the 1000 prior documents keep tiny corpora sane),
  times ``GENERIC_WEIGHT`` (0.25) when all its words are generic (``GENERIC_WORDS``:
  audiences, places, logistics, modifiers such as "phòng chống", "an toàn"), times 1 in
  the title and ``DESCRIPTION_WEIGHT`` (0.5) when it only occurs in the description.
- ``similarity = S / sqrt(W_a · W_b)`` where ``S`` is the summed weight (the smaller of
  the two) of the shared shingles and ``W`` the total weight of each side. A pair is an
  overlap when ``similarity ≥ threshold`` (``DEFAULT_THRESHOLD`` = 0.25, tuned on the
  benchmark in ``bench/overlap``). ``PairReason.matched_words`` lists the shared words as
  phrases spelt as in the first activity's text (runs of generic words alone left out).

Score of a pair, in 0..1 (higher = more certain)::

    topic = 0.5 + 0.5 · (similarity − threshold) / (1 − threshold)      (capped at 1)
    dates = 1 when the ranges overlap, else 1 − 0.5 · gap / (window_days + 1)
    units = 1 when a unit is shared, else 0.8 (containment only)
    score = topic · (0.8 + 0.1 · dates + 0.1 · units)

A group is a connected set of overlapping pairs (union–find); its score is the mean of
its pair scores. Groups are listed most certain first, ties by input order.

Scaling (no all-pairs comparison):

- Blocking. Every activity sits in the blocks ``(unit, family, 16-day bucket)`` of its own
  target units and of the buckets its dates cover. An activity looks at the blocks of its
  own units *and their ancestors*, for the buckets of its dates widened by the window; a
  pair that shares a unit is seen from both sides, a pair where one targets an ancestor
  of the other's unit from the descendant's side. ``OverlapIndex.suggest`` also looks at
  the blocks of the descendants of the draft's units.
- Word filter. A candidate must share a non-generic word with the activity (set test in
  C) before the exact checks (organization, dates, similarity).
- Crowded blocks. A block holding more than ``BIG_BLOCK`` activities (e.g. every
  activity of a big office aimed at the same district) is also indexed by word:
  ``(word, block)`` → activities, under the non-generic words of each activity (all of
  them while fewer than ``FULL_INDEX_LIMIT`` activities are indexed, else the
  ``PREFIX_TITLE`` rarest of the title and ``PREFIX_DESCRIPTION`` rarest of the
  description), and looked up under the activity's own such words. There a true overlap
  is missed only when the two texts share none of these rare words.
- Two cores. ``find_groups`` on ``PARALLEL_MIN`` activities or more forks one process per
  core and gives each whole top-level units (overlaps never cross them); the processes
  pool their word counts first, so weights, pairs and scores are those of one process.
  ``OverlapIndex.add_all`` tokenises in forked workers the same way.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from typing import Any

from khoi.lib import vntext

_Raw = tuple[int, int, float, int, int, tuple[int, ...]]

# Kind codes → family. Kinds of one family pursue a purpose the same way.
KIND_FAMILY: dict[str, str] = {
    "propaganda": "outreach",
    "mobilisation": "outreach",
    "training": "outreach",
    "inspection": "checking",
    "supervision": "checking",
    "survey": "checking",
    "emulation": "emulation",
    "support": "support",
    "other": "other",
}
FAMILIES: tuple[str, ...] = ("outreach", "checking", "emulation", "support", "other")
FAMILY_LABELS: dict[str, str] = {
    "outreach": "Tuyên truyền, vận động, tập huấn",
    "checking": "Kiểm tra, giám sát, khảo sát",
    "emulation": "Thi đua",
    "support": "Hỗ trợ",
    "other": "Khác",
}

# Words that say how an activity is done rather than what it is about; the kind (family)
# is compared on its own, so they are left out of the topic.
ACTION_PHRASES: tuple[str, ...] = (
    "tuyên truyền",
    "vận động",
    "tập huấn",
    "bồi dưỡng",
    "phổ biến",
    "giáo dục",
    "kiểm tra",
    "giám sát",
    "khảo sát",
    "điều tra",
    "thi đua",
    "phát động",
    "hỗ trợ",
    "trao tặng",
    "hội nghị",
    "hội thảo",
    "ra quân",
    "mít tinh",
    "sơ kết",
    "tổng kết",
    "hướng dẫn",
    "đánh giá",
    "tình hình",
)

# Words common to any activity (audiences, places, organizations, logistics): they weigh
# GENERIC_WEIGHT of their frequency weight, so that "cho hội viên" or "tại khu dân cư"
# do not make two different topics look alike.
GENERIC_WORDS: tuple[str, ...] = (
    "hội viên", "đoàn viên", "nhân dân", "học sinh", "sinh viên", "cán bộ", "công chức",
    "viên chức", "khu dân cư", "kinh phí", "thôn", "xã", "phường", "tỉnh", "huyện", "tổ",
    "địa điểm", "thời gian", "nhà văn hóa", "ban thường trực", "đoàn thể", "chính trị",
    "tầng lớp", "tham gia", "huy động", "phân công", "phụ trách", "báo cáo", "nguồn",
    "ngân sách", "hội", "đoàn", "chi hội", "thanh niên", "phụ nữ", "nông dân",
    "cựu chiến binh", "người", "dân", "cộng đồng", "gia đình", "cơ sở", "các cấp", "đến",
    "trước", "gồm", "thành phần", "giao", "triển khai", "mặt trận", "tổ quốc", "ủy ban",
    "liên hiệp", "công đoàn", "cao tuổi", "xây dựng", "phát triển", "phong trào",
    "bảo đảm", "đảm bảo", "nghiệp vụ", "kiến thức", "chuyên đề", "dịp",
    "phòng", "chống", "phòng chống", "an toàn", "vệ sinh", "bảo hiểm", "bảo vệ",
)  # fmt: skip
GENERIC_WEIGHT = 0.25

DEFAULT_WINDOW_DAYS = 14
DEFAULT_THRESHOLD = 0.25
DESCRIPTION_WEIGHT = 0.5
IDF_PRIOR_DOCS = 1000
BUCKET_DAYS = 16
BIG_BLOCK = 64  # blocks with more activities are searched through their shingles
PARALLEL_MIN = 50_000  # bulk work above this size is split over the CPU cores (fork)
FULL_INDEX_LIMIT = 20_000
_DESC_CACHE_MAX = 400_000
PREFIX_TITLE = 6
PREFIX_DESCRIPTION = 2

_FAMILY_ID = {f: i for i, f in enumerate(FAMILIES)}
_GENERIC_KEYS = frozenset(w for phrase in GENERIC_WORDS for w in vntext.fold(phrase).split())
# Key layout: shingle << 40 | unit << 18 | family << 15 | bucket.
_UNIT_SHIFT, _FAMILY_SHIFT, _SHINGLE_SHIFT = 18, 15, 40
_MAX_UNITS = 1 << 22
_BUCKET_MASK = (1 << 15) - 1


class OverlapError(ValueError):
    """Invalid input for the engine: ``code`` is stable, the message Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity as the engine sees it (``id`` is returned as given)."""

    id: Any
    org: str
    kind: str
    title: str
    description: str
    units: tuple[str, ...]
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.kind not in KIND_FAMILY:
            raise OverlapError("unknown_kind", f"Loại hoạt động không hợp lệ: {self.kind!r}.")
        if self.end < self.start:
            raise OverlapError(
                "end_before_start",
                f"Ngày kết thúc {self.end.isoformat()} trước ngày bắt đầu "
                f"{self.start.isoformat()}.",
            )

    @property
    def family(self) -> str:
        return KIND_FAMILY[self.kind]


@dataclass(frozen=True, slots=True)
class PairReason:
    """Why two activities overlap."""

    ids: tuple[Any, Any]
    score: float
    similarity: float
    family: str
    shared_units: tuple[str, ...]
    contained_units: tuple[tuple[str, str], ...]  # (containing unit, contained unit)
    overlap_days: int  # days both ranges cover (0 when apart)
    gap_days: int  # days between the ranges (0 when they overlap)
    matched_words: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ids": list(self.ids),
            "score": self.score,
            "similarity": self.similarity,
            "family": self.family,
            "shared_units": list(self.shared_units),
            "contained_units": [list(p) for p in self.contained_units],
            "overlap_days": self.overlap_days,
            "gap_days": self.gap_days,
            "matched_words": list(self.matched_words),
        }

    def describe(self) -> str:
        """One readable Vietnamese sentence."""
        parts = []
        if self.shared_units:
            parts.append("cùng địa bàn " + ", ".join(self.shared_units))
        for outer, inner in self.contained_units:
            parts.append(f"{inner} thuộc {outer}")
        if self.overlap_days:
            parts.append(f"trùng {self.overlap_days} ngày")
        else:
            parts.append(f"cách nhau {self.gap_days} ngày")
        parts.append("cùng nhóm " + FAMILY_LABELS[self.family].lower())
        if self.matched_words:
            parts.append("từ trùng: " + ", ".join(self.matched_words))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class OverlapGroup:
    """Connected overlapping activities, with the reasons of each pair."""

    ids: tuple[Any, ...]
    score: float
    reasons: tuple[PairReason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ids": list(self.ids),
            "score": self.score,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(slots=True)
class UnitTree:
    """Unit containment from a child → parent map (unknown units are roots)."""

    parents: Mapping[str, str] = field(default_factory=dict)
    _anc: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def ancestors(self, unit: str) -> tuple[str, ...]:
        """Strict ancestors, nearest first (cycles are cut)."""
        hit = self._anc.get(unit)
        if hit is None:
            out: list[str] = []
            seen = {unit}
            cur = self.parents.get(unit)
            while cur is not None and cur not in seen:
                out.append(cur)
                seen.add(cur)
                cur = self.parents.get(cur)
            hit = self._anc[unit] = tuple(out)
        return hit

    def contains(self, outer: str, inner: str) -> bool:
        """True when ``outer`` is a strict ancestor of ``inner``."""
        return outer in self.ancestors(inner)


def unit_relation(
    units_a: Iterable[str], units_b: Iterable[str], tree: UnitTree
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(shared units, (containing, contained) pairs) of two target-unit lists."""
    a, b = set(units_a), set(units_b)
    shared = tuple(sorted(a & b))
    contained = set()
    for x in a:
        for y in b:
            if x != y:
                if tree.contains(x, y):
                    contained.add((x, y))
                elif tree.contains(y, x):
                    contained.add((y, x))
    return shared, tuple(sorted(contained))


def date_relation(
    start_a: date | int, end_a: date | int, start_b: date | int, end_b: date | int
) -> tuple[int, int]:
    """(overlap days, gap days) of two inclusive date ranges."""
    sa = start_a if isinstance(start_a, int) else start_a.toordinal()
    ea = end_a if isinstance(end_a, int) else end_a.toordinal()
    sb = start_b if isinstance(start_b, int) else start_b.toordinal()
    eb = end_b if isinstance(end_b, int) else end_b.toordinal()
    inter = min(ea, eb) - max(sa, sb) + 1
    if inter > 0:
        return inter, 0
    return 0, max(sa, sb) - min(ea, eb)


def topic_shingles(title: str, description: str) -> tuple[list[str], list[str]]:
    """(title shingles, description-only shingles) used for the topic."""
    t = vntext.shingles(vntext.tokens(title, ACTION_PHRASES))
    seen = set(t)
    d = [s for s in vntext.shingles(vntext.tokens(description, ACTION_PHRASES)) if s not in seen]
    return t, d


_ANALYZED: dict[str, tuple[tuple[str, str], ...]] = {}
_ANALYZED_MAX = 4096
_TOPICAL: dict[str, bool] = {}
_TOPICAL_MAX = 200_000


def _analyzed(text: str) -> tuple[tuple[str, str], ...]:
    """``vntext.analyze(text, ACTION_PHRASES)``, memoised for the texts seen last (the
    reasons of one activity's pairs are built one after the other)."""
    hit = _ANALYZED.get(text)
    if hit is None:
        if len(_ANALYZED) >= _ANALYZED_MAX:
            _ANALYZED.clear()
        hit = _ANALYZED[text] = tuple(vntext.analyze(text, ACTION_PHRASES))
    return hit


def _run_topical(phrase: str) -> bool:
    """True when a run of shared words holds a non-generic word (memoised)."""
    hit = _TOPICAL.get(phrase)
    if hit is None:
        hit = any(w not in _GENERIC_KEYS for w in vntext.tokens(phrase))
        if len(_TOPICAL) < _TOPICAL_MAX:
            _TOPICAL[phrase] = hit
    return hit


class OverlapIndex:
    """Activities indexed for overlap look-ups; ``add``/``remove``/``suggest``.

    ``find_groups`` builds one in bulk; the web pages keep one per office and ask
    ``suggest(draft)`` while an activity is being edited.
    """

    def __init__(
        self,
        parents: Mapping[str, str] | None = None,
        window_days: int = DEFAULT_WINDOW_DAYS,
        threshold: float = DEFAULT_THRESHOLD,
        full_index_limit: int = FULL_INDEX_LIMIT,
    ) -> None:
        if window_days < 0:
            raise OverlapError("bad_window", "Số ngày cửa sổ phải không âm.")
        self.tree = UnitTree(dict(parents or {}))
        self.window = window_days
        self.threshold = threshold
        self.full_index_limit = full_index_limit
        # Records, by slot.
        self._ids: list[Any] = []
        self._org: list[str] = []
        self._fam: list[int] = []
        self._units: list[tuple[int, ...]] = []
        self._start: list[int] = []
        self._end: list[int] = []
        self._tsh: list[tuple[int, ...]] = []
        self._dsh: list[tuple[int, ...]] = []
        self._weight: list[float] = []
        self._keys: list[tuple[int, ...]] = []
        self._alive: list[bool] = []
        self._slot: dict[Any, int] = {}
        self._interned: dict[str, str] = {}
        # Vocabulary.
        self._sid: dict[str, int] = {}
        self._skey: list[str] = []
        self._df: list[int] = []
        self._mult: list[float] = []
        self._wt: list[float] = []  # current weight of each shingle
        self._keyable: list[bool] = []  # non-generic unigram: may be an index key
        self._wt_n = 0
        self._n = 0
        # Units.
        self._uid: dict[str, int] = {}
        self._ucode: list[str] = []
        self._probe_cache: dict[int, tuple[tuple[int, bool], ...]] = {}
        self._children: dict[str, list[str]] | None = None
        # Blocks: (unit, family, bucket) → slots. Blocks bigger than BIG_BLOCK are also
        # indexed by shingle: (shingle, unit, family, bucket) → slot or list of slots.
        self._blocks: dict[int, list[int]] = {}
        self._big: set[int] = set()
        self._post: dict[int, int | list[int]] = {}
        self._pre: list[tuple[int, ...]] = []
        self._kw: list[tuple[int, ...]] = []  # keyable shingles (prefilter)
        self._texts: list[tuple[str, str]] = []  # the same string objects as the records
        self._desc_cache: dict[str, tuple[int, ...]] = {}  # description → its shingles

    # -- building -----------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    def _unit(self, code: str) -> int:
        u = self._uid.get(code)
        if u is None:
            u = self._uid[code] = len(self._ucode)
            if u >= _MAX_UNITS:
                raise OverlapError("too_many_units", "Quá nhiều đơn vị.")
            self._ucode.append(code)
        return u

    def _shingle_ids(self, shingles: list[str], grow: bool) -> tuple[int, ...]:
        known = tuple(map(self._sid.get, shingles))
        if None not in known:
            return known  # type: ignore[return-value]
        sid = self._sid
        out: list[int] = []
        for s in shingles:
            i = sid.get(s)
            if i is None:
                if not grow:
                    i = -1 - len(out)  # unknown to the index: matches nothing
                else:
                    i = sid[s] = len(self._skey)
                    self._skey.append(s)
                    self._df.append(0)
                    generic = all(w in _GENERIC_KEYS for w in s.split(" "))
                    mult = GENERIC_WEIGHT if generic else 1.0
                    self._mult.append(mult)
                    self._wt.append(mult * math.log(2.0 + self._n + IDF_PRIOR_DOCS))
                    self._keyable.append(not generic and " " not in s)
            out.append(i)
        return tuple(out)

    def _store(self, rec: Activity, shingled: tuple[list[str], list[str]] | None = None) -> int:
        if rec.id in self._slot:
            raise OverlapError("duplicate_id", f"Mã hoạt động bị trùng: {rec.id!r}.")
        if shingled is not None:
            tsh = self._shingle_ids(shingled[0], grow=True)
            dsh = self._shingle_ids(shingled[1], grow=True)
        else:
            # topic_shingles, with the shingles of a description (often repeated) memoised.
            tsh = self._shingle_ids(
                vntext.shingles(vntext.tokens(rec.title, ACTION_PHRASES)), grow=True
            )
            cache = self._desc_cache
            whole = cache.get(rec.description)
            if whole is None:
                whole = self._shingle_ids(
                    vntext.shingles(vntext.tokens(rec.description, ACTION_PHRASES)), grow=True
                )
                if len(cache) < _DESC_CACHE_MAX:
                    cache[rec.description] = whole
            if tsh:
                in_title = set(tsh)
                dsh = tuple([s for s in whole if s not in in_title])
            else:
                dsh = whole
        df = self._df
        for s in tsh + dsh:
            df[s] += 1
        slot = len(self._ids)
        org = self._interned.setdefault(rec.org, rec.org)
        self._ids.append(rec.id)
        self._org.append(org)
        self._fam.append(_FAMILY_ID[KIND_FAMILY[rec.kind]])
        self._units.append(tuple(dict.fromkeys(self._unit(u) for u in rec.units)))
        self._start.append(rec.start.toordinal())
        self._end.append(rec.end.toordinal())
        self._tsh.append(tsh)
        self._dsh.append(dsh)
        self._weight.append(0.0)
        self._keys.append(())
        self._pre.append(())
        self._texts.append((rec.title, rec.description))
        both = tsh + dsh
        self._kw.append(tuple(compress(both, map(self._keyable.__getitem__, both))))
        self._alive.append(True)
        self._slot[rec.id] = slot
        self._n += 1
        return slot

    def _refresh_weights(self) -> None:
        """Recompute shingle weights from the current frequencies."""
        n = self._n + IDF_PRIOR_DOCS
        log = math.log
        self._wt = [m * log(1.0 + n / (d or 1)) for m, d in zip(self._mult, self._df, strict=True)]
        self._wt_n = self._n

    def _idf(self, s: int) -> float:
        """Weight of a shingle: inverse document frequency, less for generic words."""
        if s < 0:
            return math.log(2.0 + self._n + IDF_PRIOR_DOCS)
        return self._wt[s]

    def _total_weight(self, tsh: tuple[int, ...], dsh: tuple[int, ...]) -> float:
        idf = self._idf
        return sum(map(idf, tsh)) + DESCRIPTION_WEIGHT * sum(map(idf, dsh))

    def _prefix(self, tsh: tuple[int, ...], dsh: tuple[int, ...]) -> list[int]:
        """Index keys of a text: its non-generic words, only the rarest in a big index."""
        keyable = self._keyable
        t = [s for s in tsh if s >= 0 and keyable[s]]
        d = [s for s in dsh if s >= 0 and keyable[s]]
        if self._n < self.full_index_limit:
            return t + d
        df = self._df.__getitem__
        if len(t) > PREFIX_TITLE:
            t.sort(key=df)
            del t[PREFIX_TITLE:]
        if len(d) > PREFIX_DESCRIPTION:
            d.sort(key=df)
            del d[PREFIX_DESCRIPTION:]
        return t + d

    def _buckets(self, start: int, end: int) -> range:
        return range(start // BUCKET_DAYS, end // BUCKET_DAYS + 1)

    def _post_prefix(self, slot: int, block: int) -> None:
        post = self._post
        for sh in self._pre[slot]:
            k = sh << _SHINGLE_SHIFT | block
            cur = post.get(k)
            if cur is None:
                post[k] = slot
            elif isinstance(cur, int):
                post[k] = [cur, slot]
            else:
                cur.append(slot)

    def _post_slot(self, slot: int) -> None:
        famk = self._fam[slot] << _FAMILY_SHIFT
        buckets = [b & _BUCKET_MASK for b in self._buckets(self._start[slot], self._end[slot])]
        self._pre[slot] = tuple(self._prefix(self._tsh[slot], self._dsh[slot]))
        blocks, big = self._blocks, self._big
        keys = []
        for u in self._units[slot]:
            base = u << _UNIT_SHIFT | famk
            for b in buckets:
                k = base | b
                keys.append(k)
                members = blocks.get(k)
                if members is None:
                    blocks[k] = [slot]
                    continue
                members.append(slot)
                if k in big:
                    self._post_prefix(slot, k)
                elif len(members) > BIG_BLOCK:
                    big.add(k)
                    for m in members:
                        self._post_prefix(m, k)
        self._keys[slot] = tuple(keys)

    def add(self, rec: Activity) -> None:
        """Index one activity (its weights use the frequencies known so far)."""
        slot = self._store(rec)
        self._desc_cache.clear()  # only bulk loading keeps it
        if self._n > 1.1 * self._wt_n + 10:
            self._refresh_weights()
        self._weight[slot] = self._total_weight(self._tsh[slot], self._dsh[slot])
        self._post_slot(slot)

    def add_all(self, records: Iterable[Activity], parallel: bool | None = None) -> None:
        """Index many activities at once (frequencies counted over all of them first).

        From ``PARALLEL_MIN`` records (or with ``parallel=True``) the texts are tokenised in
        forked worker processes; pass ``parallel=False`` inside a threaded server.
        """
        records = list(records)
        if parallel is None:
            parallel = len(records) >= PARALLEL_MIN
        with _gc_paused():
            if parallel and _workers() > 1:
                slots = [
                    self._store(rec, shingled)
                    for rec, shingled in zip(records, _parallel_shingles(records), strict=True)
                ]
            else:
                slots = [self._store(rec) for rec in records]
            self._finish_bulk(slots)

    def _finish_bulk(self, slots: list[int]) -> None:
        self._desc_cache.clear()
        self._refresh_weights()
        wt = self._wt.__getitem__
        weight, tshs, dshs = self._weight, self._tsh, self._dsh
        for slot in slots:
            weight[slot] = sum(map(wt, tshs[slot])) + DESCRIPTION_WEIGHT * sum(map(wt, dshs[slot]))
        for slot in slots:
            self._post_slot(slot)

    def remove(self, activity_id: Any) -> bool:
        """Forget an activity; False when it was not indexed."""
        slot = self._slot.pop(activity_id, None)
        if slot is None:
            return False
        post = self._post
        for block in self._keys[slot]:
            members = self._blocks[block]
            members.remove(slot)
            if not members:
                del self._blocks[block]
            if block not in self._big:
                continue
            for sh in self._pre[slot]:
                k = sh << _SHINGLE_SHIFT | block
                cur = post.get(k)
                if cur == slot:
                    del post[k]
                elif isinstance(cur, list) and slot in cur:
                    cur.remove(slot)
                    if len(cur) == 1:
                        post[k] = cur[0]
        for s in self._tsh[slot] + self._dsh[slot]:
            self._df[s] -= 1
        self._alive[slot] = False
        self._keys[slot] = ()
        self._pre[slot] = ()
        self._kw[slot] = ()
        self._texts[slot] = ("", "")
        self._n -= 1
        return True

    # -- look-ups -----------------------------------------------------------------

    def _probe_units(self, u: int) -> tuple[tuple[int, bool], ...]:
        hit = self._probe_cache.get(u)
        if hit is None:
            anc = self.tree.ancestors(self._ucode[u])
            hit = ((u, True), *((self._unit(a), False) for a in anc))
            self._probe_cache[u] = hit
        return hit

    def _similarity(
        self,
        tsh_a: tuple[int, ...],
        dsh_a: tuple[int, ...],
        w_a: float,
        tsh_b: tuple[int, ...],
        dsh_b: tuple[int, ...],
        w_b: float,
    ) -> tuple[float, set[int]]:
        if w_a <= 0 or w_b <= 0:
            return 0.0, set()
        ta, da = set(tsh_a), set(dsh_a)
        idf = self._wt.__getitem__
        shared_weight = 0.0
        shared: set[int] = set()
        for s in tsh_b:
            if s < 0:
                continue
            if s in ta:
                shared_weight += idf(s)
                shared.add(s)
            elif s in da:
                shared_weight += DESCRIPTION_WEIGHT * idf(s)
                shared.add(s)
        for s in dsh_b:
            if s >= 0 and (s in ta or s in da):
                shared_weight += DESCRIPTION_WEIGHT * idf(s)
                shared.add(s)
        return shared_weight / math.sqrt(w_a * w_b), shared

    def _score(self, sim: float, overlap_days: int, gap: int, shared_unit: bool) -> float:
        t = self.threshold
        topic = min(1.0, 0.5 + 0.5 * (sim - t) / (1.0 - t)) if t < 1 else 1.0
        dates = 1.0 if overlap_days else 1.0 - 0.5 * gap / (self.window + 1)
        units = 1.0 if shared_unit else 0.8
        return round(topic * (0.8 + 0.1 * dates + 0.1 * units), 4)

    def _matched_words(
        self,
        tsh: tuple[int, ...],
        dsh: tuple[int, ...],
        shared: set[int],
        texts: tuple[str, str] | None = None,
    ) -> tuple[str, ...]:
        """Shared words as phrases, in the order and the spelling of the first text."""
        phrases: list[str] = []
        run: list[str] = []
        skey = self._skey
        if texts is not None:
            # Runs of shared words; a run of generic words only ("hội viên") is left out.
            keys = {skey[s] for s in shared if s >= 0}
            for text in texts:
                for key, pretty in _analyzed(text):
                    if key in keys:
                        run.append(pretty)
                        continue
                    if run:
                        joined = " ".join(run)
                        if _run_topical(joined):
                            phrases.append(joined)
                        run = []
                if run:
                    joined = " ".join(run)
                    if _run_topical(joined):
                        phrases.append(joined)
                    run = []
            return tuple(dict.fromkeys(phrases))
        for s in tsh + dsh:
            key = skey[s] if s >= 0 else ""
            if " " in key or not key:
                continue
            if s in shared:
                run.append(vntext.readable(key))
            elif run:
                phrases.append(" ".join(run))
                run = []
        if run:
            phrases.append(" ".join(run))
        return tuple(dict.fromkeys(phrases))

    def _gather(
        self,
        prefix: Iterable[int],
        fam: int,
        units: Iterable[int],
        start: int,
        end: int,
    ) -> list[int]:
        """Slots in the blocks of ``units`` × ``fam`` × the buckets of the widened dates.

        Big blocks are only searched under the shingles of ``prefix``.
        """
        blocks, big, post = self._blocks, self._big, self._post
        famk = fam << _FAMILY_SHIFT
        buckets = [b & _BUCKET_MASK for b in self._buckets(start - self.window, end + self.window)]
        shifted: list[int] | None = None
        out: list[int] = []
        for u in units:
            base = u << _UNIT_SHIFT | famk
            for b in buckets:
                k = base | b
                members = blocks.get(k)
                if members is None:
                    continue
                if k not in big:
                    out.extend(members)
                    continue
                if shifted is None:
                    shifted = [sh << _SHINGLE_SHIFT for sh in prefix]
                for hit in map(post.get, [sh | k for sh in shifted]):
                    if hit is None:
                        continue
                    if isinstance(hit, int):
                        out.append(hit)
                    else:
                        out.extend(hit)
        return out

    def _check(
        self,
        org: str,
        start: int,
        end: int,
        tsh: tuple[int, ...],
        dsh: tuple[int, ...],
        weight: float,
        j: int,
    ) -> tuple[float, int, int, set[int]] | None:
        """(similarity, overlap days, gap days, shared shingles) or None."""
        if self._org[j] == org or not self._alive[j]:
            return None
        sj, ej = self._start[j], self._end[j]
        inter = min(end, ej) - max(start, sj) + 1
        gap = 0 if inter > 0 else max(start, sj) - min(end, ej)
        if gap > self.window:
            return None
        wj = self._weight[j]
        t2 = self.threshold * self.threshold
        if weight <= 0 or wj <= 0 or min(weight, wj) < t2 * max(weight, wj):
            return None
        sim, shared = self._similarity(tsh, dsh, weight, self._tsh[j], self._dsh[j], wj)
        if sim < self.threshold:
            return None
        return sim, max(inter, 0), gap, shared

    def _reason(
        self,
        id_a: Any,
        units_a: tuple[str, ...],
        tsh: tuple[int, ...],
        dsh: tuple[int, ...],
        fam: int,
        j: int,
        found: tuple[float, int, int, set[int]],
        texts: tuple[str, str] | None = None,
    ) -> PairReason:
        sim, inter, gap, shared = found
        units_b = tuple(self._ucode[u] for u in self._units[j])
        shared_units, contained = unit_relation(units_a, units_b, self.tree)
        return PairReason(
            ids=(id_a, self._ids[j]),
            score=self._score(sim, inter, gap, bool(shared_units)),
            similarity=round(min(sim, 1.0), 4),
            family=FAMILIES[fam],
            shared_units=shared_units,
            contained_units=contained,
            overlap_days=inter,
            gap_days=gap,
            matched_words=self._matched_words(tsh, dsh, shared, texts),
        )

    def _descendants(self, code: str) -> list[str]:
        if self._children is None:
            children: dict[str, list[str]] = {}
            for child, parent in self.tree.parents.items():
                children.setdefault(parent, []).append(child)
            self._children = children
        out, stack, seen = [], [code], {code}
        while stack:
            for c in self._children.get(stack.pop(), ()):
                if c not in seen:
                    seen.add(c)
                    out.append(c)
                    stack.append(c)
        return out

    def suggest(self, draft: Activity, limit: int = 20) -> list[PairReason]:
        """Indexed activities of other organizations that overlap ``draft``.

        ``draft`` need not be indexed; an indexed activity with the same id is ignored
        (the activity being edited). Most certain first; ``ids`` = (draft id, other id).
        """
        t, d = topic_shingles(draft.title, draft.description)
        tsh = self._shingle_ids(t, grow=False)
        dsh = self._shingle_ids(d, grow=False)
        weight = self._total_weight(tsh, dsh)
        fam = _FAMILY_ID[draft.family]
        start, end = draft.start.toordinal(), draft.end.toordinal()
        probe: dict[int, None] = {}
        for code in draft.units:
            for c in (code, *self.tree.ancestors(code), *self._descendants(code)):
                u = self._uid.get(c)
                if u is not None:
                    probe[u] = None
        skip = self._slot.get(draft.id)
        seen: set[int] = set()
        out = []
        keyable = self._keyable
        mine = {s for s in tsh + dsh if s >= 0 and keyable[s]}
        for j in self._gather(mine, fam, probe, start, end):
            if j in seen or j == skip:
                continue
            seen.add(j)
            if mine.isdisjoint(self._tsh[j]) and mine.isdisjoint(self._dsh[j]):
                continue
            found = self._check(draft.org, start, end, tsh, dsh, weight, j)
            if found is not None:
                texts = (draft.title, draft.description)
                out.append(self._reason(draft.id, draft.units, tsh, dsh, fam, j, found, texts))
        out.sort(key=lambda r: (-r.score, self._slot.get(r.ids[1], 0)))
        return out[:limit]

    def _raw_pairs(self, part: int = 0, parts: int = 1) -> list[_Raw]:
        """Overlapping pairs (a < b, similarity, overlap, gap, shared) for slots ≡ part.

        A pair may come twice (once from each side); ``pairs`` keeps one.
        """
        found: list[_Raw] = []
        alive, kws = self._alive, self._kw
        tshs, dshs, weights, wt = self._tsh, self._dsh, self._weight, self._wt
        starts, ends, orgs = self._start, self._end, self._org
        w = self.window
        threshold = self.threshold
        t2 = threshold * threshold
        half = DESCRIPTION_WEIGHT
        sqrt = math.sqrt
        probe_of: dict[tuple[int, ...], tuple[int, ...]] = {}
        for i in range(part, len(self._ids), parts):
            if not alive[i]:
                continue
            tsh, dsh, weight = tshs[i], dshs[i], weights[i]
            if weight <= 0:
                continue  # nothing can reach the threshold (see _check)
            org, start, end = orgs[i], starts[i], ends[i]
            lo, hi = start - w, end + w
            own = self._units[i]
            units = probe_of.get(own)
            if units is None:
                probe: dict[int, None] = {}
                for u in own:
                    for v, _own in self._probe_units(u):
                        probe[v] = None
                units = probe_of[own] = tuple(probe)
            mine = set(kws[i])
            seen: set[int] = {i}
            ta: set[int] | None = None
            da: set[int] = set()
            # The checks of _check and _similarity, inlined (same order, same sums).
            for j in self._gather(self._pre[i], self._fam[i], units, start, end):
                if j in seen:
                    continue
                seen.add(j)
                sj, ej = starts[j], ends[j]
                if sj > hi or ej < lo or orgs[j] is org or mine.isdisjoint(kws[j]):
                    continue
                if orgs[j] == org or not alive[j]:
                    continue
                inter = min(end, ej) - max(start, sj) + 1
                gap = 0 if inter > 0 else max(start, sj) - min(end, ej)
                if gap > w:
                    continue
                wj = weights[j]
                if wj <= 0 or min(weight, wj) < t2 * max(weight, wj):
                    continue
                if ta is None:
                    ta, da = set(tsh), set(dsh)
                shared_weight = 0.0
                shared: list[int] = []
                for s in tshs[j]:
                    if s < 0:
                        continue
                    if s in ta:
                        shared_weight += wt[s]
                        shared.append(s)
                    elif s in da:
                        shared_weight += half * wt[s]
                        shared.append(s)
                for s in dshs[j]:
                    if s >= 0 and (s in ta or s in da):
                        shared_weight += half * wt[s]
                        shared.append(s)
                sim = shared_weight / sqrt(weight * wj)
                if sim < threshold:
                    continue
                a, b2 = (i, j) if i < j else (j, i)
                found.append((a, b2, sim, max(inter, 0), gap, tuple(shared)))
        return found

    def pairs(self) -> list[tuple[int, int, PairReason]]:
        """Every overlapping pair of indexed activities as (slot, slot, reason)."""
        with _gc_paused():
            if self._n >= PARALLEL_MIN and _workers() > 1:
                raw = _parallel_pairs(self)
            else:
                raw = self._raw_pairs()
            first: dict[tuple[int, int], _Raw] = {}
            for item in raw:
                first.setdefault((item[0], item[1]), item)
            del raw
            out: list[tuple[int, int, PairReason]] = []
            for (a, b), (_, _, sim, inter, gap, shared) in sorted(first.items()):
                units_a = tuple(self._ucode[x] for x in self._units[a])
                reason = self._reason(
                    self._ids[a],
                    units_a,
                    self._tsh[a],
                    self._dsh[a],
                    self._fam[a],
                    b,
                    (sim, inter, gap, set(shared)),
                    self._texts[a],
                )
                out.append((a, b, reason))
        return out

    def groups(self) -> list[OverlapGroup]:
        """Connected groups of overlapping pairs, most certain first."""
        return _make_groups(self.pairs(), self._ids)


def _make_groups(pairs: list[tuple[int, int, PairReason]], ids: list[Any]) -> list[OverlapGroup]:
    """Union–find over pairs of positions; groups most certain first, then input order."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[int]] = {}
    reasons: dict[int, list[tuple[int, int, PairReason]]] = {}
    for x in parent:
        members.setdefault(root(x), []).append(x)
    for a, b, r in pairs:
        reasons.setdefault(root(a), []).append((a, b, r))
    out = []
    for g, slots in members.items():
        rs = sorted(reasons[g], key=lambda t: (-t[2].score, t[0], t[1]))
        score = round(sum(t[2].score for t in rs) / len(rs), 4)
        out.append((score, g, sorted(slots), [t[2] for t in rs]))
    out.sort(key=lambda t: (-t[0], t[1]))
    return [
        OverlapGroup(ids=tuple(ids[s] for s in slots), score=score, reasons=tuple(rs))
        for score, _, slots, rs in out
    ]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Bulk work allocates millions of small objects: the cyclic GC only slows it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_IN_WORKER = False


def _workers() -> int:
    if _IN_WORKER or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(2, os.cpu_count() or 1)


def _shingle_chunk(texts: list[tuple[str, str]]) -> list[str]:
    out = []
    for title, description in texts:
        t, d = topic_shingles(title, description)
        out.append("|".join(t) + "\n" + "|".join(d))
    return out


def _parallel_shingles(records: list[Activity]) -> Iterator[tuple[list[str], list[str]]]:
    """topic_shingles of many records, computed by worker processes (in order)."""
    chunk = 2000
    jobs = [
        [(r.title, r.description) for r in records[k : k + chunk]]
        for k in range(0, len(records), chunk)
    ]
    with multiprocessing.get_context("fork").Pool(_workers()) as pool:
        for result in pool.imap(_shingle_chunk, jobs):
            for packed in result:
                t, d = packed.split("\n")
                yield (t.split("|") if t else []), (d.split("|") if d else [])


_FORKED: OverlapIndex | None = None


def _pairs_part(part: int) -> list[_Raw]:
    assert _FORKED is not None
    return _FORKED._raw_pairs(part, 2)


def _parallel_pairs(index: OverlapIndex) -> list[_Raw]:
    """_raw_pairs split between this process and one forked child."""
    global _FORKED
    _FORKED = index
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            child = pool.apply_async(_pairs_part, (1,))
            mine = index._raw_pairs(0, 2)
            return mine + child.get()
    finally:
        _FORKED = None


def _partitions(records: list[Activity], tree: UnitTree, parts: int) -> list[list[int]]:
    """Positions of the records of each part; parts are whole top-level units (overlaps
    never cross them), balanced greedily by size. A record under several top-level units
    is in each of their parts."""
    by_root: dict[str, list[int]] = {}
    for pos, rec in enumerate(records):
        roots = {(tree.ancestors(u) or (u,))[-1] for u in rec.units} or {""}
        for r in sorted(roots):
            by_root.setdefault(r, []).append(pos)
    load = [0] * parts
    out: list[list[int]] = [[] for _ in range(parts)]
    for r in sorted(by_root, key=lambda r: (-len(by_root[r]), r)):
        k = load.index(min(load))
        out[k].extend(by_root[r])
        load[k] += len(by_root[r])
    return [sorted(set(p)) for p in out]


_FORK_ARGS: tuple[Any, ...] | None = None


def _partition_worker(k: int, conn: Any) -> None:
    """In a forked child: index part k, trade word counts with the parent, find pairs."""
    global _IN_WORKER
    _IN_WORKER = True
    assert _FORK_ARGS is not None
    records, parts, primary, parents, window_days, threshold, limit = _FORK_ARGS
    positions = parts[k]
    index = OverlapIndex(parents, window_days, threshold, limit)
    with _gc_paused():
        slots = [index._store(records[p]) for p in positions]
        # Word counts: a record that sits in several parts counts in one only.
        df = index._df
        for slot, p in zip(slots, positions, strict=True):
            if primary[p] != k:
                for s in index._tsh[slot] + index._dsh[slot]:
                    df[s] -= 1
        conn.send(({key: df[i] for i, key in enumerate(index._skey)}, len(positions)))
        global_df, n_total = conn.recv()
        for i, key in enumerate(index._skey):
            df[i] = global_df[key]
        index._n = n_total
        index._finish_bulk(slots)
        pairs = [(positions[a], positions[b], r) for a, b, r in index.pairs()]
    conn.send(pairs)
    conn.close()


def _partitioned_pairs(
    records: list[Activity],
    parents: Mapping[str, str] | None,
    window_days: int,
    threshold: float,
    full_index_limit: int,
) -> list[tuple[int, int, PairReason]] | None:
    """Pairs of positions computed by one forked process per part, or None if one part."""
    global _FORK_ARGS
    n_parts = _workers()
    tree = UnitTree(dict(parents or {}))
    parts = [p for p in _partitions(records, tree, n_parts) if p]
    if len(parts) < 2:
        return None
    primary = [0] * len(records)
    for k in range(len(parts) - 1, -1, -1):
        for p in parts[k]:
            primary[p] = k
    ctx = multiprocessing.get_context("fork")
    _FORK_ARGS = (records, parts, primary, parents, window_days, threshold, full_index_limit)
    try:
        conns, procs = [], []
        for k in range(len(parts)):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_partition_worker, args=(k, theirs), daemon=True)
            proc.start()
            conns.append(mine)
            procs.append(proc)
        total: dict[str, int] = {}
        for conn in conns:
            local, _ = conn.recv()
            for key, count in local.items():
                total[key] = total.get(key, 0) + count
        for conn in conns:
            conn.send((total, len(records)))
        found: dict[tuple[int, int], PairReason] = {}
        for conn in conns:
            for a, b, r in conn.recv():
                found.setdefault((a, b), r)
        for proc in procs:
            proc.join()
            if proc.exitcode != 0:
                raise RuntimeError(f"overlap worker failed (exit code {proc.exitcode})")
    finally:
        _FORK_ARGS = None
    return [(a, b, r) for (a, b), r in sorted(found.items())]


def find_groups(
    records: Iterable[Activity],
    parents: Mapping[str, str] | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    threshold: float = DEFAULT_THRESHOLD,
    full_index_limit: int = FULL_INDEX_LIMIT,
    parallel: bool | None = None,
) -> list[OverlapGroup]:
    """Overlap groups among ``records``, most certain first (see the module docstring).

    Big inputs (``PARALLEL_MIN`` records or more, or ``parallel=True``) are split by
    top-level unit between forked processes; word frequencies stay global, so the result
    is the same as in one process.
    """
    records = list(records)
    if parallel is None:
        parallel = len(records) >= PARALLEL_MIN
    if parallel and _workers() > 1:
        ids = [r.id for r in records]
        if len(set(ids)) != len(ids):
            raise OverlapError("duplicate_id", "Mã hoạt động bị trùng.")
        with _gc_paused():
            pairs = _partitioned_pairs(records, parents, window_days, threshold, full_index_limit)
        if pairs is not None:
            return _make_groups(pairs, ids)
    index = OverlapIndex(parents, window_days, threshold, full_index_limit)
    index.add_all(records)
    return index.groups()
