from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khoi.audit.models import AuditEntry
from khoi.audit.services import verify_chain, verify_sensitive

REASONS = {
    "missing": gettext_lazy("was deleted or is missing"),
    "broken-link": gettext_lazy(
        "does not follow the entry before it (deleted, inserted or reordered)"
    ),
    "altered": gettext_lazy("was altered"),
    "access-deleted": gettext_lazy(
        "records an identity view whose identity-view log row was deleted"
    ),
}


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit 1 naming the first bad entry."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain() or verify_sensitive()
        if problem is not None:
            raise CommandError(
                _("The audit log was tampered with: entry no. %(seq)s %(reason)s (%(code)s).")
                % {"seq": problem.seq, "reason": REASONS[problem.reason], "code": problem.reason}
            )
        self.stdout.write(
            _("The audit log is intact: %(n)s entries.") % {"n": AuditEntry.objects.count()}
        )
