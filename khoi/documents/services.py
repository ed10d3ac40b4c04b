"""Every change to the document register and the periodic reports goes through here."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from khoi.audit import services as audit
from khoi.documents import access, numbering
from khoi.documents.models import Attachment, Document, PeriodicReport
from khoi.lib import docnumber
from khoi.lib.doctypes import lookup_type
from khoi.lib.filetypes import DEFAULT_MAX_BYTES, FileRefused, check_upload
from khoi.lib.vntext import nfc
from khoi.org.models import JointOffice

TEXT_FIELDS = ("issuing_body", "summary", "recipients", "signer")


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else [message])


def _check_writer(actor: Any, office: JointOffice) -> None:
    if not access.can_write(actor, office):
        raise _refuse(None, _("Only the office's staff keep the document register."))


def parse_notation(text: str, field: str = "notation") -> docnumber.DocumentNumber:
    try:
        return docnumber.parse(text)
    except docnumber.NotationError as exc:
        raise _refuse(field, exc.message) from None


def max_attachment_bytes() -> int:
    return int(getattr(settings, "KHOI_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _check_links(office: JointOffice, plans: Sequence[Any], activities: Sequence[Any],
                 meetings: Sequence[Any]) -> None:  # fmt: skip
    for name, objs in (("plans", plans), ("activities", activities), ("meetings", meetings)):
        if any(o.office_id != office.pk for o in objs):
            raise _refuse(name, _("A linked item belongs to another office."))


def _duplicate(office: JointOffice, direction: str, notation: str, issued_on: datetime.date,
               key: str, number: int, exclude: int | None = None) -> None:  # fmt: skip
    same = Document.objects.filter(office=office, direction=direction, notation=notation,
                                   issued_on=issued_on)  # fmt: skip
    numbered = Document.objects.filter(office=office, numbering_key=key, number=number)
    if exclude:
        same, numbered = same.exclude(pk=exclude), numbered.exclude(pk=exclude)
    if same.exists():
        raise _refuse(
            "notation",
            _("Document %(n)s of %(d)s is already in the register.")
            % {"n": notation, "d": issued_on.strftime("%d/%m/%Y")},
        )
    if key and numbered.exists():
        raise _refuse(
            "notation",
            _("Number %(n)s was already given to another document of this series.") % {"n": number},
        )


def _check_dates(issued_on: datetime.date, received_on: datetime.date | None,
                 year: int | None) -> None:  # fmt: skip
    if received_on is not None and received_on < issued_on:
        raise _refuse("received_on", _("A document cannot be received before its date."))
    if year is not None and year != issued_on.year:
        raise _refuse("issued_on", _("The date does not match the year written in the notation."))


def do_register_document(
    actor: Any,
    office: JointOffice,
    *,
    direction: str,
    notation: str,
    issued_on: datetime.date,
    issuing_body: str,
    summary: str,
    received_on: datetime.date | None = None,
    recipients: str = "",
    signer: str = "",
    plans: Sequence[Any] = (),
    activities: Sequence[Any] = (),
    meetings: Sequence[Any] = (),
) -> Document:
    """Register a document with a number it already has (any incoming one, or an
    outgoing one numbered by hand). Outgoing numbers join their series' counter."""
    _check_writer(actor, office)
    if direction not in Document.Direction.values:
        raise _refuse("direction", _("Choose incoming or outgoing."))
    parsed = parse_notation(notation)
    if not summary.strip():
        raise _refuse("summary", _("Enter the summary of the document."))
    if not issuing_body.strip():
        raise _refuse("issuing_body", _("Enter the issuing body."))
    _check_dates(issued_on, received_on, parsed.year)
    _check_links(office, plans, activities, meetings)
    canonical = docnumber.format(parsed)
    key = ""
    if direction == Document.Direction.OUT:
        key = numbering.series_key(parsed.system, parsed.issuer, parsed.type, issued_on)
    with transaction.atomic():
        if key:
            numbering.note_number(office, key, parsed.number)
        _duplicate(office, direction, canonical, issued_on, key, parsed.number)
        document = Document(
            office=office, direction=direction, notation_raw=nfc(notation.strip())[:120],
            notation=canonical, system=parsed.system, number=parsed.number, year=parsed.year,
            doc_type=parsed.type or "", issuer_code=parsed.issuer, numbering_key=key,
            issued_on=issued_on, received_on=received_on, issuing_body=nfc(issuing_body.strip()),
            summary=nfc(summary.strip()), recipients=nfc(recipients.strip()),
            signer=nfc(signer.strip()), created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        try:
            with transaction.atomic():
                audit.create(actor, document, "document.register", office_id=office.pk)
        except IntegrityError:
            raise _refuse("notation", _("This document is already in the register.")) from None
        _set_links(actor, document, plans, activities, meetings, initial=True)
    return document


def do_issue_document(
    actor: Any,
    office: JointOffice,
    *,
    system: str,
    doc_type: str | None,
    issuer_code: str,
    issued_on: datetime.date,
    issuing_body: str,
    summary: str,
    recipients: str = "",
    signer: str = "",
    plans: Sequence[Any] = (),
    activities: Sequence[Any] = (),
    meetings: Sequence[Any] = (),
) -> Document:
    """Issue an outgoing document: take the next number of its series and register it."""
    _check_writer(actor, office)
    if system not in Document.System.values:
        raise _refuse("system", _("Choose the state or the Party format."))
    canonical_type = lookup_type(system, doc_type) if doc_type else None  # type: ignore[arg-type]
    if doc_type and canonical_type is None:
        raise _refuse("doc_type", _("This type is not in the official list of abbreviations."))
    if system == "party" and canonical_type is None:
        raise _refuse("doc_type", _("Party documents always carry a type."))
    probe = f"1/{canonical_type}-{issuer_code}" if canonical_type else f"1/{issuer_code}"
    if system == "party":
        probe = f"1-{canonical_type}/{issuer_code}"
    probed = parse_notation(probe, "issuer_code")
    if probed.type != canonical_type:
        raise _refuse(
            "issuer_code", _("The issuer's abbreviation must not begin with a document type.")
        )
    issuer = probed.issuer
    if not summary.strip():
        raise _refuse("summary", _("Enter the summary of the document."))
    _check_links(office, plans, activities, meetings)
    key = numbering.series_key(system, issuer, canonical_type, issued_on)
    with transaction.atomic():
        number = numbering.take_number(office, key)
        # The office issues administrative documents: no year in the notation.
        parsed = docnumber.DocumentNumber(system, number, None, canonical_type, issuer)  # type: ignore[arg-type]
        canonical = docnumber.format(parsed)
        document = Document(
            office=office, direction=Document.Direction.OUT, notation_raw=canonical,
            notation=canonical, system=system, number=number, year=parsed.year,
            doc_type=canonical_type or "", issuer_code=issuer, numbering_key=key,
            issued_on=issued_on, issuing_body=nfc(issuing_body.strip()),
            summary=nfc(summary.strip()), recipients=nfc(recipients.strip()),
            signer=nfc(signer.strip()), created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        audit.create(actor, document, "document.issue", office_id=office.pk)
        _set_links(actor, document, plans, activities, meetings, initial=True)
    return document


def _set_links(actor: Any, document: Document, plans: Sequence[Any] | None,
               activities: Sequence[Any] | None, meetings: Sequence[Any] | None,
               *, initial: bool = False) -> dict[str, list[Any]]:  # fmt: skip
    changes: dict[str, list[Any]] = {}
    for name, values in (("plans", plans), ("activities", activities), ("meetings", meetings)):
        if values is None:
            continue
        manager = getattr(document, name)
        before = [] if initial else sorted(manager.values_list("pk", flat=True))
        after = sorted({v.pk for v in values})
        if before != after:
            manager.set(values)
            changes[name] = [before, after]
    if changes:
        audit.record(actor, "document.link", document, changes, office_id=document.office_id)
    return changes


def do_update_document(
    actor: Any,
    document: Document,
    *,
    plans: Sequence[Any] | None = None,
    activities: Sequence[Any] | None = None,
    meetings: Sequence[Any] | None = None,
    **data: Any,
) -> dict[str, list[Any]]:
    """Change the descriptive fields and the links; the number itself never changes."""
    _check_writer(actor, document.office)
    clean = {k: nfc(str(v).strip()) for k, v in data.items() if k in TEXT_FIELDS}
    if "received_on" in data:
        clean["received_on"] = data["received_on"]
        _check_dates(document.issued_on, data["received_on"], None)
    if "summary" in clean and not clean["summary"]:
        raise _refuse("summary", _("Enter the summary of the document."))
    _check_links(document.office, plans or (), activities or (), meetings or ())
    with transaction.atomic():
        changes = audit.update_fields(
            actor, document, clean, "document.update", office_id=document.office_id
        )
        changes.update(_set_links(actor, document, plans, activities, meetings))
    return changes


def do_attach_file(actor: Any, document: Document, upload: Any) -> Attachment:
    """Attach a file after checking its type from its content and its size."""
    _check_writer(actor, document.office)
    size = int(getattr(upload, "size", 0) or 0)
    try:
        content_type = check_upload(upload, size, max_attachment_bytes())
    except FileRefused as exc:
        raise _refuse("file", exc.message) from None
    upload.seek(0)
    data = upload.read()
    name = str(getattr(upload, "name", "") or "tep").replace("/", "_")[-200:]
    with transaction.atomic():
        attachment = Attachment(
            document=document, original_name=nfc(name), content_type=content_type,
            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        attachment.file.save(name, ContentFile(data), save=True)
        audit.record(
            actor, "document.attach", document,
            {"attachment": [None, attachment.file.name], "content_type": [None, content_type],
             "size": [None, attachment.size], "sha256": [None, attachment.sha256]},
            office_id=document.office_id,
        )  # fmt: skip
    return attachment


# --- Periodic reports -----------------------------------------------------------------------


def do_prepare_report(actor: Any, office: JointOffice, period_code: str,
                      cutoff: int | None = None) -> PeriodicReport:  # fmt: skip
    """Create the draft report of a period (or return the existing one)."""
    from khoi.documents import reports

    _check_writer(actor, office)
    period = reports.parse_or_refuse(period_code)
    existing = PeriodicReport.objects.filter(office=office, period=period.code).first()
    if existing is not None:
        return existing
    start, end = period.bounds(cutoff or reports.cutoff_day())
    report = PeriodicReport(
        office=office, period=period.code, start_on=start, end_on=end,
        title=reports.report_title(office, period),
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit.create(actor, report, "report.prepare", office_id=office.pk)
    return report


def do_edit_narrative(actor: Any, report: PeriodicReport, key: str,
                      paragraphs: Sequence[str]) -> dict[str, list[Any]]:  # fmt: skip
    _check_writer(actor, report.office)
    if report.status == PeriodicReport.Status.ISSUED:
        raise _refuse(None, _("The report was issued; it can no longer be edited."))
    narrative = dict(report.narrative)
    narrative[key] = [nfc(p.strip()) for p in paragraphs if p.strip()]
    return audit.update_fields(
        actor, report, {"narrative": narrative}, "report.edit", office_id=report.office_id
    )


def do_issue_report(actor: Any, report: PeriodicReport, issued_on: datetime.date,
                    issuer_code: str = "MTTQ", signer: str = "") -> Document:  # fmt: skip
    """Number the report as an outgoing state document (…/BC-MTTQ) and freeze it."""
    _check_writer(actor, report.office)
    if report.status == PeriodicReport.Status.ISSUED:
        raise _refuse(None, _("The report was already issued."))
    with transaction.atomic():
        document = do_issue_document(
            actor, report.office, system="state", doc_type="BC", issuer_code=issuer_code,
            issued_on=issued_on, issuing_body=report.office.name, summary=report.title,
            signer=signer,
        )  # fmt: skip
        audit.update_fields(
            actor, report, {"status": PeriodicReport.Status.ISSUED, "document": document},
            "report.issue", office_id=report.office_id,
        )  # fmt: skip
    return document
