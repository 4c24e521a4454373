"""The Django admin's site: only for staff who hold a permission in it.

A staff account without any admin permission would otherwise reach an empty index ("You don't
have permission to view or edit anything"); now it is sent to the admin's login like anyone else
who may not use it."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class QualityCityAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not super().has_permission(request):
            return False
        return user.is_superuser or bool(user.get_all_permissions())


class QualityCityAdminConfig(AdminConfig):
    default_site = "qualitycity.web.admin_site.QualityCityAdminSite"
