from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "petition.letter": _("wrote a letter of the Front on a petition"),
    "petition.create": _("recorded a petition"),
    "petition.petitioners": _("recorded the petitioners (identity protected)"),
    "petition.attach": _("attached a scan to a petition"),
    "petition.classify": _("classified a petition"),
    "petition.forward": _("forwarded a petition"),
    "petition.forwarding": _("wrote a forwarding letter"),
    "petition.guide": _("gave guidance on a petition"),
    "petition.file": _("kept a petition on file"),
    "petition.accept": _("recorded the authority's acceptance"),
    "petition.resolve": _("recorded the authority's result"),
    "petition.supervise": _("opened a supervision of a resolution"),
    "petition.close": _("closed a petition"),
    "petition.extend": _("extended a petition's deadline"),
    "petition.assign": _("assigned a case handler"),
    "petition.unassign": _("ended a case assignment"),
    "petition.update": _("marked a petition as a repeat"),
    "petition.duplicate_confirm": _("confirmed a repeated petition"),
    "petition.duplicate_dismiss": _("dismissed a possible repeat"),
    "petition.remind": _("sent a petition deadline reminder"),
    "petition.rotate_keys": _("re-encrypted petitioners' identities with the current key"),
    "petition.recompute": _("recomputed a petition deadline after a calendar change"),
    "reception.create": _("recorded a citizen reception session"),
    "keyproject.create": _("added a key project"),
}


# Land clearance of the key projects.
CLEARANCE_LABELS: dict[str, str | Promise] = {
    "clearance.rules_create": _("recorded coordination rules on land clearance"),
    "clearance.obligation_add": _("added an obligation of coordination rules"),
    "clearance.obligation_status": _("changed the status of an obligation"),
    "clearance.household_add": _("added a household affected by a key project"),
    "clearance.stage": _("recorded a land clearance stage of a household"),
    "clearance.visit": _("recorded a mobilization visit or dialogue"),
}


# Steps of a petition's timeline that change no status (the others show their new status).
EVENT_LABELS: dict[str, str | Promise] = {
    "receive": _("received"),
    "assign": _("case handler assigned"),
    "extend": _("deadline extended"),
    "limitation": _("received after the time limit for complaints"),
}


def event_label(action: str) -> str:
    """A timeline step as a person reads it; a step this code does not know reads "step"."""
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    if f"petition.{action}" in ACTION_LABELS:
        return str(ACTION_LABELS[f"petition.{action}"])
    return str(_("handling step"))
