from __future__ import annotations

from django.urls import path

from khoi.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_register, name="register"),
    path("issue/", views.document_issue, name="issue"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/attach/", views.document_attach, name="attach"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/sections/<str:key>/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/download.<str:fmt>", views.report_download, name="report_download"),
]
