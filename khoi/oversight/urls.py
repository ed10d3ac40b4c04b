from __future__ import annotations

from django.urls import URLPattern, path

from khoi.oversight import views

app_name = "oversight"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
]
