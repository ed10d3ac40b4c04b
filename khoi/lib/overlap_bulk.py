"""The bulk scan of the overlap engine, vectorised with numpy (what ``find_groups`` runs).

``OverlapIndex`` reads one activity at a time (the suggestion panel); a scan of a
national year reads a million at once, and per-activity Python loops were most of its
cost. Here the same rule is computed on whole arrays; the result is the one
``OverlapIndex.groups`` gives, except that crowded blocks are searched exactly (every
shared word, not only the rarest ones), so a scan may find a few more pairs.

1. Texts (titles and descriptions, each distinct text once) are joined into one string
   with a separator no pattern of ``vntext``/``overlap`` can cross, and each step of
   ``Analyzer.shingles`` (place names, numbered words, keys, near-synonyms and acronyms,
   false-pair features, action phrases) runs once over it, in the regular-expression
   engine, instead of once per text. Tokens become integers; shingles (tokens and
   unordered neighbour bigrams, first occurrence kept) are deduplicated with numpy.
2. Frequencies, weights and each activity's total weight are array sums.
3. Candidate pairs: a sorted join on (shingle, unit, family, 16-day bucket) keys, an
   activity's probe keys (its units and their ancestors, the buckets of its dates widened
   by the window, its non-generic words) against the home keys of every activity (its own
   units and buckets, the same words). Organisation, dates and weights are then checked
   on the arrays of candidate pairs.
4. Similarity: each pair's shared shingles are looked up with ``searchsorted`` in the
   sorted (activity, shingle) keys and their weights summed with ``bincount``.
5. Reasons (matched words spelt as in the first activity's text, units, dates) are built
   in Python for the pairs found only.
"""

from __future__ import annotations

import bisect
import os
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from itertools import count
from typing import TYPE_CHECKING, Any

import numpy as np

from khoi.lib import vntext

if TYPE_CHECKING:
    from khoi.lib.overlap import Activity, Analyzer, PairReason, UnitTree

_SEP = " \x00 "
_MARK = "\x00"
_MARK_RE = re.compile("\x00")
_PROBE_CHUNK = 50_000  # activities whose probe keys are joined at once (memory bound)

Feat = tuple[frozenset[str] | None, bool]
Int = np.int64


def _positions(pattern: re.Pattern[str], text: str) -> np.ndarray:
    return np.fromiter((m.start() for m in pattern.finditer(text)), dtype=Int)


def _text_index(positions: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Index of the text each position of a joined string falls in."""
    return np.searchsorted(marks, positions)


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, rank within owner) of ``counts.sum()`` items, ``counts[k]`` per owner k."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts), dtype=Int), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(total, dtype=Int) - np.repeat(starts, counts)
    return owner, rank


def _first_occurrences(keys: np.ndarray) -> np.ndarray:
    """Mask of the first occurrence of each key (order kept)."""
    mask = np.zeros(len(keys), dtype=bool)
    if len(keys):
        _, first = np.unique(keys, return_index=True)
        mask[first] = True
    return mask


class TextShingles:
    """Shingles of many texts: ``ptr``/``sh`` (CSR: shingles of text k are
    ``sh[ptr[k]:ptr[k+1]]``, ids into ``keys``), features and cleaned texts."""

    def __init__(
        self,
        ptr: np.ndarray,
        sh: np.ndarray,
        keys: list[str],
        feats: dict[int, Feat],
        cleaned: set[int],
    ) -> None:
        self.ptr = ptr
        self.sh = sh
        self.keys = keys
        self.feats = feats
        self.cleaned = cleaned


# ``overlap._clean`` worked out per white-space chunk. ``drop_place_names`` only changes
# a text (but for white space) where a place word ends a chunk and a capitalised chunk
# follows it ("thôn Trại"; "khu phố Hạ Long"): such texts go through ``_clean`` itself.
# ``drop_numbered_words`` removes a numbered word ending a chunk and the number that
# starts the next ("năm 2017", "quy IV"): that is done on the keys of the two chunks.
_PLACE_FIRST = frozenset(vntext.fold_words(" ".join(vntext._PLACE_WORDS)))
_PLACE_INNER = frozenset({"phố", "dân"})
_TIME_WORDS = frozenset(
    "quý quy năm nam đợt dot tháng thang số so lần lan".split()  # noqa: SIM905
)
_END_WORD_RE = re.compile(r"(?:^|\W)([^\W\d_]+)$")
_ROMAN_HEAD_RE = re.compile(r"[ivx]+\b")
_DIGIT_HEAD_RE = re.compile(r"\d")
_PLACE_END, _UPPER_START, _TIME_END, _NUMBER_START, _INNER = 1, 2, 4, 8, 16


def _chunk_keys(chunk: str) -> str:
    """``joined_keys`` of one white-space chunk (without the padding)."""
    text = chunk if chunk.isascii() else unicodedata.normalize("NFC", chunk)
    keys = vntext._KEY_CACHE.get(text)
    if keys is None:
        keys = " ".join(
            k
            for word in vntext._WORD_RE.findall(vntext._DOCREF_RE.sub(" ", text.lower()))
            for k, _ in vntext._analyze_word(word)
        )
        if len(vntext._KEY_CACHE) < vntext._WORD_CACHE_MAX:
            vntext._KEY_CACHE[text] = keys
    return keys


def _chunk_facts(chunk: str) -> tuple[str, int, str, str]:
    """(keys, trigger bits, keys without a final numbered word, keys without a leading
    number) of a white-space chunk."""
    keys = _chunk_keys(chunk)
    low = chunk.lower()
    bits = 0
    no_last = no_head = keys
    m = _END_WORD_RE.search(low)
    if m is not None:
        last = m.group(1)
        if last in _PLACE_FIRST:
            bits |= _PLACE_END
        if last in _TIME_WORDS:
            bits |= _TIME_END
            no_last = _chunk_keys(chunk[: m.start(1)])
    if chunk[:1].isupper():
        bits |= _UPPER_START
    if low in _PLACE_INNER:
        bits |= _INNER
    if _DIGIT_HEAD_RE.match(chunk):
        bits |= _NUMBER_START  # the number is what joined_keys drops as well
    else:
        h = _ROMAN_HEAD_RE.match(low)
        if h is not None:
            bits |= _NUMBER_START
            no_head = _chunk_keys(chunk[h.end() :])
    return keys, bits, no_last, no_head


def _keys_all(texts: Sequence[str]) -> tuple[str, set[int]]:
    """``joined_keys(_clean(t))`` of every text, joined by markers (" a b \x00 c "),
    and the texts that ``_clean`` changes (beyond white space)."""
    from khoi.lib.overlap import _clean

    texts = [t.replace(_MARK, " ") if _MARK in t else t for t in texts]
    chunks = _SEP.join(texts).split()
    cid: defaultdict[str, int] = defaultdict(count().__next__)
    cid[_MARK]  # the marker is chunk 0
    ids = np.fromiter(map(cid.__getitem__, chunks), dtype=Int, count=len(chunks))
    facts = [(_MARK, 0, _MARK, _MARK)] + [_chunk_facts(c) for c in list(cid)[1:]]
    bits = np.array([f[1] for f in facts], dtype=Int)[ids]
    n = len(ids)

    def bit(flag: int, shift: int) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[: n - shift] = (bits[shift:] & flag) > 0
        return out

    upper1, upper2, upper3 = bit(_UPPER_START, 1), bit(_UPPER_START, 2), bit(_UPPER_START, 3)
    inner1, inner2 = bit(_INNER, 1), bit(_INNER, 2)
    place = ((bits & _PLACE_END) > 0) & (upper1 | (inner1 & (upper2 | (inner2 & upper3))))
    time_ = ((bits & _TIME_END) > 0) & bit(_NUMBER_START, 1)
    is_mark = ids == 0
    text_of = np.cumsum(is_mark)
    # A chunk that is both the number of one numbered word and ends with another: rare,
    # read by _clean itself.
    both = np.zeros(n, dtype=bool)
    both[1:] = time_[:-1] & time_[1:]
    touched = set(np.unique(text_of[place | both]).tolist())
    keys = list(map([f[0] for f in facts].__getitem__, ids.tolist()))
    timed = np.flatnonzero(time_)
    if len(timed):
        keep = ~np.isin(text_of[timed], np.fromiter(touched, dtype=Int, count=len(touched)))
        timed = timed[keep]
        for i, c1, c2 in zip(timed.tolist(), ids[timed].tolist(), ids[timed + 1].tolist(),
                             strict=True):  # fmt: skip
            keys[i] = facts[c1][2]
            keys[i + 1] = facts[c2][3]
    changed = touched | set(np.unique(text_of[timed]).tolist())
    if touched:
        bounds = np.concatenate([[-1], np.flatnonzero(is_mark), [n]]).tolist()
        for k in touched:
            lo, hi = bounds[k] + 1, bounds[k + 1]
            keys[lo] = vntext.joined_keys(_clean(texts[k])).strip()
            for x in range(lo + 1, hi):
                keys[x] = ""
    return " " + " ".join(filter(None, keys)) + " ", changed


def batch_shingles(analyzer: Analyzer, texts: Sequence[str]) -> TextShingles:
    """``analyzer.shingles(t)`` for every text, as arrays (see ``TextShingles``)."""
    from khoi.lib import overlap as ov

    n = len(texts)
    raw, cleaned = _keys_all(texts)
    joined = analyzer.map.keys(raw)
    feats: dict[int, Feat] = {}
    if analyzer.signals["refusal"]:
        feats = _features_all(raw, joined, n)
    stripped = vntext._matcher(ov.ACTION_PHRASES)[1].sub(" ", joined)
    toks = stripped.split()
    tid: defaultdict[str, int] = defaultdict(count().__next__)
    tid[_MARK]  # the marker is token 0
    ids = np.fromiter(map(tid.__getitem__, toks), dtype=Int, count=len(toks))
    vocab = list(tid)
    nv = len(vocab)
    rank = np.empty(nv, dtype=Int)
    rank[np.array(sorted(range(nv), key=vocab.__getitem__), dtype=Int)] = np.arange(nv)
    is_mark = ids == 0
    text_of = np.cumsum(is_mark)
    r = rank[ids]
    pos = np.arange(len(ids), dtype=Int)
    # Unigrams, first occurrence in each text.
    uni = ~is_mark
    u_text, u_code, u_pos = text_of[uni], r[uni], pos[uni]
    keep = _first_occurrences(u_text * nv + u_code)
    u_text, u_code, u_pos = u_text[keep], u_code[keep], u_pos[keep]
    # Unordered bigrams of neighbouring tokens of one text.
    bi = uni[:-1] & uni[1:]
    lo = np.minimum(r[:-1], r[1:])[bi]
    hi = np.maximum(r[:-1], r[1:])[bi]
    b_text, b_pos = text_of[:-1][bi], pos[:-1][bi]
    b_code = nv * (1 + lo) + hi
    keep = _first_occurrences(b_text * (nv * (nv + 1)) + b_code)
    b_text, b_code, b_pos = b_text[keep], b_code[keep], b_pos[keep]
    # Shingles of a text: its unigrams, then its bigrams, each in order of appearance.
    t_all = np.concatenate([u_text, b_text])
    kind = np.concatenate([np.zeros(len(u_text), Int), np.ones(len(b_text), Int)])
    p_all = np.concatenate([u_pos, b_pos])
    c_all = np.concatenate([u_code, b_code])
    order = np.lexsort((p_all, kind, t_all))
    codes, inverse = np.unique(c_all[order], return_inverse=True)
    by_rank = [vocab[k] for k in np.argsort(rank).tolist()]
    keys = [
        by_rank[c] if c < nv else by_rank[c // nv - 1] + " " + by_rank[c % nv]
        for c in codes.tolist()
    ]
    ptr = np.zeros(n + 1, dtype=Int)
    np.cumsum(np.bincount(t_all, minlength=n), out=ptr[1:])
    return TextShingles(ptr, inverse.astype(Int), keys, feats, cleaned)


def _features_all(raw: str, joined: str, n: int) -> dict[int, Feat]:
    """``overlap._features`` of every text (only those with a feature are listed)."""
    from khoi.lib import overlap as ov

    objects: dict[int, set[str]] = {}
    marks_j = _positions(_MARK_RE, joined).tolist()
    for m in _pc_re().finditer(joined):
        got: list[str] = []
        for w in m.group(1).split():
            if w in ("phong", "chong", "=pc"):
                break
            if w not in ov._PC_SKIP and w not in ov._GENERIC_KEYS:
                got.append(w)
                if len(got) == 2:
                    break
            elif got:
                break
        if got:
            objects.setdefault(bisect.bisect_left(marks_j, m.start()), set()).update(got)

    def has(pattern: re.Pattern[str], text: str, n: int) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        at = _positions(_spaced(pattern), text)
        if len(at):
            out[_text_index(at, _positions(_MARK_RE, text))] = True
        return out

    internal = has(ov._OWN_ANNIVERSARY_RE, raw, n)
    review = np.flatnonzero(has(ov._REVIEW_RE, raw, n))
    if len(review):
        # The other conditions only matter for a review: read those texts only.
        regions = raw.split(_MARK)
        sub = _MARK.join([regions[k] for k in review.tolist()])
        size = len(review)
        own = has(ov._OWN_UNIT_RE, sub, size) | (
            has(ov._MEMBER_RE, sub, size) & has(ov._MERIT_RE, sub, size)
        )
        internal[review[own & ~has(ov._COMMUNITY_RE, sub, size)]] = True
    feats: dict[int, Feat] = {}
    for k in set(objects) | set(np.flatnonzero(internal).tolist()):
        obj = objects.get(k)
        feats[k] = (frozenset(obj) if obj else None, bool(internal[k]))
    return feats


_PC_BATCH: re.Pattern[str] | None = None
_SPACED: dict[str, re.Pattern[str]] = {}


def _spaced(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A "(?<= )phrase" pattern that consumes the space instead (several times faster in
    a long string; the match is in the same text)."""
    hit = _SPACED.get(pattern.pattern)
    if hit is None:
        assert pattern.pattern.startswith("(?<= )")
        hit = _SPACED[pattern.pattern] = re.compile(" " + pattern.pattern[6:])
    return hit


def _pc_re() -> re.Pattern[str]:
    """``overlap._PC_RE`` that stops at a text's end in a joined string."""
    global _PC_BATCH
    if _PC_BATCH is None:
        from khoi.lib import overlap as ov

        pattern = ov._PC_RE.pattern
        assert "(?:\\S+ ){0,6}" in pattern
        pattern = pattern.replace("(?:\\S+ ){0,6}", "(?:[^\\s\\x00]+ ){0,6}")
        _PC_BATCH = _spaced(re.compile(pattern))
    return _PC_BATCH


# -- the scan ---------------------------------------------------------------------------


class BulkScan:
    """Overlapping pairs of many activities at once (positions in ``records``)."""

    def __init__(
        self,
        records: Sequence[Activity],
        tree: UnitTree,
        analyzer: Analyzer,
        window: int,
        threshold: float,
    ) -> None:
        from khoi.lib import overlap as ov

        self.records = records
        self.tree = tree
        self.an = analyzer
        self.window = window
        self.threshold = threshold
        n = self.n = len(records)
        self.timing: dict[str, float] = {}
        self._clock = time.process_time()
        # Texts: every distinct title and description once.
        text_id: dict[str, int] = {}
        tix = np.fromiter(
            (text_id.setdefault(r.title, len(text_id)) for r in records), dtype=Int, count=n
        )
        dix = np.fromiter(
            (text_id.setdefault(r.description, len(text_id)) for r in records),
            dtype=Int,
            count=n,
        )
        texts = self.texts = list(text_id)
        self._tick("texts")
        ts = self.ts = batch_shingles(analyzer, texts)
        self._tick("tokenise")
        self.cleaned = ts.cleaned
        nk = len(ts.keys)
        # Per activity: title shingles, then description shingles not in the title.
        t_cnt = ts.ptr[tix + 1] - ts.ptr[tix]
        owner, rank = _expand(t_cnt)
        t_sh = ts.sh[ts.ptr[tix][owner] + rank]
        t_rec = owner
        d_cnt = ts.ptr[dix + 1] - ts.ptr[dix]
        owner, rank = _expand(d_cnt)
        d_sh = ts.sh[ts.ptr[dix][owner] + rank]
        d_rec = owner
        t_keys = np.sort(t_rec * nk + t_sh)
        d_keys = d_rec * nk + d_sh
        at = np.searchsorted(t_keys, d_keys)
        at[at == len(t_keys)] = 0
        in_title = (t_keys[at] == d_keys) if len(t_keys) else np.zeros(len(d_keys), bool)
        d_sh, d_rec = d_sh[~in_title], d_rec[~in_title]
        # Entries (activity, shingle, in title), in the order tsh then dsh of each activity.
        rec = np.concatenate([t_rec, d_rec])
        sh = np.concatenate([t_sh, d_sh])
        title = np.concatenate([np.ones(len(t_sh), bool), np.zeros(len(d_sh), bool)])
        order = np.argsort(rec, kind="stable")
        self.e_rec, self.e_sh, self.e_title = rec[order], sh[order], title[order]
        self.e_ptr = np.zeros(n + 1, dtype=Int)
        np.cumsum(np.bincount(self.e_rec, minlength=n), out=self.e_ptr[1:])
        self.n_title = np.bincount(t_rec, minlength=n)
        # Shingle attributes.
        generic_keys = ov._GENERIC_KEYS
        mult = np.empty(nk)
        keyable = np.empty(nk, dtype=bool)
        for k, key in enumerate(ts.keys):
            words = key.split(" ")
            generic = all(w in generic_keys for w in words)
            m = ov.GENERIC_WEIGHT if generic else 1.0
            if len(words) > 1:
                m *= ov.BIGRAM_WEIGHT
            mult[k] = m
            keyable[k] = not generic and len(words) == 1
        self.mult, self.keyable = mult, keyable
        self.df = np.bincount(self.e_sh, minlength=nk)
        # Features (false pairs) of each activity: its title's merged with its description's.
        feats: list[Feat | None] = [None] * n
        if ts.feats:
            tl, dl = tix.tolist(), dix.tolist()
            for k in range(n):
                a, b = ts.feats.get(tl[k]), ts.feats.get(dl[k])
                if a is not None or b is not None:
                    feats[k] = ov._merge_feat(a or ov._NO_FEAT, b or ov._NO_FEAT)
        self.feats = feats
        self.tix, self.dix = tix, dix
        self._tick("records")

    # -- frequencies ---------------------------------------------------------------

    def local_df(self, counted: np.ndarray | None = None) -> dict[str, int]:
        """{shingle: number of activities} (only the activities where ``counted``)."""
        df = self.df
        if counted is not None:
            keep = counted[self.e_rec]
            df = np.bincount(self.e_sh[keep], minlength=len(self.ts.keys))
        return dict(zip(self.ts.keys, df.tolist(), strict=True))

    def set_df(self, global_df: Mapping[str, int], n_total: int) -> None:
        self.df = np.array([global_df[k] for k in self.ts.keys], dtype=Int)
        self.n_total = n_total

    # -- pairs ---------------------------------------------------------------------

    def pairs(self) -> list[tuple[int, int, PairReason]]:
        """Every overlapping pair as (position, position, reason), a < b, sorted."""
        from khoi.lib import overlap as ov

        n = self.n
        if n < 2:
            return []
        n_total = getattr(self, "n_total", n)
        ts = self.ts
        nk = len(ts.keys)
        big_n = n_total + ov.IDF_PRIOR_DOCS
        wt = self.mult * np.log(1.0 + big_n / np.maximum(self.df, 1))
        e_w = wt[self.e_sh]
        half = ov.DESCRIPTION_WEIGHT
        weight = np.bincount(self.e_rec, weights=np.where(self.e_title, e_w, half * e_w),
                             minlength=n)  # fmt: skip
        self._tick("weights")
        recs = self.records
        start = np.fromiter((r.start.toordinal() for r in recs), dtype=Int, count=n)
        end = np.fromiter((r.end.toordinal() for r in recs), dtype=Int, count=n)
        org_id: dict[str, int] = {}
        org = np.fromiter((org_id.setdefault(r.org, len(org_id)) for r in recs), Int, n)
        fam = np.fromiter((ov._FAMILY_ID[ov.KIND_FAMILY[r.kind]] for r in recs), Int, n)
        # Units: home units (own) and probe units (own and ancestors) of each unit list.
        uid: dict[str, int] = {}
        ulist_id: dict[tuple[str, ...], int] = {}
        u_of = np.fromiter((ulist_id.setdefault(r.units, len(ulist_id)) for r in recs), Int, n)
        home_l: list[list[int]] = []
        probe_l: list[list[int]] = []
        for units in ulist_id:
            own = list(dict.fromkeys(uid.setdefault(u, len(uid)) for u in units))
            probe: dict[int, None] = {}
            for u in units:
                probe[uid.setdefault(u, len(uid))] = None
                for anc in self.tree.ancestors(u):
                    probe[uid.setdefault(anc, len(uid))] = None
            home_l.append(own)
            probe_l.append(list(probe))
        if len(uid) >= ov._MAX_UNITS:
            raise ov.OverlapError("too_many_units", "Quá nhiều đơn vị.")
        self.ucode = list(uid)

        def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
            p = np.zeros(len(lists) + 1, dtype=Int)
            np.cumsum([len(x) for x in lists], out=p[1:])
            flat = np.fromiter((u for x in lists for u in x), dtype=Int, count=int(p[-1]))
            return p, flat

        home_p, home_u = csr(home_l)
        probe_p, probe_u = csr(probe_l)
        # Keyable words of each activity.
        kmask = self.keyable[self.e_sh]
        kw_rec, kw_sh = self.e_rec[kmask], self.e_sh[kmask]
        kw_ptr = np.zeros(n + 1, dtype=Int)
        np.cumsum(np.bincount(kw_rec, minlength=n), out=kw_ptr[1:])
        w = self.window
        bd = ov.BUCKET_DAYS
        mask = ov._BUCKET_MASK

        def keys_of(
            who: np.ndarray, up: np.ndarray, uf: np.ndarray, blo: np.ndarray, bhi: np.ndarray
        ) -> tuple[np.ndarray, np.ndarray]:
            """(activity, key) of who × its units × its buckets × its keyable words."""
            lists = u_of[who]
            cnt = up[lists + 1] - up[lists]
            o1, r1 = _expand(cnt)
            a1 = who[o1]
            unit = uf[up[lists][o1] + r1]
            nb = (bhi - blo + 1)[o1]
            o2, r2 = _expand(nb)
            a2 = a1[o2]
            block = (
                (unit[o2] << ov._UNIT_SHIFT)
                | (fam[a2] << ov._FAMILY_SHIFT)
                | ((blo[o1][o2] + r2) & mask)
            )
            nw = kw_ptr[a2 + 1] - kw_ptr[a2]
            o3, r3 = _expand(nw)
            a3 = a2[o3]
            word = kw_sh[kw_ptr[a3] + r3]
            return a3, (word << ov._SHINGLE_SHIFT) | block[o3]

        self._tick("units and dates")
        everyone = np.arange(n, dtype=Int)
        h_rec, h_key = keys_of(everyone, home_p, home_u, start // bd, end // bd)
        order = np.argsort(h_key, kind="stable")
        h_rec, h_key = h_rec[order], h_key[order]
        cand: list[np.ndarray] = []
        t2 = self.threshold * self.threshold
        for c0 in range(0, n, _PROBE_CHUNK):
            who = everyone[c0 : c0 + _PROBE_CHUNK]
            p_rec, p_key = keys_of(who, probe_p, probe_u, (start[who] - w) // bd,
                                   (end[who] + w) // bd)  # fmt: skip
            lo = np.searchsorted(h_key, p_key, "left")
            hi = np.searchsorted(h_key, p_key, "right")
            o, r = _expand(hi - lo)
            i, j = p_rec[o], h_rec[lo[o] + r]
            keep = (i != j) & (org[i] != org[j])
            i, j = i[keep], j[keep]
            inter = np.minimum(end[i], end[j]) - np.maximum(start[i], start[j]) + 1
            gap = np.maximum(start[i], start[j]) - np.minimum(end[i], end[j])
            wi, wj = weight[i], weight[j]
            keep = ((inter > 0) | (gap <= w)) & (wi > 0) & (wj > 0)
            keep &= np.minimum(wi, wj) >= t2 * np.maximum(wi, wj)
            a, b = np.minimum(i, j)[keep], np.maximum(i, j)[keep]
            cand.append(np.unique(a * n + b))
        code = np.unique(np.concatenate(cand)) if cand else np.zeros(0, Int)
        self._tick("candidate join")
        a, b = code // n, code % n
        # Similarity: a's shingles looked up among b's.
        e_key = self.e_rec * nk + self.e_sh
        srt = np.argsort(e_key)
        e_key_s = e_key[srt]
        cnt = self.e_ptr[a + 1] - self.e_ptr[a]
        o, r = _expand(cnt)
        ea = self.e_ptr[a][o] + r
        sh_a = self.e_sh[ea]
        want = b[o] * nk + sh_a
        at = np.searchsorted(e_key_s, want)
        at[at == len(e_key_s)] = 0
        found = e_key_s[at] == want
        eb = srt[at]
        both_title = self.e_title[ea] & self.e_title[eb]
        contrib = np.where(found, np.where(both_title, wt[sh_a], half * wt[sh_a]), 0.0)
        shared_w = np.bincount(o, weights=contrib, minlength=len(a))
        sim = shared_w / np.sqrt(weight[a] * weight[b])
        ok = sim >= self.threshold
        self._tick("similarity")
        # Refused pairs (internal reviews, "phòng, chống" different dangers).
        if self.an.signals["refusal"] and any(f is not None for f in self.feats):
            feats = self.feats
            for k in np.flatnonzero(ok).tolist():
                fa, fb = feats[int(a[k])], feats[int(b[k])]
                if (fa is not None or fb is not None) and ov.refused(
                    fa or ov._NO_FEAT, fb or ov._NO_FEAT
                ):
                    ok[k] = False
        sel = np.flatnonzero(ok)
        self._tick("refusal")
        shared_by_pair = _group_values(o[found & ok[o]], sh_a[found & ok[o]], sel)
        inter = np.minimum(end[a], end[b]) - np.maximum(start[a], start[b]) + 1
        gap = np.where(inter > 0, 0, np.maximum(start[a], start[b]) - np.minimum(end[a], end[b]))
        self.wt = wt
        out = self._reasons(
            a[sel].tolist(),
            b[sel].tolist(),
            sim[sel].tolist(),
            np.maximum(inter[sel], 0).tolist(),
            gap[sel].tolist(),
            shared_by_pair,
        )
        self._tick("reasons")
        return out

    def _tick(self, stage: str) -> None:
        """CPU seconds of each stage (``timing``), for the benchmark."""
        now = time.process_time()
        self.timing[stage] = round(now - self._clock, 3)
        self._clock = now

    def _reasons(
        self,
        a_l: list[int],
        b_l: list[int],
        sim_l: list[float],
        inter_l: list[int],
        gap_l: list[int],
        shared_l: list[list[int]],
    ) -> list[tuple[int, int, PairReason]]:
        from khoi.lib import overlap as ov

        recs = self.records
        keys = self.ts.keys
        generic = ov._GENERIC_KEYS
        tree = self.tree
        window = self.window
        t = self.threshold
        analyzed: dict[int, tuple[tuple[str, str], ...]] = {}
        cleaned = self.cleaned
        texts = self.texts
        clean = ov._clean
        an = self.an
        tix, dix = self.tix.tolist(), self.dix.tolist()

        def analyze(k: int) -> tuple[tuple[str, str], ...]:
            hit = analyzed.get(k)
            if hit is None:
                if len(analyzed) >= 8192:
                    analyzed.clear()
                text = clean(texts[k]) if k in cleaned else texts[k]
                hit = analyzed[k] = tuple(analyze_clean(an, text))
            return hit

        out: list[tuple[int, int, PairReason]] = []
        relation: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}
        for a, b, sim, inter, gap, shared in zip(
            a_l, b_l, sim_l, inter_l, gap_l, shared_l, strict=True
        ):
            ra, rb = recs[a], recs[b]
            rel = relation.get((ra.units, rb.units))
            if rel is None:
                if len(relation) > 100_000:
                    relation.clear()
                rel = relation[(ra.units, rb.units)] = ov.unit_relation(ra.units, rb.units, tree)
            shared_units, contained = rel
            want = {keys[s] for s in shared}
            phrases: list[str] = []
            for k in (tix[a], dix[a]):
                run: list[str] = []
                topical = False
                for key, pretty in analyze(k):
                    if key in want:
                        if pretty:
                            run.append(pretty)
                        topical = topical or key not in generic
                        continue
                    if run and topical:
                        phrases.append(" ".join(run))
                    run, topical = [], False
                if run and topical:
                    phrases.append(" ".join(run))
            topic = min(1.0, 0.5 + 0.5 * (sim - t) / (1.0 - t)) if t < 1 else 1.0
            dates = 1.0 if inter else 1.0 - 0.5 * gap / (window + 1)
            units = 1.0 if shared_units else 0.8
            out.append(
                (
                    a,
                    b,
                    ov.PairReason(
                        ids=(ra.id, rb.id),
                        score=round(topic * (0.8 + 0.1 * dates + 0.1 * units), 4),
                        similarity=round(min(sim, 1.0), 4),
                        family=ra.family,
                        shared_units=shared_units,
                        contained_units=contained,
                        overlap_days=inter,
                        gap_days=gap,
                        matched_words=tuple(dict.fromkeys(phrases)),
                    ),
                )
            )
        return out


def analyze_clean(an: Analyzer, cleaned: str) -> list[tuple[str, str]]:
    """``Analyzer.analyze`` of a text already through ``overlap._clean``."""
    from khoi.lib import overlap as ov

    toks = vntext.analyze_raw(cleaned)
    if an.display:
        toks = [(k, an.display[k]) if k in an.display else (k, p) for k, p in toks]
    return vntext.strip_pairs(an.map.pairs(toks), ov.ACTION_PHRASES)


def _group_values(owner: np.ndarray, values: np.ndarray, groups: np.ndarray) -> list[list[int]]:
    """For each g in ``groups`` (sorted), the ``values`` whose owner is g."""
    order = np.argsort(owner, kind="stable")
    owner, values = owner[order], values[order]
    lo = np.searchsorted(owner, groups, "left").tolist()
    hi = np.searchsorted(owner, groups, "right").tolist()
    vals = values.tolist()
    return [vals[x:y] for x, y in zip(lo, hi, strict=True)]


def scan(
    records: Sequence[Activity],
    tree: UnitTree,
    analyzer: Analyzer,
    window: int,
    threshold: float,
    exchange: Callable[[BulkScan], None] | None = None,
) -> list[tuple[int, int, PairReason]]:
    """Overlapping pairs of ``records``; ``exchange`` may replace the frequencies (the
    partitioned scan pools them between processes)."""
    bulk = BulkScan(records, tree, analyzer, window, threshold)
    if exchange is not None:
        exchange(bulk)
    out = bulk.pairs()
    if os.environ.get("KHOI_OVERLAP_TIMING"):
        print(f"overlap scan of {len(records)}: CPU s {bulk.timing}", file=sys.stderr)
    return out
