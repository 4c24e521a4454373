from django.urls import path

from .views import cockpit, exports, league

app_name = "reports"

urlpatterns = [
    path("cockpit/<int:pk>/", cockpit.cockpit_page, name="cockpit"),
    path("league/", league.league_page, name="league"),
    path("exports/jobs/<uuid:token>/", exports.export_job, name="export_job"),
    path("exports/jobs/<uuid:token>/status/", exports.export_job_status, name="export_job_status"),
    path(
        "exports/jobs/<uuid:token>/download/",
        exports.export_job_download,
        name="export_job_download",
    ),
    path("exports/<slug:kind>/<int:pk>/", exports.export, name="export"),
]
