from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "campaign.create": _("created a campaign"),
    "campaign.organizations": _("set the organizations of a campaign"),
    "campaign.launch": _("issued the launching document of a campaign"),
    "model.create": _("created a practice model"),
    "model.recognise": _("recognised an area for a practice model"),
    "model.re_recognise": _("re-recognised an area for a practice model"),
    "solidarity.record": _("recorded a Great Solidarity Day"),
    "indicator.create": _("added an indicator"),
    "target.create": _("set a target"),
    "target.update": _("changed a target"),
    "figures.open": _("started entering figures"),
    "figures.resume": _("resumed returned figures"),
    "figures.save": _("saved figures"),
    "figures.submit": _("submitted figures"),
    "figures.approve": _("approved figures"),
    "figures.return": _("returned figures"),
    "figures.reopen": _("reopened approved figures"),
    "cluster.create": _("created an emulation cluster"),
    "cluster.members": _("set the members of a cluster"),
    "pledge.record": _("recorded a pledge"),
    "scoring.create": _("created a scoring table"),
    "scoring.update": _("changed a scoring table"),
    "scoring.criteria": _("set the criteria of a scoring table"),
    "scoring.score": _("scored a criterion by hand"),
    "scoring.rescore": _("changed a score given by hand"),
    "award.propose": _("proposed a commendation"),
    "award.vote": _("recorded the council's vote"),
    "award.decide": _("decided a commendation"),
    "award.record": _("recorded an earlier award"),
    "figures.remind": _("reminded a commune to report"),
}
