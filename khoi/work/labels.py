from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "programme.create": _("created a work programme"),
    "plan.create": _("created a plan"),
    "plan.update": _("changed a plan"),
    "activity.create": _("added an activity"),
    "activity.update": _("changed an activity"),
    "activity.set_targets": _("set the targets of an activity"),
    "activity.merge": _("merged an activity into joint work"),
    "activity.unmerge": _("separated an activity from joint work"),
    "activity.import": _("imported activities"),
    "joint.merge": _("merged activities into joint work"),
    "joint.propose": _("proposed joint work"),
    "joint.approve": _("approved joint work"),
    "joint.unmerge": _("unmerged joint work"),
    "joint.add": _("added an activity to joint work"),
    "joint.add_propose": _("proposed adding an activity to joint work"),
    "joint.add_approve": _("approved adding an activity to joint work"),
    "joint.add_reject": _("rejected adding an activity to joint work"),
    "joint.extend": _("widened the dates of joint work"),
    "overlap.dismiss": _("marked two activities as not overlapping"),
    "task.create": _("assigned a task"),
    "task.status": _("changed the status of a task"),
    "task.update": _("reported progress on a task"),
    "task.reassign": _("reassigned a task"),
    "task.remind": _("sent a task reminder"),
}
