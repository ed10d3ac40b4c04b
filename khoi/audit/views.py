from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from khoi.accounts.access import get_scope, not_found
from khoi.audit.access import entries_for_user, history_for_user
from khoi.audit.readable import prime_names
from khoi.http import parse_date as parse_query_date
from khoi.pagination import paginate


def _date(value: str) -> datetime.date | None:
    value = value.strip()
    return parse_query_date(value) if value else None  # an impossible date: 400


@login_required
def log_view(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not (scope.is_admin or scope.head_office_ids):
        raise not_found()
    entries = entries_for_user(request.user)
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    date_from = _date(request.GET.get("from", ""))
    date_to = _date(request.GET.get("to", ""))
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    actions = sorted(set(entries_for_user(request.user).values_list("action", flat=True)[:2000]))
    page = paginate(request, entries.select_related("actor").order_by("-seq"), 50)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "audit_names": prime_names(page.object_list, {}),
            "action": action,
            "actor": actor,
            "date_from": request.GET.get("from", ""),
            "date_to": request.GET.get("to", ""),
            "actions": actions,
        },
    )


@login_required
def history_view(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    entries = history_for_user(request.user, object_type, object_id)
    first = entries.order_by("seq").first()
    if first is None:
        raise not_found()
    rows = list(entries.order_by("-seq"))
    return render(
        request,
        "audit/history.html",
        {
            "entries": rows,
            "audit_names": prime_names(rows, {}),
            "object_repr": first.object_repr,
            "object_type": object_type,
        },
    )
