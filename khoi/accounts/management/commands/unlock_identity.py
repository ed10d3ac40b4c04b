"""Reopen protected identities to a login an administrator changed (issue #9, finding 2).

For a user who had no second factor before the change, no sign-in can prove it is them;
the operator of the server (who holds the field keys anyway) decides, and it is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from khoi.accounts.models import User
from khoi.audit import services as audit


class Command(BaseCommand):
    help = "Reopen protected identities to a login after an administrator's change."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No such login."))
        if user.identity_locked_at is None:
            self.stdout.write(_("Nothing to do: identities are not closed to this login."))
            return
        with transaction.atomic():
            user.identity_locked_at = None
            user.save(update_fields=["identity_locked_at"])
            audit.record(None, "user.identity_unlock", user, {"identity_locked": [True, False]})
        self.stdout.write(
            _("Identities are open again to %(username)s.") % {"username": user.username}
        )
