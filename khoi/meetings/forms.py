from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khoi.meetings.models import AgendaItem, Attendance, Meeting, Outcome
from khoi.org.models import JointOffice, Person, SubCommittee
from khoi.work.forms import DATE_ERRORS, DateInput

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]  # fmt: skip


def office_people(office: JointOffice) -> Any:
    """People of the office's unit (members of the office and its organizations)."""
    return Person.objects.filter(unit=office.unit, is_active=True).order_by("name_key")


class PeoplePicker(forms.CheckboxSelectMultiple):
    """Invitees as a list of checkboxes with a search box (static/js/picker.js filters as
    one types, with or without accents); without JavaScript the checkboxes work alone."""

    template_name = "meetings/widgets/people_picker.html"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(
            attrs={"placeholder": "dd/mm/yyyy hh:mm"}, format="%d/%m/%Y %H:%M"
        ),
        error_messages={"invalid": _("Enter the date and time as dd/mm/yyyy hh:mm.")},
    )  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair = forms.ModelChoiceField(
        label=_("Chaired by"), queryset=Person.objects.none(), required=False
    )
    secretary = forms.ModelChoiceField(
        label=_("Minutes taken by"), queryset=Person.objects.none(), required=False
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Invited"), queryset=Person.objects.none(), required=False,
        widget=PeoplePicker,
    )  # fmt: skip

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "attendees"):
            self.fields[name].queryset = office_people(office)  # type: ignore[attr-defined]


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, initial="Giao ban Cơ quan Khối")
    weekday = forms.TypedChoiceField(label=_("Every"), choices=WEEKDAYS, coerce=int)
    time = forms.TimeField(label=_("At"), input_formats=["%H:%M"], initial="08:00")
    every_weeks = forms.IntegerField(label=_("Every how many weeks"), min_value=1, initial=1)
    start_on = forms.DateField(label=_("From"), widget=DateInput(), error_messages=DATE_ERRORS)
    end_on = forms.DateField(label=_("Until"), widget=DateInput(), error_messages=DATE_ERRORS)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair = forms.ModelChoiceField(
        label=_("Chaired by"), queryset=Person.objects.none(), required=False
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Invited"), queryset=Person.objects.none(), required=False,
        widget=PeoplePicker,
    )  # fmt: skip

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "attendees"):
            self.fields[name].queryset = office_people(office)  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    detail = forms.CharField(
        label=_("Detail"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)
    reason = forms.CharField(label=_("Reason for absence"), max_length=300, required=False)

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = office_people(office)  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Outcome.Kind.choices)
    text = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=Person.objects.none(), required=False
    )
    assignee_subcommittee = forms.ModelChoiceField(
        label=_("or sub-committee"), queryset=SubCommittee.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = office_people(meeting.office)  # type: ignore[attr-defined]
        self.fields["assignee_subcommittee"].queryset = SubCommittee.objects.filter(  # type: ignore[attr-defined]
            office=meeting.office
        )


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 2}))
    item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()  # type: ignore[attr-defined]
