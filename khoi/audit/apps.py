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
