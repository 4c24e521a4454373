from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("cockpit/<int:pk>/", views.cockpit_page, name="cockpit"),
]
