"""Social criticism of drafts: every change goes through here (atomic, audited, refusals in
Vietnamese with the field they concern)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.lib import draftsections
from khoi.lib.vntext import nfc
from khoi.org.models import JointOffice, Organization
from khoi.oversight import access_criticism as access
from khoi.oversight.models.criticism import (
    CriticismRule,
    Critique,
    CritiqueComment,
    CritiqueSection,
)

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
        raise _refuse(None, _("Only the office's staff keep the drafts for social criticism."))


# --- The statutory periods (data with their source) ----------------------------------------


@dataclass(frozen=True)
class LeadCheck:
    """How much time the drafting body left, against the rule in force on receipt."""

    rule: CriticismRule | None
    given_days: int
    required_days: int | None

    @property
    def short(self) -> bool:
        return self.required_days is not None and self.given_days < self.required_days


def all_rules() -> list[CriticismRule]:
    """Every rule (a handful of rows), for checking many drafts with one query."""
    return list(CriticismRule.objects.all())


def rule_on(kind: str, day: datetime.date, rules: Iterable[CriticismRule] | None = None
            ) -> CriticismRule | None:  # fmt: skip
    """The rule of ``kind`` in force on ``day`` (the latest start when several overlap)."""
    rows = all_rules() if rules is None else list(rules)
    found = [r for r in rows if r.kind == kind and r.in_force(day)]
    return max(found, key=lambda r: r.valid_from) if found else None


def _count(rule: CriticismRule, start: datetime.date, end: datetime.date) -> int:
    if rule.counting == CriticismRule.Counting.WORKING:
        from khoi.workcalendar.services import work_calendar

        return work_calendar().working_days_between(start, end)
    return (end - start).days


def lead_check(critique: Critique, rules: Iterable[CriticismRule] | None = None) -> LeadCheck:
    """Whether the draft came with the time the rule in force on receipt requires."""
    rule = rule_on(CriticismRule.Kind.LEAD, critique.received_on, rules)
    given = (critique.due_on - critique.received_on).days
    if rule is None:
        return LeadCheck(None, given, None)
    return LeadCheck(rule, _count(rule, critique.received_on, critique.due_on), rule.days)


def answer_due(critique: Critique, rules: Iterable[CriticismRule] | None = None
               ) -> tuple[datetime.date | None, CriticismRule | None]:  # fmt: skip
    """The date the drafting body's answer is due (from the critique's issue), and the rule."""
    if critique.issued_on is None:
        return None, None
    rule = rule_on(CriticismRule.Kind.ANSWER, critique.issued_on, rules)
    if rule is None:
        return None, None
    if rule.counting == CriticismRule.Counting.WORKING:
        from khoi.workcalendar.services import work_calendar

        return work_calendar().add_working_days(critique.issued_on, rule.days), rule
    due = critique.issued_on + datetime.timedelta(days=rule.days)
    from khoi.workcalendar.services import work_calendar

    # a period ending on a day off ends on the next working day (Civil Code 2015, art. 148)
    return work_calendar().next_working_day(due), rule


# --- Receiving a draft, its sections ------------------------------------------------------


def _check_dates(received_on: datetime.date | None, due_on: datetime.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if received_on is None:
        errors["received_on"] = [_("Enter the date the draft was received.")]
    elif received_on > clock.today():
        errors["received_on"] = [_("The date the draft was received is in the future.")]
    if due_on is None:
        errors["due_on"] = [_("Enter the date the critique is due.")]
    elif received_on is not None and due_on < received_on:
        errors["due_on"] = [
            _("The critique cannot be due (%(due)s) before the draft was received (%(day)s).")
            % {"due": _day(due_on), "day": _day(received_on)}
        ]
    if errors:
        raise ValidationError(errors)


def do_receive_draft(
    actor: Any,
    office: JointOffice,
    *,
    title: str,
    draft_kind: str,
    drafting_body: str,
    received_on: datetime.date | None,
    due_on: datetime.date | None,
    form: str,
    held_on: datetime.date | None = None,
    note: str = "",
    letter_notation: str = "",
    letter_date: datetime.date | None = None,
    text: str = "",
) -> Critique:
    """Record a draft received for social criticism; with ``letter_notation`` the letter
    that sent it is registered as an incoming document, with ``text`` its sections are cut
    at the headings. All or nothing."""
    _check_manager(actor, office)
    errors: dict[str, list[str]] = {}
    if not _text(title):
        errors["title"] = [_("Enter the title of the draft.")]
    if not _text(drafting_body):
        errors["drafting_body"] = [_("Name the body that drafted it.")]
    if draft_kind not in Critique.DraftKind.values:
        errors["draft_kind"] = [_("Choose the kind of draft.")]
    if form not in Critique.Form.values:
        errors["form"] = [_("Choose the form of criticism.")]
    if _text(letter_notation) and letter_date is None:
        errors["letter_date"] = [_("Enter the date of the letter that sent the draft.")]
    if errors:
        raise ValidationError(errors)
    _check_dates(received_on, due_on)
    assert received_on is not None and due_on is not None
    if held_on is not None and held_on < received_on:
        raise _refuse("held_on", _("The conference cannot be held before the draft arrived."))
    with transaction.atomic():
        letter = None
        if _text(letter_notation):
            from khoi.documents import services as documents

            assert letter_date is not None
            letter = documents.do_register_document(
                actor, office, direction="in", notation=letter_notation, issued_on=letter_date,
                received_on=received_on, issuing_body=_text(drafting_body),
                summary=_("Sending the draft for social criticism: %(t)s") % {"t": _text(title)},
            )  # fmt: skip
        critique = Critique(
            office=office, title=_text(title), draft_kind=draft_kind,
            drafting_body=_text(drafting_body), received_on=received_on, due_on=due_on,
            form=form, held_on=held_on, note=_text(note), received_document=letter,
            created_by=_user(actor),
        )  # fmt: skip
        audit.create(actor, critique, "critique.receive", office_id=office.pk)
        if _text(text):
            _replace_sections(actor, critique, draftsections.split(text))
    return critique


DRAFT_FIELDS = ("title", "draft_kind", "drafting_body", "received_on", "due_on", "form",
                "held_on", "note")  # fmt: skip


def do_update_draft(actor: Any, critique: Critique, **data: Any) -> dict[str, list[Any]]:
    """Correct what was recorded of a draft received (title, kind, drafting body, dates,
    form, note). Refused once the critique is issued (what was issued stands), for a date
    received after a comment already given, and with the same checks as on receipt. The
    lead time is judged again from the new dates (it is computed, never stored)."""
    _check_manager(actor, critique.office)
    if not critique.accepts_comments:
        raise _refuse(None, _("The critique was issued; the draft can no longer be changed."))
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise _refuse(None, _("These fields cannot be changed here."))
    merged = {name: data.get(name, getattr(critique, name)) for name in DRAFT_FIELDS}
    errors: dict[str, list[str]] = {}
    if not _text(merged["title"]):
        errors["title"] = [_("Enter the title of the draft.")]
    if not _text(merged["drafting_body"]):
        errors["drafting_body"] = [_("Name the body that drafted it.")]
    if merged["draft_kind"] not in Critique.DraftKind.values:
        errors["draft_kind"] = [_("Choose the kind of draft.")]
    if merged["form"] not in Critique.Form.values:
        errors["form"] = [_("Choose the form of criticism.")]
    if errors:
        raise ValidationError(errors)
    received_on, held_on = merged["received_on"], merged["held_on"]
    _check_dates(received_on, merged["due_on"])
    if held_on is not None and held_on < received_on:
        raise _refuse("held_on", _("The conference cannot be held before the draft arrived."))
    first = critique.comments.order_by("given_on").values_list("given_on", flat=True).first()
    if first is not None and received_on > first:
        raise _refuse(
            "received_on",
            _("A comment was given on %(day)s, before the new date received.")
            % {"day": _day(first)},
        )  # fmt: skip
    for name in ("title", "drafting_body", "note"):
        if name in data:
            data[name] = _text(data[name])
    return audit.update_fields(
        actor, critique, data, "critique.update", office_id=critique.office_id
    )


def _replace_sections(
    actor: Any, critique: Critique, sections: Sequence[draftsections.Section]
) -> list[CritiqueSection]:
    rows = []
    for index, s in enumerate(sections, start=1):
        heading = _text(s.heading)
        if not heading:
            raise _refuse("sections", _("Section %(n)d has no heading.") % {"n": index})
        if len(heading) > 300:
            raise _refuse(
                "sections", _("The heading of section %(n)d is longer than 300 characters.")
                % {"n": index},
            )  # fmt: skip
        rows.append(
            CritiqueSection(critique=critique, order=index, heading=heading, text=_text(s.text))
        )
    old = list(critique.sections.values_list("heading", flat=True))
    critique.sections.all().delete()
    CritiqueSection.objects.bulk_create(rows)
    audit.record(
        actor, "critique.sections", critique,
        {"sections": [old, [r.heading for r in rows]]}, office_id=critique.office_id,
    )  # fmt: skip
    return rows


def do_set_sections(
    actor: Any,
    critique: Critique,
    *,
    text: str = "",
    sections: Sequence[tuple[str, str]] | None = None,
) -> list[CritiqueSection]:
    """Replace the draft's sections: cut from pasted ``text`` at its headings, or given as
    (heading, text) pairs. Refused once comments are anchored to them or the critique was
    issued."""
    _check_manager(actor, critique.office)
    if not critique.accepts_comments:
        raise _refuse(None, _("The critique was issued; the draft's sections are closed."))
    if critique.comments.filter(section__isnull=False).exists():
        raise _refuse(
            "text",
            _("Comments are already anchored to the sections; add a section instead of "
              "replacing them."),
        )  # fmt: skip
    if sections is None:
        parts = draftsections.split(text)
    else:
        parts = [draftsections.Section(h, t) for h, t in sections]
    if not parts:
        raise _refuse("text", _("Paste the text of the draft or enter its sections."))
    with transaction.atomic():
        return _replace_sections(actor, critique, parts)


def do_add_section(
    actor: Any, critique: Critique, *, heading: str, text: str = ""
) -> CritiqueSection:
    _check_manager(actor, critique.office)
    if not critique.accepts_comments:
        raise _refuse(None, _("The critique was issued; the draft's sections are closed."))
    if not _text(heading):
        raise _refuse("heading", _("Enter the heading of the section."))
    with transaction.atomic():
        last = critique.sections.order_by("-order").values_list("order", flat=True).first() or 0
        section = CritiqueSection(
            critique=critique, order=last + 1, heading=_text(heading), text=_text(text)
        )
        audit.create(actor, section, "critique.section_add", office_id=critique.office_id)
    return section


# --- Comments (the points of the critique) ---------------------------------------------------


@transaction.atomic
def do_add_comment(
    actor: Any,
    critique: Critique,
    *,
    content: str,
    author_kind: str,
    author_name: str = "",
    organization: Organization | None = None,
    section: CritiqueSection | None = None,
    given_on: datetime.date | None = None,
) -> CritiqueComment:
    """Anchor a comment to a section (or to the draft as a whole). Refused once the
    critique was issued; a leader comments only for an organization they lead."""
    office = critique.office
    if actor is not None and not access.can_comment(actor, office):
        raise _refuse(None, _("You may not comment on this draft."))
    locked = Critique.objects.select_for_update().filter(pk=critique.pk).first()
    if locked is None or not locked.accepts_comments:
        raise _refuse(
            None,
            _("The critique of this draft was issued on %(day)s; no more comments are taken.")
            % {"day": _day(locked.issued_on) if locked and locked.issued_on else "—"},
        )
    errors: dict[str, list[str]] = {}
    if not _text(content):
        errors["content"] = [_("Write the comment.")]
    if author_kind not in CritiqueComment.AuthorKind.values:
        errors["author_kind"] = [_("Choose who gives the comment.")]
    if section is not None and section.critique_id != critique.pk:
        errors["section"] = [_("This section belongs to another draft.")]
    given_on = given_on or clock.today()
    if given_on < critique.received_on:
        errors["given_on"] = [_("A comment cannot be given before the draft was received.")]
    elif given_on > clock.today():
        errors["given_on"] = [_("The date of the comment is in the future.")]
    if author_kind == CritiqueComment.AuthorKind.ORGANIZATION:
        if organization is None:
            errors["organization"] = [_("Choose the organization giving the comment.")]
        elif (
            actor is not None
            and not access.comment_organizations(actor, office).filter(pk=organization.pk).exists()
        ):
            errors["organization"] = [
                _("You may comment only for an organization of the office that you lead.")
            ]
        name = _text(author_name) or (organization.name if organization else "")
    else:
        name = _text(author_name)
        if not name:
            errors["author_name"] = [_("Name the member or expert who gives the comment.")]
        if actor is not None and not access.can_manage(actor, office):
            errors.setdefault("author_kind", []).append(
                _("Leaders of organizations comment in the name of their organization.")
            )
    if errors:
        raise ValidationError(errors)
    comment = CritiqueComment(
        critique=critique, section=section, author_kind=author_kind, author_name=name,
        organization=organization if author_kind == "organization" else None,
        content=_text(content), given_on=given_on, created_by=_user(actor),
    )  # fmt: skip
    with transaction.atomic():
        audit.create(actor, comment, "critique.comment", office_id=office.pk)
    return comment


# --- Issuing the critique --------------------------------------------------------------------


def ordered_points(critique: Critique) -> tuple[list[CritiqueSection], list[CritiqueComment]]:
    """The sections in order and the points in the order of the critique: general points
    first, then section by section (two queries)."""
    sections = list(critique.sections.order_by("order"))
    rank = {s.pk: s.order for s in sections}
    comments = sorted(
        critique.comments.select_related("organization"),
        key=lambda c: (-1 if c.section_id is None else rank.get(c.section_id, 0), c.pk),
    )
    return sections, comments


@transaction.atomic
def do_issue_critique(
    actor: Any,
    critique: Critique,
    *,
    issued_on: datetime.date | None,
    signer: str = "",
    issuer_code: str = ISSUER_CODE,
    document: Any = None,
) -> Any:
    """Issue the consolidated critique: number it in the register as an outgoing report
    (…/BC-MTTQ), or use ``document``, a document of the register numbered by hand; the
    .docx (point by point, section by section, who said it) is attached to it. From then
    on no comment is taken."""
    from khoi.documents import services as documents
    from khoi.oversight.documents_criticism import critique_docx

    _check_manager(actor, critique.office)
    critique = (
        Critique.objects.select_for_update().select_related("office__unit").get(pk=critique.pk)
    )
    if critique.status != Critique.Status.OPEN:
        raise _refuse(None, _("The critique of this draft was already issued."))
    if issued_on is None:
        raise _refuse("issued_on", _("Enter the date of the critique."))
    if issued_on < critique.received_on:
        raise _refuse("issued_on", _("The critique cannot be dated before the draft arrived."))
    if issued_on > clock.today():
        raise _refuse("issued_on", _("The date of the critique is in the future."))
    sections, comments = ordered_points(critique)
    if not comments:
        raise _refuse(None, _("Record at least one comment before issuing the critique."))
    last = max(c.given_on for c in comments)
    if issued_on < last:
        raise _refuse(
            "issued_on",
            _("The critique cannot be dated before the last comment (%(day)s).")
            % {"day": _day(last)},
        )
    if document is not None and (
        document.office_id != critique.office_id or document.direction != "out"
    ):
        raise _refuse("document", _("Choose an outgoing document of this office's register."))
    rules = all_rules()
    lead = rule_on(CriticismRule.Kind.LEAD, critique.received_on, rules)
    answer = rule_on(CriticismRule.Kind.ANSWER, issued_on, rules)
    kind = Critique.DraftKind(critique.draft_kind).label
    with transaction.atomic():
        if document is None:
            document = documents.do_issue_document(
                actor, critique.office, system="state", doc_type="BC", issuer_code=issuer_code,
                issued_on=issued_on, issuing_body=critique.office.name,
                summary=_("Social criticism of the %(kind)s “%(t)s”")
                % {"kind": kind, "t": critique.title},
                recipients=critique.drafting_body, signer=_text(signer),
            )  # fmt: skip
        data = critique_docx(
            critique, sections, comments, notation=document.notation, issued_on=issued_on,
            signer=_text(signer) or document.signer, basis=lead.source if lead else "",
            answer_days=answer.days if answer else None,
        )  # fmt: skip
        upload = ContentFile(data, name=f"phan-bien-xa-hoi-{critique.pk}.docx")
        documents.do_attach_file(actor, document, upload)
        audit.update_fields(
            actor, critique,
            {"status": Critique.Status.ISSUED, "issued_on": issued_on,
             "issued_document": document, "signer": _text(signer) or document.signer},
            "critique.issue", office_id=critique.office_id,
        )  # fmt: skip
    return document


# --- The drafting body's answer ----------------------------------------------------------------


@dataclass(frozen=True)
class PointAnswer:
    response: str
    note: str = ""


@transaction.atomic
def do_record_answer(
    actor: Any,
    critique: Critique,
    *,
    answered_on: datetime.date | None,
    answers: Mapping[int, PointAnswer],
    summary: str = "",
    letter_notation: str = "",
    recommendation_due_on: datetime.date | None = None,
    recommend_to: str = "",
) -> list[Any]:
    """Record the drafting body's written answer, point by point (every point answered:
    accepted, partly, not accepted with its explanation). With ``letter_notation`` the
    answer letter is registered as incoming. Each point not accepted becomes a
    recommendation of the register (to ``recommend_to``, by default the drafting body, due
    ``recommendation_due_on``). Returns the recommendations made. All or nothing."""
    from khoi.oversight.services.recommendations import Source, create_recommendation

    _check_manager(actor, critique.office)
    critique = (
        Critique.objects.select_for_update().select_related("office__unit").get(pk=critique.pk)
    )
    if critique.status == Critique.Status.OPEN:
        raise _refuse(None, _("The critique has not been issued yet; there is nothing to answer."))
    if critique.status == Critique.Status.ANSWERED:
        raise _refuse(None, _("The drafting body's answer was already recorded."))
    errors: dict[str, list[str]] = {}
    assert critique.issued_on is not None
    if answered_on is None:
        errors["answered_on"] = [_("Enter the date of the drafting body's answer.")]
    elif answered_on < critique.issued_on:
        errors["answered_on"] = [
            _("The answer (%(answer)s) cannot be dated before the critique (%(day)s).")
            % {"answer": _day(answered_on), "day": _day(critique.issued_on)}
        ]
    elif answered_on > clock.today():
        errors["answered_on"] = [_("The date of the answer is in the future.")]
    _sections, points = ordered_points(critique)
    for number, point in enumerate(points, start=1):
        given = answers.get(point.pk)
        key = f"response-{point.pk}"
        if given is None or given.response not in CritiqueComment.Response.values:
            errors[key] = [_("Point %(n)d: choose whether it was accepted.") % {"n": number}]
        elif given.response != CritiqueComment.Response.ACCEPTED and not _text(given.note):
            errors[key] = [
                _("Point %(n)d: give the drafting body's explanation for not fully accepting.")
                % {"n": number}
            ]
    unknown = set(answers) - {p.pk for p in points}
    if unknown:
        errors["answers"] = [_("An answer names a point of another draft.")]
    rejected = [
        p for p in points
        if p.pk in answers and answers[p.pk].response == CritiqueComment.Response.NOT_ACCEPTED
    ]  # fmt: skip
    if rejected and recommendation_due_on is None:
        errors["recommendation_due_on"] = [
            _("Points were not accepted: give the date by which the recommendations made of "
              "them must be answered.")
        ]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    assert answered_on is not None
    made: list[Any] = []
    with transaction.atomic():
        letter = None
        if _text(letter_notation):
            from khoi.documents import services as documents

            letter = documents.do_register_document(
                actor, critique.office, direction="in", notation=letter_notation,
                issued_on=answered_on, received_on=answered_on,
                issuing_body=critique.drafting_body,
                summary=_("Answer to the social criticism of “%(t)s”") % {"t": critique.title},
            )  # fmt: skip
        for point in points:
            given = answers[point.pk]
            audit.update_fields(
                actor, point, {"response": given.response, "response_note": _text(given.note)},
                "critique.point_answer", office_id=critique.office_id,
            )  # fmt: skip
        audit.update_fields(
            actor, critique,
            {"status": Critique.Status.ANSWERED, "answered_on": answered_on,
             "answer_summary": _text(summary), "answer_document": letter},
            "critique.answer", office_id=critique.office_id,
        )  # fmt: skip
        url = reverse("oversight:critique_detail", args=[critique.pk])
        for point in rejected:
            number = points.index(point) + 1
            made.append(
                create_recommendation(
                    actor, critique.office, body=_text(recommend_to) or critique.drafting_body,
                    content=point.content, due_on=recommendation_due_on,
                    issued_on=answered_on, subject=critique.title[:200],
                    source=Source(
                        "criticism", point.pk,
                        _("Point %(n)d of the critique of “%(t)s”")
                        % {"n": number, "t": critique.title},
                        f"{url}#point-{point.pk}",
                    ),
                    document=critique.issued_document,
                )
            )  # fmt: skip
    return made
