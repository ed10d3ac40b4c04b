from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "khoi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from khoi.accounts.middleware import touch_at_login
        from khoi.audit.labels import register_action_labels

        user_logged_in.connect(touch_at_login, dispatch_uid="khoi.accounts.touch_at_login")

        register_action_labels(
            {
                "user.admin_reset": _(
                    "had a login's password or e-mail changed by an administrator"
                ),
                "sensitive.view": _("viewed protected data (logged identity view)"),
                "user.identity_unlock": _(
                    "signed in again with two-factor after an administrator's change"
                ),
            }
        )
