"""Security headers (Content-Security-Policy and friends) and rate limits of a public server."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from khoi.ops import ratelimit

# The policy itself is settings.KHOI_CSP (only our own files: no inline script, inline event
# handler or inline style; khoi/ops/tests/test_headers.py keeps the templates so). django-ninja's
# API docs page (Swagger UI) sets inline styles on its elements: that page alone allows them.
DOCS_PATHS = ("/api/v1/docs",)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and the headers Django's SecurityMiddleware lacks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.KHOI_CSP
        if policy:
            if request.path.startswith(DOCS_PATHS):
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RateLimitMiddleware:
    """Answers 429 when one address signs in, asks for password resets, or one API token
    calls, more often than the limits allow (counters in the shared cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rule = ratelimit.rule_for(request)
        if rule is not None and not ratelimit.hit(rule, request):
            response = HttpResponse(
                _("Too many requests. Please wait a minute and try again."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response.headers["Retry-After"] = str(rule.window_seconds)
            return response
        return self.get_response(request)


class AdminTwoFactorMiddleware:
    """The admin site opens only to a session signed in with two-factor when two-factor is
    required (``KHOI_REQUIRE_2FA``); its sign-in page is Khối's own (khoi/ops/views.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.KHOI_REQUIRE_2FA
            and request.path.startswith("/admin/")
            and user is not None
            and user.is_authenticated
            and not getattr(user, "has_2fa", False)
        ):
            return redirect("accounts:2fa_setup")
        return self.get_response(request)
