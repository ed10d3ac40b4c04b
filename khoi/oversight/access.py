"""Who may see and do what in supervision and the recommendation register.

Reading (supervisions, programmes, recommendations): the office's staff and head, viewers
granted a unit containing the office (read-only), members of the organization that
leads a supervision or made a recommendation, and the commune reporters for their own
commune's records only (never another commune's, never the office-wide ones). Everyone
else: 404, on pages and in the API alike.

Writing: office staff and head for everything of the office; leaders of a member
organization for their organization's programme, supervisions and recommendations; a
commune reporter for their own commune's supervisions and recommendations.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from khoi.accounts.access import full_read_office_ids, get_scope, not_found
from khoi.org.models import AdminUnit, JointOffice, Organization
from khoi.oversight.models import Programme, Recommendation, Supervision


def _reporter_units(scope: Any) -> set[int]:
    return set(scope.reporter_unit_ids)


def _member_orgs(scope: Any) -> set[int]:
    """Organizations the user is a member of other than as a commune reporter."""
    reporter_orgs = (
        set(
            Organization.objects.filter(
                pk__in=scope.member_org_ids, unit_id__in=scope.reporter_unit_ids
            ).values_list("pk", flat=True)
        )
        if scope.reporter_unit_ids
        else set()
    )
    return set(scope.member_org_ids) - reporter_orgs


def _read_q(user: Any) -> Q | None:
    """Q on supervisions/recommendations/programmes (fields office, organization, unit)
    the user reads; None means everything (site administrator)."""
    scope = get_scope(user)
    full = full_read_office_ids(scope)
    if full is None:
        return None
    q = Q(office_id__in=full) if full else Q(pk__in=[])
    orgs = _member_orgs(scope)
    if orgs:
        their_offices = JointOffice.objects.filter(organizations__in=orgs).values("pk")
        q |= Q(organization_id__in=orgs, office_id__in=their_offices)
    units = _reporter_units(scope)
    if units:
        q |= Q(unit_id__in=units)
    return q


def _filter(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """The rows the user reads: plain conditions on the row's own columns (subqueries for
    the offices), so the planner uses the (office, status, due date) index."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = _read_q(user)
    return qs if q is None else qs.filter(q)


def supervisions_for_user(user: Any) -> QuerySet[Supervision]:
    return _filter(Supervision.objects.all(), user)


def recommendations_for_user(user: Any) -> QuerySet[Recommendation]:
    return _filter(Recommendation.objects.all(), user)


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    scope = get_scope(user)
    full = full_read_office_ids(scope)
    if full is None:
        return Programme.objects.all()
    q = Q(office_id__in=full) if full else Q(pk__in=[])
    orgs = _member_orgs(scope)
    if orgs:
        q |= Q(organization_id__in=orgs)
    return Programme.objects.filter(q)


def get_supervision_for_user(user: Any, pk: int) -> Supervision:
    obj = (
        supervisions_for_user(user)
        .select_related("office__unit", "organization", "unit", "legal_basis", "programme")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise not_found()
    return obj


def get_recommendation_for_user(user: Any, pk: int) -> Recommendation:
    obj = (
        recommendations_for_user(user)
        .select_related("office", "organization", "unit", "supervision", "document")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise not_found()
    return obj


def get_programme_for_user(user: Any, pk: int) -> Programme:
    obj = programmes_for_user(user).select_related("office", "organization").filter(pk=pk).first()
    if obj is None:
        raise not_found()
    return obj


# --- Writing ---------------------------------------------------------------------------------


def can_write(
    user: Any, office: JointOffice, organization_id: int | None, unit_id: int | None
) -> bool:
    """Whether the user records supervisions/recommendations of ``office`` for that
    organization and commune."""
    scope = get_scope(user)
    if scope.is_admin or office.pk in scope.staff_office_ids:
        return True
    if (
        organization_id is not None
        and organization_id in scope.led_org_ids
        and office.organizations.filter(pk=organization_id).exists()
    ):
        return True
    # a commune reporter who also leads their commune's Front is not one of the office's
    # organizations: fall through to the commune check
    if unit_id is not None and unit_id in scope.reporter_unit_ids:
        return reporter_offices(user).filter(pk=office.pk).exists()
    return False


def can_write_record(user: Any, obj: Supervision | Recommendation | Programme) -> bool:
    return can_write(user, obj.office, obj.organization_id, getattr(obj, "unit_id", None))


def reporter_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices of the units above the reporter's communes."""
    scope = get_scope(user)
    if not scope.reporter_unit_ids:
        return JointOffice.objects.none()
    mine = AdminUnit.objects.filter(pk__in=scope.reporter_unit_ids)
    return JointOffice.objects.filter(
        Q(unit__in=mine.values("district_id")) | Q(unit__in=mine.values("province_id"))
    )


def writable_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices where the user records anything of this app."""
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all()
    ids = JointOffice.objects.filter(
        Q(pk__in=scope.staff_office_ids) | Q(organizations__in=scope.led_org_ids)
    ).values("pk")
    return JointOffice.objects.filter(Q(pk__in=ids) | Q(pk__in=reporter_offices(user).values("pk")))


def records_anywhere(user: Any) -> bool:
    """Whether the user records in some office (``writable_offices`` not empty); the site
    administrator and office staff are answered from the scope, without a query."""
    scope = get_scope(user)
    if scope.is_admin or scope.staff_office_ids:
        return True
    return writable_offices(user).exists()


def writable_organizations(user: Any, office: JointOffice) -> QuerySet[Organization]:
    """Organizations the user records supervisions for in ``office``."""
    scope = get_scope(user)
    if scope.is_admin or office.pk in scope.staff_office_ids:
        return office.organizations.all()
    q = Q(pk__in=office.organizations.filter(pk__in=scope.led_org_ids).values("pk"))
    if scope.reporter_unit_ids:
        q |= Q(pk__in=scope.member_org_ids, unit_id__in=scope.reporter_unit_ids)
    return Organization.objects.filter(q)


def writable_units(user: Any) -> set[int] | None:
    """Communes the user may record for (None: any, or office-wide)."""
    scope = get_scope(user)
    if scope.is_admin or scope.staff_office_ids or scope.led_org_ids:
        return None
    return set(scope.reporter_unit_ids)


def readable_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices whose oversight pages the user opens (their register, the summary)."""
    scope = get_scope(user)
    full = full_read_office_ids(scope)
    if full is None:
        return JointOffice.objects.all()
    orgs = _member_orgs(scope)
    member_offices = JointOffice.objects.filter(organizations__in=orgs).values("pk")
    return JointOffice.objects.filter(
        Q(pk__in=full) | Q(pk__in=member_offices) | Q(pk__in=reporter_offices(user).values("pk"))
    )


def opens_app(user: Any) -> bool:
    """Whether the oversight pages open at all (menu entry)."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)
    if scope.is_admin or full_read_office_ids(scope) or scope.reporter_unit_ids:
        return True
    return bool(_member_orgs(scope))
