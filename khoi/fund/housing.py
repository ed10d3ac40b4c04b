"""Housing support ("nhà Đại đoàn kết"): every step of a case, as services.

proposal (residential-area meeting) → verification (commune Front) → on-site appraisal
(checklist per province, photos checked by content, score) → approval by the standing
board (maker-checker: whoever proposed never approves) → decision numbered in the document
register → first tranche (default 60 %) → progress with photos → acceptance record →
second tranche → handover → settlement. Each payment is a ledger expenditure of the fund
(``services.do_post_expenditure``: the balance check and the fund lock apply); a step out
of order is refused with the reason.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext

from khoi import clock
from khoi.audit import services as audit
from khoi.fund import access, services
from khoi.fund.access import can_approve
from khoi.fund.models import (
    AcceptanceRole,
    AppraisalCriterion,
    CasePhoto,
    Entry,
    Fund,
    Household,
    HousingAmount,
    HousingCase,
    HousingKind,
    Support,
)
from khoi.lib import filetypes

S = HousingCase.Status
PHOTO_TYPES = {filetypes.JPEG, filetypes.PNG}
MAX_PHOTO_BYTES = 10 * 1024 * 1024


# the document register's type code of the support decision (data, not a message)
DECISION_DOC_TYPE = "QĐ"


def _refuse(message: str, field: str | None = None) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _office_id(case: HousingCase) -> int | None:
    return case.fund.office_id


def _require(case: HousingCase, *allowed: str) -> None:
    if case.status not in allowed:
        labels = ", ".join(str(S(a).label) for a in allowed)
        raise _refuse(
            gettext("This step is only possible when the case is: %(allowed)s (now: %(now)s).")
            % {"allowed": labels, "now": S(case.status).label},
            "status",
        )


def _loggable(value: Any) -> Any:
    """A field's new value as the audit log keeps it: JSON values as they are (the log shows
    a checklist as its items, a score as a number), anything else as text."""
    if value is None or isinstance(value, bool | int | str | list | dict):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _move(
    actor: Any, case: HousingCase, status: str, action: str, *,
    logged: dict[str, Any] | None = None, **fields: Any,
) -> HousingCase:  # fmt: skip
    """Step ``case`` to ``status``; ``logged`` replaces what the log shows of a field (the
    appraisal's checklist as the names of the criteria met, not their codes)."""
    before = case.status
    case.status = status
    for k, v in fields.items():
        setattr(case, k, v)
    case.save(update_fields=["status", *fields])
    shown = {k: _loggable(v) for k, v in fields.items()} | (logged or {})
    audit.record(actor, action, case, {"status": [before, status], **shown},
                 office_id=_office_id(case))  # fmt: skip
    return case


# --- who may take each step (the page's buttons and the API go through ``may``) -------------


def may(user: Any, case: HousingCase, step: str) -> bool:
    """Whether ``user`` may take ``step`` on ``case`` (whatever its status): the one rule
    of ``access.case_step_refusal``, shared by the page's buttons and the API."""
    return access.case_step_refusal(user, case, step) is None


def _require_role(actor: Any, case: HousingCase, step: str) -> None:
    """Refuse a step to a person without the role. Code that runs without a person (the
    demo loader, data migrations) passes ``None``, as for the other services."""
    if getattr(actor, "pk", None) is None:
        return
    refusal = access.case_step_refusal(actor, case, step)
    if refusal is not None:
        raise _refuse(refusal)


def amount_for(kind: str, province_id: int | None, year: int) -> HousingAmount | None:
    in_force = Q(year_from__lte=year) & (Q(year_to__isnull=True) | Q(year_to__gte=year))
    rows = HousingAmount.objects.filter(in_force, kind=kind)
    return (
        rows.filter(province_id=province_id).order_by("-year_from").first()
        or rows.filter(province__isnull=True).order_by("-year_from").first()
    )


def criteria_for(province_id: int | None) -> list[AppraisalCriterion]:
    own = list(AppraisalCriterion.objects.filter(province_id=province_id))
    return own or list(AppraisalCriterion.objects.filter(province__isnull=True))


def _province_id(household: Household) -> int | None:
    unit = household.unit
    return unit.province_id or (unit.pk if unit.level == 1 else None)


MAX_AMOUNT_SOURCE = 300  # HousingCase.amount_source


def _manual_amount(amount: Any, source: str) -> tuple[int, str]:
    """An amount entered by hand (the province's level when no row is in the data), with
    the document it comes from: both are required."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _refuse(
            gettext("The support amount must be a whole number of dong greater than zero."),
            "amount",
        )
    source = source.strip()
    if not source:
        raise _refuse(
            gettext("Name the document that sets this amount (number, date, issuing body)."),
            "amount_source",
        )
    if len(source) > MAX_AMOUNT_SOURCE:
        raise _refuse(
            gettext("The document reference is too long (at most %(n)s characters).")
            % {"n": MAX_AMOUNT_SOURCE},
            "amount_source",
        )
    return amount, source


def do_propose_case(
    actor: Any,
    household: Household,
    fund: Fund,
    *,
    year: int,
    kind: str,
    note: str = "",
    amount: int | None = None,
    amount_source: str = "",
) -> HousingCase:
    """Propose a case. The amount is the level in the data for the kind, the household's
    province and the year (``amount_for``); when there is none, or the province's level
    differs, the office enters ``amount`` with ``amount_source`` (the document setting it)."""
    if kind not in HousingKind.values:
        raise _refuse(gettext("Choose a new build or a repair."), "kind")
    year = services._year_ok(year, "year")
    if HousingCase.objects.filter(household=household, year=year).exists():
        raise _refuse(
            gettext("This household already has a housing case in %(year)s.") % {"year": year},
            "year",
        )
    if amount is not None or amount_source.strip():
        value, source = _manual_amount(amount, amount_source)
    else:
        row = amount_for(kind, _province_id(household), year)
        if row is None:
            raise _refuse(
                gettext(
                    "There is no support amount for %(kind)s in %(year)s for this province in "
                    "the data. Enter the amount and the document of the province (or of the "
                    "fund) that sets it, or ask the administrator to add the level."
                )
                % {"kind": HousingKind(kind).label, "year": year},
                "amount",
            )
        value, source = row.amount, row.source
    case = HousingCase(
        household=household, fund=fund, year=year, kind=kind, status=S.PROPOSED,
        amount=value, amount_source=source, note=note.strip(),
        proposed_by=actor if getattr(actor, "pk", None) else None, created_at=clock.now(),
    )  # fmt: skip
    audit.create(actor, case, "fund.case.propose", office_id=fund.office_id)
    return case


def do_verify_case(actor: Any, case: HousingCase) -> HousingCase:
    _require_role(actor, case, "verify")
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.PROPOSED)
        return _move(actor, case, S.VERIFIED, "fund.case.verify")


def _save_photos(case: HousingCase, stage: str, photos: list[tuple[str, bytes]]) -> None:
    """Check every photo by its content first, then store them: a bad one stores none."""
    checked = []
    for name, data in photos:
        try:
            content_type = filetypes.check_upload(io.BytesIO(data), len(data), MAX_PHOTO_BYTES)
            if content_type in PHOTO_TYPES:  # decoded with Pillow, not only its first bytes
                content_type = filetypes.check_image(data)
        except filetypes.FileRefused as exc:
            raise _refuse(
                gettext("Photo «%(name)s»: %(reason)s") % {"name": name, "reason": exc}, "photos"
            ) from None
        if content_type not in PHOTO_TYPES:
            raise _refuse(
                gettext("File «%(name)s» is not a JPEG or PNG photo.") % {"name": name}, "photos"
            )
        checked.append((name, data, content_type))
    for name, data, content_type in checked:
        photo = CasePhoto(case=case, stage=stage, content_type=content_type, created_at=clock.now())
        photo.file.save(name[-80:] or "anh", ContentFile(data), save=False)
        photo.save()


def do_appraise_case(
    actor: Any, case: HousingCase, *, checklist: dict[str, bool], photos: list[tuple[str, bytes]]
) -> HousingCase:
    _require_role(actor, case, "appraise")
    criteria = criteria_for(_province_id(case.household))
    codes = {c.code for c in criteria}
    unknown = set(checklist) - codes
    if unknown:
        raise _refuse(
            gettext("Criteria not in the appraisal checklist: %(codes)s")
            % {"codes": ", ".join(sorted(unknown))},
            "criteria",
        )
    if not photos:
        raise _refuse(gettext("At least one photo of the house as it is is needed."), "photos")
    score = sum(c.points for c in criteria if checklist.get(c.code))
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.VERIFIED)
        _save_photos(case, CasePhoto.Stage.APPRAISAL, photos)
        clean = {c.code: bool(checklist.get(c.code)) for c in criteria}
        met = [c.label for c in criteria if clean[c.code]]
        return _move(actor, case, S.APPRAISED, "fund.case.appraise", checklist=clean, score=score,
                     logged={"checklist": met})  # fmt: skip


def do_approve_case(actor: Any, case: HousingCase) -> HousingCase:
    """Maker-checker: the person who proposed the case can never approve it."""
    if getattr(actor, "pk", None) is None:
        raise _refuse(gettext("Approval must be given by a person of the standing board."))
    if case.proposed_by_id == actor.pk:
        raise _refuse(gettext("Whoever proposed a case cannot approve it."))
    if not can_approve(actor, case):
        raise _refuse(gettext("Only the standing board approves the support list."))
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.APPRAISED)
        if case.proposed_by_id == actor.pk:
            raise _refuse(gettext("Whoever proposed a case cannot approve it."))
        money = available_for(case.fund, exclude=case)
        if case.amount > money.left:
            raise _refuse(
                gettext(
                    "The fund cannot cover this case: balance %(balance)s VND, less %(committed)s "
                    "VND of tranches still owed to decided cases and %(approved)s VND of cases "
                    "already approved, leaves %(left)s VND; this case needs %(amount)s VND."
                )
                % {"balance": services.vnd(money.balance),
                   "committed": services.vnd(money.committed),
                   "approved": services.vnd(money.approved),
                   "left": services.vnd(max(money.left, 0)),
                   "amount": services.vnd(case.amount)}
            )  # fmt: skip
        return _move(actor, case, S.APPROVED, "fund.case.approve", approved_by=actor)


def check_tranche1_percent(value: Any) -> int:
    """The first tranche's share of the amount, in percent: a whole number from 1 to 99."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 99:
        raise _refuse(
            gettext("The first tranche is a whole percentage from 1 to 99."), "tranche1_percent"
        )
    return value


def do_issue_decision(
    actor: Any,
    case: HousingCase,
    *,
    issued_on: datetime.date,
    tranche1_percent: int | None = None,
) -> HousingCase:
    """Number the support decision in the office's document register. The decision sets the
    first tranche's share (``tranche1_percent``; the case keeps its own, 60 % by default,
    when None)."""
    from khoi.documents.services import do_issue_document

    _require_role(actor, case, "decide")
    percent = None if tranche1_percent is None else check_tranche1_percent(tranche1_percent)
    office = case.fund.office
    if office is None:
        raise _refuse(
            gettext("The fund is not attached to an office, so it has no document register.")
        )
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.APPROVED)
        document = do_issue_document(
            actor, office, system="state", doc_type=DECISION_DOC_TYPE, issuer_code="MTTQ",
            issued_on=issued_on, issuing_body=office.name,
            summary=gettext("On the %(kind)s support for a Great Unity house of household %(head)s")
                    % {"kind": HousingKind(case.kind).label, "head": case.household.head_name},
        )  # fmt: skip
        share: dict[str, Any] = {} if percent is None else {"tranche1_percent": percent}
        return _move(actor, case, S.DECIDED, "fund.case.decide",
                     decision_notation=document.notation, decision_date=issued_on,
                     **share)  # fmt: skip


def _pay(actor: Any, case: HousingCase, amount: int, date: datetime.date, label: str) -> Entry:
    purpose = (
        Entry.Purpose.HOUSING_NEW if case.kind == HousingKind.NEW else Entry.Purpose.HOUSING_REPAIR
    )
    entry = services.do_post_expenditure(
        actor, case.fund, amount=amount, date=date, purpose=purpose,
        beneficiary=gettext("%(label)s: household %(head)s")
                    % {"label": label, "head": case.household.head_name},
        decision_ref=case.decision_notation,
    )  # fmt: skip
    # The fund's own house counts among the supports the household received (the
    # "already received … from … in …" of the matches): one row per payment, recorded when
    # the money goes out — a house under construction has already received its first tranche.
    services.do_add_support(
        actor, case.household, year=case.year, organization=case.fund.name[:200],
        kind=purpose, amount=amount,
        note=gettext("%(label)s, decision %(decision)s, entry %(number)s")
             % {"label": label, "decision": case.decision_notation, "number": entry.number},
        entry=entry,
    )  # fmt: skip
    return entry


def do_pay_tranche(actor: Any, case: HousingCase, *, tranche: int, date: datetime.date) -> Entry:
    """Tranche 1 after the decision; tranche 2 only after the acceptance record."""
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        if tranche == 1:
            if case.status in (S.PROPOSED, S.VERIFIED, S.APPRAISED, S.APPROVED):
                raise _refuse(
                    gettext("Tranche 1 cannot be paid yet: the case has no approved decision."),
                    "tranche",
                )
            _require(case, S.DECIDED)
            entry = _pay(actor, case, case.tranche1_amount, date, gettext("Tranche 1 advance"))
            _move(actor, case, S.TRANCHE1, "fund.case.tranche1", tranche1_entry=entry)
        elif tranche == 2:
            if case.status != S.ACCEPTED:
                raise _refuse(
                    gettext("Tranche 2 cannot be paid yet: the works have not been accepted."),
                    "tranche",
                )
            if (
                case.tranche1_entry_id is not None
                and Entry.objects.filter(reverses_id=case.tranche1_entry_id).exists()
            ):
                raise _refuse(
                    gettext(
                        "Tranche 2 cannot be paid: the first tranche of this case was reversed."
                    )
                )
            entry = _pay(actor, case, case.tranche2_amount, date, gettext("Tranche 2 payment"))
            _move(actor, case, S.TRANCHE2, "fund.case.tranche2", tranche2_entry=entry)
        else:
            raise _refuse(gettext("There are only tranches 1 and 2."), "tranche")
    return entry


def do_record_progress(
    actor: Any, case: HousingCase, *, note: str, photos: list[tuple[str, bytes]]
) -> HousingCase:
    _require_role(actor, case, "progress")
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.TRANCHE1)
        if not photos:
            raise _refuse(gettext("Photos of the construction progress are needed."), "photos")
        _save_photos(case, CasePhoto.Stage.PROGRESS, photos)
        audit.record(actor, "fund.case.progress", case, {"note": note[:300]},
                     office_id=_office_id(case))  # fmt: skip
    return case


def acceptance_roles_for(case: HousingCase) -> list[AcceptanceRole]:
    """Who signs the acceptance record: the office's own roles, else the province's, else
    the national defaults (data, edited in the admin)."""
    roles = AcceptanceRole.objects.all()
    if case.fund.office_id:
        own = list(roles.filter(office_id=case.fund.office_id))
        if own:
            return own
    province = _province_id(case.household)
    if province is not None:
        own = list(roles.filter(office__isnull=True, province_id=province))
        if own:
            return own
    return list(roles.filter(office__isnull=True, province__isnull=True))


def _signatures(roles: list[AcceptanceRole], signers: list[str] | dict[int, str]) -> list[str]:
    """ "Role: name" lines of the record; every required role must be signed for."""
    if not roles:  # nothing configured: free text, at least two people
        names = [str(s).strip() for s in signers if str(s).strip()]
        if len(names) < 2:
            raise _refuse(gettext("The acceptance record needs at least two signers."), "signers")
        return names
    if isinstance(signers, dict):
        by_role = {r.pk: str(signers.get(r.pk, "")).strip() for r in roles}
    else:  # a list: one name a role, in the roles' order
        names = [str(s).strip() for s in signers]
        by_role = {r.pk: (names[i] if i < len(names) else "") for i, r in enumerate(roles)}
    missing = [r.label for r in roles if r.required and not by_role[r.pk]]
    if missing:
        raise _refuse(
            gettext("Name who signs the acceptance record as: %(roles)s.")
            % {"roles": "; ".join(missing)},
            "signers",
        )
    return [f"{r.label}: {by_role[r.pk]}" for r in roles if by_role[r.pk]]


def do_accept_case(
    actor: Any,
    case: HousingCase,
    *,
    accepted_on: datetime.date,
    signers: list[str] | dict[int, str],
) -> HousingCase:
    """Record the acceptance; ``signers`` names who signs for each configured role
    (role id → name, or names in the roles' order)."""
    _require_role(actor, case, "accept")
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.TRANCHE1)
        if not case.photos.filter(stage=CasePhoto.Stage.PROGRESS).exists():
            raise _refuse(
                gettext("No photo of the construction progress yet: acceptance is not possible."),
                "photos",
            )
        lines = _signatures(acceptance_roles_for(case), signers)
        return _move(actor, case, S.ACCEPTED, "fund.case.accept",
                     accepted_on=accepted_on, acceptance_signers=lines)  # fmt: skip


def do_hand_over(actor: Any, case: HousingCase, *, date: datetime.date) -> HousingCase:
    _require_role(actor, case, "handover")
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.TRANCHE2)
        return _move(actor, case, S.HANDED_OVER, "fund.case.handover", handed_over_on=date)


def do_settle_case(actor: Any, case: HousingCase) -> HousingCase:
    _require_role(actor, case, "settle")
    with transaction.atomic():
        case = HousingCase.objects.select_for_update().get(pk=case.pk)
        _require(case, S.HANDED_OVER)
        return _move(actor, case, S.SETTLED, "fund.case.settle")


# --- the year's allocation ------------------------------------------------------------------


@dataclass
class AllocationRow:
    case: HousingCase
    funded: bool
    reason: str


def committed(fund: Fund) -> int:
    """The tranches the fund still owes: the whole amount of cases with a decision issued,
    the second tranche of cases whose first tranche is paid or whose works are accepted."""
    total = 0
    rows = HousingCase.objects.filter(
        fund=fund, status__in=[S.DECIDED, S.TRANCHE1, S.ACCEPTED]
    ).values_list("status", "amount", "tranche1_percent")
    for status, amount, percent in rows:
        first = amount * percent // 100
        total += amount if status == S.DECIDED else amount - first
    return total


@dataclass
class Available:
    balance: int  # the ledger's balance
    committed: int  # unpaid tranches of decided / tranche-1 / accepted cases
    approved: int  # cases approved, decision not yet issued

    @property
    def left(self) -> int:
        return self.balance - self.committed - self.approved


def available_for(fund: Fund, *, exclude: HousingCase | None = None) -> Available:
    approved = HousingCase.objects.filter(fund=fund, status=S.APPROVED)
    if exclude is not None:
        approved = approved.exclude(pk=exclude.pk)
    return Available(
        balance=services.balance(fund),
        committed=committed(fund),
        approved=int(approved.aggregate(t=Sum("amount", default=0))["t"]),
    )


def allocation(fund: Fund, year: int) -> list[AllocationRow]:
    """Appraised and approved cases of the year ranked by score (ties: earlier proposal),
    funded while the fund's balance, less the tranches still owed to cases already decided
    (``committed``), lasts; the others wait, with the reason."""
    available = services.balance(fund) - committed(fund)
    cases = (
        HousingCase.objects.filter(fund=fund, year=year, status__in=[S.APPRAISED, S.APPROVED])
        .select_related("household")
        .order_by("-score", "created_at", "pk")
    )
    rows: list[AllocationRow] = []
    for rank, case in enumerate(cases, start=1):
        if case.amount <= available:
            available -= case.amount
            rows.append(AllocationRow(
                case, True,
                gettext("Rank %(rank)s, %(score)s points: funded.")
                % {"rank": rank, "score": case.score},
            ))  # fmt: skip
        else:
            rows.append(AllocationRow(
                case, False,
                gettext("Rank %(rank)s, %(score)s points: the balance left is %(left)s VND, "
                        "short of %(amount)s VND; waits for more donations.")
                % {"rank": rank, "score": case.score, "left": services.vnd(available),
                   "amount": services.vnd(case.amount)},
            ))  # fmt: skip
    return rows


def case_paid_by(entry: Entry) -> HousingCase | None:
    """The housing case whose tranche ``entry`` paid, if any."""
    return (
        HousingCase.objects.select_related("household")
        .filter(Q(tranche1_entry=entry) | Q(tranche2_entry=entry))
        .first()
    )


def on_entry_reversal(actor: Any, entry: Entry) -> HousingCase | None:
    """Called by ``services.do_reverse_entry`` in its transaction, before the reversal is
    posted. The rule, as a fund accountant keeps the book: reversing a tranche says the
    money was not paid, so the case steps back with it in the same transaction — tranche 1
    reversed: back to "decision issued" (tranche 1 can be paid again, correctly); tranche 2
    reversed: back to "construction accepted". A tranche on which a later step rests is
    not reversed: tranche 1 once the works were accepted on it (reverse tranche 2 first if
    it was paid, then record the correction), tranche 2 once the house was handed over."""
    case = case_paid_by(entry)
    if case is None:
        return None
    case = (
        HousingCase.objects.select_for_update().select_related("household", "fund").get(pk=case.pk)
    )
    head = case.household.head_name
    if case.tranche1_entry_id == entry.pk:
        if case.status != S.TRANCHE1:
            raise _refuse(
                gettext(
                    "Entry %(number)s paid the first tranche of the housing case of household "
                    "%(head)s, which has since moved on to «%(status)s» on the strength of it: "
                    "it cannot be reversed while the case depends on it."
                )
                % {"number": entry.number, "head": head, "status": S(case.status).label}
            )
        _drop_supports(actor, entry)
        return _move(actor, case, S.DECIDED, "fund.case.tranche1.reverse", tranche1_entry=None)
    if case.status != S.TRANCHE2:
        raise _refuse(
            gettext(
                "Entry %(number)s paid the second tranche of the housing case of household "
                "%(head)s, which has since moved on to «%(status)s»: it cannot be reversed "
                "while the case depends on it."
            )
            % {"number": entry.number, "head": head, "status": S(case.status).label}
        )
    _drop_supports(actor, entry)
    return _move(actor, case, S.ACCEPTED, "fund.case.tranche2.reverse", tranche2_entry=None)


def _drop_supports(actor: Any, entry: Entry) -> None:
    """A reversed tranche was not paid: the support recorded with the payment goes with it
    (audited), so the matches no longer say the household received it."""
    for support in Support.objects.filter(entry=entry):
        audit.record(actor, "fund.household.support.reverse", support, {
            "amount": [support.amount, None], "note": [support.note, None]})  # fmt: skip
        support.delete()
