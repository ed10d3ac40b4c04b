from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "meeting.create": _("scheduled a meeting"),
    "meeting.schedule": _("set up a recurring meeting schedule"),
    "meeting.prefill": _("filled the agenda from live data"),
    "meeting.add_item": _("added an agenda item"),
    "meeting.attendance": _("recorded attendance"),
    "meeting.minutes": _("wrote minutes"),
    "meeting.outcome": _("recorded a meeting outcome"),
    "meeting.close": _("closed a meeting"),
    "meeting.correct": _("corrected the minutes of a closed meeting"),
    "calendar.create": _("created a calendar feed address"),
    "calendar.revoke": _("revoked a calendar feed address"),
}
