"""``manage.py fund_verify``: exit 0 on intact ledgers, 1 naming the first changed entry."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from khoi.fund.services import verify_ledgers

REASONS = {
    "missing": "bị xóa hoặc thiếu",
    "broken-link": "không nối đúng với bút toán trước (bị xóa, chèn hoặc đổi thứ tự)",
    "altered": "bị sửa nội dung (số tiền hoặc thông tin khác)",
}


class Command(BaseCommand):
    help = "Verify the hash chain of every fund's ledger; exit 1 naming the first bad entry."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = verify_ledgers()
        if problem is not None:
            number = f" (số {problem.number})" if problem.number else ""
            sys.stderr.write(
                f"Sổ quỹ bị can thiệp: quỹ «{problem.fund_name}» (mã {problem.fund_id}), "
                f"bút toán #{problem.seq}{number} {REASONS[problem.reason]} ({problem.reason}).\n"
            )
            sys.exit(1)
        self.stdout.write(f"Sổ quỹ toàn vẹn: {checked} bút toán.")
