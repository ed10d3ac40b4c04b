from __future__ import annotations

from django.urls import URLPattern, path

from khoi.work import views_tasks as views

urlpatterns: list[URLPattern] = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/mine/", views.task_mine, name="task_mine"),
    path("tasks/overdue/", views.task_overdue, name="task_overdue"),
    path("tasks/board/", views.task_board, name="task_board"),
    path("tasks/export.xlsx", views.task_export, name="task_export"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/update/", views.task_update, name="task_update"),
    path("tasks/<int:pk>/move/", views.task_move, name="task_move"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/files/<int:update_pk>/", views.task_attachment, name="task_attachment"),
]
