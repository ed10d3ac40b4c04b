"""Pages of social criticism and feedback rounds (included in the app's ``oversight``
namespace by ``khoi/oversight/urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from khoi.oversight import views_criticism as views

urlpatterns: list[URLPattern] = [
    path("drafts/", views.critique_list, name="critique_list"),
    path("drafts/new/", views.critique_create, name="critique_create"),
    path("drafts/periods/", views.rule_list, name="criticism_rules"),
    path("drafts/<int:pk>/", views.critique_detail, name="critique_detail"),
    path("drafts/<int:pk>/edit/", views.critique_edit, name="critique_edit"),
    path("drafts/<int:pk>/sections/", views.critique_sections, name="critique_sections"),
    path("drafts/<int:pk>/comment/", views.critique_comment, name="critique_comment"),
    path("drafts/<int:pk>/issue/", views.critique_issue, name="critique_issue"),
    path("drafts/<int:pk>/answer/", views.critique_answer, name="critique_answer"),
    path("drafts/<int:pk>/critique.docx", views.critique_docx, name="critique_docx"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/report.docx", views.feedback_docx, name="feedback_docx"),
]
