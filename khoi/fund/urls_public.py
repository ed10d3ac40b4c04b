from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from khoi.fund import public

app_name = "public"

urlpatterns = [
    # /public/ is the address people are given: it opens the list of funds
    path("", RedirectView.as_view(pattern_name="public:fund_list"), name="index"),
    path("funds/", public.fund_list, name="fund_list"),
    path("funds/<int:pk>/", public.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/xlsx/", public.fund_xlsx, name="fund_xlsx"),
]
