"""Who may see and run meetings.

- Office staff and the office head see and run every meeting of their office; viewers
  read the meetings of the offices inside their granted units; members of the office's
  member organizations read its meetings; anyone invited reads the meetings they attend.
- Commune reporters (unless invited) and outsiders see nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from khoi.accounts import access as offices
from khoi.accounts.access import get_scope, not_found, readable_offices
from khoi.meetings.models import Meeting
from khoi.org.models import JointOffice


def meetings_for_user(user: Any) -> QuerySet[Meeting]:
    scope = get_scope(user)
    if scope.is_admin:
        return Meeting.objects.all()
    q = Q(office__in=readable_offices(user))
    if scope.person_id:
        q |= Q(attendances__person_id=scope.person_id) | Q(chair_id=scope.person_id)
    ids = Meeting.objects.filter(q).values("pk")
    return Meeting.objects.filter(pk__in=ids)


def get_meeting_for_user(user: Any, pk: int) -> Meeting:
    meeting = (
        meetings_for_user(user)
        .select_related("office__unit", "chair", "secretary", "series")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise not_found()
    return meeting


def can_manage(user: Any, office: JointOffice | int) -> bool:
    """Office staff and the office head prepare meetings and keep the minutes."""
    return offices.can_staff_office(user, office)


# Offices where the user prepares meetings (answered in khoi.accounts.access).
managed_offices = offices.staff_offices


# --- What the document register may link to (khoi.registry.LinkKind) ----------------------------


def linkable_meetings(office: JointOffice) -> QuerySet[Meeting]:
    return Meeting.objects.filter(office=office).order_by("-starts_at", "-id")


def describe_meeting(meeting: Meeting) -> str:
    return meeting.title
