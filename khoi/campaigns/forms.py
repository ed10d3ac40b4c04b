"""Forms of the campaigns pages (the services check everything again)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khoi.campaigns.models import Campaign, Cluster, Criterion, Indicator
from khoi.work.forms import DateInput

DATE = DateInput()
# The words staff type in a scoring-table line (data read by the form, not messages).
INDICATOR_NAME, ACTIVITIES_NAME = "chỉ tiêu", "hoạt động"
BONUS_NAME, PENALTY_NAME = "thưởng", "trừ"


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    start_on = forms.DateField(label=_("From"), widget=DATE)
    end_on = forms.DateField(label=_("Until"), widget=DATE, required=False)
    organizations: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Organizations taking part"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    criteria = forms.CharField(
        label=_("Criteria (one per line)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    level = forms.ChoiceField(label=_("Reported by"), choices=Indicator.Level.choices)
    period_kind = forms.ChoiceField(label=_("Period"), choices=Indicator.PeriodKind.choices)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    min_value = forms.DecimalField(label=_("Smallest value"), required=False, decimal_places=2)
    max_value = forms.DecimalField(label=_("Largest value"), required=False, decimal_places=2)
    aggregation = forms.ChoiceField(
        label=_("Yearly figure"),
        choices=Indicator.Aggregation.choices,
        initial=Indicator.Aggregation.SUM,
        required=False,
        help_text=_("How the periods of a year make the yearly figure used in the ranking."),
    )

    def clean_aggregation(self) -> str:
        return str(self.cleaned_data.get("aggregation") or Indicator.Aggregation.SUM)


class TargetForm(forms.Form):
    indicator: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Indicator"), queryset=None
    )
    commune: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Commune"), queryset=None, required=False
    )
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Residential area"), queryset=None, required=False,
        help_text=_("For an indicator reported by residential areas."),
    )  # fmt: skip
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    value = forms.DecimalField(label=_("Target"), decimal_places=2)

    def __init__(
        self, *args: Any, indicators: Any, communes: Any, areas: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["area"].queryset = (  # type: ignore[attr-defined]
            areas if areas is not None else communes.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("area") is not None and data.get("commune") is None:
            data["commune"] = data["area"].commune
        if data.get("commune") is None and not self.errors:
            raise forms.ValidationError(_("Choose the commune or one of its residential areas."))
        return data


class ProposalForm(forms.Form):
    proposer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Proposing organization"), queryset=None
    )
    form_code = forms.ChoiceField(label=_("Form of commendation"), choices=())
    nominee_name = forms.CharField(label=_("Nominee"), max_length=300)
    year = forms.IntegerField(label=_("Year of the achievement"), min_value=1990, max_value=2100)
    achievement = forms.CharField(label=_("Achievement"), widget=forms.Textarea(attrs={"rows": 3}))
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False
    )

    def __init__(self, *args: Any, organizations: Any, forms_in_force: Any, campaigns: Any,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["form_code"].choices = [(f.code, f.name) for f in forms_in_force]  # type: ignore[attr-defined]


class ScoringTableForm(forms.Form):
    """The criteria as lines "name | weight | source | kind", e.g.
    "Tuyên truyền | 40 | chỉ tiêu 1", "Đánh giá chung | 60 | chấm tay",
    "Mô hình mới | 5 | chấm tay | thưởng"."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    base_points = forms.DecimalField(label=_("Base points"), decimal_places=2, initial=0)
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line: name | weight | source (“chấm tay”, “chỉ tiêu <code>” or “hoạt động”)"
            " | kind (empty, “thưởng” or “trừ”). The weights of the ordinary criteria must add"
            " up to 100."
        ),
    )

    def __init__(self, *args: Any, campaign: Campaign | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_criteria(self) -> list[Any]:
        from khoi.campaigns.services import CriterionInput

        out = []
        indicators = {i.code: i for i in self.campaign.indicators.all()} if self.campaign else {}
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 3:
                raise forms.ValidationError(
                    _("Line %(n)s: write name | weight | source.") % {"n": n}
                )
            try:
                weight = Decimal(parts[1].replace(",", "."))
            except ArithmeticError:
                raise forms.ValidationError(
                    _("Line %(n)s: the weight is not a number.") % {"n": n}
                ) from None
            source, indicator = Criterion.Source.MANUAL, None
            if parts[2].lower().startswith(INDICATOR_NAME):
                source = Criterion.Source.INDICATOR
                indicator = indicators.get(parts[2][len(INDICATOR_NAME) :].strip())
                if indicator is None:
                    raise forms.ValidationError(
                        _("Line %(n)s: no indicator with this code.") % {"n": n}
                    )
            elif parts[2].lower().startswith(ACTIVITIES_NAME):
                source = Criterion.Source.ACTIVITIES
            kind = Criterion.Kind.WEIGHTED
            if len(parts) > 3 and parts[3].lower().startswith(BONUS_NAME):
                kind = Criterion.Kind.BONUS
            elif len(parts) > 3 and parts[3].lower().startswith(PENALTY_NAME):
                kind = Criterion.Kind.PENALTY
            out.append(CriterionInput(parts[0], weight, source, kind, indicator))
        return out


class ScoreForm(forms.Form):
    criterion: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Criterion"), queryset=None
    )
    member: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Member"), queryset=None)
    points = forms.DecimalField(label=_("Points"), decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=500)

    def __init__(self, *args: Any, criteria: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria  # type: ignore[attr-defined]
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class RecognitionForm(forms.Form):
    """A residential area, or a whole commune (no area chosen), recognised for a model."""

    model: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Practice model"), queryset=None
    )
    commune: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Commune"), queryset=None, required=False
    )
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Residential area"), queryset=None, required=False,
        help_text=_("Leave empty when the whole commune holds the model."),
    )  # fmt: skip
    recognised_on = forms.DateField(label=_("Recognised on"), widget=DATE)

    def __init__(self, *args: Any, models: Any, communes: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = models  # type: ignore[attr-defined]
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("area") is not None and data.get("commune") is None:
            data["commune"] = data["area"].commune
        if data.get("commune") is None and not self.errors:
            raise forms.ValidationError(_("Choose the commune or one of its residential areas."))
        return data


class SolidarityDayForm(forms.Form):
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Residential area"), queryset=None
    )
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    funds_raised = forms.IntegerField(label=_("Funds raised (VND)"), min_value=0, initial=0)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Members are"), choices=Cluster.Kind.choices)
    units: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Communes"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    organizations: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Organizations"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: Any, communes: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = communes  # type: ignore[attr-defined]
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Cluster.Kind.COMMUNES and not data.get("units"):
            raise forms.ValidationError(_("Choose the communes of the cluster."))
        if kind == Cluster.Kind.ORGANIZATIONS and not data.get("organizations"):
            raise forms.ValidationError(_("Choose the organizations of the cluster."))
        if kind == Cluster.Kind.COMMUNES:
            data["organizations"] = []
        else:
            data["units"] = []
        return data


class PledgeForm(forms.Form):
    member: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Member"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    content = forms.CharField(
        label=_("Content of the pledge"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class PracticeModelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False
    )

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class AwardRecordForm(forms.Form):
    nominee_name = forms.CharField(label=_("Nominee"), max_length=300)
    form_code = forms.ChoiceField(label=_("Form of commendation"), choices=())
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100)
    decision = forms.CharField(label=_("Decision"), max_length=200, required=False)

    def __init__(self, *args: Any, forms_by_code: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_code"].choices = list(forms_by_code)  # type: ignore[attr-defined]
