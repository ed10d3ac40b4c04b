from __future__ import annotations

from django.urls import URLPattern, path

from khoi.campaigns import views

app_name = "campaigns"

urlpatterns: list[URLPattern] = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/manage/", views.campaign_manage, name="manage"),
    path("<int:pk>/entry/<int:commune_pk>/<str:period>/", views.entry_grid, name="entry"),
    path(
        "<int:pk>/entry/<int:commune_pk>/<str:period>/template.xlsx",
        views.entry_template,
        name="entry_template",
    ),
    path(
        "<int:pk>/entry/<int:commune_pk>/<str:period>/import/",
        views.entry_import,
        name="entry_import",
    ),
    path("<int:pk>/evidence/<int:value_pk>/", views.evidence, name="evidence"),
    path("submissions/<int:sub_pk>/decide/", views.submission_decide, name="decide"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<int:pk>/manage/", views.cluster_manage, name="cluster_manage"),
    path("models/", views.model_list, name="model_list"),
    path("awards/", views.award_forms, name="award_forms"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
]
