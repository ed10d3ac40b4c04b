from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from khoi import views
from khoi.api import api
from khoi.ops import views as ops_views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("khoi.accounts.urls")),
    path("audit/", include("khoi.audit.urls")),
    path("", include("khoi.org.urls")),
    path("work/", include("khoi.work.urls")),
    path("meetings/", include("khoi.meetings.urls")),
    path("documents/", include("khoi.documents.urls")),
    path("petitions/", include("khoi.petitions.urls")),
    path("fund/", include("khoi.fund.urls")),
    path("public/", include("khoi.fund.urls_public")),
    path("campaigns/", include("khoi.campaigns.urls")),
    path("oversight/", include("khoi.oversight.urls")),
    path("api/v1/", api.urls),
    path("ops/", include("khoi.ops.urls")),
    path("admin/login/", ops_views.admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# A database fault met before any view (session, signed-in user) answers the 503 page, not 500.
handler500 = "khoi.ops.views.server_error"
