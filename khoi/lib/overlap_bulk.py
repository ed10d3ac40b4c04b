"""The bulk scan of the overlap engine, vectorised with numpy (what ``find_groups`` runs).

``OverlapIndex`` reads one activity at a time (the suggestion panel); a scan of a
national year reads a million at once, and per-activity Python loops were most of its
cost. Here the same rule is computed on whole arrays; the result is the one
``OverlapIndex.groups`` gives, except that crowded blocks are searched exactly (every
shared word, not only the rarest ones), so a scan may find a few more pairs.

1. Texts (titles and descriptions, each distinct text once) become arrays of token ids
   once: their white-space chunks are split and counted by pyarrow (compiled), each
   distinct chunk is analysed once (keys and shown forms), place names and numbered words
   are dropped as ``_clean`` does. The steps of ``Analyzer.shingles`` and
   ``Analyzer.analyze`` (near-synonyms and acronyms, false-pair features, boilerplate and
   action phrases) are found on token-id n-grams (``PhraseTable``: tables indexed by
   token, rolling hashes checked word by word, leftmost-longest choice as the regular
   expressions of ``vntext`` make it). Shingles (tokens and unordered neighbour bigrams,
   first occurrence kept) are deduplicated with numpy.
2. Frequencies, weights and each activity's total weight are array sums.
3. Candidate pairs: a sorted join on (shingle, unit, family, 16-day bucket) keys, an
   activity's probe keys (its units and their ancestors, the buckets of its dates widened
   by the window, its non-generic words) against the home keys of every activity (its own
   units and buckets, the same words). Organisation, dates and weights are then checked
   on the arrays of candidate pairs.
4. Similarity: each pair's shared shingles are looked up with ``searchsorted`` (in key
   order) in the sorted (activity, shingle) keys and their weights summed with
   ``bincount``.
5. Reasons: the matched words (runs of the first activity's analysed tokens that the
   other has, spelt as in the first activity's text) from the token arrays; units and
   dates in Python, for the pairs found only.
"""

from __future__ import annotations

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


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, rank within owner) of ``counts.sum()`` items, ``counts[k]`` per owner k."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts), dtype=Int), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(total, dtype=Int) - np.repeat(starts, counts)
    return owner, rank


def _search(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``np.searchsorted(sorted_keys, keys)``, the keys looked up in sorted order (many
    times faster on big arrays: the searches stay in the cache)."""
    order = np.argsort(keys)
    out = np.empty(len(keys), dtype=Int)
    out[order] = np.searchsorted(sorted_keys, keys[order])
    return out


def _first_occurrences(keys: np.ndarray) -> np.ndarray:
    """Mask of the first occurrence of each (non-negative) key (order kept)."""
    mask = np.zeros(len(keys), dtype=bool)
    n = len(keys)
    if not n:
        return mask
    top = int(keys.max())
    if top < (1 << 62) // n:
        # Key and position packed in one integer: a plain sort (no argsort) finds them.
        packed = np.sort(keys * n + np.arange(n, dtype=Int))
        first = np.ones(n, dtype=bool)
        k = packed // n
        first[1:] = k[1:] != k[:-1]
        mask[packed[first] % n] = True
    else:
        _, at = np.unique(keys, return_index=True)
        mask[at] = True
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
        # The analysed tokens of every text (``Analyzer.analyze``): text k's are
        # ``f_sh[f_ptr[k]:f_ptr[k+1]]`` (their unigram shingle ids) and ``f_pre`` (ids
        # of their shown forms in ``pre``).
        self.f_ptr = np.zeros(len(ptr), dtype=Int)
        self.f_sh = np.zeros(0, dtype=Int)
        self.f_pre = np.zeros(0, dtype=Int)
        self.pre: list[str] = [""]
        self.timing: dict[str, float] = {}
        self.generic = np.zeros(len(keys), dtype=bool)  # generic words (and their bigrams)
        self.n_unigrams = len(keys)  # shingles from this id on are bigrams


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


# -- token arrays -----------------------------------------------------------------------
#
# Texts become arrays of token ids once; the phrase maps (near-synonyms and acronyms,
# boilerplate and action phrases) and the false-pair features are then found on token-id
# n-grams with numpy instead of regular expressions over the characters. The result is
# the one the regular expressions give: at each token, the longest phrase starting there;
# from left to right, a phrase is replaced unless an earlier replaced one covers it.

_MUL = np.uint64(0x9E3779B97F4A7C15)


class Vocab:
    """Token strings ↔ ids (id 0 is the marker between texts) and shown forms ↔ ids
    (id 0 is the empty form)."""

    def __init__(self) -> None:
        self.tok: dict[str, int] = {_MARK: 0}
        self.pre: dict[str, int] = {"": 0}

    def ids(self, words: Sequence[str]) -> tuple[int, ...]:
        get = self.tok.setdefault
        return tuple(get(w, len(self.tok)) for w in words)


class PhraseTable:
    """Phrases as token-id tuples (and what replaces each), for ``occurrences``."""

    def __init__(self, vocab: Vocab, phrases: Mapping[str, str]) -> None:
        self.phrases: list[tuple[int, ...]] = []
        self.repl: list[tuple[int, ...]] = []
        for words, repl in phrases.items():
            ids = tuple(vocab.tok.get(w, -1) for w in words.split(" "))
            if -1 in ids:
                continue  # a word no text has: the phrase cannot occur
            self.phrases.append(ids)
            self.repl.append(vocab.ids(repl.split()) if repl else ())
        self.lens = np.array([len(p) for p in self.phrases], dtype=Int)
        rp = np.zeros(len(self.repl) + 1, dtype=Int)
        np.cumsum([len(r) for r in self.repl], out=rp[1:])
        self.repl_ptr = rp
        self.repl_flat = np.fromiter((t for r in self.repl for t in r), Int, int(rp[-1]))
        self.firsts = np.unique(np.fromiter((p[0] for p in self.phrases), Int))
        self.by_len: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for length in sorted(set(self.lens.tolist())):
            idx = np.flatnonzero(self.lens == length)
            mat = np.array([self.phrases[k] for k in idx.tolist()], dtype=Int)
            h = _hash_rows(mat)
            order = np.argsort(h)
            self.by_len[length] = (h[order], idx[order])
        self.maxlen = max(self.by_len, default=0)
        self.mat = np.full((len(self.phrases), max(self.maxlen, 1)), -1, dtype=Int)
        for k, p in enumerate(self.phrases):
            self.mat[k, : len(p)] = p
        # Hashes of the proper prefixes of the phrases, by length.
        self.prefixes: dict[int, tuple[np.ndarray, None]] = {}
        for length in range(1, self.maxlen):
            rows = self.mat[self.lens > length, :length]
            self.prefixes[length] = (np.unique(_hash_rows(rows)), None)

    def occurrences(self, tok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position, phrase) of the longest phrase starting at each position where one
        starts (positions sorted)."""
        if not self.phrases:
            return np.zeros(0, Int), np.zeros(0, Int)
        size = max(int(tok.max(initial=0)), int(self.firsts[-1])) + 1
        found_pos: list[np.ndarray] = []
        found_ph: list[np.ndarray] = []
        # One-word phrases and the first words of longer ones: tables indexed by token.
        single = np.full(size, -1, dtype=Int)
        one = self.lens == 1
        single[self.mat[one, 0]] = np.flatnonzero(one)
        hit1 = single[tok]
        at1 = np.flatnonzero(hit1 >= 0)
        if len(at1):
            found_pos.append(at1)
            found_ph.append(hit1[at1])
        first = np.zeros(size, dtype=bool)
        first[self.mat[~one, 0]] = True
        pos = np.flatnonzero(first[tok])
        maxlen = self.maxlen
        padded = np.concatenate([tok, np.full(maxlen, -1, dtype=Int)])
        h = (tok[pos] + 1).astype(np.uint64)
        with np.errstate(over="ignore"):
            for length in range(2, maxlen + 1):
                h = h * _MUL + (padded[pos + (length - 1)] + 1).astype(np.uint64)
                hit = self.by_len.get(length)
                if hit is not None:
                    hs, idx = hit
                    at = np.searchsorted(hs, h)
                    at[at == len(hs)] = 0
                    cand = np.flatnonzero(hs[at] == h)
                    if len(cand):
                        ph = idx[at[cand]]
                        p = pos[cand]
                        ok = np.ones(len(cand), dtype=bool)
                        for k in range(length):  # exact check (hash collisions)
                            ok &= padded[p + k] == self.mat[ph, k]
                        found_pos.append(p[ok])
                        found_ph.append(ph[ok])
                if length == maxlen:
                    break
                # Only positions that start a longer phrase's prefix go on.
                ps, _ = self.prefixes[length]
                at = np.searchsorted(ps, h)
                at[at == len(ps)] = 0
                more = ps[at] == h
                pos, h = pos[more], h[more]
                if not len(pos):
                    break
        if not found_pos:
            return np.zeros(0, Int), np.zeros(0, Int)
        p_all = np.concatenate(found_pos)
        ph_all = np.concatenate(found_ph)
        # The longest phrase at each position: lengths were appended in increasing order.
        order = np.argsort(p_all, kind="stable")
        p_all, ph_all = p_all[order], ph_all[order]
        last = np.ones(len(p_all), dtype=bool)
        last[:-1] = p_all[1:] != p_all[:-1]
        return p_all[last], ph_all[last]

    def select(self, tok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The phrases a left-to-right longest-first replacement uses: (position, phrase)."""
        pos, ph = self.occurrences(tok)
        keep = _greedy(pos, self.lens[ph])
        return pos[keep], ph[keep]

    def apply(self, tok: np.ndarray) -> tuple[np.ndarray, ...]:
        """Tokens with the phrases replaced; for each output token the input position it
        comes from and its rank in the replacement (0 for a token kept as it is); the
        phrases replaced (``select``)."""
        pos, ph = self.select(tok)
        n = len(tok)
        count = np.ones(n, dtype=Int)
        ln = self.lens[ph]
        covered = np.bincount(pos, minlength=n + 1) - np.bincount(pos + ln, minlength=n + 1)
        count[np.cumsum(covered[:n]) > 0] = 0
        rl = self.repl_ptr[ph + 1] - self.repl_ptr[ph]
        count[pos] = rl
        src, rank = _expand(count)
        out = tok[src]
        start_of = np.full(n, -1, dtype=Int)
        start_of[pos] = ph
        rep = start_of[src] >= 0
        out[rep] = self.repl_flat[self.repl_ptr[start_of[src[rep]]] + rank[rep]]
        return out, src, rank, pos, ph


def _hash_rows(mat: np.ndarray) -> np.ndarray:
    h = np.zeros(len(mat), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(mat.shape[1]):
            h = h * _MUL + (mat[:, k] + 1).astype(np.uint64)
    return h


def _greedy(pos: np.ndarray, ln: np.ndarray) -> np.ndarray:
    """Mask of the intervals [pos, pos + ln) (one per position, sorted) that a left to
    right scan keeps: each one unless a kept earlier one covers its start."""
    keep = np.ones(len(pos), dtype=bool)
    if len(pos) < 2:
        return keep
    end = pos + ln
    reach = np.maximum.accumulate(end)
    conflict = np.zeros(len(pos), dtype=bool)
    conflict[1:] = pos[1:] < reach[:-1]
    if not conflict.any():
        return keep
    # An interval no earlier one reaches is kept; the others are decided in order.
    free = np.where(~conflict, np.arange(len(pos)), -1)
    last_free = np.maximum.accumulate(free)
    end_l, pos_l = end.tolist(), pos.tolist()
    last_idx, last_end = -1, -1
    for j, lf in zip(np.flatnonzero(conflict).tolist(), last_free[conflict].tolist(),
                     strict=True):  # fmt: skip
        base = last_end if last_idx > lf else end_l[lf]
        if pos_l[j] >= base:
            last_idx, last_end = j, end_l[j]
        else:
            keep[j] = False
    return keep


def _chunk_pairs(chunk: str) -> tuple[tuple[str, str], ...]:
    """``analyze_raw`` of one white-space chunk: (key, shown form) of its tokens."""
    text = chunk if chunk.isascii() else unicodedata.normalize("NFC", chunk)
    low = text.lower()
    found = vntext._CHUNK_CACHE.get(low)
    if found is None:
        found = tuple(
            tok
            for word in vntext._WORD_RE.findall(vntext._DOCREF_RE.sub(" ", low))
            for tok in vntext._analyze_word(word)
        )
        if len(vntext._CHUNK_CACHE) < vntext._WORD_CACHE_MAX:
            vntext._CHUNK_CACHE[low] = found
    return found


def _chunk_bits(chunk: str) -> tuple[int, str | None, str | None]:
    """(trigger bits, the chunk without a final numbered word, without a leading roman
    number) of a white-space chunk (None: the chunk itself)."""
    low = chunk.lower()
    bits = 0
    no_last = no_head = None
    m = _END_WORD_RE.search(low)
    if m is not None:
        last = m.group(1)
        if last in _PLACE_FIRST:
            bits |= _PLACE_END
        if last in _TIME_WORDS:
            bits |= _TIME_END
            no_last = chunk[: m.start(1)]
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
            no_head = chunk[h.end() :]
    return bits, no_last, no_head


def _chunk_ids(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """The white-space chunks of ``_SEP.join(texts).split()`` as ids into the list of
    distinct chunks (the marker is chunk 0). Split and counted by pyarrow's compiled
    kernels; Python splits when pyarrow is missing or a chunk holds a white space that
    only Python splits on."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pa = None
    if pa is not None and texts:
        lists = pc.ascii_split_whitespace(pa.array(texts, type=pa.large_string()))
        enc = pc.list_flatten(lists).dictionary_encode()
        distinct = [_MARK, *enc.dictionary.to_pylist()]
        if all(c == "" or c.split() == [c] for c in distinct[1:]):
            ind = enc.indices.to_numpy(zero_copy_only=False).astype(Int) + 1
            counts = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(Int)
            owner = np.repeat(np.arange(len(texts), dtype=Int), counts)
            if "" in distinct[1:]:  # around leading and trailing white space
                empty = ind == distinct.index("", 1)
                counts -= np.bincount(owner[empty], minlength=len(texts))
                ind, owner = ind[~empty], owner[~empty]
            out = np.zeros(len(ind) + len(texts) - 1, dtype=Int)
            out[np.arange(len(ind), dtype=Int) + owner] = ind  # markers stay 0
            return out, distinct
    chunks = _SEP.join(texts).split()
    cid: defaultdict[str, int] = defaultdict(count().__next__)
    cid[_MARK]  # the marker is chunk 0
    ids = np.fromiter(map(cid.__getitem__, chunks), dtype=Int, count=len(chunks))
    return ids, list(cid)


def _raw_tokens(texts: Sequence[str], vocab: Vocab) -> tuple[np.ndarray, np.ndarray, set[int]]:
    """Token ids and shown-form ids of ``analyze_raw(_clean(t))`` for every text, texts
    separated by the marker token 0, and the texts that ``_clean`` changes."""
    from khoi.lib.overlap import _clean

    texts = [t.replace(_MARK, " ") if _MARK in t else t for t in texts]
    ids, distinct = _chunk_ids(texts)
    facts = [(0, None, None)] + [_chunk_bits(c) for c in distinct[1:]]
    bits = np.array([f[0] for f in facts], dtype=Int)[ids]
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
    both = np.zeros(n, dtype=bool)
    both[1:] = time_[:-1] & time_[1:]
    touched = set(np.unique(text_of[place | both]).tolist())
    # Pseudo-chunks: what replaces a chunk occurrence (its part without the numbered word,
    # a touched text's whole analysis, nothing).
    pairs: list[tuple[tuple[str, str], ...]] = [((_MARK, ""),)]
    pairs += [_chunk_pairs(c) for c in distinct[1:]]
    extra: dict[tuple[int, int], int] = {}

    def pseudo(c: int, which: int) -> int:
        got = extra.get((c, which))
        if got is None:
            part = facts[c][which]
            got = extra[(c, which)] = len(pairs)
            pairs.append(pairs[c] if part is None else _chunk_pairs(str(part)))
        return got

    timed = np.flatnonzero(time_)
    if len(timed):
        keep = ~np.isin(text_of[timed], np.fromiter(touched, dtype=Int, count=len(touched)))
        timed = timed[keep]
        # (No two of those positions touch: such texts were read by ``_clean`` above.)
        for at, which in ((timed, 1), (timed + 1, 2)):
            old = ids[at]
            uniq = np.unique(old)
            remap = np.zeros(len(distinct), dtype=Int)
            remap[uniq] = [pseudo(c, which) for c in uniq.tolist()]
            ids[at] = remap[old]
    changed = touched | set(np.unique(text_of[timed]).tolist())
    if touched:
        # Those texts are read again after ``_clean``: their chunks replace the old.
        tk = np.array(sorted(touched), dtype=Int)
        c_ids, c_distinct = _chunk_ids([_clean(texts[k]) for k in tk.tolist()])
        base = len(pairs)
        pairs += [_chunk_pairs(c) for c in c_distinct]
        c_text = np.cumsum(c_ids == 0)
        c_keep = c_ids != 0
        starts = np.concatenate([[0], np.flatnonzero(is_mark) + 1])
        is_touched = np.zeros(len(starts), dtype=bool)
        is_touched[tk] = True
        ids = np.where(is_touched[text_of] & ~is_mark, -1, ids)
        ids = np.insert(ids, starts[tk[c_text[c_keep]]], base + c_ids[c_keep])
        ids = ids[ids >= 0]
    # Chunk → tokens (CSR), then every chunk occurrence expanded.
    tget, pget = vocab.tok.setdefault, vocab.pre.setdefault
    tok_l: list[int] = []
    pre_l: list[int] = []
    for ps in pairs:
        for k, p in ps:
            tok_l.append(tget(k, len(vocab.tok)))
            pre_l.append(pget(p, len(vocab.pre)))
    cnt = np.fromiter(map(len, pairs), dtype=Int, count=len(pairs))
    cptr = np.zeros(len(pairs) + 1, dtype=Int)
    np.cumsum(cnt, out=cptr[1:])
    ctok = np.array(tok_l, dtype=Int)
    cpre = np.array(pre_l, dtype=Int)
    owner, rank = _expand(cnt[ids])
    at = cptr[ids][owner] + rank
    return ctok[at], cpre[at], changed


def _shown_runs(vocab: Vocab, pre: np.ndarray, pos: np.ndarray, ln: np.ndarray) -> np.ndarray:
    """Shown-form id of the words [pos, pos + ln) of ``pre`` joined (empty ones skipped)."""
    if not len(pos):
        return np.zeros(0, dtype=Int)
    maxlen = int(ln.max())
    padded = np.concatenate([pre, np.zeros(maxlen, dtype=Int)])
    h = np.zeros(len(pos), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(maxlen):
            v = np.where(k < ln, padded[pos + k] + 1, 0).astype(np.uint64)
            h = h * _MUL + v
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    strings = list(vocab.pre)
    get = vocab.pre.setdefault
    made = []
    for p, n in zip(pos[first].tolist(), ln[first].tolist(), strict=True):
        shown = " ".join(strings[x] for x in pre[p : p + n].tolist() if x)
        made.append(get(shown, len(vocab.pre)))
    return np.array(made, dtype=Int)[inverse.ravel()]


class _SubTimer:
    """CPU seconds of the steps of a stage (``KHOI_OVERLAP_TIMING``)."""

    def __init__(self) -> None:
        self.timing: dict[str, float] = {}
        self.clock = time.process_time()

    def __call__(self, step: str) -> None:
        now = time.process_time()
        self.timing[step] = round(now - self.clock, 3)
        self.clock = now


def batch_shingles(analyzer: Analyzer, texts: Sequence[str]) -> TextShingles:
    """``analyzer.shingles(t)`` for every text, as arrays (see ``TextShingles``), and
    the tokens of ``analyzer.analyze(t)`` (keys and shown forms) for the reasons."""
    from khoi.lib import overlap as ov

    n = len(texts)
    vocab = Vocab()
    sub = _SubTimer()
    raw, raw_pre, cleaned = _raw_tokens(texts, vocab)
    sub("words")
    if analyzer.display:
        shown_of = np.zeros(len(vocab.tok), dtype=Int)
        for key, shown in analyzer.display.items():
            t = vocab.tok.get(key)
            if t is not None:
                shown_of[t] = vocab.pre.setdefault(shown, len(vocab.pre))
        if shown_of.any():
            at = shown_of[raw]
            raw_pre = np.where(at > 0, at, raw_pre)
    # Near-synonyms and acronyms.
    table = PhraseTable(vocab, analyzer.map.repl)
    joined, src, rank, pos, ph = table.apply(raw)
    j_pre = raw_pre[src]
    rep_first = np.zeros(len(raw), dtype=bool)
    rep_first[pos] = True
    start_rank0 = rep_first[src] & (rank == 0)
    replaced = np.zeros(len(raw), dtype=bool)
    replaced[pos] = True
    in_rep = replaced[src]
    shown_at = np.zeros(len(raw), dtype=Int)
    shown_at[pos] = _shown_runs(vocab, raw_pre, pos, table.lens[ph])
    j_pre = np.where(in_rep, np.where(start_rank0, shown_at[src], 0), j_pre)
    sub("phrase map")
    feats: dict[int, Feat] = {}
    if analyzer.signals["refusal"]:
        feats = _features_tok(vocab, raw, joined)
    sub("features")
    # Boilerplate and action phrases.
    actions = PhraseTable(
        vocab,
        {" ".join(w): "" for lst in vntext._matcher(ov.ACTION_PHRASES)[0].first.values()
         for w in lst},
    )  # fmt: skip
    ids, src2, *_ = actions.apply(joined)
    f_pre = j_pre[src2]
    sub("action phrases")
    vocab_l = list(vocab.tok)
    nv = len(vocab_l)
    rank_of = np.empty(nv, dtype=Int)
    rank_of[np.array(sorted(range(nv), key=vocab_l.__getitem__), dtype=Int)] = np.arange(nv)
    is_mark = ids == 0
    text_of = np.cumsum(is_mark)
    r = rank_of[ids]
    posn = np.arange(len(ids), dtype=Int)
    # Unigrams, first occurrence in each text.
    uni = ~is_mark
    u_text, u_code, u_pos = text_of[uni], r[uni], posn[uni]
    keep = _first_occurrences(u_text * nv + u_code)
    u_dup_texts = np.unique(u_text[~keep])
    u_text, u_code, u_pos = u_text[keep], u_code[keep], u_pos[keep]
    # Unordered bigrams of neighbouring tokens of one text (a text can only repeat a
    # bigram if it repeats a word).
    bi = uni[:-1] & uni[1:]
    lo = np.minimum(r[:-1], r[1:])[bi]
    hi = np.maximum(r[:-1], r[1:])[bi]
    b_text, b_pos = text_of[:-1][bi], posn[:-1][bi]
    b_code = nv * (1 + lo) + hi
    if len(u_dup_texts):
        doubt = np.flatnonzero(np.isin(b_text, u_dup_texts))
        keep = np.ones(len(b_code), dtype=bool)
        keep[doubt] = _first_occurrences(b_text[doubt] * (nv * (nv + 1)) + b_code[doubt])
        b_text, b_code, b_pos = b_text[keep], b_code[keep], b_pos[keep]
    # Shingle ids: the words present in the order of their keys, then the bigrams in
    # the order of their codes.
    present = np.zeros(nv, dtype=Int)
    present[u_code] = 1
    u_id_of = np.cumsum(present) - 1
    nu = int(present.sum())
    b_codes, b_inv = np.unique(b_code, return_inverse=True)
    # Shingles of a text: its unigrams, then its bigrams, each in order of appearance
    # (both lists are in text order: a stable sort on the text merges them).
    t_all = np.concatenate([u_text, b_text])
    order = np.argsort(t_all, kind="stable")
    t_all = t_all[order]
    sh_all = np.concatenate([u_id_of[u_code], nu + b_inv.ravel()])[order]
    by_rank = [vocab_l[k] for k in np.argsort(rank_of).tolist()]
    keys = [by_rank[c] for c in np.flatnonzero(present).tolist()]
    keys += [by_rank[c // nv - 1] + " " + by_rank[c % nv] for c in b_codes.tolist()]
    # Generic shingles: a generic word, or a bigram of two.
    generic_rank = np.fromiter((w in ov._GENERIC_KEYS for w in by_rank), dtype=bool, count=nv)
    generic = np.concatenate(
        [generic_rank[present > 0], generic_rank[b_codes // nv - 1] & generic_rank[b_codes % nv]]
    )
    ptr = np.zeros(n + 1, dtype=Int)
    np.cumsum(np.bincount(t_all, minlength=n), out=ptr[1:])
    out = TextShingles(ptr, sh_all.astype(Int), keys, feats, cleaned)
    out.generic, out.n_unigrams = generic, nu
    # The analysed tokens of each text (for the matched words of the reasons): token
    # shingle id, shown form.
    out.f_ptr = np.zeros(n + 1, dtype=Int)
    np.cumsum(np.bincount(text_of[uni], minlength=n), out=out.f_ptr[1:])
    out.f_sh = u_id_of[r[uni]]
    sub("shingles")
    out.timing = sub.timing
    out.f_pre = f_pre[uni]
    out.pre = list(vocab.pre)
    return out


def _features_tok(vocab: Vocab, raw: np.ndarray, joined: np.ndarray) -> dict[int, Feat]:
    """``overlap._features`` of every text (only those with a feature are listed), from
    the token ids before (``raw``) and after (``joined``) the near-synonyms."""
    from khoi.lib import overlap as ov

    words = list(vocab.tok)
    n_texts = int(np.count_nonzero(raw == 0)) + 1

    # Which texts hold a phrase of each list: one search for all the lists (no phrase of
    # one list starts another's, so the longest phrase at a position names its list).
    lists = (ov._OWN_ANNIVERSARY, ov._REVIEW, ov._OWN_UNIT, ov._MEMBER, ov._MERIT,
             ov._COMMUNITY)  # fmt: skip
    which = {p: k for k, phrases in enumerate(lists) for p in phrases}
    assert not any(q.startswith(p + " ") and which[p] != which[q] for p in which for q in which), (
        "a phrase of one list starts a phrase of another"
    )
    table = PhraseTable(vocab, dict.fromkeys(which, ""))
    pos, ph = table.occurrences(raw)
    found = np.zeros((len(lists), n_texts), dtype=bool)
    if len(pos):
        list_of = np.array([which[" ".join(words[t] for t in p)] for p in table.phrases], dtype=Int)
        found[list_of[ph], np.searchsorted(np.flatnonzero(raw == 0), pos)] = True

    def has(phrases: Sequence[str], _tok: np.ndarray) -> np.ndarray:
        return found[lists.index(phrases)]

    objects: dict[int, set[str]] = {}
    pc = PhraseTable(vocab, dict.fromkeys(ov._PC_STARTS, ""))
    pos, ph = pc.select(joined)
    if len(pos):
        marks_j = np.flatnonzero(joined == 0)
        text_k = np.searchsorted(marks_j, pos).tolist()
        after = (pos + pc.lens[ph]).tolist()
        jl = joined
        for k, p in zip(text_k, after, strict=True):
            got: list[str] = []
            for t in jl[p : p + 6].tolist():
                if t == 0:
                    break
                w = words[t]
                if w in ("phong", "chong", "=pc"):
                    break
                if w not in ov._PC_SKIP and w not in ov._GENERIC_KEYS:
                    got.append(w)
                    if len(got) == 2:
                        break
                elif got:
                    break
            if got:
                objects.setdefault(k, set()).update(got)
    internal = has(ov._OWN_ANNIVERSARY, raw) | (
        has(ov._REVIEW, raw)
        & (has(ov._OWN_UNIT, raw) | (has(ov._MEMBER, raw) & has(ov._MERIT, raw)))
        & ~has(ov._COMMUNITY, raw)
    )
    feats: dict[int, Feat] = {}
    for k in set(objects) | set(np.flatnonzero(internal).tolist()):
        obj = objects.get(k)
        feats[k] = (frozenset(obj) if obj else None, bool(internal[k]))
    return feats


def pool_df(parts: list[tuple[str, np.ndarray]]) -> list[np.ndarray]:
    """The frequencies of each part's keys summed over all the parts (``local_df`` of
    each part in, what ``set_df`` takes for each part out)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        total: dict[str, int] = {}
        lists = [keys.split("\n") if keys else [] for keys, _ in parts]
        for words, (_, df) in zip(lists, parts, strict=True):
            for w, c in zip(words, df.tolist(), strict=True):
                total[w] = total.get(w, 0) + c
        return [np.array([total[w] for w in words], dtype=Int) for words in lists]
    arrays = [
        pc.list_flatten(pc.split_pattern(pa.array([keys], type=pa.large_string()), "\n"))
        if len(df)
        else pa.array([], type=pa.large_string())
        for keys, df in parts
    ]
    enc = pa.chunked_array(arrays, type=pa.large_string()).combine_chunks().dictionary_encode()
    idx = enc.indices.to_numpy(zero_copy_only=False).astype(Int)
    counts = np.concatenate([df for _, df in parts]).astype(Int)
    total_arr = np.bincount(idx, weights=counts, minlength=len(enc.dictionary)).astype(Int)
    out = []
    at = 0
    for _, df in parts:
        out.append(total_arr[idx[at : at + len(df)]])
        at += len(df)
    return out


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
        generic = ts.generic
        bigram = np.arange(nk) >= ts.n_unigrams
        mult = np.where(generic, ov.GENERIC_WEIGHT, 1.0) * np.where(bigram, ov.BIGRAM_WEIGHT, 1.0)
        self.mult, self.keyable = mult, ~generic & ~bigram
        self.df = np.bincount(self.e_sh, minlength=nk)
        # Features (false pairs) of each activity: its title's merged with its description's.
        feats: list[Feat | None] = [None] * n
        if ts.feats:
            has = np.zeros(len(texts), dtype=bool)
            has[np.fromiter(ts.feats, dtype=Int, count=len(ts.feats))] = True
            some = np.flatnonzero(has[tix] | has[dix])
            for k, tk, dk in zip(some.tolist(), tix[some].tolist(), dix[some].tolist(),
                                 strict=True):  # fmt: skip
                a, b = ts.feats.get(tk), ts.feats.get(dk)
                if a is not None or b is not None:
                    feats[k] = ov._merge_feat(a or ov._NO_FEAT, b or ov._NO_FEAT)
        self.feats = feats
        self.tix, self.dix = tix, dix
        self._tick("records")

    # -- frequencies ---------------------------------------------------------------

    def local_df(self, counted: np.ndarray | None = None) -> tuple[str, np.ndarray]:
        """(shingle keys joined by new lines, number of activities of each) (only the
        activities where ``counted``)."""
        df = self.df
        if counted is not None:
            keep = counted[self.e_rec]
            df = np.bincount(self.e_sh[keep], minlength=len(self.ts.keys))
        return "\n".join(self.ts.keys), df

    def set_df(self, df: np.ndarray, n_total: int) -> None:
        """Frequencies of ``ts.keys`` over every part (``pool_df``)."""
        self.df = df
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
        order = np.argsort(h_key)
        h_rec, h_key = h_rec[order], h_key[order]
        cand: list[np.ndarray] = []
        t2 = self.threshold * self.threshold
        for c0 in range(0, n, _PROBE_CHUNK):
            who = everyone[c0 : c0 + _PROBE_CHUNK]
            p_rec, p_key = keys_of(who, probe_p, probe_u, (start[who] - w) // bd,
                                   (end[who] + w) // bd)  # fmt: skip
            # Probes in key order: a sorted search is many times faster than a random one.
            order = np.argsort(p_key)
            p_rec, p_key = p_rec[order], p_key[order]
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
        at = _search(e_key_s, want)
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
        inter = np.minimum(end[a], end[b]) - np.maximum(start[a], start[b]) + 1
        gap = np.where(inter > 0, 0, np.maximum(start[a], start[b]) - np.minimum(end[a], end[b]))
        self.wt = wt
        a, b = a[sel], b[sel]
        out = self._reasons(
            a.tolist(),
            b.tolist(),
            sim[sel].tolist(),
            np.maximum(inter[sel], 0).tolist(),
            gap[sel].tolist(),
            self._matched_words(a, b, e_key_s),
        )
        self._tick("reasons")
        return out

    def _tick(self, stage: str) -> None:
        """CPU seconds of each stage (``timing``), for the benchmark."""
        now = time.process_time()
        self.timing[stage] = round(now - self._clock, 3)
        self._clock = now

    def _matched_words(
        self, a: np.ndarray, b: np.ndarray, e_key_s: np.ndarray
    ) -> list[tuple[str, ...]]:
        """For each pair, the runs of a's analysed words (title, then description) that b
        has too, spelt as in a's text; a run of generic words only is left out."""

        ts = self.ts
        m = len(a)
        nk = len(ts.keys)
        seg_text = np.stack([self.tix[a], self.dix[a]], axis=1).ravel()
        cnt = ts.f_ptr[seg_text + 1] - ts.f_ptr[seg_text]
        seg, rank = _expand(cnt)
        at = ts.f_ptr[seg_text][seg] + rank
        sh = ts.f_sh[at]
        want = b[seg // 2] * nk + sh
        hit = _search(e_key_s, want)
        hit[hit == len(e_key_s)] = 0
        w = e_key_s[hit] == want if len(e_key_s) else np.zeros(len(want), dtype=bool)
        # Runs of shared words within one text.
        first = np.ones(len(w), dtype=bool)
        first[1:] = (seg[1:] != seg[:-1]) | ~w[:-1]
        run = np.cumsum(w & first) - 1
        generic = ts.generic
        topical_run = np.zeros(int(run[-1]) + 1 if len(run) else 0, dtype=bool)
        topical_run[run[w & ~generic[sh]]] = True
        pre = ts.f_pre[at]
        show = w & (pre != 0)
        show[show] = topical_run[run[show]]
        rows = np.flatnonzero(show)
        out: list[list[str]] = [[] for _ in range(m)]
        if len(rows):
            r_run = run[rows]
            cut = np.flatnonzero(np.diff(r_run)) + 1
            starts = np.concatenate([[0], cut]).tolist()
            ends = np.concatenate([cut, [len(rows)]]).tolist()
            owner = (seg[rows[starts]] // 2).tolist() if starts else []
            strings = ts.pre
            pl = pre[rows].tolist()
            for s0, e0, k in zip(starts, ends, owner, strict=True):
                if e0 - s0 == 1:
                    out[k].append(strings[pl[s0]])
                else:
                    out[k].append(" ".join([strings[x] for x in pl[s0:e0]]))
        return [tuple(dict.fromkeys(x)) for x in out]

    def _reasons(
        self,
        a_l: list[int],
        b_l: list[int],
        sim_l: list[float],
        inter_l: list[int],
        gap_l: list[int],
        words_l: list[tuple[str, ...]],
    ) -> list[tuple[int, int, PairReason]]:
        from khoi.lib import overlap as ov

        recs = self.records
        tree = self.tree
        window = self.window
        t = self.threshold
        out: list[tuple[int, int, PairReason]] = []
        relation: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}
        for a, b, sim, inter, gap, words in zip(
            a_l, b_l, sim_l, inter_l, gap_l, words_l, strict=True
        ):
            ra, rb = recs[a], recs[b]
            rel = relation.get((ra.units, rb.units))
            if rel is None:
                if len(relation) > 100_000:
                    relation.clear()
                rel = relation[(ra.units, rb.units)] = ov.unit_relation(ra.units, rb.units, tree)
            shared_units, contained = rel
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
                        matched_words=words,
                    ),
                )
            )
        return out


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
        print(f"overlap scan of {len(records)}: CPU s {bulk.timing}; tokenise: "
              f"{bulk.ts.timing}", file=sys.stderr)  # fmt: skip
    return out
