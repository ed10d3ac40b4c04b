"""``manage.py fund_verify``: exit 0 on intact ledgers, 1 naming the first changed entry
(in Vietnamese, without codes)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khoi.fund.services import verify_ledgers

REASONS = {
    "missing": gettext_lazy("was deleted or is missing"),
    "broken-link": gettext_lazy(
        "does not follow the entry before it (deleted, inserted or reordered)"
    ),
    "altered": gettext_lazy("was altered (amount or other details)"),
    "added": gettext_lazy("was added outside the application (not posted through it)"),
}


class Command(BaseCommand):
    help = "Verify the keyed hash chain of every fund's ledger; exit 1 naming the first bad entry."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = verify_ledgers()
        if problem is not None:
            number = _(" (no. %(n)s)") % {"n": problem.number} if problem.number else ""
            message = _(
                "The fund ledger was tampered with: fund «%(fund)s» (id %(id)s), "
                "entry #%(seq)s%(number)s %(reason)s."
            ) % {
                "fund": problem.fund_name, "id": problem.fund_id, "seq": problem.seq,
                "number": number, "reason": REASONS[problem.reason],
            }  # fmt: skip
            if problem.resealed_from:
                message += " " + _(
                    "Its amount, number or date differs from the audit log, and the seals "
                    "from entry #%(seq)s on were recomputed outside the application."
                ) % {"seq": problem.resealed_from}
            sys.stderr.write(message + "\n")
            sys.exit(1)
        self.stdout.write(_("The fund ledgers are intact: %(n)s entries.") % {"n": checked})
