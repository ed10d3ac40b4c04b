from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "khoi.documents"
    label = "documents"
    verbose_name = _("Document register and periodic reports")

    def ready(self) -> None:
        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import register_action_labels
        from khoi.documents import access, links, sections
        from khoi.documents.labels import ACTION_LABELS
        from khoi.registry import register_related_provider, register_report_section

        register_object_getter("documents.document", access.get_document_for_user)
        register_object_getter("documents.periodicreport", access.get_report_for_user)
        register_action_labels(ACTION_LABELS)
        register_report_section(sections.documents_section)
        register_related_provider(links.documents_linked_to)

        from django.urls import reverse

        from khoi.links import register_object, register_page

        register_object(
            "documents.document", access.documents_for_user,
            lambda pk: reverse("documents:detail", args=[pk]),
        )  # fmt: skip
        register_object(
            "documents.periodicreport", access.reports_for_user,
            lambda pk: reverse("documents:report_detail", args=[pk]),
        )  # fmt: skip
        for page in ("documents:list", "documents:report_list"):
            register_page(page, lambda user: access.readable_offices(user).exists())

        from khoi.documents.demo import load_documents_demo
        from khoi.org.demo import DEMO_EXTENSIONS

        if load_documents_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(load_documents_demo)

        from khoi.documents import scale

        scale.register()
