from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Khối on servers: security headers, rate limits, the read-replica router,
    health checks, backup and restore, the scale generator."""

    name = "khoi.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from khoi.ops import checks  # noqa: F401  (checks registers itself)
