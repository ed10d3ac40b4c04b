"""The ``docnumber`` command without Django: parse a notation, print JSON.

``run(["Số: 15/KH-UBND"], out, err)`` writes one JSON object
``{"system", "number", "year", "type", "issuer"}`` (non-ASCII kept as is) to ``out`` and
returns 0, or writes the Vietnamese reason and its code to ``err`` and returns 2.
Several arguments are joined with spaces, so an unquoted ``Số: 15/KH-UBND`` works too.
The Django management command ``docnumber`` only wraps this function.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from khoi.lib.docnumber import NotationError, parse

EXIT_OK = 0
EXIT_REJECTED = 2

USAGE = 'Cách dùng: python manage.py docnumber "Số: 15/KH-UBND"'


def run(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Parse ``" ".join(argv)``; print the JSON result (exit 0) or the reason (exit 2)."""
    if not argv:
        err.write(f"Thiếu số, ký hiệu văn bản cần phân tích (mã: empty).\n{USAGE}\n")
        return EXIT_REJECTED
    try:
        doc = parse(" ".join(argv))
    except NotationError as exc:
        err.write(f"{exc.message} (mã: {exc.code})\n")
        return EXIT_REJECTED
    out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover - manual use without Django
    import sys

    raise SystemExit(run(sys.argv[1:], sys.stdout, sys.stderr))
