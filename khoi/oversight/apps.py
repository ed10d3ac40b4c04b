from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "khoi.oversight"
    label = "oversight"
    verbose_name = _("Supervision, social criticism and recommendations")

    def ready(self) -> None:
        from khoi.links import MenuItem, register_menu

        register_menu(
            MenuItem("oversight:index", _("Supervision")),
        )

        from khoi.audit.labels import register_action_labels, register_field_labels
        from khoi.oversight.labels import ACTION_LABELS, FIELD_LABELS

        register_action_labels(ACTION_LABELS)
        register_field_labels(FIELD_LABELS)

        from khoi.oversight.ready_criticism import ready as criticism_ready

        criticism_ready()
