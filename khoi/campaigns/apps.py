from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "khoi.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns, emulation and commendations")

    def ready(self) -> None:
        from khoi.campaigns.batch import JOBS as BATCH_JOBS
        from khoi.registry import register_batch_job

        for job in BATCH_JOBS:
            register_batch_job(job)

        from django.utils.translation import gettext

        from khoi.lib import figures
        from khoi.links import MenuItem, register_menu

        figures.use_translation(gettext)  # the pure library's messages through the catalogue

        register_menu(
            MenuItem("campaigns:list", _("Campaigns")),
        )

        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import register_action_labels
        from khoi.campaigns import access, providers
        from khoi.campaigns.labels import ACTION_LABELS
        from khoi.registry import (
            register_agenda_provider,
            register_dashboard_provider,
            register_report_section,
        )

        register_object_getter("campaigns.campaign", access.get_campaign_for_user)
        register_object_getter("campaigns.submission", access.get_submission_for_user)
        register_object_getter("campaigns.proposal", access.get_proposal_for_user)
        register_action_labels(ACTION_LABELS)
        for provider in (
            providers.campaign_section,
            providers.ranking_section,
            providers.models_section,
        ):
            register_report_section(provider)
        register_agenda_provider(providers.agenda)
        register_dashboard_provider(providers.cards)

        from khoi.campaigns.demo import load_campaigns_demo
        from khoi.org.demo import DEMO_EXTENSIONS

        if load_campaigns_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(load_campaigns_demo)

        from khoi.campaigns import scale

        scale.register()
