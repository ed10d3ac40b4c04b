"""The official exceptions to the working-day calendar, one for the whole product."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverride(models.Model):
    """An official exception to the working-day calendar (announced Tết schedule, swap)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (e.g. a Saturday worked in exchange).")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"
