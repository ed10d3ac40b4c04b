"""Security headers (Content-Security-Policy and friends) and rate limits of a public server."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from khoi.ops import ratelimit

logger = logging.getLogger(__name__)

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
    """The admin site opens only to a session signed in with two-factor: always in
    production (``KHOI_DEBUG=0``, whatever ``KHOI_REQUIRE_2FA`` says), and in development
    when ``KHOI_REQUIRE_2FA`` is on (``KHOI_ADMIN_REQUIRE_2FA``); its sign-in page is Khối's
    own (khoi/ops/views.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            (settings.KHOI_ADMIN_REQUIRE_2FA or settings.KHOI_REQUIRE_2FA)
            and request.path.startswith("/admin/")
            and user is not None
            and user.is_authenticated
            and not getattr(user, "has_2fa", False)
        ):
            return redirect("accounts:2fa_setup")
        return self.get_response(request)


class FaultMiddleware:
    """What a person sees when the server, not the request, is at fault: the database is
    restarting, unreachable or too slow (statement timeout), or the disk is full. A clear
    page with 503 (try again shortly) or 507, never a crash page, and the request's
    transaction is rolled back, so nothing is half saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return fault_response(exception)


def fault_response(exception: BaseException) -> HttpResponse | None:
    """The 503 or 507 answer for a fault of the server (see ``FaultMiddleware``), or None.
    The database error may be the context of another one (a session that could not load)."""
    seen: set[int] = set()
    cause: BaseException | None = exception
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OperationalError | InterfaceError):
            logger.warning("database unavailable or too slow: %s", type(cause).__name__)
            response = HttpResponse(
                _(
                    "The server is busy or restarting and could not answer in time. Nothing "
                    "was saved. Please try again in a moment."
                ),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response.headers["Retry-After"] = "5"
            return response
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            logger.error("disk full while answering a request")
            return HttpResponse(
                _(
                    "The server's disk is full, so nothing was saved. Please tell the "
                    "administrator; your work can be sent again once space is freed."
                ),
                status=507,
                content_type="text/plain; charset=utf-8",
            )
        cause = cause.__cause__ or cause.__context__
    return None
