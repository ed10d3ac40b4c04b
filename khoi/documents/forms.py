from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from khoi import clock
from khoi.documents.models import Document
from khoi.forms_util import DATE_ERRORS, DateInput
from khoi.org.models import JointOffice
from khoi.registry import LINK_KINDS

SYSTEMS = [
    ("state", _("state (Decree 30/2020/NĐ-CP)")),
    ("party", _("Party (Guidance 36-HD/VPTW)")),
]


class _Links(forms.Form):
    """One multiple choice per kind of object a document may be linked to; the kinds and
    their choices come from :data:`khoi.registry.LINK_KINDS` (this app imports none)."""

    link_keys: list[str]

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.link_keys = []
        for kind in LINK_KINDS:
            field = forms.ModelMultipleChoiceField(
                label=kind.label, queryset=kind.choices(office), required=False,
                widget=forms.SelectMultiple(attrs={"size": 5}),
            )  # fmt: skip
            field.label_from_instance = kind.describe  # type: ignore[method-assign,assignment]
            self.fields[kind.key] = field
            self.link_keys.append(kind.key)
        if self.field_order:
            self.order_fields(self.field_order)
        if "file" in self.fields:  # the attachment comes last
            self.fields["file"] = self.fields.pop("file")

    def pop_links(self, data: dict[str, Any]) -> dict[str, list[Any]]:
        """Take the chosen links out of ``cleaned_data`` (a copy), keyed by kind."""
        return {key: list(data.pop(key, None) or []) for key in self.link_keys}


class RegisterForm(_Links):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Document.Direction.choices, initial="in"
    )
    notation = forms.CharField(
        label=_("Number and notation"), max_length=120,
        help_text=_(
            "As written on the document, e.g. 11-NQ/TU or 30/2020/NĐ-CP. An incoming notation "
            "of another form is registered as written, with a warning."
        ),
        error_messages={"required": _("Enter the number and notation.")},
    )  # fmt: skip
    issued_on = forms.DateField(label=_("Date"), widget=DateInput(), error_messages=DATE_ERRORS)
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=250)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    recipients = forms.CharField(
        label=_("Recipients"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)
    file = forms.FileField(label=_("Attachment"), required=False)

    field_order = [
        "direction", "notation", "issued_on", "received_on", "issuing_body", "summary",
        "recipients", "signer",
    ]  # fmt: skip


class IssueForm(_Links):
    system = forms.ChoiceField(label=_("Format"), choices=SYSTEMS, initial="state")
    doc_type = forms.CharField(
        label=_("Type"), max_length=10, required=False,
        help_text=_("Official abbreviation, e.g. KH, BC, TB; empty for an official letter."),
    )  # fmt: skip
    issuer_code = forms.CharField(label=_("Issuer abbreviation"), max_length=60, initial="MTTQ")
    issued_on = forms.DateField(label=_("Date"), widget=DateInput(), error_messages=DATE_ERRORS)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=250)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    recipients = forms.CharField(
        label=_("Recipients"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)

    field_order = ["system", "doc_type", "issuer_code", "issued_on", "issuing_body", "summary",
                   "recipients", "signer"]  # fmt: skip


class EditForm(_Links):
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=250)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    recipients = forms.CharField(
        label=_("Recipients"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)


class AttachForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, DOCX, XLSX, JPEG, PNG)"))


PERIOD_CHOICES = [
    *[(f"{m:02d}", format_lazy("{} {}", _("Month"), m)) for m in range(1, 13)],
    ("Q1", _("first quarter")), ("Q2", _("second quarter")), ("Q3", _("third quarter")),
    ("Q4", _("fourth quarter")), ("H1", _("first six months")), ("H2", _("last six months")),
    ("9M", _("nine months")), ("Y", _("whole year")),
]  # fmt: skip


FIRST_YEAR = 2000


def year_choices() -> list[tuple[str, str]]:
    """The years a report may be prepared for: next year back to 2000, newest first."""
    this = clock.today().year
    return [(str(y), str(y)) for y in range(this + 1, FIRST_YEAR - 1, -1)]


class PrepareReportForm(forms.Form):
    """The period as a choice (month, quarter, half-year, nine months, year) and the year."""

    kind = forms.ChoiceField(label=_("Reporting period"), choices=PERIOD_CHOICES)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = clock.today()
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = year_choices()
        self.initial.setdefault("year", str(today.year))
        self.initial.setdefault("kind", f"{today.month:02d}")

    def period_code(self) -> str:
        """The period code of :mod:`khoi.documents.periods` ("2017-10", "2017-Q3", "2017")."""
        kind, year = self.cleaned_data["kind"], self.cleaned_data["year"]
        return str(year) if kind == "Y" else f"{year}-{kind}"


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=_("One paragraph per line."),
    )  # fmt: skip


class CorrectReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the correction.")},
    )  # fmt: skip


class IssueReportForm(forms.Form):
    issued_on = forms.DateField(label=_("Date"), widget=DateInput(), error_messages=DATE_ERRORS)
    signer = forms.CharField(label=_("Signer"), max_length=200)
