from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "khoi.meetings"
    label = "meetings"
    verbose_name = _("Briefing meetings")

    def ready(self) -> None:
        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import register_action_labels
        from khoi.meetings import access, providers_work, sections
        from khoi.meetings.labels import ACTION_LABELS
        from khoi.registry import register_agenda_provider, register_report_section

        register_object_getter("meetings.meeting", access.get_meeting_for_user)
        register_action_labels(ACTION_LABELS)

        from django.urls import reverse

        from khoi.links import register_object

        register_object(
            "meetings.meeting", access.meetings_for_user,
            lambda pk: reverse("meetings:detail", args=[pk]),
        )  # fmt: skip
        for provider in providers_work.PROVIDERS:
            register_agenda_provider(provider)
        register_report_section(sections.meetings_section)

        from khoi.meetings.demo import load_meetings_demo
        from khoi.org.demo import DEMO_EXTENSIONS

        if load_meetings_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(load_meetings_demo)
