"""``manage.py fund_verify``: exit 0 on intact ledgers, 1 naming the first changed entry
(in Vietnamese, without codes)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from khoi.fund.providers import ledger_problem_text
from khoi.fund.services import verify_ledgers


class Command(BaseCommand):
    help = "Verify the keyed hash chain of every fund's ledger; exit 1 naming the first bad entry."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = verify_ledgers()
        if problem is not None:
            sys.stderr.write(ledger_problem_text(problem) + "\n")
            sys.exit(1)
        self.stdout.write(_("The fund ledgers are intact: %(n)s entries.") % {"n": checked})
