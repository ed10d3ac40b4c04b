"""How the audit log reads the fund's actions (registered in FundConfig.ready)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "fund.create": _("created a fund"),
    "fund.update": _("changed a fund's settings"),
    "fund.accountant.add": _("named a fund accountant"),
    "fund.accountant.remove": _("removed a fund accountant"),
    "fund.campaign.update": _("changed a fund-raising campaign"),
    "fund.campaign.create": _("created a fund-raising campaign"),
    "fund.receipt.post": _("posted a receipt"),
    "fund.receipt.import": _("imported a donation list"),
    "fund.expenditure.post": _("posted an expenditure"),
    "fund.entry.reverse": _("reversed a ledger entry"),
    "fund.household.create": _("added a household to the register"),
    "fund.household.status": _("recorded a household's poverty status"),
    "fund.household.support": _("recorded a support received by a household"),
    "fund.household.import": _("imported a household list"),
    "fund.household.rotate_keys": _("re-encrypted households' ID and phone numbers"),
    "fund.household.match": _("decided whether two household records are the same household"),
    "fund.household.identity.view": _("viewed a household's ID and phone numbers"),
    "fund.case.propose": _("proposed housing support"),
    "fund.case.verify": _("verified a housing support proposal"),
    "fund.case.appraise": _("appraised a housing support case"),
    "fund.case.approve": _("approved housing support"),
    "fund.case.decide": _("issued the housing support decision"),
    "fund.case.progress": _("recorded construction progress"),
    "fund.case.accept": _("recorded the acceptance of the house"),
    "fund.case.handover": _("recorded the handover of the house"),
    "fund.case.settle": _("settled a housing support case"),
    "fund.case.tranche1": _("paid the first tranche of housing support"),
    "fund.case.tranche2": _("paid the second tranche of housing support"),
    "fund.case.tranche1.reverse": _("stepped a housing case back: its first tranche was reversed"),
    "fund.case.tranche2.reverse": _("stepped a housing case back: its second tranche was reversed"),
    "fund.household.support.reverse": _("removed a household's support: the payment was reversed"),
}

# the extra keys the fund's services write into the audit log
FIELD_LABELS: dict[str, str | Promise] = {
    "match_decisions": _("match decisions kept"),
    "households": _("households"),
    "organization": _("organization"),
    "year": _("year"),
}
