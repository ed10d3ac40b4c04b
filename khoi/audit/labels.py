"""Readable names of audit actions. Apps add theirs with ``register_action_labels``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "units.import": _("imported administrative units"),
    "area.create": _("added a residential area"),
    "organization.create": _("added an organization"),
    "office.create": _("created a joint office"),
    "office.set_organizations": _("set the member organizations"),
    "subcommittee.create": _("added a sub-committee"),
    "person.create": _("added a person"),
    "person.update": _("changed a person"),
    "person.link_user": _("linked a login to a person"),
    "membership.create": _("added a position"),
    "membership.end": _("ended a position"),
    "delegation.create": _("delegated the head's authority to a deputy"),
    "grant.create": _("granted access to a unit"),
    "user.create": _("created a login"),
    "user.2fa_enable": _("turned on two-factor sign-in"),
    "user.2fa_disable": _("turned off two-factor sign-in"),
    "user.password_change": _("changed a password"),
    "token.create": _("created an API token"),
    "token.revoke": _("revoked an API token"),
}


def register_action_labels(labels: dict[str, str | Promise]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The readable action; an action no app registers (an old entry) reads "made a change"."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else str(_("made a change"))


# Names of changed fields for which the model gives no translated verbose_name, and of
# the extra keys services write (counts, redacted markers...). Apps may add theirs with
# ``register_field_labels``; a key found nowhere is shown as "Chi tiết" (never the code).
FIELD_LABELS: dict[str, str | Promise] = {
    "action": _("action"),
    "actor": _("who"),
    "approved_at": _("approved at"),
    "approved_by": _("approved by"),
    "assigned_at": _("assigned at"),
    "assigned_by": _("assigned by"),
    "attachment": _("attachment"),
    "author": _("author"),
    "closed_at": _("closed at"),
    "closed_by": _("closed by"),
    "commune": _("commune"),
    "communes": _("communes"),
    "completed_on": _("completed on"),
    "confidential": _("confidential"),
    "content_type": _("file type"),
    "count": _("number of rows"),
    "created_at": _("created at"),
    "created_by": _("created by"),
    "current": _("current unit"),
    "decided_at": _("decided at"),
    "decided_by": _("decided by"),
    "dismissed_at": _("dismissed at"),
    "dismissed_by": _("dismissed by"),
    "district": _("district"),
    "districts": _("districts"),
    "document": _("document"),
    "effective_on": _("effective on"),
    "ended_at": _("ended at"),
    "explanation": _("explanation"),
    "extensions": _("extensions"),
    "file": _("file"),
    "first": _("first activity"),
    "former": _("former unit"),
    "from_status": _("from status"),
    "handler": _("case handler"),
    "identity": _("identity"),
    "item": _("agenda item"),
    "items": _("agenda items"),
    "kind": _("kind"),
    "meeting": _("meeting"),
    "met_on": _("met on"),
    "month": _("month"),
    "narrative": _("narrative"),
    "next_due": _("next deadline"),
    "next_rule": _("next deadline rule"),
    "note": _("note"),
    "office": _("joint office"),
    "on": _("date"),
    "original": _("original petition"),
    "parent": _("parent unit"),
    "password": _("password"),
    "person": _("person"),
    "petition": _("petition"),
    "petitioners": _("number of petitioners"),
    "plan": _("plan"),
    "position": _("position"),
    "proposed_by": _("proposed by"),
    "province": _("province"),
    "provinces": _("provinces"),
    "reason": _("reason"),
    "recipients": _("number of recipients"),
    "redacted_copy": _("redacted copy"),
    "reminded_on": _("reminded on"),
    "revoked_at": _("revoked at"),
    "score": _("score"),
    "second": _("second activity"),
    "series": _("meeting schedule"),
    "size": _("size (bytes)"),
    "skipped_rows": _("skipped rows"),
    "source": _("source"),
    "source_label": _("source"),
    "state": _("state"),
    "successions": _("succession links"),
    "task": _("task"),
    "to_status": _("to status"),
    "token": _("address"),
    "two_factor": _("two-factor sign-in"),
    "unit": _("administrative unit"),
    "units": _("related units"),
    "uploaded_at": _("uploaded at"),
    "uploaded_by": _("uploaded by"),
    "url": _("link"),
    "user": _("login"),
    "sha256": _("file fingerprint (SHA-256)"),
    "totp_last_step": _("last two-factor code used"),
    "identifier": _("username or email"),
    "ip_address": _("IP address"),
    "prefix": _("token prefix"),
    "last_used_at": _("last used at"),
    "object_type": _("kind of linked record"),
    "object_id": _("linked record"),
    "numbering_key": _("numbering series"),
    "key": _("numbering series"),
    "last_number": _("last number"),
    "office_id_ref": _("joint office"),
    "band": _("content group"),
}

# Derived values kept for search and matching (folded text, blind indexes, hashes): they
# repeat or hide what another field says, so a history does not show them.
HIDDEN_KEYS = frozenset(
    {"name_folded", "title_folded", "summary_folded", "search_folded", "name_key",
     "content_tokens", "name_index", "household_index", "key_hash"}
)  # fmt: skip


def register_field_labels(labels: dict[str, str | Promise]) -> None:
    FIELD_LABELS.update(labels)
