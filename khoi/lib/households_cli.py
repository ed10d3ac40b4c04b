"""JSON Lines front end of the household matcher (``manage.py household_duplicates``).

Input: one JSON object per line with ``id, org, year, head_name, birth_year, id_number,
phone, address, unit, members, support``; any of them but ``id`` may be null, empty
(``""``, ``[]``, ``{}``) or missing, other keys are ignored. Units (optional): ``{"units":
{code: {"name", "parent", "successors"}}}``, other keys ignored. Output: one line per
group of two or more records judged to be the same household, ``{"ids": [...], "score":
s, "reasons": [...]}``, most certain first; ids as given.

The file is read as bytes: UTF-8 with or without a byte-order mark (UTF-16 with its mark
too), lines ending in LF or CRLF (a U+2028 inside a JSON string does not end a line). A bad
line (not UTF-8, blank, invalid JSON, not an object, no usable ``id``, an id used twice —
``7`` and ``"7"`` are the same id —, a field of the wrong type, a text longer than
``MAX_TEXT``, more than ``MAX_MEMBERS`` members) is reported on ``err`` as ``Dòng N: …``
and skipped; a text of spaces only counts as empty. A file that
is not text at all (NUL bytes: a spreadsheet, an archive) raises ``InputError``: the
command exits 2. A malformed unit tree (an entry that is not an object, a name that is not
text, successors that are not a list of codes, a succession cycle) raises ValueError
naming the unit; a unit listed as its own successor simply keeps its place. ``run``
returns 0 once the output is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from khoi.lib.households import UnitTree, find_groups

FIELDS = (
    "id", "org", "year", "head_name", "birth_year", "id_number", "phone", "address", "unit",
    "members", "support",
)  # fmt: skip
_NAME_FIELDS = ("head_name", "address")  # text only: a number is not a name
_CODE_FIELDS = ("org", "unit", "id_number", "phone")  # text or a whole number
_YEAR_FIELDS = ("year", "birth_year")
_EMPTY: tuple[Any, ...] = (None, "", [], {})
# The longest text read per field (characters) and the most members: a name of a million
# characters is no name, and the matcher's string comparisons are quadratic in the length
# (a 700,000-character name kept one comparison busy for minutes). Such a line is reported.
MAX_TEXT = {"head_name": 200, "address": 1000, "org": 200, "unit": 200, "id_number": 50}
MAX_TEXT_DEFAULT = 200
MAX_MEMBERS = 100
MAX_MEMBER_NAME = 200


class LineError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ValueError):
    """The input cannot be read at all (exit 2)."""


def _whole(value: Any) -> Any:
    """1960.0 (a spreadsheet export's number) → 1960; other values unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_line(line: str) -> dict[str, Any]:
    """The record of one line, its empty fields as None and nothing but the known keys."""
    if not line.strip():
        raise LineError("dòng trống (mỗi dòng phải là một đối tượng JSON)")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"JSON không hợp lệ ({exc.msg}, cột {exc.colno})") from None
    except (ValueError, RecursionError):  # a 5,000-digit number, nesting thousands deep
        raise LineError("JSON không đọc được (số quá dài hoặc lồng quá sâu)") from None
    if not isinstance(obj, dict):
        raise LineError("mỗi dòng phải là một đối tượng JSON")
    ident = obj.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int) or not str(ident).strip():
        raise LineError("thiếu trường 'id' (chuỗi hoặc số nguyên, không rỗng)")
    rec: dict[str, Any] = dict.fromkeys(FIELDS)
    rec["id"] = ident
    for name in FIELDS[1:]:
        value = obj.get(name)
        if isinstance(value, list | dict | str) and value in _EMPTY:
            value = None
        elif isinstance(value, str) and not value.strip():
            value = None  # "   " is as empty as ""
        rec[name] = value
    for name in _NAME_FIELDS:
        value = rec[name]
        if value is not None and not isinstance(value, str):
            raise LineError(f"trường '{name}' phải là chuỗi")
    for name in _CODE_FIELDS:
        value = rec[name] = _whole(rec[name])
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise LineError(f"trường '{name}' phải là chuỗi hoặc số nguyên")
    for name in _YEAR_FIELDS:
        value = rec[name] = _whole(rec[name])
        if value is not None and (
            isinstance(value, bool)
            # isdecimal, not isdigit: "²⁰²⁴" is digits that int() cannot read
            or not (
                isinstance(value, int) or (isinstance(value, str) and value.strip().isdecimal())
            )
        ):
            raise LineError(f"trường '{name}' phải là năm (số nguyên)")
    for name in FIELDS[1:]:
        value = rec[name]
        limit = MAX_TEXT.get(name, MAX_TEXT_DEFAULT)
        if isinstance(value, str) and len(value) > limit:
            raise LineError(f"trường '{name}' dài quá {limit} ký tự ({len(value)} ký tự)")
    members = rec["members"]
    if members is not None:
        if not isinstance(members, list):
            raise LineError("trường 'members' phải là danh sách")
        if len(members) > MAX_MEMBERS:
            raise LineError(f"trường 'members' có quá {MAX_MEMBERS} thành viên ({len(members)})")
        for number, item in enumerate(members, start=1):
            person = item.get("name", item.get("full_name")) if isinstance(item, dict) else item
            if person not in (None, "") and not isinstance(person, str):
                raise LineError(
                    f"thành viên thứ {number} của 'members' phải là họ tên (chuỗi) hoặc "
                    'đối tượng {"name": …, "birth_year": …}'
                )
            if isinstance(person, str) and len(person) > MAX_MEMBER_NAME:
                raise LineError(
                    f"họ tên thành viên thứ {number} của 'members' dài quá {MAX_MEMBER_NAME} ký tự"
                )
            if isinstance(item, dict):
                by = _whole(item.get("birth_year"))
                if by not in (None, "") and (isinstance(by, bool) or not isinstance(by, int | str)):
                    raise LineError(f"năm sinh của thành viên thứ {number} phải là số nguyên")
    return rec


def decode_lines(data: bytes) -> list[str | LineError]:
    """The lines of a JSON Lines file: a LineError for each line that is not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeError:
            raise InputError("tệp UTF-16 bị hỏng") from None
    if b"\x00" in data:
        raise InputError("không phải tệp văn bản JSON Lines (có byte NUL)")
    data = data.removeprefix(b"\xef\xbb\xbf")
    pieces = data.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()  # the newline that ends the last line
    out: list[str | LineError] = []
    for piece in pieces:
        try:
            out.append(piece.removesuffix(b"\r").decode("utf-8"))
        except UnicodeDecodeError as exc:
            out.append(LineError(f"không phải UTF-8 (byte lỗi ở cột {exc.start + 1})"))
    return out


def _code(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool) and str(value) != ""


def load_units(data: Any) -> UnitTree:
    """The tree of ``--units``; ValueError naming the unit and field when it is malformed."""
    if not isinstance(data, Mapping) or not isinstance(data.get("units"), Mapping):
        raise ValueError('tệp đơn vị phải có dạng {"units": {mã: {...}}}')
    for code, info in data["units"].items():
        if not isinstance(info, Mapping):
            raise ValueError(f"đơn vị {code!r}: phải là một đối tượng {{name, parent, successors}}")
        name, parent, succ = info.get("name"), info.get("parent"), info.get("successors")
        if name is not None and not isinstance(name, str):
            raise ValueError(f"đơn vị {code!r}: 'name' phải là chuỗi")
        if parent not in (None, "") and not _code(parent):
            raise ValueError(f"đơn vị {code!r}: 'parent' phải là một mã đơn vị hoặc null")
        if succ is not None and (not isinstance(succ, list) or not all(_code(c) for c in succ)):
            raise ValueError(f"đơn vị {code!r}: 'successors' phải là danh sách mã đơn vị")
    tree = UnitTree.from_json(data)
    for code, succ in tree.successors.items():
        # "A continues as A" is no succession (the matcher would lose A's place otherwise)
        tree.successors[code] = [s for s in succ if s != code]
    for code in tree.successors:
        if not tree.current(code):
            raise ValueError(
                f"đơn vị {code!r}: chuỗi 'successors' quay vòng, không tới đơn vị hiện hành"
            )
    return tree


def run(
    input_lines: Iterable[str | LineError],
    out: TextIO,
    err: TextIO,
    units: UnitTree | None = None,
) -> int:
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(input_lines, start=1):
        try:
            if isinstance(line, LineError):
                raise line
            rec = parse_line(line)
            # 7 and "7" are the same id (a spreadsheet export writes either): the second is
            # reported as a duplicate rather than giving a group ids nobody can tell apart.
            key = str(rec["id"]).strip()
            if key in seen:
                raise LineError(f"mã {rec['id']!r} đã dùng ở dòng {seen[key]}")
        except LineError as exc:
            err.write(f"Dòng {number}: {exc.message}. Bỏ qua dòng này.\n")
            continue
        seen[key] = number
        records.append(rec)
    for group in find_groups(records, units):
        out.write(json.dumps(group.to_dict(), ensure_ascii=False) + "\n")
    return 0
