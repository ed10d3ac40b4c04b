"""Who may see and do what in social criticism and feedback rounds.

Critiques (drafts received for social criticism):
- read: the office's staff and head, viewers granted a unit containing the office, and the
  members of the office's organizations (leaders included); commune reporters and
  outsiders see nothing (404, like a missing draft);
- receive a draft, enter its sections, issue the critique, record the drafting body's
  answer: the office's staff and head;
- add a comment while the critique is open: the office's staff and head (for any author),
  and the leaders of the office's organizations (for their own organization).

Feedback rounds (218-QĐ/TW):
- read: the same readers as critiques, plus the reporters of the communes inside the
  office's unit, who see only the opinions of their own commune;
- open a round, send its report, make its recommendations: the office's staff and head;
- add an opinion while the round is open: staff (any source), leaders of the office's
  organizations (their organization), commune reporters (residents' meetings and citizens
  of their own commune only).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from khoi.accounts.access import (
    can_staff_office,
    full_read_office_ids,
    get_scope,
    not_found,
    readable_office_ids,
)
from khoi.org.models import AdminUnit, JointOffice, Organization
from khoi.oversight.models.criticism import Critique
from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound


def critique_offices(user: Any) -> QuerySet[JointOffice]:
    ids = readable_office_ids(user)
    qs = JointOffice.objects.all() if ids is None else JointOffice.objects.filter(pk__in=ids)
    return qs.select_related("unit").order_by("name")


def critiques_for_user(user: Any) -> QuerySet[Critique]:
    scope = get_scope(user)
    if scope.is_admin:
        return Critique.objects.all()
    ids = readable_office_ids(user) or set()
    return Critique.objects.filter(office_id__in=ids)


def get_critique_for_user(user: Any, pk: int) -> Critique:
    critique = (
        critiques_for_user(user)
        .select_related("office__unit", "received_document", "issued_document", "answer_document")
        .filter(pk=pk)
        .first()
    )
    if critique is None:
        raise not_found()
    return critique


def managed_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices whose critiques and feedback rounds the user keeps (staff and head)."""
    scope = get_scope(user)
    qs = (
        JointOffice.objects.all()
        if scope.is_admin
        else JointOffice.objects.filter(pk__in=scope.staff_office_ids)
    )
    return qs.select_related("unit").order_by("name")


def can_manage(user: Any, office: JointOffice | int) -> bool:
    return can_staff_office(user, office)


def comment_organizations(user: Any, office: JointOffice) -> QuerySet[Organization]:
    """Organizations the user may comment for: every organization of the office for its
    staff, the organizations they lead for leaders."""
    orgs = office.organizations.all().order_by("kind", "name")
    if can_manage(user, office):
        return orgs
    return orgs.filter(pk__in=get_scope(user).led_org_ids)


def can_comment(user: Any, office: JointOffice) -> bool:
    return can_manage(user, office) or comment_organizations(user, office).exists()


# --- Feedback rounds -----------------------------------------------------------------------


def _reporter_office_q(user: Any) -> Q:
    """Offices of the units above the reporter's communes."""
    scope = get_scope(user)
    if not scope.reporter_unit_ids:
        return Q(pk__in=[])
    mine = AdminUnit.objects.filter(pk__in=scope.reporter_unit_ids)
    return Q(unit__in=mine.values("district_id")) | Q(unit__in=mine.values("province_id"))


def feedback_offices(user: Any) -> QuerySet[JointOffice]:
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all().select_related("unit").order_by("name")
    ids = readable_office_ids(user) or set()
    return (
        JointOffice.objects.filter(Q(pk__in=ids) | _reporter_office_q(user))
        .distinct()
        .select_related("unit")
        .order_by("name")
    )


def rounds_for_user(user: Any) -> QuerySet[FeedbackRound]:
    scope = get_scope(user)
    if scope.is_admin:
        return FeedbackRound.objects.all()
    return FeedbackRound.objects.filter(office__in=feedback_offices(user).values("pk"))


def get_round_for_user(user: Any, pk: int) -> FeedbackRound:
    round_ = (
        rounds_for_user(user)
        .select_related("office__unit", "report_document")
        .filter(pk=pk)
        .first()
    )
    if round_ is None:
        raise not_found()
    return round_


def reads_all_opinions(user: Any, office: JointOffice | int) -> bool:
    ids = readable_office_ids(user)
    pk = office if isinstance(office, int) else office.pk
    return ids is None or pk in ids


def opinions_for_user(user: Any, round_: FeedbackRound) -> QuerySet[FeedbackOpinion]:
    """The round's opinions the user reads: all of them, or a reporter's own commune's."""
    qs = round_.opinions.all()
    if reads_all_opinions(user, round_.office):
        return qs
    return qs.filter(commune_id__in=get_scope(user).reporter_unit_ids)


def reporter_communes(user: Any, office: JointOffice) -> QuerySet[AdminUnit]:
    """The user's reporting communes inside the office's unit."""
    ids = get_scope(user).reporter_unit_ids
    unit = office.unit
    qs = AdminUnit.objects.filter(pk__in=ids)
    if unit.level == AdminUnit.Level.PROVINCE:
        return qs.filter(province=unit)
    if unit.level == AdminUnit.Level.DISTRICT:
        return qs.filter(district=unit)
    return qs.filter(pk=unit.pk)


def office_communes(office: JointOffice) -> QuerySet[AdminUnit]:
    unit = office.unit
    qs = AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, era=unit.era)
    if unit.level == AdminUnit.Level.PROVINCE:
        return qs.filter(province=unit).order_by("name")
    if unit.level == AdminUnit.Level.DISTRICT:
        return qs.filter(district=unit).order_by("name")
    return qs.filter(pk=unit.pk)


def can_add_opinion(user: Any, office: JointOffice) -> bool:
    return (
        can_manage(user, office)
        or comment_organizations(user, office).exists()
        or reporter_communes(user, office).exists()
    )


def full_readers_office_ids(user: Any) -> set[int] | None:
    """Offices the user reads in full (staff, head, viewers); None for every office."""
    return full_read_office_ids(get_scope(user))
