from __future__ import annotations

from django.urls import path

from khoi.ops import views

app_name = "ops"
urlpatterns = [
    path("healthz", views.health, name="health"),
    path("bare", views.bare, name="bare"),
]
