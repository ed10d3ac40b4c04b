from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khoi import clock
from khoi.lib.vntext import nfc
from khoi.org.models import Membership, Organization, Person, ResidentialArea

REQUIRED = {"required": _("This field is required.")}


class PersonForm(forms.ModelForm):
    """Create or edit a person. ``units`` limits the unit choices to the editor's reach."""

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_year",
            "phone",
            "email",
            "unit",
            "note",
            "is_active",
        ]
        error_messages = {
            "full_name": {"required": _("Enter the full name.")},
            "unit": {
                "required": _("Choose the unit the person works in."),
                "invalid_choice": _("This unit is not one you may choose."),
            },
            "email": {"invalid": _("Enter a valid email address.")},
            "birth_year": {"invalid": _("Enter a year, e.g. 1980.")},
        }

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_full_name(self) -> str:
        name = nfc(self.cleaned_data["full_name"])
        if len(name) < 2 or not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Enter the full name, e.g. Nguyễn Thị Lan."))
        return name

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        this_year = clock.today().year
        if year is not None and not (1900 <= year <= this_year - 14):
            raise forms.ValidationError(
                _("The year of birth must be between 1900 and %(max)d.") % {"max": this_year - 14}
            )
        return year

    def clean_phone(self) -> str:
        phone = "".join(
            ch for ch in self.cleaned_data.get("phone", "") if ch.isdigit() or ch == "+"
        )
        if phone and not (9 <= len(phone.lstrip("+")) <= 12):
            raise forms.ValidationError(_("Enter a phone number of 10 digits, e.g. 0912345678."))
        return phone


class MembershipForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, error_messages=REQUIRED
    )
    target = forms.ChoiceField(label=_("Where"), error_messages=REQUIRED)
    title = forms.CharField(label=_("Title as written"), max_length=200, required=False)
    start_on = forms.DateField(
        label=_("From"),
        error_messages={
            "required": _("Enter the start date."),
            "invalid": _("Enter a date as dd/mm/yyyy."),
        },
    )
    end_on = forms.DateField(
        label=_("Until"),
        required=False,
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy.")},
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *targets]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("start_on", clock.today())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime.date | None = data.get("start_on")
        end: datetime.date | None = data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The end date cannot be before the start date."))
        return data


class AreaForm(forms.ModelForm):
    class Meta:
        model = ResidentialArea
        fields = ["name", "kind"]
        error_messages = {"name": {"required": _("Enter the name of the residential area.")}}


class AreaImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        error_messages={"required": _("Choose an .xlsx file.")},
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        head = f.read(4)
        f.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This is not an .xlsx spreadsheet."))
        return f


class SubCommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, error_messages=REQUIRED)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All organizations"),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
