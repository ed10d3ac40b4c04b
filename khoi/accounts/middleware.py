from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from khoi import clock
from khoi.accounts.services import needs_2fa_setup

# What a session that still owes its second factor may reach (issue #9, finding 3).
ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/login/",
    "/accounts/logout/",
    "/static/",
    "/i18n/",
)


class TwoFactorMiddleware:
    """Until a user who must use two-factor has set it up, the session reaches nothing but
    the two-factor pages: pages redirect there, the API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and needs_2fa_setup(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Set up two-factor sign-in first.")}, status=403)
            return redirect("accounts:2fa_setup")
        return self.get_response(request)


class LanguageMiddleware:
    """Vietnamese for everyone, whatever the browser asks for; English only on request.

    Office computers often run an English browser: the product must still speak
    Vietnamese. A person may switch through Django's ``set_language`` view (a cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wanted = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if wanted not in dict(settings.LANGUAGES):
            wanted = settings.LANGUAGE_CODE
        translation.activate(wanted)
        request.LANGUAGE_CODE = wanted
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", wanted)
        return response


def touch_at_login(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Signing in writes the session anyway: mark it touched then (user_logged_in)."""
    if getattr(request, "session", None) is not None:
        request.session["_touched"] = int(clock.real_now().timestamp())


class SessionTouchMiddleware:
    """The idle timeout (``SESSION_COOKIE_AGE``) without a session write on every request:
    a session whose data did not change is saved again only when its last save is more than
    ``KHOI_SESSION_TOUCH_SECONDS`` old (a minute), so the timeout is exact to the minute and
    most requests write nothing.
    Listed after ``SessionMiddleware``, so it marks the session before that one saves it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(clock.real_now().timestamp())
        if now - int(session.get("_touched", 0)) >= settings.KHOI_SESSION_TOUCH_SECONDS:
            session["_touched"] = now
        return response
