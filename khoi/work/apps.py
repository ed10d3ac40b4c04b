from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "khoi.work"
    label = "work"
    verbose_name = _("Plans, joint work and tasks")

    def ready(self) -> None:
        from khoi.work import scale

        scale.register()

        from khoi.registry import register_batch_job
        from khoi.work.batch import JOBS as BATCH_JOBS

        for job in BATCH_JOBS:
            register_batch_job(job)

        from khoi.registry import register_overlap_source
        from khoi.work.national import SOURCE as OVERLAP_SOURCE

        register_overlap_source(OVERLAP_SOURCE)

        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import register_action_labels
        from khoi.work import access
        from khoi.work.labels import ACTION_LABELS

        register_object_getter("work.activity", access.get_activity_for_user)
        register_object_getter("work.jointactivity", access.get_joint_for_user)
        register_object_getter("work.task", access.get_task_for_user)
        register_object_getter("work.plan", access.get_plan_for_user)
        register_action_labels(ACTION_LABELS)

        from functools import partial

        from khoi.accounts.access import readable_offices
        from khoi.links import register_object, register_page

        # the overlap scan works on one office the user reads in full
        register_page("work:overlap_scan", lambda user: readable_offices(user).exists())

        for object_type, readable, name in (
            ("work.activity", access.activities_for_user, "work:activity_detail"),
            ("work.jointactivity", access.joints_for_user, "work:joint_detail"),
            ("work.task", access.tasks_for_user, "work:task_detail"),
            ("work.plan", access.plans_for_user, "work:plan_detail"),
        ):
            register_object(object_type, readable, partial(_url, name))

        from khoi.org.demo import DEMO_EXTENSIONS
        from khoi.work.demo import load_work_demo

        DEMO_EXTENSIONS.append(load_work_demo)

        from khoi.registry import register_dashboard_provider
        from khoi.work.dashboard import work_cards

        register_dashboard_provider(work_cards)

        from khoi.registry import (
            LinkKind,
            register_agenda_provider,
            register_link_kind,
            register_report_section,
        )
        from khoi.work import agenda, sections

        for provider in sections.PROVIDERS:
            register_report_section(provider)
        for suggest in agenda.PROVIDERS:
            register_agenda_provider(suggest)
        register_link_kind(
            LinkKind(
                key="plans", model="work.plan", label=_("Plans carrying it out"),
                choices=access.linkable_plans, describe=access.describe_plan,
                url_name="work:plan_detail", order=10, api_field="plan_ids",
            )
        )  # fmt: skip
        register_link_kind(
            LinkKind(
                key="activities", model="work.activity", label=_("Activities carrying it out"),
                choices=access.linkable_activities, describe=access.describe_activity,
                url_name="work:activity_detail", order=20, api_field="activity_ids",
            )
        )  # fmt: skip

        from khoi.registry import register_activity_credits
        from khoi.work.credits import activity_credits

        register_activity_credits(activity_credits)

        from khoi.registry import register_timeline_provider
        from khoi.work.timeline import activity_timeline

        register_timeline_provider(activity_timeline)


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])
