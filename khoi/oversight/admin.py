from __future__ import annotations

from django.contrib import admin

from khoi.oversight.admin_audit import AuditedAdmin
from khoi.oversight.models import LeadTime, LegalBasis

# The rules and lead times of supervision, edited by site administrators (each row carries
# its source and dates in force; every save and delete audited). Everything else changes
# through the pages and services.


@admin.register(LegalBasis)
class LegalBasisAdmin(AuditedAdmin):
    audit_action = "oversight.legal_basis"
    list_display = ("number", "name", "issued_on", "valid_from", "valid_until", "scope")
    list_filter = ("scope",)


@admin.register(LeadTime)
class LeadTimeAdmin(AuditedAdmin):
    audit_action = "oversight.lead_time"
    list_display = ("key", "days", "working_days", "valid_from", "valid_until", "source")
    list_filter = ("key",)


from khoi.oversight import admin_criticism  # noqa: E402, F401  (periods of social criticism)
