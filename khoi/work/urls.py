from __future__ import annotations

from django.urls import include, path

from khoi.work import views

app_name = "work"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/calendar/", views.activity_calendar, name="activity_calendar"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/overlaps/", views.activity_overlaps, name="activity_overlaps"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("joint/", views.joint_list, name="joint_list"),
    path("joint/scan/", views.overlap_scan, name="overlap_scan"),
    path("joint/merge/", views.merge, name="merge"),
    path("joint/dismiss/", views.dismiss_overlap, name="dismiss_overlap"),
    path("joint/<int:pk>/", views.joint_detail, name="joint_detail"),
    path("joint/<int:pk>/approve/", views.joint_approve, name="joint_approve"),
    path("joint/<int:pk>/unmerge/", views.joint_unmerge, name="joint_unmerge"),
    path("joint/<int:pk>/add/", views.joint_add, name="joint_add"),
    path(
        "joint/<int:pk>/additions/<int:addition_pk>/",
        views.joint_addition_decide,
        name="joint_addition_decide",
    ),
    path("", include("khoi.work.urls_import")),
    path("", include("khoi.work.urls_tasks")),
]
