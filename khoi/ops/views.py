"""Health check for load balancers and monitoring, the bare anchor page of the load test,
and the admin's sign-in, which goes through Khối's own sign-in (password, then two-factor)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


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
