from __future__ import annotations

from django.urls import path

from khoi.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("schedule/", views.series_create, name="series_create"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/prefill/", views.meeting_prefill, name="prefill"),
    path("<int:pk>/items/", views.meeting_add_item, name="add_item"),
    path("<int:pk>/items/<int:item_pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/outcomes/", views.meeting_outcome, name="outcome"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
    path("<int:pk>/corrections/", views.meeting_correct, name="correct"),
    path("<int:pk>/minutes.docx", views.meeting_minutes_docx, name="minutes_docx"),
    path("<int:pk>/notice.docx", views.meeting_notice_docx, name="notice_docx"),
]
