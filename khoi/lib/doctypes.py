"""Official abbreviations of Vietnamese document types, kept as data.

Sources (see /work/shared/reference/document-types.md):

- ``STATE_ADMIN_TYPES``: administrative documents, Decree 30/2020/NĐ-CP, Appendix III
  (including the three kinds of copy: SY, TrS, SL).
- ``STATE_LEGAL_TYPES``: legal normative documents, Law on Promulgation of Legal
  Documents. Laws and codes carry no type code (``25/2018/QH14``).
- ``PARTY_TYPES``: Party documents, Guidance 36-HD/VPTW (2018).

The spelling of each key is the canonical one (``QĐi``, ``CTr``, ``TTr``, ``QyĐ``…);
lookups are case-insensitive through :func:`lookup_type`. The lists differ: ``QĐi``,
``KL``, ``CV`` and ``TT`` (Thông tri) are Party codes; ``QyĐ``, ``NĐ``, ``NQLT``… are
state codes only.

People typing without Vietnamese input write "D" for "Đ" ("217-QD/TW");
:func:`lookup_type` reads such a code as its "Đ" form where no other code is spelled the
same way in ASCII.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Literal

System = Literal["state", "party"]

STATE_ADMIN_TYPES: Final = MappingProxyType(
    {
        "NQ": "Nghị quyết (cá biệt)",
        "QĐ": "Quyết định (cá biệt)",
        "CT": "Chỉ thị",
        "QC": "Quy chế",
        "QyĐ": "Quy định",
        "TC": "Thông cáo",
        "TB": "Thông báo",
        "HD": "Hướng dẫn",
        "CTr": "Chương trình",
        "KH": "Kế hoạch",
        "PA": "Phương án",
        "ĐA": "Đề án",
        "DA": "Dự án",
        "BC": "Báo cáo",
        "BB": "Biên bản",
        "TTr": "Tờ trình",
        "HĐ": "Hợp đồng",
        "CĐ": "Công điện",
        "BGN": "Bản ghi nhớ",
        "BTT": "Bản thỏa thuận",
        "GUQ": "Giấy ủy quyền",
        "GM": "Giấy mời",
        "GGT": "Giấy giới thiệu",
        "GNP": "Giấy nghỉ phép",
        "PG": "Phiếu gửi",
        "PC": "Phiếu chuyển",
        "PB": "Phiếu báo",
        "SY": "Bản sao y",
        "TrS": "Bản trích sao",
        "SL": "Bản sao lục",
    }
)

STATE_LEGAL_TYPES: Final = MappingProxyType(
    {
        "NQ": "Nghị quyết",
        "PL": "Pháp lệnh",
        "NQLT": "Nghị quyết liên tịch",
        "NĐ": "Nghị định",
        "QĐ": "Quyết định",
        "TT": "Thông tư",
        "TTLT": "Thông tư liên tịch",
    }
)

PARTY_TYPES: Final = MappingProxyType(
    {
        "NQ": "Nghị quyết",
        "QĐ": "Quyết định",
        "QĐi": "Quy định",
        "CT": "Chỉ thị",
        "KL": "Kết luận",
        "QC": "Quy chế",
        "HD": "Hướng dẫn",
        "TT": "Thông tri",
        "BC": "Báo cáo",
        "TTr": "Tờ trình",
        "KH": "Kế hoạch",
        "CTr": "Chương trình",
        "TB": "Thông báo",
        "ĐA": "Đề án",
        "PA": "Phương án",
        "CV": "Công văn",
        "BB": "Biên bản",
        "GM": "Giấy mời",
        "GGT": "Giấy giới thiệu",
    }
)

# Every code valid in a state notation (administrative or legal); the name of the
# administrative meaning wins where both lists have the code (NQ, QĐ).
STATE_TYPES: Final = MappingProxyType({**STATE_LEGAL_TYPES, **STATE_ADMIN_TYPES})

TYPES_BY_SYSTEM: Final = MappingProxyType({"state": STATE_TYPES, "party": PARTY_TYPES})

# Names people write before a notation ("Quyết định số 217-QĐ/TW"), besides the names
# of the types above.
EXTRA_DOCUMENT_NAMES: Final = (
    "Công văn",
    "Văn bản",
    "Luật",
    "Bộ luật",
    "Hiến pháp",
    "Quy định",
    "Thông tri",
    "Kết luận",
)


def _upper_index(codes: MappingProxyType[str, str]) -> MappingProxyType[str, str]:
    index: dict[str, str] = {}
    for code in codes:
        key = code.upper()
        if key in index:  # pragma: no cover - guards the data above
            raise ValueError(f"codes {index[key]!r} and {code!r} collide when upper-cased")
        index[key] = code
    return MappingProxyType(index)


_UPPER: Final = MappingProxyType(
    {system: _upper_index(codes) for system, codes in TYPES_BY_SYSTEM.items()}
)


def ascii_key(code: str) -> str:
    """The code as typed without Vietnamese input: upper case, "Đ" written "D"."""
    return code.upper().replace("\u0110", "D")


def _ascii_index(codes: MappingProxyType[str, str]) -> MappingProxyType[str, str]:
    """ASCII spelling → code, for the codes with "Đ" whose ASCII spelling is unambiguous:
    it is no other code of the list and no other code has the same ASCII spelling (state
    "DA" stays Dự án, not Đề án; "HD" stays Hướng dẫn, not Hợp đồng)."""
    spellings: dict[str, list[str]] = {}
    for code in codes:
        spellings.setdefault(ascii_key(code), []).append(code)
    return MappingProxyType(
        {
            key: found[0]
            for key, found in spellings.items()
            if len(found) == 1 and key != found[0].upper()
        }
    )


_ASCII: Final = MappingProxyType(
    {system: _ascii_index(codes) for system, codes in TYPES_BY_SYSTEM.items()}
)


def lookup_type(system: System, code: str) -> str | None:
    """The canonical spelling of ``code`` in ``system``'s list, or None if not listed.

    ``code`` may be in any letter case; "Ð" (U+00D0) must already be unified with "Đ".
    "D" typed for "Đ" (a keyboard without Vietnamese input) is read as "Đ" where that is
    unambiguous in the system's list: "QD" → "QĐ", "QDi" → "QĐi", "ND" → "NĐ", but "HD"
    stays "HD" (Hướng dẫn) and, in state notations, "DA" stays "DA" (Dự án).
    """
    key = code.upper()
    return _UPPER[system].get(key) or _ASCII[system].get(key)


def type_name(system: System, code: str) -> str | None:
    """The Vietnamese name of a type code ("QĐi" → "Quy định"), or None."""
    canonical = lookup_type(system, code)
    return None if canonical is None else TYPES_BY_SYSTEM[system][canonical]


def document_names() -> tuple[str, ...]:
    """Every document name that may precede a notation, longest first."""
    names: set[str] = set(EXTRA_DOCUMENT_NAMES)
    for codes in TYPES_BY_SYSTEM.values():
        for name in codes.values():
            names.add(name.split(" (")[0])
    return tuple(sorted(names, key=lambda n: (-len(n), n)))
