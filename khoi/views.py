"""The home dashboard: the office's real figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from khoi import clock
from khoi.accounts.access import OFFICE_STAFF_ROLES, get_scope
from khoi.audit.access import entries_for_user
from khoi.org import access
from khoi.org.models import AdminUnit, Person, ResidentialArea, active_q
from khoi.registry import DASHBOARD_PROVIDERS


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    today = clock.today()
    active = active_q("memberships__", today)
    offices = list(
        access.offices_for_user(request.user)
        .select_related("unit")
        .annotate(
            n_orgs=Count("organizations", distinct=True),
            n_subcommittees=Count("subcommittees", distinct=True),
            n_staff=Count(
                "memberships",
                filter=active & Q(memberships__role__in=OFFICE_STAFF_ROLES),
                distinct=True,
            ),
        )
        .order_by("name")[:10]
    )
    for office in offices:
        units = AdminUnit.objects.subtree(office.unit)
        office.n_communes = units.filter(level=AdminUnit.Level.COMMUNE).count()  # type: ignore[attr-defined]
        office.n_areas = ResidentialArea.objects.filter(commune__in=units).count()  # type: ignore[attr-defined]
    people = access.people_for_user(request.user)
    cards = [card for provider in DASHBOARD_PROVIDERS for card in provider(request.user, offices)]
    recent = entries_for_user(request.user).select_related("actor").order_by("-seq")[:8]
    return render(
        request,
        "home.html",
        {
            "offices": offices,
            "n_people": people.filter(is_active=True).count(),
            "n_organizations": access.organizations_for_user(request.user).count(),
            "recent": recent,
            "cards": cards,
            "my_person": Person.objects.filter(pk=scope.person_id).first()
            if scope.person_id
            else None,
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page, cookies off) explained in the user's language."""
    return render(request, "403_csrf.html", status=403)
