from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "khoi.org"
    label = "org"
    verbose_name = _("Units and organizations")

    def ready(self) -> None:
        from khoi.org import scale

        scale.register()

        from khoi.audit.access import register_object_getter
        from khoi.org import access

        register_object_getter("org.person", access.get_person_for_user)
        register_object_getter("org.organization", access.get_organization_for_user)
        register_object_getter(
            "org.jointoffice",
            lambda user, pk: access.get_office_for_user(
                user,
                access.JointOffice.objects.filter(pk=pk).values_list("code", flat=True).first()
                or "",
            ),
        )
