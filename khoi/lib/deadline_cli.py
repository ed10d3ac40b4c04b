"""The ``deadline`` command without Django: ``run(argv, out, err) -> exit code``.

Contract (the ``manage.py deadline`` management command wraps ``run``)::

    deadline --rule RULE --start YYYY-MM-DD [--extensions N]
        → one JSON object on ``out`` (keys: rule, title, start, due, counted, unit,
          period, extensions, total, period_end, moved, counts_from, source,
          explanation), exit 0
    deadline --list-rules
        → the rule table as readable text on ``out``, exit 0

Bad input (unknown rule, impossible or badly formatted date, extensions on a rule that
has none or more than it allows, unknown options, missing values) writes one
Vietnamese reason line on ``err`` and returns 2. Every write is one whole line ending in
"\\n", so Django's ``OutputWrapper`` adds no extra line breaks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import NoReturn, TextIO

from khoi.lib.workdays import RULE_TABLE, DeadlineError, WorkCalendar, compute_deadline

EXIT_OK = 0
EXIT_USAGE = 2

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_INT_RE = re.compile(r"[+-]?[0-9]+", re.ASCII)


class _UsageError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _translate_argparse(message: str) -> str:
    """Argparse's English error messages → Vietnamese."""
    if m := re.fullmatch(r"unrecognized arguments: (.*)", message):
        return f"tham số không hợp lệ: {m.group(1)}"
    if m := re.fullmatch(r"argument (\S+): expected one argument", message):
        return f"tham số {m.group(1).split('/')[0]} cần một giá trị"
    if m := re.fullmatch(r"argument (\S+): ignored explicit argument (.*)", message):
        return f"tham số {m.group(1).split('/')[0]} không nhận giá trị {m.group(2)}"
    return f"tham số không hợp lệ ({message})"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing to sys.stderr and exiting."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(
            prog="deadline",
            description=(
                "Tính hạn theo luật (khiếu nại, tố cáo, tiếp công dân): không tính ngày bắt "
                "đầu; hạn rơi vào ngày nghỉ thì chuyển sang ngày làm việc tiếp theo "
                "(Bộ luật Dân sự 2015, Điều 147–148)."
            ),
            allow_abbrev=False,
            add_help=False,
        )
        self._out = out

    def print_help(self, file: object = None) -> None:
        self._out.write(self.format_help())

    def print_usage(self, file: object = None) -> None:
        self._out.write(self.format_usage())

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            raise _UsageError(message.strip())
        raise _Exit(status)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(_translate_argparse(message))


def _build_parser(out: TextIO) -> _Parser:
    parser = _Parser(out)
    parser.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")
    parser.add_argument("--rule", metavar="RULE", help="mã quy tắc thời hạn (xem --list-rules)")
    parser.add_argument(
        "--start", metavar="YYYY-MM-DD", help="ngày bắt đầu tính (không tính ngày này)"
    )
    parser.add_argument(
        "--extensions", metavar="N", help="số lần gia hạn (theo luật áp dụng), mặc định 0"
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="in bảng các quy tắc thời hạn rồi thoát"
    )
    return parser


def parse_iso_date(text: str) -> dt.date:
    """Strict ``YYYY-MM-DD``; raises ``_UsageError`` with a Vietnamese reason."""
    if not _DATE_RE.fullmatch(text):
        raise _UsageError(f"ngày «{text}» sai định dạng, cần YYYY-MM-DD (ví dụ 2025-01-03)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _UsageError(f"ngày «{text}» không tồn tại") from None


def _parse_extensions(text: str | None) -> int:
    if text is None:
        return 0
    if not _INT_RE.fullmatch(text.strip()):
        raise _UsageError(f"số lần gia hạn «{text}» phải là số nguyên không âm")
    value = int(text)
    if value < 0:
        raise _UsageError(f"số lần gia hạn không được âm ({value})")
    return value


def format_rule_table() -> str:
    """The rule table as plain text: one block per rule, its name (and the id to type after
    --rule), then each version of the law with its dates in force."""
    lines = [f"Các quy tắc thời hạn ({len(RULE_TABLE)}):", ""]
    for rule in RULE_TABLE:
        lines.append(f"{rule.title} (mã {rule.id}), kể từ {rule.counts_from}")
        for version in rule.versions:
            lines.append(f"    Có hiệu lực {version.in_force_label}: {version.period_label}")
            lines.append(f"        Căn cứ: {version.source}")
    lines += [
        "",
        "Không tính ngày bắt đầu (Bộ luật Dân sự 2015, Điều 147); thời hạn tính bằng ngày",
        "có ngày cuối cùng là ngày nghỉ thì kết thúc vào ngày làm việc tiếp theo (Điều 148);",
        "thời hạn tính bằng ngày làm việc chỉ đếm ngày làm việc. Mỗi lần gia hạn cộng số ngày",
        "gia hạn vào cuối thời hạn, rồi mới chuyển sang ngày làm việc. Quy định áp dụng là quy",
        "định có hiệu lực vào ngày bắt đầu tính (tố cáo thụ lý trước 01/01/2019: Luật Tố cáo",
        "2011).",
    ]
    return "\n".join(lines) + "\n"


def run(
    argv: Sequence[str],
    out: TextIO,
    err: TextIO,
    calendar: WorkCalendar | None = None,
) -> int:
    """Run the command; returns the exit code (0 ok, 2 bad input)."""
    parser = _build_parser(out)
    try:
        ns = parser.parse_args(list(argv))
        if ns.list_rules:
            if ns.rule is not None or ns.start is not None or ns.extensions is not None:
                raise _UsageError("--list-rules không dùng cùng --rule, --start, --extensions")
            out.write(format_rule_table())
            return EXIT_OK
        if ns.rule is None:
            raise _UsageError("thiếu --rule (xem --list-rules)")
        if ns.start is None:
            raise _UsageError("thiếu --start YYYY-MM-DD")
        start = parse_iso_date(ns.start)
        extensions = _parse_extensions(ns.extensions)
        deadline = compute_deadline(ns.rule, start, extensions, calendar)
    except _Exit as exc:  # --help
        return exc.status
    except _UsageError as exc:
        err.write(f"Lỗi: {exc.message}\n")
        return EXIT_USAGE
    except DeadlineError as exc:
        err.write(f"Lỗi: {exc.message}\n")
        return EXIT_USAGE
    out.write(json.dumps(deadline.as_dict(), ensure_ascii=False) + "\n")
    return EXIT_OK


def main() -> int:  # pragma: no cover - manual use: python -m khoi.lib.deadline_cli
    import sys

    return run(sys.argv[1:], sys.stdout, sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
