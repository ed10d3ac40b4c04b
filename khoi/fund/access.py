"""Who may see and do what with the Fund for the Poor.

- Reading a fund and its ledger: anyone whose scope reaches the fund's unit (office staff
  and head of the town, viewers granted the unit, the commune reporter of that commune
  only), the fund's accountants, site administrators. Everyone else: 404.
- Posting entries (receipts, expenditures, reversals): only the fund's accountants (and
  site administrators); checked again in ``services``.
- The public disclosure pages show every fund, without identifiers (``khoi.fund.public``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Value

from khoi.accounts.access import get_scope, not_found
from khoi.fund.models import Entry, Fund, Household, HousingCase
from khoi.org.models import AdminUnit


def funds_for_user(user: Any) -> QuerySet[Fund]:
    scope = get_scope(user)
    if scope.is_admin:
        return Fund.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Fund.objects.none()
    # A UNION of two index-friendly subqueries: OR across the accountants join (with DISTINCT)
    # made PostgreSQL scan every fund for every page.
    mine = Fund.accountants.through.objects.filter(user_id=user.pk).values_list("fund_id")
    if not scope.roots:
        return Fund.objects.filter(pk__in=mine)
    units = Fund.objects.filter(scope.units_q("unit__")).order_by().values_list("pk")
    return Fund.objects.filter(pk__in=units.union(mine.order_by()))


def get_fund_for_user(user: Any, pk: int) -> Fund:
    """The fund if the user may see it (else 404), with ``user_is_accountant`` annotated in
    the same query (the ledger page needs it; no second round trip)."""
    user_pk = getattr(user, "pk", None)
    flag: Exists | Value = Value(False)
    if user_pk is not None:
        through = Fund.accountants.through.objects
        flag = Exists(through.filter(fund_id=OuterRef("pk"), user_id=user_pk))
    fund = (
        funds_for_user(user)
        .select_related("unit", "office")
        .annotate(user_is_accountant=flag)
        .filter(pk=pk)
        .first()
    )
    if fund is None:
        raise not_found()
    return fund


def get_entry_for_user(user: Any, pk: int) -> Entry:
    entry = Entry.objects.select_related("fund").filter(pk=pk).first()
    if entry is None or not funds_for_user(user).filter(pk=entry.fund_id).exists():
        raise not_found()
    return entry


def can_post(user: Any, fund: Fund) -> bool:
    if get_scope(user).is_admin:
        return True
    return bool(getattr(user, "pk", None)) and fund.accountants.filter(pk=user.pk).exists()


# --- households ---------------------------------------------------------------------------
#
# Reading the register (masked ID and phone): anyone whose scope reaches the household's
# commune (the commune reporter: their own commune only). Adding households, statuses,
# supports and deciding matches, and seeing the full ID number and phone (every view
# logged): those who write in that commune, i.e. the office staff and head of the town
# and the commune's reporter. Viewers, organization leaders and site administrators
# see masked values only.


def households_for_user(user: Any) -> QuerySet[Household]:
    scope = get_scope(user)
    if scope.is_admin:
        return Household.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Household.objects.none()
    return Household.objects.filter(scope.units_q("unit__"))


def get_household_for_user(user: Any, pk: int) -> Household:
    household = households_for_user(user).select_related("unit").filter(pk=pk).first()
    if household is None:
        raise not_found()
    return household


def can_edit_households(user: Any, unit: AdminUnit) -> bool:
    scope = get_scope(user)
    return not scope.is_admin and scope.reaches(unit, write=True)


def can_see_identity(user: Any, household: Household) -> bool:
    return can_edit_households(user, household.unit)


def writable_units(user: Any) -> QuerySet[AdminUnit]:
    scope = get_scope(user)
    if scope.is_admin:
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(scope.units_q(write=True), level=3).order_by("name")


def get_case_for_user(user: Any, pk: int) -> HousingCase:
    """A housing case, through its household's access (the same 404 for missing and hidden)."""
    case = (
        HousingCase.objects.select_related("household__unit", "fund__office", "fund__unit")
        .filter(pk=pk, household__in=households_for_user(user))
        .first()
    )
    if case is None:
        raise not_found()
    return case
