from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "khoi.workcalendar"
    label = "workcalendar"
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from khoi.audit.labels import register_action_labels

        register_action_labels(
            {
                "calendar.override_add": _("added a day to the working calendar"),
                "calendar.override_change": _("changed a day of the working calendar"),
                "calendar.override_delete": _("removed a day from the working calendar"),
            }
        )
