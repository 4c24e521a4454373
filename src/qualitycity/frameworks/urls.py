from django.urls import path

from .views import imports, tables

app_name = "frameworks"
urlpatterns = [
    path("", tables.framework_list, name="list"),
    path("<int:pk>/", tables.framework_detail, name="detail"),
    path("<int:pk>/export.xlsx", tables.framework_export, name="export"),
    path("import/", imports.import_upload, name="import"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
]
