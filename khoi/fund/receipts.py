"""The printable receipt ("phiếu thu") of a ledger receipt: .docx in the official layout,
PDF through LibreOffice when it is installed. The amount is written in words."""

from __future__ import annotations

from django.utils.translation import gettext

from khoi.fund.models import Entry
from khoi.lib import docx as d
from khoi.lib.vndwords import words


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def receipt_docx(entry: Entry) -> bytes:
    fund = entry.fund
    unit_name = fund.unit.name
    donor = gettext("Anonymous") if entry.is_anonymous else entry.donor_name
    channel = gettext("Cash") if entry.channel == Entry.Channel.CASH else gettext("Bank transfer")
    reason = gettext("Donation to %(fund)s") % {"fund": fund.name}
    if entry.campaign:
        reason += f" ({entry.campaign.name})"
    body: list[d.Block] = [
        d.Paragraph(gettext("Full name of the payer: %(donor)s") % {"donor": donor}, indent=False),
        d.Paragraph(gettext("Reason: %(reason)s") % {"reason": reason}, indent=False),
        d.Paragraph(gettext("Amount: %(amount)s VND") % {"amount": vnd(entry.amount)},
                    bold=True, indent=False),
        d.Paragraph(gettext("(In words): %(words)s.") % {"words": words(entry.amount)},
                    italic=True, indent=False),
        d.Paragraph(gettext("Paid by: %(channel)s") % {"channel": channel}, indent=False),
    ]  # fmt: skip
    if entry.note:
        body.append(d.Paragraph(gettext("Note: %(note)s") % {"note": entry.note}, indent=False))
    spec = d.DocumentSpec(
        system="state",
        superior=(gettext("VIETNAM FATHERLAND FRONT COMMITTEE"),),
        issuer=(unit_name.upper(),),
        number_line=gettext("No.: %(number)s") % {"number": entry.number},
        place=unit_name,
        date=entry.date,
        type_name=gettext("RECEIPT"),
        summary=fund.name,
        body=body,
        recipients=(gettext("The payer;"), gettext("Filed: Fund accounts.")),
        signer=d.Signer(
            name="", position=gettext("FUND ACCOUNTANT"), authority=gettext("ISSUED BY")
        ),
        title=gettext("Receipt %(number)s") % {"number": entry.number},
    )
    return d.build_document(spec)
