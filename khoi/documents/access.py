"""Who may see and change the document register and the periodic reports.

- Office staff and the office head read and write everything of their office; viewers
  read the offices inside the units granted to them; members of the office's member
  organizations (leaders included) read the register and the reports.
- Commune reporters and outsiders see nothing of it (404, like a missing object).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from khoi.accounts import access as offices
from khoi.accounts.access import get_scope, not_found
from khoi.documents.models import Document, PeriodicReport
from khoi.org.models import JointOffice

# Which offices: answered once, in khoi.accounts.access.
readable_offices = offices.readable_offices
writable_offices = offices.staff_offices


def can_write(user: Any, office: JointOffice | int) -> bool:
    return offices.can_staff_office(user, office)


def documents_for_user(user: Any) -> QuerySet[Document]:
    scope = get_scope(user)
    if scope.is_admin:
        return Document.objects.all()
    if scope.is_outsider:
        return Document.objects.none()
    return Document.objects.filter(office__in=readable_offices(user))


def get_document_for_user(user: Any, pk: int) -> Document:
    document = documents_for_user(user).select_related("office").filter(pk=pk).first()
    if document is None:
        raise not_found()
    return document


def reports_for_user(user: Any) -> QuerySet[PeriodicReport]:
    scope = get_scope(user)
    if scope.is_admin:
        return PeriodicReport.objects.all()
    if scope.is_outsider:
        return PeriodicReport.objects.none()
    return PeriodicReport.objects.filter(office__in=readable_offices(user))


def get_report_for_user(user: Any, pk: int) -> PeriodicReport:
    report = reports_for_user(user).select_related("office__unit").filter(pk=pk).first()
    if report is None:
        raise not_found()
    return report
