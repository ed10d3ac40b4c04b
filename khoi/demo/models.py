"""The product's date set by the demo loader (one row), read by ``khoi.clock``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductDate(models.Model):
    """The day the demo shows (``manage.py load_demo`` writes row 1).

    Read only when ``KHOI_CLOCK_DATE=demo`` (what ``make run`` sets); production and
    tests never look at it.
    """

    date = models.DateField(_("product date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("product date")
        verbose_name_plural = _("product dates")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"
