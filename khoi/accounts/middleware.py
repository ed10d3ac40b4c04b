from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from khoi.accounts.services import needs_2fa_setup

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class TwoFactorMiddleware:
    """Sends office heads and administrators to the two-factor setup page when required."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and needs_2fa_setup(user)
        ):
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
