"""Task pages: my tasks, the office-wide list (filters, .xlsx export), overdue, the board,
the task page with its history and progress updates, assigning and reassigning."""

from __future__ import annotations

import datetime
import posixpath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi import clock
from khoi.accounts.access import assignable_offices, full_read_office_ids, get_scope, not_found
from khoi.http import add_service_errors
from khoi.lib.vntext import fold
from khoi.org.models import JointOffice
from khoi.pagination import paginate
from khoi.work import access, services
from khoi.work.forms_tasks import ReassignForm, TaskFilterForm, TaskForm, TaskUpdateForm
from khoi.work.models import Activity, JointActivity, Task, TaskUpdate

BOARD_LIMIT = 50  # cards per column; the list page shows the rest
DONE_DAYS = 30  # the Done column shows tasks completed in the last 30 days
NEEDS_NOTE = {Task.Status.BLOCKED, Task.Status.DONE}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The exported sheet is a Vietnamese office document whatever the UI language.
EXPORT_HEADERS = (
    "STT", "Nhiệm vụ", "Người/tiểu ban được giao", "Cơ quan Khối", "Từ hoạt động/việc chung",
    "Hạn hoàn thành", "Mức ưu tiên", "Trạng thái", "Ngày hoàn thành", "Vướng mắc / kết quả",
)  # fmt: skip
EXPORT_WIDTHS = (6, 50, 28, 28, 40, 14, 12, 16, 14, 50)
EXPORT_STATUS: dict[str, str] = {
    Task.Status.NEW: "Mới giao",
    Task.Status.IN_PROGRESS: "Đang thực hiện",
    Task.Status.BLOCKED: "Vướng mắc",
    Task.Status.DONE: "Hoàn thành",
    Task.Status.CANCELLED: "Đã hủy",
}
EXPORT_PRIORITY = {1: "Thấp", 2: "Bình thường", 3: "Cao", 4: "Khẩn"}


# --- Helpers ----------------------------------------------------------------------------------


def _tasks(user: Any) -> QuerySet[Task]:
    return access.tasks_for_user(user).select_related(
        "assignee", "assignee_subcommittee", "office", "activity", "joint"
    )


def _open_first(tasks: QuerySet[Task]) -> QuerySet[Task]:
    rank = Case(When(status__in=Task.OPEN, then=Value(0)), default=Value(1))
    return tasks.annotate(open_rank=rank).order_by("open_rank", "due_on", "-priority", "pk")


def _visible_offices(user: Any) -> QuerySet[JointOffice]:
    """Offices whose people and organizations appear in the filters."""
    ids = full_read_office_ids(get_scope(user))
    if ids is None:
        return JointOffice.objects.order_by("name")
    task_offices = access.tasks_for_user(user).values("office_id")
    return JointOffice.objects.filter(Q(pk__in=ids) | Q(pk__in=task_offices)).order_by("name")


def _assignable_offices(user: Any) -> QuerySet[JointOffice]:
    return assignable_offices(user).order_by("name")


def _search(tasks: QuerySet[Task], q: str) -> QuerySet[Task]:
    """Accent-insensitive search on the title (folded in Python: Task has no folded column)."""
    needle = fold(q)
    if not needle:
        return tasks
    ids = [pk for pk, title in tasks.values_list("pk", "title") if needle in fold(title)]
    return tasks.filter(pk__in=ids)


def _filtered(request: HttpRequest) -> tuple[TaskFilterForm, QuerySet[Task]]:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cancelled", None)
    form = TaskFilterForm(params or None, offices=_visible_offices(request.user))
    tasks = _tasks(request.user)
    if form.is_bound:
        form.is_valid()  # invalid fields are ignored, the valid ones still filter
        tasks = _search(form.apply(tasks, clock.today()), form.search)
    return form, tasks


def _querystring(request: HttpRequest, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


def _can_cancel(user: Any, task: Task) -> bool:
    return access.can_assign(user, task.office) or task.assigned_by_id == getattr(user, "pk", None)


def _nav(request: HttpRequest) -> dict[str, Any]:
    return {"can_assign_any": _assignable_offices(request.user).exists()}


# --- Lists -----------------------------------------------------------------------------------


@login_required
def task_mine(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    mine = Q(pk__in=[])
    if scope.person_id is not None:
        mine |= Q(assignee_id=scope.person_id)
    if scope.subcommittee_ids:
        mine |= Q(assignee_subcommittee_id__in=scope.subcommittee_ids)
    tasks = _open_first(_tasks(request.user).filter(mine))
    return render(
        request,
        "work/tasks/task_mine.html",
        {"page": paginate(request, tasks), "today": clock.today(), **_nav(request)},
    )


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    form, tasks = _filtered(request)
    return render(
        request,
        "work/tasks/task_list.html",
        {
            "page": paginate(request, _open_first(tasks)),
            "form": form,
            "querystring": _querystring(request),
            "today": clock.today(),
            **_nav(request),
        },
    )


@login_required
def task_overdue(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    tasks = (
        _tasks(request.user)
        .filter(status__in=Task.OPEN, due_on__lt=today)
        .order_by("due_on", "-priority", "pk")
    )
    page = paginate(request, tasks)
    for task in page.object_list:
        task.days_overdue = (today - task.due_on).days
    return render(
        request, "work/tasks/task_overdue.html", {"page": page, "today": today, **_nav(request)}
    )


@login_required
def task_export(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    _form, tasks = _filtered(request)
    today = clock.today()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nhiệm vụ"
    ws.append(list(EXPORT_HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, task in enumerate(_open_first(tasks).iterator(chunk_size=500), start=1):
        source = task.activity or task.joint
        ws.append(
            [
                n,
                task.title,
                str(task.assignee or task.assignee_subcommittee or ""),
                task.office.name,
                str(source) if source else task.source_label,
                task.due_on,
                EXPORT_PRIORITY.get(task.priority, str(task.priority)),
                EXPORT_STATUS.get(task.status, task.status),
                task.completed_on,
                task.blocked_reason if task.status == Task.Status.BLOCKED else task.result_note,
            ]
        )
        for col in (6, 9):
            ws.cell(row=n + 1, column=col).number_format = "DD/MM/YYYY"
    for i, width in enumerate(EXPORT_WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    from khoi.lib.sheets import to_bytes

    response = HttpResponse(to_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-{today.isoformat()}.xlsx"'
    return response


# --- Board -----------------------------------------------------------------------------------


def _board_context(request: HttpRequest) -> dict[str, Any]:
    form, tasks = _filtered(request)
    today = clock.today()
    show_cancelled = request.GET.get("cancelled") == "1"
    columns: list[tuple[str, Any, QuerySet[Task]]] = [
        (s, s.label, tasks.filter(status=s).order_by("due_on", "-priority", "pk"))
        for s in (Task.Status.NEW, Task.Status.IN_PROGRESS, Task.Status.BLOCKED)
    ]
    done = tasks.filter(
        status=Task.Status.DONE, completed_on__gte=today - datetime.timedelta(days=DONE_DAYS)
    ).order_by("-completed_on", "pk")
    columns.append((Task.Status.DONE, _("Done (last 30 days)"), done))
    if show_cancelled:
        cancelled = tasks.filter(status=Task.Status.CANCELLED).order_by("-due_on", "pk")
        columns.append((Task.Status.CANCELLED, Task.Status.CANCELLED.label, cancelled))
    user = request.user
    assignable = set(_assignable_offices(user).values_list("pk", flat=True))
    board = []
    for status, label, qs in columns:
        cards = list(qs[: BOARD_LIMIT + 1])
        for task in cards:
            moves = []
            if access.can_update_task(user, task):
                can_cancel = task.office_id in assignable or task.assigned_by_id == user.pk
                for value in ALLOWED_ORDER:
                    if value not in services.ALLOWED_MOVES.get(task.status, set()):
                        continue
                    if value == Task.Status.CANCELLED and not can_cancel:
                        continue
                    moves.append((value, Task.Status(value).label, value in NEEDS_NOTE))
            task.moves = moves  # type: ignore[attr-defined]
        board.append(
            {
                "status": status,
                "label": label,
                "cards": cards[:BOARD_LIMIT],
                "more": len(cards) > BOARD_LIMIT,
            }
        )
    return {
        "board": board,
        "form": form,
        "show_cancelled": show_cancelled,
        "querystring": _querystring(request),
        "today": today,
    }


ALLOWED_ORDER = (
    Task.Status.NEW, Task.Status.IN_PROGRESS, Task.Status.BLOCKED, Task.Status.DONE,
    Task.Status.CANCELLED,
)  # fmt: skip


@login_required
def task_board(request: HttpRequest) -> HttpResponse:
    return render(
        request, "work/tasks/task_board.html", {**_board_context(request), **_nav(request)}
    )


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card on the board (htmx, or a plain form post without JavaScript)."""
    task = access.get_task_for_user(request.user, pk)
    if not access.can_update_task(request.user, task):
        raise not_found()
    status = request.POST.get("status", "")
    note = request.POST.get("note", "")
    error = message = ""
    try:
        services.do_update_task(request.user, task, note=note, status=status or None)
        message = _("“%(title)s” moved to “%(status)s”.") % {
            "title": task.title,
            "status": task.get_status_display(),
        }
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request") == "true":
        context = {**_board_context(request), "board_error": error, "board_message": message}
        return render(request, "work/tasks/_board.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    qs = _querystring(request)
    return redirect(reverse("work:task_board") + (f"?{qs}" if qs else ""))


# --- One task --------------------------------------------------------------------------------


def _detail(
    request: HttpRequest, task: Task, form: TaskUpdateForm | None = None, status: int = 200
) -> HttpResponse:
    can_update = access.can_update_task(request.user, task)
    if can_update and form is None:
        form = TaskUpdateForm(task=task, can_cancel=_can_cancel(request.user, task))
    updates = task.updates.select_related("author").order_by("-created_at", "-pk")
    return render(
        request,
        "work/tasks/task_detail.html",
        {
            "task": task,
            "page": paginate(request, updates),
            "form": form if can_update else None,
            "can_reassign": access.can_assign(request.user, task.office),
            "today": clock.today(),
        },
        status=status,
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_task_for_user(request.user, pk))


@login_required
@require_POST
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk)
    if not access.can_update_task(request.user, task):
        raise not_found()
    form = TaskUpdateForm(
        request.POST, request.FILES, task=task, can_cancel=_can_cancel(request.user, task)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.do_update_task(
                request.user,
                task,
                note=data["note"],
                status=data["status"] or None,
                attachment=data["attachment"],
            )
        except ValidationError as exc:
            task.refresh_from_db()
            add_service_errors(form, exc, {})
        else:
            messages.success(request, _("The progress update was saved."))
            return redirect("work:task_detail", pk=task.pk)
    return _detail(request, task, form)


@login_required
def task_attachment(request: HttpRequest, pk: int, update_pk: int) -> FileResponse:
    """Attachments are served only here, to users who can see the task."""
    task = access.get_task_for_user(request.user, pk)
    update = TaskUpdate.objects.filter(task=task, pk=update_pk).exclude(attachment="").first()
    if update is None:
        raise not_found()
    try:
        handle = update.attachment.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise not_found() from exc
    name = posixpath.basename(update.attachment.name or "")
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Assigning -------------------------------------------------------------------------------


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    """Assign a task: from an activity (?activity=ID), joint work (?joint=ID) or standalone."""
    user = request.user
    activity: Activity | None = None
    joint: JointActivity | None = None
    office: JointOffice | None = None
    if request.GET.get("activity", "").isdigit():
        activity = access.get_activity_for_user(user, int(request.GET["activity"]))
        office = activity.office
    elif request.GET.get("joint", "").isdigit():
        joint = access.get_joint_for_user(user, int(request.GET["joint"]))
        office = joint.office
    else:
        offices = _assignable_offices(user)
        if request.GET.get("office", "").isdigit():
            office = offices.filter(pk=int(request.GET["office"])).first()
            if office is None:
                raise not_found()
        else:
            choices = list(offices[:2])
            if not choices:
                raise not_found()
            if len(choices) > 1:
                return render(
                    request,
                    "work/tasks/task_office_choice.html",
                    {"page": paginate(request, offices)},
                )
            office = choices[0]
    if not access.can_assign(user, office):
        raise not_found()
    form = TaskForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person, sub = data["assignee"]
        try:
            task = services.do_create_task(
                user,
                office,
                title=data["title"],
                due_on=data["due_on"],
                assignee=person,
                assignee_subcommittee=sub,
                activity=activity,
                joint=joint,
                description=data["description"],
                priority=data["priority"],
                source_label=data["source_label"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"assignee_subcommittee": "assignee"})
        else:
            messages.success(request, _("The task was assigned."))
            # access.tasks_for_user does not (yet) show assigners the tasks they assigned
            # outside their organization's activities: do not send them to a 404.
            if access.tasks_for_user(user).filter(pk=task.pk).exists():
                return redirect("work:task_detail", pk=task.pk)
            return redirect("work:task_list")
    return render(
        request,
        "work/tasks/task_form.html",
        {"form": form, "office": office, "activity": activity, "joint": joint},
    )


@login_required
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk)
    if not access.can_assign(request.user, task.office):
        raise not_found()
    form = ReassignForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        person, sub = form.cleaned_data["assignee"]
        try:
            services.do_reassign_task(
                request.user,
                task,
                assignee=person,
                assignee_subcommittee=sub,
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"assignee_subcommittee": "assignee"})
        else:
            messages.success(request, _("The task was reassigned."))
            return redirect("work:task_detail", pk=task.pk)
    return render(request, "work/tasks/task_reassign.html", {"form": form, "task": task})
