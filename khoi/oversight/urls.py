from __future__ import annotations

from django.urls import URLPattern, path

from khoi.oversight import views
from khoi.oversight.urls_criticism import urlpatterns as criticism_urls

app_name = "oversight"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
]
urlpatterns += criticism_urls
