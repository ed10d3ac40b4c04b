from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "khoi.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from khoi.accounts.access import get_scope
        from khoi.links import register_page

        def _log_page(user: object) -> bool:
            scope = get_scope(user)
            return bool(scope.is_admin or scope.head_office_ids)

        register_page("audit:log", _log_page)

        # every copy of the database (restore, move_database) must keep the chain intact
        from khoi.registry import IntegrityCheck, register_integrity_check

        register_integrity_check(IntegrityCheck("audit.chain", _("the audit chain"), chain_check))


def chain_check() -> str | None:
    """The audit chain's check for ``khoi.registry.INTEGRITY_CHECKS``: None when intact."""
    from khoi.audit.services import verify_chain

    broken = verify_chain()
    return None if broken is None else f"The audit chain is broken at entry #{broken.seq}."
