from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from huiwu.api import api

admin.site.site_header = _("Huiwu administration")
admin.site.site_title = _("Huiwu")

urlpatterns = [
    path("", include("huiwu.core.urls")),
    path("", include("huiwu.ops.urls")),
    path("accounts/", include("huiwu.accounts.urls")),
    path("delegations/", include("huiwu.delegations.urls")),
    path("directory/", include("huiwu.directory.urls")),
    path("feedback/", include("huiwu.feedback.urls")),
    path("lost-and-found/", include("huiwu.lostfound.urls")),
    path("meetings/", include("huiwu.meetings.urls")),
    path("notifications/", include("huiwu.notify.urls")),
    path("reception/", include("huiwu.reception.urls")),
    path("reports/", include("huiwu.reports.urls")),
    path("rooms/", include("huiwu.venues.urls")),
    path("seating/", include("huiwu.seating.urls")),
    path("security/", include("huiwu.security.urls")),
    path("service/", include("huiwu.service.urls")),
    path("surveys/", include("huiwu.surveys.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "huiwu.core.views.bad_request"
handler403 = "huiwu.core.views.permission_denied"
handler404 = "huiwu.core.views.page_not_found"
handler500 = "huiwu.core.views.server_error"
