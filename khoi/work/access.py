"""Who may see and change programmes, plans, activities, joint work and tasks.

- Office staff and the office head see everything of their office; viewers everything
  of the offices inside the units granted to them.
- An organization's members (leaders included) see their organization's plans and
  activities, the activities they take part in, and the joint work their organization
  leads or co-organizes.
- A person sees the tasks assigned to them or to their sub-committee.
- Writing: office staff and head create and edit activities and plans of any member
  organization; organization leaders those of their own organization. Assigning tasks:
  the office head and organization leaders. Merging: the office head, or staff proposing
  for the office head's approval.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from khoi.accounts import access as offices
from khoi.accounts.access import Scope, full_read_office_ids, get_scope, not_found
from khoi.org.models import JointOffice, Organization
from khoi.work.models import Activity, JointActivity, Plan, Programme, Task


def _office_q(scope: Scope, prefix: str = "") -> Q:
    ids = full_read_office_ids(scope)
    return Q() if ids is None else Q(**{f"{prefix}office_id__in": ids})


def _visible(model: Any, branches: list[QuerySet[Any]]) -> QuerySet[Any]:
    """Rows whose pk is in any branch: each branch an index-friendly one-column subquery.

    The branches are combined as one UNION subquery instead of OR across joined tables, which
    PostgreSQL could only answer by scanning the whole table (1M activities, 3M tasks).
    """
    if not branches:
        return model.objects.none()
    first, *rest = (b.order_by() for b in branches)
    return model.objects.filter(pk__in=first.union(*rest) if rest else first)


def _joint_ids(orgs: set[int]) -> QuerySet[Any]:
    """Joint work that these organizations lead or co-organize (pk subquery)."""
    co = JointActivity.co_organizers.through.objects.filter(organization_id__in=orgs)
    return (
        JointActivity.objects.filter(lead_id__in=orgs)
        .order_by()
        .values_list("pk", flat=True)
        .union(co.order_by().values_list("jointactivity_id", flat=True))
    )


def activities_for_user(user: Any) -> QuerySet[Activity]:
    scope = get_scope(user)
    if scope.is_admin:
        return Activity.objects.all()
    orgs = scope.member_org_ids
    branches: list[QuerySet[Any]] = []
    office_ids = full_read_office_ids(scope)
    if office_ids:
        branches.append(Activity.objects.filter(office_id__in=office_ids).values_list("pk"))
    if orgs:
        participants = Activity.participants.through.objects
        branches += [
            Activity.objects.filter(organization_id__in=orgs).values_list("pk"),
            participants.filter(organization_id__in=orgs).values_list("activity_id"),
            Activity.objects.filter(joint_id__in=_joint_ids(orgs)).values_list("pk"),
        ]
    if scope.reporter_unit_ids:
        targets = Activity.target_units.through.objects
        branches.append(
            targets.filter(adminunit_id__in=scope.reporter_unit_ids).values_list("activity_id")
        )
    return _visible(Activity, branches)


def get_activity_for_user(user: Any, pk: int) -> Activity:
    activity = (
        activities_for_user(user)
        .select_related("organization", "office", "plan", "joint", "created_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise not_found()
    return activity


def joints_for_user(user: Any) -> QuerySet[JointActivity]:
    scope = get_scope(user)
    if scope.is_admin:
        return JointActivity.objects.all()
    orgs = scope.member_org_ids
    branches: list[QuerySet[Any]] = []
    office_ids = full_read_office_ids(scope)
    if office_ids:
        branches.append(JointActivity.objects.filter(office_id__in=office_ids).values_list("pk"))
    if orgs:
        co = JointActivity.co_organizers.through.objects.filter(organization_id__in=orgs)
        branches += [
            JointActivity.objects.filter(lead_id__in=orgs).values_list("pk"),
            co.values_list("jointactivity_id"),
        ]
    return _visible(JointActivity, branches)


def get_joint_for_user(user: Any, pk: int) -> JointActivity:
    joint = joints_for_user(user).select_related("lead", "office").filter(pk=pk).first()
    if joint is None:
        raise not_found()
    return joint


def plans_for_user(user: Any) -> QuerySet[Plan]:
    scope = get_scope(user)
    return Plan.objects.filter(_office_q(scope) | Q(organization_id__in=scope.member_org_ids))


def get_plan_for_user(user: Any, pk: int) -> Plan:
    plan = (
        plans_for_user(user)
        .select_related("organization", "subcommittee", "office", "programme")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise not_found()
    return plan


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    scope = get_scope(user)
    return Programme.objects.filter(_office_q(scope) | Q(organization_id__in=scope.member_org_ids))


def tasks_for_user(user: Any) -> QuerySet[Task]:
    scope = get_scope(user)
    if scope.is_admin:
        return Task.objects.all()
    branches: list[QuerySet[Any]] = []
    office_ids = full_read_office_ids(scope)
    if office_ids:
        branches.append(Task.objects.filter(office_id__in=office_ids).values_list("pk"))
    branches.append(Task.objects.filter(assigned_by_id=scope.user_id).values_list("pk"))
    if scope.person_id:
        branches.append(Task.objects.filter(assignee_id=scope.person_id).values_list("pk"))
    if scope.subcommittee_ids:
        branches.append(
            Task.objects.filter(assignee_subcommittee_id__in=scope.subcommittee_ids).values_list(
                "pk"
            )
        )
    if scope.led_org_ids:
        led = scope.led_org_ids
        branches += [
            Task.objects.filter(
                activity_id__in=Activity.objects.filter(organization_id__in=led).values("pk")
            ).values_list("pk"),
            Task.objects.filter(joint_id__in=_joint_ids(led)).values_list("pk"),
        ]
    return _visible(Task, branches)


def get_task_for_user(user: Any, pk: int) -> Task:
    task = (
        tasks_for_user(user)
        .select_related(
            "assignee", "assignee_subcommittee", "activity", "joint", "office", "assigned_by"
        )
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise not_found()
    return task


# --- Writing ---------------------------------------------------------------------------------


def writable_organizations(user: Any, office: JointOffice) -> QuerySet[Organization]:
    """Organizations whose activities and plans the user may create in this office."""
    scope = get_scope(user)
    orgs = office.organizations.all()
    if scope.is_admin or office.pk in scope.staff_office_ids:
        return orgs
    return orgs.filter(pk__in=scope.led_org_ids)


def can_edit_activity(user: Any, activity: Activity) -> bool:
    scope = get_scope(user)
    return (
        scope.is_admin
        or activity.office_id in scope.staff_office_ids
        or activity.organization_id in scope.led_org_ids
    )


def can_edit_plan(user: Any, plan: Plan) -> bool:
    scope = get_scope(user)
    return (
        scope.is_admin
        or plan.office_id in scope.staff_office_ids
        or (plan.organization_id is not None and plan.organization_id in scope.led_org_ids)
    )


def offices_to_work_in(user: Any) -> QuerySet[JointOffice]:
    """Offices where the user may create plans and activities."""
    scope = get_scope(user)
    if scope.is_admin:
        return JointOffice.objects.all()
    return JointOffice.objects.filter(
        Q(pk__in=scope.staff_office_ids) | Q(organizations__in=scope.led_org_ids)
    ).distinct()


def can_approve_merge(user: Any, office: JointOffice) -> bool:
    return offices.can_head_office(user, office)


def can_propose_merge(user: Any, office: JointOffice) -> bool:
    return offices.can_staff_office(user, office)


def can_assign(user: Any, office: JointOffice) -> bool:
    """The office head and the leaders of the office's member organizations assign tasks."""
    return offices.can_assign_in(user, office)


def can_update_task(user: Any, task: Task) -> bool:
    """Assignees report progress; assigners, the office head and admins too."""
    scope = get_scope(user)
    return (
        scope.is_admin
        or task.office_id in scope.head_office_ids
        or (scope.person_id is not None and task.assignee_id == scope.person_id)
        or (task.assignee_subcommittee_id in scope.subcommittee_ids)
        or (task.assigned_by_id is not None and task.assigned_by_id == scope.user_id)
    )


# --- What the document register may link to (khoi.registry.LinkKind) ----------------------------


def linkable_plans(office: JointOffice) -> QuerySet[Plan]:
    return Plan.objects.filter(office=office).order_by("-start_on", "-id")


def describe_plan(plan: Plan) -> str:
    return plan.title


def linkable_activities(office: JointOffice) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(office=office)
        .select_related("organization")
        .order_by("-start_on", "-id")
    )


def describe_activity(activity: Activity) -> str:
    org = activity.organization
    return f"{activity.start_on:%d/%m/%Y} · {org.short_name or org.name}: {activity.title}"
