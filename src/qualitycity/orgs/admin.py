from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from qualitycity.audit.admin import AuditedAdmin, AuditedAdminMixin

from .models import Alias, Membership, Region, Unit, UnitGroup, User


class AliasInline(admin.TabularInline):
    model = Alias
    fk_name = "unit"
    extra = 0


class GroupAliasInline(admin.TabularInline):
    model = Alias
    fk_name = "group"
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "full_name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "full_name", "code", "aliases__name"]
    inlines = [AliasInline]


@admin.register(UnitGroup)
class UnitGroupAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code", "aliases__name"]
    filter_horizontal = ["members"]
    inlines = [GroupAliasInline]


@admin.register(Alias)
class AliasAdmin(AuditedAdmin):
    list_display = ["name", "unit", "group"]
    search_fields = ["name", "unit__name", "group__name"]
    autocomplete_fields = ["unit", "group"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "region", "unit"]
    list_filter = ["role", "region"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("联系信息"), {"fields": ("full_name", "phone")}),
    )
    inlines = [MembershipInline]
