from django.urls import path

from .views import directory as views
from .views import people_import, users

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("load/", views.load, name="load"),
    path("load/confirm/", views.load_confirm, name="load_confirm"),
    path("load/example.<str:fmt>", views.load_template, name="load_template"),
    path("export/", views.export, name="export"),
    path("users/", users.user_list, name="users"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/import/", people_import.people_import_page, name="people_import"),
    path(
        "users/import/confirm/", people_import.people_import_confirm, name="people_import_confirm"
    ),
    path(
        "users/import/template.xlsx",
        people_import.people_import_template,
        name="people_import_template",
    ),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/<str:action>/", users.user_action, name="user_action"),
]
