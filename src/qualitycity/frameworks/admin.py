from django.contrib import admin

from qualitycity.audit.admin import ReadOnlyAdmin

from .models import Criterion, CriterionUnit, Dimension, Framework, Item


class CriterionUnitInline(admin.TabularInline):
    model = CriterionUnit
    extra = 0
    can_delete = False
    readonly_fields = ["role", "position", "printed_name"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "version", "loaded_at", "loaded_by"]
    search_fields = ["title", "code"]


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "framework"]
    list_filter = ["framework"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "max_points", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "title"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["key", "row", "points", "max_points", "framework"]
    list_filter = ["framework", "na_allowed"]
    search_fields = ["key", "row", "text"]
    inlines = [CriterionUnitInline]


@admin.register(CriterionUnit)
class CriterionUnitAdmin(ReadOnlyAdmin):
    list_display = ["criterion", "role", "printed_name"]
    list_filter = ["role"]
    search_fields = ["printed_name"]
