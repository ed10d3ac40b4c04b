from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "khoi.fund"
    label = "fund"
    verbose_name = _("Fund for the Poor")
