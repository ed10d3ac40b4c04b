from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from khoi.org.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo scenario (Quảng Yên town's joint office, October 2017). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        self.stdout.write(
            _("The demo data is ready. Demo logins (shared password: %(password)s):")
            % {"password": DEMO_PASSWORD}
        )
        for login, persona in logins:
            self.stdout.write(f"  {login:<14} {persona}")
