from django.urls import path  # noqa: F401 — routes are added with the indicator pages

app_name = "indicators"
urlpatterns: list = []
