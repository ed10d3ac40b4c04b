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
    return str(ACTION_LABELS.get(action, action))
