from __future__ import annotations

from django.urls import URLPattern, path

from khoi.petitions import clearance_views as land
from khoi.petitions import views

app_name = "petitions"

urlpatterns: list[URLPattern] = [
    path("", views.petition_list, name="petition_list"),
    path("new/", views.petition_create, name="petition_create"),
    path("overdue/", views.overdue_list, name="overdue_list"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.petition_detail, name="petition_detail"),
    path("<int:pk>/identity/", views.petition_identity, name="petition_identity"),
    path("<int:pk>/action/", views.petition_action, name="petition_action"),
    path("<int:pk>/assign/", views.petition_assign, name="petition_assign"),
    path("<int:pk>/extend/", views.petition_extend, name="petition_extend"),
    path("<int:pk>/attach/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/files/<int:att_pk>/", views.attachment_download, name="attachment_download"),
    path(
        "<int:pk>/forwardings/<int:fwd_pk>/letter.docx",
        views.forwarding_letter,
        name="forwarding_letter",
    ),
    path("<int:pk>/duplicates/<int:link_pk>/", views.duplicate_decide, name="duplicate_decide"),
    path("receptions/", views.reception_list, name="reception_list"),
    path("receptions/new/", views.reception_create, name="reception_create"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception_detail"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", land.project_detail, name="project_detail"),
    path("projects/<int:pk>/households.xlsx", land.project_export, name="project_export"),
    path("projects/<int:pk>/households/new/", land.household_create, name="household_create"),
    path("projects/<int:pk>/visits/new/", land.visit_create, name="visit_create"),
    path("households/<int:pk>/", land.household_detail, name="household_detail"),
    path("households/<int:pk>/stage/", land.household_stage, name="household_stage"),
    path("coordination/", land.rules_list, name="rules_list"),
    path("coordination/new/", land.rules_create, name="rules_create"),
    path("coordination/<int:pk>/", land.rules_detail, name="rules_detail"),
    path("obligations/<int:pk>/status/", land.obligation_status, name="obligation_status"),
]
