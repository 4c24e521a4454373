from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("observations/<int:pk>/delete/", views.observation_delete, name="observation_delete"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
]
