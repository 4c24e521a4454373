from django.contrib import admin
from django.db import transaction

from .models import AuditEvent
from .services import record, snapshot


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_name",
        "action",
        "object_type",
        "object_repr",
        "source",
        "request_id",
    ]
    list_filter = ["action", "object_type", "source"]
    search_fields = ["object_repr", "actor_name", "request_id", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Admin whose saves and deletes leave an audit event in the same transaction."""

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old) if old is not None else None
        request._qc_audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        action = f"{obj._meta.model_name}.{'changed' if change else 'created'}"
        with transaction.atomic():
            record(
                request.user,
                action,
                obj,
                before=getattr(request, "_qc_audit_before", None),
                after=snapshot(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, f"{obj._meta.model_name}.deleted", obj, before=snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record(request.user, f"{obj._meta.model_name}.deleted", obj, before=snapshot(obj))
            super().delete_queryset(request, queryset)


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only: a changelist and a detail page with every field shown read-only.

    For data the app's own code writes: frameworks (versioned, written by `framework load`
    only) and the campaign workflow (tasks, reports, notices, meetings, rounds, scores,
    findings, notifications, reminders), whose changes go through the pages, CLI or API
    services with their permission checks, state transitions and audit events. A writable
    admin would be a second door around all three.

    No add, change or delete, and no actions at all (so no "delete selected", nor any action
    added site-wide). Inlines are shown read-only too: Django drops an inline's add, change
    and delete when its parent cannot be changed, and refuses every POST to the change page.
    """

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        """Every field of the model, the non-editable ones (created_at…) included."""
        opts = self.model._meta
        names = [f.name for f in (*opts.concrete_fields, *opts.many_to_many) if not f.auto_created]
        extra = [f for f in super().get_readonly_fields(request, obj) if f not in names]
        return [*names, *extra]
