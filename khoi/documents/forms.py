from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khoi.documents.models import Document
from khoi.meetings.models import Meeting
from khoi.org.models import JointOffice
from khoi.work.forms import DATE_ERRORS, DateInput
from khoi.work.models import Activity, Plan

SYSTEMS = [
    ("state", _("state (Decree 30/2020/NĐ-CP)")),
    ("party", _("Party (Guidance 36-HD/VPTW)")),
]


class _Links(forms.Form):
    plans = forms.ModelMultipleChoiceField(
        label=_("Plans carrying it out"), queryset=Plan.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )  # fmt: skip
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities carrying it out"), queryset=Activity.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings"), queryset=Meeting.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )  # fmt: skip

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans, meetings = self.fields["plans"], self.fields["meetings"]
        assert isinstance(plans, forms.ModelMultipleChoiceField)
        assert isinstance(meetings, forms.ModelMultipleChoiceField)
        plans.queryset = Plan.objects.filter(office=office).order_by("-start_on")
        activities = self.fields["activities"]
        assert isinstance(activities, forms.ModelMultipleChoiceField)
        activities.queryset = (
            Activity.objects.filter(office=office)
            .select_related("organization")
            .order_by("-start_on")
        )
        activities.label_from_instance = lambda a: (  # type: ignore[method-assign,assignment]
            f"{a.start_on:%d/%m/%Y} · {a.organization.short_name or a.organization.name}: {a.title}"
        )
        meetings.queryset = Meeting.objects.filter(office=office).order_by("-starts_at")


class RegisterForm(_Links):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Document.Direction.choices, initial="in"
    )
    notation = forms.CharField(
        label=_("Number and notation"), max_length=120,
        help_text=_("As written on the document, e.g. 11-NQ/TU or 30/2020/NĐ-CP."),
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
        "recipients", "signer", "plans", "activities", "meetings", "file",
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
                   "recipients", "signer", "plans", "activities", "meetings"]  # fmt: skip


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


class PrepareReportForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=10,
        help_text=_("2017-10 (month), 2017-Q3, 2017-H1, 2017-9M or 2017 (year)."),
    )  # fmt: skip


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=_("One paragraph per line."),
    )  # fmt: skip


class IssueReportForm(forms.Form):
    issued_on = forms.DateField(label=_("Date"), widget=DateInput(), error_messages=DATE_ERRORS)
    signer = forms.CharField(label=_("Signer"), max_length=200)
