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
        from khoi.meetings import access, sections
        from khoi.meetings.labels import ACTION_LABELS
        from khoi.registry import LinkKind, register_link_kind, register_report_section

        register_object_getter("meetings.meeting", access.get_meeting_for_user)
        register_action_labels(ACTION_LABELS)

        from django.urls import reverse

        from khoi.links import register_object

        register_object(
            "meetings.meeting", access.meetings_for_user,
            lambda pk: reverse("meetings:detail", args=[pk]),
        )  # fmt: skip
        register_report_section(sections.meetings_section)
        register_link_kind(
            LinkKind(
                key="meetings", model="meetings.meeting", label=_("Meetings"),
                choices=access.linkable_meetings, describe=access.describe_meeting,
                url_name="meetings:detail", order=30, api_field="meeting_ids",
            )
        )  # fmt: skip

        from khoi.meetings.demo import load_meetings_demo
        from khoi.org.demo import DEMO_EXTENSIONS

        if load_meetings_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(load_meetings_demo)
