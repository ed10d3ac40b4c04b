from __future__ import annotations

from django.urls import path

from khoi.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log_view, name="log"),
    path("<str:object_type>/<str:object_id>/", views.history_view, name="history"),
]
