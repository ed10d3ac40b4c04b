"""The housing decision and the acceptance record as .docx (official layout, amounts in words)."""

from __future__ import annotations

from django.utils.translation import gettext

from khoi.fund.models import HousingCase, HousingKind
from khoi.lib import docx as d
from khoi.lib.vndwords import words


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _issuer(case: HousingCase) -> tuple[str, ...]:
    office = case.fund.office
    return (office.name.upper(),) if office else (case.fund.unit.name.upper(),)


def decision_docx(case: HousingCase) -> bytes:
    h = case.household
    kind = HousingKind(case.kind).label
    body = [
        d.Paragraph(gettext("Article 1. Support %(kind)s of a Great Unity house for the household "
                            "of %(head)s, %(address)s, %(unit)s; amount %(amount)s VND "
                            "(%(words)s), from %(fund)s.")
                    % {"kind": kind, "head": h.head_name, "address": h.address or h.area_name,
                       "unit": h.unit.name, "amount": _vnd(case.amount),
                       "words": words(case.amount), "fund": case.fund.name}),
        d.Paragraph(gettext("Article 2. Tranche 1: %(first)s VND when the works start; "
                            "tranche 2: %(second)s VND after the works are accepted.")
                    % {"first": _vnd(case.tranche1_amount),
                       "second": _vnd(case.tranche2_amount)}),
        d.Paragraph(gettext("Support amount according to: %(source)s.")
                    % {"source": case.amount_source}),
    ]  # fmt: skip
    spec = d.DocumentSpec(
        system="state", superior=(gettext("VIETNAM FATHERLAND FRONT COMMITTEE"),),
        issuer=_issuer(case),
        number_line=gettext("No.: %(number)s") % {"number": case.decision_notation},
        place=case.fund.unit.name, date=case.decision_date, type_name=gettext("DECISION"),
        summary=gettext("On the %(kind)s support for Great Unity houses in %(year)s")
                % {"kind": kind, "year": case.year},
        body=body,
        recipients=(gettext("As in Article 1;"), gettext("Filed: Records.")),
        signer=d.Signer(name="", position=gettext("CHAIR"),
                        authority=gettext("FOR THE STANDING BOARD")),
    )  # fmt: skip
    return d.build_document(spec)


def acceptance_docx(case: HousingCase) -> bytes:
    h = case.household
    body: list[d.Block] = [
        d.Paragraph(gettext("Works: %(kind)s of a Great Unity house for the household of "
                            "%(head)s, %(unit)s, under Decision No. %(decision)s.")
                    % {"kind": HousingKind(case.kind).label, "head": h.head_name,
                       "unit": h.unit.name, "decision": case.decision_notation}),
        d.Paragraph(gettext("Acceptance members:")),
        *[d.Bullet(s) for s in case.acceptance_signers],
        d.Paragraph(gettext("Conclusion: the works are complete and tranche 2 may be paid, "
                            "amount %(amount)s VND (%(words)s).")
                    % {"amount": _vnd(case.tranche2_amount),
                       "words": words(case.tranche2_amount)}),
    ]  # fmt: skip
    spec = d.DocumentSpec(
        system="state", superior=(gettext("VIETNAM FATHERLAND FRONT COMMITTEE"),),
        issuer=_issuer(case), number_line=gettext("No.: ....../BB-MTTQ"),
        place=case.fund.unit.name, date=case.accepted_on, type_name=gettext("RECORD"),
        summary=gettext("Acceptance of the works of a Great Unity house"), body=body,
        signer=d.Signer(name="", position=gettext("REPRESENTATIVES OF THE MEMBERS")),
    )  # fmt: skip
    return d.build_document(spec)
