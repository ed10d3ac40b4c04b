"""Every change to the document register and the periodic reports goes through here."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.documents import access, links, numbering
from khoi.documents.models import Attachment, Document, PeriodicReport
from khoi.lib import docnumber
from khoi.lib.doctypes import lookup_type
from khoi.lib.filetypes import DEFAULT_MAX_BYTES, FileRefused, check_upload
from khoi.lib.vntext import nfc
from khoi.org.models import JointOffice

TEXT_FIELDS = ("issuing_body", "summary", "recipients", "signer")
Links = Mapping[str, Sequence[Any]]
_LEADING_NUMBER = re.compile(r"\D*?(\d{1,9})")
_SPACES = re.compile(r"\s+")


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


def link_kind_keys() -> list[str]:
    return [kind.key for kind in links.LINK_KINDS]


def max_attachment_bytes() -> int:
    return int(getattr(settings, "KHOI_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _check_links(office: JointOffice, chosen: Links | None) -> None:
    for key, objs in (chosen or {}).items():
        kind = links.link_kind(key)
        if kind is None:
            raise _refuse(None, _("This kind of item cannot be linked to a document."))
        for obj in objs:
            if obj._meta.label_lower != kind.model or getattr(obj, "office_id", None) != office.pk:
                raise _refuse(key, _("A linked item belongs to another office."))


def unrecognised_warning(notation: str) -> str:
    """What the user is told when an incoming notation is registered as typed."""
    return _(
        "The notation %(n)s does not follow the forms the register knows (Decree 30/2020/"
        "NĐ-CP, Guidance 36-HD/VPTW); it was registered as written. Check it against the "
        "document."
    ) % {"n": notation}


def _as_typed(text: str) -> tuple[str, int | None]:
    """An incoming notation the parser does not know: kept as typed (spaces tidied),
    with its leading number when it has one."""
    kept = _SPACES.sub(" ", nfc(text.strip()))[:120]
    match = _LEADING_NUMBER.match(kept)
    number = int(match.group(1)) if match else None
    return kept, (number or None)


def _duplicate(office: JointOffice, direction: str, notation: str, issued_on: datetime.date,
               key: str, number: int | None, exclude: int | None = None) -> None:  # fmt: skip
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
    links: Links | None = None,
) -> Document:
    """Register a document with a number it already has (any incoming one, or an
    outgoing one numbered by hand). Outgoing numbers join their series' counter.

    An incoming document gets the next serial number of the office's incoming register
    for the year it was received ("số đến"; the registration day when no reception date
    is given). An incoming notation the parser does not know is registered as written
    (``system`` "other"); :func:`unrecognised_warning` is what the user is told.
    """
    _check_writer(actor, office)
    if direction not in Document.Direction.values:
        raise _refuse("direction", _("Choose incoming or outgoing."))
    parsed: docnumber.DocumentNumber | None
    if direction == Document.Direction.IN and notation.strip():
        parsed = docnumber.try_parse(notation)
    else:
        parsed = parse_notation(notation)
    if not summary.strip():
        raise _refuse("summary", _("Enter the summary of the document."))
    if not issuing_body.strip():
        raise _refuse("issuing_body", _("Enter the issuing body."))
    _check_dates(issued_on, received_on, parsed.year if parsed else None)
    _check_links(office, links)
    key = ""
    number: int | None
    if parsed is not None:
        canonical, number = docnumber.format(parsed), parsed.number
        fields: dict[str, Any] = {
            "system": parsed.system, "year": parsed.year, "doc_type": parsed.type or "",
            "issuer_code": parsed.issuer,
        }  # fmt: skip
        if direction == Document.Direction.OUT:
            key = numbering.series_key(parsed.system, parsed.issuer, parsed.type, issued_on)
    else:
        canonical, number = _as_typed(notation)
        fields = {"system": Document.System.OTHER, "year": None, "doc_type": "", "issuer_code": ""}
    with transaction.atomic():
        if key:
            numbering.note_number(office, key, number or 0)
        _duplicate(office, direction, canonical, issued_on, key, number)
        document = Document(
            office=office, direction=direction, notation_raw=nfc(notation.strip())[:120],
            notation=canonical, number=number, numbering_key=key, **fields,
            issued_on=issued_on, received_on=received_on, issuing_body=nfc(issuing_body.strip()),
            summary=nfc(summary.strip()), recipients=nfc(recipients.strip()),
            signer=nfc(signer.strip()), created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        if direction == Document.Direction.IN:
            year = (received_on or clock.today()).year
            document.incoming_year = year
            document.incoming_number = numbering.take_number(office, incoming_series(year))
        try:
            with transaction.atomic():
                audit.create(actor, document, "document.register", office_id=office.pk)
        except IntegrityError:
            raise _refuse("notation", _("This document is already in the register.")) from None
        _set_links(actor, document, links, initial=True)
    return document


def incoming_series(year: int) -> str:
    """The counter of the incoming register of one year (Decree 30/2020/NĐ-CP art. 22:
    incoming documents are numbered in one series per register, restarting each year)."""
    return f"in/{year}"


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
    links: Links | None = None,
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
    _check_links(office, links)
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
        _set_links(actor, document, links, initial=True)
    return document


def _set_links(actor: Any, document: Document, chosen: Links | None,
               *, initial: bool = False) -> dict[str, list[Any]]:  # fmt: skip
    if not chosen:
        return {}
    changes = links.set_links(document, chosen, initial=initial)
    if changes:
        audit.record(actor, "document.link", document, changes, office_id=document.office_id)
    return changes


def do_update_document(
    actor: Any,
    document: Document,
    *,
    links: Links | None = None,
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
    _check_links(document.office, links)
    with transaction.atomic():
        changes = audit.update_fields(
            actor, document, clean, "document.update", office_id=document.office_id
        )
        changes.update(_set_links(actor, document, links))
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
    """Create the draft report of a period (or return its latest version)."""
    from khoi.documents import reports

    _check_writer(actor, office)
    period = reports.parse_or_refuse(period_code)
    existing = (
        PeriodicReport.objects.filter(office=office, period=period.code)
        .order_by("-version")
        .first()
    )
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
    if report.status != PeriodicReport.Status.DRAFT:
        raise _refuse(None, _("The report was issued; it can no longer be edited."))
    narrative = dict(report.narrative)
    narrative[key] = [nfc(p.strip()) for p in paragraphs if p.strip()]
    return audit.update_fields(
        actor, report, {"narrative": narrative}, "report.edit", office_id=report.office_id
    )


def do_issue_report(actor: Any, report: PeriodicReport, issued_on: datetime.date,
                    issuer_code: str = "MTTQ", signer: str = "") -> Document:  # fmt: skip
    """Number the report as an outgoing state document (…/BC-MTTQ) and freeze it: its
    sections (figures, tables, text) as they are now are stored and shown for ever after.
    Issuing a correction marks the version it corrects as replaced."""
    from khoi.documents import reports

    _check_writer(actor, report.office)
    if report.status != PeriodicReport.Status.DRAFT:
        raise _refuse(None, _("The report was already issued."))
    previous = report.corrects
    summary = report.title
    if previous is not None and previous.document is not None:
        summary = f"{report.title} (thay thế Báo cáo số {previous.document.notation})"
    with transaction.atomic():
        snapshot = reports.freeze(reports.sections_for(report))
        document = do_issue_document(
            actor, report.office, system="state", doc_type="BC", issuer_code=issuer_code,
            issued_on=issued_on, issuing_body=report.office.name, summary=summary,
            signer=signer,
        )  # fmt: skip
        report.snapshot = snapshot
        report.save(update_fields=["snapshot"])
        audit.update_fields(
            actor, report, {"status": PeriodicReport.Status.ISSUED, "document": document},
            "report.issue", office_id=report.office_id,
        )  # fmt: skip
        frozen = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
        audit.record(
            actor, "report.freeze", report,
            {"snapshot_sha256": [None, hashlib.sha256(frozen.encode()).hexdigest()]},
            office_id=report.office_id,
        )  # fmt: skip
        if previous is not None:
            audit.update_fields(
                actor, previous, {"status": PeriodicReport.Status.CORRECTED},
                "report.replace", office_id=previous.office_id,
            )  # fmt: skip
    return document


def do_correct_report(actor: Any, report: PeriodicReport, reason: str) -> PeriodicReport:
    """Open a correction of an issued report: a new draft version of the same period, with
    the reason, the narrative of the version it corrects and today's figures. It replaces
    that version when it is issued under its own number."""
    _check_writer(actor, report.office)
    if report.status != PeriodicReport.Status.ISSUED:
        raise _refuse(None, _("Only an issued report in force can be corrected."))
    if not reason.strip():
        raise _refuse("reason", _("Give the reason for the correction."))
    existing = PeriodicReport.objects.filter(corrects=report).first()
    if existing is not None:
        return existing
    correction = PeriodicReport(
        office=report.office, period=report.period, start_on=report.start_on,
        end_on=report.end_on, title=report.title, narrative=dict(report.narrative),
        version=report.version + 1, corrects=report, correction_reason=nfc(reason.strip()),
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    with transaction.atomic():
        audit.create(actor, correction, "report.correct", office_id=report.office_id)
    return correction
