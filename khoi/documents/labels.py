from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "document.register": _("registered a document"),
    "document.issue": _("issued a numbered document"),
    "document.update": _("changed a document"),
    "document.link": _("linked a document to plans, activities or meetings"),
    "document.attach": _("attached a file to a document"),
    "report.prepare": _("prepared a periodic report"),
    "report.edit": _("edited the narrative of a report"),
    "report.issue": _("issued a periodic report"),
    "report.freeze": _("froze the figures and text of an issued report"),
    "report.correct": _("opened a correction of an issued report"),
    "report.replace": _("replaced an issued report by its correction"),
}
