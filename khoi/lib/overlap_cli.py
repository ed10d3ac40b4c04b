"""JSON Lines front end of the overlap engine (``python manage.py overlap``).

Input: one JSON object per line with the keys ``id``, ``org``, ``kind``, ``title``,
``description``, ``units`` (list of unit codes), ``start`` and ``end`` (YYYY-MM-DD);
other keys are ignored, blank lines skipped. Output: one line per overlap group,
``{"ids": [...], "score": 0.0–1.0, "reasons": [...]}``, most certain first; ids are
written back exactly as given (string or number).

A bad line (invalid JSON, missing or mistyped field, unknown kind, bad date, end before
start, id already used) is reported on ``err`` as ``Dòng N: …`` (N counted from 1) and
skipped; the good lines are still processed. ``run`` returns 1 when a line was bad,
else 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TextIO

from khoi.lib.overlap import (
    DEFAULT_WINDOW_DAYS,
    KIND_FAMILY,
    Activity,
    OverlapError,
    find_groups,
)

REQUIRED_FIELDS: tuple[str, ...] = (
    "id",
    "org",
    "kind",
    "title",
    "description",
    "units",
    "start",
    "end",
)


class LineError(ValueError):
    """A rejected input line: stable ``code`` and Vietnamese ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _date(value: Any, name: str) -> date:
    if not isinstance(value, str):
        raise LineError("bad_date", f"trường '{name}' phải là ngày dạng YYYY-MM-DD")
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise LineError(
            "bad_date", f"trường '{name}' không phải ngày hợp lệ dạng YYYY-MM-DD: {value!r}"
        ) from None


def parse_line(line: str) -> Activity:
    """One input line → Activity, or LineError naming the problem."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError("invalid_json", f"JSON không hợp lệ ({exc.msg}, cột {exc.colno})") from None
    if not isinstance(obj, dict):
        raise LineError("not_object", "mỗi dòng phải là một đối tượng JSON")
    missing = [f for f in REQUIRED_FIELDS if f not in obj]
    if missing:
        raise LineError("missing_field", "thiếu trường " + ", ".join(f"'{f}'" for f in missing))
    ident = obj["id"]
    if isinstance(ident, bool) or not isinstance(ident, str | int) or ident == "":
        raise LineError("bad_id", "trường 'id' phải là chuỗi hoặc số nguyên, không rỗng")
    for name in ("org", "kind", "title"):
        if not isinstance(obj[name], str):
            raise LineError("bad_type", f"trường '{name}' phải là chuỗi")
    if not obj["org"].strip():
        raise LineError("bad_org", "trường 'org' không được rỗng")
    description = obj["description"]
    if description is None:
        description = ""
    if not isinstance(description, str):
        raise LineError("bad_type", "trường 'description' phải là chuỗi")
    kind = obj["kind"]
    if kind not in KIND_FAMILY:
        raise LineError(
            "unknown_kind",
            f"loại hoạt động không hợp lệ {kind!r} (hợp lệ: {', '.join(KIND_FAMILY)})",
        )
    units = obj["units"]
    if not isinstance(units, list) or not all(isinstance(u, str) and u for u in units):
        raise LineError("bad_units", "trường 'units' phải là danh sách mã đơn vị (chuỗi)")
    start, end = _date(obj["start"], "start"), _date(obj["end"], "end")
    if end < start:
        raise LineError(
            "end_before_start",
            f"ngày kết thúc {end.isoformat()} trước ngày bắt đầu {start.isoformat()}",
        )
    try:
        return Activity(
            ident, obj["org"], kind, obj["title"], description, tuple(units), start, end
        )
    except OverlapError as exc:  # pragma: no cover - checked above
        raise LineError(exc.code, exc.message) from None


def run(
    input_lines: Iterable[str],
    out: TextIO,
    err: TextIO,
    parents: Mapping[str, str] | None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> int:
    """Read activities, write overlap groups; 1 if any line was bad, else 0."""
    records: list[Activity] = []
    seen: dict[Any, int] = {}
    bad = False
    for number, line in enumerate(input_lines, start=1):
        if not line.strip():
            continue
        try:
            rec = parse_line(line)
            if rec.id in seen:
                raise LineError("duplicate_id", f"mã {rec.id!r} đã dùng ở dòng {seen[rec.id]}")
        except LineError as exc:
            err.write(f"Dòng {number}: {exc.message}. Bỏ qua dòng này.\n")
            bad = True
            continue
        seen[rec.id] = number
        records.append(rec)
    for group in find_groups(records, parents or {}, window_days=window_days):
        out.write(json.dumps(group.to_dict(), ensure_ascii=False) + "\n")
    return 1 if bad else 0
