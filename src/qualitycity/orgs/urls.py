from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
]
