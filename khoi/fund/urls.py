from __future__ import annotations

from django.urls import path

from khoi.fund import views, views_cases, views_households, views_manage

app_name = "fund"

urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("<int:pk>/", views.fund_detail, name="fund_detail"),
    path("new/", views_manage.fund_create, name="fund_create"),
    path("<int:pk>/settings/", views_manage.fund_settings, name="fund_settings"),
    path("<int:pk>/campaigns/new/", views_manage.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views_manage.campaign_edit, name="campaign_edit"),
    path("<int:pk>/receipts/new/", views.receipt_create, name="receipt_create"),
    path("<int:pk>/expenditures/new/", views.expenditure_create, name="expenditure_create"),
    path("<int:pk>/import/", views.import_upload, name="import_upload"),
    path("<int:pk>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("households/", views_households.household_list, name="household_list"),
    path("households/new/", views_households.household_create, name="household_create"),
    path("households/import/", views_households.household_import, name="household_import"),
    path(
        "households/import/confirm/",
        views_households.household_import_confirm,
        name="household_import_confirm",
    ),
    path(
        "households/import/template.xlsx",
        views_households.household_import_template,
        name="household_import_template",
    ),
    path("households/<int:pk>/", views_households.household_detail, name="household_detail"),
    path(
        "households/<int:pk>/identity/",
        views_households.household_identity,
        name="household_identity",
    ),
    path(
        "households/<int:pk>/match/<int:other>/",
        views_households.household_match,
        name="household_match",
    ),
    path("households/<int:pk>/cases/new/", views_cases.case_propose, name="case_propose"),
    path("cases/", views_cases.case_list, name="case_list"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/do/<str:action>/", views_cases.case_action, name="case_action"),
    path("cases/<int:pk>/photos/<int:photo>/", views_cases.case_photo, name="case_photo"),
    path("cases/<int:pk>/<str:which>.docx", views_cases.case_document, name="case_document"),
    path("<int:pk>/allocation/", views_cases.allocation, name="allocation"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("entries/<int:pk>/receipt.<str:fmt>", views.receipt_print, name="receipt_print"),
]
