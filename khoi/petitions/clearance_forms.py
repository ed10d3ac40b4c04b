"""Forms of the land clearance pages (the services check everything again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khoi.org.models import AdminUnit
from khoi.petitions.models import AffectedHousehold, KeyProject, Obligation, Stage, Visit
from khoi.work.forms import DateInput

DATE = DateInput()


class RulesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    counterpart = forms.CharField(label=_("Signed with"), max_length=250)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    projects = forms.ModelMultipleChoiceField(
        label=_("Key projects"), queryset=KeyProject.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields["projects"]
        f.queryset = projects


class ObligationForm(forms.Form):
    owner = forms.CharField(label=_("Responsible body"), max_length=250)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class ObligationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Obligation.Status.choices)
    done_on = forms.DateField(label=_("Done on"), widget=DATE, required=False)


class HouseholdForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Commune or ward"), queryset=AdminUnit.objects.none())
    register_id = forms.IntegerField(
        label=_("Number in the household register"), required=False, min_value=1,
        help_text=_("For a household of the Fund's register: its name stays there."),
    )  # fmt: skip
    head_name = forms.CharField(label=_("Head of household"), max_length=200, required=False)
    area_name = forms.CharField(label=_("Residential area"), max_length=200, required=False)
    on = forms.DateField(label=_("Notified on"), widget=DATE)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields["unit"]
        f.queryset = units


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason (required to go back)"), widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )  # fmt: skip


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    unit = forms.ModelChoiceField(label=_("Commune or ward"), queryset=AdminUnit.objects.none())
    household = forms.ModelChoiceField(
        label=_("Affected household"), queryset=AffectedHousehold.objects.none(), required=False
    )
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    by_whom = forms.CharField(label=_("Who went"), max_length=300)
    with_whom = forms.CharField(label=_("With whom"), max_length=300)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: Any, households: Any, names: dict[int, str],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        f: Any = self.fields["unit"]
        f.queryset = units
        h: Any = self.fields["household"]
        h.queryset = households
        h.label_from_instance = lambda obj: f"{names.get(obj.pk, '#' + str(obj.pk))}"
