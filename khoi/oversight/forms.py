"""Forms of the oversight pages (the services check everything again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khoi.forms_util import DATE_ERRORS, DateInput
from khoi.oversight.models import (
    DelegationMember,
    RecommendationAnswer,
    RecommendationFollowUp,
    Supervision,
)

DATE = DateInput()


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DATE, required=required, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages=DATE_ERRORS,
    )  # fmt: skip


def _area(label: Any, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ProgrammeForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class SupervisionForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Lead organization"), queryset=None
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Supervised body"), max_length=250)
    form = forms.ChoiceField(label=_("Form"), choices=Supervision.Form.choices)
    planned_from = _date(_("Planned from"))
    planned_until = _date(_("Planned until"))
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Commune"), queryset=None, required=False
    )
    legal_basis: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Legal basis"), queryset=None, required=False,
        help_text=_("Empty: the rule in force on the planned start."),
    )  # fmt: skip
    key_project = forms.TypedChoiceField(
        label=_("Key project"), coerce=int, required=False, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, organizations: Any, units: Any, bases: Any,
                 projects: list[tuple[int, str]], **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["legal_basis"].queryset = bases  # type: ignore[attr-defined]
        self.fields["key_project"].choices = [("", "—"), *projects]  # type: ignore[attr-defined]
        if not projects:
            del self.fields["key_project"]


class SupervisionEditForm(forms.Form):
    """The plan of a supervision corrected (the lead organization and the commune stay: they
    decide who sees it)."""

    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Supervised body"), max_length=250)
    form = forms.ChoiceField(label=_("Form"), choices=Supervision.Form.choices)
    planned_from = _date(_("Planned from"))
    planned_until = _date(_("Planned until"))
    legal_basis: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Legal basis"), queryset=None, required=False,
        help_text=_("Empty: the rule in force on the planned start."),
    )  # fmt: skip
    key_project = forms.TypedChoiceField(
        label=_("Key project"), coerce=int, required=False, empty_value=None, choices=()
    )
    summary = _area(_("Findings"), required=False)

    def __init__(self, *args: Any, bases: Any, projects: list[tuple[int, str]],
                 closed: bool, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].queryset = bases  # type: ignore[attr-defined]
        self.fields["key_project"].choices = [("", "—"), *projects]  # type: ignore[attr-defined]
        if not projects:
            del self.fields["key_project"]
        if closed:  # done or cancelled: the plan stands, shown but not sent
            for name in ("subject", "body", "form", "planned_from", "planned_until",
                         "legal_basis"):  # fmt: skip
                self.fields[name].disabled = True


class StepForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("decision", _("Decision setting up the delegation")),
            ("plan", _("Plan sent to the body")),
            ("body_report", _("The body's own report received")),
            ("report", _("The delegation's report")),
        ],
    )
    on = _date(_("Date"))
    document: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Document of the register"), queryset=None, required=False
    )
    summary = _area(_("Findings"), required=False)

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Person"), queryset=None)
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=None
    )
    role = forms.ChoiceField(label=_("Role"), choices=DelegationMember.Role.choices)

    def __init__(self, *args: Any, people: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_on = _date(_("Held on"))
    place = forms.CharField(label=_("Place"), max_length=250, required=False)
    minutes = _area(_("Minutes"), required=False, rows=4)


class RecommendationForm(forms.Form):
    body = forms.CharField(label=_("Body recommended to"), max_length=250, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    content = _area(_("Content"), required=False)
    issued_on = _date(_("Recommended on"))
    due_on = _date(_("Answer due on"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "due_on" in self.initial and self.initial["due_on"] is None:
            # no lead time for answers in force: no invented default, the user enters it
            self.fields["due_on"].help_text = _(
                "No rule on the answer lead time is in force on this date: enter the answer "
                "due date by hand."
            )


class NewRecommendationForm(RecommendationForm):
    """A recommendation recorded on its own: the organization making it, among those the
    person records for (an organization leader has no commune to fall back on)."""

    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization making the recommendation"), queryset=None, required=False
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answered_on = _date(_("Answered on"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RecommendationAnswer.Outcome.choices)
    explanation = _area(_("The body's explanation"), required=False)
    document_ref = forms.CharField(
        label=_("Answer document number"), max_length=120, required=False
    )


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Follow-up"), choices=RecommendationFollowUp.Kind.choices)
    done_on = _date(_("Done on"))
    due_on = _date(_("New answer due on"), required=False)
    addressee = forms.CharField(label=_("Sent to"), max_length=250, required=False)
    note = _area(_("Note"), required=False, rows=2)
