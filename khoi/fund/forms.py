from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from khoi.fund.models import Campaign, Entry, Fund
from khoi.lib.vndwords import AmountError, parse_amount
from khoi.org.models import AdminUnit, JointOffice

DATE_FORMATS = ["%d/%m/%Y"]


class AmountField(forms.CharField):
    """VND typed as digits, optionally grouped with dots (1.250.000)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_amount(value)
        except AmountError as exc:
            raise forms.ValidationError(exc.message) from None
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be greater than 0."))
        return amount


class ReceiptForm(forms.Form):
    amount = AmountField(label=_("Amount (VND)"))
    date = forms.DateField(label=_("Date"), input_formats=DATE_FORMATS)
    donor_kind = forms.ChoiceField(label=_("Donor"), choices=Entry.DonorKind.choices)
    donor_name = forms.CharField(label=_("Donor's name"), required=False, max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=Entry.Channel.choices)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = fund.campaigns.all()  # type: ignore[attr-defined]


class ExpenditureForm(forms.Form):
    amount = AmountField(label=_("Amount (VND)"))
    date = forms.DateField(label=_("Date"), input_formats=DATE_FORMATS)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Entry.Purpose.choices)
    beneficiary = forms.CharField(
        label=_("Household or decision paid"), required=False, max_length=300
    )
    decision_ref = forms.CharField(label=_("Decision reference"), required=False, max_length=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReverseForm(forms.Form):
    date = forms.DateField(label=_("Date"), input_formats=DATE_FORMATS)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))


class HouseholdForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    area_name = forms.CharField(label=_("Residential area"), required=False, max_length=200)
    head_name = forms.CharField(label=_("Head of household"), max_length=200)
    head_birth_year = forms.IntegerField(label=_("Birth year"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    members = forms.CharField(
        label=_("Members"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: full name, birth year (optional)."),
    )  # fmt: skip
    id_number = forms.CharField(label=_("ID number (CMND/CCCD)"), required=False, max_length=20)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    source = forms.CharField(label=_("List it came from"), required=False, max_length=200)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        # a commune's reporter writes for one commune only: it is chosen already
        only = list(units[:2])
        if len(only) == 1 and not self.is_bound:
            self.initial.setdefault("unit", only[0].pk)

    def clean_members(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for line in (self.cleaned_data.get("members") or "").splitlines():
            parts = [p.strip() for p in line.split(",")]
            if not parts or not parts[0]:
                continue
            year = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            out.append({"name": parts[0], "birth_year": year})
        return out


class SupportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    organization = forms.CharField(label=_("Organization"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in Entry.Purpose.choices if c[0] != Entry.Purpose.RUNNING],
    )
    amount = AmountField(label=_("Amount (VND)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class HouseholdImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    organization = forms.CharField(
        label=_("Organization whose list this is"), max_length=150,
        help_text=_("For example: Hội Liên hiệp Phụ nữ phường, Ủy ban MTTQ phường."),
    )  # fmt: skip
    year = forms.IntegerField(label=_("Year of the list"), min_value=1990, max_value=2100)
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class FundSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the fund"), max_length=200)
    requires_donor = forms.BooleanField(label=_("Receipts must name a donor"), required=False)
    requires_campaign = forms.BooleanField(label=_("Receipts must name a campaign"), required=False)
    running_cost_cap_percent = forms.IntegerField(
        label=_("Running costs cap, in percent of the year's receipts"), min_value=0, max_value=100,
        initial=5,
    )  # fmt: skip
    accountants = forms.ModelMultipleChoiceField(
        label=_("Accountants (post entries)"), queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accountants"].queryset = staff  # type: ignore[attr-defined]


class FundCreateForm(FundSettingsForm):
    office = forms.ModelChoiceField(label=_("Joint office"), queryset=JointOffice.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=Fund.Level.choices)

    field_order = ["office", "unit", "level", "name"]

    def __init__(self, *args: Any, offices: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name of the campaign"), max_length=200)
    start_on = forms.DateField(label=_("Start"), input_formats=DATE_FORMATS)
    end_on = forms.DateField(label=_("End"), input_formats=DATE_FORMATS)
