"""Campaign pages: list, detail (completion table, roll-up, charts), the commune's data-entry
grid and its .xlsx import, approval, clusters and rankings, practice models, commendations."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.accounts.access import not_found
from khoi.campaigns import access, importer, rollup, scoring, services
from khoi.campaigns import periods as P
from khoi.campaigns.forms import (
    AwardRecordForm,
    CampaignForm,
    ClusterForm,
    IndicatorForm,
    PledgeForm,
    PracticeModelForm,
    ProposalForm,
    RecognitionForm,
    ScoreForm,
    ScoringTableForm,
    SolidarityDayForm,
    TargetForm,
)
from khoi.campaigns.models import (
    AwardForm,
    AwardRecord,
    BaseSalary,
    Campaign,
    CriteriaSet,
    Indicator,
    ModelHolding,
    Pledge,
    PracticeModel,
    Proposal,
    SolidarityDayEvent,
    Submission,
    Target,
    Value,
)
from khoi.lib import svgchart
from khoi.lib.figures import fmt
from khoi.lib.vntext import collation_key
from khoi.org.models import AdminUnit, ResidentialArea
from khoi.pagination import paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _period_or_404(code: str) -> P.Period:
    try:
        return P.parse(code)
    except P.PeriodError:
        raise not_found() from None


def _kinds(campaign: Campaign) -> list[str]:
    kinds = set(campaign.indicators.values_list("period_kind", flat=True))
    return sorted(kinds, key=P.KINDS.index) or [P.QUARTER]


def _default_period(campaign: Campaign, kinds: list[str]) -> P.Period:
    """The last period that has ended (the one communes report now), of the shortest kind;
    never before the campaign's first period nor after its last."""
    from khoi.campaigns.reminders import due_period

    kind = kinds[0]
    day = clock.today()
    if campaign.end_on is not None and campaign.end_on < day:
        return P.period_containing(campaign.end_on, kind)
    due = due_period(kind, day)
    if due.bounds()[1] < campaign.start_on:
        return P.period_containing(campaign.start_on, kind)
    return due


def _period_choices(campaign: Campaign, kinds: list[str], shown: P.Period) -> list[P.Period]:
    """Every period of every kind the campaign's indicators are reported by, for every year
    of the campaign up to today (or its end), the shown one included."""
    first = campaign.start_on.year
    last = max((campaign.end_on or clock.today()).year, first)
    years = sorted({*range(first, last + 1), shown.year}, reverse=True)
    out = [p for y in years for k in kinds for p in P.periods_of_year(y, k)]
    return out if shown in out else [shown, *out]


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(
        access.campaigns_for_user(request.user).select_related("office", "launch_document")
    )
    mine = access.reporter_communes(request.user)
    offices = list(access.offices_for_user(request.user))
    can_create = any(access.can_manage(request.user, o) for o in offices)
    can_propose = _proposing_office(request.user) is not None
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": campaigns,
            "is_reporter": bool(mine),
            "can_create": can_create,
            "can_propose": can_propose,
            "clusters": access.clusters_for_user(request.user).select_related("office"),
        },
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    kinds = _kinds(campaign)
    period = _period_or_404(request.GET.get("period") or _default_period(campaign, kinds).code)
    indicators = list(campaign.indicators.filter(period_kind=period.kind))
    full = access.reads_all_figures(request.user, campaign.office)
    communes = access.office_communes(campaign.office).order_by("name")
    if not full:
        communes = communes.filter(pk__in=access.reporter_communes(request.user))
    # Vietnamese alphabetical order (Đ after D, tones after the bare letter), not byte order
    commune_list = sorted(communes, key=lambda c: collation_key(c.name))
    status = rollup.completeness(campaign, [period.code], communes)
    rows = []
    for c in commune_list:
        st = status.get((c.pk, period.code), "")
        share = {"approved": 1.0, "submitted": 0.75, "draft": 0.25, "returned": 0.25}.get(st, 0.0)
        rows.append(
            {
                "commune": c,
                "status": st,
                "colour": svgchart.completion_colour(share),
                "css": svgchart.completion_class(share),
                "label": Submission.Status(st).label if st else _("not started"),
                "can_enter": access.can_enter(request.user, c.pk),
            }
        )
    totals: dict[tuple[int, str], rollup.Total] = {}
    if full:
        totals = rollup.unit_totals(
            indicators, [period.code], campaign.office.unit, approved_only=True, campaign=campaign
        )
    total_rows = [
        (i, fmt(t.value(i.kind)) if (t := totals.get((i.pk, period.code))) else "")
        for i in indicators
    ]
    chart = _indicator_chart(request, campaign, commune_list, full)
    credits = {}
    orgs = list(campaign.organizations.all())
    if full and orgs:
        from khoi import registry

        start = campaign.start_on
        end = campaign.end_on or clock.today()
        credits = registry.activity_credits(campaign.office, [o.pk for o in orgs], start, end)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "period": period,
            "rows": rows,
            "total_rows": total_rows,
            "full": full,
            "chart": chart,
            "can_manage": access.can_manage(request.user, campaign.office),
            "indicators_all": campaign.indicators.all(),
            "org_credits": [(o, credits.get(o.pk, {})) for o in orgs],
            "periods": _period_choices(campaign, kinds, period),
            "submitted": [r for r in rows if r["status"] == "submitted"],
        },
    )


def _indicator_chart(
    request: HttpRequest, campaign: Campaign, communes: list[AdminUnit], full: bool
) -> dict[str, Any] | None:
    """One indicator over the periods of the year, for one commune or the whole area."""
    indicators = [i for i in campaign.indicators.all() if i.kind != Indicator.Kind.TEXT]
    if not indicators:
        return None
    try:
        ind_id = int(request.GET.get("indicator") or indicators[0].pk)
        unit_id = int(request.GET.get("unit") or 0)
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        raise not_found() from None
    if not 1900 <= year <= 2200:
        raise not_found()
    indicator = next((i for i in indicators if i.pk == ind_id), None)
    if indicator is None:
        raise not_found()
    if unit_id and unit_id not in {c.pk for c in communes}:
        raise not_found()
    if not unit_id and not full:
        unit_id = communes[0].pk if communes else 0
    pers = P.periods_of_year(year, indicator.period_kind)
    codes = [p.code for p in pers]
    if unit_id:
        t = rollup.commune_totals([indicator], codes, AdminUnit.objects.filter(pk=unit_id))
        values = [t.get((indicator.pk, unit_id, c)) for c in codes]
    else:
        u = rollup.unit_totals(
            [indicator], codes, campaign.office.unit, approved_only=True, campaign=campaign
        )
        values = [u.get((indicator.pk, c)) for c in codes]
    series = [float(v.value(indicator.kind) or 0) if v else None for v in values]
    labels = [p.code[5:] or p.code for p in pers]
    svg = svgchart.line_chart(labels, series, title=f"{indicator.code}. {indicator.name}")
    return {
        "svg": mark_safe(svg),  # noqa: S308 (svgchart escapes every label)
        "indicator": indicator,
        "unit_id": unit_id,
        "indicators": indicators,
        "communes": communes,
        "year": year,
    }


def _grid_context(
    campaign: Campaign,
    commune: AdminUnit,
    period: P.Period,
    areas: list[ResidentialArea] | None = None,
) -> dict[str, Any]:
    indicators = services.grid_indicators(campaign, period)
    if areas is None:
        areas = list(ResidentialArea.objects.filter(commune=commune).order_by("name"))
    values = rollup.area_values(indicators, period.code, commune)
    sub = services.get_submission(campaign, commune, period)
    rows = []
    for area in [None, *areas]:
        cells = []
        for ind in indicators:
            active = (ind.level == Indicator.Level.AREA) == (area is not None)
            cells.append(
                {
                    "indicator": ind,
                    "active": active,
                    "key": services.cell_key(ind.pk, area.pk if area else None),
                    "value": values.get((ind.pk, area.pk if area else None)),
                }
            )
        rows.append({"area": area, "name": area.name if area else commune.name, "cells": cells})
    # computed totals of area-level indicators for the commune (never typed twice)
    total_cells = [
        fmt(rollup.sum_values([v for (ind, _a), v in values.items() if ind == i.pk]).value(i.kind))
        if i.level == Indicator.Level.AREA
        else ""
        for i in indicators
    ]
    return {
        "campaign": campaign,
        "commune": commune,
        "period": period,
        "indicators": indicators,
        "rows": rows,
        "submission": sub,
        "locked": bool(sub and sub.locked),
        "total_cells": total_cells,
        "has_area_level": any(i.level == "area" for i in indicators),
    }


def _read_cells(request: HttpRequest, ctx: dict[str, Any]) -> list[services.CellInput]:
    cells = []
    for row in ctx["rows"]:
        for cell in row["cells"]:
            if not cell["active"]:
                continue
            k = cell["key"]
            cells.append(
                services.CellInput(
                    indicator_id=cell["indicator"].pk,
                    area_id=row["area"].pk if row["area"] else None,
                    value=request.POST.get(f"v-{k}", ""),
                    numerator=request.POST.get(f"n-{k}", ""),
                    denominator=request.POST.get(f"d-{k}", ""),
                    comment=request.POST.get(f"c-{k}", ""),
                    evidence=request.FILES.get(f"f-{k}"),
                )
            )
    return cells


@login_required
def entry_grid(request: HttpRequest, pk: int, commune_pk: int, period: str) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    commune, areas = access.get_commune_and_areas_for_user(request.user, campaign, commune_pk)
    per = _period_or_404(period)
    ctx = _grid_context(campaign, commune, per, areas)
    ctx["can_enter"] = access.can_enter(request.user, commune.pk)
    ctx["can_manage"] = access.can_manage(request.user, campaign.office)
    ctx["errors"], ctx["cell_errors"], ctx["posted"] = [], {}, {}
    if request.method == "POST":
        if not ctx["can_enter"]:
            raise not_found()
        cells = _read_cells(request, ctx)
        try:
            if request.POST.get("action") != "submit-only":
                n = services.do_save_figures(request.user, campaign, commune, per.code, cells)
                messages.success(request, _("%(n)s figures saved.") % {"n": n})
            if request.POST.get("action") in ("submit", "submit-only"):
                services.do_submit_figures(request.user, campaign, commune, per.code)
                messages.success(request, _("The figures were submitted to the office."))
            return redirect(request.path)
        except services.GridRefused as exc:
            ctx["errors"], ctx["cell_errors"] = exc.messages, exc.errors
            ctx["posted"] = request.POST
        except ValidationError as exc:
            ctx["errors"] = _errors(exc)
            ctx["posted"] = request.POST
    return render(request, "campaigns/entry_grid.html", ctx)


@login_required
def entry_template(request: HttpRequest, pk: int, commune_pk: int, period: str) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    commune = access.get_commune_for_user(request.user, campaign, commune_pk)
    per = _period_or_404(period)
    data = importer.build_template(campaign, commune, per)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{per.code}.xlsx"'
    return response


@login_required
@require_POST
def entry_import(request: HttpRequest, pk: int, commune_pk: int, period: str) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    commune = access.get_commune_for_user(request.user, campaign, commune_pk)
    per = _period_or_404(period)
    if not access.can_enter(request.user, commune.pk):
        raise not_found()
    ctx = _grid_context(campaign, commune, per)
    ctx["can_enter"] = True
    ctx["cell_errors"], ctx["posted"] = {}, {}
    upload = request.FILES.get("file")
    if upload is None:
        ctx["errors"] = [_("Choose the .xlsx file to import.")]
        return render(request, "campaigns/entry_grid.html", ctx)
    cells, problems = importer.parse_workbook(upload.read(), campaign, commune, per)
    if problems:
        ctx["errors"] = problems
        return render(request, "campaigns/entry_grid.html", ctx)
    try:
        n = services.do_save_figures(request.user, campaign, commune, per.code, cells)
    except services.GridRefused as exc:
        ctx["errors"] = exc.messages
        return render(request, "campaigns/entry_grid.html", ctx)
    except ValidationError as exc:
        ctx["errors"] = _errors(exc)
        return render(request, "campaigns/entry_grid.html", ctx)
    messages.success(request, _("%(n)s figures imported.") % {"n": n})
    return redirect("campaigns:entry", pk=campaign.pk, commune_pk=commune.pk, period=per.code)


@login_required
def evidence(request: HttpRequest, pk: int, value_pk: int) -> FileResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    value = Value.objects.filter(pk=value_pk, indicator__campaign=campaign).first()
    if value is None or not value.evidence:
        raise not_found()
    access.get_commune_for_user(request.user, campaign, value.commune_id)
    return FileResponse(
        value.evidence.open("rb"),
        as_attachment=True,
        filename=str(value.evidence.name).rsplit("/", 1)[-1],
        content_type=value.evidence_type,
    )


@login_required
@require_POST
def submission_decide(request: HttpRequest, sub_pk: int) -> HttpResponse:
    sub = access.get_submission_for_user(request.user, sub_pk)
    if not access.can_manage(request.user, sub.campaign.office):
        raise not_found()
    action, reason = request.POST.get("action"), request.POST.get("reason", "")
    try:
        if action == "approve":
            services.do_approve_figures(request.user, sub)
            messages.success(request, _("The figures of %(c)s were approved.") % {"c": sub.commune})
        elif action == "return":
            services.do_return_figures(request.user, sub, reason)
            messages.success(request, _("The figures of %(c)s were returned.") % {"c": sub.commune})
        elif action == "reopen":
            services.do_reopen_figures(request.user, sub, reason)
            messages.success(request, _("The figures of %(c)s were reopened.") % {"c": sub.commune})
        else:
            raise not_found()
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    url = reverse("campaigns:entry", args=[sub.campaign_id, sub.commune_id, sub.period])
    return redirect(url)


@login_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = access.get_cluster_for_user(request.user, pk)
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        raise not_found() from None
    result = scoring.compute_ranking(cluster, year)
    chart = None
    table_rows = []
    if result is not None:
        labels = [r.name for r in result.rows]
        chart = mark_safe(  # noqa: S308 (built by svgchart, every label escaped)
            svgchart.bar_chart(
                labels,
                [float(r.total) for r in result.rows],
                title=_("Ranking %(y)s") % {"y": year},
            )
        )
        for r in result.rows:
            parts = [
                (fmt(r.parts[c.pk]), result.notes.get((r.key, c.pk), "")) for c in result.criteria
            ]
            table_rows.append(
                {
                    "row": r,
                    "parts": parts,
                    "base": fmt(r.base),
                    "total": fmt(r.total),
                    "tied": ", ".join(r.tied_with),
                }
            )
    can_manage = access.can_manage(request.user, cluster.office)
    forms_ctx: dict[str, Any] = {}
    if can_manage:
        forms_ctx["campaigns"] = Campaign.objects.filter(office=cluster.office)
        forms_ctx["table_form"] = ScoringTableForm(
            initial={"year": year, "base_points": result.table.base_points if result else 0},
            campaign=None,
        )
        if result is not None:
            forms_ctx["score_form"] = ScoreForm(
                criteria=result.table.criteria.filter(source="manual"),
                members=cluster.members.all(),
            )
        forms_ctx["pledge_form"] = PledgeForm(
            initial={"year": year, "signed_on": clock.today()}, members=cluster.members.all()
        )
    return render(
        request,
        "campaigns/cluster_detail.html",
        {
            "cluster": cluster,
            "year": year,
            "result": result,
            "chart": chart,
            "rows": table_rows,
            "pledges": Pledge.objects.filter(member__cluster=cluster, year=year)
            .select_related("member")
            .order_by("member__name"),
            "members": cluster.members.all(),
            "can_manage": can_manage,
            **forms_ctx,
        },
    )


@login_required
def model_list(request: HttpRequest) -> HttpResponse:
    """Practice models and their holders, Great Solidarity Days, cultural titles with the
    criteria set in force; office staff recognise areas and record the days here."""
    models = list(access.models_for_user(request.user).order_by("name"))
    holdings = list(
        ModelHolding.objects.filter(model__in=models)
        .select_related("commune", "area", "model")
        .order_by("model", "commune__name", "area__name")
    )
    offices = list(access.offices_for_user(request.user))
    events = list(
        SolidarityDayEvent.objects.filter(office__in=offices)
        .select_related("commune", "area")
        .order_by("-year", "commune__name", "area__name")[:200]
    )
    managed = next((o for o in offices if access.can_manage(request.user, o)), None)
    recognition_form = solidarity_form = model_form = None
    if managed is not None:
        areas = ResidentialArea.objects.filter(
            commune__in=access.office_communes(managed)
        ).select_related("commune")
        action = request.POST.get("action") if request.method == "POST" else None
        model_form = PracticeModelForm(
            request.POST if action == "model" else None,
            campaigns=Campaign.objects.filter(office=managed),
        )
        recognition_form = RecognitionForm(
            request.POST if action == "recognise" else None,
            models=PracticeModel.objects.filter(office=managed),
            communes=access.office_communes(managed).order_by("name"), areas=areas,
        )  # fmt: skip
        solidarity_form = SolidarityDayForm(
            request.POST if action == "solidarity" else None, areas=areas
        )
        try:
            if action == "model" and model_form.is_valid():
                services.do_create_model(request.user, managed, **model_form.cleaned_data)
                messages.success(request, _("Practice model added."))
                return redirect("campaigns:model_list")
            if action == "recognise" and recognition_form.is_valid():
                data = recognition_form.cleaned_data
                services.do_recognise_model(
                    request.user, data["model"], commune=data["commune"], area=data["area"],
                    recognised_on=data["recognised_on"],
                )  # fmt: skip
                messages.success(request, _("Recognition recorded."))
                return redirect("campaigns:model_list")
            if action == "solidarity" and solidarity_form.is_valid():
                data = solidarity_form.cleaned_data
                services.do_record_solidarity_day(
                    request.user, managed, area=data["area"], year=data["held_on"].year,
                    held_on=data["held_on"], participants=data["participants"],
                    funds_raised=data["funds_raised"],
                )  # fmt: skip
                messages.success(request, _("Great Solidarity Day recorded."))
                return redirect("campaigns:model_list")
        except ValidationError as exc:
            forms_by_action = {"model": model_form, "recognise": recognition_form}
            _add_errors(forms_by_action.get(action or "", solidarity_form), exc)
    elif request.method == "POST":
        raise not_found()
    today = clock.today()
    criteria_sets = list(
        CriteriaSet.objects.select_related("title").order_by("title__name", "-valid_from")
    )
    return render(
        request,
        "campaigns/model_list.html",
        {
            "models": models, "holdings": holdings, "events": events,
            "recognition_form": recognition_form, "solidarity_form": solidarity_form,
            "model_form": model_form,
            "criteria_sets": [
                (cs, cs.valid_from <= today and (cs.valid_until is None or cs.valid_until >= today))
                for cs in criteria_sets
            ],
        },
    )  # fmt: skip


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = access.proposals_for_user(request.user).select_related(
        "form", "proposer", "campaign", "decision_document"
    )
    can_propose = _proposing_office(request.user) is not None
    managed = [
        o for o in access.offices_for_user(request.user) if access.can_manage(request.user, o)
    ]
    record_form = None
    if managed:
        names = dict(AwardForm.objects.order_by("code", "-valid_from").values_list("code", "name"))
        record_form = AwardRecordForm(
            request.POST or None, forms_by_code=sorted(names.items(), key=lambda kv: kv[1])
        )
        if request.method == "POST" and record_form.is_valid():
            try:
                services.do_record_award(request.user, managed[0], **record_form.cleaned_data)
            except ValidationError as exc:
                _add_errors(record_form, exc)
            else:
                messages.success(request, _("Earlier award recorded."))
                return redirect("campaigns:proposal_list")
    elif request.method == "POST":
        raise not_found()
    return render(
        request,
        "campaigns/proposal_list.html",
        {"proposals": proposals[:300], "can_propose": can_propose, "record_form": record_form},
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk)
    head = access.is_head(request.user, proposal.office)
    errors: list[str] = []
    if request.method == "POST":
        if not head:
            raise not_found()
        try:
            if request.POST.get("action") == "vote":
                services.do_record_vote(
                    request.user,
                    proposal,
                    members=int(request.POST.get("members") or 0),
                    votes_for=int(request.POST.get("votes_for") or 0),
                    votes_against=int(request.POST.get("votes_against") or 0),
                    voted_on=clock.today(),
                )
                messages.success(request, _("The council's vote was recorded."))
            elif request.POST.get("action") == "decide":
                document = services.do_issue_award_decision(
                    request.user,
                    proposal.office,
                    [proposal],
                    issued_on=clock.today(),
                    signer=request.POST.get("signer", ""),
                )
                messages.success(request, _("Decision %(n)s issued.") % {"n": document.notation})
            return redirect("campaigns:proposal_detail", pk=proposal.pk)
        except ValueError:
            errors = [_("Enter whole numbers of votes.")]
        except ValidationError as exc:
            errors = _errors(exc)
    from khoi import links
    from khoi.lib.vntext import fold

    # every decided commendation leaves an AwardRecord (and earlier awards are entered as
    # records): the history eligibility is checked against
    names = dict(AwardForm.objects.values_list("code", "name"))
    history = [
        (r.year, names.get(r.form_code, r.form_code), r.decision)
        for r in AwardRecord.objects.filter(
            office=proposal.office_id, nominee_key=fold(proposal.nominee_name)
        )
    ]
    decision_url = (
        links.link_for(request.user, "documents.document", proposal.decision_document_id)
        if proposal.decision_document_id
        else ""
    )
    return render(
        request,
        "campaigns/proposal_detail.html",
        {
            "proposal": proposal,
            "history": sorted(history, reverse=True),
            "decision_url": decision_url,
            "head": head,
            "errors": errors,
            "passed": proposal.status == Proposal.Status.PASSED,
            "amount": fmt(Decimal(proposal.amount)),
        },
    )


# --- Staff actions --------------------------------------------------------------------------


def _managed_office(request: HttpRequest) -> Any:
    offices = [
        o for o in access.offices_for_user(request.user) if access.can_manage(request.user, o)
    ]
    if not offices:
        raise not_found()
    code = request.GET.get("office") or request.POST.get("office")
    if code:
        office = next((o for o in offices if o.code == code), None)
        if office is None:
            raise not_found()
        return office
    return offices[0]


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    office = _managed_office(request)
    form = CampaignForm(request.POST or None, organizations=office.organizations.all())
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.do_create_campaign(request.user, office, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request, "campaigns/form.html", {"form": form, "title": _("New campaign or movement")}
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for m in exc.messages:
            form.add_error(None, m)


@login_required
def campaign_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Indicators, targets, the launching document and reminders of one campaign (staff)."""
    campaign = access.get_campaign_for_user(request.user, pk)
    if not access.can_manage(request.user, campaign.office):
        raise not_found()
    communes = access.office_communes(campaign.office).order_by("name")
    action = request.POST.get("action") if request.method == "POST" else None
    indicator_form = IndicatorForm(request.POST if action == "indicator" else None)
    areas = ResidentialArea.objects.filter(commune__in=communes).select_related("commune")
    target_form = TargetForm(
        request.POST if action == "target" else None,
        indicators=campaign.indicators.all(), communes=communes,
        areas=areas.order_by("commune__name", "name"),
    )  # fmt: skip
    try:
        if action == "indicator" and indicator_form.is_valid():
            services.do_add_indicator(request.user, campaign, **indicator_form.cleaned_data)
            messages.success(request, _("Indicator added."))
            return redirect("campaigns:manage", pk=campaign.pk)
        if action == "target" and target_form.is_valid():
            data = target_form.cleaned_data
            services.do_set_target(
                request.user, data["indicator"], commune=data["commune"], year=data["year"],
                value=data["value"], area=data["area"],
            )  # fmt: skip
            messages.success(request, _("Target saved."))
            return redirect("campaigns:manage", pk=campaign.pk)
        if action == "launch":
            document = services.do_issue_launch_document(
                request.user,
                campaign,
                issued_on=clock.today(),
                signer=request.POST.get("signer", ""),
            )
            messages.success(
                request, _("Launching document %(n)s issued.") % {"n": document.notation}
            )
            return redirect("campaigns:manage", pk=campaign.pk)
        if action == "remind":
            from khoi.campaigns.reminders import send_missing_reminders

            n = send_missing_reminders(clock.today(), campaign)
            messages.success(request, _("Reminders sent to %(n)s communes.") % {"n": n})
            return redirect("campaigns:manage", pk=campaign.pk)
    except ValidationError as exc:
        _add_errors(indicator_form if action == "indicator" else target_form, exc)
    targets = (
        Target.objects.filter(indicator__campaign=campaign)
        .select_related("indicator", "commune", "area")
        .order_by("-year", "indicator__order", "indicator__code", "commune__name", "area__name")
    )
    return render(request, "campaigns/campaign_manage.html", {
        "campaign": campaign, "indicator_form": indicator_form, "target_form": target_form,
        "indicators": campaign.indicators.all(), "targets": paginate(request, targets, 100),
    })  # fmt: skip


def _proposing_office(user: Any) -> Any:
    """The office a person may propose commendations in (staff, or a leader of one of its
    organizations), or None: the link to the new-proposal page is shown only then."""
    from khoi.accounts.access import get_scope

    led = get_scope(user).led_org_ids
    return next(
        (o for o in access.offices_for_user(user) if access.can_manage(user, o)
         or (led and o.organizations.filter(pk__in=led).exists())),
        None,
    )  # fmt: skip


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    from khoi.accounts.access import get_scope

    led = get_scope(request.user).led_org_ids
    office = _proposing_office(request.user)
    if office is None:
        raise not_found()
    orgs = office.organizations.all()
    if not access.can_manage(request.user, office):
        orgs = orgs.filter(pk__in=led)
    today = clock.today()
    in_force = [
        f for f in AwardForm.objects.filter(valid_from__lte=today).order_by("code", "-valid_from")
        if f.valid_until is None or f.valid_until >= today
    ]  # fmt: skip
    form = ProposalForm(
        request.POST or None, organizations=orgs, forms_in_force=in_force,
        campaigns=Campaign.objects.filter(office=office),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.do_propose_award(request.user, office, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("campaigns:proposal_detail", pk=proposal.pk)
    return render(
        request, "campaigns/form.html", {"form": form, "title": _("New commendation proposal")}
    )


def _post_form(
    request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], object], done: str
) -> bool:
    """Run ``action`` on a valid form; every refusal (the form's or the service's) becomes a
    message on the page the person is sent back to."""
    if not form.is_valid():
        _form_messages(request, form)
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return False
    messages.success(request, done)
    return True


@login_required
@require_POST
def cluster_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The cluster page's forms (staff): the scoring table, a score by hand, a pledge."""
    cluster = access.get_cluster_for_user(request.user, pk)
    if not access.can_manage(request.user, cluster.office):
        raise not_found()
    year = request.POST.get("year") or clock.today().year
    user, members = request.user, cluster.members.all()
    action = request.POST.get("action")
    if action == "table":
        campaign = Campaign.objects.filter(
            office=cluster.office, pk=request.POST.get("campaign") or 0
        ).first()
        _post_form(
            request, ScoringTableForm(request.POST, campaign=campaign),
            lambda d: services.do_set_scoring_table(
                user, cluster, year=d["year"], base_points=d["base_points"],
                criteria=d["criteria"], campaign=campaign,
            ),
            _("Scoring table saved."),
        )  # fmt: skip
    elif action == "pledge":
        _post_form(
            request, PledgeForm(request.POST, members=members),
            lambda d: services.do_record_pledge(
                user, d["member"], year=d["year"], signed_on=d["signed_on"], content=d["content"]
            ),
            _("Pledge recorded."),
        )  # fmt: skip
    else:
        table = cluster.tables.filter(year=year).first()
        if table is None:
            raise not_found()
        _post_form(
            request, ScoreForm(request.POST, criteria=table.criteria.all(), members=members),
            lambda d: services.do_score_by_hand(
                user, d["criterion"], d["member"], points=d["points"], note=d["note"]
            ),
            _("Score saved."),
        )  # fmt: skip
    return redirect(reverse("campaigns:cluster_detail", args=[cluster.pk]) + f"?year={year}")


def _form_messages(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else str(text))


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    """The emulation clusters a person may read; office staff create one here."""
    clusters = list(
        access.clusters_for_user(request.user)
        .select_related("office")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )
    offices = [
        o for o in access.offices_for_user(request.user) if access.can_manage(request.user, o)
    ]
    form = None
    if offices:
        office = offices[0]
        form = ClusterForm(
            request.POST or None,
            communes=access.office_communes(office).order_by("name"),
            organizations=office.organizations.all(),
        )
        if request.method == "POST" and form.is_valid():
            try:
                cluster = services.do_create_cluster(request.user, office, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Emulation cluster created."))
                return redirect("campaigns:cluster_detail", pk=cluster.pk)
    elif request.method == "POST":
        raise not_found()
    return render(request, "campaigns/cluster_list.html", {"clusters": clusters, "form": form})


@login_required
def award_forms(request: HttpRequest) -> HttpResponse:
    """The forms of commendation and their rewards (every version, with its source) and the
    base salary they multiply, as the law in force on each date sets them."""
    today = clock.today()
    salary = services.base_salary_on(today)
    rows = []
    for f in AwardForm.objects.select_related("prerequisite").order_by("-valid_from", "code"):
        in_force = f.valid_from <= today and (f.valid_until is None or f.valid_until >= today)
        amount = services.reward_amount(f, today) if in_force and salary else None
        rows.append({"form": f, "in_force": in_force, "amount": fmt(amount) if amount else ""})
    return render(
        request,
        "campaigns/award_forms.html",
        {
            "rows": rows,
            "salary": salary,
            "salary_amount": fmt(salary.amount) if salary else "",
            "salaries": [(b, fmt(b.amount)) for b in BaseSalary.objects.all()],
            "today": today,
        },
    )
