from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "khoi.work"
    label = "work"
    verbose_name = _("Plans, joint work and tasks")

    def ready(self) -> None:
        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import register_action_labels
        from khoi.work import access
        from khoi.work.labels import ACTION_LABELS

        register_object_getter("work.activity", access.get_activity_for_user)
        register_object_getter("work.jointactivity", access.get_joint_for_user)
        register_object_getter("work.task", access.get_task_for_user)
        register_object_getter("work.plan", access.get_plan_for_user)
        register_action_labels(ACTION_LABELS)

        from khoi.org.demo import DEMO_EXTENSIONS
        from khoi.work.demo import load_work_demo

        DEMO_EXTENSIONS.append(load_work_demo)

        from khoi.registry import register_dashboard_provider
        from khoi.work.dashboard import work_cards

        register_dashboard_provider(work_cards)

        from khoi.registry import register_activity_credits
        from khoi.work.credits import activity_credits

        register_activity_credits(activity_credits)
