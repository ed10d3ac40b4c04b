from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "oversight.recommendation.create": _("recorded a recommendation"),
    "oversight.recommendation.status": _("changed the status of a recommendation"),
    "oversight.recommendation.due": _("moved the answer due date of a recommendation"),
    "oversight.recommendation.withdraw": _("withdrew a recommendation"),
    "oversight.recommendation.withdraw_reason": _("gave the reason for withdrawing"),
    "oversight.answer.create": _("recorded the answer to a recommendation"),
    "oversight.followup.create": _("followed up a recommendation"),
    "oversight.programme.create": _("created a supervision programme"),
    "oversight.programme.adopt": _("adopted a supervision programme"),
    "oversight.supervision.create": _("planned a supervision"),
    "oversight.supervision.update": _("changed a supervision"),
    "oversight.supervision.step": _("recorded a step of a supervision"),
    "oversight.member.add": _("added a member to a supervision delegation"),
    "oversight.member.remove": _("removed a member from a supervision delegation"),
    "oversight.session.create": _("recorded a working session"),
    "oversight.legal_basis.create": _("added a legal basis of supervision"),
    "oversight.legal_basis.change": _("changed a legal basis of supervision"),
    "oversight.legal_basis.delete": _("deleted a legal basis of supervision"),
    "oversight.lead_time.create": _("added a lead time of supervision"),
    "oversight.lead_time.change": _("changed a lead time of supervision"),
    "oversight.lead_time.delete": _("deleted a lead time of supervision"),
    "oversight.criticism_rule.create": _("added a period of social criticism"),
    "oversight.criticism_rule.change": _("changed a period of social criticism"),
    "oversight.criticism_rule.delete": _("deleted a period of social criticism"),
}

FIELD_LABELS: dict[str, str | Promise] = {
    "reason": _("reason"),
}
