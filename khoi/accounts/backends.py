from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from khoi.accounts.access import load_user_with_scope
from khoi.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the email address (case-insensitive)."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or password is None:
            return None
        ident = username.strip()
        users = list(User.objects.filter(Q(username__iexact=ident) | Q(email__iexact=ident))[:2])
        if len(users) != 1:
            User().set_password(password)  # same work whether or not the user exists
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The session's user, with their scope read in the same query (one round trip
        instead of two on every signed-in request)."""
        user = load_user_with_scope(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
