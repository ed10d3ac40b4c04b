"""Vietnamese text helpers: normalisation, accent folding, collation.

Pure functions, no Django. Other modules build on these:

- ``nfc(text)``: Unicode NFC with whitespace collapsed.
- ``fold(text)``: the form used for search: lower case, no diacritics, "đ" → "d".
- ``collation_key(text)``: an ASCII string whose byte order is Vietnamese dictionary
  order (a < ă < â < b … d < đ …; tones compared after the letters, in the order
  ngang, huyền, hỏi, ngã, sắc, nặng). It only uses ``[0-9a-z]`` so that every database
  collation orders it the same way.
- ``name_collation_key(full_name)``: people's names sorted the Vietnamese way: by the
  given name (the last word) first, then the family and middle names.
- ``unify_tones(text)``: one tone placement ("hoà" → "hòa", "thuỷ" → "thủy", "qúy" → "quý").
- ``tokens(text)`` / ``analyze(text)`` / ``shingles(tokens)``: comparison tokens for the
  overlap engine (abbreviations expanded, boilerplate dropped, accent-folded), see below.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

_SPACE_RE = re.compile(r"\s+")

# Combining marks of the five tones; every other combining mark (breve, circumflex,
# horn) belongs to the letter itself.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONE_ORDER = {_GRAVE: 1, _HOOK: 2, _TILDE: 3, _ACUTE: 4, _DOT: 5}
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}

# Dictionary order of the Vietnamese alphabet, with the Latin letters of borrowed
# words (f, j, w, z) in their Latin places, after the digits.
_ALPHABET = [
    *"0123456789",
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
    "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_CODE = {ch: _B36[(i + 1) // 36] + _B36[(i + 1) % 36] for i, ch in enumerate(_ALPHABET)}
_WORD_SEP = "00"


def nfc(text: str) -> str:
    """NFC-normalise and collapse runs of white space into one space."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def strip_tones_and_marks(text: str) -> str:
    """Remove every diacritic; "đ"/"Đ" become "d"/"D" (accent stripping keeps them)."""
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """The search form of a text: lower case, no diacritics, single spaces."""
    return _SPACE_RE.sub(" ", strip_tones_and_marks(text).lower()).strip()


def _split_letter(ch: str) -> tuple[str, int]:
    """One lower-case character → (base letter with its own marks, tone 0–5)."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONE_ORDER:
            tone = _TONE_ORDER[part]
        elif not unicodedata.combining(part) or part in _LETTER_MARKS:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def collation_key(text: str) -> str:
    """ASCII key in Vietnamese dictionary order (letters first, then tones).

    A syllable carries one tone wherever it is written ("hoà" and "hòa" are the same
    word), so tones are compared per word, not per letter.
    """
    letters: list[str] = []
    tones: list[str] = []
    for word in fold_words(text):
        if letters:
            letters.append(_WORD_SEP)
        word_tone = 0
        for ch in word:
            base, tone = _split_letter(ch)
            word_tone = word_tone or tone
            code = _CODE.get(base)
            if code is None:
                # Letters outside the alphabet (rare foreign letters): use their
                # accent-free form, or skip them when nothing is left.
                code = "".join(_CODE.get(c, "") for c in fold(base))
                if not code:
                    continue
            letters.append(code)
        tones.append(str(word_tone))
    return "".join(letters) + _WORD_SEP + _WORD_SEP + "".join(tones)


def fold_words(text: str) -> list[str]:
    """Lower-case NFC words of a text, punctuation dropped, diacritics kept."""
    cleaned = re.sub(r"[^\w\s]", " ", nfc(text).lower())
    return [w for w in cleaned.replace("_", " ").split() if w]


def name_collation_key(full_name: str) -> str:
    """Sort key for a person's full name: given name first, then the rest."""
    words = fold_words(full_name)
    if len(words) < 2:
        return collation_key(full_name)
    return collation_key(words[-1]) + _WORD_SEP + collation_key(" ".join(words[:-1]))


# ---------------------------------------------------------------------------
# Tone placement, abbreviations, boilerplate and tokens (used by khoi.lib.overlap)
# ---------------------------------------------------------------------------
#
# Texts about the same activity are typed by different people: some write the old
# tone placement ("hoà", "thuỷ"), some the new one ("hòa", "thủy"), some drop every
# diacritic, some write "MTTQ" where others write "Mặt trận Tổ quốc". The helpers
# below turn a text into comparison tokens that ignore all of that:
#
# - ``unify_tones(text)``: one canonical tone placement, the traditional one used by
#   official names ("Hòa Bình", "Thủy", "khỏe"): "hoà"→"hòa", "thuỷ"→"thủy", "qúy"→"quý".
# - ``ABBREVIATIONS``: the abbreviation table (data), matched case-insensitively and
#   also without diacritics ("HDND" = "HĐND").
# - ``BOILERPLATE_PHRASES`` / ``STOPWORDS``: administrative boilerplate and function
#   words that say nothing about the topic.
# - ``tokens(text)``: accent-folded content tokens; ``analyze(text)`` gives the same
#   tokens with a readable (accented) form; ``shingles(tokens)`` adds unordered
#   bigrams, so word order matters little but "an toàn giao thông" still weighs more
#   than its words apart.

_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")
_TONE_MARKS = frozenset(_TONE_ORDER)
_TONE_BY_ORDER = {v: k for k, v in _TONE_ORDER.items()}
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def _unify_word(word: str) -> str:
    """Canonical tone placement for one syllable; other words are returned as is."""
    letters: list[str] = []
    uppers: list[bool] = []
    tone = 0
    for ch in word:
        low = ch.lower()
        base, t = _split_letter(low)
        if len(base) != 1:
            return word
        if t:
            if tone and t != tone:
                return word  # two different tones: not a syllable, leave it
            tone = t
        letters.append(base)
        uppers.append(ch != low)
    if not tone:
        return word
    # The vowel cluster: the first run of vowels.
    start = next((i for i, c in enumerate(letters) if c in _VOWELS), None)
    if start is None:
        return word
    end = start
    while end < len(letters) and letters[end] in _VOWELS:
        end += 1
    if any(c in _VOWELS for c in letters[end:]):
        return word  # two vowel runs: not a single syllable
    # "qu" and "gi" (before another vowel) belong to the initial consonant.
    if (start > 0 and letters[start - 1] == "q" and letters[start] == "u" and end - start > 1) or (
        start > 0 and letters[start - 1] == "g" and letters[start] == "i" and end - start > 1
    ):
        start += 1
    cluster = letters[start:end]
    has_final = end < len(letters)
    marked = [i for i, c in enumerate(cluster) if c in _MARKED_VOWELS]
    if marked:
        pos = marked[-1]  # "ươ" → ơ; every other cluster has at most one marked vowel
    elif len(cluster) == 1:
        pos = 0
    elif len(cluster) == 3 or has_final:
        pos = 1
    else:
        pos = 0
    target = start + pos
    out = []
    for i, (base, upper) in enumerate(zip(letters, uppers, strict=True)):
        ch = unicodedata.normalize("NFC", base + _TONE_BY_ORDER[tone]) if i == target else base
        out.append(ch.upper() if upper else ch)
    return "".join(out)


def unify_tones(text: str) -> str:
    """Put every tone mark in the traditional place: "hoà"→"hòa", "thuỷ"→"thủy".

    Rule: a marked vowel (ă â ê ô ơ ư; the ơ of "ươ") takes the tone; otherwise one
    vowel takes it; of three vowels the middle one; of two, the second when a final
    consonant follows ("hoàng", "toán") and the first when none does ("hòa", "mía").

    "qu" and "gi" are consonants ("quý", "giữ"); "qúy" becomes "quý". Words that are not a
    Vietnamese syllable are left unchanged. The result is NFC.
    """
    text = unicodedata.normalize("NFC", text)
    return _WORD_RE.sub(lambda m: _unify_word(m.group(0)), text)


# Abbreviations in administrative texts of the Front and its member organizations.
# Keys are written as usual; they are matched as whole words, case-insensitively and
# without diacritics ("HDND", "hđnd" and "HĐND" are the same). "CB,CC" is read as the
# two words "CB" and "CC".
ABBREVIATIONS: dict[str, str] = {
    "MTTQ": "Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "GPMB": "giải phóng mặt bằng",
    "CB": "cán bộ",
    "CC": "công chức",
    "VC": "viên chức",
    "CBCC": "cán bộ công chức",
    "CBCCVC": "cán bộ công chức viên chức",
    "LHPN": "Liên hiệp Phụ nữ",
    "ĐTN": "Đoàn Thanh niên",
    "ĐTNCS": "Đoàn Thanh niên Cộng sản",
    "CCB": "cựu chiến binh",
    "NTM": "nông thôn mới",
    "ATGT": "an toàn giao thông",
    "TTATGT": "trật tự an toàn giao thông",
    "KDC": "khu dân cư",
    "VSMT": "vệ sinh môi trường",
    "BCĐ": "ban chỉ đạo",
    "ND": "nông dân",
    "PN": "phụ nữ",
    "TN": "thanh niên",
    "ĐVTN": "đoàn viên thanh niên",
    "HV": "hội viên",
    "ĐV": "đoàn viên",
    "NCT": "người cao tuổi",
    "LĐLĐ": "Liên đoàn Lao động",
    "CĐ": "công đoàn",
    "CĐCS": "công đoàn cơ sở",
    "ĐĐK": "đại đoàn kết",
    "TDĐKXDĐSVH": "toàn dân đoàn kết xây dựng đời sống văn hóa",
    "ĐSVH": "đời sống văn hóa",
    "GĐVH": "gia đình văn hóa",
    "CVĐ": "cuộc vận động",
    "ĐTM": "đô thị văn minh",
    "PCCC": "phòng cháy chữa cháy",
    "CNCH": "cứu nạn cứu hộ",
    "PCTT": "phòng chống thiên tai",
    "TKCN": "tìm kiếm cứu nạn",
    "SXH": "sốt xuất huyết",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "ANTT": "an ninh trật tự",
    "ANTQ": "an ninh Tổ quốc",
    "QP": "quốc phòng",
    "CCHC": "cải cách hành chính",
    "TTHC": "thủ tục hành chính",
    "CĐS": "chuyển đổi số",
    "ĐBQH": "đại biểu Quốc hội",
    "KT": "kinh tế",
    "XH": "xã hội",
    "VH": "văn hóa",
    "TDTT": "thể dục thể thao",
    "VSATTP": "vệ sinh an toàn thực phẩm",
    "ATTP": "an toàn thực phẩm",
    "XĐGN": "xóa đói giảm nghèo",
    "GNBV": "giảm nghèo bền vững",
    "DTTS": "dân tộc thiểu số",
    "HTX": "hợp tác xã",
    "CLB": "câu lạc bộ",
    "BLGĐ": "bạo lực gia đình",
    "BĐG": "bình đẳng giới",
    "TNXH": "tệ nạn xã hội",
    "MTXQ": "môi trường xung quanh",
    "KH": "kế hoạch",
    "QĐ": "quyết định",
    "NQ": "nghị quyết",
    "TW": "Trung ương",
    "BTV": "Ban Thường vụ",
    "BTT": "Ban Thường trực",
    "TP": "thành phố",
    "TX": "thị xã",
    "TDP": "tổ dân phố",
    "ĐVHC": "đơn vị hành chính",
    "HSSV": "học sinh sinh viên",
    "NVN": "người Việt Nam",
    "HVN": "hàng Việt Nam",
    "XKLĐ": "xuất khẩu lao động",
    "KHHGĐ": "kế hoạch hóa gia đình",
    "SKSS": "sức khỏe sinh sản",
    "CSSKSS": "chăm sóc sức khỏe sinh sản",
    "ATVSLĐ": "an toàn vệ sinh lao động",
    "ATLĐ": "an toàn lao động",
    "ATVSTP": "an toàn vệ sinh thực phẩm",
    "NHCSXH": "Ngân hàng Chính sách xã hội",
    "CĐDC": "chất độc da cam",
    "NKT": "người khuyết tật",
    "NVQS": "nghĩa vụ quân sự",
    "KHKT": "khoa học kỹ thuật",
    "CNVCLĐ": "công nhân viên chức lao động",
    "CNLĐ": "công nhân lao động",
    "PBGDPL": "phổ biến giáo dục pháp luật",
    "BĐKH": "biến đổi khí hậu",
    "PCTP": "phòng chống tội phạm",
    "GĐCS": "gia đình chính sách",
    "NCC": "người có công",
    "PCMT": "phòng chống ma túy",
    "TNTN": "thanh niên tình nguyện",
}

# Boilerplate phrases of administrative texts; removed (accent-folded, whole words).
BOILERPLATE_PHRASES: tuple[str, ...] = (
    "tổ chức",
    "triển khai",
    "thực hiện",
    "kế hoạch",
    "về việc",
    "v/v",
    "công tác",
    "hoạt động",
    "chương trình",
    "nội dung",
    "trên địa bàn",
    "địa bàn",
    "địa phương",
    "giai đoạn",
    "ngày",
    "đợt",
    "phối hợp",
    "nhằm",
    "đẩy mạnh",
    "tăng cường",
    "nâng cao",
    "hiệu quả",
    "chất lượng",
    "kết quả",
    "góp phần",
    "theo",
)

# Function words and single boilerplate words, with diacritics ("số", "năm", "quý"); their
# accent-free form is only dropped when it cannot be a content word ("tai" may be "tái",
# "nam" may be "Nam", "so" may be "sơ"/"sổ", "quy" may be "quy định": those are kept).
STOPWORDS: frozenset[str] = frozenset(
    [
        "các",
        "những",
        "của",
        "và",
        "với",
        "cho",
        "tại",
        "về",
        "trong",
        "ngoài",
        "để",
        "là",
        "có",
        "được",
        "này",
        "kia",
        "đó",
        "một",
        "hai",
        "ba",
        "như",
        "theo",
        "từ",
        "đến",
        "nhằm",
        "trên",
        "dưới",
        "đã",
        "sẽ",
        "đang",
        "khi",
        "thì",
        "mà",
        "nên",
        "cũng",
        "đều",
        "rất",
        "hơn",
        "vào",
        "bị",
        "do",
        "vì",
        "nếu",
        "hoặc",
        "hay",
        "cùng",
        "việc",
        "sự",
        "cuộc",
        "nhiều",
        "mọi",
        "tất",
        "cả",
        "ở",
        "số",
        "năm",
        "tháng",
        "quý",
        "lần",
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "vii",
        "viii",
        "ix",
        "x",
    ]
)
_AMBIGUOUS_PLAIN = frozenset(
    {"tai", "ve", "cho", "de", "la", "thi", "voi", "o", "tu", "den", "da", "do", "vi", "ra",
     "vao", "hai", "ba", "mot", "co", "bo", "su", "nen", "hay", "moi", "nguoi", "cuoc", "viec",
     "khi", "ma", "bi", "toan", "cung", "hon", "ngoai", "duoi", "so", "nam", "thang", "quy",
     "lan"}
)  # fmt: skip

# Numbers, dates and document references ("12/KH-MTTQ", "15/3/2017") go first; the words
# left ("kế hoạch số", "năm") are boilerplate.
_DOCREF_RE = re.compile(r"\d[\w./\-]*")


def _fold_word(word: str) -> str:
    """Accent-folded word with the "i"/"y" spelling variants joined (kỹ/kĩ, lý/lí)."""
    folded = fold(word)
    if (
        len(folded) >= 2
        and folded[-1] == "y"
        and folded[:-1].isalpha()
        and not any(c in "aeiouy" for c in folded[:-1])
        and not folded.startswith("qu")
    ):
        folded = folded[:-1] + "i"
    return folded


def _build_abbreviations() -> dict[str, tuple[tuple[str, str], ...]]:
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    for short, full in ABBREVIATIONS.items():
        words = fold_words(unify_tones(full))
        table[fold(short)] = tuple((_fold_word(w), w) for w in words)
    return table


_ABBR = _build_abbreviations()
# What ``analyze`` shows for an expanded abbreviation: "VSATTP (vệ sinh an toàn thực
# phẩm)" on its first word, nothing on the others (runs of shown words skip those).
_ABBR_SHOWN = {
    fold(short): tuple(
        (k, f"{short} ({unify_tones(full)})" if i == 0 else "")
        for i, (k, _) in enumerate(_ABBR[fold(short)])
    )
    for short, full in ABBREVIATIONS.items()
}
_STOP_PLAIN = frozenset(fold(w) for w in STOPWORDS) - _AMBIGUOUS_PLAIN
_WORD_CACHE: dict[str, tuple[tuple[str, str], ...]] = {}
_DISPLAY: dict[str, str] = {}
_WORD_CACHE_MAX = 500_000


def _analyze_word(word: str) -> tuple[tuple[str, str], ...]:
    """One lower-case word → its (folded key, readable form) tokens (cached)."""
    hit = _WORD_CACHE.get(word)
    if hit is not None:
        return hit
    key = fold(word)
    if key in _ABBR and not (word != key and word in STOPWORDS):
        out = _ABBR_SHOWN[key]
    else:
        pretty = unify_tones(word)
        if (
            (len(key) < 2 and not key.isdigit())
            or pretty in STOPWORDS
            or (word.isascii() and key in _STOP_PLAIN)
        ):
            out = ()
        else:
            out = ((_fold_word(pretty), pretty),)
    for k, pretty_form in out:
        if not pretty_form or "(" in pretty_form:
            continue
        shown = _DISPLAY.get(k)
        if shown is None or (shown.isascii() and not pretty_form.isascii()):
            _DISPLAY[k] = pretty_form
    if len(_WORD_CACHE) < _WORD_CACHE_MAX:
        _WORD_CACHE[word] = out
    return out


def readable(key: str) -> str:
    """The readable (accented when ever seen so) form of a token key from ``tokens``."""
    return _DISPLAY.get(key, key)


class _PhraseMatcher:
    """Removes whole-word phrases (given as accent-folded token tuples)."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(_fold_word(w) for w in fold(phrase).replace("/", " ").split())
            if words:
                self.first.setdefault(words[0], []).append(words)
        for lst in self.first.values():
            lst.sort(key=len, reverse=True)

    def strip(self, toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
        first = self.first
        out: list[tuple[str, str]] = []
        i, n = 0, len(toks)
        keys = tuple([t[0] for t in toks])
        while i < n:
            cands = first.get(keys[i])
            if cands is not None:
                for words in cands:
                    k = len(words)
                    if i + k <= n and keys[i : i + k] == words:
                        i += k
                        break
                else:
                    out.append(toks[i])
                    i += 1
            else:
                out.append(toks[i])
                i += 1
        return out


def _trie_regex(phrases: Iterable[str]) -> str:
    """One regular expression matching any of the phrases, as a character trie (fast)."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if set(node) == {""}:
            return ""
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


_MATCHERS: dict[tuple[str, ...], tuple[_PhraseMatcher, re.Pattern[str]]] = {}


def _matcher(extra: tuple[str, ...]) -> tuple[_PhraseMatcher, re.Pattern[str]]:
    m = _MATCHERS.get(extra)
    if m is None:
        matcher = _PhraseMatcher((*BOILERPLATE_PHRASES, *extra))
        phrases = {" ".join(words) for lst in matcher.first.values() for words in lst}
        pattern = re.compile(" (?:" + _trie_regex(phrases) + ")(?= )")
        m = _MATCHERS[extra] = (matcher, pattern)
    return m


def analyze(text: str, extra_stop_phrases: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Content tokens of a text as (accent-folded key, readable form) pairs, in order.

    Steps: NFC; lower case; document references ("Kế hoạch số 12/KH-MTTQ"), dates and
    "năm 2017" removed; words split on punctuation; abbreviations expanded; numbers,
    one-letter words and function words dropped; boilerplate phrases (and
    ``extra_stop_phrases``) removed.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    toks: list[tuple[str, str]] = []
    get = _CHUNK_CACHE.get
    for chunk in text.lower().split():
        found = get(chunk)
        if found is None:
            found = tuple(
                tok
                for word in _WORD_RE.findall(_DOCREF_RE.sub(" ", chunk))
                for tok in _analyze_word(word)
            )
            if len(_CHUNK_CACHE) < _WORD_CACHE_MAX:
                _CHUNK_CACHE[chunk] = found
        toks.extend(found)
    return _matcher(extra_stop_phrases)[0].strip(toks)


_CHUNK_CACHE: dict[str, tuple[tuple[str, str], ...]] = {}


_KEY_CACHE: dict[str, str] = {}


def tokens(text: str, extra_stop_phrases: tuple[str, ...] = ()) -> list[str]:
    """Accent-folded content tokens of a text: the keys of ``analyze`` (faster path)."""
    joined = joined_keys(text)
    if joined == " ":
        return []
    return _matcher(extra_stop_phrases)[1].sub(" ", joined).split()


def shingles(toks: Sequence[str]) -> list[str]:
    """Unigrams, then unordered adjacent bigrams ("an toàn" = "toàn an"), deduplicated."""
    return list(
        dict.fromkeys(
            [*toks, *[a + " " + b if a <= b else b + " " + a for a, b in itertools.pairwise(toks)]]
        )
    )


# ---------------------------------------------------------------------------
# Phrase maps: near-synonyms and acronyms turned into one comparison key
# ---------------------------------------------------------------------------


class PhraseMap:
    """Replaces whole-word phrases of accent-folded tokens by other keys.

    ``mapping`` is ``{phrase: replacement}``: phrases are written as usual (folded here),
    the replacement is a string of keys separated by spaces ("" removes the phrase).
    Longest match first. ``keys(joined)`` works on the padded string of keys that
    ``tokens`` builds (" a b c "); ``pairs(toks)`` on ``analyze``'s (key, readable) pairs,
    where a phrase replaced by one key keeps the readable words of the text it covered.
    """

    def __init__(self, mapping: dict[str, str]) -> None:
        self.repl: dict[str, str] = {}
        for phrase, key in mapping.items():
            # As texts are read (stopwords dropped), and as an expanded abbreviation
            # reads (every word kept: "BHYT" → "bảo hiểm y tế").
            plain = " ".join(_fold_word(w) for w in fold_words(phrase))
            for words in (joined_keys(phrase).strip(), plain if " " in plain else ""):
                if words and words not in self.repl:
                    self.repl[words] = key
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for words in self.repl:
            parts = tuple(words.split(" "))
            self.first.setdefault(parts[0], []).append(parts)
        for lst in self.first.values():
            lst.sort(key=len, reverse=True)
        self.pattern = re.compile(" (" + _trie_regex(self.repl) + ")(?= )") if self.repl else None

    def __bool__(self) -> bool:
        return bool(self.repl)

    def keys(self, joined: str) -> str:
        """The padded key string with the phrases replaced (still padded)."""
        if self.pattern is None:
            return joined
        repl = self.repl

        def sub(m: re.Match[str]) -> str:
            r = repl[m.group(1)]
            return " " + r if r else ""

        return self.pattern.sub(sub, joined)

    def pairs(self, toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
        first = self.first
        out: list[tuple[str, str]] = []
        i, n = 0, len(toks)
        keys = tuple(t[0] for t in toks)
        while i < n:
            for words in first.get(keys[i], ()):
                k = len(words)
                if keys[i : i + k] == words:
                    repl = self.repl[" ".join(words)].split()
                    shown = " ".join(p for _, p in toks[i : i + k] if p)
                    if len(repl) == 1:
                        out.append((repl[0], shown))
                    else:
                        out.extend((r, shown if m == 0 else "") for m, r in enumerate(repl))
                    i += k
                    break
            else:
                out.append(toks[i])
                i += 1
        return out


def joined_keys(text: str) -> str:
    """The accent-folded keys of ``tokens`` before phrases are removed, as " a b c "."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    get = _KEY_CACHE.get
    parts = []
    for chunk in text.split(" "):
        keys = get(chunk)
        if keys is None:
            keys = " ".join(
                k
                for word in _WORD_RE.findall(_DOCREF_RE.sub(" ", chunk.lower()))
                for k, _ in _analyze_word(word)
            )
            if len(_KEY_CACHE) < _WORD_CACHE_MAX:
                _KEY_CACHE[chunk] = keys
        if keys:
            parts.append(keys)
    return " " + " ".join(parts) + " " if parts else " "


def strip_phrases(joined: str, extra_stop_phrases: tuple[str, ...] = ()) -> list[str]:
    """``tokens`` of a padded key string: boilerplate and ``extra_stop_phrases`` removed."""
    if joined == " ":
        return []
    return _matcher(extra_stop_phrases)[1].sub(" ", joined).split()


def analyze_raw(text: str) -> list[tuple[str, str]]:
    """``analyze`` before boilerplate phrases are removed."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    toks: list[tuple[str, str]] = []
    get = _CHUNK_CACHE.get
    for chunk in text.lower().split():
        found = get(chunk)
        if found is None:
            found = tuple(
                tok
                for word in _WORD_RE.findall(_DOCREF_RE.sub(" ", chunk))
                for tok in _analyze_word(word)
            )
            if len(_CHUNK_CACHE) < _WORD_CACHE_MAX:
                _CHUNK_CACHE[chunk] = found
        toks.extend(found)
    return toks


def strip_pairs(
    toks: list[tuple[str, str]], extra_stop_phrases: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """``analyze``'s last step: boilerplate and ``extra_stop_phrases`` removed."""
    return _matcher(extra_stop_phrases)[0].strip(toks)


_PLACE_WORDS = ("thôn", "khu", "xóm", "xã", "phường", "ấp", "làng", "khu phố", "tổ dân phố")
_PLACE_RE = re.compile(
    r"(?i)\b(" + "|".join(sorted(_PLACE_WORDS, key=len, reverse=True)) + r")((?:\s+\w+){1,3})"
)


_TIME_RE = re.compile(
    r"(?i)\b(?:quý|quy|năm|nam|đợt|dot|tháng|thang|số|so|lần|lan)\s+(?:[ivx]+\b|\d[\w./-]*)"
)


def drop_numbered_words(text: str) -> str:
    """Removes "quý IV", "năm 2017", "đợt 2", "tháng 10", "số 4": without diacritics their
    first word reads like a content word ("quy" = "quỹ", "nam", "so" = "sơ")."""
    return _TIME_RE.sub(" ", text)


def drop_place_names(text: str) -> str:
    """Removes the proper names after "thôn", "khu", "xóm", "xã", "phường"…: "tại nhà văn
    hóa thôn Trại" → "tại nhà văn hóa thôn". Names are the capitalised words that follow
    (at most three); a text written all in capitals, or with most words capitalised, is
    left as it is."""
    if text.isupper():
        return text
    words = text.split()
    if sum(1 for w in words if w[:1].isupper()) > 0.6 * len(words):
        return text  # Title Case ("Tệ Nạn Xã Hội"): capitals say nothing

    def sub(m: re.Match[str]) -> str:
        words = m.group(2).split()
        k = 0
        while k < len(words) and words[k][:1].isupper():
            k += 1
        return m.group(1) + "".join(" " + w for w in words[k:])

    return _PLACE_RE.sub(sub, text)
