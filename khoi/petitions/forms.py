from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from khoi.lib import filetypes
from khoi.org.models import AdminUnit, JointOffice
from khoi.petitions.models import Channel, KeyProject, Kind, ReceptionSession, Status
from khoi.petitions.redaction import identity_mentions, redact
from khoi.work.forms import DateInput

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Scans: the name's extension → what the content must be.
ATTACHMENT_TYPES: dict[str, str] = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
# dd/mm/yyyy text fields: a browser's own date field follows the browser's language.
DATE = DateInput()
PETITIONER_ROWS = 4


def checked_kind(f: Any) -> str:
    """The type of an uploaded scan; raises ValidationError when too big or disguised."""
    if f.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_large")
    name = getattr(f, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = ATTACHMENT_TYPES.get(ext)
    if expected is None:
        raise forms.ValidationError(_("Only PDF, JPEG and PNG scans can be attached."), code="type")
    content_type = filetypes.sniff(f)
    found = filetypes.SHORT_NAMES.get(content_type) if content_type else None
    if found != expected:
        raise forms.ValidationError(
            _("The content of this file is not a %(kind)s file as its name says.")
            % {"kind": ext.upper()},
            code="disguised",
        )
    return expected


class PetitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    reception = forms.ModelChoiceField(
        label=_("Reception session"), queryset=ReceptionSession.objects.none(), required=False
    )
    forwarded_by = forms.CharField(label=_("Forwarded by"), max_length=250, required=False)
    subject = forms.CharField(
        label=_("Subject"), max_length=300, help_text=_("The decision, act or person concerned.")
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))
    units = forms.ModelMultipleChoiceField(
        label=_("Related units"), queryset=AdminUnit.objects.none(), required=False
    )
    key_project = forms.ModelChoiceField(
        label=_("Key project"), queryset=KeyProject.objects.none(), required=False
    )
    signatory_count = forms.IntegerField(
        label=_("Number of signatories"), min_value=1, required=False,
        help_text=_(
            "For a petition signed by many people; the names below are its representatives."
        ),
    )  # fmt: skip
    confidential = forms.BooleanField(
        label=_("The petitioner asks that their identity be protected"), required=False,
        help_text=_("Always on for denunciations."),
    )  # fmt: skip
    decision_known_on = forms.DateField(
        label=_("Decision known on"), widget=DATE, required=False,
        help_text=_("For complaints: when the petitioner learned of the decision or act."),
    )  # fmt: skip
    identity_in_content = forms.ChoiceField(
        label=_("If the content names the protected petitioner"), required=False,
        choices=[
            ("", _("check before saving")),
            ("redact", _("black out the name, phone and address in the content")),
            ("keep", _("keep the content as typed")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "A denouncer's identity is protected: when their name, phone or address appears "
            "in the subject or the content, the form warns before saving."
        ),
    )  # fmt: skip
    attachment = forms.FileField(label=_("Scan of the petition"), required=False)
    redacted = forms.FileField(
        label=_("Redacted copy of the scan"), required=False,
        help_text=_(
            "Shown instead of the scan to everyone but the case handler and the office head."
        ),
    )  # fmt: skip

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = AdminUnit.objects.subtree(office.unit).filter(level=AdminUnit.Level.COMMUNE)
        f: Any = self.fields
        f["units"].queryset = units.order_by("name_folded")
        f["key_project"].queryset = KeyProject.objects.filter(office=office)
        f["reception"].queryset = ReceptionSession.objects.filter(office=office)
        for i in range(PETITIONER_ROWS):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Petitioner %(n)s: full name") % {"n": i + 1}, max_length=120,
                required=False,
            )  # fmt: skip
            self.fields[f"address_{i}"] = forms.CharField(
                label=_("Petitioner %(n)s: address") % {"n": i + 1}, max_length=250,
                required=False,
            )  # fmt: skip
            self.fields[f"phone_{i}"] = forms.CharField(
                label=_("Petitioner %(n)s: phone") % {"n": i + 1}, max_length=20, required=False
            )
            self.fields[f"representative_{i}"] = forms.BooleanField(
                label=_("Petitioner %(n)s represents the signatories") % {"n": i + 1},
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        protected = data.get("kind") == Kind.DENUNCIATION or data.get("confidential")
        rows = self.petitioner_rows() if hasattr(self, "cleaned_data") else []
        if not protected or not rows:
            return data
        text = f"{data.get('subject', '')}\n{data.get('content', '')}"
        mentions = identity_mentions(text, rows)
        if not mentions:
            return data
        choice = data.get("identity_in_content")
        if choice == "redact":
            for name in ("subject", "content"):
                if data.get(name):
                    data[name] = redact(data[name], rows)
        elif choice != "keep":
            words = {"name": _("name"), "phone": _("phone"), "address": _("address")}
            found = ", ".join(str(words[f]) for f in dict.fromkeys(m.field for m in mentions))
            self.add_error(
                "identity_in_content",
                _(
                    "The content contains the protected petitioner's %(fields)s. Choose to "
                    "black it out, or to keep the content as typed, then save again."
                )
                % {"fields": found},
            )
        return data

    def clean_attachment(self) -> Any:
        f = self.cleaned_data.get("attachment")
        if f:
            checked_kind(f)
        return f

    def clean_redacted(self) -> Any:
        f = self.cleaned_data.get("redacted")
        if f:
            checked_kind(f)
        return f

    def petitioner_rows(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(PETITIONER_ROWS):
            name = self.cleaned_data.get(f"name_{i}", "").strip()
            if name:
                rows.append(
                    {
                        "name": name,
                        "address": self.cleaned_data.get(f"address_{i}", ""),
                        "phone": self.cleaned_data.get(f"phone_{i}", ""),
                        "representative": bool(self.cleaned_data.get(f"representative_{i}")),
                    }
                )
        return rows


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Note, reason or result"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Kind.choices], required=False)
    authority = forms.CharField(label=_("Competent authority"), max_length=250, required=False)
    letter_number = forms.CharField(label=_("Letter number"), max_length=60, required=False)
    round = forms.TypedChoiceField(
        label=_("Round of the complaint"), choices=[(1, _("first")), (2, _("second"))],
        coerce=int, required=False,
    )  # fmt: skip
    complex = forms.BooleanField(label=_("Complex case"), required=False)
    remote = forms.BooleanField(label=_("Remote area"), required=False)


class AssignForm(forms.Form):
    handler: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Case handler"), queryset=None
    )

    def __init__(self, *args: Any, handlers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers  # type: ignore[attr-defined]


class ReceptionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=250)
    officials = forms.CharField(
        label=_("Officials present"), widget=forms.Textarea(attrs={"rows": 2})
    )
    citizens_count = forms.IntegerField(label=_("Citizens received"), min_value=1, initial=1)
    summary = forms.CharField(
        label=_("What the citizens raised"), widget=forms.Textarea(attrs={"rows": 5})
    )


class KeyProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    status = forms.ChoiceField(label=_("Status"), choices=KeyProject.Status.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=AdminUnit.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, office: JointOffice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields["units"]
        f.queryset = AdminUnit.objects.subtree(office.unit).filter(level=AdminUnit.Level.COMMUNE)


DEADLINE_STATES = [
    ("overdue", _("overdue")),
    ("near", _("due within 5 days")),
    ("on_time", _("on time")),
    ("none", _("no running deadline")),
]
STATUS_CHOICES = Status.choices
