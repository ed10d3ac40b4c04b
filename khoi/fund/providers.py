"""What the fund offers to the report, the briefing agenda and the home dashboard.

Registered in ``FundConfig.ready()``; each provider runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khoi.fund import access
from khoi.fund.models import Entry, Fund, HousingCase
from khoi.registry import AgendaSuggestion, DashboardCard, ReportSection, ReportTable


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def fund_report_section(
    office: Any, start: datetime.date, end: datetime.date
) -> ReportSection | None:
    entries = Entry.objects.filter(fund__office=office, date__gte=start, date__lte=end)
    agg = entries.aggregate(
        rec=Sum("amount", filter=Q(kind=Entry.Kind.RECEIPT), default=0),
        exp=Sum("amount", filter=Q(kind=Entry.Kind.EXPENDITURE), default=0),
        rev_in=Sum("amount", filter=Q(kind=Entry.Kind.REVERSAL, sign=-1), default=0),
        rev_out=Sum("amount", filter=Q(kind=Entry.Kind.REVERSAL, sign=1), default=0),
        n=Count("pk"),
    )
    cases = HousingCase.objects.filter(fund__office=office, year__in={start.year, end.year})
    c = cases.aggregate(
        new=Count("pk", filter=Q(kind="new", status__in=DONE)),
        repair=Count("pk", filter=Q(kind="repair", status__in=DONE)),
        open=Count("pk", filter=~Q(status__in=DONE)),
    )
    if not agg["n"] and not (c["new"] or c["repair"] or c["open"]):
        return None
    receipts = int(agg["rec"]) - int(agg["rev_in"])
    spent = int(agg["exp"]) - int(agg["rev_out"])
    # net of reversals, as the paragraph: a reversed payment (reversal dated in the period,
    # carrying the purpose of the payment it reverses) takes its amount and its count off
    paid = Q(kind=Entry.Kind.EXPENDITURE)
    undone = Q(kind=Entry.Kind.REVERSAL, sign=1)
    by_purpose = (
        entries.filter(paid | undone)
        .values("purpose")
        .annotate(
            total=Sum("amount", filter=paid, default=0) - Sum("amount", filter=undone, default=0),
            n=Count("pk", filter=paid) - Count("pk", filter=undone),
        )
        .order_by("purpose")
    )
    labels = dict(Entry.Purpose.choices)
    table = ReportTable(
        title=_("Fund for the Poor spending by purpose"),
        headers=[_("Purpose"), _("Number of payments"), _("Amount (VND)")],
        rows=[[str(labels.get(r["purpose"], r["purpose"])).capitalize(), r["n"], _vnd(r["total"])]
              for r in by_purpose if r["n"] or r["total"]],
        widths_mm=[80, 35, 50],
    )  # fmt: skip
    paragraphs = [
        _(
            "In the period the Fund for the Poor received %(received)s VND and spent %(spent)s "
            "VND. Great Unity houses: %(new)s new and %(repair)s repaired houses handed over; "
            "%(open)s cases under way."
        )
        % {
            "received": _vnd(receipts),
            "spent": _vnd(spent),
            "new": c["new"],
            "repair": c["repair"],
            "open": c["open"],
        }
    ]
    return ReportSection(
        key="fund.summary", order=70,
        heading=_("The Fund for the Poor and support for Great Unity houses"),
        paragraphs=paragraphs, tables=[table] if table.rows else [],
        figures={"fund_receipts": receipts, "fund_expenditures": spent,
                 "housing_new": c["new"], "housing_repair": c["repair"]},
    )  # fmt: skip


DONE = [HousingCase.Status.HANDED_OVER, HousingCase.Status.SETTLED]


def fund_agenda(office: Any, meeting_date: datetime.date) -> list[AgendaSuggestion]:
    """Cases waiting for approval, tranches due (decided, or accepted), acceptances waiting."""
    S = HousingCase.Status
    waiting: dict[str, str] = {
        S.APPRAISED: _("awaiting the standing board's approval"),
        S.DECIDED: _("due for tranche 1"),
        S.TRANCHE1: _("awaiting the acceptance of the works"),
        S.ACCEPTED: _("due for tranche 2"),
    }
    rows = (
        HousingCase.objects.filter(fund__office=office, status__in=list(waiting))
        .values("status")
        .annotate(n=Count("pk"))
    )
    out = []
    for r in rows:
        out.append(
            AgendaSuggestion(
                source=f"fund.case.{r['status']}",
                title=_("Great Unity houses: %(n)s cases %(waiting)s")
                % {"n": r["n"], "waiting": waiting[r["status"]]},
                url=_cases_url(r["status"]),
            )
        )
    return out


def fund_cards(user: Any, offices: list[Any]) -> list[DashboardCard]:
    funds = access.funds_for_user(user)
    S = HousingCase.Status
    agg = HousingCase.objects.filter(fund__in=funds).aggregate(
        approval=Count("pk", filter=Q(status=S.APPRAISED)),
        tranche=Count("pk", filter=Q(status__in=[S.DECIDED, S.ACCEPTED])),
    )
    if not Fund.objects.filter(pk__in=funds.values("pk")).exists():
        return []
    listed = access.can_list_cases(user)  # an accountant without a scope: the fund list
    approval = _cases_url(S.APPRAISED) if listed else reverse("fund:fund_list")
    tranche = _cases_url(S.DECIDED, S.ACCEPTED) if listed else reverse("fund:fund_list")
    return [
        DashboardCard(_("housing cases awaiting approval"), agg["approval"], approval,
                      alert=agg["approval"] > 0),
        DashboardCard(_("housing tranches due"), agg["tranche"], tranche,
                      alert=agg["tranche"] > 0),
    ]  # fmt: skip


def _cases_url(*statuses: str) -> str:
    """The list of housing cases filtered by these statuses."""
    return f"{reverse('fund:case_list')}?status={','.join(statuses)}"


LEDGER_REASONS = {
    "missing": gettext_lazy("was deleted or is missing"),
    "broken-link": gettext_lazy(
        "does not follow the entry before it (deleted, inserted or reordered)"
    ),
    "altered": gettext_lazy("was altered (amount or other details)"),
    "added": gettext_lazy("was added outside the application (not posted through it)"),
}


def ledger_problem_text(problem: Any) -> str:
    """The sentence naming a ledger's first bad entry (``services.LedgerProblem``)."""
    number = _(" (no. %(n)s)") % {"n": problem.number} if problem.number else ""
    message: str = _(
        "The fund ledger was tampered with: fund «%(fund)s» (id %(id)s), "
        "entry #%(seq)s%(number)s %(reason)s."
    ) % {
        "fund": problem.fund_name, "id": problem.fund_id, "seq": problem.seq,
        "number": number, "reason": LEDGER_REASONS[problem.reason],
    }  # fmt: skip
    if getattr(problem, "resealed_from", None):
        message += " " + _(
            "Its amount, number or date differs from the audit log, and the seals "
            "from entry #%(seq)s on were recomputed outside the application."
        ) % {"seq": problem.resealed_from}
    return message


def ledger_check() -> str | None:
    """The fund ledgers' hash chains (what ``fund_verify`` checks), for restore and
    move_database through ``khoi.registry.INTEGRITY_CHECKS``."""
    from khoi.fund.services import verify_ledgers

    _checked, problem = verify_ledgers()
    return None if problem is None else ledger_problem_text(problem)
