"""Feedback rounds on building the Party and the government (Decision 218-QĐ/TW): every
change goes through here (atomic, audited, refusals in Vietnamese)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib.vntext import nfc
from khoi.org.models import AdminUnit, JointOffice, Organization
from khoi.oversight import access_criticism as access
from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound

ISSUER_CODE = "MTTQ"


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _text(value: Any) -> str:
    return nfc(str(value or "")).strip()


def _day(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


def _check_manager(actor: Any, office: JointOffice) -> None:
    if actor is not None and not access.can_manage(actor, office):
        raise _refuse(None, _("Only the office's staff keep the feedback rounds."))


def do_open_round(
    actor: Any,
    office: JointOffice,
    *,
    title: str,
    subject_kind: str,
    subject: str,
    start_on: datetime.date | None,
    end_on: datetime.date | None,
    send_to: str,
    note: str = "",
) -> FeedbackRound:
    _check_manager(actor, office)
    errors: dict[str, list[str]] = {}
    if not _text(title):
        errors["title"] = [_("Enter the title of the round.")]
    if subject_kind not in FeedbackRound.SubjectKind.values:
        errors["subject_kind"] = [_("Choose what the feedback is on.")]
    if not _text(subject):
        errors["subject"] = [_("Describe what the feedback is on.")]
    if not _text(send_to):
        errors["send_to"] = [_("Name the body the report is sent to.")]
    if start_on is None:
        errors["start_on"] = [_("Enter the first day of collecting opinions.")]
    if end_on is None:
        errors["end_on"] = [_("Enter the last day of collecting opinions.")]
    elif start_on is not None and end_on < start_on:
        errors["end_on"] = [
            _("The round cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": _day(end_on), "start": _day(start_on)}
        ]
    if errors:
        raise ValidationError(errors)
    assert start_on is not None and end_on is not None
    round_ = FeedbackRound(
        office=office, title=_text(title), subject_kind=subject_kind, subject=_text(subject),
        start_on=start_on, end_on=end_on, send_to=_text(send_to), note=_text(note),
        created_by=_user(actor),
    )  # fmt: skip
    with transaction.atomic():
        audit.create(actor, round_, "feedback.open", office_id=office.pk)
    return round_


@transaction.atomic
def do_add_opinion(
    actor: Any,
    round_: FeedbackRound,
    *,
    source_kind: str,
    content: str,
    source_name: str = "",
    organization: Organization | None = None,
    commune: AdminUnit | None = None,
    received_on: datetime.date | None = None,
) -> FeedbackOpinion:
    """Record an opinion collected in the round. Staff record any; leaders of the office's
    organizations their organization's; commune reporters their own commune's residents'
    meetings and citizens. Refused once the report was sent."""
    office = round_.office
    locked = FeedbackRound.objects.select_for_update().filter(pk=round_.pk).first()
    if locked is None or locked.status != FeedbackRound.Status.OPEN:
        raise _refuse(None, _("The report of this round was sent; no more opinions are taken."))
    manager = actor is None or access.can_manage(actor, office)
    errors: dict[str, list[str]] = {}
    if source_kind not in FeedbackOpinion.SourceKind.values:
        errors["source_kind"] = [_("Choose where the opinion comes from.")]
    if not _text(content):
        errors["content"] = [_("Write the opinion.")]
    received_on = received_on or clock.today()
    if received_on < round_.start_on:
        errors["received_on"] = [
            _("The round collects opinions from %(day)s.") % {"day": _day(round_.start_on)}
        ]
    elif received_on > clock.today():
        errors["received_on"] = [_("The date of the opinion is in the future.")]
    if commune is not None and not access.office_communes(office).filter(pk=commune.pk).exists():
        errors["commune"] = [_("This commune is not in the office's area.")]
    name = _text(source_name)
    if source_kind == FeedbackOpinion.SourceKind.ORGANIZATION:
        if organization is None:
            errors["organization"] = [_("Choose the organization giving the opinion.")]
        elif not office.organizations.filter(pk=organization.pk).exists():
            errors["organization"] = [_("This organization is not a member of the office.")]
        elif (
            not manager
            and not access.comment_organizations(actor, office).filter(pk=organization.pk).exists()
        ):
            errors["organization"] = [
                _("You may record opinions only for an organization you lead.")
            ]
        name = name or (organization.name if organization else "")
    elif source_kind == FeedbackOpinion.SourceKind.RESIDENTS and commune is None:
        errors["commune"] = [_("Choose the commune of the residents' meeting.")]
    if not name and "organization" not in errors:
        errors["source_name"] = [_("Name who gave the opinion (the meeting, the citizen).")]
    if not manager:
        mine = access.reporter_communes(actor, office)
        leads = access.comment_organizations(actor, office).exists()
        if source_kind == FeedbackOpinion.SourceKind.ORGANIZATION:
            if not leads:
                errors.setdefault("source_kind", []).append(
                    _("Commune reporters record residents' meetings and citizens of their commune.")
                )
        elif commune is None or not mine.filter(pk=commune.pk).exists():
            errors.setdefault("commune", []).append(
                _("You may record opinions only from your own commune.")
            )
    if errors:
        raise ValidationError(errors)
    opinion = FeedbackOpinion(
        round=round_, source_kind=source_kind, source_name=name,
        organization=organization if source_kind == "organization" else None,
        commune=commune, content=_text(content), received_on=received_on,
        created_by=_user(actor),
    )  # fmt: skip
    audit.create(actor, opinion, "feedback.opinion", office_id=office.pk)
    return opinion


def recommendations_of(round_: FeedbackRound) -> list[Any]:
    from khoi.oversight.models import Recommendation

    return list(
        Recommendation.objects.filter(source_kind="feedback", source_id=round_.pk).order_by("pk")
    )


@transaction.atomic
def do_send_report(
    actor: Any,
    round_: FeedbackRound,
    *,
    reported_on: datetime.date | None,
    signer: str = "",
    issuer_code: str = ISSUER_CODE,
) -> Any:
    """Number the consolidated report in the register (…/BC-MTTQ), attach its .docx and
    close the round to new opinions."""
    from khoi.documents import services as documents
    from khoi.oversight.documents_criticism import feedback_report_docx

    _check_manager(actor, round_.office)
    round_ = (
        FeedbackRound.objects.select_for_update().select_related("office__unit").get(pk=round_.pk)
    )
    if round_.status != FeedbackRound.Status.OPEN:
        raise _refuse(None, _("The report of this round was already sent."))
    if reported_on is None:
        raise _refuse("reported_on", _("Enter the date of the report."))
    if reported_on < round_.start_on:
        raise _refuse("reported_on", _("The report cannot be dated before the round started."))
    if reported_on > clock.today():
        raise _refuse("reported_on", _("The date of the report is in the future."))
    opinions = list(round_.opinions.order_by("source_kind", "pk"))
    if not opinions:
        raise _refuse(None, _("Record at least one opinion before sending the report."))
    names = dict(
        AdminUnit.objects.filter(
            pk__in={o.commune_id for o in opinions if o.commune_id}
        ).values_list("pk", "name")
    )
    recs = [f"{r.body}: {r.content}" for r in recommendations_of(round_)]
    document = documents.do_issue_document(
        actor, round_.office, system="state", doc_type="BC", issuer_code=issuer_code,
        issued_on=reported_on, issuing_body=round_.office.name,
        summary=_("Feedback on building the Party and the government: %(t)s") % {"t": round_.title},
        recipients=round_.send_to, signer=_text(signer),
    )  # fmt: skip
    data = feedback_report_docx(
        round_, opinions, notation=document.notation, reported_on=reported_on,
        signer=_text(signer), recommendations=recs, commune_names=names,
    )  # fmt: skip
    documents.do_attach_file(
        actor, document, ContentFile(data, name=f"gop-y-xay-dung-dang-{round_.pk}.docx")
    )
    audit.update_fields(
        actor, round_,
        {"status": FeedbackRound.Status.REPORTED, "reported_on": reported_on,
         "report_document": document, "signer": _text(signer)},
        "feedback.report", office_id=round_.office_id,
    )  # fmt: skip
    return document


def do_recommend_from_round(
    actor: Any,
    round_: FeedbackRound,
    *,
    body: str,
    content: str,
    due_on: datetime.date | None,
    issued_on: datetime.date | None = None,
) -> Any:
    """A recommendation of the round, recorded in the office's one register."""
    from khoi.oversight.services.recommendations import Source, create_recommendation

    _check_manager(actor, round_.office)
    day = issued_on or clock.today()
    if day < round_.start_on:
        raise _refuse("issued_on", _("A recommendation of the round cannot predate the round."))
    return create_recommendation(
        actor, round_.office, body=body, content=content, due_on=due_on, issued_on=day,
        subject=round_.title[:200],
        source=Source(
            "feedback", round_.pk, round_.title,
            reverse("oversight:feedback_detail", args=[round_.pk]),
        ),
        document=round_.report_document,
    )  # fmt: skip
