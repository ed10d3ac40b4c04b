"""Form pieces every app uses (no app imports): the dd/mm/yyyy date field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_ERRORS = {"required": _("Enter the date."), "invalid": _("Enter a date as dd/mm/yyyy.")}


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self) -> None:
        super().__init__(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        )
