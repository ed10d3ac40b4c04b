from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khoi.forms_util import DATE_ERRORS, DateInput
from khoi.org.models import AdminUnit, JointOffice, Organization, ResidentialArea
from khoi.work.models import Activity, Kind, Plan

__all__ = ["DATE_ERRORS", "DateInput"]  # the shared date field, kept importable from here


class ActivityForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Lead organization"),
        queryset=Organization.objects.none(),
        error_messages={
            "required": _("Choose the lead organization."),
            "invalid_choice": _("Choose one of the listed organizations."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        error_messages={"required": _("Choose the kind of activity.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        error_messages={"required": _("Enter the title of the activity.")},
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    origin = forms.ChoiceField(
        label=_("Origin"), choices=Activity.Origin.choices, initial=Activity.Origin.LOCAL
    )
    start_on = forms.DateField(label=_("From"), widget=DateInput(), error_messages=DATE_ERRORS)
    end_on = forms.DateField(label=_("Until"), widget=DateInput(), error_messages=DATE_ERRORS)
    target_units = forms.ModelMultipleChoiceField(
        label=_("Target communes and wards"),
        queryset=AdminUnit.objects.none(),
        required=False,
        help_text=_("Leave empty for the whole area of the office."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checklist"}),
    )
    target_areas = forms.ModelMultipleChoiceField(
        label=_("Target residential areas"),
        queryset=ResidentialArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checklist"}),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    expected_participants = forms.IntegerField(
        label=_("Expected participants"),
        min_value=0,
        required=False,
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("The number cannot be negative."),
        },
    )
    budget = forms.IntegerField(
        label=_("Budget (VND)"),
        min_value=0,
        required=False,
        error_messages={
            "invalid": _("Enter the amount in đồng, e.g. 15000000."),
            "min_value": _("The amount cannot be negative."),
        },
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Activity.Status.choices, initial=Activity.Status.PLANNED
    )
    key_project_id = forms.TypedChoiceField(
        label=_("Key project"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The key project the activity is carried out for, if any."),
        error_messages={"invalid_choice": _("Choose one of the listed key projects.")},
    )

    def __init__(
        self,
        *args: Any,
        office: JointOffice,
        writable: Any,
        projects: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_project_id"].choices = [("", "—"), *projects]  # type: ignore[attr-defined]
        if not projects:
            self.fields["key_project_id"].widget = forms.HiddenInput()
        units = (
            AdminUnit.objects.subtree(office.unit)
            .exclude(pk=office.unit_id)
            .order_by("name_folded")
        )
        self.fields["organization"].queryset = writable  # type: ignore[attr-defined]
        self.fields["participants"].queryset = office.organizations.all()  # type: ignore[attr-defined]
        self.fields["target_units"].queryset = units  # type: ignore[attr-defined]
        areas = ResidentialArea.objects.filter(commune__in=units).select_related("commune")
        self.fields["target_areas"].queryset = (  # type: ignore[attr-defined]
            areas.order_by("commune__name_folded", "name_folded")
        )
        self.fields["plan"].queryset = Plan.objects.filter(office=office)  # type: ignore[attr-defined]
        self.fields["target_areas"].label_from_instance = lambda a: f"{a.name} ({a.commune.name})"  # type: ignore[attr-defined]

    def clean_budget(self) -> int | None:
        return self.cleaned_data.get("budget")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime.date | None = data.get("start_on")
        end: datetime.date | None = data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The end date cannot be before the start date."))
        return data


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "organization",
            "subcommittee",
            "number",
            "title",
            "directive",
            "start_on",
            "end_on",
            "description",
            "status",
        ]
        widgets = {
            "start_on": DateInput(),
            "end_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("Enter the title of the plan.")},
            "start_on": DATE_ERRORS,
            "end_on": DATE_ERRORS,
        }

    def __init__(self, *args: Any, office: JointOffice, writable: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable  # type: ignore[attr-defined]
        self.fields["organization"].required = False
        self.fields["subcommittee"].queryset = office.subcommittees.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", _("The end date cannot be before the start date."))
        if data.get("organization") and data.get("subcommittee"):
            self.add_error(
                "subcommittee", _("A plan belongs to an organization or a sub-committee, not both.")
            )
        return data

    def _post_clean(self) -> None:
        # The office is set by the service; skip the model's own validation of it.
        pass


class MergeForm(forms.Form):
    activities = forms.ModelMultipleChoiceField(
        queryset=Activity.objects.none(), widget=forms.MultipleHiddenInput
    )
    title = forms.CharField(
        label=_("Shared title"),
        max_length=300,
        error_messages={"required": _("Give the joint activity a title.")},
    )
    lead = forms.ModelChoiceField(
        label=_("Lead organization"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("Choose the lead organization.")},
    )
    start_on = forms.DateField(label=_("From"), widget=DateInput(), error_messages=DATE_ERRORS)
    end_on = forms.DateField(label=_("Until"), widget=DateInput(), error_messages=DATE_ERRORS)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = activities  # type: ignore[attr-defined]
        org_ids = {a.organization_id for a in activities}
        self.fields["lead"].queryset = Organization.objects.filter(pk__in=org_ids)  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput(), error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("Until"), widget=DateInput(), error_messages=DATE_ERRORS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date cannot be before the start date."))
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 731:
            self.add_error("end", _("Choose a period of at most two years."))
        return data


class ProgrammeForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— the joint office itself —"),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Enter the year."),
            "invalid": _("Enter a year, e.g. 2017."),
            "min_value": _("Enter a year after 2000."),
            "max_value": _("Enter a year before 2100."),
        },
    )
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("Enter the title.")}
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, writable: Any, allow_office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable  # type: ignore[attr-defined]
        if not allow_office:
            self.fields["organization"].required = True
            self.fields["organization"].empty_label = None  # type: ignore[attr-defined]
