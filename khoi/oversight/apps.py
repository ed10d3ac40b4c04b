from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _can_plan(user: Any) -> bool:
    from khoi.oversight import access

    return access.writable_offices(user).exists()


def _can_programme(user: Any) -> bool:
    from khoi.oversight import access

    return _can_plan(user) and access.writable_units(user) is None


class OversightConfig(AppConfig):
    name = "khoi.oversight"
    label = "oversight"
    verbose_name = _("Supervision, social criticism and recommendations")

    def ready(self) -> None:
        from django.urls import reverse

        from khoi.links import MenuItem, register_menu, register_object, register_page
        from khoi.oversight import access, providers

        register_menu(
            MenuItem("oversight:index", _("Supervision")),
            MenuItem("oversight:recommendation_list", _("Recommendations"), more=True),
        )
        for name in ("oversight:index", "oversight:recommendation_list",
                     "oversight:recommendation_export", "oversight:summary_docx"):  # fmt: skip
            register_page(name, access.opens_app)
        register_page("oversight:supervision_create", _can_plan)
        register_page("oversight:recommendation_create", _can_plan)
        register_page("oversight:programme_create", _can_programme)
        register_object(
            "oversight.supervision", access.supervisions_for_user,
            lambda pk: reverse("oversight:supervision_detail", args=[pk]),
        )  # fmt: skip
        register_object(
            "oversight.recommendation", access.recommendations_for_user,
            lambda pk: reverse("oversight:recommendation_detail", args=[pk]),
        )  # fmt: skip
        register_object(
            "oversight.programme", access.programmes_for_user,
            lambda pk: reverse("oversight:programme_detail", args=[pk]),
        )  # fmt: skip

        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import register_action_labels, register_field_labels
        from khoi.oversight.labels import ACTION_LABELS, FIELD_LABELS

        register_action_labels(ACTION_LABELS)
        register_field_labels(FIELD_LABELS)
        register_object_getter("oversight.supervision", access.get_supervision_for_user)
        register_object_getter("oversight.recommendation", access.get_recommendation_for_user)
        register_object_getter("oversight.programme", access.get_programme_for_user)

        from khoi.registry import (
            LinkKind,
            register_agenda_provider,
            register_dashboard_provider,
            register_link_kind,
            register_report_section,
            register_timeline_provider,
        )

        register_report_section(providers.supervisions_section)
        register_report_section(providers.recommendations_section)
        register_agenda_provider(providers.agenda)
        register_dashboard_provider(providers.cards)
        register_timeline_provider(providers.timeline)
        register_link_kind(
            LinkKind(
                key="supervisions", model="oversight.supervision", label=_("Supervisions"),
                choices=providers.linkable_supervisions, describe=providers.describe_supervision,
                url_name="oversight:supervision_detail", order=60, api_field="supervision_ids",
            )
        )  # fmt: skip

        from khoi.org.demo import DEMO_EXTENSIONS
        from khoi.oversight.demo import load_oversight_demo

        if load_oversight_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(load_oversight_demo)

        from khoi.oversight.ready_criticism import ready as criticism_ready

        criticism_ready()

        from khoi.oversight import scale

        scale.register()
