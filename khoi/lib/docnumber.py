"""Parse and format the notation ("số, ký hiệu") of Vietnamese documents.

Two systems:

- **state** documents, Decree 30/2020/NĐ-CP and the Law on Promulgation of Legal
  Documents: ``<n>[/<year>]/<TYPE>-<ISSUER>`` (``30/2020/NĐ-CP``, ``15/KH-UBND``),
  official letters without a type (``125/MTTQ-BTT``), laws without a type
  (``25/2018/QH14``);
- **party** documents, Guidance 36-HD/VPTW: ``<n>-<TYPE>/<ISSUER>`` (``217-QĐ/TW``).

:func:`parse` accepts what people type: a leading "Số:", "Số", "Quyết định số"…,
spaces around "/" and "-", any letter case, the look-alike "Ð" (U+00D0) for "Đ"
(U+0110), typographic dashes. The type is the first segment after the number (state)
or between "-" and "/" (party), recognised from the official lists in
:mod:`khoi.lib.doctypes`; in a state notation a first segment that is not a listed
type belongs to the issuer. The result is canonical: type in its official spelling
(``QĐi``, ``CTr``), issuer upper-case. Anything else raises :class:`NotationError`
with a stable ``code`` and a Vietnamese message.

:func:`format` renders the canonical notation back; numbers below 10 get a leading
zero as both Decree 30 and Guidance 36 write them (``05-CTr/TU``), so that
``parse(format(x)) == x``.
"""

from __future__ import annotations

import builtins
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Final

from khoi.lib.doctypes import System, document_names, lookup_type

__all__ = [
    "MAX_DIGITS",
    "MAX_YEAR",
    "MESSAGES",
    "MIN_YEAR",
    "DocumentNumber",
    "NotationError",
    "format",
    "parse",
]

MIN_YEAR: Final = 1945
MAX_YEAR: Final = 2100
MAX_DIGITS: Final = 9

# Machine codes of the rejections and their Vietnamese messages.
MESSAGES: Final[dict[str, str]] = {
    "empty": "Chưa nhập số, ký hiệu văn bản.",
    "no_number": "Thiếu số văn bản: ký hiệu phải bắt đầu bằng số (ví dụ 15/KH-UBND).",
    "number_not_positive": "Số văn bản phải là số nguyên dương (từ 01 trở lên).",
    "number_too_large": "Số văn bản quá lớn (tối đa chín chữ số).",
    "bad_year": "Năm ban hành phải gồm bốn chữ số (ví dụ 30/2020/NĐ-CP).",
    "year_out_of_range": f"Năm ban hành phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.",
    "missing_issuer": "Thiếu ký hiệu cơ quan ban hành (ví dụ UBND, TW).",
    "invalid_issuer": (
        "Ký hiệu cơ quan ban hành chỉ gồm chữ cái và chữ số, các phần nối bằng dấu gạch ngang."
    ),
    "unknown_party_type": (
        "Loại văn bản không có trong danh mục viết tắt văn bản của Đảng "
        "(Hướng dẫn 36-HD/VPTW), ví dụ NQ, QĐ, QĐi, CT, KL, BC, CTr."
    ),
    "unknown_shape": (
        "Không nhận ra dạng ký hiệu. Văn bản nhà nước: 30/2020/NĐ-CP, 15/KH-UBND; "
        "văn bản của Đảng: 217-QĐ/TW."
    ),
}


class NotationError(ValueError):
    """A text that is not a document notation; ``code`` is stable, ``message`` Vietnamese."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        self.message = MESSAGES[code] + (f" Chi tiết: {detail}." if detail else "")
        super().__init__(self.message)


@dataclass(frozen=True)
class DocumentNumber:
    """The canonical parts of a notation (see the module docstring)."""

    system: System
    number: int
    year: int | None
    type: str | None
    issuer: str

    def to_dict(self) -> dict[str, object]:
        """The JSON contract: system, number, year, type, issuer."""
        return asdict(self)

    def __str__(self) -> str:
        return format(self)


# Look-alike characters people paste: Icelandic eth for Đ, typographic dashes and slashes.
_LOOKALIKES: Final = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð → Đ
        "\u00f0": "\u0111",  # ð → đ
        "\u0189": "\u0110",  # Ɖ (African D) → Đ
        "\u0256": "\u0111",  # ɖ → đ
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\u2044": "/",
        "\u2215": "/",
        "\uff0f": "/",
    }
)

_NAMES_RE: Final = "|".join(re.escape(name) for name in document_names())
# "Số", "Số hiệu", "Số, ký hiệu", "Ký hiệu văn bản", unaccented "So"…
_LABEL_RE: Final = r"(?:số(?:\s*,?\s*(?:(?:ký|kí)\s+)?hiệu)?|so|(?:ký|kí)\s+hiệu)(?:\s+văn\s+bản)?"
# An optional document name ("Quyết định", "Nghị quyết 57-NQ/TW") then an optional label.
_PREFIX_RE: Final = re.compile(
    rf"^(?:(?:{_NAMES_RE})(?=[\s:.]|số|so|ký|kí|\d|$)\s*)?"
    rf"(?:{_LABEL_RE}(?=[\s:.]|\d|$)\s*[:.]?\s*)?",
    re.IGNORECASE,
)
_SEPARATOR_RE: Final = re.compile(r"\s*([/-])\s*")
_SPACE_RE: Final = re.compile(r"\s+")
_NUMBER_RE: Final = re.compile(r"([0-9]+)(.*)", re.DOTALL)
_DIGITS_RE: Final = re.compile(r"[0-9]+")
_NEGATIVE_RE: Final = re.compile(r"-[0-9]")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    return _SPACE_RE.sub(" ", text).strip()


def _issuer(segments: list[str]) -> str:
    """Validate and upper-case the issuer segments ("MTTQ", "btt" → "MTTQ-BTT")."""
    if not segments or not any(ch.isalpha() for seg in segments for ch in seg):
        raise NotationError("missing_issuer")
    for seg in segments:
        if not seg or not all(ch.isalpha() or "0" <= ch <= "9" for ch in seg):
            raise NotationError("invalid_issuer", repr("-".join(segments)))
        if len(seg.upper()) != len(seg):
            raise NotationError("invalid_issuer", repr(seg))
    return "-".join(segments).upper()


def _year(text: str) -> int:
    if not _DIGITS_RE.fullmatch(text) or len(text) != 4:
        raise NotationError("bad_year", repr(text))
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NotationError("year_out_of_range", str(year))
    return year


def _parse_state(number: int, rest: str) -> DocumentNumber:
    parts = rest.split("/")
    if len(parts) > 2:
        raise NotationError("unknown_shape", "quá nhiều dấu /")
    year = _year(parts[0]) if len(parts) == 2 else None
    tail = parts[-1]
    if not tail:
        raise NotationError("missing_issuer")
    segments = tail.split("-")
    doc_type = lookup_type("state", segments[0])
    if doc_type is not None:
        segments = segments[1:]
    return DocumentNumber("state", number, year, doc_type, _issuer(segments))


def _parse_party(number: int, rest: str) -> DocumentNumber:
    type_text, slash, issuer_text = rest.partition("/")
    if not slash or "/" in issuer_text:
        raise NotationError("unknown_shape", "văn bản của Đảng có dạng 217-QĐ/TW")
    doc_type = lookup_type("party", type_text)
    if doc_type is None:
        raise NotationError("unknown_party_type", repr(type_text) if type_text else "")
    return DocumentNumber("party", number, None, doc_type, _issuer(issuer_text.split("-")))


def parse(text: str) -> DocumentNumber:
    """Parse a typed notation; raise :class:`NotationError` if it is not one."""
    if not isinstance(text, str):
        raise NotationError("unknown_shape", "không phải chuỗi ký tự")
    cleaned = _normalise(text)
    if not cleaned:
        raise NotationError("empty")
    body = _PREFIX_RE.sub("", cleaned, count=1)
    body = _SEPARATOR_RE.sub(r"\1", body)
    if not body:
        raise NotationError("no_number")
    if _NEGATIVE_RE.match(body):
        raise NotationError("number_not_positive")
    match = _NUMBER_RE.fullmatch(body)
    if match is None:
        if "/" in body or "-" in body:
            raise NotationError("no_number")
        raise NotationError("unknown_shape")
    digits, rest = match.groups()
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise NotationError("number_too_large")
    number = int(digits)
    if number <= 0:
        raise NotationError("number_not_positive")
    if " " in rest:
        raise NotationError("unknown_shape", "có khoảng trắng thừa")
    if rest.startswith("/"):
        return _parse_state(number, rest[1:])
    if rest.startswith("-"):
        return _parse_party(number, rest[1:])
    if not rest:
        raise NotationError("missing_issuer")
    raise NotationError("unknown_shape")


def format(doc: DocumentNumber) -> str:
    """The canonical notation: ``30/2020/NĐ-CP``, ``15/KH-UBND``, ``217-QĐ/TW``."""
    number = builtins.format(doc.number, "02d")
    if doc.system == "party":
        return f"{number}-{doc.type}/{doc.issuer}"
    parts = [number]
    if doc.year is not None:
        parts.append(str(doc.year))
    parts.append(f"{doc.type}-{doc.issuer}" if doc.type else doc.issuer)
    return "/".join(parts)


def try_parse(text: str) -> DocumentNumber | None:
    """:func:`parse`, returning None instead of raising."""
    try:
        return parse(text)
    except NotationError:
        return None
