from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "khoi.petitions"
    label = "petitions"
    verbose_name = _("Petitions and citizen reception")

    def ready(self) -> None:
        from khoi.petitions.batch import JOBS as BATCH_JOBS
        from khoi.registry import register_batch_job

        for job in BATCH_JOBS:
            register_batch_job(job)

        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import register_action_labels
        from khoi.org.demo import DEMO_EXTENSIONS
        from khoi.petitions import access
        from khoi.petitions.clocks import recompute_open_clocks
        from khoi.petitions.demo import load_petitions_demo
        from khoi.petitions.labels import ACTION_LABELS
        from khoi.petitions.providers import (
            petition_agenda,
            petition_cards,
            petition_report_section,
        )
        from khoi.registry import (
            register_agenda_provider,
            register_calendar_listener,
            register_dashboard_provider,
            register_report_section,
        )

        register_object_getter("petitions.petition", access.get_petition_for_user)
        register_action_labels(ACTION_LABELS)

        from django.urls import reverse

        from khoi.accounts.access import get_scope
        from khoi.links import register_object, register_page

        register_object(
            "petitions.petition", access.petitions_for_user,
            lambda pk: reverse("petitions:petition_detail", args=[pk]),
        )  # fmt: skip

        def _petitions_page(user: object) -> bool:
            scope = get_scope(user)
            return bool(scope.is_admin or scope.staff_office_ids or scope.grant_roots)

        register_page("petitions:petition_list", _petitions_page)
        if load_petitions_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(load_petitions_demo)
        register_report_section(petition_report_section)
        register_agenda_provider(petition_agenda)
        register_dashboard_provider(petition_cards)
        register_calendar_listener(recompute_open_clocks)
        from khoi.petitions import scale

        scale.register()
        _register_land_clearance()


def _register_land_clearance() -> None:
    """Key projects' land clearance: pages, links, timeline, report, agenda, demo."""
    from django.urls import reverse

    from khoi.audit.access import register_object_getter
    from khoi.audit.labels import register_action_labels
    from khoi.links import register_object
    from khoi.org.demo import DEMO_EXTENSIONS
    from khoi.petitions import clearance_access as access
    from khoi.petitions.clearance_demo import load_clearance_demo
    from khoi.petitions.clearance_providers import (
        TIMELINE_PROVIDERS,
        clearance_agenda,
        clearance_cards,
        clearance_report_section,
    )
    from khoi.petitions.labels import CLEARANCE_LABELS
    from khoi.registry import (
        LinkKind,
        ProjectDirectory,
        register_agenda_provider,
        register_dashboard_provider,
        register_link_kind,
        register_project_directory,
        register_report_section,
        register_timeline_provider,
    )

    register_action_labels(CLEARANCE_LABELS)
    register_object_getter("petitions.keyproject", access.get_project_for_user)
    register_object_getter("petitions.coordinationrules", access.get_rules_for_user)
    register_object_getter("petitions.obligation", access.get_obligation_for_user)
    register_object_getter("petitions.affectedhousehold", access.get_household_for_user)
    register_object(
        "petitions.keyproject", access.projects_for_user,
        lambda pk: reverse("petitions:project_detail", args=[pk]),
    )  # fmt: skip
    register_object(
        "petitions.coordinationrules", access.rules_for_user,
        lambda pk: reverse("petitions:rules_detail", args=[pk]),
    )  # fmt: skip
    register_link_kind(
        LinkKind(
            key="coordination_rules", model="petitions.coordinationrules",
            label=_("Coordination rules on land clearance"), choices=access.linkable_rules,
            describe=access.describe_rules, url_name="petitions:rules_detail", order=40,
            api_field="coordination_rule_ids",
        )
    )  # fmt: skip
    register_link_kind(
        LinkKind(
            key="key_projects", model="petitions.keyproject", label=_("Key projects"),
            choices=access.linkable_projects, describe=access.describe_project,
            url_name="petitions:project_detail", order=45, api_field="key_project_ids",
        )
    )  # fmt: skip
    for provider in TIMELINE_PROVIDERS:
        register_timeline_provider(provider)
    register_project_directory(
        ProjectDirectory(
            model="petitions.keyproject", choices=access.project_choices,
            describe=access.project_cards,
        )
    )  # fmt: skip
    register_report_section(clearance_report_section)
    register_agenda_provider(clearance_agenda)
    register_dashboard_provider(clearance_cards)
    if load_clearance_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(load_clearance_demo)
