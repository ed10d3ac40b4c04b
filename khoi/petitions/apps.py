from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "khoi.petitions"
    label = "petitions"
    verbose_name = _("Petitions and citizen reception")
