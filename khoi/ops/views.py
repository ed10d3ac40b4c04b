"""Health check for load balancers and monitoring, the bare anchor page of the load test,
and the admin's sign-in, which goes through Khối's own sign-in (password, then two-factor)."""

from __future__ import annotations

import sys
from urllib.parse import urlencode

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.cache import never_cache

from khoi.ops.middleware import fault_response


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise. Shows no data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bare(request: HttpRequest) -> HttpResponse:
    """The load test's anchor: the whole stack (nginx, gunicorn, Django) without a query."""
    return HttpResponse("ok", content_type="text/plain")


def admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """The admin has no sign-in of its own: two-factor applies to it like everywhere."""
    target = request.GET.get("next", "/admin/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/admin/"
    return HttpResponseRedirect(reverse("accounts:login") + "?" + urlencode({"next": target}))


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database that is down, restarting or too slow while a middleware
    (the session, the signed-in user, the language) reads it never reaches a view, so
    ``FaultMiddleware`` cannot answer it; Django calls this instead of its 500 page. Faults of
    the server answer the same 503/507 page as in a view, anything else the usual 500."""
    exception = sys.exc_info()[1]
    if exception is not None:
        response = fault_response(exception)
        if response is not None:
            return response
    return defaults.server_error(request)
