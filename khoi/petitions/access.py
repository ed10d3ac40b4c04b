"""Who may see and do what with petitions, and the only door to a petitioner's identity.

- Reading petitions (always redacted): the office staff and head of the petition's
  office, viewers granted a unit that contains the office, site administrators.
  Organization leaders, unit reporters and outsiders: nothing (404).
- Handling (transitions, forwarding, duplicates): office staff, the office head, the
  assigned case handler; each transition names its allowed roles (``services.TRANSITIONS``).
- A protected identity (every denunciation, any petitioner who asks): only the assigned
  case handler and the office head of the petition's office, and every view writes a
  ``khoi.audit.models.SensitiveAccess`` row. An unprotected identity: the office staff too.
  Site administrators and viewers never see identities.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from khoi.accounts.access import full_read_office_ids, get_scope, not_found
from khoi.accounts.services import identity_open
from khoi.audit.services import log_sensitive
from khoi.org.models import JointOffice
from khoi.petitions import crypto
from khoi.petitions.models import (
    CaseAssignment,
    KeyProject,
    Petition,
    PetitionAttachment,
    Petitioner,
    ReceptionSession,
)

REDACTED = "[Danh tính được bảo vệ]"
ROLE_HEAD = "office_head"
ROLE_STAFF = "office_staff"
ROLE_HANDLER = "case_handler"


# Petitions are read by the same people who read an office's whole work.
read_office_ids = full_read_office_ids


def petitions_for_user(user: Any) -> QuerySet[Petition]:
    scope = get_scope(user)
    ids = read_office_ids(scope)
    if ids is None:
        return Petition.objects.all()
    # Case handlers are staff of the petition's office (checked when assigned), so the
    # office condition covers them; a single office keeps the list on its index.
    if len(ids) == 1:
        return Petition.objects.filter(office_id=next(iter(ids)))
    return Petition.objects.filter(office_id__in=ids)


def get_petition_for_user(user: Any, pk: int) -> Petition:
    petition = (
        petitions_for_user(user)
        .select_related("office__unit", "key_project", "reception", "duplicate_of", "created_by")
        .filter(pk=pk)
        .first()
    )
    if petition is None:
        raise not_found()
    return petition


def offices_for_user(user: Any) -> QuerySet[JointOffice]:
    scope = get_scope(user)
    ids = read_office_ids(scope)
    qs = JointOffice.objects.all() if ids is None else JointOffice.objects.filter(pk__in=ids)
    return qs.select_related("unit").order_by("name")


def intake_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices where the user records petitions (their staff offices)."""
    scope = get_scope(user)
    return JointOffice.objects.filter(pk__in=scope.staff_office_ids).order_by("name")


def can_intake(user: Any, office: JointOffice) -> bool:
    return office.pk in get_scope(user).staff_office_ids


def handler_id(petition: Petition) -> int | None:
    cached = getattr(petition, "_handler_id", False)
    if cached is not False:
        return cached
    found = (
        CaseAssignment.objects.filter(petition=petition, ended_at__isnull=True)
        .values_list("handler_id", flat=True)
        .first()
    )
    petition._handler_id = found  # type: ignore[attr-defined]
    return found


def roles(user: Any, petition: Petition) -> set[str]:
    """The user's roles on this petition (for the state machine)."""
    scope = get_scope(user)
    out: set[str] = set()
    if petition.office_id in scope.head_office_ids:
        out.add(ROLE_HEAD)
    if petition.office_id in scope.staff_office_ids:
        out.add(ROLE_STAFF)
    if scope.user_id is not None and handler_id(petition) == scope.user_id:
        out.add(ROLE_HANDLER)
    return out


def can_handle(user: Any, petition: Petition) -> bool:
    return bool(roles(user, petition))


def can_assign(user: Any, petition: Petition) -> bool:
    return petition.office_id in get_scope(user).head_office_ids


def can_see_identity(user: Any, petition: Petition) -> bool:
    if not identity_open(user):  # admin reset pending, or two-factor required and missing
        return False
    r = roles(user, petition)
    if ROLE_HEAD in r or ROLE_HANDLER in r:
        return True
    return not petition.confidential and ROLE_STAFF in r


def reveal_identities(user: Any, petition: Petition, purpose: str) -> list[dict[str, str]]:
    """The petitioners' identities in clear, for an allowed user; logs the view.

    Raises 404 for anyone else (the same answer as a missing petition).
    """
    if not can_see_identity(user, petition):
        raise not_found()
    people = list(Petitioner.objects.filter(petition=petition).order_by("position"))
    log_sensitive(user, "petitions.petition", petition.pk, purpose)
    return [crypto.decrypt(p.identity) for p in people]


def redacted_petitioners(petition: Petition, count: int | None = None) -> str:
    """What everybody else sees instead of the names."""
    n = count if count is not None else petition.petitioners.count()
    if petition.anonymous or n == 0:
        return "Đơn không rõ người gửi"
    if petition.confidential:
        return REDACTED
    return f"{n} người gửi (xem ở trang danh tính)"


def attachment_for_user(user: Any, attachment: PetitionAttachment) -> Any:
    """The file this user may download: the original, or the redacted copy, or None."""
    petition = attachment.petition
    if not petition.confidential or can_see_identity(user, petition):
        return attachment.file
    return attachment.redacted or None


def receptions_for_user(user: Any) -> QuerySet[ReceptionSession]:
    ids = read_office_ids(get_scope(user))
    qs = ReceptionSession.objects.all()
    return qs if ids is None else qs.filter(office_id__in=ids)


def get_reception_for_user(user: Any, pk: int) -> ReceptionSession:
    session = receptions_for_user(user).select_related("office").filter(pk=pk).first()
    if session is None:
        raise not_found()
    return session


def projects_for_user(user: Any) -> QuerySet[KeyProject]:
    ids = read_office_ids(get_scope(user))
    qs = KeyProject.objects.all()
    return qs if ids is None else qs.filter(office_id__in=ids)
