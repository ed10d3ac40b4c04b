from __future__ import annotations

from django.urls import URLPattern, path

from khoi.oversight import views
from khoi.oversight.urls_criticism import urlpatterns as criticism_urls

app_name = "oversight"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("supervisions/new/", views.supervision_create, name="supervision_create"),
    path("supervisions/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervisions/<int:pk>/edit/", views.supervision_edit, name="supervision_edit"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/export.xlsx", views.recommendation_export, name="recommendation_export"),
    path("recommendations/summary.docx", views.summary_docx, name="summary_docx"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
]
urlpatterns += criticism_urls
