from __future__ import annotations

from django.urls import URLPattern, path

from khoi.work import views_import as views

urlpatterns: list[URLPattern] = [
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<uuid:token>/", views.import_preview, name="import_preview"),
    path("imports/<uuid:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<uuid:token>/cancel/", views.import_cancel, name="import_cancel"),
]
