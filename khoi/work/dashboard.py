"""The work app's cards on the home dashboard (registered in WorkConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khoi import clock
from khoi.registry import DashboardCard
from khoi.work import access
from khoi.work.models import Activity, JointActivity, Task


def work_cards(user: Any, offices: list[Any]) -> list[DashboardCard]:
    today = clock.today()
    month_start = today.replace(day=1)
    tasks = access.tasks_for_user(user).aggregate(
        open=Count("pk", filter=Q(status__in=Task.OPEN)),
        overdue=Count("pk", filter=Q(status__in=Task.OPEN, due_on__lt=today)),
        blocked=Count("pk", filter=Q(status=Task.Status.BLOCKED)),
    )
    activities = (
        access.activities_for_user(user)
        .filter(start_on__lte=today, end_on__gte=month_start)
        .exclude(status=Activity.Status.CANCELLED)
    )
    joints = access.joints_for_user(user).aggregate(
        active=Count("pk", filter=Q(status=JointActivity.Status.ACTIVE)),
        proposed=Count("pk", filter=Q(status=JointActivity.Status.PROPOSED)),
    )
    return [
        DashboardCard(
            _("activities this month"), activities.count(), reverse("work:activity_calendar")
        ),
        DashboardCard(
            _("joint activities under way"), joints["active"], reverse("work:joint_list")
        ),
        DashboardCard(
            _("merges awaiting approval"),
            joints["proposed"],
            reverse("work:joint_list") + "?status=proposed",
            alert=joints["proposed"] > 0,
        ),
        DashboardCard(_("open tasks"), tasks["open"]),
        DashboardCard(_("overdue tasks"), tasks["overdue"], alert=tasks["overdue"] > 0),
        DashboardCard(_("blocked tasks"), tasks["blocked"], alert=tasks["blocked"] > 0),
    ]
