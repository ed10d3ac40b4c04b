"""JSON Lines front end of the household matcher (``manage.py household_duplicates``).

Input: one JSON object per line with ``id, org, year, head_name, birth_year, id_number,
phone, address, unit, members, support`` (any may be null or empty; other keys ignored;
blank lines skipped). Units (optional): ``{"units": {code: {"name", "parent",
"successors"}}}``. Output: one line per group of two or more records judged to be the same
household, ``{"ids": [...], "score": s, "reasons": [...]}``, most certain first; ids as given.

A bad line (invalid JSON, not an object, no usable ``id``, an id used twice, a field of the
wrong type) is reported on ``err`` as ``Dòng N: …`` and skipped. ``run`` returns 0 once the
output is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from khoi.lib.households import UnitTree, find_groups

_TEXT_FIELDS = ("org", "head_name", "address", "unit")


class LineError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_line(line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"JSON không hợp lệ ({exc.msg}, cột {exc.colno})") from None
    if not isinstance(obj, dict):
        raise LineError("mỗi dòng phải là một đối tượng JSON")
    ident = obj.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int) or ident == "":
        raise LineError("thiếu trường 'id' (chuỗi hoặc số nguyên, không rỗng)")
    for name in _TEXT_FIELDS:
        value = obj.get(name)
        if (value is not None and not isinstance(value, str | int)) or isinstance(value, bool):
            raise LineError(f"trường '{name}' phải là chuỗi")
    for name in ("id_number", "phone"):
        value = obj.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise LineError(f"trường '{name}' phải là chuỗi hoặc số")
    for name in ("year", "birth_year"):
        value = obj.get(name)
        if value not in (None, "") and (
            isinstance(value, bool)
            or not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()))
        ):
            raise LineError(f"trường '{name}' phải là năm (số nguyên)")
    members = obj.get("members")
    if members is not None and not isinstance(members, list):
        raise LineError("trường 'members' phải là danh sách")
    return obj


def load_units(data: Any) -> UnitTree:
    if not isinstance(data, Mapping) or not isinstance(data.get("units"), Mapping):
        raise ValueError('tệp đơn vị phải có dạng {"units": {mã: {...}}}')
    return UnitTree.from_json(data)


def run(input_lines: Iterable[str], out: TextIO, err: TextIO, units: UnitTree | None = None) -> int:
    records: list[dict[str, Any]] = []
    seen: dict[Any, int] = {}
    for number, line in enumerate(input_lines, start=1):
        if not line.strip():
            continue
        try:
            rec = parse_line(line)
            key = (type(rec["id"]).__name__, rec["id"])
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
