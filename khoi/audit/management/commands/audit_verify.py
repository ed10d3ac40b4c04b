from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khoi.audit.models import AuditEntry
from khoi.audit.services import verify_chain, verify_sensitive

REASONS = {
    "missing": "bị xóa hoặc thiếu",
    "broken-link": "không nối đúng với bản ghi trước (bị xóa, chèn hoặc đổi thứ tự)",
    "altered": "bị sửa nội dung",
    "access-deleted": "ghi một lần xem danh tính mà dòng nhật ký xem danh tính tương ứng đã bị xóa",
}


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit 1 naming the first bad entry."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain() or verify_sensitive()
        if problem is not None:
            raise CommandError(
                f"Nhật ký bị can thiệp: bản ghi #{problem.seq} {REASONS[problem.reason]} "
                f"({problem.reason})."
            )
        self.stdout.write(f"Nhật ký toàn vẹn: {AuditEntry.objects.count()} bản ghi.")
