from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from qualitycity.api.main import api

admin.site.site_header = _("质量强市创建管理平台")
admin.site.site_title = _("质量强市创建管理平台")
admin.site.index_title = _("后台管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("frameworks/", include("qualitycity.frameworks.urls")),
    path("orgs/", include("qualitycity.orgs.urls")),
    path("campaigns/", include("qualitycity.campaigns.urls")),
    path("indicators/", include("qualitycity.indicators.urls")),
    path("", include("qualitycity.assessments.urls")),
    path("", include("qualitycity.reports.urls")),
    path("", include("qualitycity.web.urls")),
]
