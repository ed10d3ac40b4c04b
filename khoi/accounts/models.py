from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. The person behind it (name, unit, memberships) is `org.Person`."""

    email = models.EmailField(_("email address"), blank=True)
    totp_secret = models.CharField(_("two-factor secret"), max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(_("two-factor enabled at"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(default=0, editable=False)
    # Set when someone else (an administrator) sets the password or the e-mail address:
    # protected identities stay closed to this account until a fresh sign-in with a second
    # factor enrolled before that moment (issue #9, finding 2).
    identity_locked_at = models.DateTimeField(
        _("identities closed since"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (last_name), then the given name."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def has_2fa(self) -> bool:
        return self.totp_confirmed_at is not None


class LoginFailure(models.Model):
    """One failed login, keyed by the folded identifier typed (known user or not)."""

    identifier = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.identifier} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "khoi_" + secrets.token_urlsafe(32)
