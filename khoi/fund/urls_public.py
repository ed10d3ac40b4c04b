from __future__ import annotations

from django.urls import path

from khoi.fund import public

app_name = "public"

urlpatterns = [
    path("funds/", public.fund_list, name="fund_list"),
    path("funds/<int:pk>/", public.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/xlsx/", public.fund_xlsx, name="fund_xlsx"),
]
