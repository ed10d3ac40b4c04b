"""The same household in several lists: a rule-based matcher. Pure, no Django.

Each organization (the Front, the Women's Union, the Farmers' Association…) keeps its own
list of the poor households it supports. ``find_groups(records, units)`` returns the groups
of records judged to be one household, each with a score and the reasons in Vietnamese.

How records are compared
------------------------

*Normalisation.* Names: NFC, one tone placement, lower case, folded (no diacritics,
"đ" → "d"); a name with diacritics is compared on both forms (so "Hùng"/"Hưng" are not
treated as the same name with full confidence). Phones: digits only, ``+84``/``84`` →
``0``, a lost leading zero restored, the 2018 11-digit mobile prefixes mapped to the new
10-digit ones (0168… → 038…). ID numbers: digits only; 9 digits = CMND, 12 = CCCD.
Addresses: abbreviations expanded (``T.``/``Th.``/``thôn``, ``K.``/``khu``, ``TDP``,
``Kp``, ``SN``…, a keyword typed against its number as in "KP3" spaced), the residential
area ("thôn 3", "khu 5", "tổ 12"; of an address naming two, the outer one: "ấp Phước Hậu"
in "Tổ 5, ấp Phước Hậu") and the house number extracted. Units: a
former commune is replaced by its successor(s) of 1 July 2025 from the unit tree, so an
old list and a new one meet in the same ward; a missing unit is read from the address when
a unit name of the tree appears in it.

*CMND and CCCD.* A 12-digit CCCD is **not** the 9-digit CMND with a prefix: the last nine
digits of a CCCD are a new serial, so the two are never compared digit by digit. The CCCD
does encode, by law (Circular 59/2021/TT-BCA, art. 7), the century and sex (4th digit)
and the last two digits of the birth year (5th–6th); the matcher uses only that, as a
*conflict* check (a CCCD saying "born 1962, female" cannot be the head "born 1958" or
named "… Văn …"), never as evidence that two records agree. Two IDs of the same kind
that differ mean two different persons.

*Two ways to be the same household.*

1. Same head: similar names (typos of one or two letters, missing diacritics), no
   conflict (different ID of the same kind, birth years two or more apart, opposite sex,
   different residential area or house number, units that cannot be the same place), and
   enough corroboration: same ID (+3), same phone (+2), same birth year (+1), same
   residential area (+1), same house number (+1), each other shared member (+1, at most
   2), exactly the same name (+1), a name that is rare in the unit (+1: no single list of
   that unit holds it twice). Three points are needed, four when both records come from
   the same list (same organization and year: a list rarely names one household twice).
   A short given name (under five letters) one letter off ("Hoa"/"Hoaa", but also
   "Tâm"/"Lâm") counts as similar only with the same phone and the same birth year.
2. Husband in one list, wife in the other: the head of one record is a member of the
   other. Needed: no conflict of place, the two heads plausible as spouses (opposite sex
   when it can be told — "Thị"/"Văn" or the CCCD —, birth years at most 15 apart when
   known), and two points: both name each other (+2), each other shared member (+1, at
   most 2), same phone (+2), same residential area or house number (+1 each). Without
   members on either side, the spouses are accepted only with the same phone, the same
   house, opposite sexes and known birth years at most 12 apart.

A phone alone, an address alone, or a common name alone never joins two records: that is
how a relative's phone, a father and son at one address, and the several "Nguyễn Văn
Hùng" of a commune stay apart (father and son are also told apart by sex and age).

*Blocking.* Candidate pairs come only from records sharing a key: the ID number, the
phone, or (place, two of the three parts of a person's name) for the head and every
member, or (two name parts, birth year) when the place is unknown. Blocks larger than
``MAX_BLOCK`` are skipped (the other keys cover their pairs), so the work grows with the
number of records, not its square.

*Speed.* Each record is normalised once (``prepare``: folded names, digits, area and
house number, current units, name keys); ``find_groups`` reads each distinct address and
name through per-call caches (a member written as a string is one shared ``Person``);
addresses are folded through a per-character ``str.translate`` table and their
abbreviations found by one pattern that tests the word boundary and the first letters
once (``_fold_fast``, ``_ADDR_ABBR_ONE``: a third of the normalisation time before).
The blocks are integer keys (kind, code, code: exact, no hashing), each record's keys
once, sorted with numpy; the blocks of one size are the rows of one array. The pairs of
each block size are filtered at once by two exact bulk filters, before they are
deduplicated (so only the kept pairs are sorted): ``place_filter`` (different current
units, areas or house numbers) and ``person_filter`` (heads whose names share no key, of
opposite sexes, born two years or more apart or with two IDs of one kind, and who cannot
be spouses either). Only the pairs left reach ``compare`` in Python; two members are
compared by name only when their ``member_keys`` meet (and whether such a member is the
other head only once one matches). ``compare`` reads the place test inline and each field
once (the hottest code: ≈ 20 % less CPU than through ``_place_conflict``). The rarity is
counted with numpy, and the join of the links tests the cluster conflicts on precomputed
signatures. None of
this changes a decision (property tests in ``khoi/lib/tests/test_households_fast.py``:
each bulk step against the rule it replaces; ``bench/fund/same_groups.py`` on the
benchmark lists).

*Two cores.* The cyclic garbage collector is paused during ``find_groups`` (millions of
small objects, no cycles: it cost a third of the time). From ``PREPARE_PARALLEL_MIN``
records (``workers=None``: the cores, at most two; any ``workers`` above one means two
processes) ``_split_groups`` forks one worker before anything is normalised, and the
records are dealt out by place: a record whose ``unit`` stands for one single commune
belongs to the process that owns that commune (the communes dealt out to even the
counts), the others (no unit, several successors, a district) to this process. Each
process builds the records of its own side (``_Store``: normalisation and ``Record``
built from the raw lines it sees through the fork, never pickled) and computes their block
keys, filter columns and rarity rows as hashed integer arrays (``_part_columns``); this
process merges the arrays, counts the rarity, finds the blocks, the pairs and the filters,
and sends the pairs whose records lie on the worker's side back to it (two records of two
different single communes are never a candidate pair, so nearly every pair has both of its
records on one side; a process builds on demand any other record it needs). Each compares
its pairs; the accepted links come back as arrays (scores, indexes, codes of the reason
lists); the links are cut by connected component (``_components``, numpy; no link crosses
two, so neither does a conflict test) and the worker joins the components whose smallest
record is on its side, this process the others, each in the same order as in one
process; the groups come back by root and are merged in root order, so the groups, scores
and reasons (and their order) are the same whatever ``workers`` is (test
``test_the_parallel_path_gives_the_serial_groups``; ``bench/fund/same_groups.py``). The
hashes (CPython's, the same in a forked process) replace exact codes: a collision can
only add a candidate pair, which ``compare`` decides, or merge two blocks (about one
chance in 2**64 / (distinct keys)**2). ``group_records`` on records already built keeps
the previous split (after ``prepare``, the worker computing the rarity and the filter
codes, then comparing half the pairs). Below ``PREPARE_PARALLEL_MIN`` records,
``compare`` alone is split, from ``PARALLEL_MIN`` pairs, and the join stays here.
``workers=1`` keeps everything in one process (a threaded server). ``_PHASES`` holds the
CPU seconds of each phase of the last call (printed by ``bench/fund/same_groups.py``).
Figures in bench/README.md ("Session 5", "Session 6").

Groups are the connected components of the accepted pairs, joined from the most certain
link down (a link that would join two records in hard conflict is dropped); a group's
score is its weakest accepted link, its reasons those of its links.
"""

from __future__ import annotations

import functools
import gc
import itertools
import multiprocessing
import os
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from khoi.lib.vntext import fold, unify_tones

MAX_BLOCK = 150
PARALLEL_MIN = 20_000  # pairs to compare from which the work is split over the CPU cores
PREPARE_PARALLEL_MIN = 20_000  # records from which the normalisation is split as well
NAME_MATCH = 0.85  # similarity of two names for the same head
MEMBER_MATCH = 0.9  # stricter: a member is matched on its name alone
# two names whose short given names (under five letters) are one letter apart ("Hoa" /
# "Hoaa", "Tâm" / "Lâm"): other names as often as typos, so the same head only with the
# same phone *and* the same birth year (a sibling sharing both would be a twin)
SHORT_GIVEN_TYPO = 0.8
SPOUSE_MAX_GAP = 15
SPOUSE_NO_MEMBERS_MAX_GAP = 12

# a name key: the hash of a tuple of name parts (a collision only adds a pair to compare)
NameKey = int

_OLD_MOBILE = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039", "0186": "056", "0188": "058",
    "0199": "059",
}  # fmt: skip

_ADDR_ABBR = [
    (re.compile(r"\btdp\b"), "to dan pho"),
    (re.compile(r"\bkdc\b"), "khu dan cu"),
    (re.compile(r"\bsn\b"), "so nha"),
    (re.compile(r"\bkp\b"), "khu pho"),
    (re.compile(r"\bth\.\s*"), "thon "),
    (re.compile(r"\bt\.\s*"), "thon "),
    (re.compile(r"\bk\.\s*"), "khu "),
    (re.compile(r"\bx\.\s*"), "xa "),
    (re.compile(r"\bp\.\s*"), "phuong "),
    (re.compile(r"\btt\.?\s*"), "thi tran "),
    (re.compile(r"\bq\.\s*"), "quan "),
    (re.compile(r"\bh\.\s*"), "huyen "),
    (re.compile(r"\btx\.?\s*"), "thi xa "),
    (re.compile(r"\btp\.?\s*"), "thanh pho "),
    (re.compile(r"\bdc\b"), "dai doan ket"),
]
# the same substitutions in one pass (each alternative is one pattern above, in order);
# every pattern starts with ``\b`` and a letter, so the word boundary and the first
# letters are tested once, before the alternatives (the same matches, several times faster)
assert all(rx.pattern.startswith(r"\b") and rx.pattern[2].isalpha() for rx, _ in _ADDR_ABBR)
_ADDR_ABBR_ONE = re.compile(
    r"\b(?=[" + "".join(sorted({rx.pattern[2] for rx, _ in _ADDR_ABBR})) + "])(?:"
    + "|".join(f"({rx.pattern[2:]})" for rx, _ in _ADDR_ABBR)
    + ")"
)  # fmt: skip
_ADDR_ABBR_REPL = [repl for _, repl in _ADDR_ABBR]
_AREA_RE = re.compile(
    r"\b(to dan pho|khu dan cu|khu pho|thon|khu|xom|ap|ban|to|doi|lang)\s+"
    r"([0-9]+[a-z]?|[a-z]+(?:\s[a-z]+)?)"
)
# outer residential areas: an address naming two ("Tổ 5, ấp Phước Hậu", "Xóm 3, thôn Đông
# Hạ") is compared on the outer one, which every list of the commune names
_OUTER_AREAS = frozenset({"to dan pho", "khu dan cu", "khu pho", "thon", "khu", "ap", "ban",
                          "lang"})  # fmt: skip
# an area keyword typed against its number ("KP3", "Tổ5", "xom7"): a space put back
_GLUED_AREA = re.compile(r"\b(kp|tdp|kdc|khu|to|thon|xom|ap|doi|ban)([0-9])")
_HOUSE_RE = re.compile(r"(?:\bso nha\s*|\bso\s+|^)([0-9]+[a-z]?(?:/[0-9]+)?)\b")
_UNIT_PREFIX_RE = re.compile(r"^(xa|phuong|thi tran|dac khu|thi xa|huyen|quan|thanh pho|tinh)\s+")
_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
          "viii": "8", "ix": "9", "x": "10"}  # fmt: skip

REASONS = {
    "id": "cùng số định danh (CMND/CCCD)",
    "phone": "cùng số điện thoại",
    "name_exact": "cùng họ tên chủ hộ",
    "name_close": "họ tên chủ hộ gần giống (khác dấu hoặc sai chính tả)",
    "birth_year": "cùng năm sinh chủ hộ",
    "area": "cùng khu dân cư",
    "house": "cùng số nhà",
    "members": "có thành viên chung",
    "rare": "họ tên ít gặp trong đơn vị",
    "unit": "cùng đơn vị hành chính",
    "cccd_birth": "năm sinh mã hóa trong CCCD khớp năm sinh ở danh sách kia",
    "spouse_age": "tuổi hai chủ hộ phù hợp là vợ chồng",
    "succession": "đơn vị cũ đã sáp nhập vào đơn vị mới (từ 01/7/2025)",
    "spouse": "chủ hộ ở danh sách này là thành viên (vợ/chồng) ở danh sách kia",
    "mutual": "hai danh sách ghi tên nhau trong thành viên hộ",
    "spouse_no_members": "cùng nhà, cùng điện thoại, hai chủ hộ khác giới, tuổi tương hợp",
}


# --- normalisation ------------------------------------------------------------------------


def norm_phone(value: Any) -> str:
    """The canonical 10-digit form of a Vietnamese phone, or "" when it cannot be one.

    Digits only; the country code (``+84``, ``84``, ``0084``) dropped; then exactly one
    trunk zero: "+84 (0) 912 345 678", "(+84) 912-345-678", "84912345678",
    "0912.345.678", "091 2345 678" and "912345678" are all 0912345678."""
    if value is None or isinstance(value, bool):
        return ""
    text = value if isinstance(value, str) else str(value)
    # re's \d is the Unicode category Nd, that is str.isdecimal: no substitution needed
    digits = text if text.isdecimal() else _NON_DIGIT.sub("", text)
    if digits.startswith("0084"):
        digits = digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12, 13):
        digits = digits[2:]
    # one trunk zero before the national number, whether it was written, lost (a
    # spreadsheet's number) or written after the country code ("+84 (0) 912 345 678")
    digits = "0" + digits.lstrip("0")
    if len(digits) == 11 and digits[:4] in _OLD_MOBILE:
        digits = _OLD_MOBILE[digits[:4]] + digits[4:]
    return digits if len(digits) in (10, 11) else ""


def norm_id(value: Any) -> tuple[str, str]:
    """(kind, digits) with kind "cmnd" (9 digits), "cccd" (12) or "" when unusable."""
    if value is None or isinstance(value, bool):
        return "", ""
    text = value if isinstance(value, str) else str(value)
    digits = text if text.isdecimal() else _NON_DIGIT.sub("", text)
    if len(digits) == 9:
        return "cmnd", digits
    if len(digits) == 12:
        return "cccd", digits
    return "", ""


def cccd_birth(digits: str) -> tuple[int | None, str]:
    """Birth year and sex ("M"/"F") encoded in a CCCD (Circular 59/2021/TT-BCA, art. 7)."""
    if len(digits) != 12:
        return None, ""
    code = int(digits[3])
    if code > 9:  # pragma: no cover - a digit
        return None, ""
    century = 1900 + 100 * (code // 2)
    return century + int(digits[4:6]), "F" if code % 2 else "M"


def name_forms(value: Any) -> tuple[str, str]:
    """(marked, folded) forms of a person's name; marked is "" without diacritics."""
    if not isinstance(value, str):
        return "", ""
    return _name_forms(value)


@functools.lru_cache(maxsize=200_000)
def _name_forms(value: str) -> tuple[str, str]:
    text = unicodedata.normalize("NFC", value)
    text = re.sub(r"[^\w\s]", " ", text).lower()
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return "", ""
    text = " ".join([_unify_word_cached(w) for w in text.split(" ")])
    folded = " ".join([_fold_word(w) for w in text.split(" ")])
    return (text if text != folded else ""), folded


@functools.lru_cache(maxsize=50_000)
def _unify_word_cached(word: str) -> str:
    return unify_tones(word)


@functools.lru_cache(maxsize=50_000)
def _fold_word(word: str) -> str:
    return fold(word)


def sex_from_name(folded: str) -> str:
    """ "F" for a "Thị" middle name, "M" for "Văn", else "" (cannot tell)."""
    parts = folded.split()
    if len(parts) >= 3:
        middle = parts[1:-1]
        if "thi" in middle:
            return "F"
        if "van" in middle:
            return "M"
    return ""


@functools.lru_cache(maxsize=500_000)
def name_similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    """1.0 equal; ~0.9 diacritics or one letter apart; lower for real differences."""
    am, af = a
    bm, bf = b
    if not af or not bf:
        return 0.0
    if af == bf:
        if am and bm and am != bm:
            # same letters, different diacritics ("Hùng"/"Hưng"): a typo or another name
            return 0.9
        return 1.0
    ta, tb = af.split(), bf.split()
    if len(ta) == len(tb):
        diffs = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
        if len(diffs) == 1:
            x, y = diffs[0]
            d = Levenshtein.distance(x, y)
            given = x == ta[-1]
            if d == 1 and min(len(x), len(y)) >= (5 if given else 3):
                return 0.9
            if d == 1 and given:
                # short given names one letter apart are usually other names (Tâm/Lâm)
                return SHORT_GIVEN_TYPO
            if d == 1:
                return 0.85 if x[0] == y[0] else 0.7
            if d == 2 and min(len(x), len(y)) >= 5:
                return 0.85
            return 0.5
        return 0.3
    # a middle name dropped or added ("Nguyễn Hùng" / "Nguyễn Văn Hùng")
    if len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0] and ta[-1] == tb[-1]:
        return 0.86
    return 0.2


def norm_address(value: Any) -> tuple[str, str, str]:
    """(folded text, residential area, house number) of an address."""
    if not isinstance(value, str) or not value.strip():
        return "", "", ""
    return _norm_address(value)


class _FoldTable(dict[int, str]):
    """``str.translate`` table of ``fold``'s mark stripping, filled as characters come.

    Stripping the combining marks of the NFD form is a function of each character (the
    canonical reordering moves only marks, which are all dropped), and the NFD of a text
    is the NFD of its NFC: ``_fold_fast(t) == fold(NFC(t))`` (property-tested)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        out = "".join([c for c in decomposed if not unicodedata.combining(c)])
        out = self[code] = out.replace("đ", "d").replace("Đ", "D")
        return out


_FOLD_TABLE = _FoldTable()


def _fold_fast(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_FOLD_TABLE).lower()).strip()


@functools.lru_cache(maxsize=100_000)
def _norm_address(value: str) -> tuple[str, str, str]:
    # fold removes every mark, so the tone placement does not matter here
    text = _fold_fast(value)
    text = _GLUED_AREA.sub(r"\1 \2", text)
    text = _ADDR_ABBR_ONE.sub(lambda m: _ADDR_ABBR_REPL[(m.lastindex or 1) - 1], text)
    text = _SPACES.sub(" ", text)
    area = ""
    m = None
    for found in _AREA_RE.finditer(text):
        if m is None:
            m = found
        if found.group(1) in _OUTER_AREAS:
            m = found
            break
    if m:
        ident = m.group(2).split()
        ident0 = _ROMAN.get(ident[0], ident[0])
        ident0 = ident0.lstrip("0") or "0" if ident0.isdigit() else ident0
        ident_s = " ".join([ident0, *ident[1:]]) if not ident0.isdigit() else ident0
        # the kind is not compared: "T.7" may be written for "Thôn 7" or "Tổ 7"
        area = ident_s
    house = ""
    first = text.split(",")[0].strip()
    h = _HOUSE_RE.search(first)
    if h and not _AREA_RE.match(first):
        house = h.group(1)
    return text, area, house


# --- units --------------------------------------------------------------------------------


@dataclass
class UnitTree:
    """The unit tree of ``--units``: parents, 1 July 2025 successors, names."""

    parent: dict[str, str | None] = field(default_factory=dict)
    successors: dict[str, list[str]] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=dict)
    _current: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _coarse: frozenset[str] | None = field(default=None, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UnitTree:
        tree = cls()
        units = data.get("units") if isinstance(data, Mapping) else None
        if not isinstance(units, Mapping):
            return tree
        for code, info in units.items():
            code = str(code)
            if not isinstance(info, Mapping):
                info = {}
            parent = info.get("parent")
            tree.parent[code] = str(parent) if parent not in (None, "") else None
            succ = info.get("successors") or []
            if isinstance(succ, list):
                tree.successors[code] = [str(s) for s in succ if s not in (None, "")]
            name = info.get("name")
            if isinstance(name, str) and name.strip():
                folded = fold(name)
                tree.by_name.setdefault(folded, set()).add(code)
                bare = _UNIT_PREFIX_RE.sub("", folded)
                if bare != folded:
                    tree.by_name.setdefault(bare, set()).add(code)
        return tree

    def current(self, code: str) -> frozenset[str]:
        """The current unit(s) a code stands for: itself, or its successors (transitively)."""
        known = self._current.get(code)
        if known is None:
            known = self._current[code] = self._successors_of(code)
        return known

    def _successors_of(self, code: str) -> frozenset[str]:
        seen: set[str] = set()
        out: set[str] = set()
        todo = [code]
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            succ = self.successors.get(c)
            if succ:
                todo.extend(succ)
            else:
                out.add(c)
        return frozenset(out)

    def coarse(self) -> frozenset[str]:
        """The units that have units below them (districts, provinces)."""
        known = self._coarse
        if known is None:
            known = self._coarse = frozenset(p for p in self.parent.values() if p is not None)
        return known

    def ancestors(self, code: str) -> list[str]:
        out: list[str] = []
        c = self.parent.get(code)
        while c is not None and c not in out and len(out) < 10:
            out.append(c)
            c = self.parent.get(c)
        return out

    def from_address(self, folded_address: str) -> str:
        """The code of the most specific unit named in an address, or ""."""
        if not self.by_name or not folded_address:
            return ""
        best = ""
        best_depth = -1
        for segment in folded_address.split(","):
            seg = segment.strip()
            for candidate in (seg, _UNIT_PREFIX_RE.sub("", seg)):
                codes = self.by_name.get(candidate)
                if codes and len(codes) == 1:
                    code = next(iter(codes))
                    depth = len(self.ancestors(code))
                    if depth > best_depth:
                        best, best_depth = code, depth
        return best


# --- records ------------------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    name: tuple[str, str]
    birth_year: int | None = None
    sex: str = ""


@dataclass(slots=True)
class Record:
    """One input line, normalised once."""

    id: Any
    org: str
    year: int | None
    head: Person
    id_kind: str
    id_digits: str
    phone: str
    address: str
    area: str
    house: str
    places: frozenset[str]
    members: list[Person]
    index: int = 0
    unit: str = ""
    # keys of the names for ``may_match``: ``name_keys`` and ``member_keys`` of the head,
    # ``member_keys`` of each member (the cached sets themselves: shared, not copied)
    head_keys: frozenset[NameKey] = frozenset()
    head_mkeys: frozenset[NameKey] = frozenset()
    member_keysets: tuple[frozenset[NameKey], ...] = ()


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 1850 <= value <= 2100:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        v = int(value.strip())
        return v if 1850 <= v <= 2100 else None
    return None


def _members(value: Any) -> list[Person]:
    if not isinstance(value, list):
        return []
    out: list[Person] = []
    for item in value:
        if isinstance(item, str):
            forms = name_forms(item)
            by: int | None = None
        elif isinstance(item, Mapping):
            forms = name_forms(item.get("name") or item.get("full_name"))
            by = _year(item.get("birth_year"))
        else:
            continue
        if forms[1]:
            out.append(Person(forms, by, sex_from_name(forms[1])))
    return out


def prepare(raw: Mapping[str, Any], units: UnitTree, index: int = 0) -> Record:
    head_forms = name_forms(raw.get("head_name"))
    id_kind, id_digits = norm_id(raw.get("id_number"))
    by = _year(raw.get("birth_year"))
    sex = sex_from_name(head_forms[1])
    if id_kind == "cccd":
        _, cccd_sex = cccd_birth(id_digits)
        sex = sex or cccd_sex
    address, area, house = norm_address(raw.get("address"))
    unit = raw.get("unit")
    unit_code = str(unit) if unit not in (None, "") and not isinstance(unit, bool) else ""
    if not unit_code:
        unit_code = units.from_address(address)
    places = units.current(unit_code) if unit_code else frozenset()
    org = raw.get("org")
    members = _members(raw.get("members"))
    return Record(
        id=raw.get("id"),
        org=str(org) if org is not None else "",
        year=_year(raw.get("year")),
        head=Person(head_forms, by, sex),
        id_kind=id_kind,
        id_digits=id_digits,
        phone=norm_phone(raw.get("phone")),
        address=address,
        area=area,
        house=house,
        places=places,
        members=members,
        index=index,
        unit=unit_code,
        head_keys=name_keys(head_forms[1]),
        head_mkeys=member_keys(head_forms[1]),
        member_keysets=tuple(member_keys(m.name[1]) for m in members),
    )


_NO_PERSON = Person(("", ""))


@dataclass
class _Warm:
    """The caches of one ``find_groups``: raw text -> normal forms (plain dicts, no bound:
    dropped with the call). A member written as a string is one shared ``Person``."""

    address: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    name: dict[str, tuple[tuple[str, str], str]] = field(default_factory=dict)  # forms, sex
    keys: dict[str, tuple[frozenset[NameKey], frozenset[NameKey]]] = field(default_factory=dict)
    member: dict[str, Person] = field(default_factory=dict)

    def name_of(self, value: str) -> tuple[tuple[str, str], str]:
        got = self.name.get(value)
        if got is None:
            forms = name_forms(value)
            got = self.name[value] = (forms, sex_from_name(forms[1]))
        return got

    def keys_of(self, folded: str) -> tuple[frozenset[NameKey], frozenset[NameKey]]:
        got = self.keys.get(folded)
        if got is None:
            got = self.keys[folded] = (name_keys(folded), member_keys(folded))
        return got

    def address_of(self, value: str) -> tuple[str, str, str]:
        got = self.address.get(value)
        if got is None:
            got = self.address[value] = norm_address(value)
        return got


def _prepare_warm(raw: Mapping[str, Any], units: UnitTree, index: int, warm: _Warm) -> Record:
    """``prepare`` reading the per-call caches (the same record)."""
    get = raw.get
    head_name = get("head_name")
    if isinstance(head_name, str):
        head_forms, sex = warm.name_of(head_name)
    else:
        head_forms, sex = ("", ""), ""
    id_kind, id_digits = norm_id(get("id_number"))
    by = _year(get("birth_year"))
    if id_kind == "cccd" and not sex:
        sex = cccd_birth(id_digits)[1]
    value = get("address")
    address, area, house = warm.address_of(value) if isinstance(value, str) else ("", "", "")
    unit = get("unit")
    unit_code = str(unit) if unit not in (None, "") and not isinstance(unit, bool) else ""
    if not unit_code:
        unit_code = units.from_address(address)
    places = units.current(unit_code) if unit_code else frozenset()
    org = get("org")
    members: list[Person] = []
    value = get("members")
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                person = warm.member.get(item)
                if person is None:
                    forms, msex = warm.name_of(item)
                    person = warm.member[item] = (
                        Person(forms, None, msex) if forms[1] else _NO_PERSON
                    )
                if person is not _NO_PERSON:
                    members.append(person)
            elif isinstance(item, Mapping):
                forms = name_forms(item.get("name") or item.get("full_name"))
                if forms[1]:
                    members.append(
                        Person(forms, _year(item.get("birth_year")), sex_from_name(forms[1]))
                    )
    head_keys, head_mkeys = warm.keys_of(head_forms[1])
    keys_of = warm.keys_of
    return Record(
        id=get("id"),
        org=str(org) if org is not None else "",
        year=_year(get("year")),
        head=Person(head_forms, by, sex),
        id_kind=id_kind,
        id_digits=id_digits,
        phone=norm_phone(get("phone")),
        address=address,
        area=area,
        house=house,
        places=places,
        members=members,
        index=index,
        unit=unit_code,
        head_keys=head_keys,
        head_mkeys=head_mkeys,
        member_keysets=tuple([keys_of(m.name[1])[1] for m in members]),
    )


@functools.lru_cache(maxsize=100_000)
def name_keys(folded: str) -> frozenset[NameKey]:
    """Keys two names share whenever ``name_similarity`` puts them at ``NAME_MATCH`` or above.

    Such names are equal, or have the same number of parts and one part differs, or differ
    only by their middle name(s). With the first part, the middle part(s) and the last part,
    they then share (first, last), (first, middle) or (middle, last). A one-part name
    gets one key for all one-part names.
    """
    parts = folded.split()
    if not parts:
        return frozenset()
    if len(parts) == 1:
        return frozenset({hash(("1",))})
    first, last = parts[0], parts[-1]
    middle = " ".join(parts[1:-1])
    return frozenset(
        {hash(("fl", first, last)), hash(("fm", first, middle)), hash(("ml", middle, last))}
    )


def _one_deleted(word: str) -> set[str]:
    """The word and the word with any one letter deleted: two words one edit apart share one."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


@functools.lru_cache(maxsize=100_000)
def member_keys(folded: str) -> frozenset[NameKey]:
    """Keys two names share whenever ``name_similarity`` puts them at ``MEMBER_MATCH`` or above.

    Stricter than ``name_keys``: at 0.9 the names are equal up to diacritics, or one part
    is one edit away (the last part only when both have five letters or more, the others
    three or more). Each key is two parts as written and the third part or the third part
    with one letter deleted; words one edit apart share such a form.
    """
    parts = folded.split()
    if not parts:
        return frozenset()
    if len(parts) == 1:
        return frozenset({hash(("1",))})
    first, last = parts[0], parts[-1]
    middle = " ".join(parts[1:-1])
    keys = {hash(("m", first, last, v)) for v in _one_deleted(middle)}
    if len(first) >= 3:
        keys.update(hash(("f", middle, last, v)) for v in _one_deleted(first))
    else:
        keys.add(hash(("f=", middle, last, first)))
    if len(last) >= 5:
        keys.update(hash(("l", first, middle, v)) for v in _one_deleted(last))
    else:
        keys.add(hash(("l=", first, middle, last)))
    return frozenset(keys)


def head_among_members(head: Record, members: Record) -> bool:
    """Whether ``head``'s head shares a ``member_keys`` key with a member of ``members``."""
    keys = head.head_mkeys
    for k in members.member_keysets:  # noqa: SIM110 - a loop: faster than any() here
        if not keys.isdisjoint(k):
            return True
    return False


def may_match(a: Record, b: Record) -> bool:
    """False when ``compare(a, b)`` is certainly None: cheap tests, no string comparison.

    ``compare`` accepts the same head only with similar names (they share a ``name_keys``
    key), no opposite sexes, birth years less than two apart and no two different IDs of
    one kind; the spouses only when the heads are not of the same sex, born at most
    ``SPOUSE_MAX_GAP`` years apart, with the head of one among the members of the other
    (a ``member_keys`` key) or, without members on either side, the same phone.
    """
    sa, sb = a.head.sex, b.head.sex
    ya, yb = a.head.birth_year, b.head.birth_year
    gap = abs(ya - yb) if ya and yb else 0
    if (
        not a.head_keys.isdisjoint(b.head_keys)
        and not (sa and sb and sa != sb)
        and gap < 2
        and not (a.id_kind and a.id_kind == b.id_kind and a.id_digits != b.id_digits)
    ):
        return True
    if (sa and sa == sb) or gap > SPOUSE_MAX_GAP:
        return False
    return bool(
        head_among_members(b, a)
        or head_among_members(a, b)
        or (not a.members and not b.members and a.phone and a.phone == b.phone)
    )


# --- pair decision ------------------------------------------------------------------------


def _same_place(a: Record, b: Record, units: UnitTree) -> bool | None:
    """True same current unit, False incompatible, None unknown."""
    return _same_place_of(a.places, b.places, units)


def _same_place_of(xs: frozenset[str], ys: frozenset[str], units: UnitTree) -> bool | None:
    if not xs or not ys:
        return None
    if xs & ys:
        return True
    # one record may name a parent (district/province) of the other's unit
    for x in xs:
        for y in ys:
            if x in units.ancestors(y) or y in units.ancestors(x):
                return True
    return False


def _place_conflict(a: Record, b: Record, units: UnitTree) -> tuple[bool, list[str], int]:
    """(conflict, reasons, points) of the addresses and units."""
    same = _same_place(a, b, units)
    if same is False:
        return True, [], 0
    if a.area and b.area and a.area != b.area:
        return True, [], 0
    if a.house and b.house and a.house != b.house and (a.area == b.area or not a.area):
        return True, [], 0
    reasons: list[str] = []
    points = 0
    if same:
        points += 1
        reasons.append("unit")
    if a.area and a.area == b.area:
        points += 1
        reasons.append("area")
    if a.house and a.house == b.house:
        points += 1
        reasons.append("house")
    return False, reasons, points


def _shared_members(a: Record, b: Record, exclude: Sequence[tuple[str, str]]) -> int:
    am, bm = a.members, b.members
    if not am or not bm:
        return 0
    count = 0
    used: set[int] = set()
    ka, kb = a.member_keysets, b.member_keysets
    # two members without a common ``member_keys`` key are below MEMBER_MATCH: not compared
    keyed = len(ka) == len(am) and len(kb) == len(bm)
    for i, p in enumerate(am):
        # a member similar to a head is not shared; tested only once a member of ``b``
        # would match it (most have none), which decides the same
        excluded: bool | None = None
        name, py = p.name, p.birth_year
        mine = ka[i] if keyed else None
        for j, q in enumerate(bm):
            if mine is not None and mine.isdisjoint(kb[j]):
                continue
            if j not in used and name_similarity(name, q.name) >= MEMBER_MATCH:
                if py and q.birth_year and abs(py - q.birth_year) > 1:
                    continue
                if excluded is None:
                    excluded = any(name_similarity(name, x) >= MEMBER_MATCH for x in exclude)
                if excluded:
                    break
                used.add(j)
                count += 1
                break
    return count


def _birth_conflict(a: Record, b: Record) -> bool:
    ay, by = a.head.birth_year, b.head.birth_year
    if ay and by and abs(ay - by) >= 2:
        return True
    if a.id_kind != "cccd" and b.id_kind != "cccd":
        return False
    for x, y in ((a, b), (b, a)):
        if x.id_kind == "cccd":
            cy, _ = cccd_birth(x.id_digits)
            other = y.head.birth_year
            if cy and other and cy != other:
                return True
            if y.id_kind == "cccd":
                oy, _ = cccd_birth(y.id_digits)
                if cy and oy and cy != oy:
                    return True
    return False


def _cccd_agrees(a: Record, b: Record) -> bool:
    """A weak signal: one record's CCCD encodes the birth year the other record gives."""
    for x, y in ((a, b), (b, a)):
        if x.id_kind == "cccd" and y.head.birth_year:
            cy, _ = cccd_birth(x.id_digits)
            if cy == y.head.birth_year:
                return True
    return False


def hard_conflict(a: Record, b: Record, units: UnitTree) -> bool:
    """Two records that cannot be one household (used to stop chains of links)."""
    if _place_conflict(a, b, units)[0]:
        return True
    if name_similarity(a.head.name, b.head.name) >= NAME_MATCH:
        if a.id_kind and a.id_kind == b.id_kind and a.id_digits != b.id_digits:
            return True
        if _birth_conflict(a, b):
            return True
    return False


@dataclass
class PairResult:
    score: float
    reasons: list[str]


def compare(
    a: Record,
    b: Record,
    units: UnitTree,
    rare: Mapping[int, bool] | Sequence[bool] | None = None,
) -> PairResult | None:
    """The decision for one pair: a PairResult when judged the same household, else None.

    ``rare``: for every record index, whether its head's name is rare in its unit
    (``_rarity``; a list or a mapping holding every index), or None (no rarity point).
    """
    # ``_place_conflict``, inlined (the hottest function of the matcher)
    xs, ys = a.places, b.places
    same: bool | None = None
    if xs and ys:
        same = True if not xs.isdisjoint(ys) else _same_place_of(xs, ys, units)
        if same is False:
            return None
    aa, ba = a.area, b.area
    if aa and ba and aa != ba:
        return None
    ah_, bh_ = a.house, b.house
    if ah_ and bh_ and ah_ != bh_ and (aa == ba or not aa):
        return None
    base: list[str] = []
    place_points = 0
    if same:
        place_points += 1
        base.append("unit")
    if aa and aa == ba:
        place_points += 1
        base.append("area")
    if ah_ and ah_ == bh_:
        place_points += 1
        base.append("house")
    kind = a.id_kind
    same_id = bool(kind) and kind == b.id_kind and a.id_digits == b.id_digits
    phone = a.phone
    same_phone = bool(phone) and phone == b.phone
    ahead, bhead = a.head, b.head
    sim = name_similarity(ahead.name, bhead.name)
    # 1. same head (a short given name one letter off only with the same phone and the
    # same birth year: ``SHORT_GIVEN_TYPO``)
    if sim >= NAME_MATCH or (
        sim == SHORT_GIVEN_TYPO
        and same_phone
        and ahead.birth_year is not None
        and ahead.birth_year == bhead.birth_year
    ):
        id_conflict = bool(kind) and kind == b.id_kind and not same_id
        asex, bsex = ahead.sex, bhead.sex
        sex_conflict = bool(asex) and bool(bsex) and asex != bsex
        if not id_conflict and not sex_conflict and not _birth_conflict(a, b):
            points = place_points
            reasons = list(base)
            if same_id:
                points += 3
                reasons.append("id")
            if same_phone:
                points += 2
                reasons.append("phone")
            if ahead.birth_year and ahead.birth_year == bhead.birth_year:
                points += 2
                reasons.append("birth_year")
            elif _cccd_agrees(a, b):
                points += 1
                reasons.append("cccd_birth")
            shared = _shared_members(a, b, (a.head.name, b.head.name))
            if shared:
                points += min(shared, 2)
                reasons.append("members")
            if sim == 1.0:
                points += 1
                reasons.insert(0, "name_exact")
            else:
                reasons.insert(0, "name_close")
            if rare is not None and rare[a.index] and rare[b.index]:
                points += 1
                reasons.append("rare")
            need = 4 if a.org == b.org and a.year == b.year and a.org != "" else 3
            if points >= need:
                return PairResult(_score(points, sim), reasons)
        if same_id:
            return None
    # 2. husband in one list, wife in the other
    return _spouse(a, b, base, place_points, same_phone)


def _spouse(
    a: Record, b: Record, base: list[str], place_points: int, same_phone: bool
) -> PairResult | None:
    if a.head.sex and b.head.sex and a.head.sex == b.head.sex:
        return None
    if not a.members and not b.members and not (same_phone and a.house):
        return None
    ay, by = a.head.birth_year, b.head.birth_year
    in_a = _find(a.members, b.head) if _may_find(a, b) else None
    in_b = _find(b.members, a.head) if _may_find(b, a) else None
    for person, other in ((in_a, b.head), (in_b, a.head)):
        if person is not None:
            py = person.birth_year or other.birth_year
            if py and other.birth_year and abs(py - other.birth_year) > 1:
                return None
    if ay and by and abs(ay - by) > SPOUSE_MAX_GAP:
        return None
    if in_a is None and in_b is None:
        if a.members or b.members:
            return None
        if (
            same_phone
            and a.house
            and a.house == b.house
            and a.head.sex
            and b.head.sex
            and ay
            and by
            and abs(ay - by) <= SPOUSE_NO_MEMBERS_MAX_GAP
            and a.places
            and b.places
        ):
            return PairResult(0.6, ["spouse_no_members", *base, "phone"])
        return None
    shared = _shared_members(a, b, (a.head.name, b.head.name))
    mutual = in_a is not None and in_b is not None
    if not (mutual or shared or same_phone or (a.house and a.house == b.house)):
        # one name among the members, with nothing else in common, may be a child or a
        # relative with a common name
        return None
    points = place_points
    reasons = ["spouse", *base]
    if ay and by:
        points += 1
        reasons.append("spouse_age")
    if mutual:
        points += 2
        reasons.append("mutual")
    if shared:
        points += min(shared, 2)
        reasons.append("members")
    if same_phone:
        points += 2
        reasons.append("phone")
    if points >= 3:
        return PairResult(_score(points, 0.9), reasons)
    return None


def _may_find(rec: Record, other: Record) -> bool:
    """False when no member of ``rec`` can be ``other``'s head (``member_keys`` apart)."""
    if not rec.members:
        return False
    if not rec.member_keysets or not other.head_mkeys:
        return True  # keys not computed (a Record built by hand): look at every member
    return head_among_members(other, rec)


def _find(members: Sequence[Person], head: Person) -> Person | None:
    best: Person | None = None
    best_sim = 0.0
    for p in members:
        s = name_similarity(p.name, head.name)
        if s >= MEMBER_MATCH and s > best_sim:
            if p.sex and head.sex and p.sex != head.sex:
                continue
            best, best_sim = p, s
    return best


def _score(points: int, sim: float) -> float:
    return round(min(0.99, 0.5 + 0.08 * points) * (0.9 + 0.1 * sim), 3)


# --- blocking and grouping ---------------------------------------------------------------


def _name_keys(name: str) -> tuple[list[str], list[str]]:
    """(keys for the place block, keys for the birth-year block) of one folded name."""
    parts = name.split()
    if len(parts) < 2:
        return ([name], [name]) if name else ([], [])
    first, last = parts[0], parts[-1]
    middle = " ".join(parts[1:-1])
    place = [f"{first}|{last}", f"~{middle}|{last}"]
    year = [f"{first}|{last}", f"{first}|{middle}|"] if middle else [f"{first}|{last}"]
    return place, year


def block_keys(rec: Record) -> set[str]:
    keys: set[str] = set()
    if rec.id_kind:
        keys.add(f"id:{rec.id_digits}")
    if rec.phone:
        keys.add(f"ph:{rec.phone}")
    for person in (rec.head, *rec.members):
        place_keys, year_keys = _name_keys(person.name[1])
        for p in rec.places:
            for nk in place_keys:
                keys.add(f"u:{p}|{nk}")
        if person.birth_year:
            for nk in year_keys:
                keys.add(f"y:{person.birth_year}|{nk}")
        elif not rec.places:
            for nk in place_keys[:1]:
                keys.add(f"n:{nk}")
    return keys


@dataclass
class Group:
    ids: list[Any]
    score: float
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"ids": self.ids, "score": self.score, "reasons": self.reasons}


def _rarity(records: Sequence[Record]) -> dict[int, bool]:
    """A head name is rare in its unit when no single list (org, year) holds it twice.

    Counted with numpy over (place, head name, list) codes: a (place, name) is common
    when one list holds it twice or more than six records hold it.
    """
    places: dict[str, int] = {}
    names: dict[str, int] = {}
    lists: dict[tuple[str, Any], int] = {}
    rows_rec: list[int] = []
    rows_place: list[int] = []
    rows_name: list[int] = []
    rows_list: list[int] = []
    for pos, r in enumerate(records):
        name = names.setdefault(r.head.name[1], len(names))
        lst = lists.setdefault((r.org, r.year), len(lists))
        for p in r.places or ("",):
            rows_rec.append(pos)
            rows_place.append(places.setdefault(p, len(places)))
            rows_name.append(name)
            rows_list.append(lst)
    n = len(records)
    if not rows_rec:
        return {}
    key = np.asarray(rows_place, dtype=np.int64) * max(len(names), 1) + np.asarray(
        rows_name, dtype=np.int64
    )
    key_ids, key_inv = np.unique(key, return_inverse=True)
    key_inv = key_inv.reshape(-1)
    total = np.bincount(key_inv, minlength=len(key_ids))
    per_list = key_inv.astype(np.int64) * max(len(lists), 1) + np.asarray(rows_list)
    pl_ids, pl_counts = np.unique(per_list, return_counts=True)
    # the (key, list) codes are sorted: those of one key are consecutive
    pl_key = pl_ids // max(len(lists), 1)
    starts = np.flatnonzero(np.r_[True, pl_key[1:] != pl_key[:-1]])
    most = np.maximum.reduceat(pl_counts, starts)  # one per key, in key order
    common_row = (most[key_inv] > 1) | (total[key_inv] > 6)
    common = np.bincount(np.asarray(rows_rec, dtype=np.int64), weights=common_row, minlength=n)
    return {
        r.index: bool(r.head.name[1]) and bool(r.places) and not c
        for r, c in zip(records, (common > 0).tolist(), strict=True)
    }


def find_groups(
    raw_records: Iterable[Mapping[str, Any]],
    units: UnitTree | None = None,
    workers: int | None = None,
) -> list[Group]:
    """Groups of two or more records judged to be the same household.

    ``workers``: processes comparing the candidate pairs (forked; each pair is decided on
    its own, so the groups are those of one process). ``None``: the CPU cores, at most
    two, when there are ``PARALLEL_MIN`` pairs or more; pass 1 inside a threaded server.
    """
    tree = units or UnitTree()
    with _gc_paused():
        c0 = time.process_time()
        raws = raw_records if isinstance(raw_records, Sequence) else list(raw_records)
        split = workers
        if split is None:
            split = _default_workers() if len(raws) >= PREPARE_PARALLEL_MIN else 1
        if split > 1:
            return _split_groups(raws, tree)
        warm = _Warm()
        records = [_prepare_warm(r, tree, i, warm) for i, r in enumerate(raws)]
        del warm
        spent = time.process_time() - c0
        groups = group_records(records, tree, workers)
        _PHASES["prepare"] = spent
        return groups


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The matcher allocates millions of small objects and no cycles: the cyclic GC only
    slows it (a third of the time at 100,000 records)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_IN_WORKER = False


def _default_workers() -> int:
    if _IN_WORKER or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(2, os.cpu_count() or 1)


# accepted links as columns: minus the score, the two record indexes, the reasons' code
# (an index in a table of distinct reason lists: a forked worker sends back arrays)
@dataclass
class _Links:
    neg: list[float] = field(default_factory=list)
    lo: list[int] = field(default_factory=list)
    hi: list[int] = field(default_factory=list)
    why: list[int] = field(default_factory=list)
    table: list[tuple[str, ...]] = field(default_factory=list)
    cpu: float = 0.0  # CPU seconds of the process that compared them


def _compare_pairs(
    records: Sequence[Record],
    tree: UnitTree,
    rare: Mapping[int, bool] | Sequence[bool],
    lo: np.ndarray,
    hi: np.ndarray,
    certain: np.ndarray,
) -> _Links:
    """``compare`` on the pairs (lo[k], hi[k]); ``certain[k]`` False: the spouse test first."""
    c0 = time.process_time()
    links = _Links()
    codes: dict[tuple[str, ...], int] = {}
    neg, out_lo, out_hi, why = links.neg, links.lo, links.hi, links.why
    for i, j, sure in zip(lo.tolist(), hi.tolist(), certain.tolist(), strict=True):
        a, b = records[i], records[j]
        if not sure:
            # head_among_members(a, b) or head_among_members(b, a), inlined
            keys = a.head_mkeys
            for k in b.member_keysets:
                if not keys.isdisjoint(k):
                    break
            else:
                keys = b.head_mkeys
                for k in a.member_keysets:
                    if not keys.isdisjoint(k):
                        break
                else:
                    continue
        result = compare(a, b, tree, rare)
        if result is not None:
            neg.append(-result.score)
            out_lo.append(i)
            out_hi.append(j)
            reasons = tuple(result.reasons)
            code = codes.get(reasons)
            if code is None:
                code = codes[reasons] = len(codes)
            why.append(code)
    links.table = list(codes)
    links.cpu = time.process_time() - c0
    return links


# what a forked worker reads: set before the fork, read in the child (never pickled)
_FORKED: tuple[Sequence[Record], UnitTree] | None = None


def _compare_part(
    args: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[str, ...]], float]:
    global _IN_WORKER
    _IN_WORKER = True
    assert _FORKED is not None
    records, tree = _FORKED
    gc.disable()
    lo, hi, certain, rare = args
    links = _compare_pairs(records, tree, rare.tolist(), lo, hi, certain)
    # arrays pickle as a few bytes each, not as a million tuples
    return (
        np.asarray(links.neg, dtype=np.float64),
        np.asarray(links.lo, dtype=np.int64),
        np.asarray(links.hi, dtype=np.int64),
        np.asarray(links.why, dtype=np.int32),
        links.table,
        links.cpu,
    )


def _features_part() -> tuple[np.ndarray, _PairFeatures, float]:
    """In a forked worker, while the parent builds the blocks: rarity and filter codes."""
    global _IN_WORKER, _WORKER_FEATURES
    _IN_WORKER = True
    assert _FORKED is not None
    records, tree = _FORKED
    gc.disable()
    c0 = time.process_time()
    rare = _rarity(records)
    rare_arr = np.array([rare[r.index] for r in records], dtype=bool)
    features = _WORKER_FEATURES = _PairFeatures.of(records, tree)
    return rare_arr, features, time.process_time() - c0


# the filter codes of the records, kept in the forked worker that computed them
_WORKER_FEATURES: _PairFeatures | None = None


def _pairs_part(args: tuple[list[np.ndarray], int]) -> tuple[np.ndarray, float]:
    """In a forked worker: ``_pair_codes`` of some rows of the blocks."""
    global _WORKER_FEATURES
    assert _FORKED is not None
    records, tree = _FORKED
    gc.disable()
    c0 = time.process_time()
    if _WORKER_FEATURES is None:  # another worker computed them (more than two processes)
        _WORKER_FEATURES = _PairFeatures.of(records, tree)
    blocks, n = args
    codes = _pair_codes(blocks, n, _WORKER_FEATURES.mask)
    return codes, time.process_time() - c0


def _compare_parallel(
    pool: Any,
    records: Sequence[Record],
    tree: UnitTree,
    rare: Sequence[bool],
    lo: np.ndarray,
    hi: np.ndarray,
    certain: np.ndarray,
    workers: int,
) -> _Links:
    """The pairs split in ``workers`` parts: this process compares the first, the forked
    ``pool`` the others; the accepted links come back as arrays, joined here."""
    bounds = np.linspace(0, len(lo), workers + 1).astype(np.int64)
    parts = [(lo[s:e], hi[s:e], certain[s:e]) for s, e in itertools.pairwise(bounds)]
    rare_arr = np.asarray(rare, dtype=bool)
    children = [pool.apply_async(_compare_part, ((*part, rare_arr),)) for part in parts[1:]]
    out = _compare_pairs(records, tree, rare, *parts[0])
    codes = {reasons: k for k, reasons in enumerate(out.table)}
    child_cpu = 0.0
    for child in children:
        neg, c_lo, c_hi, c_why, table, cpu = child.get()
        remap = [codes.setdefault(reasons, len(codes)) for reasons in table]
        out.neg.extend(neg.tolist())
        out.lo.extend(c_lo.tolist())
        out.hi.extend(c_hi.tolist())
        out.why.extend([remap[w] for w in c_why.tolist()])
        child_cpu += cpu
    out.table = list(codes)
    _PHASES["compare (forked workers)"] = _PHASES.get("compare (forked workers)", 0) + child_cpu
    return out


@contextmanager
def _forked_pool(records: Sequence[Record], tree: UnitTree, workers: int) -> Iterator[Any]:
    """``workers - 1`` forked processes that see the records (never pickled to them)."""
    global _FORKED
    _FORKED = (records, tree)
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            yield pool
    finally:
        _FORKED = None


def _clusters_conflict(
    xs: Sequence[int], ys: Sequence[int], records: Sequence[Record], tree: UnitTree
) -> bool:
    return any(hard_conflict(records[i], records[j], tree) for i in xs for j in ys)


# what ``hard_conflict`` reads of a record, precomputed for the join of the links:
# (simple place, places, area, house, id kind, id digits, birth year, CCCD birth year, name)
_ConflictSig = tuple[Any, frozenset[str], str, str, str, str, int | None, int | None, Any]


def _conflict_sigs(records: Sequence[Record], tree: UnitTree) -> list[_ConflictSig]:
    coarse = tree.coarse()
    out: list[_ConflictSig] = []
    for r in records:
        simple: str | None = ""  # no place
        if len(r.places) == 1:
            (p,) = r.places
            simple = None if p in coarse else p
        elif r.places:
            simple = None  # several places: the rule itself decides
        cy = cccd_birth(r.id_digits)[0] if r.id_kind == "cccd" else None
        out.append((simple, r.places, r.area, r.house, r.id_kind, r.id_digits,
                    r.head.birth_year, cy, r.head.name))  # fmt: skip
    return out


def _sig_conflict(x: _ConflictSig, y: _ConflictSig, tree: UnitTree) -> bool:
    """``hard_conflict`` of two records from their signatures (property-tested equal)."""
    px, py = x[0], y[0]
    if px and py:
        if px != py:
            return True  # two single units, neither above another unit: not one place
    elif ((px is None and py != "") or (py is None and px != "")) and _same_place_of(
        x[1], y[1], tree
    ) is False:
        return True
    ax, ay = x[2], y[2]
    if ax and ay and ax != ay:
        return True
    hx, hy = x[3], y[3]
    if hx and hy and hx != hy and (ax == ay or not ax):
        return True
    kind = x[4]
    id_conflict = bool(kind) and kind == y[4] and x[5] != y[5]
    bx, by, cx, cy = x[6], y[6], x[7], y[7]
    birth_conflict = (
        (bx and by and abs(bx - by) >= 2)
        or (cx and by and cx != by)
        or (cy and bx and cy != bx)
        or (cx and cy and cx != cy)
    )
    if not (id_conflict or birth_conflict):
        return False
    return name_similarity(x[8], y[8]) >= NAME_MATCH


def _codes(values: Sequence[Any]) -> np.ndarray:
    """Small integer codes of hashable values; -1 for an empty value."""
    table: dict[Any, int] = {}
    out = np.full(len(values), -1, dtype=np.int64)
    for i, v in enumerate(values):
        if v:
            out[i] = table.setdefault(v, len(table))
    return out


def _blocks_by_size(blocks: Iterable[list[int]]) -> Iterator[np.ndarray]:
    """The usable blocks (2 to ``MAX_BLOCK`` records) as one 2-D array per size."""
    by_size: dict[int, list[list[int]]] = defaultdict(list)
    for members in blocks:
        if 2 <= len(members) <= MAX_BLOCK:
            by_size[len(members)].append(members)
    for rows in by_size.values():
        yield np.asarray(rows, dtype=np.int64)


def _candidate_pairs(blocks: Iterable[list[int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi): every pair of records sharing a usable block, once, sorted, lo < hi."""
    lo, hi, _ = _pairs_of_blocks(_blocks_by_size(blocks), n, None)
    return lo, hi


_PairMask = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _pairs_of_blocks(
    blocks: Iterable[np.ndarray], n: int, mask: _PairMask | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lo, hi, certain) of every pair of the blocks (2-D arrays of records, one block a
    row), once, sorted, lo < hi. ``mask(lo, hi)`` gives (keep, certain) of pairs: applied
    block by block before the pairs are deduplicated, so only the kept ones are sorted."""
    chunks: list[np.ndarray] = []
    for arr in blocks:
        size = arr.shape[1]
        iu, ju = np.triu_indices(size, 1)
        a = arr[:, iu].ravel()
        b = arr[:, ju].ravel()
        lo = np.minimum(a, b)
        hi = np.maximum(a, b)
        del a, b
        if mask is None:
            keep = lo != hi
            certain = np.ones(len(lo), dtype=bool)
        else:
            keep, certain = mask(lo, hi)
            keep &= lo != hi
        lo, hi, certain = lo[keep], hi[keep], certain[keep]
        # one int64 per pair, the "certain" bit last (a function of the pair: duplicates
        # carry the same bit)
        chunks.append(_sorted_once(((lo * n + hi) << 1) | certain))
        del lo, hi, certain, keep
    if not chunks:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=bool)
    codes = _sorted_once(np.concatenate(chunks))
    del chunks
    return _decoded_pairs(codes, n)


def _pair_codes(blocks: Iterable[np.ndarray], n: int, mask: _PairMask) -> np.ndarray:
    """The pairs of ``_pairs_of_blocks`` as their sorted codes ((lo·n + hi) << 1 | certain),
    each once: two parts of the blocks give the pairs of all of them once merged."""
    lo, hi, certain = _pairs_of_blocks(blocks, n, mask)
    return ((lo.astype(np.int64) * n + hi) << 1) | certain


def _decoded_pairs(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    certain = (codes & 1).astype(bool)
    codes >>= 1
    small = np.int32 if n < 2**31 else np.int64
    return (codes // n).astype(small), (codes % n).astype(small), certain


def _sorted_once(codes: np.ndarray) -> np.ndarray:
    """The codes sorted, each once (a sort and a mask: faster than np.unique's hash here)."""
    codes.sort()
    first = np.empty(len(codes), dtype=bool)
    first[:1] = True
    np.not_equal(codes[1:], codes[:-1], out=first[1:])
    return codes[first]


_KIND_SHIFT = 58
_FIELD_SHIFT = 29


def _block_arrays(records: Sequence[Record]) -> Iterator[np.ndarray]:
    """The blocks of ``block_keys`` as 2-D arrays of record indexes, one per block size.

    The same keys as integers (kind, code, code; exact, no hashing): each record's keys
    once, sorted with numpy, the blocks of one size gathered as the rows of one array.
    """
    strings: dict[str, int] = {}  # name keys, places, IDs, phones: one code each
    name_cache: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    place_cache: dict[frozenset[str], list[int]] = {}
    u_kind, y_kind, n_kind = 2 << _KIND_SHIFT, 3 << _KIND_SHIFT, 4 << _KIND_SHIFT
    id_kind, ph_kind = 0 << _KIND_SHIFT, 1 << _KIND_SHIFT
    flat_keys: list[int] = []
    flat_recs: list[int] = []
    code = strings.setdefault
    for pos, r in enumerate(records):
        keys: set[int] = set()
        add = keys.add
        if r.id_kind:
            add(id_kind | code("id:" + r.id_digits, len(strings)))
        if r.phone:
            add(ph_kind | code("ph:" + r.phone, len(strings)))
        places = place_cache.get(r.places)
        if places is None:
            places = place_cache[r.places] = [
                u_kind | (code("u:" + p, len(strings)) << _FIELD_SHIFT) for p in r.places
            ]
        for person in (r.head, *r.members):
            folded = person.name[1]
            cached = name_cache.get(folded)
            if cached is None:
                place_keys, year_keys = _name_keys(folded)
                cached = name_cache[folded] = (
                    tuple([code(k, len(strings)) for k in place_keys]),
                    tuple([code(k, len(strings)) for k in year_keys]),
                )
            place_codes, year_codes = cached
            for base in places:
                for c in place_codes:
                    add(base | c)
            if person.birth_year:
                base = y_kind | (person.birth_year << _FIELD_SHIFT)
                for c in year_codes:
                    add(base | c)
            elif not places and place_codes:
                add(n_kind | place_codes[0])
        flat_keys.extend(keys)
        flat_recs.extend([pos] * len(keys))
    if len(strings) >= 1 << _FIELD_SHIFT:  # pragma: no cover - 500 million distinct keys
        raise ValueError("too many distinct blocking keys")
    key_arr = np.asarray(flat_keys, dtype=np.int64)
    rec_arr = np.asarray(flat_recs, dtype=np.int64)
    del flat_keys, flat_recs
    yield from _blocks_from_keys(key_arr, rec_arr)


@dataclass
class _PairFeatures:
    """Per-record codes read by ``place_filter`` and ``person_filter`` (int32 arrays)."""

    place: np.ndarray
    area: np.ndarray
    house: np.ndarray
    head: np.ndarray  # (3, n): the head's ``name_keys`` as codes, -1 when fewer
    sex: np.ndarray
    year: np.ndarray
    id_kind: np.ndarray
    id_code: np.ndarray
    phone: np.ndarray
    no_members: np.ndarray

    @classmethod
    def of(cls, records: Sequence[Record], tree: UnitTree) -> _PairFeatures:
        coarse = tree.coarse()
        n = len(records)
        place_vals: list[Any] = []
        for r in records:
            if len(r.places) == 1:
                (p,) = r.places
                place_vals.append(None if p in coarse else p)
            else:
                place_vals.append(None)
        keys: dict[NameKey, int] = {}
        head = np.full((3, n), -1, dtype=np.int32)
        id_kind = np.zeros(n, dtype=np.int8)
        ids: dict[str, int] = {}
        id_code = np.full(n, -1, dtype=np.int32)
        no_members = np.zeros(n, dtype=bool)
        by_keys: dict[frozenset[NameKey], tuple[int, int, int]] = {}
        head_rows: list[tuple[int, int, int]] = []
        sexes = {"M": 1, "F": 2}
        sex_l: list[int] = []
        year_l: list[int] = []
        for i, r in enumerate(records):
            hk = r.head_keys
            codes = by_keys.get(hk)
            if codes is None:
                found = [keys.setdefault(key, len(keys)) for key in sorted(hk)]
                found += [-1] * (3 - len(found))  # name_keys: at most three keys
                codes = by_keys[hk] = (found[0], found[1], found[2])
            head_rows.append(codes)
            sex_l.append(sexes.get(r.head.sex, 0))
            year_l.append(r.head.birth_year or 0)
            if r.id_kind:
                id_kind[i] = 1 if r.id_kind == "cmnd" else 2
                id_code[i] = ids.setdefault(r.id_digits, len(ids))
            if not r.members:
                no_members[i] = True
        if n:
            head = np.ascontiguousarray(np.asarray(head_rows, dtype=np.int32).T)
        sex = np.asarray(sex_l, dtype=np.int8)
        year = np.asarray(year_l, dtype=np.int32)
        return cls(
            place=_codes(place_vals).astype(np.int32),
            area=_codes([r.area for r in records]).astype(np.int32),
            house=_codes([r.house for r in records]).astype(np.int32),
            head=head,
            sex=sex,
            year=year,
            id_kind=id_kind,
            id_code=id_code,
            phone=_codes([r.phone for r in records]).astype(np.int32),
            no_members=no_members,
        )

    def place_ok(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Mask of the pairs that ``_place_conflict`` does not rule out (see place_filter)."""
        pa, pb = self.place[lo], self.place[hi]
        conflict = (pa >= 0) & (pb >= 0) & (pa != pb)
        del pa, pb
        aa, ab = self.area[lo], self.area[hi]
        conflict |= (aa >= 0) & (ab >= 0) & (aa != ab)
        ha, hb = self.house[lo], self.house[hi]
        conflict |= (ha >= 0) & (hb >= 0) & (ha != hb) & ((aa == ab) | (aa < 0))
        return ~conflict

    def person(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(certain, maybe) of the pairs: see ``person_filter``."""
        head = self.head
        shared = np.zeros(len(lo), dtype=bool)
        for x in range(3):
            ka = head[x][lo]
            valid = ka >= 0
            for y in range(3):
                shared |= valid & (ka == head[y][hi])
        sa, sb = self.sex[lo], self.sex[hi]
        ya, yb = self.year[lo], self.year[hi]
        gap = np.where((ya > 0) & (yb > 0), np.abs(ya - yb), 0)
        del ya, yb
        ka, kb = self.id_kind[lo], self.id_kind[hi]
        same_head = (
            shared
            & ~((sa > 0) & (sb > 0) & (sa != sb))
            & (gap < 2)
            & ~((ka > 0) & (ka == kb) & (self.id_code[lo] != self.id_code[hi]))
        )
        spouses = ~((sa > 0) & (sa == sb)) & (gap <= SPOUSE_MAX_GAP)
        pa = self.phone[lo]
        none_a, none_b = self.no_members[lo], self.no_members[hi]
        phone_only = none_a & none_b & (pa >= 0) & (pa == self.phone[hi])
        certain = same_head | (spouses & phone_only)
        maybe = spouses & ~certain & ~(none_a & none_b)
        return certain, maybe

    def mask(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(keep, certain): both filters, the person one on the pairs the place one keeps."""
        keep = self.place_ok(lo, hi)
        idx = np.flatnonzero(keep)
        certain_k, maybe_k = self.person(lo[idx], hi[idx])
        keep[idx] = certain_k | maybe_k
        certain = np.zeros(len(lo), dtype=bool)
        certain[idx] = certain_k
        return keep, certain


def place_filter(
    records: Sequence[Record], tree: UnitTree, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Mask of the pairs (lo[k], hi[k]) that ``_place_conflict`` does not rule out.

    Vectorised and exact: a record whose place is several units, or a unit that has
    units below it (a district named instead of a commune), is left to ``compare``.
    """
    return _PairFeatures.of(records, tree).place_ok(lo, hi)


def person_filter(
    records: Sequence[Record], lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``may_match`` in bulk: (pairs to compare, pairs for which ``may_match`` must decide).

    The first mask holds the pairs that pass ``may_match`` on the head's name, sex, birth
    year and ID, or on the phone without members; the second the pairs left only with the
    spouse's test on the members' names (sets, done in Python); the others cannot match.
    """
    return _PairFeatures.of(records, UnitTree()).person(lo, hi)


# CPU seconds of the phases of the last ``group_records`` of this process (for the bench)
_PHASES: dict[str, float] = {}


class _Clock:
    def __init__(self) -> None:
        _PHASES.clear()
        self.t = time.process_time()

    def __call__(self, phase: str) -> None:
        now = time.process_time()
        _PHASES[phase] = _PHASES.get(phase, 0.0) + now - self.t
        self.t = now


def _compare_forked(
    pool: Any, records: Sequence[Record], tree: UnitTree, workers: int, tick: _Clock
) -> _Links:
    task = pool.apply_async(_features_part)
    blocks = list(_block_arrays(records))
    tick("blocks (while a worker computes the rarity and filter codes)")
    rare_arr, features, cpu = task.get()
    _PHASES["rarity and filter codes (forked worker)"] = cpu
    rare: Sequence[bool] = rare_arr.tolist()
    tick("rarity and filter codes (waiting, receiving)")
    # the pairs of half the rows of each block size here, of the other half in the worker
    # (it holds the filter codes it computed); the two sorted code arrays merged once
    n = max(len(records), 1)
    halves = [len(arr) // 2 for arr in blocks]
    task2 = pool.apply_async(
        _pairs_part, (([arr[h:] for arr, h in zip(blocks, halves, strict=True)], n),)
    )
    mine = _pair_codes([arr[:h] for arr, h in zip(blocks, halves, strict=True)], n, features.mask)
    del blocks, features
    tick("pairs and filters (this process's half)")
    theirs, cpu = task2.get()
    _PHASES["pairs and filters (forked worker's half)"] = cpu
    lo, hi, certain = _decoded_pairs(_sorted_once(np.concatenate([mine, theirs])), n)
    del mine, theirs
    tick("pairs: waiting, merging")
    if len(lo) < workers:
        return _compare_pairs(records, tree, rare, lo, hi, certain)
    return _compare_parallel(pool, records, tree, rare, lo, hi, certain, workers)


def group_records(
    records: Sequence[Record], tree: UnitTree, workers: int | None = None
) -> list[Group]:
    tick = _Clock()
    if workers is None:
        # from PREPARE_PARALLEL_MIN records the workers are forked at once (they compute
        # the rarity and the filter codes while this process builds the blocks), below
        # only when there are PARALLEL_MIN pairs to compare
        early = _default_workers() if len(records) >= PREPARE_PARALLEL_MIN else 1
    else:
        early = workers
    if early > 1:
        with _forked_pool(records, tree, early) as pool:
            links = _compare_forked(pool, records, tree, early, tick)
            tick("compare (this process)")
            rooted = _join_parallel(pool, records, tree, links, tick)
    else:
        rare_list = [False] * len(records)
        for i, value in _rarity(records).items():
            rare_list[i] = value
        rare: Sequence[bool] = rare_list
        features = _PairFeatures.of(records, tree)
        tick("rarity and filter codes")
        lo, hi, certain = _pairs_of_blocks(
            _block_arrays(records), max(len(records), 1), features.mask
        )
        del features
        tick("blocks, pairs and filters")
        if workers is None and len(lo) >= PARALLEL_MIN and _default_workers() > 1:
            late = _default_workers()
            with _forked_pool(records, tree, late) as pool:
                links = _compare_parallel(pool, records, tree, rare, lo, hi, certain, late)
        else:
            links = _compare_pairs(records, tree, rare, lo, hi, certain)
        del lo, hi, certain
        tick("compare (this process)")
        rooted = _join(records, tree, links.neg, links.lo, links.hi, links.why, links.table)
        tick("join and groups")
    groups = [g for _rt, g in rooted]
    groups.sort(key=lambda g: (-g.score, str(g.ids[0])))
    tick("groups (sorting)")
    return groups


def _components(n: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The smallest record index of the connected component of each record (numpy: the
    labels go down each link and through pointer jumping until they stop changing)."""
    lab = np.arange(n, dtype=np.int64)
    if not len(lo):
        return lab
    while True:
        m = np.minimum(lab[lo], lab[hi])
        new = lab.copy()
        np.minimum.at(new, lo, m)
        np.minimum.at(new, hi, m)
        new = new[new]
        if np.array_equal(new, lab):
            return lab
        lab = new


def _join_parallel(
    pool: Any, records: Sequence[Record], tree: UnitTree, links: _Links, tick: _Clock
) -> list[tuple[int, Group]]:
    """The join split by connected components of the links (no link, so no conflict
    test, crosses two of them): the forked worker joins those of odd smallest index,
    this process the others, each in the same order as one process would; the groups are
    merged back in the order of their roots."""
    neg = np.asarray(links.neg, dtype=np.float64)
    lo = np.asarray(links.lo, dtype=np.int64)
    hi = np.asarray(links.hi, dtype=np.int64)
    why = np.asarray(links.why, dtype=np.int64)
    theirs = (_components(len(records), lo, hi)[lo] & 1).astype(bool)
    tick("join: components")
    mine = ~theirs
    task = pool.apply_async(
        _join_part, ((neg[theirs], lo[theirs], hi[theirs], why[theirs], links.table),)
    )
    out = _join(records, tree, neg[mine].tolist(), lo[mine].tolist(), hi[mine].tolist(),
                why[mine].tolist(), links.table)  # fmt: skip
    tick("join and groups (this process)")
    part, cpu = task.get()
    _PHASES["join and groups (forked worker)"] = cpu
    out.extend((rt, Group(ids, score, reasons)) for rt, ids, score, reasons in part)
    out.sort(key=lambda x: x[0])
    tick("join: waiting, merging")
    return out


def _join_part(
    args: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[str, ...]]],
) -> tuple[list[tuple[int, list[Any], float, list[str]]], float]:
    assert _FORKED is not None
    records, tree = _FORKED
    gc.disable()
    c0 = time.process_time()
    neg, lo, hi, why, table = args
    rooted = _join(records, tree, neg.tolist(), lo.tolist(), hi.tolist(), why.tolist(), table)
    out = [(rt, g.ids, g.score, g.reasons) for rt, g in rooted]
    return out, time.process_time() - c0


def _join(
    records: Sequence[Record],
    tree: UnitTree,
    neg: Sequence[float],
    all_lo: Sequence[int],
    all_hi: Sequence[int],
    why: Sequence[int],
    table: Sequence[tuple[str, ...]],
) -> list[tuple[int, Group]]:
    """The groups of the links (root, group), in the order of their roots."""
    # the most certain links first, so that a chain of weaker links cannot join two
    # households that a stronger link has already told apart
    order = np.lexsort(
        (np.asarray(all_hi), np.asarray(all_lo), np.asarray(neg, dtype=np.float64))
    ).tolist()
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # the signatures of the linked records only (a forked process has built only those)
    needed = sorted(set(all_lo).union(all_hi))
    sigs = dict(zip(needed, _conflict_sigs([records[i] for i in needed], tree), strict=True))
    cluster: dict[int, list[int]] = {}
    kept: list[int] = []  # the links joined or inside a cluster (positions in ``links``)
    for k in order:
        i, j = all_lo[k], all_hi[k]
        ri = i if parent[i] == i else root(i)
        rj = j if parent[j] == j else root(j)
        if ri != rj:
            xs = cluster.get(ri) or [ri]
            ys = cluster.get(rj) or [rj]
            conflict = False
            for x in xs:  # any(_sig_conflict(...) for x in xs for y in ys), unrolled
                sx = sigs[x]
                for y in ys:
                    if _sig_conflict(sx, sigs[y], tree):
                        conflict = True
                        break
                if conflict:
                    break
            if conflict:
                continue
            keep_root, gone = min(ri, rj), max(ri, rj)
            parent[gone] = keep_root
            cluster.pop(gone, None)
            cluster[keep_root] = xs + ys
        kept.append(k)
    del sigs
    # the clusters of two or more records are the groups; a cluster's root is its
    # smallest record index, so sorted roots give the groups in the order of the records
    where: dict[int, int] = {}
    for rt, members in cluster.items():
        for m in members:
            where[m] = rt
    by_root: dict[int, list[int]] = defaultdict(list)
    for k in kept:
        by_root[where[all_lo[k]]].append(k)
    groups: list[tuple[int, Group]] = []
    for rt in sorted(cluster):
        idx = sorted(cluster[rt])
        mine = by_root[rt]
        reasons: list[str] = []
        for w in dict.fromkeys([why[k] for k in mine]):
            for code in table[w]:
                text = REASONS[code]
                if text not in reasons:
                    reasons.append(text)
        codes = {records[i].unit for i in idx if records[i].unit}
        if len(codes) > 1 and any(tree.successors.get(c) for c in codes):
            reasons.append(REASONS["succession"])
        group = Group(
            ids=[records[i].id for i in idx], score=-max([neg[k] for k in mine]), reasons=reasons
        )
        groups.append((rt, group))
    return groups


# --- two processes from the start: records split by place ---------------------------------


class _Store:
    """The records of one call, built on demand from the raw lines (``_prepare_warm``): a
    forked process builds only those it needs (its places' records, the pairs it compares,
    the links it joins), so no record is ever pickled from one process to another."""

    def __init__(self, raws: Sequence[Mapping[str, Any]], tree: UnitTree) -> None:
        self.raws = raws
        self.tree = tree
        self.warm = _Warm()
        self.recs: list[Record | None] = [None] * len(raws)

    def fill(self, indexes: Iterable[int]) -> list[Record]:
        """The records at ``indexes`` built; returns ``recs`` (as records: the caller reads
        only the built ones)."""
        recs, raws, tree, warm = self.recs, self.raws, self.tree, self.warm
        for i in indexes:
            if recs[i] is None:
                recs[i] = _prepare_warm(raws[i], tree, i, warm)
        return recs  # type: ignore[return-value]


def _owners(raws: Sequence[Mapping[str, Any]], tree: UnitTree) -> np.ndarray:
    """Which process builds and compares each record: 0 (this one) or 1 (the forked one)
    by the place its ``unit`` stands for, the places dealt out to even the counts; -1 (this
    one, the other building it on demand) when the unit does not give one single place
    (missing, read from the address, several successors, a district). Two records of two
    different single places are never compared (``place_ok``), so nearly every pair has
    both records on one side. Only a question of speed: any process can build any record."""
    coarse = tree.coarse()
    place_of: dict[Any, str | None] = {}
    keys: list[str | None] = []
    for raw in raws:
        unit = raw.get("unit")
        if unit in (None, "") or isinstance(unit, bool):
            keys.append(None)
            continue
        p = place_of.get(unit, "")
        if p == "":
            cur = tree.current(str(unit))
            p = None
            if len(cur) == 1:
                (only,) = cur
                p = None if only in coarse else only
            place_of[unit] = p
        keys.append(p)
    counts: dict[str, int] = defaultdict(int)
    for p in keys:
        if p is not None:
            counts[p] += 1
    # this process builds the records without a side first; the forked one builds those
    # it needs later, when it compares (half of them counted here: measured at 300k)
    load = [sum(1 for p in keys if p is None) // 2, 0]
    side: dict[str, int] = {}
    for p, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        s = 0 if load[0] <= load[1] else 1
        side[p] = s
        load[s] += c
    return np.asarray([-1 if p is None else side[p] for p in keys], dtype=np.int8)


# the per-record columns of ``_part_columns``: hashes of the values (-1: none; CPython's
# hash is never -1, and a forked process hashes as this one does). A collision can only
# add a candidate pair (the filters keep pairs, ``compare`` decides) or, for two block
# keys, merge two blocks (one chance in about 2**64 / (distinct keys)**2).
_COLUMNS = ("place", "area", "house", "head0", "head1", "head2", "sex", "year", "id_kind",
            "id", "phone", "no_members", "rare_ok")  # fmt: skip


def _part_columns(
    store: _Store, indexes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the records at ``indexes`` (built here): the block keys (key, record), the
    filter columns (``_COLUMNS``, one row each) and the rarity rows (record, (place, name),
    list) — arrays only, to be merged by the process that finds the pairs."""
    recs = store.fill(indexes.tolist())
    coarse = store.tree.coarse()
    name_cache: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    place_cache: dict[frozenset[str], tuple[tuple[int, str], ...]] = {}
    flat_keys: list[int] = []
    flat_recs: list[int] = []
    cols: list[tuple[int, ...]] = []
    r_rec: list[int] = []
    r_key: list[int] = []
    r_list: list[int] = []
    sexes = {"M": 1, "F": 2}
    for pos in indexes.tolist():
        r = recs[pos]
        assert r is not None
        keys: set[int] = set()
        add = keys.add
        if r.id_kind:
            add(hash((0, r.id_digits)))
        if r.phone:
            add(hash((1, r.phone)))
        places = place_cache.get(r.places)
        if places is None:
            places = place_cache[r.places] = tuple((2, p) for p in r.places)
        for person in (r.head, *r.members):
            folded = person.name[1]
            cached = name_cache.get(folded)
            if cached is None:
                place_keys, year_keys = _name_keys(folded)
                cached = name_cache[folded] = (
                    tuple([hash(k) for k in place_keys]),
                    tuple([hash(k) for k in year_keys]),
                )
            place_codes, year_codes = cached
            for base in places:
                for c in place_codes:
                    add(hash((base, c)))
            if person.birth_year:
                y = person.birth_year
                for c in year_codes:
                    add(hash((3, y, c)))
            elif not places and place_codes:
                add(hash((4, place_codes[0])))
        flat_keys.extend(keys)
        flat_recs.extend([pos] * len(keys))
        # filter columns
        rp = r.places
        if len(rp) == 1:
            (p,) = rp
            place = -1 if p in coarse else hash(p)
        else:
            place = -1
        hk = sorted(r.head_keys)
        hk += [-1] * (3 - len(hk))
        head = r.head
        kind = r.id_kind
        name = head.name[1]
        cols.append(
            (place, hash(r.area) if r.area else -1, hash(r.house) if r.house else -1,
             hk[0], hk[1], hk[2], sexes.get(head.sex, 0), head.birth_year or 0,
             (1 if kind == "cmnd" else 2) if kind else 0,
             hash(r.id_digits) if kind else -1, hash(r.phone) if r.phone else -1,
             0 if r.members else 1, 1 if name and rp else 0)
        )  # fmt: skip
        lst = hash((r.org, r.year))
        for p in rp or ("",):
            r_rec.append(pos)
            r_key.append(hash((p, name)))
            r_list.append(lst)
    return (
        np.asarray(flat_keys, dtype=np.int64),
        np.asarray(flat_recs, dtype=np.int64),
        np.asarray(cols, dtype=np.int64).reshape(-1, len(_COLUMNS)),
        np.asarray(r_rec, dtype=np.int64),
        np.asarray(r_key, dtype=np.int64),
        np.asarray(r_list, dtype=np.int64),
    )


def _dense(values: np.ndarray) -> np.ndarray:
    """Small int32 codes of hashes, -1 kept for none (only equality is ever tested)."""
    _, inv = np.unique(values, return_inverse=True)
    out = inv.reshape(values.shape).astype(np.int32)
    out[values == -1] = -1
    return out


def _merged_features(n: int, index: np.ndarray, cols: np.ndarray) -> _PairFeatures:
    full = np.zeros((n, len(_COLUMNS)), dtype=np.int64)
    full[index] = cols
    c = {name: full[:, k] for k, name in enumerate(_COLUMNS)}
    head = _dense(np.stack([c["head0"], c["head1"], c["head2"]]))
    return _PairFeatures(
        place=_dense(c["place"]),
        area=_dense(c["area"]),
        house=_dense(c["house"]),
        head=np.ascontiguousarray(head),
        sex=c["sex"].astype(np.int8),
        year=c["year"].astype(np.int32),
        id_kind=c["id_kind"].astype(np.int8),
        id_code=_dense(c["id"]),
        phone=_dense(c["phone"]),
        no_members=c["no_members"].astype(bool),
    )


def _merged_rarity(
    n: int, index: np.ndarray, cols: np.ndarray, rec: np.ndarray, key: np.ndarray,
    lst: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """``_rarity`` from the hashed rows: the same counts, as an array over the records."""
    ok = np.zeros(n, dtype=bool)
    ok[index] = cols[:, _COLUMNS.index("rare_ok")].astype(bool)
    if not len(rec):
        return ok
    key_ids, key_inv = np.unique(key, return_inverse=True)
    key_inv = key_inv.reshape(-1)
    total = np.bincount(key_inv, minlength=len(key_ids))
    list_ids, list_inv = np.unique(lst, return_inverse=True)
    n_lists = max(len(list_ids), 1)
    per_list = key_inv.astype(np.int64) * n_lists + list_inv.reshape(-1)
    pl_ids, pl_counts = np.unique(per_list, return_counts=True)
    pl_key = pl_ids // n_lists
    starts = np.flatnonzero(np.r_[True, pl_key[1:] != pl_key[:-1]])
    most = np.maximum.reduceat(pl_counts, starts)
    common_row = (most[key_inv] > 1) | (total[key_inv] > 6)
    common = np.bincount(rec, weights=common_row, minlength=n) > 0
    return ok & ~common


def _blocks_from_keys(keys: np.ndarray, recs: np.ndarray) -> Iterator[np.ndarray]:
    """The blocks (2 to ``MAX_BLOCK`` records) of the (key, record) rows, one 2-D array
    per block size (as ``_block_arrays``)."""
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    recs = recs[order]
    del order
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    del keys
    for size in np.unique(sizes).tolist():
        if 2 <= size <= MAX_BLOCK:
            first = starts[sizes == size]
            yield recs[first[:, None] + np.arange(size)]


# what the forked process of ``_split_groups`` reads: set before the fork, never pickled
_STORE: _Store | None = None


def _store_part(indexes: np.ndarray) -> tuple[tuple[np.ndarray, ...], float]:
    global _IN_WORKER
    _IN_WORKER = True
    assert _STORE is not None
    gc.disable()
    c0 = time.process_time()
    out = _part_columns(_STORE, indexes)
    return out, time.process_time() - c0


def _store_pairs(args: tuple[list[np.ndarray], int, _PairFeatures]) -> tuple[np.ndarray, float]:
    c0 = time.process_time()
    blocks, n, features = args
    codes = _pair_codes(blocks, max(n, 1), features.mask)
    return codes, time.process_time() - c0


def _store_compare(
    args: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[str, ...]], float]:
    assert _STORE is not None
    lo, hi, certain, rare = args
    c0 = time.process_time()
    recs = _STORE.fill(np.unique(np.concatenate([lo, hi])).tolist())
    build = time.process_time() - c0
    links = _compare_pairs(recs, _STORE.tree, rare.tolist(), lo, hi, certain)
    return (
        np.asarray(links.neg, dtype=np.float64),
        np.asarray(links.lo, dtype=np.int64),
        np.asarray(links.hi, dtype=np.int64),
        np.asarray(links.why, dtype=np.int32),
        links.table,
        links.cpu + build,
    )


def _store_join(
    args: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[str, ...]]],
) -> tuple[list[tuple[int, list[Any], float, list[str]]], float]:
    assert _STORE is not None
    c0 = time.process_time()
    neg, lo, hi, why, table = args
    recs = _STORE.fill(np.unique(np.concatenate([lo, hi])).tolist())
    rooted = _join(recs, _STORE.tree, neg.tolist(), lo.tolist(), hi.tolist(), why.tolist(),
                   table)  # fmt: skip
    out = [(rt, g.ids, g.score, g.reasons) for rt, g in rooted]
    return out, time.process_time() - c0


def _split_groups(raws: Sequence[Mapping[str, Any]], tree: UnitTree) -> list[Group]:
    """``find_groups`` on two processes from the first step (see *Two cores*)."""
    global _STORE
    tick = _Clock()
    n = len(raws)
    store = _Store(raws, tree)
    owner = _owners(raws, tree)
    tick("owners")
    _STORE = store
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            theirs_idx = np.flatnonzero(owner == 1)
            task = pool.apply_async(_store_part, (theirs_idx,))
            mine_idx = np.flatnonzero(owner != 1)
            mine = _part_columns(store, mine_idx)
            tick("records, block keys, filter columns (this process's records)")
            theirs, cpu = task.get()
            _PHASES["records, block keys, filter columns (forked worker's records)"] = cpu
            tick("waiting, receiving")
            index = np.concatenate([mine_idx, theirs_idx])
            cols = np.concatenate([mine[2], theirs[2]])
            features = _merged_features(n, index, cols)
            rare_arr = _merged_rarity(
                n, index, cols, np.concatenate([mine[3], theirs[3]]),
                np.concatenate([mine[4], theirs[4]]), np.concatenate([mine[5], theirs[5]]),
            )  # fmt: skip
            del cols
            tick("rarity and filter codes (merged)")
            blocks = list(
                _blocks_from_keys(
                    np.concatenate([mine[0], theirs[0]]), np.concatenate([mine[1], theirs[1]])
                )
            )
            del mine, theirs
            tick("blocks")
            # the pairs of half the rows of each block size found by the forked process
            # (with the filter columns sent to it), the other half here; the two sorted
            # code arrays merged once
            halves = [len(arr) // 2 for arr in blocks]
            task_p = pool.apply_async(
                _store_pairs,
                (([arr[h:] for arr, h in zip(blocks, halves, strict=True)], n, features),),
            )
            codes_mine = _pair_codes(
                [arr[:h] for arr, h in zip(blocks, halves, strict=True)], max(n, 1),
                features.mask,
            )  # fmt: skip
            del features, blocks
            tick("pairs and filters (this process's half)")
            codes_theirs, cpu = task_p.get()
            _PHASES["pairs and filters (forked worker's half)"] = cpu
            lo, hi, certain = _decoded_pairs(
                _sorted_once(np.concatenate([codes_mine, codes_theirs])), max(n, 1)
            )
            del codes_mine, codes_theirs
            tick("pairs: waiting, merging")
            # a pair goes to the side of its records (the first one's when it has a side)
            own_lo = owner[lo]
            to_them = (own_lo == 1) | ((own_lo == -1) & (owner[hi] == 1))
            task2 = pool.apply_async(
                _store_compare, ((lo[to_them], hi[to_them], certain[to_them], rare_arr),)
            )
            keep = ~to_them
            lo, hi, certain = lo[keep], hi[keep], certain[keep]
            recs = store.fill(np.unique(np.concatenate([lo, hi])).tolist())
            rare = rare_arr.tolist()
            tick("records of the pairs (this process)")
            links = _compare_pairs(recs, tree, rare, lo, hi, certain)
            del lo, hi, certain
            tick("compare (this process)")
            neg, c_lo, c_hi, c_why, table, cpu = task2.get()
            _PHASES["compare (forked worker)"] = cpu
            codes = {reasons: k for k, reasons in enumerate(links.table)}
            remap = [codes.setdefault(reasons, len(codes)) for reasons in table]
            links.neg.extend(neg.tolist())
            links.lo.extend(c_lo.tolist())
            links.hi.extend(c_hi.tolist())
            links.why.extend([remap[w] for w in c_why.tolist()])
            links.table = list(codes)
            tick("compare: waiting, merging")
            rooted = _split_join(pool, store, tree, links, owner, tick)
    finally:
        _STORE = None
    groups = [g for _rt, g in rooted]
    groups.sort(key=lambda g: (-g.score, str(g.ids[0])))
    tick("groups (sorting)")
    return groups


def _split_join(
    pool: Any, store: _Store, tree: UnitTree, links: _Links, owner: np.ndarray, tick: _Clock
) -> list[tuple[int, Group]]:
    """As ``_join_parallel``: the components whose smallest record belongs to the forked
    process are joined there, the others here (each builds the records it lacks)."""
    neg = np.asarray(links.neg, dtype=np.float64)
    lo = np.asarray(links.lo, dtype=np.int64)
    hi = np.asarray(links.hi, dtype=np.int64)
    why = np.asarray(links.why, dtype=np.int64)
    theirs = owner[_components(len(store.raws), lo, hi)[lo]] == 1
    tick("join: components")
    mine = ~theirs
    task = pool.apply_async(
        _store_join, ((neg[theirs], lo[theirs], hi[theirs], why[theirs], links.table),)
    )
    recs = store.fill(np.unique(np.concatenate([lo[mine], hi[mine]])).tolist())
    out = _join(recs, tree, neg[mine].tolist(), lo[mine].tolist(), hi[mine].tolist(),
                why[mine].tolist(), links.table)  # fmt: skip
    tick("join and groups (this process)")
    part, cpu = task.get()
    _PHASES["join and groups (forked worker)"] = cpu
    out.extend((rt, Group(ids, score, reasons)) for rt, ids, score, reasons in part)
    out.sort(key=lambda x: x[0])
    tick("join: waiting, merging")
    return out
