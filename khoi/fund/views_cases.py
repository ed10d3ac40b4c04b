"""Housing support cases: propose, each step of the workflow, the year's allocation."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.fund import access, documents, housing
from khoi.fund.models import CasePhoto, Fund, HousingCase, HousingKind
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(text: str) -> datetime.date:
    try:
        day, month, year = (int(x) for x in text.strip().split("/"))
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(_("Enter the date as dd/mm/yyyy.")) from None


def _amount(text: str) -> int | None:
    """An amount typed by hand (digits, grouped with dots or spaces as Vietnamese write it),
    or None when left empty."""
    digits = text.strip().replace(".", "").replace(" ", "")
    if not digits:
        return None
    if not digits.isdigit():
        raise ValidationError(
            _("Write the support amount in digits, e.g. 25.000.000 (whole dong).")
        )
    return int(digits)


def _percent(text: str) -> int | None:
    text = text.strip().rstrip("%").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("The first tranche is a whole percentage from 1 to 99."))
    return int(text)


def _photos(request: HttpRequest) -> list[tuple[str, bytes]]:
    return [(f.name or "anh", f.read()) for f in request.FILES.getlist("photos")]


@login_required
@require_POST
def case_propose(request: HttpRequest, pk: int) -> HttpResponse:
    household = access.get_household_for_user(request.user, pk)
    if not access.can_edit_households(request.user, household.unit):
        raise access.not_found()
    fund = (
        access.proposable_funds(request.user, household)
        .filter(pk=request.POST.get("fund") or 0)
        .first()
    )
    try:
        if fund is None:
            raise ValidationError(_("Choose the fund that pays."))
        year = int(request.POST.get("year") or clock.today().year)
        case = housing.do_propose_case(
            request.user, household, fund, year=year, kind=request.POST.get("kind", ""),
            amount=_amount(request.POST.get("amount", "")),
            amount_source=request.POST.get("amount_source", ""),
        )  # fmt: skip
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("fund:household_detail", pk=household.pk)
    return redirect("fund:case_detail", pk=case.pk)


# the steps each status allows and who may take them: ``access.case_actions`` (the service checks
# the same rule)


def _actions(user: Any, case: HousingCase) -> list[str]:
    """The buttons shown: the steps of the case's status that this user may take."""
    return access.case_actions(user, case)


# what each step's button says (and the "next step" line names the step the same way)
STEP_LABELS = {
    "verify": gettext_lazy("Verify"),
    "appraise": gettext_lazy("Record the appraisal"),
    "approve": gettext_lazy("Approve"),
    "decide": gettext_lazy("Issue the decision"),
    "tranche1": gettext_lazy("Pay the first tranche"),
    "progress": gettext_lazy("Record progress"),
    "accept": gettext_lazy("Record the acceptance"),
    "tranche2": gettext_lazy("Pay the second tranche"),
    "handover": gettext_lazy("Record the handover"),
    "settle": gettext_lazy("Settle"),
}


def _waiting(user: Any, case: HousingCase) -> list[tuple[str, str]]:
    """The next steps of the case that ``user`` may not take, each with who takes it: a
    commune officer who has done their part sees whom the case now waits for."""
    out = []
    for step, status in access.CASE_STEPS.items():
        if case.status != status:
            continue
        refusal = access.case_step_refusal(user, case, step)
        if refusal is not None:
            out.append((str(STEP_LABELS[step]), refusal))
    return out


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    criteria = housing.criteria_for(housing._province_id(case.household))
    actions = _actions(request.user, case)
    photos = list(case.photos.order_by("created_at", "pk"))
    return render(
        request,
        "fund/case_detail.html",
        {
            "case": case,
            "actions": [(a, STEP_LABELS[a]) for a in actions],
            "waiting": _waiting(request.user, case),
            "criteria": criteria,
            "signing_roles": housing.acceptance_roles_for(case),
            "photos": photos,
            # the acceptance needs a progress photo (the service refuses it without): the
            # form is shown once there is one, not filled in and then refused
            "has_progress_photo": any(p.stage == CasePhoto.Stage.PROGRESS for p in photos),
            "self_proposed": case.proposed_by_id == request.user.pk,
            "today": clock.today(),
            # the fund's ledger and allocation open only for those who see the fund (a
            # commune's reporter follows the case, not the town's ledger)
            "can_open_fund": access.funds_for_user(request.user).filter(pk=case.fund_id).exists(),
        },
    )


@login_required
def case_photo(request: HttpRequest, pk: int, photo: int) -> FileResponse:
    """A case's photo, only to those who may open the case (never a public media URL)."""
    case = access.get_case_for_user(request.user, pk)
    row = case.photos.filter(pk=photo).first()
    if row is None:
        raise access.not_found()
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise access.not_found() from exc
    response = FileResponse(handle, content_type=row.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    if action not in _actions(request.user, case) and action != "approve":
        raise access.not_found()
    user = request.user
    post = request.POST
    try:
        if action == "verify":
            housing.do_verify_case(user, case)
        elif action == "appraise":
            ticked = post.getlist("criteria")
            criteria = housing.criteria_for(housing._province_id(case.household))
            checklist = {c.code: c.code in ticked for c in criteria}
            housing.do_appraise_case(user, case, checklist=checklist, photos=_photos(request))
        elif action == "approve":
            housing.do_approve_case(user, case)
        elif action == "decide":
            housing.do_issue_decision(
                user, case, issued_on=_date(post.get("date", "")),
                tranche1_percent=_percent(post.get("tranche1_percent", "")),
            )  # fmt: skip
        elif action in ("tranche1", "tranche2"):
            housing.do_pay_tranche(
                user, case, tranche=int(action[-1]), date=_date(post.get("date", ""))
            )
        elif action == "progress":
            housing.do_record_progress(
                user, case, note=post.get("note", ""), photos=_photos(request)
            )
        elif action == "accept":
            roles = housing.acceptance_roles_for(case)
            signers: list[str] | dict[int, str] = (
                {r.pk: post.get(f"signer-{r.pk}", "") for r in roles}
                if roles
                else post.get("signers", "").splitlines()
            )
            housing.do_accept_case(
                user, case, accepted_on=_date(post.get("date", "")), signers=signers
            )
        elif action == "handover":
            housing.do_hand_over(user, case, date=_date(post.get("date", "")))
        elif action == "settle":
            housing.do_settle_case(user, case)
        else:
            raise access.not_found()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Step recorded."))
    return redirect("fund:case_detail", pk=case.pk)


@login_required
def case_document(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    if which == "decision" and case.decision_notation:
        data = documents.decision_docx(case)
    elif which == "acceptance" and case.accepted_on:
        data = documents.acceptance_docx(case)
    else:
        raise access.not_found()
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{which}-{case.pk}.docx"'
    return response


@login_required
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    fund: Fund = access.get_fund_for_user(request.user, pk)
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    rows = housing.allocation(fund, year)
    money = housing.available_for(fund)
    context = {"fund": fund, "year": year, "rows": rows, "kinds": HousingKind, "money": money}
    return render(request, "fund/allocation.html", context)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Housing cases the user may open, filtered by status (one, or several separated by
    commas: the agenda's and the dashboard's links), year, commune and fund, searched by the
    head of household's name. A fixed number of queries whatever the number of cases."""
    if not access.can_list_cases(request.user):
        raise access.not_found()
    visible = access.cases_for_user(request.user)
    qs = visible.select_related("household__unit", "fund")
    get = request.GET
    statuses = [x for x in get.get("status", "").split(",") if x in HousingCase.Status.values]
    if statuses:
        qs = qs.filter(status__in=statuses)
    year, commune, fund = _int(get.get("year")), _int(get.get("commune")), _int(get.get("fund"))
    if year is not None:
        qs = qs.filter(year=year)
    if commune is not None:
        qs = qs.filter(household__unit_id=commune)
    if fund is not None:
        qs = qs.filter(fund_id=fund)
    q = get.get("q", "").strip()
    if q:
        qs = qs.filter(household__head_name_folded__contains=fold(q))
    page = Paginator(qs.order_by("-year", "status", "household__head_name_folded", "pk"), 50)
    context = {
        "page": page.get_page(get.get("page")),
        "statuses": HousingCase.Status.choices,
        "status": ",".join(statuses),
        "years": sorted(set(visible.values_list("year", flat=True).distinct()), reverse=True),
        "year": year,
        "communes": AdminUnit.objects.filter(pk__in=visible.values("household__unit_id")).order_by(
            "name"
        ),
        "commune": commune,
        "funds": Fund.objects.filter(pk__in=visible.values("fund_id")).order_by("name"),
        "fund": fund,
        "q": q,
    }
    return render(request, "fund/case_list.html", context)
