from __future__ import annotations

from django.urls import path

from khoi.org import views

app_name = "org"

urlpatterns = [
    path("offices/", views.office_list, name="office_list"),
    path("offices/<slug:code>/", views.office_detail, name="office_detail"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/areas-template.xlsx", views.area_template, name="area_template"),
]
