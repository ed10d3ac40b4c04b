"""Forms of the task pages: filters, create, progress update (with attachment), reassign."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from khoi import clock
from khoi.lib import filetypes
from khoi.org.models import (
    JointOffice,
    Membership,
    Organization,
    Person,
    SubCommittee,
    active_q,
)
from khoi.work.forms import DateInput
from khoi.work.models import Task
from khoi.work.services import ALLOWED_MOVES

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Allowed attachment types: the name's extension and what the content must be.
ATTACHMENT_TYPES: dict[str, str] = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
}
# dd/mm/yyyy text fields: a browser's native date field follows the browser's language
# (an English browser would show 10/12 for 12 October).
DATE_WIDGET = DateInput()
Assignee = tuple[Person | None, SubCommittee | None]


def detect_type(f: Any) -> str | None:
    """The short type name of an upload, read from its content (khoi.lib.filetypes)."""
    content_type = filetypes.sniff(f)
    return filetypes.SHORT_NAMES.get(content_type) if content_type else None


def office_people(offices: Iterable[JointOffice] | QuerySet[JointOffice]) -> QuerySet[Person]:
    """Active people with an active position in the offices, their organizations or
    sub-committees."""
    ids = [o.pk for o in offices]
    members = Membership.objects.filter(active_q()).filter(
        Q(office_id__in=ids) | Q(organization__offices__in=ids) | Q(subcommittee__office_id__in=ids)
    )
    return Person.objects.filter(is_active=True, pk__in=members.values("person_id")).order_by(
        "name_key", "pk"
    )


def assignee_choices(
    offices: Iterable[JointOffice] | QuerySet[JointOffice], blank: str
) -> list[tuple[str, Any]]:
    offices = list(offices)
    ids = [o.pk for o in offices]
    people = [(f"p:{p.pk}", p.full_name) for p in office_people(offices)]
    subs = [
        (f"s:{s.pk}", s.name)
        for s in SubCommittee.objects.filter(office_id__in=ids).order_by("name", "pk")
    ]
    choices: list[tuple[str, Any]] = [("", blank)]
    if people:
        choices.append((str(_("People")), people))
    if subs:
        choices.append((str(_("Sub-committees")), subs))
    return choices


def parse_assignee(value: str) -> Assignee:
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit():
        return None, None
    if kind == "p":
        return Person.objects.filter(pk=int(pk)).first(), None
    if kind == "s":
        return None, SubCommittee.objects.filter(pk=int(pk)).first()
    return None, None


def assignee_value(task: Task) -> str:
    if task.assignee_id:
        return f"p:{task.assignee_id}"
    return f"s:{task.assignee_subcommittee_id}" if task.assignee_subcommittee_id else ""


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class AssigneeField(forms.ChoiceField):
    """One select for a person or a sub-committee; cleans to ``(person, subcommittee)``."""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return (None, None)
        person, sub = parse_assignee(value)
        if person is None and sub is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid")
        return (person, sub)


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = AssigneeField(label=_("Assignee"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DATE_WIDGET)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=DATE_WIDGET)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, offices: QuerySet[JointOffice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_list = list(offices)
        _choice(self, "status").choices = [
            ("", _("All statuses")),
            ("open", _("Open (not done or cancelled)")),
            *Task.Status.choices,
        ]
        _choice(self, "assignee").choices = assignee_choices(office_list, str(_("Anyone")))
        orgs = Organization.objects.filter(offices__in=[o.pk for o in office_list]).distinct()
        self.fields["organization"].queryset = orgs.order_by("name")  # type: ignore[attr-defined]
        self.fields["organization"].empty_label = _("All organizations")  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs["placeholder"] = _("Title, with or without diacritics")
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)

    def apply(self, tasks: QuerySet[Task], today: datetime.date) -> QuerySet[Task]:
        """The tasks matching the (valid part of the) filters."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        status = data.get("status")
        if status == "open":
            tasks = tasks.filter(status__in=Task.OPEN)
        elif status:
            tasks = tasks.filter(status=status)
        person, sub = data.get("assignee") or (None, None)
        if person is not None:
            tasks = tasks.filter(assignee=person)
        if sub is not None:
            tasks = tasks.filter(assignee_subcommittee=sub)
        org = data.get("organization")
        if org is not None:
            in_org = Membership.objects.filter(active_q(), organization=org).values("person_id")
            tasks = tasks.filter(
                pk__in=Task.objects.filter(
                    Q(activity__organization=org)
                    | Q(joint__lead=org)
                    | Q(joint__co_organizers=org)
                    | Q(assignee_id__in=in_org)
                ).values("pk")
            )
        if data.get("due_from"):
            tasks = tasks.filter(due_on__gte=data["due_from"])
        if data.get("due_to"):
            tasks = tasks.filter(due_on__lte=data["due_to"])
        if data.get("overdue"):
            tasks = tasks.filter(status__in=Task.OPEN, due_on__lt=today)
        return tasks

    @property
    def search(self) -> str:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return str(data.get("q") or "").strip()


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Task"),
        max_length=300,
        error_messages={"required": _("Enter what has to be done.")},
    )
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    assignee = AssigneeField(
        label=_("Assigned to"),
        error_messages={"required": _("Choose who the task is assigned to.")},
    )
    due_on = forms.DateField(
        label=_("Due date"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Enter the due date.")},
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Task.Priority.choices,
        coerce=int,
        initial=Task.Priority.NORMAL,
    )
    source_label = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. the meeting decision it comes from."),
    )

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        _choice(self, "assignee").choices = assignee_choices([office], "—")

    def clean_due_on(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due_on"]
        if due < clock.today():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class ReassignForm(forms.Form):
    assignee = AssigneeField(
        label=_("Assigned to"),
        error_messages={"required": _("Choose who the task is assigned to.")},
    )
    due_on = forms.DateField(
        label=_("New due date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Leave empty to keep the due date."),
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "assignee").choices = assignee_choices([task.office], "—")
        self.fields["assignee"].initial = assignee_value(task)


class TaskUpdateForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the task is blocked (the reason) or done (the result)."),
    )
    status = forms.ChoiceField(label=_("Move to"), required=False)
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPEG or PNG, at most 10 MB."),
    )

    def __init__(self, *args: Any, task: Task, can_cancel: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        moves = ALLOWED_MOVES.get(task.status, set())
        _choice(self, "status").choices = [("", _("(keep the status)"))] + [
            (value, label)
            for value, label in Task.Status.choices
            if value in moves and (value != Task.Status.CANCELLED or can_cancel)
        ]

    def clean_attachment(self) -> Any:
        f = self.cleaned_data.get("attachment")
        if not f:
            return None
        if f.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_large")
        ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        expected = ATTACHMENT_TYPES.get(ext)
        if expected is None:
            raise forms.ValidationError(
                _("Only PDF, DOCX, XLSX, JPEG and PNG files can be attached."), code="type"
            )
        if detect_type(f) != expected:
            raise forms.ValidationError(
                _("The content of this file is not a %(kind)s file as its name says.")
                % {"kind": ext.upper()},
                code="disguised",
            )
        return f

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        note = (data.get("note") or "").strip()
        if status == Task.Status.BLOCKED and not note:
            self.add_error("note", _("Say why the task is blocked."))
        if status == Task.Status.DONE and not note:
            self.add_error("note", _("Describe the result of the task."))
        if not status and not note and not data.get("attachment") and not self.errors:
            raise forms.ValidationError(_("Write a note, attach a file or change the status."))
        return data
