"""Activities on a key project's one timeline (``khoi.registry.timeline``).

An activity may name the key project it is carried out for (``Activity.key_project_id``,
the id of a project offered by the registry's project directory). The provider answers for a
project object only (``khoi.registry.is_key_project``: work never imports petitions), with the
activities the user may open (``access.activities_for_user``): one query.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from khoi.registry import TimelineEntry, is_key_project
from khoi.work import access
from khoi.work.models import Activity


def activity_timeline(user: Any, obj: Any) -> list[TimelineEntry]:
    if not is_key_project(obj):
        return []
    rows = (
        access.activities_for_user(user)
        .filter(key_project_id=obj.pk, office_id=obj.office_id)
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("organization")
        .order_by("start_on", "pk")
    )
    out: list[TimelineEntry] = []
    for a in rows:
        org = a.organization.short_name or a.organization.name
        detail = f"{org} · {a.get_status_display()}"
        out.append(
            TimelineEntry(
                a.start_on,
                _("Activity"),
                a.title,
                detail,
                reverse("work:activity_detail", args=[a.pk]),
            )
        )
    return out
