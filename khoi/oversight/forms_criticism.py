"""Forms of social criticism and feedback rounds (types and dates only: the rules are in
the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khoi.forms_util import DATE_ERRORS, DateInput
from khoi.oversight.models.criticism import Critique, CritiqueComment
from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound


def _date(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label, widget=DateInput(), required=required, error_messages=DATE_ERRORS,
        help_text=help_text,
    )  # fmt: skip


class OfficeChoice(forms.Form):
    office: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Joint office"), queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        if offices.count() == 1:
            self.fields["office"].widget = forms.HiddenInput()
            self.fields["office"].initial = offices.first()


class ReceiveDraftForm(OfficeChoice):
    title = forms.CharField(label=_("Draft"), max_length=400)
    draft_kind = forms.ChoiceField(label=_("Kind of draft"), choices=Critique.DraftKind.choices)
    drafting_body = forms.CharField(label=_("Drafting body"), max_length=250)
    received_on = _date(_("Received on"))
    due_on = _date(_("Critique due on"))
    form = forms.ChoiceField(label=_("Form of criticism"), choices=Critique.Form.choices)
    held_on = _date(_("Conference or dialogue held on"), required=False)
    letter_notation = forms.CharField(
        label=_("Number of the letter sending the draft"), max_length=120, required=False,
        help_text=_("Registered as an incoming document of the register."),
    )  # fmt: skip
    letter_date = _date(_("Date of the letter"), required=False)
    text = forms.CharField(
        label=_("Text of the draft"), required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Paste the draft: it is cut into sections at its headings (I., II., "
                    "Phần, Chương, Điều, 1., 2.…)."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EditDraftForm(forms.Form):
    """What was recorded of a draft received, corrected before the critique is issued."""

    title = forms.CharField(label=_("Draft"), max_length=400)
    draft_kind = forms.ChoiceField(label=_("Kind of draft"), choices=Critique.DraftKind.choices)
    drafting_body = forms.CharField(label=_("Drafting body"), max_length=250)
    received_on = _date(_("Received on"))
    due_on = _date(_("Critique due on"))
    form = forms.ChoiceField(label=_("Form of criticism"), choices=Critique.Form.choices)
    held_on = _date(_("Conference or dialogue held on"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SectionsForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the draft"), widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste the draft: it is cut into sections at its headings (I., II., "
                    "Phần, Chương, Điều, 1., 2.…)."),
    )  # fmt: skip


class AddSectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=300)
    text = forms.CharField(
        label=_("Text of the section"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int, required=False)
    author_kind = forms.ChoiceField(
        label=_("Kind of author"), choices=CritiqueComment.AuthorKind.choices
    )
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False
    )
    author_name = forms.CharField(
        label=_("Author"), max_length=250, required=False,
        help_text=_("The member or expert (for an organization: its name by default)."),
    )  # fmt: skip
    content = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    given_on = _date(_("Given on"), required=False)

    def __init__(self, *args: Any, sections: Any, organizations: Any, manager: bool,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("The draft as a whole"))] + [  # type: ignore[attr-defined]
            (s.pk, s.heading) for s in sections
        ]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if not manager:
            self.fields["author_kind"].choices = [  # type: ignore[attr-defined]
                (
                    CritiqueComment.AuthorKind.ORGANIZATION,
                    CritiqueComment.AuthorKind.ORGANIZATION.label,
                )
            ]


class IssueForm(forms.Form):
    issued_on = _date(_("Date of the critique"))
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)


class AnswerForm(forms.Form):
    answered_on = _date(_("Date of the drafting body's answer"))
    letter_notation = forms.CharField(
        label=_("Number of the answer letter"), max_length=120, required=False,
        help_text=_("Registered as an incoming document of the register."),
    )  # fmt: skip
    summary = forms.CharField(
        label=_("Summary of the answer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recommend_to = forms.CharField(
        label=_("Recommendations addressed to"), max_length=250, required=False,
        help_text=_("Each point not accepted becomes a recommendation of the register; by "
                    "default to the drafting body."),
    )  # fmt: skip
    recommendation_due_on = _date(_("Recommendations to be answered by"), required=False)

    def __init__(self, *args: Any, points: list[CritiqueComment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = points
        for n, p in enumerate(points, start=1):
            self.fields[f"response-{p.pk}"] = forms.ChoiceField(
                label=_("Point %(n)d") % {"n": n},
                choices=[("", "—"), *CritiqueComment.Response.choices],
                required=False,
            )
            self.fields[f"note-{p.pk}"] = forms.CharField(
                label=_("Explanation of point %(n)d") % {"n": n}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def rows(self) -> list[tuple[int, CritiqueComment, Any, Any]]:
        return [
            (n, p, self[f"response-{p.pk}"], self[f"note-{p.pk}"])
            for n, p in enumerate(self.points, start=1)
        ]


class OpenRoundForm(OfficeChoice):
    title = forms.CharField(label=_("Title"), max_length=400)
    subject_kind = forms.ChoiceField(
        label=_("Feedback on"), choices=FeedbackRound.SubjectKind.choices
    )
    subject = forms.CharField(label=_("Subject"), max_length=400)
    start_on = _date(_("Collecting from"))
    end_on = _date(_("Collecting until"))
    send_to = forms.CharField(label=_("Report sent to"), max_length=250)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(forms.Form):
    source_kind = forms.ChoiceField(
        label=pgettext_lazy("feedback opinion", "Source"),
        choices=FeedbackOpinion.SourceKind.choices,
    )
    source_name = forms.CharField(label=_("Given by"), max_length=250, required=False)
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False
    )
    commune: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Commune"), queryset=None, required=False
    )
    content = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = _date(_("Received on"), required=False)

    def __init__(self, *args: Any, organizations: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    reported_on = _date(_("Date of the report"))
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)


class RecommendForm(forms.Form):
    body = forms.CharField(label=_("Body recommended to"), max_length=250, required=False)
    content = forms.CharField(
        label=_("Content of the recommendation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = _date(_("Answer due on"), required=False)
