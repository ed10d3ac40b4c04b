"""Who may see and do what with the Fund for the Poor.

- Reading a fund and its ledger: anyone whose scope reaches the fund's unit (office staff
  and head of the town, viewers granted the unit, the commune reporter of that commune
  only), the fund's accountants, site administrators. Everyone else: 404.
- Posting entries (receipts, expenditures, reversals): only the fund's accountants (a
  site administrator too only when made an accountant); checked again in ``services``.
- The public disclosure pages show every fund, without identifiers (``khoi.fund.public``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Value
from django.utils.translation import gettext as _

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
    """Only the fund's accountants (roles only: no site-administrator bypass)."""
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


def visible_matches(user: Any, matches: list[Any]) -> list[Any]:
    """The proposed matches (``services.HouseholdMatch``) whose other household the user
    may see, each with that household re-read with its unit: the matcher looks across the
    1 July 2025 merges, which may reach a commune outside the user's scope."""
    ids = [m.other.pk for m in matches]
    visible = {h.pk: h for h in households_for_user(user).select_related("unit").filter(pk__in=ids)}
    out = []
    for m in matches:
        if m.other.pk in visible:
            m.other = visible[m.other.pk]
            out.append(m)
    return out


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


def proposable_funds(user: Any, household: Household) -> QuerySet[Fund]:
    """The funds a housing case for ``household`` may be proposed to: those whose unit
    contains the household's commune (the commune's own fund, the town's or district's, the
    province's), for whoever writes in that commune (office staff and head of the town, the
    commune's reporter). Proposing gives no other right on these funds: reading the ledger
    and posting still follow ``funds_for_user`` and ``can_post``."""
    if not can_edit_households(user, household.unit):
        return Fund.objects.none()
    unit = household.unit
    ids = {unit.pk, unit.parent_id, unit.district_id, unit.province_id} - {None}
    return Fund.objects.filter(unit_id__in=ids)


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


def can_approve(user: Any, case: HousingCase) -> bool:
    """The standing board: the head of the fund's office. Roles only: a site administrator
    is not the standing board and does not approve (no superuser bypass)."""
    scope = get_scope(user)
    return case.fund.office_id is not None and case.fund.office_id in scope.head_office_ids


# --- the steps of a housing case: who may take each (pages and API share these) ----------

S = HousingCase.Status
# each step and the status it starts from (the services refuse any other status)
CASE_STEPS: dict[str, str] = {
    "verify": S.PROPOSED,
    "appraise": S.VERIFIED,
    "approve": S.APPRAISED,
    "decide": S.APPROVED,
    "tranche1": S.DECIDED,
    "progress": S.TRANCHE1,
    "accept": S.TRANCHE1,
    "tranche2": S.ACCEPTED,
    "handover": S.TRANCHE2,
    "settle": S.HANDED_OVER,
}


def case_step_refusal(user: Any, case: HousingCase, step: str) -> str | None:
    """Why ``user`` may not take ``step`` on ``case`` whatever its status (None: they may).
    The one rule for the services, the page's buttons and the API:

    - verify, appraise, progress, accept, handover: who writes in the household's commune
      (the office staff and head of the town, the commune's reporter);
    - decide (numbered in the office's document register) and settle: the staff of the
      fund's office;
    - approve: the standing board, never whoever proposed the case (maker-checker);
    - the tranches: the fund's accountants.
    """
    if step == "approve":
        if case.proposed_by_id is not None and case.proposed_by_id == getattr(user, "pk", None):
            return _("Whoever proposed a case cannot approve it.")
        if not can_approve(user, case):
            return _("Only the standing board approves the support list.")
        return None
    if step in ("tranche1", "tranche2"):
        return None if can_post(user, case.fund) else _("Only the fund's accountants post entries.")
    if step in ("decide", "settle"):
        office_id = case.fund.office_id
        if office_id is None or office_id not in get_scope(user).staff_office_ids:
            return _("Only the staff of the fund's office can issue the decision or settle a case.")
        return None
    if step in CASE_STEPS:
        if not can_edit_households(user, case.household.unit):
            return _(
                "Only the office staff or the reporter of %(commune)s can record this step for "
                "a household of that commune."
            ) % {"commune": case.household.unit.name}
        return None
    return _("Unknown step.")


def case_actions(user: Any, case: HousingCase) -> list[str]:
    """The steps ``user`` may take on ``case`` now (its status and their role)."""
    return [
        step
        for step, status in CASE_STEPS.items()
        if case.status == status and case_step_refusal(user, case, step) is None
    ]


def can_list_cases(user: Any) -> bool:
    """The list of housing cases opens for whoever may open some case: site administrators
    and everyone with a scope (the list shows only the cases of households they may see)."""
    scope = get_scope(user)
    return scope.is_admin or bool(getattr(user, "is_authenticated", False) and scope.roots)


def cases_for_user(user: Any) -> QuerySet[HousingCase]:
    """The housing cases ``user`` may open (the same rule as ``get_case_for_user``)."""
    return HousingCase.objects.filter(household__in=households_for_user(user))
