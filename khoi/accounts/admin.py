from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from khoi.accounts import services
from khoi.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "is_active", "is_superuser", "totp_confirmed_at"]
    readonly_fields = ["totp_confirmed_at", "identity_locked_at", "last_login", "date_joined"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("2FA", {"fields": ("totp_confirmed_at", "identity_locked_at")}),
    )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """An administrator setting someone's password closes that user's identities."""
        before = User.objects.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        user = User.objects.filter(pk=id).first()
        if user is not None and before is not None and user.password != before:
            services.do_admin_reset_password(request.user, user)
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Changing someone's e-mail (where a reset link would go) counts as a reset."""
        before = User.objects.filter(pk=obj.pk).values_list("email", flat=True).first()
        super().save_model(request, obj, form, change)
        if change and "email" in getattr(form, "changed_data", ()):
            services.do_admin_reset_password(request.user, obj, what="email", notify=before or "")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]


# Background task results (django-tasks): the package's own strings, translated in our
# catalogue (LOCALE_PATHS comes first), and columns that read as Vietnamese.
TASK_STRINGS = (
    _("Task Result"), _("Task Results"), _("status"), _("enqueued at"), _("started at"),
    _("finished at"), _("priority"), _("queue name"), _("args kwargs"), _("task path"),
    _("worker id"), _("backend name"), _("run after"), _("return value"),
    _("exception class path"), _("traceback"),
    pgettext_lazy("Task", "Ready"), pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"), pgettext_lazy("Task", "Successful"),
)  # fmt: skip
# Jobs by their dotted path, as the site administrator reads them.
TASK_NAMES = {
    "khoi.work.tasks.send_task_reminders": _("task reminder e-mails"),
}


def _moment(value: Any) -> str:
    from django.utils import timezone

    return date_format(timezone.localtime(value), "d/m/Y H:i:s") if value else "—"


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("job", "status", "enqueued", "started", "finished", "priority")  # type: ignore[assignment]

    @admin.display(description=_("job"), ordering="task_path")
    def job(self, obj: DBTaskResult) -> str:
        return str(TASK_NAMES.get(obj.task_path, obj.task_path.rsplit(".", 1)[-1]))

    @admin.display(description=_("enqueued at"), ordering="enqueued_at")
    def enqueued(self, obj: DBTaskResult) -> str:
        return _moment(obj.enqueued_at)

    @admin.display(description=_("started at"), ordering="started_at")
    def started(self, obj: DBTaskResult) -> str:
        return _moment(obj.started_at)

    @admin.display(description=_("finished at"), ordering="finished_at")
    def finished(self, obj: DBTaskResult) -> str:
        return _moment(obj.finished_at)
