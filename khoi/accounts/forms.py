from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
        error_messages={"required": _("Enter your username or email.")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        error_messages={"required": _("Give the token a name, e.g. the tool that will use it.")},
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """The reset e-mail goes through the outbox to the task queue, and a worker sends it
    (``khoi.ops.mail.send_later``): the page answers at once whatever the mail server does,
    and the message's idempotency key (the user and a hash of the one-time token) keeps a
    retried delivery from sending it twice."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from khoi.ops import mail

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        token = hashlib.sha256(str(context["token"]).encode()).hexdigest()[:24]
        mail.send_later(f"password-reset:{context['uid']}:{token}", [to_email], subject, body)
