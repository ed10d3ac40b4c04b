"""The register of recommendations: create, answer, follow up (every change audited).

Other parts of the app (social criticism, feedback rounds) create their recommendations
through :func:`create_recommendation`, naming their record with a :class:`Source`; the
register never imports their models.

    from khoi.oversight.services.recommendations import Source, create_recommendation
    create_recommendation(actor, office, body="UBND thị xã", content="...",
                          due_on=date(2017, 11, 30),
                          source=Source("criticism", point.pk, "Điểm 3 ...", url))
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.org.models import AdminUnit, JointOffice, Organization
from khoi.oversight import access
from khoi.oversight.models import (
    Recommendation,
    RecommendationAnswer,
    RecommendationFollowUp,
    Supervision,
)

OUTCOME_STATUS = {
    RecommendationAnswer.Outcome.ACCEPTED: Recommendation.Status.ACCEPTED,
    RecommendationAnswer.Outcome.PARTLY: Recommendation.Status.PARTLY,
    RecommendationAnswer.Outcome.REJECTED: Recommendation.Status.REJECTED,
}


@dataclass(frozen=True)
class Source:
    """Where a recommendation comes from: ``kind`` one of ``Recommendation.SourceKind``
    ("supervision", "criticism", "feedback", "other"), the record's id, its title and the
    address of its page (shown as a link only to those who may open it)."""

    kind: str
    id: int | None = None
    title: str = ""
    url: str = ""


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_can_write(
    actor: Any, office: JointOffice, organization_id: int | None, unit_id: int | None
) -> None:
    if actor is not None and not access.can_write(actor, office, organization_id, unit_id):
        raise _refuse(None, _("You may not record recommendations for this office."))


def default_due_on(issued_on: datetime.date) -> datetime.date | None:
    """The answer due date from the lead time in force (data with its source); None when no
    rule is in force on that date (no invented default: the user enters the date by hand)."""
    from khoi.oversight import statutory
    from khoi.workcalendar.services import work_calendar

    lead = statutory.lead_times_on(issued_on).get("answer_after")
    if lead is None:
        return None
    return statutory.shift(issued_on, lead, before=False, calendar=work_calendar())


@transaction.atomic
def create_recommendation(
    actor: Any,
    office: JointOffice,
    *,
    body: str,
    content: str,
    due_on: datetime.date | None,
    issued_on: datetime.date | None = None,
    subject: str = "",
    source: Source | None = None,
    organization: Organization | None = None,
    unit: AdminUnit | None = None,
    supervision: Supervision | None = None,
    document: Any = None,
) -> Recommendation:
    """Record a recommendation to ``body``. Refused (nothing saved) without a body, a
    content or an answer due date, or with a due date before the recommendation's date.
    ``actor=None`` is the system (demo, imports): no permission check."""
    body = nfc(body or "").strip()
    content = nfc(content or "").strip()
    subject = nfc(subject or "").strip()
    issued_on = issued_on or clock.today()
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("Name the body the recommendation is addressed to.")]
    if not content:
        errors["content"] = [_("Write the content of the recommendation.")]
    if due_on is None:
        errors["due_on"] = [_("Give the date by which the body must answer.")]
    elif due_on < issued_on:
        errors["due_on"] = [
            _("The answer due date (%(due)s) is before the recommendation's date (%(day)s).")
            % {"due": due_on.strftime("%d/%m/%Y"), "day": issued_on.strftime("%d/%m/%Y")}
        ]
    if issued_on > clock.today():
        errors["issued_on"] = [_("The recommendation's date is in the future.")]
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    if supervision is not None:
        if supervision.office_id != office.pk:
            raise _refuse("supervision", _("This supervision belongs to another office."))
        organization = organization or supervision.organization
        unit = unit or supervision.unit
        if source is None:
            source = Source(
                Recommendation.SourceKind.SUPERVISION, supervision.pk, supervision.subject
            )
    source = source or Source(Recommendation.SourceKind.OTHER)
    if source.kind not in Recommendation.SourceKind.values:
        raise _refuse("source_kind", _("Unknown source of a recommendation."))
    if document is not None and document.office_id != office.pk:
        raise _refuse("document", _("This document belongs to another office's register."))
    _check_can_write(
        actor, office, organization.pk if organization else None, unit.pk if unit else None
    )
    rec = Recommendation(
        office=office,
        organization=organization,
        unit=unit,
        source_kind=source.kind,
        source_id=source.id,
        source_title=nfc(source.title)[:300],
        source_url=source.url[:300],
        supervision=supervision,
        body=body,
        subject=subject,
        content=content,
        issued_on=issued_on,
        due_on=due_on,
        document=document,
        created_by=_user(actor),
    )
    audit.create(actor, rec, "oversight.recommendation.create", office_id=office.pk)
    return rec


@transaction.atomic
def answer_recommendation(
    actor: Any,
    rec: Recommendation,
    *,
    answered_on: datetime.date | None,
    outcome: str,
    explanation: str = "",
    document: Any = None,
    document_ref: str = "",
) -> RecommendationAnswer:
    """Record the body's answer; the latest answer sets the recommendation's status.
    Refused when dated before the recommendation or in the future."""
    rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
    errors: dict[str, list[str]] = {}
    if answered_on is None:
        errors["answered_on"] = [_("Give the date of the answer.")]
    elif answered_on < rec.issued_on:
        errors["answered_on"] = [
            _("The answer (%(answer)s) cannot be dated before the recommendation (%(day)s).")
            % {
                "answer": answered_on.strftime("%d/%m/%Y"),
                "day": rec.issued_on.strftime("%d/%m/%Y"),
            }
        ]
    elif answered_on > clock.today():
        errors["answered_on"] = [_("The answer's date is in the future.")]
    if outcome not in RecommendationAnswer.Outcome.values:
        errors["outcome"] = [_("Choose whether the body accepted the recommendation.")]
    if outcome != RecommendationAnswer.Outcome.ACCEPTED and not (explanation or "").strip():
        errors.setdefault("explanation", []).append(
            _("Give the body's explanation when it did not fully accept.")
        )
    if errors:
        raise ValidationError(errors)
    assert answered_on is not None
    if document is not None and document.office_id != rec.office_id:
        raise _refuse("document", _("This document belongs to another office's register."))
    _check_can_write(actor, rec.office, rec.organization_id, rec.unit_id)
    answer = RecommendationAnswer(
        recommendation=rec,
        answered_on=answered_on,
        outcome=outcome,
        explanation=nfc(explanation or "").strip(),
        document=document,
        document_ref=nfc(document_ref or "").strip(),
        created_by=_user(actor),
    )
    audit.create(actor, answer, "oversight.answer.create", office_id=rec.office_id)
    latest = rec.answers.order_by("-answered_on", "-id").first()
    assert latest is not None
    audit.update_fields(
        actor,
        rec,
        {"status": OUTCOME_STATUS[latest.outcome], "answered_on": latest.answered_on},  # type: ignore[index]
        "oversight.recommendation.status",
        office_id=rec.office_id,
    )
    return answer


@transaction.atomic
def follow_up_recommendation(
    actor: Any,
    rec: Recommendation,
    *,
    kind: str,
    done_on: datetime.date | None,
    due_on: datetime.date | None = None,
    addressee: str = "",
    note: str = "",
    document: Any = None,
) -> RecommendationFollowUp:
    """A reminder letter, an escalation to the body's superior or a re-supervision. A new
    answer due date (``due_on``) moves the recommendation's due date (audited)."""
    rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
    errors: dict[str, list[str]] = {}
    if kind not in RecommendationFollowUp.Kind.values:
        errors["kind"] = [_("Choose the kind of follow-up.")]
    if done_on is None:
        errors["done_on"] = [_("Give the date of the follow-up.")]
    elif done_on < rec.issued_on:
        errors["done_on"] = [_("The follow-up cannot be dated before the recommendation.")]
    elif done_on > clock.today():
        errors["done_on"] = [_("The follow-up's date is in the future.")]
    if due_on is not None and done_on is not None and due_on < done_on:
        errors["due_on"] = [_("The new answer due date is before the follow-up.")]
    if kind == RecommendationFollowUp.Kind.ESCALATION and not (addressee or "").strip():
        errors["addressee"] = [_("Name the superior body the recommendation is escalated to.")]
    if errors:
        raise ValidationError(errors)
    assert done_on is not None
    if document is not None and document.office_id != rec.office_id:
        raise _refuse("document", _("This document belongs to another office's register."))
    _check_can_write(actor, rec.office, rec.organization_id, rec.unit_id)
    row = RecommendationFollowUp(
        recommendation=rec,
        kind=kind,
        done_on=done_on,
        due_on=due_on,
        addressee=nfc(addressee or "").strip(),
        note=nfc(note or "").strip(),
        document=document,
        created_by=_user(actor),
    )
    audit.create(actor, row, "oversight.followup.create", office_id=rec.office_id)
    if due_on is not None and rec.is_open:
        audit.update_fields(
            actor, rec, {"due_on": due_on}, "oversight.recommendation.due", office_id=rec.office_id
        )
    return row


@transaction.atomic
def withdraw_recommendation(actor: Any, rec: Recommendation, reason: str) -> Recommendation:
    if not (reason or "").strip():
        raise _refuse("reason", _("Give the reason for withdrawing the recommendation."))
    _check_can_write(actor, rec.office, rec.organization_id, rec.unit_id)
    audit.update_fields(
        actor,
        rec,
        {"status": Recommendation.Status.WITHDRAWN},
        "oversight.recommendation.withdraw",
        office_id=rec.office_id,
    )
    audit.record(actor, "oversight.recommendation.withdraw_reason", rec, {"reason": [None, reason]},
                 office_id=rec.office_id)  # fmt: skip
    return rec
