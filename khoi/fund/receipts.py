"""The printable receipt ("phiếu thu") of a ledger receipt, in the layout of the cash receipt
form Mẫu số 01-TT: the unit's name and address and the form's code at the top, "PHIẾU THU"
with its date, book number, number and the Nợ / Có accounts (left for the accountant to
fill), the payer's name and address, the reason, the amount in figures and in words
(``khoi.lib.vndwords``), the original documents attached, the signing date and the five
signatures (head of the unit, chief accountant, payer, preparer, treasurer), then
"Đã nhận đủ số tiền (viết bằng chữ)" for the treasurer. No "Nơi nhận": a receipt is not an
administrative document. An anonymous donor stays anonymous on it. .docx here; the PDF
through LibreOffice when it is installed (``views.receipt_print``)."""

from __future__ import annotations

import io

from django.utils.translation import gettext, gettext_noop

from khoi.fund.models import Entry
from khoi.lib import docx as d
from khoi.lib.vndwords import words
from khoi.org.models import AdminUnit

FORM_CODE = "01-TT"  # the cash receipt form ("Mẫu số 01-TT")
DOTS = "…" * 20


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _unit_address(entry: Entry) -> str:
    """The unit's place in the administrative tree ("Phường Hà An, Thị xã Quảng Yên, …")."""
    parts: list[str] = []
    unit: AdminUnit | None = entry.fund.unit
    seen = 0
    while unit is not None and seen < 5:
        parts.append(unit.name)
        unit, seen = unit.parent, seen + 1
    return ", ".join(parts)


def receipt_lines(entry: Entry) -> dict[str, str]:
    """The receipt's filled-in lines (also what the tests read)."""
    fund = entry.fund
    donor = gettext("Anonymous donor") if entry.is_anonymous else entry.donor_name
    channel = gettext("Cash") if entry.channel == Entry.Channel.CASH else gettext("Bank transfer")
    reason = gettext("Donation to %(fund)s") % {"fund": fund.name}
    if entry.campaign:
        reason += f" ({entry.campaign.name})"
    issuer = fund.office.name if fund.office_id and fund.office else fund.name
    return {
        "unit": gettext("Unit: %(unit)s") % {"unit": issuer},
        "address": gettext("Address: %(address)s") % {"address": _unit_address(entry)},
        "form": gettext("Form no. %(code)s") % {"code": FORM_CODE},
        "title": gettext("RECEIPT"),
        "date": d.vietnamese_date(entry.date)[0].upper() + d.vietnamese_date(entry.date)[1:],
        "book": gettext("Book no.: %(dots)s") % {"dots": DOTS[:8]},
        "number": gettext("No.: %(number)s") % {"number": entry.number},
        "debit": gettext("Debit: %(dots)s") % {"dots": DOTS[:8]},
        "credit": gettext("Credit: %(dots)s") % {"dots": DOTS[:8]},
        "payer": gettext("Full name of the payer: %(donor)s") % {"donor": donor},
        "payer_address": gettext("Address: %(address)s") % {"address": DOTS},
        "reason": gettext("Reason for payment: %(reason)s (%(channel)s)")
        % {"reason": reason, "channel": channel.lower()},
        "amount": gettext("Amount: %(amount)s đồng") % {"amount": vnd(entry.amount)},
        "words": gettext("(In words): %(words)s.") % {"words": words(entry.amount)},
        "attached": gettext("Attached: %(dots)s original documents.") % {"dots": DOTS[:10]},
        "received": gettext("Received in full (in words): %(dots)s") % {"dots": DOTS * 2},
    }


SIGNERS = (  # the form's signatures, left to right
    (gettext_noop("Head of the unit"), gettext_noop("(Signature, full name, seal)")),
    (gettext_noop("Chief accountant"), gettext_noop("(Signature, full name)")),
    (gettext_noop("Payer"), gettext_noop("(Signature, full name)")),
    (gettext_noop("Prepared by"), gettext_noop("(Signature, full name)")),
    (gettext_noop("Treasurer"), gettext_noop("(Signature, full name)")),
)


def receipt_docx(entry: Entry) -> bytes:
    lines = receipt_lines(entry)
    document = d._new_document()
    d._setup_styles(document)
    d._setup_section(document)
    width = 160.0  # mm of text
    # the unit and its address (left), the form's code (right)
    top = d._table(document, [d._twips_mm(width * 0.62), d._twips_mm(width * 0.38)], 1,
                   borders=False)  # fmt: skip
    left, right = top.rows[0].cells
    d._drop_first_paragraph(left)
    d._drop_first_paragraph(right)
    d._paragraph(left, lines["unit"], size=12, bold=True, align="left")
    d._paragraph(left, lines["address"], size=12, align="left")
    d._paragraph(right, lines["form"], size=12, bold=True, align="center")
    # the title, its date, and the book, number and accounts on the right
    d._paragraph(document, lines["title"], size=16, bold=True, before=12)
    d._paragraph(document, lines["date"], size=13, italic=True)
    for key in ("book", "number", "debit", "credit"):
        d._paragraph(document, lines[key], size=13, align="right")
    for key in ("payer", "payer_address", "reason"):
        d._paragraph(document, lines[key], size=13, align="left", before=3)
    d._paragraph(document, lines["amount"], size=13, bold=True, align="left", before=3)
    d._paragraph(document, lines["words"], size=13, italic=True, align="left")
    d._paragraph(document, lines["attached"], size=13, align="left", before=3)
    if entry.note:
        note = gettext("Note: %(note)s") % {"note": entry.note}
        d._paragraph(document, note, size=13, align="left")
    d._paragraph(document, lines["date"], size=13, italic=True, align="right", before=9)
    # the five signatures, side by side
    sign = d._table(document, [d._twips_mm(width / 5)] * 5, 1, borders=False)
    for cell, (role, hint) in zip(sign.rows[0].cells, SIGNERS, strict=True):
        d._drop_first_paragraph(cell)
        d._paragraph(cell, gettext(role), size=12, bold=True)
        d._paragraph(cell, gettext(hint), size=11, italic=True, after=48)
    d._paragraph(document, lines["received"], size=13, align="left", before=12)
    props = document.core_properties
    props.title = gettext("Receipt %(number)s") % {"number": entry.number}
    props.language = "vi-VN"
    props.author = lines["unit"]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
