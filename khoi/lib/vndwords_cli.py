"""The ``vnd_words`` command without Django.

``run(["1.250.000"], out, err)`` writes ``{"amount": 1250000, "words": "Một triệu hai
trăm năm mươi nghìn đồng"}`` to ``out`` and returns 0; a missing, negative, decimal,
non-numeric or badly grouped amount writes the Vietnamese reason (with its code) to
``err`` and returns 2.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from khoi.lib.vndwords import AmountError, parse_amount, words

EXIT_OK = 0
EXIT_REJECTED = 2

USAGE = "Cách dùng: python manage.py vnd_words 1.250.000"


def run(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    if len(argv) != 1:
        reason = "Thiếu số tiền" if not argv else "Chỉ nhận đúng một số tiền"
        err.write(f"{reason} (mã: usage).\n{USAGE}\n")
        return EXIT_REJECTED
    text = argv[0]
    if text.strip() and text != text.strip():
        # AMOUNT is digits (optionally dot-grouped) and nothing else: a space around it is
        # refused like any other character, not silently trimmed.
        err.write(
            f"Số tiền không được có khoảng trắng ở đầu hoặc cuối: {text!r} (mã: whitespace)\n"
        )
        return EXIT_REJECTED
    try:
        amount = parse_amount(text)
    except AmountError as exc:
        err.write(f"{exc.message} (mã: {exc.code})\n")
        return EXIT_REJECTED
    out.write(json.dumps({"amount": amount, "words": words(amount)}, ensure_ascii=False) + "\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover - manual use without Django
    import sys

    raise SystemExit(run(sys.argv[1:], sys.stdout, sys.stderr))
