"""Registrations of social criticism and feedback rounds, called from the app's
``AppConfig.ready()`` (kept apart so that the app's own ready stays small)."""

from __future__ import annotations


def ready() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from khoi.audit.access import register_object_getter
    from khoi.audit.labels import register_action_labels, register_field_labels
    from khoi.links import MenuItem, register_menu, register_object, register_page
    from khoi.org.demo import DEMO_EXTENSIONS
    from khoi.oversight import access_criticism as access
    from khoi.oversight import providers_criticism as providers
    from khoi.oversight.demo_criticism import load_criticism_demo
    from khoi.oversight.labels_criticism import ACTION_LABELS, FIELD_LABELS
    from khoi.registry import (
        register_agenda_provider,
        register_dashboard_provider,
        register_report_section,
    )

    register_object_getter("oversight.critique", access.get_critique_for_user)
    register_object_getter("oversight.feedbackround", access.get_round_for_user)
    register_action_labels(ACTION_LABELS)
    register_field_labels(FIELD_LABELS)
    register_object(
        "oversight.critique", access.critiques_for_user,
        lambda pk: reverse("oversight:critique_detail", args=[pk]),
    )  # fmt: skip
    register_object(
        "oversight.feedbackround", access.rounds_for_user,
        lambda pk: reverse("oversight:feedback_detail", args=[pk]),
    )  # fmt: skip
    register_page("oversight:critique_list", lambda user: access.critique_offices(user).exists())
    register_page("oversight:criticism_rules", lambda user: access.critique_offices(user).exists())
    register_page("oversight:critique_create", lambda user: access.managed_offices(user).exists())
    register_page("oversight:feedback_list", lambda user: access.feedback_offices(user).exists())
    register_page("oversight:feedback_create", lambda user: access.managed_offices(user).exists())
    register_menu(
        MenuItem("oversight:critique_list", _("Social criticism"), more=True),
        MenuItem("oversight:feedback_list", _("Feedback rounds"), more=True),
    )
    register_report_section(providers.critiques_section)
    register_report_section(providers.feedback_section)
    register_agenda_provider(providers.agenda)
    register_dashboard_provider(providers.cards)
    if load_criticism_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(load_criticism_demo)

    from django.apps import apps
    from django.db.models.signals import post_migrate

    from khoi.oversight.criticism_rules import on_post_migrate

    post_migrate.connect(
        on_post_migrate,
        sender=apps.get_app_config("oversight"),
        dispatch_uid="oversight.criticism_rules",
    )
    from khoi.oversight.statutory import on_post_migrate as statutory_post_migrate

    post_migrate.connect(
        statutory_post_migrate,
        sender=apps.get_app_config("oversight"),
        dispatch_uid="oversight.statutory",
    )
