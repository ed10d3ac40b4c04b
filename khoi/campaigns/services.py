"""Every change to campaigns, figures, scoring and commendations goes through here."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khoi import clock
from khoi.audit import services as audit
from khoi.campaigns import access, rollup
from khoi.campaigns import periods as P
from khoi.campaigns.models import (
    AwardForm,
    AwardRecord,
    BaseSalary,
    Campaign,
    Cluster,
    ClusterMember,
    Criterion,
    Indicator,
    ManualScore,
    ModelHolding,
    Pledge,
    PracticeModel,
    Proposal,
    ScoringTable,
    SolidarityDayEvent,
    Submission,
    Target,
    Value,
)
from khoi.lib import figures, ranking
from khoi.lib.filetypes import FileRefused, check_upload
from khoi.lib.vntext import fold, nfc
from khoi.org.models import AdminUnit, JointOffice, Organization, ResidentialArea

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
DECISION_TYPE = "QĐ"  # the register's document type of a decision (data, Decree 30/2020)


def _stored(message: str, params: dict[str, Any]) -> str:
    """A text kept in the register: translated into the site's language (Vietnamese), not
    the language of the session that happened to issue it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % params


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _lines(text: str) -> str:
    """NFC per line, keeping the line breaks (criteria are one per line)."""
    return "\n".join(line for line in (nfc(raw) for raw in text.splitlines()) if line)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_manager(actor: Any, office: JointOffice) -> None:
    if not access.can_manage(actor, office):
        raise _refuse(None, _("Only the office's staff manage campaigns and emulation."))


def _check_head(actor: Any, office: JointOffice) -> None:
    if not access.is_head(actor, office):
        raise _refuse(None, _("Only the office head may do this."))


def parse_period(text: str) -> P.Period:
    try:
        return P.parse(text)
    except P.PeriodError as exc:
        raise _refuse("period", exc.message) from None


# --- Campaigns, models, solidarity days -----------------------------------------------------


def do_create_campaign(
    actor: Any,
    office: JointOffice,
    *,
    kind: str,
    title: str,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    organizations: Sequence[Organization] = (),
    criteria: str = "",
    description: str = "",
    launch_document: Any = None,
) -> Campaign:
    _check_manager(actor, office)
    if kind not in Campaign.Kind.values:
        raise _refuse("kind", _("Choose a campaign or an emulation movement."))
    if not title.strip():
        raise _refuse("title", _("Enter the title."))
    if end_on is not None and end_on < start_on:
        raise _refuse("end_on", _("The end date is before the start date."))
    member_ids = set(office.organizations.values_list("pk", flat=True))
    if any(o.pk not in member_ids for o in organizations):
        raise _refuse("organizations", _("Only the office's member organizations can take part."))
    if launch_document is not None and launch_document.office_id != office.pk:
        raise _refuse("launch_document", _("The launching document is in another register."))
    campaign = Campaign(
        office=office,
        kind=kind,
        title=nfc(title.strip()),
        start_on=start_on,
        end_on=end_on,
        criteria=_lines(criteria),
        description=_lines(description),
        launch_document=launch_document,
        created_by=_user(actor),
    )
    with transaction.atomic():
        audit.create(actor, campaign, "campaign.create", office_id=office.pk)
        if organizations:
            campaign.organizations.set(organizations)
            audit.record(
                actor,
                "campaign.organizations",
                campaign,
                {"organizations": [[], sorted(o.pk for o in organizations)]},
                office_id=office.pk,
            )
    return campaign


def do_issue_launch_document(
    actor: Any, campaign: Campaign, *, issued_on: datetime.date, signer: str = ""
) -> Any:
    """Issue the launching plan (…/KH-MTTQ) in the register and link it to the campaign."""
    from khoi.documents import services as documents

    _check_manager(actor, campaign.office)
    if campaign.launch_document_id is not None:
        raise _refuse(None, _("The campaign already has its launching document."))
    with transaction.atomic():
        document = documents.do_issue_document(
            actor,
            campaign.office,
            system="state",
            doc_type="KH",
            issuer_code="MTTQ",
            issued_on=issued_on,
            issuing_body=campaign.office.name,
            summary=_stored(
                gettext_noop("Plan to launch the %(kind)s “%(title)s”"),
                {"kind": campaign.get_kind_display(), "title": campaign.title},
            ),
            signer=signer,
        )
        audit.update_fields(
            actor,
            campaign,
            {"launch_document": document},
            "campaign.launch",
            office_id=campaign.office_id,
        )
    return document


def do_create_model(
    actor: Any,
    office: JointOffice,
    *,
    name: str,
    short_name: str = "",
    description: str = "",
    campaign: Campaign | None = None,
) -> PracticeModel:
    _check_manager(actor, office)
    if not name.strip():
        raise _refuse("name", _("Enter the name."))
    model = PracticeModel(
        office=office,
        name=nfc(name.strip()),
        short_name=nfc(short_name.strip()),
        description=nfc(description.strip()),
        campaign=campaign,
    )
    audit.create(actor, model, "model.create", office_id=office.pk)
    return model


def _check_area(office: JointOffice, commune: AdminUnit, area: ResidentialArea | None) -> None:
    if not access.office_communes(office).filter(pk=commune.pk).exists():
        raise _refuse("commune", _("This commune is outside the office's area."))
    if area is not None and area.commune_id != commune.pk:
        raise _refuse("area", _("This residential area belongs to another commune."))


def do_recognise_model(
    actor: Any,
    model: PracticeModel,
    *,
    commune: AdminUnit,
    area: ResidentialArea | None,
    recognised_on: datetime.date,
    note: str = "",
) -> ModelHolding:
    """Record that an area (or a commune) holds the model; recognising it again sets the
    re-recognition date."""
    _check_manager(actor, model.office)
    _check_area(model.office, commune, area)
    holding = ModelHolding.objects.filter(model=model, commune=commune, area=area).first()
    if holding is None:
        holding = ModelHolding(
            model=model,
            commune=commune,
            area=area,
            recognised_on=recognised_on,
            note=nfc(note.strip()),
        )
        audit.create(actor, holding, "model.recognise", office_id=model.office_id)
        return holding
    if recognised_on < holding.recognised_on:
        raise _refuse("recognised_on", _("Re-recognition cannot be before the first one."))
    audit.update_fields(
        actor,
        holding,
        {"re_recognised_on": recognised_on, "withdrawn_on": None},
        "model.re_recognise",
        office_id=model.office_id,
    )
    return holding


def do_record_solidarity_day(
    actor: Any,
    office: JointOffice,
    *,
    area: ResidentialArea,
    year: int,
    held_on: datetime.date,
    participants: int = 0,
    funds_raised: int = 0,
    note: str = "",
) -> SolidarityDayEvent:
    _check_manager(actor, office)
    _check_area(office, area.commune, area)
    if held_on.year != year:
        raise _refuse("held_on", _("The date is not in the chosen year."))
    if SolidarityDayEvent.objects.filter(area=area, year=year).exists():
        raise _refuse(
            "area", _("This area's Great Solidarity Day of that year is already recorded.")
        )
    event = SolidarityDayEvent(
        office=office,
        commune=area.commune,
        area=area,
        year=year,
        held_on=held_on,
        participants=participants,
        funds_raised=funds_raised,
        note=nfc(note.strip()),
    )
    audit.create(actor, event, "solidarity.record", office_id=office.pk)
    return event


# --- Indicators and targets -----------------------------------------------------------------


def do_add_indicator(
    actor: Any,
    campaign: Campaign,
    *,
    code: str,
    name: str,
    kind: str,
    level: str,
    period_kind: str,
    unit_of_measure: str = "",
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    order: int = 0,
    aggregation: str = Indicator.Aggregation.SUM,
) -> Indicator:
    _check_manager(actor, campaign.office)
    if aggregation not in Indicator.Aggregation.values:
        raise _refuse("aggregation", _("Choose how the periods make the yearly figure."))
    if kind not in Indicator.Kind.values:
        raise _refuse("kind", _("Choose the kind of the indicator."))
    if level not in Indicator.Level.values:
        raise _refuse("level", _("Choose who reports the indicator."))
    if period_kind not in Indicator.PeriodKind.values:
        raise _refuse("period_kind", _("Choose the reporting period."))
    if min_value is not None and max_value is not None and max_value < min_value:
        raise _refuse("max_value", _("The largest value is smaller than the smallest."))
    if Indicator.objects.filter(campaign=campaign, code=code.strip()).exists():
        raise _refuse("code", _("Another indicator of this campaign has this code."))
    indicator = Indicator(
        campaign=campaign,
        code=code.strip(),
        name=nfc(name.strip()),
        kind=kind,
        level=level,
        period_kind=period_kind,
        unit_of_measure=nfc(unit_of_measure.strip()),
        min_value=min_value,
        max_value=max_value,
        order=order,
        aggregation=aggregation,
    )
    audit.create(actor, indicator, "indicator.create", office_id=campaign.office_id)
    return indicator


def do_set_target(
    actor: Any,
    indicator: Indicator,
    *,
    commune: AdminUnit,
    year: int,
    value: Decimal,
    area: ResidentialArea | None = None,
) -> Target:
    office = indicator.campaign.office
    _check_manager(actor, office)
    _check_area(office, commune, area)
    target = Target.objects.filter(indicator=indicator, commune=commune, area=area, year=year)
    existing = target.first()
    if existing is not None:
        audit.update_fields(actor, existing, {"value": value}, "target.update", office_id=office.pk)
        return existing
    row = Target(indicator=indicator, commune=commune, area=area, year=year, value=value)
    audit.create(actor, row, "target.create", office_id=office.pk)
    return row


# --- Data entry -----------------------------------------------------------------------------


@dataclass
class CellInput:
    """What was typed in one cell of the grid (or one row of the API / the import)."""

    indicator_id: int
    area_id: int | None = None
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    comment: str = ""
    evidence: Any = None  # an uploaded file


@dataclass
class GridRefused(Exception):
    """The whole save was refused; ``errors`` maps a cell key to its message."""

    errors: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.messages)


def cell_key(indicator_id: int, area_id: int | None) -> str:
    return f"{indicator_id}-{area_id or 0}"


def get_submission(campaign: Campaign, commune: AdminUnit, period: P.Period) -> Submission | None:
    # no ORDER BY (the model's default ordering joins the campaign): one row at most
    found = Submission.objects.filter(campaign=campaign, commune=commune, period=period.code)
    return next(iter(found.order_by()[:1]), None)


def _editable_or_refuse(sub: Submission | None, period: P.Period) -> None:
    if sub is not None and sub.status == Submission.Status.APPROVED:
        raise _refuse(
            None,
            _("The figures of %(p)s were approved and are locked; ask the office to reopen them.")
            % {"p": period.label()},
        )
    if sub is not None and sub.status == Submission.Status.SUBMITTED:
        raise _refuse(
            None,
            _("The figures of %(p)s were submitted and wait for approval; they cannot be changed.")
            % {"p": period.label()},
        )


def grid_indicators(campaign: Campaign, period: P.Period) -> list[Indicator]:
    return list(campaign.indicators.filter(period_kind=period.kind).order_by("order", "code"))


def do_save_figures(
    actor: Any,
    campaign: Campaign,
    commune: AdminUnit,
    period_code: str,
    cells: Sequence[CellInput],
) -> int:
    """Check every cell, then save all of them or none. Returns the number of figures saved.

    Refused: a commune outside the reporter's own units, a period submitted or approved, an
    indicator of another campaign or period, a residential area of another commune, a cell
    at the wrong level, a value outside the indicator's range, a numerator above its
    denominator, an evidence file whose content is not an accepted type.
    """
    if not access.can_enter(actor, commune.pk):
        raise _refuse(
            "commune",
            _("You can only enter figures for your own commune and its residential areas."),
        )
    if not access.office_communes(campaign.office).filter(pk=commune.pk).exists():
        raise _refuse("commune", _("This commune does not report to this campaign's office."))
    period = parse_period(period_code)
    _check_campaign_period(campaign, period)
    sub = get_submission(campaign, commune, period)
    _editable_or_refuse(sub, period)
    indicators = {i.pk: i for i in grid_indicators(campaign, period)}
    areas = {a.pk: a for a in ResidentialArea.objects.filter(commune=commune)}
    refused = GridRefused()
    parsed: list[tuple[CellInput, Indicator, figures.Figure, str]] = []
    seen: set[str] = set()
    for cell in cells:
        key = cell_key(cell.indicator_id, cell.area_id)
        indicator = indicators.get(cell.indicator_id)
        where = areas[cell.area_id].name if cell.area_id in areas else commune.name
        if indicator is None:
            _add_error(
                refused, key, where, "", _("This indicator is not reported for this period.")
            )
            continue
        label = indicator.code
        if cell.area_id is not None and cell.area_id not in areas:
            _add_error(
                refused, key, where, label, _("This residential area is not one of your units.")
            )
            continue
        if (indicator.level == Indicator.Level.AREA) != (cell.area_id is not None):
            message = (
                _("This indicator is reported by each residential area.")
                if indicator.level == Indicator.Level.AREA
                else _("This indicator is reported by the commune as a whole.")
            )
            _add_error(refused, key, where, label, message)
            continue
        if key in seen:
            _add_error(refused, key, where, label, _("This cell was given twice."))
            continue
        seen.add(key)
        try:
            figure = figures.read_figure(
                indicator.kind,
                value=cell.value,
                numerator=cell.numerator,
                denominator=cell.denominator,
                low=indicator.min_value,
                high=indicator.max_value,
            )
            content_type = ""
            if cell.evidence is not None:
                content_type = check_upload(
                    cell.evidence, int(getattr(cell.evidence, "size", 0) or 0), EVIDENCE_MAX_BYTES
                )
        except figures.FigureRefused as exc:
            _add_error(refused, key, where, label, exc.message)
            continue
        except FileRefused as exc:
            _add_error(refused, key, where, label, exc.message)
            continue
        if len(cell.comment) > 500:
            _add_error(refused, key, where, label, _("The comment is longer than 500 characters."))
            continue
        parsed.append((cell, indicator, figure, content_type))
    if refused.errors:
        raise refused
    return _write_figures(actor, campaign, commune, period, sub, parsed)


def _add_error(refused: GridRefused, key: str, where: str, label: str, message: str) -> None:
    refused.errors.setdefault(key, message)
    prefix = f"{where} — {_('indicator')} {label}: " if label else f"{where}: "
    refused.messages.append(prefix + message)


def _check_campaign_period(campaign: Campaign, period: P.Period) -> None:
    start, end = period.bounds()
    if end < campaign.start_on or (campaign.end_on is not None and start > campaign.end_on):
        raise _refuse("period", _("The campaign does not run in this period."))


def _write_figures(
    actor: Any,
    campaign: Campaign,
    commune: AdminUnit,
    period: P.Period,
    sub: Submission | None,
    parsed: list[tuple[CellInput, Indicator, figures.Figure, str]],
) -> int:
    now = clock.now()
    user = _user(actor)
    existing = {
        cell_key(v.indicator_id, v.area_id): v
        for v in Value.objects.filter(
            commune=commune, period=period.code, indicator__in=[p[1].pk for p in parsed]
        )
    }
    changes: dict[str, list[Any]] = {}
    to_create: list[Value] = []
    to_update: list[Value] = []
    files: list[tuple[Value, Any, str]] = []
    names = ("number", "numerator", "denominator", "flag", "text", "comment")
    for cell, indicator, figure, content_type in parsed:
        key = cell_key(indicator.pk, cell.area_id)
        new = {
            "number": figure.number,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "flag": figure.flag,
            "text": figure.text,
            "comment": nfc(cell.comment.strip()),
        }
        row = existing.get(key)
        if row is None:
            if figure.empty and not new["comment"] and cell.evidence is None:
                continue
            row = Value(
                indicator=indicator,
                commune=commune,
                area_id=cell.area_id,
                period=period.code,
                year=period.year,
                entered_by=user,
                entered_at=now,
                **new,
            )
            to_create.append(row)
            changes[key] = [None, row.display]
        else:
            before = {n: getattr(row, n) for n in names}
            if before != new or cell.evidence is not None:
                old = row.display
                for n, v in new.items():
                    setattr(row, n, v)
                row.entered_by, row.entered_at = user, now
                to_update.append(row)
                changes[key] = [old, row.display]
        if cell.evidence is not None:
            files.append((row, cell.evidence, content_type))
    if not changes:
        return 0
    try:
        _save_grid(actor, campaign, commune, period, sub, to_create, to_update, files, changes)
    except IntegrityError:
        # two first saves of the same grid at once: the other one created the submission
        # (or the same figure) first; nothing of this one was saved
        raise _refuse(
            None,
            _(
                "Someone saved the figures of this period at the same moment; open the grid"
                " again and repeat your changes."
            ),
        ) from None
    return len(changes)


def _save_grid(
    actor: Any,
    campaign: Campaign,
    commune: AdminUnit,
    period: P.Period,
    sub: Submission | None,
    to_create: list[Value],
    to_update: list[Value],
    files: list[tuple[Value, Any, str]],
    changes: dict[str, list[Any]],
) -> None:
    names = ("number", "numerator", "denominator", "flag", "text", "comment")
    with transaction.atomic():
        if sub is not None:
            # the submission's row is locked: a submit or an approval waits for this save
            sub = Submission.objects.select_for_update().get(pk=sub.pk)
            _editable_or_refuse(sub, period)
        if sub is None:
            sub = Submission(
                campaign=campaign, commune=commune, period=period.code, year=period.year
            )
            audit.create(actor, sub, "figures.open", office_id=campaign.office_id)
        elif sub.status == Submission.Status.RETURNED:
            audit.update_fields(
                actor,
                sub,
                {"status": Submission.Status.DRAFT},
                "figures.resume",
                office_id=campaign.office_id,
            )
        Value.objects.bulk_create(to_create)
        Value.objects.bulk_update(to_update, [*names, "entered_by", "entered_at"])
        # no kept province total to refresh: only a draft or returned grid is saved, and the
        # kept totals hold approved figures only (they change on approval and reopening)
        for row, upload, content_type in files:
            upload.seek(0)
            name = str(getattr(upload, "name", "") or "minh-chung").replace("/", "_")[-100:]
            row.evidence.save(name, ContentFile(upload.read()), save=False)
            row.evidence_type = content_type
            row.save(update_fields=["evidence", "evidence_type"])
        audit.record(actor, "figures.save", sub, changes, office_id=campaign.office_id)


# --- Completeness and approval --------------------------------------------------------------


def do_submit_figures(
    actor: Any, campaign: Campaign, commune: AdminUnit, period_code: str
) -> Submission:
    """The commune sends its figures of a period; every number, percentage and yes/no cell
    must be filled."""
    if not access.can_enter(actor, commune.pk):
        raise _refuse("commune", _("You can only submit the figures of your own commune."))
    period = parse_period(period_code)
    sub = get_submission(campaign, commune, period)
    _editable_or_refuse(sub, period)
    if sub is None:
        raise _refuse(None, _("Enter the figures before submitting them."))
    missing = missing_cells(campaign, commune, period)
    if missing:
        raise _refuse(
            None,
            _("%(n)s cells are still empty, for example: %(first)s.")
            % {"n": len(missing), "first": "; ".join(missing[:3])},
        )
    audit.update_fields(
        actor,
        sub,
        {
            "status": Submission.Status.SUBMITTED,
            "submitted_by": _user(actor),
            "submitted_at": clock.now(),
            "reason": "",
        },
        "figures.submit",
        office_id=campaign.office_id,
    )
    return sub


def missing_cells(campaign: Campaign, commune: AdminUnit, period: P.Period) -> list[str]:
    indicators = [i for i in grid_indicators(campaign, period) if i.kind != Indicator.Kind.TEXT]
    areas = list(ResidentialArea.objects.filter(commune=commune).order_by("name"))
    filled = set(
        Value.objects.filter(commune=commune, period=period.code, indicator__in=indicators)
        .exclude(number__isnull=True, numerator__isnull=True, flag__isnull=True)
        .values_list("indicator_id", "area_id")
    )
    out = []
    for ind in indicators:
        if ind.level == Indicator.Level.AREA and not areas:
            # an area-level indicator is not complete in a commune without residential areas
            out.append(
                _("%(commune)s has no residential area to report indicator %(code)s")
                % {"commune": commune.name, "code": ind.code}
            )
            continue
        rows: list[ResidentialArea | None] = (
            list(areas) if ind.level == Indicator.Level.AREA else [None]
        )
        for area in rows:
            if (ind.pk, area.pk if area else None) not in filled:
                out.append(f"{area.name if area else commune.name} / {ind.code}")
    return out


def _decide_figures(
    actor: Any,
    sub: Submission,
    *,
    expected: str,
    status: str,
    action: str,
    refused: str,
    reason: str = "",
    reason_needed: str = "",
) -> None:
    """One decision of the office on a submission: checked, stamped and audited. A change
    into or out of "approved" refreshes the kept province totals (approved figures only) in
    the same transaction."""
    _check_manager(actor, sub.campaign.office)
    if sub.status != expected:
        raise _refuse(None, refused)
    if reason_needed and not reason.strip():
        raise _refuse("reason", reason_needed)
    with transaction.atomic():
        audit.update_fields(
            actor,
            sub,
            {
                "status": status,
                "decided_by": _user(actor),
                "decided_at": clock.now(),
                "reason": nfc(reason.strip()),
            },
            action,
            office_id=sub.campaign.office_id,
        )
        if Submission.Status.APPROVED in (expected, status):
            rollup.refresh_submission_totals(sub)


def do_approve_figures(actor: Any, sub: Submission) -> None:
    _decide_figures(
        actor, sub, expected=Submission.Status.SUBMITTED, status=Submission.Status.APPROVED,
        action="figures.approve", refused=_("Only submitted figures can be approved."),
    )  # fmt: skip


def do_return_figures(actor: Any, sub: Submission, reason: str) -> None:
    _decide_figures(
        actor, sub, expected=Submission.Status.SUBMITTED, status=Submission.Status.RETURNED,
        action="figures.return", refused=_("Only submitted figures can be returned."),
        reason=reason, reason_needed=_("Say why the figures are returned."),
    )  # fmt: skip


def do_reopen_figures(actor: Any, sub: Submission, reason: str) -> None:
    """Unlock approved figures for a correction (the reason is kept in the audit log)."""
    _decide_figures(
        actor, sub, expected=Submission.Status.APPROVED, status=Submission.Status.RETURNED,
        action="figures.reopen", refused=_("Only approved figures can be reopened."),
        reason=reason, reason_needed=_("Say why the figures are reopened."),
    )  # fmt: skip


# --- Emulation clusters and scoring ---------------------------------------------------------


def do_create_cluster(
    actor: Any,
    office: JointOffice,
    *,
    name: str,
    kind: str,
    units: Sequence[AdminUnit] = (),
    organizations: Sequence[Organization] = (),
) -> Cluster:
    _check_manager(actor, office)
    if kind not in Cluster.Kind.values:
        raise _refuse("kind", _("Choose communes or organizations."))
    if not name.strip():
        raise _refuse("name", _("Enter the name."))
    communes = set(access.office_communes(office).values_list("pk", flat=True))
    if any(u.pk not in communes for u in units):
        raise _refuse("units", _("This commune is outside the office's area."))
    cluster = Cluster(office=office, name=nfc(name.strip()), kind=kind)
    with transaction.atomic():
        audit.create(actor, cluster, "cluster.create", office_id=office.pk)
        members = [ClusterMember(cluster=cluster, unit=u, name=u.name) for u in units]
        members += [
            ClusterMember(cluster=cluster, organization=o, name=o.name) for o in organizations
        ]
        ClusterMember.objects.bulk_create(members)
        audit.record(
            actor,
            "cluster.members",
            cluster,
            {"members": [[], [m.name for m in members]]},
            office_id=office.pk,
        )
    return cluster


def do_record_pledge(
    actor: Any, member: ClusterMember, *, year: int, signed_on: datetime.date, content: str
) -> Pledge:
    _check_manager(actor, member.cluster.office)
    if not content.strip():
        raise _refuse("content", _("Enter the content of the pledge."))
    if Pledge.objects.filter(member=member, year=year).exists():
        raise _refuse("year", _("This member's pledge of that year is already recorded."))
    pledge = Pledge(member=member, year=year, signed_on=signed_on, content=nfc(content.strip()))
    audit.create(actor, pledge, "pledge.record", office_id=member.cluster.office_id)
    return pledge


@dataclass
class CriterionInput:
    name: str
    weight: Decimal
    source: str = Criterion.Source.MANUAL
    kind: str = Criterion.Kind.WEIGHTED
    indicator: Indicator | None = None


def do_set_scoring_table(
    actor: Any,
    cluster: Cluster,
    *,
    year: int,
    base_points: Decimal,
    criteria: Sequence[CriterionInput],
    total_weight: Decimal = Decimal(100),
    campaign: Campaign | None = None,
) -> ScoringTable:
    """Create or replace the scoring table of a year; the weighted criteria's weights must
    add up to ``total_weight``. All or nothing."""
    _check_manager(actor, cluster.office)
    specs = [
        ranking.CriterionSpec(n, c.name, c.kind, Decimal(c.weight)) for n, c in enumerate(criteria)
    ]
    try:
        ranking.check_weights(specs, Decimal(total_weight))
    except ranking.TableRefused as exc:
        raise _refuse("criteria", exc.message) from None
    for c in criteria:
        if not c.name.strip():
            raise _refuse("criteria", _("Every criterion needs a name."))
        if c.source == Criterion.Source.INDICATOR and c.indicator is None:
            raise _refuse("criteria", _("Choose the indicator of “%(n)s”.") % {"n": c.name})
        if c.indicator is not None and (campaign is None or c.indicator.campaign_id != campaign.pk):
            raise _refuse(
                "criteria",
                _("The indicator of “%(n)s” is not in the table's campaign.") % {"n": c.name},
            )
        if c.source == Criterion.Source.INDICATOR and cluster.kind != Cluster.Kind.COMMUNES:
            raise _refuse(
                "criteria",
                _(
                    "“%(n)s”: indicators are reported by communes, so they score clusters of"
                    " communes only; score organizations by hand or from activities."
                )
                % {"n": c.name},
            )
        if c.source == Criterion.Source.ACTIVITIES and cluster.kind != Cluster.Kind.ORGANIZATIONS:
            raise _refuse(
                "criteria", _("Activities are counted for clusters of organizations only.")
            )
    if campaign is not None and campaign.office_id != cluster.office_id:
        raise _refuse("campaign", _("The campaign belongs to another office."))
    with transaction.atomic():
        table = ScoringTable.objects.filter(cluster=cluster, year=year).first()
        if table is None:
            table = ScoringTable(
                cluster=cluster,
                year=year,
                base_points=base_points,
                total_weight=total_weight,
                campaign=campaign,
            )
            audit.create(actor, table, "scoring.create", office_id=cluster.office_id)
        else:
            if ManualScore.objects.filter(criterion__table=table).exists():
                raise _refuse(
                    "criteria", _("Scores were already given; the table can no longer change.")
                )
            audit.update_fields(
                actor,
                table,
                {"base_points": base_points, "total_weight": total_weight, "campaign": campaign},
                "scoring.update",
                office_id=cluster.office_id,
            )
            table.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(
                table=table,
                order=n,
                name=nfc(c.name.strip()),
                weight=c.weight,
                kind=c.kind,
                source=c.source,
                indicator=c.indicator,
            )
            for n, c in enumerate(criteria)
        )
        audit.record(
            actor,
            "scoring.criteria",
            table,
            {"criteria": [None, [f"{c.name} ({c.kind}, {c.weight})" for c in criteria]]},
            office_id=cluster.office_id,
        )
    return table


def do_score_by_hand(
    actor: Any, criterion: Criterion, member: ClusterMember, *, points: Decimal, note: str
) -> ManualScore:
    office = criterion.table.cluster.office
    _check_manager(actor, office)
    if criterion.source != Criterion.Source.MANUAL:
        raise _refuse("points", _("This criterion is computed, not scored by hand."))
    if member.cluster_id != criterion.table.cluster_id:
        raise _refuse("member", _("This member is in another cluster."))
    if points < 0 or points > criterion.weight:
        raise _refuse(
            "points",
            _("Points must be between 0 and %(w)s.") % {"w": figures.fmt(criterion.weight)},
        )
    if not note.strip():
        raise _refuse("note", _("A score given by hand needs a note."))
    row = ManualScore.objects.filter(criterion=criterion, member=member).first()
    if row is None:
        row = ManualScore(
            criterion=criterion,
            member=member,
            points=points,
            note=nfc(note.strip()),
            scored_by=_user(actor),
        )
        audit.create(actor, row, "scoring.score", office_id=office.pk)
    else:
        audit.update_fields(
            actor,
            row,
            {"points": points, "note": nfc(note.strip()), "scored_by": _user(actor)},
            "scoring.rescore",
            office_id=office.pk,
        )
    return row


# --- Commendations --------------------------------------------------------------------------


def form_in_force(code: str, day: datetime.date) -> AwardForm | None:
    return (
        AwardForm.objects.filter(code=code, valid_from__lte=day)
        .exclude(valid_until__lt=day)
        .order_by("-valid_from")
        .first()
    )


def base_salary_on(day: datetime.date) -> BaseSalary | None:
    return BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def reward_amount(form: AwardForm, day: datetime.date) -> int:
    """coefficient × base salary of ``day``, rounded up to ten thousand đồng."""
    salary = base_salary_on(day)
    if salary is None:
        return 0
    raw = Decimal(salary.amount) * form.coefficient
    return int(math.ceil(raw / 10000) * 10000)


def achievement_key(
    office_id: int, nominee: str, campaign: Campaign | None, year: int, achievement: str
) -> str:
    """One achievement of one nominee of one office: the office, the folded name, the
    campaign, the year and the folded achievement (a second proposal for the same person
    and year for another achievement is allowed; a namesake in another office is another
    person)."""
    what = fold(achievement)[:150]
    return f"{office_id}|{fold(nominee)[:200]}|{campaign.pk if campaign else '-'}|{year}|{what}"[
        :400
    ]


def check_eligibility(
    form: AwardForm,
    nominee_name: str,
    year: int,
    campaign: Campaign | None,
    *,
    office: JointOffice,
    achievement: str,
) -> list[str]:
    """The reasons a proposal cannot be made (empty when it can). Only the office's own
    proposals and award history are looked at."""
    reasons = []
    key = achievement_key(office.pk, nominee_name, campaign, year, achievement)
    other = (
        Proposal.objects.filter(office=office, achievement_key=key)
        .exclude(status=Proposal.Status.REJECTED)
        .select_related("proposer", "form")
        .first()
    )
    if other is not None:
        reasons.append(
            _("This achievement of %(n)s (%(y)s) was already proposed by %(o)s for “%(f)s”.")
            % {"n": nominee_name, "y": year, "o": other.proposer.name, "f": other.form.name}
        )
    if form.prerequisite is not None:
        need = form.prerequisite
        since = year - max(form.prerequisite_years, 1)
        nominee = fold(nominee_name)
        has = (
            AwardRecord.objects.filter(
                office=office,
                nominee_key=nominee,
                form_code=need.code,
                year__gte=since,
                year__lt=year,
            ).exists()
            or Proposal.objects.filter(
                office=office,
                nominee_key=nominee,
                form__code=need.code,
                status=Proposal.Status.DECIDED,
                year__gte=since,
                year__lt=year,
            ).exists()
        )
        if not has:
            reasons.append(
                _("“%(f)s” requires “%(p)s” received within the %(k)s years before.")
                % {"f": form.name, "p": need.name, "k": max(form.prerequisite_years, 1)}
            )
    return reasons


def do_propose_award(
    actor: Any,
    office: JointOffice,
    *,
    proposer: Organization,
    form_code: str,
    nominee_name: str,
    year: int,
    achievement: str,
    campaign: Campaign | None = None,
) -> Proposal:
    scope_ok = access.can_manage(actor, office) or proposer.pk in _led_orgs(actor)
    if not scope_ok:
        raise _refuse(
            None, _("Only the office's staff or the proposing organization's leaders may propose.")
        )
    if not office.organizations.filter(pk=proposer.pk).exists():
        raise _refuse("proposer", _("The proposing organization is not a member of the office."))
    if campaign is not None and campaign.office_id != office.pk:
        raise _refuse("campaign", _("The campaign belongs to another office."))
    today = clock.today()
    form = form_in_force(form_code, today)
    if form is None:
        raise _refuse("form_code", _("This form of commendation is not in force today."))
    if not nominee_name.strip():
        raise _refuse("nominee_name", _("Enter the nominee."))
    if not achievement.strip():
        raise _refuse("achievement", _("Describe the achievement."))
    reasons = check_eligibility(
        form, nominee_name.strip(), year, campaign, office=office, achievement=achievement
    )
    if reasons:
        raise _refuse(None, " ".join(reasons))
    proposal = Proposal(
        office=office,
        campaign=campaign,
        proposer=proposer,
        form=form,
        nominee_name=nfc(nominee_name.strip()),
        nominee_key=fold(nominee_name),
        year=year,
        achievement=nfc(achievement.strip()),
        achievement_key=achievement_key(
            office.pk, nominee_name.strip(), campaign, year, achievement.strip()
        ),
        amount=reward_amount(form, today),
        proposed_on=today,
        created_by=_user(actor),
    )
    try:
        with transaction.atomic():
            audit.create(actor, proposal, "award.propose", office_id=office.pk)
    except IntegrityError:
        raise _refuse(None, _("This achievement was already proposed.")) from None
    return proposal


def do_record_award(
    actor: Any,
    office: JointOffice,
    *,
    nominee_name: str,
    form_code: str,
    year: int,
    decision: str = "",
) -> AwardRecord:
    """An award received before (or outside) Khối, kept so that eligibility can be checked
    against it (prerequisites, the same award twice)."""
    _check_manager(actor, office)
    if not nominee_name.strip():
        raise _refuse("nominee_name", _("Enter the nominee."))
    if not AwardForm.objects.filter(code=form_code).exists():
        raise _refuse("form_code", _("Choose a form of commendation."))
    if not 1945 <= year <= clock.today().year:
        raise _refuse("year", _("The year of the award is not valid."))
    key = fold(nominee_name)
    if AwardRecord.objects.filter(
        office=office, nominee_key=key, form_code=form_code, year=year
    ).exists():
        raise _refuse(None, _("This award of the nominee is already recorded."))
    record = AwardRecord(
        office=office,
        nominee_key=key,
        nominee_name=nfc(nominee_name.strip()),
        form_code=form_code,
        year=year,
        decision=nfc(decision.strip()),
    )
    audit.create(actor, record, "award.record", office_id=office.pk)
    return record


def _led_orgs(actor: Any) -> set[int]:
    from khoi.accounts.access import get_scope

    return get_scope(actor).led_org_ids


def do_record_vote(
    actor: Any,
    proposal: Proposal,
    *,
    members: int,
    votes_for: int,
    votes_against: int,
    voted_on: datetime.date,
) -> None:
    """The emulation council's vote: passed with more than half of its members for."""
    _check_head(actor, proposal.office)
    if proposal.status not in (Proposal.Status.PROPOSED, Proposal.Status.REJECTED):
        raise _refuse(None, _("The council has already passed this proposal."))
    if members <= 0 or votes_for < 0 or votes_against < 0 or votes_for + votes_against > members:
        raise _refuse("votes_for", _("The votes do not fit the number of council members."))
    passed = votes_for * 2 > members
    audit.update_fields(
        actor,
        proposal,
        {
            "council_members": members,
            "votes_for": votes_for,
            "votes_against": votes_against,
            "voted_on": voted_on,
            "status": Proposal.Status.PASSED if passed else Proposal.Status.REJECTED,
        },
        "award.vote",
        office_id=proposal.office_id,
    )


def do_issue_award_decision(
    actor: Any,
    office: JointOffice,
    proposals: Sequence[Proposal],
    *,
    issued_on: datetime.date,
    signer: str = "",
) -> Any:
    """Issue the decision (…/QĐ-MTTQ) for passed proposals, with its .docx attached."""
    from khoi.campaigns.decision import decision_docx
    from khoi.documents import services as documents

    _check_head(actor, office)
    if not proposals:
        raise _refuse(None, _("Choose the proposals the decision commends."))
    for p in proposals:
        if p.office_id != office.pk or p.status != Proposal.Status.PASSED:
            raise _refuse(None, _("Only proposals passed by the council can be decided."))
    with transaction.atomic():
        document = documents.do_issue_document(
            actor,
            office,
            system="state",
            doc_type=DECISION_TYPE,
            issuer_code="MTTQ",
            issued_on=issued_on,
            issuing_body=office.name,
            summary=_stored(
                gettext_noop("Decision commending %(n)s collectives and individuals"),
                {"n": len(proposals)},
            ),
            signer=signer,
        )
        for p in proposals:
            # the reward is paid at the base salary in force when the decision is issued
            # (Decree 98/2023/NĐ-CP, principles of the reward), not on the proposal's day
            audit.update_fields(
                actor,
                p,
                {
                    "status": Proposal.Status.DECIDED,
                    "decision_document": document,
                    "amount": reward_amount(p.form, issued_on) or p.amount,
                },
                "award.decide",
                office_id=office.pk,
            )
            AwardRecord.objects.create(
                office=office,
                nominee_key=p.nominee_key,
                nominee_name=p.nominee_name,
                form_code=p.form.code,
                year=p.year,
                decision=document.notation,
            )
        data = decision_docx(office, document, list(proposals), signer)
        upload = ContentFile(data, name=f"quyet-dinh-khen-thuong-{document.number}.docx")
        documents.do_attach_file(actor, document, upload)
    return document
