from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from . import system, views

urlpatterns = [
    path(
        "login/",
        views.LoginView.as_view(
            template_name="registration/login.html",
            redirect_authenticated_user=True,
            extra_context={"failure_limit": settings.AXES_FAILURE_LIMIT},
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    # The one-time link the office sends (orgs.services.send_password_link).
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_set.html",
            success_url="/reset/done/",
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_set_done.html"
        ),
        name="password_reset_complete",
    ),
    path("queues/<slug:key>/", views.queue_page, name="queue"),
    path("", views.home, name="home"),
]

# The administrator's system page (web/system.py).
urlpatterns += [
    path("system/", system.system, name="system"),
    path("system/deliveries/", system.deliveries, name="system_deliveries"),
    path("system/audit/", system.audit_search, name="system_audit"),
]
