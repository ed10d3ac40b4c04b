"""Who may see and do what in the land clearance of key projects.

- A key project's page: the readers of its office's petitions (office staff and head,
  viewers granted a unit containing the office, site administrators) and the reporter of a
  commune the project touches. Everyone else: 404, like a missing project.
- Households, their stage history and visits: the office readers see every one; a commune
  reporter only those of its own commune(s).
- Recording (households, stages, visits): the office's staff and head, and the commune's
  reporter for its commune. Viewers and site administrators read only.
- Coordination rules and obligations: read by the office readers; recorded by the office's
  staff and head. Commune reporters do not see them.
- Names of household heads: in full for those who record in the household's commune; the
  others (viewers, administrators) see them masked (``mask_name``). "With whom" of a visit
  likewise.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from khoi.accounts.access import Scope, full_read_office_ids, get_scope, not_found
from khoi.org.models import AdminUnit
from khoi.petitions.models import (
    AffectedHousehold,
    CoordinationRules,
    KeyProject,
    Obligation,
    Visit,
)

MASK = "***"


def _reporter_units(scope: Scope) -> set[int]:
    return set(scope.reporter_unit_ids)


def projects_for_user(user: Any) -> QuerySet[KeyProject]:
    """Key projects whose page opens for the user."""
    scope = get_scope(user)
    ids = full_read_office_ids(scope)
    if ids is None:
        return KeyProject.objects.all()
    q = Q(office_id__in=ids)
    reporter = _reporter_units(scope)
    if reporter:
        inside = KeyProject.objects.filter(units__in=reporter).values("pk")
        q |= Q(pk__in=inside)
    if not ids and not reporter:
        return KeyProject.objects.none()
    return KeyProject.objects.filter(q)


def get_project_for_user(user: Any, pk: int) -> KeyProject:
    project = projects_for_user(user).select_related("office__unit").filter(pk=pk).first()
    if project is None:
        raise not_found()
    return project


def reads_whole_project(user: Any, project: KeyProject) -> bool:
    ids = full_read_office_ids(get_scope(user))
    return ids is None or project.office_id in ids


def unit_filter(user: Any, project: KeyProject) -> Q:
    """Q on a ``unit`` relation: what of this project the user reads."""
    if reads_whole_project(user, project):
        return Q()
    return Q(unit_id__in=_reporter_units(get_scope(user)))


def households_for_user(user: Any, project: KeyProject) -> QuerySet[AffectedHousehold]:
    return AffectedHousehold.objects.filter(unit_filter(user, project), project=project)


def visits_for_user(user: Any, project: KeyProject) -> QuerySet[Visit]:
    return Visit.objects.filter(unit_filter(user, project), project=project)


def all_households_for_user(user: Any) -> QuerySet[AffectedHousehold]:
    """Every affected household the user reads, across projects (for the audit history)."""
    scope = get_scope(user)
    ids = full_read_office_ids(scope)
    if ids is None:
        return AffectedHousehold.objects.all()
    return AffectedHousehold.objects.filter(
        Q(project__office_id__in=ids) | Q(unit_id__in=_reporter_units(scope))
    )


def household_count_q(user: Any, prefix: str = "households__") -> Q:
    """Q on a project's households: those the user reads (for counts on the project list)."""
    scope = get_scope(user)
    ids = full_read_office_ids(scope)
    if ids is None:
        return Q()
    return Q(**{f"{prefix}project__office_id__in": ids}) | Q(
        **{f"{prefix}unit_id__in": _reporter_units(scope)}
    )


def get_household_for_user(user: Any, pk: int) -> AffectedHousehold:
    household = (
        all_households_for_user(user).select_related("project__office", "unit").filter(pk=pk)
    ).first()
    if household is None:
        raise not_found()
    return household


def can_record(user: Any, project: KeyProject, unit: AdminUnit | int | None = None) -> bool:
    """Whether the user records households, stages and visits (in ``unit`` when given)."""
    scope = get_scope(user)
    if project.office_id in scope.staff_office_ids:
        return True
    reporter = _reporter_units(scope)
    if not reporter:
        return False
    if unit is None:
        return project.units.filter(pk__in=reporter).exists()
    unit_id = unit if isinstance(unit, int) else unit.pk
    return unit_id in reporter


def recordable_units(user: Any, project: KeyProject) -> QuerySet[AdminUnit]:
    """The project's communes where the user records."""
    scope = get_scope(user)
    units = project.units.all().order_by("name")
    if project.office_id in scope.staff_office_ids:
        return units
    return units.filter(pk__in=_reporter_units(scope))


def shows_names(user: Any, project: KeyProject, unit_id: int) -> bool:
    return can_record(user, project, unit_id)


def mask_name(name: str) -> str:
    """ "Nguyễn Văn Thắng" → "N. V. T***": enough to tell rows apart, not to name anyone. A
    trailing note in brackets ("(minh họa)") is kept as it is."""
    note = ""
    text = name.strip()
    if text.endswith(")") and "(" in text:
        text, note = text[: text.rindex("(")].strip(), " " + text[text.rindex("(") :]
    words = text.split()
    if not words:
        return note.strip()
    initials = "".join(f"{w[0]}. " for w in words[:-1])
    return f"{initials}{words[-1][0]}{MASK}{note}"


# --- coordination rules ---------------------------------------------------------------------


def rules_for_user(user: Any) -> QuerySet[CoordinationRules]:
    ids = full_read_office_ids(get_scope(user))
    qs = CoordinationRules.objects.all()
    return qs if ids is None else qs.filter(office_id__in=ids)


def get_rules_for_user(user: Any, pk: int) -> CoordinationRules:
    rules = rules_for_user(user).select_related("office").filter(pk=pk).first()
    if rules is None:
        raise not_found()
    return rules


def obligations_for_user(user: Any) -> QuerySet[Obligation]:
    ids = full_read_office_ids(get_scope(user))
    qs = Obligation.objects.all()
    return qs if ids is None else qs.filter(rules__office_id__in=ids)


def get_obligation_for_user(user: Any, pk: int) -> Obligation:
    ob = obligations_for_user(user).select_related("rules__office").filter(pk=pk).first()
    if ob is None:
        raise not_found()
    return ob


def can_write_rules(user: Any, office_id: int) -> bool:
    return office_id in get_scope(user).staff_office_ids


def linkable_rules(office: Any) -> QuerySet[CoordinationRules]:
    return CoordinationRules.objects.filter(office=office).order_by("-signed_on", "-id")


def describe_rules(rules: CoordinationRules) -> str:
    return f"{rules.title} ({rules.signed_on:%d/%m/%Y})"


def linkable_projects(office: Any) -> QuerySet[KeyProject]:
    return KeyProject.objects.filter(office=office).order_by("name")


def describe_project(project: KeyProject) -> str:
    return project.name


# --- The key projects offered to other apps (``khoi.registry.ProjectDirectory``) -------------


def project_choices(user: Any, office_id: int) -> list[tuple[int, str]]:
    """(id, name) of the office's projects whose page opens for ``user`` (``None``: all)."""
    qs = KeyProject.objects.all() if user is None else projects_for_user(user)
    return list(qs.filter(office_id=office_id).order_by("name", "pk").values_list("pk", "name"))


def project_cards(user: Any, ids: list[int]) -> dict[int, Any]:
    """The registry's cards of the projects among ``ids`` whose page opens for ``user``."""
    from django.urls import reverse

    from khoi.registry import ProjectCard

    rows = projects_for_user(user).filter(pk__in=ids).values_list("pk", "name")
    return {
        pk: ProjectCard(pk, name, reverse("petitions:project_detail", args=[pk]))
        for pk, name in rows
    }
