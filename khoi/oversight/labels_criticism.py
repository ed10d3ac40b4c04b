"""Readable names of the audit actions and keys of social criticism and feedback rounds."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "critique.receive": _("received a draft for social criticism"),
    "critique.update": _("changed the record of a draft"),
    "critique.sections": _("entered the sections of a draft"),
    "critique.section_add": _("added a section to a draft"),
    "critique.comment": _("commented on a draft"),
    "critique.issue": _("issued a critique"),
    "critique.point_answer": _("recorded the answer to a point of a critique"),
    "critique.answer": _("recorded the drafting body's answer"),
    "feedback.open": _("opened a feedback round"),
    "feedback.opinion": _("recorded an opinion of a feedback round"),
    "feedback.report": _("sent the report of a feedback round"),
}

FIELD_LABELS: dict[str, str | Promise] = {
    "sections": _("sections of the draft"),
}
